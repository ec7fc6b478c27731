"""Sanitize: explainer bodies from untrusted hands cleaned with nh3 (Ammonia) to the markup explainers need."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import nh3

# What explainers are made of beyond nh3's defaults: sections, figures, embeds, tables, disclosures.
TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "section", "figure", "figcaption", "aside", "details", "summary", "time", "picture", "source", "iframe",
    "mark", "small", "sup", "sub", "caption", "colgroup", "col", "div", "span", "hr", "cite", "q", "abbr"}
GENERIC_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "role", "aria-label", "aria-labelledby",
                      "aria-describedby", "aria-hidden", "tabindex"}
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"},
    "source": {"srcset", "type", "sizes", "media"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTE = re.compile(r"""\b(?:href|src|srcset|action|formaction|poster)\s*=\s*(["']?)\s*([a-zA-Z][\w+.-]*):""")
UNSAFE_SCHEMES = ("javascript", "data", "vbscript")


def sanitize_html(html: str, embed_hosts: Iterable[str]) -> str:
    """Remove scripts, event handlers, unsafe URLs and iframes from hosts not on the allow-list."""
    hosts = frozenset(embed_hosts)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            return value if parts.scheme == "https" and parts.hostname in hosts else None
        return value

    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(SCHEMES), attribute_filter=keep, link_rel=None, strip_comments=True)


def unsafe_urls(markdown_text: str) -> list[tuple[int, str]]:
    """The `javascript:`, `data:` and `vbscript:` links and sources in a body, as (line offset, scheme)."""
    found = []
    for match in re.finditer(r"\]\(\s*<?([a-zA-Z][\w+.-]*):|" + _URL_ATTRIBUTE.pattern, markdown_text):
        scheme = (match.group(1) or match.group(3) or "").lower()
        if scheme in UNSAFE_SCHEMES:
            found.append((markdown_text.count("\n", 0, match.start()), scheme))
    return found
