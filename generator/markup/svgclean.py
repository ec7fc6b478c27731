"""SVG cleaning: SVG files from untrusted hands rid of scripts and outside references by svg-hush, then checked."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as etree

from py_svg_hush import filter_svg

from .sanitize import url_scheme

# Raster images an SVG may carry inside itself as data: URLs: they cannot run code or fetch anything.
KEPT_DATA_TYPES = {"image": ["png", "jpeg", "gif", "webp"]}
_KEPT_DATA = tuple(f"data:{kind}/{sub}" for kind, subs in KEPT_DATA_TYPES.items() for sub in subs)
# Elements that run code, show another document or fetch a style sheet. svg-hush removes them; the check
# after it makes sure, so that a file it let through by mistake is refused rather than published.
ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "link",
                             "meta", "base"})
REFERENCE_ATTRIBUTES = frozenset({"href", "src"})
# Drawings nest a few dozen levels. svg-hush indents each level of what it writes, so a file nested
# thousands deep would come out quadratically larger (40 kB nested 5,000 deep: 50 MB).
MAX_DEPTH = 256
_CSS_REFERENCE = re.compile(r"""@import|url\(\s*['"]?\s*([^'")\s]*)""", re.IGNORECASE)


def clean_svg(data: bytes) -> tuple[bytes, str]:
    """An SVG without scripts, event handlers, foreign content or outside references; or b"" and why not."""
    if _too_deep(data):
        return b"", f"its elements are nested more than {MAX_DEPTH} deep"
    try:
        cleaned = filter_svg(data, keep_data_url_mime_types=KEPT_DATA_TYPES)
    except ValueError as exc:  # what svg-hush raises for a file it cannot parse (or that bombs with entities)
        return b"", (f"it cannot be cleaned ({exc}): it must be well-formed UTF-8 XML in the SVG namespace, "
                     "without entities")
    left = svg_residue(cleaned)
    return (b"", f"cleaning left {left}") if left else (cleaned, "")


def _too_deep(data: bytes) -> bool:
    """Whether an SVG nests elements more than MAX_DEPTH deep (a file that is not XML is left to svg-hush)."""
    depth = 0
    try:
        for event, _ in etree.iterparse(io.BytesIO(data), events=("start", "end")):
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                return True
    except etree.ParseError:
        pass
    return False


def _local(name: str) -> str:
    return name.rpartition("}")[2].lower()


def _reference_problem(value: str, *, outside: bool) -> str:
    """What a URL can do that a published image must not: run code, or (when `outside` counts) fetch elsewhere."""
    scheme = url_scheme(value)
    if scheme in ("javascript", "vbscript"):
        return f"a {scheme}: URL"
    if scheme == "data" and not value.strip().lower().startswith(_KEPT_DATA):
        return "a data: URL that is not a raster image"
    if outside and scheme not in ("", "data") or outside and value.strip().startswith(("//", "\\\\")):
        return "a reference to another site"
    return ""


def _css_problem(css: str) -> str:
    for match in _CSS_REFERENCE.finditer(css):
        if match[0].startswith("@"):
            return "a CSS @import"
        if found := _reference_problem(match[1], outside=True):
            return f"{found} in CSS"
    return ""


def _element_problem(element: etree.Element) -> str:
    tag = _local(element.tag)
    if tag in ACTIVE_ELEMENTS:
        return f"a <{tag}> element"
    for qualified, value in element.attrib.items():
        name = _local(qualified)
        found = ("an event handler" if name.startswith("on")
                 else _css_problem(value) if name == "style"
                 else _reference_problem(value, outside=name in REFERENCE_ATTRIBUTES))
        if found:
            return f"{found} in <{tag} {name}>"
    return _css_problem(element.text or "") if tag == "style" else ""


def svg_residue(svg: bytes) -> str:
    """What in an SVG could still run code or fetch from another site; "" when nothing can."""
    try:
        for _, element in etree.iterparse(io.BytesIO(svg), events=("end",)):
            if found := _element_problem(element):
                return found
    except etree.ParseError as exc:
        return f"a file that is not XML ({exc})"
    return ""
