"""Checks of a rendered body's HTML against its source: unsafe URLs, unbalanced raw HTML, frames that
sanitizing removes; and the sanitizing itself, where the site's bodies are untrusted. For explainers
(engine/documents.py) and for cards' answers (site/cards.py), each at its own file's lines."""

from __future__ import annotations

import re
from dataclasses import replace

from ..diagnostics import Diagnostic, Position, error, warning
from ..sources.config import SiteConfig
from .blocks import body_parts, clean_blocks
from .blocks.embeds import raw_frame_keys
from .body import Body
from .sanitize import Unbalanced, fault_offset, refused_frames, sanitize_html, unbalanced_tags, unsafe_urls


def _unsafe_url_findings(source: str, text: str, first_line: int, config: SiteConfig) -> list[Diagnostic]:
    """javascript: and data: links: refused when bodies are sanitized, a warning when they are trusted."""
    strict = config.untrusted_html == "sanitize"
    report = error if strict else warning
    hint = ("sanitize mode removes them; link to an http(s) page instead" if strict
            else "a link that runs code or embeds data is rarely what an editor meant; use an http(s) URL")
    return [report(source, f"a {scheme}: URL in a link or image", Position(first_line + offset), hint)
            for offset, scheme in unsafe_urls(text)]


def _refused_frame_warnings(source: str, text: str, first_line: int, html: str,
                            config: SiteConfig) -> list[Diagnostic]:
    """Each iframe that sanitizing removes, because its page is not on an https host of embed_hosts."""
    found = []
    for src in (src for fragment in body_parts(html)[0] for src in refused_frames(fragment, config.embed_hosts)):
        at = text.find(src) if src else -1
        line = first_line + text.count("\n", 0, at if at >= 0 else max(text.lower().find("<iframe"), 0))
        shown = f"'{src}'" if src else "without a src"
        found.append(warning(source, f"the iframe {shown} is removed: its host is not in embed_hosts",
                             Position(line), "add the host to embed_hosts in site.yaml if its embeds are safe "
                             "to show, or link to the page instead"))
    return found


def _with_raw_frames(body: Body) -> Body:
    """The body with the hosts of its raw iframes among its embeds, so that the site's CSP lets them load."""
    if "iframe" not in body.html:  # a block's HTML travels escaped: "<" is written \u003c
        return body
    return replace(body, embeds=tuple(sorted({*body.embeds, *raw_frame_keys(body_parts(body.html)[0])})))


_RAW_TAG = re.compile(r"</?[a-zA-Z][^\s/>]*[\s/>]")


def _fault_line(text: str, first_line: int, fault: Unbalanced) -> int:
    """The line of the raw HTML element at fault; else of the first raw tag, when the source does not show it."""
    at = fault_offset(text, fault)
    if at is None:
        match = _RAW_TAG.search(text)
        at = match.start() if match else 0
    return first_line + text.count("\n", 0, at)


def checked_html(shown: str, text: str, body_line: int, body: Body, config: SiteConfig,
                 found: list[Diagnostic]) -> Body:
    """The rendered body's unsafe URLs and unbalanced raw HTML reported, sanitized where the site asks, and its
    raw frames marked."""
    found += _unsafe_url_findings(shown, text, body_line, config)
    if config.untrusted_html == "sanitize":
        found += _refused_frame_warnings(shown, text, body_line, body.html, config)
        body = replace(body, html=clean_blocks(body.html, lambda html: sanitize_html(html, config.embed_hosts)))
    elif _RAW_TAG.search(text):  # only bodies with raw HTML can be unbalanced
        found += [error(shown, f"raw HTML: {fault.problem}", Position(_fault_line(text, body_line, fault)),
                        "close every element you open in raw HTML, or use Markdown instead")
                  for fault in unbalanced_tags(body.html)[:3]]
    return _with_raw_frames(body)
