"""Images: intrinsic sizes of the pictures explainers name, read without decoding the pixels."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"})
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def _svg_size(path: Path) -> tuple[int, int] | None:
    """An SVG's size from width and height in pixels, else from its viewBox."""
    try:
        for _, element in etree.iterparse(path, events=("start",)):
            width = _LENGTH.match(element.get("width", ""))
            height = _LENGTH.match(element.get("height", ""))
            if width and height:
                return round(float(width[1])), round(float(height[1]))
            box = element.get("viewBox", "").replace(",", " ").split()
            if len(box) == 4:
                return round(float(box[2])), round(float(box[3]))
            return None
    except (etree.ParseError, ValueError, OSError):
        return None
    return None


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height as shown (EXIF rotation applied), or None if the file is not a readable image."""
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


ImageIndex = dict[str, tuple[int, int, "tuple[int, int] | None"]]  # rel -> (file size, mtime_ns, dimensions)


def index_images(assets, previous: ImageIndex) -> ImageIndex:
    """Dimensions of every image among the content assets, read again only for files that changed."""
    index: ImageIndex = {}
    for asset in assets:
        if asset.path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        known = previous.get(asset.rel)
        if known and known[:2] == (asset.size, asset.mtime_ns):
            index[asset.rel] = known
        else:
            index[asset.rel] = (asset.size, asset.mtime_ns, image_size(asset.path))
    return index


def image_sizes(index: ImageIndex) -> dict[str, tuple[int, int] | None]:
    """Just the dimensions, by path under content/."""
    return {rel: entry[2] for rel, entry in index.items()}


def resolve_local(document_rel: str, src: str) -> str:
    """The content/-relative path an image reference in a document means ("/x" is from content/)."""
    if src.startswith("/"):
        return posixpath.normpath(src.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(document_rel), unquote(src)))
