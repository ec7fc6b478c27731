"""Sanitize: explainer bodies from untrusted hands cleaned with nh3 (Ammonia) to the markup explainers need."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

import nh3

# What explainers are made of beyond nh3's defaults: sections, figures, embeds, tables, disclosures.
TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "section", "figure", "figcaption", "aside", "details", "summary", "time", "picture", "source", "iframe",
    "mark", "small", "sup", "sub", "caption", "colgroup", "col", "div", "span", "hr", "cite", "q", "abbr",
    "nutgraf-card"}  # where a card's answer goes (markup/cards.py), filled in when the page is rendered
GENERIC_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "role", "aria-label", "aria-labelledby",
                      "aria-describedby", "aria-hidden", "tabindex"}
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"},
    "source": {"srcset", "type", "sizes", "media"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "time": {"datetime"},
    "section": {"data-card", "data-pagefind-ignore"},
    "nutgraf-card": {"data-card"},  # a question that shows a card: searched at the card's page
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
UNSAFE_SCHEMES = ("javascript", "data", "vbscript")
# Where a URL starts in a body: an inline link or image, a reference definition (not a footnote's), or an
# attribute of a raw HTML tag. The URL itself is read from there on, as a browser would read it.
_INLINE_URL = re.compile(r"\]\(\s*<?")
_REFERENCE_URL = re.compile(r"^[ \t>]*\[(?!\^)[^\]\n]+\][ \t]*:[ \t]*\n?[ \t]*<?", re.MULTILINE)
_TAG = re.compile(r"<[a-zA-Z][^<>]*")
_ATTRIBUTE_URL = re.compile(r"\b(?:href|src|srcset|action|formaction|poster|cite|data|background)\s*=\s*[\"']?",
                            re.IGNORECASE)
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
# A browser drops tabs and line breaks anywhere in a URL, and control characters and spaces before it.
_URL_DROPPED = re.compile("[\t\n\r]")
_URL_LEADING = "".join(map(chr, range(33)))
# What can spell a scheme, however padded (entities with leading zeros, tabs, controls), up to its colon.
_SCHEME_SPELLING = re.compile(r"[A-Za-z0-9+.\-&#;\x00-\x20]*:?")


# An iframe as nh3 writes it: attributes always in double quotes, a quote inside one written &quot;.
_CLEAN_FRAME = re.compile(r'<iframe((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*>.*?</iframe>', re.DOTALL)


def allowed_frame(src: str, hosts: frozenset[str]) -> bool:
    """Whether an iframe may show `src`: an https page of a host on the embed_hosts list."""
    host = _https_host(src)
    return bool(host) and host in hosts


def sanitize_html(html: str, embed_hosts: Iterable[str]) -> str:
    """Remove scripts, event handlers, unsafe URLs and iframes from hosts not on the allow-list."""
    hosts = frozenset(embed_hosts)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            return value if allowed_frame(value, hosts) else None
        return value

    clean = nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                      url_schemes=set(SCHEMES), attribute_filter=keep, link_rel=None, strip_comments=True)
    if "<iframe" not in clean:
        return clean
    # An iframe whose source was refused goes whole: an empty frame would still take its place on the page.
    return _CLEAN_FRAME.sub(lambda frame: frame[0] if ' src="' in frame[1] else "", clean)


class _Frames(HTMLParser):
    """Collects the src of every iframe in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "iframe":
            self.sources.append(dict(attrs).get("src") or "")


def refused_frames(html: str, embed_hosts: Iterable[str]) -> list[str]:
    """The src of each iframe in `html` that sanitizing removes ("" for one without a src)."""
    if "<iframe" not in html.lower():
        return []
    frames = _Frames()
    frames.feed(html)
    frames.close()
    hosts = frozenset(embed_hosts)
    return [src for src in frames.sources if not allowed_frame(src, hosts)]


def frame_hosts_in(html: str) -> list[str]:
    """The host of each https iframe in `html`: the site's CSP must let them load."""
    if "<iframe" not in html.lower():
        return []
    frames = _Frames()
    frames.feed(html)
    frames.close()
    return [host for host in map(_https_host, frames.sources) if host]


def _https_host(src: str) -> str:
    """The host of an https address, else ""."""
    try:
        parts = urlsplit(src.strip())
        return (parts.hostname or "") if parts.scheme == "https" else ""
    except ValueError:  # not an address a browser would load
        return ""


def url_scheme(written: str) -> str:
    """The scheme a browser sees in a URL as written in HTML (entities, tabs, leading controls and all)."""
    url = _URL_DROPPED.sub("", htmllib.unescape(written)).lstrip(_URL_LEADING)
    scheme = _URL_SCHEME.match(url.lower())
    return scheme[1] if scheme else ""


def _url_starts(text: str) -> list[int]:
    """Where each URL in a body starts, in order. Each kind is looked for only in a body with its mark (most
    bodies have no reference definitions, many no raw HTML): one expression for all took three times as long."""
    starts = [match.end() for match in _INLINE_URL.finditer(text)] if "](" in text else []
    colon = text.find("]:")
    while colon >= 0:  # a definition's line holds "]:"; only those lines are tried
        definition = _REFERENCE_URL.match(text, text.rfind("\n", 0, colon) + 1)
        if definition and definition.end() > colon and definition.end() not in starts:
            starts.append(definition.end())
        colon = text.find("]:", colon + 2)
    if "<" in text:
        starts += [tag.start() + match.end() for tag in _TAG.finditer(text)
                   for match in _ATTRIBUTE_URL.finditer(tag[0])]
    return sorted(starts)


def unsafe_urls(markdown_text: str) -> list[tuple[int, str]]:
    """The `javascript:`, `data:` and `vbscript:` links and sources in a body, however they are spelt (entities,
    tabs, capitals, reference definitions, raw HTML), as (line offset of the URL, scheme)."""
    found: list[tuple[int, str]] = []
    for start in _url_starts(markdown_text):
        scheme = url_scheme(_SCHEME_SPELLING.match(markdown_text, start)[0])
        if scheme in UNSAFE_SCHEMES:
            found.append((markdown_text.count("\n", 0, start), scheme))
    return found


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# Elements whose end tag HTML lets an author leave out: a missing one does not break the page.
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "colgroup",
                          "caption", "rt", "rp", "optgroup"})


# Block elements whose start tag ends an open <p> (the HTML standard's list).
CLOSES_PARAGRAPH = frozenset({"address", "article", "aside", "blockquote", "details", "dialog", "div", "dl",
                              "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
                              "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section",
                              "table", "ul"})


class Unbalanced(NamedTuple):
    """A problem of raw HTML, with the element at fault: `stray` for an end tag that has no start."""

    problem: str
    tag: str
    stray: bool = False


class _Balance(HTMLParser):
    """Tracks open elements; records end tags without a start and starts never ended."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[Unbalanced] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in CLOSES_PARAGRAPH and "p" in self.open:
            # A browser ends the paragraph here, and the paragraph's own </p> is then left over.
            self.problems.append(Unbalanced(f"<{tag}> cannot stand inside a paragraph; put it on a line of its own",
                                            tag))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        pass

    def handle_endtag(self, tag) -> None:
        if tag in VOID:
            return
        if tag not in self.open:
            self.problems.append(Unbalanced(f"</{tag}> closes an element that is not open", tag, stray=True))
            return
        while self.open:
            current = self.open.pop()
            if current == tag:
                return
            if current not in OPTIONAL_END:
                self.problems.append(Unbalanced(f"<{current}> is not closed before </{tag}>", current))


def unbalanced_tags(html: str) -> list[Unbalanced]:
    """What raw HTML in a body leaves open or closes twice: either would break the page around it."""
    checker = _Balance()
    checker.feed(html)
    checker.close()
    checker.problems += [Unbalanced(f"<{tag}> is never closed", tag) for tag in checker.open if tag not in OPTIONAL_END]
    return checker.problems


def fault_offset(source: str, fault: Unbalanced) -> int | None:
    """Where in the Markdown source the element at fault is written: the start tag left without its end (the
    last such), or the end tag without a start (the first such); None when the source does not show it."""
    tags = re.compile(rf"<(/?){re.escape(fault.tag)}(?=[\s/>])", re.IGNORECASE)
    starts: list[int] = []
    for match in tags.finditer(source):
        if not match.group(1):
            starts.append(match.start())
        elif starts:
            starts.pop()
        elif fault.stray:
            return match.start()
    return None if fault.stray or not starts else starts[-1]
