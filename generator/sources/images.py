"""Images: what each picture is, the files made from it (widths, formats, crops) and how pages show it."""

from __future__ import annotations

import hashlib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from ..frozen import pickles_by_slots
from .settings import ImageSettings

# Files looked at as images; of those, Pillow decodes the raster ones, SVG is read as XML.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".tif", ".tiff", ".bmp"})
PASS_THROUGH = frozenset({"SVG", "GIF"})  # published as they are, never decoded
WEB_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})  # browsers show these; others get a JPEG or PNG fallback
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif",
               "TIFF": "image/tiff", "BMP": "image/bmp", "GIF": "image/gif", "SVG": "image/svg+xml"}
LOSSY = frozenset({"JPEG", "WEBP", "AVIF"})  # formats whose bytes depend on images.quality
SUFFIXES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "TIFF": "tif", "BMP": "bmp", "SVG": "svg"}
# Crops of a hero for link previews (Open Graph, Twitter) and for structured data (16:9, 4:3, 1:1).
CROPS = (("social", 1200, 630), ("16x9", 1200, 675), ("4x3", 1200, 900), ("1x1", 1200, 1200))
# Bump when the way derivatives are made changes, so that cached files are made again.
RECIPE = "1"
# How the problem of an SVG refused in sanitize mode begins: it is an error, not only a file left out.
UNSAFE_SVG = "it cannot be made safe to publish: "
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What examining an image file found: format, size as shown (EXIF rotation applied), content digest."""

    format: str  # Pillow's name ("JPEG", "PNG", "WEBP", ...), "GIF" or "SVG"
    width: int
    height: int
    digest: str  # of the file's bytes
    alpha: bool = False
    animated: bool = False  # animated PNG and WebP pass through like GIF
    problem: str = ""  # why it cannot be published; "" when it can

    @property
    def pass_through(self) -> bool:
        return self.format in PASS_THROUGH or self.animated


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Derivative:
    """One file made from an image: where it is published, and the recipe its cache key stands for."""

    source: str  # the image under content/, e.g. "images/photo.jpg"
    rel: str  # the published file, e.g. "images/photo-800.1a2b3c4d5e.webp"
    key: str  # digest of the source's bytes and of everything that shapes these bytes
    format: str
    width: int
    height: int
    box: tuple[int, int, int, int] | None = None  # crop region in the source's pixels as shown
    name: str = ""  # "800w", or the crop's name ("social", "16x9", "4x3", "1x1")

    @property
    def src(self) -> str:
        """The site path, e.g. "/images/photo-800.1a2b3c4d5e.webp"."""
        return "/" + self.rel


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Source:
    """The widths of one format of a picture, for a `<source>` (or the `<img>`'s own srcset)."""

    type: str  # media type, e.g. "image/webp"
    renditions: tuple[Derivative, ...]  # narrowest first


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Picture:
    """An image as pages show it: the `<img>` file and size, and the widths of each format."""

    source: str  # the image under content/
    src: str  # site path of the `<img>` file; "" when the image has a problem
    width: int
    height: int
    sources: tuple[Source, ...] = ()  # best format first; the last is the `<img>`'s own (its srcset)
    facts: ImageFacts | None = None
    settings: ImageSettings = ImageSettings()  # what it was planned with; its crops follow them too

    @property
    def problem(self) -> str:
        return self.facts.problem if self.facts else "it is not an image"


@dataclass(frozen=True, slots=True)
class LocalImage:
    """A body image resolved against the site: hrefs ready for HTML, intrinsic size, responsive sources."""

    src: str
    width: int
    height: int
    srcset: str = ""  # of the `<img>`'s own format: "href 480w, href 800w"
    sources: tuple[tuple[str, str], ...] = ()  # (media type, srcset) of better formats, for `<source>`
    sizes: str = ""


def _svg_size(source: Path | IO[bytes]) -> tuple[int, int] | None:
    """An SVG's size from width and height in pixels, else from its viewBox."""
    try:
        for _, element in etree.iterparse(source, events=("start",)):
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


def svg_facts(source: Path | IO[bytes], digest: str) -> ImageFacts:
    """An SVG's size, or the problem that it has none."""
    size = _svg_size(source)
    if size is None or min(size) <= 0:
        return ImageFacts("SVG", 0, 0, digest, problem="the SVG has no width and height or viewBox, or is not XML")
    return ImageFacts("SVG", *size, digest)


def is_unsafe_svg(facts: ImageFacts) -> bool:
    """Whether sanitize mode refused this SVG: it could not be cleaned of scripts and outside references."""
    return facts.format == "SVG" and facts.problem.startswith(UNSAFE_SVG)


def resolve_local(document_rel: str, src: str) -> str:
    """The content/-relative path an image reference in a document means ("/x" is from content/)."""
    if src.startswith("/"):
        return posixpath.normpath(src.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(document_rel), unquote(src)))


def fallback_format(facts: ImageFacts) -> str:
    """The format every browser shows: the source's own if it is JPEG or PNG, else PNG for alpha, else JPEG."""
    if facts.format in ("JPEG", "PNG"):
        return facts.format
    return "PNG" if facts.alpha else "JPEG"


def _key(facts: ImageFacts, settings: ImageSettings, fmt: str, *recipe: object) -> str:
    """The cache key of a derivative: the source's bytes and every setting that shapes the derivative's bytes."""
    quality = settings.quality if fmt in LOSSY else None
    shaping = (RECIPE, facts.digest, fmt, quality, settings.keep_metadata, *recipe)
    return hashlib.blake2b(repr(shaping).encode(), digest_size=12).hexdigest()


def _derivative(source: str, facts: ImageFacts, settings: ImageSettings, fmt: str, width: int, height: int,
                name: str, box: tuple[int, int, int, int] | None = None) -> Derivative:
    key = _key(facts, settings, fmt, width, height, box)
    stem, _ = posixpath.splitext(source)
    return Derivative(source, f"{stem}-{name}.{key[:10]}.{SUFFIXES[fmt]}", key, fmt, width, height, box, name)


def widths(facts: ImageFacts, settings: ImageSettings) -> tuple[int, ...]:
    """The widths made of an image: the settings' below its own width, and its own width if that is smaller."""
    below = [w for w in settings.widths if w < facts.width]
    if facts.width <= max(settings.widths):
        below.append(facts.width)
    return tuple(below)


def renditions(source: str, facts: ImageFacts, settings: ImageSettings) -> tuple[Source, ...]:
    """Every width in WebP and in the fallback format (WebP alone for a WebP image), best format first."""
    formats = ["WEBP"] + ([fallback_format(facts)] if facts.format != "WEBP" else [])
    made = []
    for fmt in formats:
        sized = tuple(_derivative(source, facts, settings, fmt, w, max(1, round(w * facts.height / facts.width)),
                                  f"{w}w") for w in widths(facts, settings))
        made.append(Source(MEDIA_TYPES[fmt], sized))
    return tuple(made)


def original(source: str, facts: ImageFacts, settings: ImageSettings) -> Derivative:
    """What is published at the image's own path: its largest width in its own format, metadata stripped."""
    width = widths(facts, settings)[-1]
    height = max(1, round(width * facts.height / facts.width))
    key = _key(facts, settings, facts.format, width, height, None)
    return Derivative(source, source, key, facts.format, width, height, None, "original")


def cleaned_svg(source: str, facts: ImageFacts, settings: ImageSettings) -> Derivative:
    """An SVG as sanitize mode publishes it at its own path: cleaned of scripts and outside references."""
    key = _key(facts, settings, "SVG", "cleaned")
    return Derivative(source, source, key, "SVG", facts.width, facts.height, None, "cleaned")


def derivatives(source: str, facts: ImageFacts, settings: ImageSettings) -> tuple[Derivative, ...]:
    """Every file made from a raster image, crops aside: its renditions and the copy at its own path."""
    if facts.problem or facts.pass_through:
        return ()
    return (*(d for s in renditions(source, facts, settings) for d in s.renditions),
            original(source, facts, settings))


def stored_files(source: str, facts: ImageFacts, settings: ImageSettings, untrusted: bool) -> tuple[Derivative, ...]:
    """The files of an image kept in the store: a photo's widths and formats, or an SVG's cleaned copy."""
    if untrusted and facts.format == "SVG":
        return () if is_unsafe_svg(facts) else (cleaned_svg(source, facts, settings),)
    return derivatives(source, facts, settings)


def picture(source: str, facts: ImageFacts | None, settings: ImageSettings) -> Picture:
    """How pages show an image: the largest fallback width as `<img>`, the formats' widths as sources."""
    if facts is None or facts.problem:
        return Picture(source, "", 0, 0, (), facts, settings)
    if facts.pass_through:
        return Picture(source, "/" + source, facts.width, facts.height, (), facts, settings)
    sources = renditions(source, facts, settings)
    largest = sources[-1].renditions[-1]
    return Picture(source, largest.src, largest.width, largest.height, sources, facts, settings)


def crop_box(facts: ImageFacts, ratio: float, focus: tuple[float, float] | None) -> tuple[int, int, int, int]:
    """The largest region of `ratio` (width/height) in the image, centred on the focus as far as the edges allow."""
    if facts.width / facts.height > ratio:
        width, height = max(1, round(facts.height * ratio)), facts.height
    else:
        width, height = facts.width, max(1, round(facts.width / ratio))
    fx, fy = focus if focus is not None else (0.5, 0.5)
    left = min(max(round(fx * facts.width - width / 2), 0), facts.width - width)
    top = min(max(round(fy * facts.height - height / 2), 0), facts.height - height)
    return left, top, left + width, top + height


def crops(pic: Picture, focus: tuple[float, float] | None) -> tuple[Derivative, ...]:
    """The social (1200x630) and structured-data (16:9, 4:3, 1:1) crops of a raster image, never upscaled."""
    facts, settings = pic.facts, pic.settings
    if facts is None or facts.problem or facts.pass_through:
        return ()
    made = []
    for name, width, height in CROPS:
        box = crop_box(facts, width / height, focus)
        out_width = min(width, box[2] - box[0])
        out_height = max(1, round(out_width * height / width))
        made.append(_derivative(pic.source, facts, settings, fallback_format(facts), out_width, out_height,
                                name, box))
    return tuple(made)


def srcset(renditions: tuple[Derivative, ...], href: Callable[[str], str]) -> str:
    """A srcset attribute: each file's href and width."""
    return ", ".join(f"{href(r.src)} {r.width}w" for r in renditions)


def local_image(pic: Picture, href: Callable[[str], str]) -> LocalImage:
    """A picture with hrefs (site paths through `href`), ready for a Markdown body."""
    if not pic.sources:
        return LocalImage(href(pic.src), pic.width, pic.height)
    return LocalImage(href(pic.src), pic.width, pic.height, srcset(pic.sources[-1].renditions, href),
                      tuple((s.type, srcset(s.renditions, href)) for s in pic.sources[:-1]), pic.settings.sizes)


def apply_picture(img: etree.Element, image: LocalImage, *, eager: bool = False) -> etree.Element:
    """Point an `<img>` at a resolved image; returns what goes in its place: a `<picture>` around it, or itself.

    Width and height come along unless the author set either; lazy loading unless `eager`
    (for the likely largest paint, which gets fetchpriority="high" instead).
    """
    img.set("src", image.src)
    if not img.get("width") and not img.get("height"):
        img.set("width", str(image.width))
        img.set("height", str(image.height))
    if eager:
        img.set("fetchpriority", "high")
    else:
        img.set("loading", img.get("loading", "lazy"))
        img.set("decoding", "async")
    if image.srcset:
        img.set("srcset", image.srcset)
        img.set("sizes", image.sizes or "100vw")
    if not image.sources:
        return img
    wrapper = etree.Element("picture")
    for media_type, candidates in image.sources:
        etree.SubElement(wrapper, "source", {"type": media_type, "srcset": candidates,
                                             "sizes": image.sizes or "100vw"})
    wrapper.tail, img.tail = img.tail, None
    wrapper.append(img)
    return wrapper


def picture_element(image: LocalImage, alt: str, *, eager: bool = False,
                    attributes: Mapping[str, str] | None = None) -> etree.Element:
    """A new `<picture>` (or plain `<img>` for SVG and GIF) for a resolved image, e.g. in a figure block."""
    img = etree.Element("img", {**(attributes or {}), "alt": alt})
    return apply_picture(img, image, eager=eager)
