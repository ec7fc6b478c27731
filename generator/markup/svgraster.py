"""SVG to pixels, by resvg (a self-contained wheel, no system library): the one rasterizer of charts' feed
pictures and share cards' illustrations and logos."""

from __future__ import annotations

import io
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from functools import lru_cache

import resvg_py
from PIL import Image, ImageFont

_LOADERS = frozenset({"image", "feimage"})  # the elements resvg reads a file for


def _self_contained(svg: bytes | str) -> str:
    """The SVG without references to files: resvg would read any path an <image> names (an absolute one, or
    file:// that cleaning turns into one), so only data: URLs and #fragments are kept; entities are refused."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    if "<!ENTITY" in text:
        raise ValueError("an SVG with entities is not drawn")
    try:
        root = etree.fromstring(text)
    except etree.ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    found = False
    for element in root.iter():
        if element.tag.rpartition("}")[2].lower() not in _LOADERS:
            continue
        for name in [n for n in element.attrib if n.rpartition("}")[2] == "href"]:
            if not element.attrib[name].strip().lower().startswith(("data:", "#")):
                del element.attrib[name]
                found = True
    return etree.tostring(root, encoding="unicode") if found else text


@lru_cache(maxsize=8)
def _family(font_file: str) -> str:
    return ImageFont.truetype(font_file).getname()[0] or ""


def svg_png(svg: bytes | str, size: tuple[int, int] | None = None, *, zoom: float | None = None,
            background: str | None = None, style_sheet: str | None = None, fonts: Sequence[str] = ()) -> bytes:
    """An SVG as PNG bytes, fitted inside `size` (its proportions kept) or at `zoom` times its own size; text in
    the first of `fonts` (files) where it names a family this machine lacks, or a generic one; no file read."""
    family = _family(fonts[0]) if fonts else None
    return bytes(resvg_py.svg_to_bytes(
        svg_string=_self_contained(svg),
        width=size[0] if size else None, height=size[1] if size else None, zoom=zoom, background=background,
        style_sheet=style_sheet, font_files=list(fonts) or None, font_family=family, sans_serif_family=family,
        serif_family=family))


def svg_image(svg: bytes | str, size: tuple[int, int] | None = None, **options) -> Image.Image:
    """An SVG as a Pillow image (RGBA), as svg_png draws it."""
    return Image.open(io.BytesIO(svg_png(svg, size, **options))).convert("RGBA")
