"""Derivatives: one image file's facts read from its header, and its widths, formats and crops made from it,
decoded once, turned upright, stripped of metadata, resized, encoded and written into the image store."""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import struct
import tempfile
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..markup.svgclean import clean_svg
from ..sources.images import (
    LOSSY,
    SUFFIXES,
    UNSAFE_SVG,
    Derivative,
    ImageFacts,
    cleaned_svg,
    derivatives,
    svg_facts,
)
from ..sources.settings import ImageSettings
from ..sources.tree import SourceFile

STORE_FOLDER = "images"
# A derivative (a 24-digit key and its format's suffix), or one a killed build left half-written (see _write).
_STORE_NAME = re.compile(r"\.?[0-9a-f]{24}\.(" + "|".join(SUFFIXES.values()) + r")(\.\d+)?")
# More pixels than this is refused unread: a small file that claims a huge size is a decompression bomb.
BOMB_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
# Below that, images.max_megapixels (50 unless set) refuses what would cost a worker too much memory to decode.
# EXIF fields a site may keep (site.yaml images.keep_metadata); orientation is applied, never kept.
KEPT_EXIF = {"copyright": 0x8298, "artist": 0x013B, "description": 0x010E}
ORIENTATION = 0x0112
_ENCODING = {"JPEG": {"optimize": True, "progressive": True}, "WEBP": {"method": 4}, "PNG": {"optimize": True},
             "AVIF": {}, "TIFF": {"compression": "tiff_deflate"}, "BMP": {}}
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError, ZeroDivisionError,
                  MemoryError, struct.error, zlib.error, Image.DecompressionBombError)


class ImageStore:
    """Derivatives by cache key: files in .nutgraf-cache/images/, or in a temporary folder without a cache."""

    def __init__(self, cache_dir: Path | None):
        self._temp = None if cache_dir else tempfile.TemporaryDirectory(prefix="nutgraf-images-")
        self.folder = cache_dir / STORE_FOLDER if cache_dir else Path(self._temp.name)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, derivative: Derivative) -> Path:
        return store_path(self.folder, derivative)

    def keep_only(self, keep: Iterable[Path]) -> None:
        """Forget derivatives no image needs any more."""
        wanted = {p.name for p in keep}
        for path in self.folder.iterdir():
            if path.name not in wanted and _STORE_NAME.fullmatch(path.name):  # never a file the store did not make
                path.unlink(missing_ok=True)


def store_path(folder: Path, derivative: Derivative) -> Path:
    return folder / f"{derivative.key}.{SUFFIXES[derivative.format]}"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():  # Pillow warns below the size it refuses; we decide by BOMB_PIXELS
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _header_facts(image: Image.Image, digest: str) -> ImageFacts:
    """Format, size as shown, alpha and animation, from the header alone; a decompression bomb is a problem."""
    width, height = image.size
    try:
        orientation = image.getexif().get(ORIENTATION, 1)
    except _DECODE_ERRORS:
        orientation = 1
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    fmt = "JPEG" if image.format == "MPO" else image.format or ""  # MPO: a phone's JPEG with a preview inside
    animated = fmt in ("PNG", "WEBP") and getattr(image, "n_frames", 1) > 1
    facts = ImageFacts(fmt, width, height, digest, _has_alpha(image), animated)
    if fmt not in SUFFIXES and fmt != "GIF":
        return replace(facts, problem=f"nutgraf does not publish {fmt or 'this'} images")
    pixels = width * height
    if pixels > BOMB_PIXELS:
        return replace(facts, problem=f"it claims {width}x{height} pixels ({pixels / 1e6:.0f} megapixels), more "
                                      f"than nutgraf decodes ({BOMB_PIXELS / 1e6:.0f}): a decompression bomb?")
    return facts


def _draft(image: Image.Image, facts: ImageFacts, wanted: Sequence[Derivative]) -> None:
    """Let the JPEG decoder scale down by 2, 4 or 8 where every file wanted is still made from more pixels."""
    if image.format not in ("JPEG", "MPO") or not wanted:
        return
    scale = max(d.width / ((d.box[2] - d.box[0]) if d.box else facts.width) for d in wanted)
    if scale >= 0.5:
        return
    size = (math.ceil(facts.width * scale), math.ceil(facts.height * scale))
    if image.size != (facts.width, facts.height):  # stored on its side: rotated by EXIF orientation
        size = size[::-1]
    image.draft(None, size)


def _upright(image: Image.Image, facts: ImageFacts, settings: ImageSettings) -> tuple[Image.Image, dict]:
    """The decoded image turned as shown, in RGB(A) and sRGB, with no metadata left; and what may be kept."""
    exif = image.getexif()
    kept = Image.Exif()
    for name in settings.keep_metadata:
        if name in KEPT_EXIF and KEPT_EXIF[name] in exif:
            kept[KEPT_EXIF[name]] = exif[KEPT_EXIF[name]]
    icc = image.info.get("icc_profile") or b""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):  # 16-bit greyscale: scale, do not clip
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    mode = "RGBA" if facts.alpha else "RGB"
    extra: dict = {"exif": kept.tobytes()} if len(kept) else {}
    if icc and "color_profile" in settings.keep_metadata:
        extra["icc_profile"] = icc
    elif icc:  # colours converted to sRGB, so dropping the camera's profile changes nothing a reader sees
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode=mode) or image
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile, or one for another colour space: the pixels as they are
    image = image.convert(mode)
    image.info = {}  # nothing Pillow carried over (EXIF, XMP, comments, text chunks) may reach a file
    return image, extra


def _resized(upright: Image.Image, derivative: Derivative, scale: float,
             made: dict[tuple[int, int], Image.Image]) -> Image.Image:
    """A derivative's pixels: a crop resized from the upright image, or a width resized from the smallest
    larger width already made (each step a Lanczos filter, much cheaper than starting from the original)."""
    size = (derivative.width, derivative.height)
    if derivative.box:
        box = tuple(v * scale for v in derivative.box)
        return upright.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    if size not in made:
        larger = [image for image in made.values() if image.width > size[0]]
        start = min(larger, key=lambda image: image.width) if larger else upright
        made[size] = start if start.size == size else start.resize(size, Image.Resampling.LANCZOS,
                                                                     reducing_gap=3.0)
    return made[size]


def _encode(image: Image.Image, fmt: str, settings: ImageSettings, extra: dict) -> bytes:
    """Pixels encoded in `fmt`, with no metadata but what `extra` keeps."""
    if fmt in ("JPEG", "BMP") and image.mode == "RGBA":
        image = image.convert("RGB")
    options = dict(_ENCODING[fmt])
    if fmt in LOSSY:
        options["quality"] = settings.quality
    if fmt != "BMP":
        options.update(extra)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _write(folder: Path, derivative: Derivative, data: bytes) -> None:
    """Into the cache (not the output): a temporary file renamed over the target."""
    target = store_path(folder, derivative)
    temp = target.with_name(f".{target.name}.{os.getpid()}")
    temp.write_bytes(data)
    os.replace(temp, target)


def make_derivatives(data: bytes, facts: ImageFacts, wanted: Sequence[Derivative], settings: ImageSettings,
                     folder: Path) -> str:
    """Decode an image once and write every derivative wanted into `folder`; returns a problem, or ""."""
    try:
        image = _open(data)
        _draft(image, facts, wanted)
        image.load()
        upright, extra = _upright(image, facts, settings)
    except _DECODE_ERRORS as exc:
        return f"the file is truncated or damaged ({exc})"
    scale = upright.width / facts.width
    made: dict[tuple[int, int], Image.Image] = {}
    for derivative in sorted(wanted, key=lambda d: (d.box is not None, -d.width)):
        try:
            data = _encode(_resized(upright, derivative, scale, made), derivative.format, settings, extra)
        except _DECODE_ERRORS as exc:
            return f"cannot make its {derivative.name} {derivative.format} ({exc})"
        try:
            _write(folder, derivative, data)
        except OSError as exc:
            return f"cannot write {store_path(folder, derivative)}: {exc.strerror or exc}"
    return ""


def too_large(facts: ImageFacts, settings: ImageSettings) -> str:
    """Why an image is refused for its size (images.max_megapixels), or ""; images passed through are never
    decoded, and a problem found already stands."""
    pixels = facts.width * facts.height
    if facts.problem or facts.pass_through or pixels <= settings.max_megapixels * 1_000_000:
        return ""
    cost = pixels * 12  # bytes: the decoded pixels, the upright copy in RGB(A) and the largest width made
    shown = f"{cost / 2**30:.1f} GB" if cost >= 2**29 else f"{cost / 2**20:.0f} MB"
    return (f"it has {pixels / 1e6:.1f} megapixels ({facts.width}x{facts.height}), more than images.max_megapixels "
            f"({settings.max_megapixels}); decoding it would take about {shown}")


def _examine_svg(item: SourceFile, data: bytes, digest: str, settings: ImageSettings, folder: Path,
                 untrusted: bool) -> ImageFacts:
    """An SVG's facts; in sanitize mode, facts of its cleaned copy, which goes into the store."""
    if not untrusted:
        return svg_facts(io.BytesIO(data), digest)
    cleaned, problem = clean_svg(data)
    if problem:
        return ImageFacts("SVG", 0, 0, digest, problem=UNSAFE_SVG + problem)
    facts = svg_facts(io.BytesIO(cleaned), digest)
    try:
        _write(folder, cleaned_svg(item.rel, facts, settings), cleaned)
    except OSError as exc:
        return replace(facts, problem=f"cannot write its cleaned copy into {folder}: {exc.strerror or exc}")
    return facts


def examine(item: SourceFile, settings: ImageSettings, folder: Path, known: Mapping[str, ImageFacts],
            untrusted: bool = False) -> tuple[str, ImageFacts, bool]:
    """Facts of one image, and every derivative of it in the store; (rel, facts, whether it was decoded)."""
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        return item.rel, ImageFacts("", 0, 0, "", problem=f"cannot read the file: {exc.strerror}"), False
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if item.path.suffix.lower() == ".svg":
        return item.rel, _examine_svg(item, data, digest, settings, folder, untrusted), False
    facts = known.get(digest)
    if facts is None:
        try:
            facts = _header_facts(_open(data), digest)
        except Image.DecompressionBombError:
            return item.rel, ImageFacts("", 0, 0, digest, problem="it claims more pixels than nutgraf decodes "
                                        f"({BOMB_PIXELS / 1e6:.0f} megapixels): a decompression bomb?"), False
        except UnidentifiedImageError:
            return item.rel, ImageFacts("", 0, 0, digest, problem="it is not an image nutgraf can read (a damaged "
                                        "file, or another kind of file under an image's name)"), False
        except _DECODE_ERRORS as exc:
            return item.rel, ImageFacts("", 0, 0, digest, problem=f"the file is damaged ({exc})"), False
    if refused := too_large(facts, settings):
        return item.rel, replace(facts, problem=refused), False
    wanted = [d for d in derivatives(item.rel, facts, settings) if not store_path(folder, d).is_file()]
    if not wanted:
        return item.rel, facts, False
    unique = list({d.key: d for d in wanted}.values())
    problem = make_derivatives(data, facts, unique, settings, folder)
    return item.rel, replace(facts, problem=problem) if problem else facts, True

