"""Pictures for the benchmark corpus: small PNG and SVG files made without Pillow, byte-identical per seed;
optionally 4000x3000 camera JPEGs as heroes (those need Pillow)."""

from __future__ import annotations

import io
import random
import struct
import zlib
from dataclasses import dataclass

PNG_SIZE = (320, 180)
SVG_SIZE = (640, 360)


@dataclass(frozen=True, slots=True)
class Picture:
    """One image file of the corpus: its name in images/, its bytes and what it shows."""

    name: str
    data: bytes
    alt: str


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, payload, CRC."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def make_png(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> bytes:
    """An RGB PNG with a vertical gradient from `top` to `bottom`."""
    rows = []
    for y in range(height):
        mix = y / max(1, height - 1)
        pixel = bytes(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _png_chunk(b"IEND", b""))


def make_svg(width: int, height: int, colours: list[str], title: str) -> bytes:
    """An SVG of coloured bars with a title, sized in pixels."""
    step = width // len(colours)
    bars = "".join(f'<rect x="{i * step}" y="{height // 4 + (i % 3) * 20}" width="{step - 8}" '
                   f'height="{height // 2}" fill="{c}"/>' for i, c in enumerate(colours))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{title}</title>'
            f'<rect width="{width}" height="{height}" fill="#f4f1ea"/>{bars}</svg>\n').encode()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(30, 230), rng.randrange(30, 230), rng.randrange(30, 230)


def make_pictures(seed: int, count: int = 20) -> tuple[Picture, ...]:
    """`count` pictures, half PNG gradients and half SVG bar charts."""
    rng = random.Random(f"pictures-{seed}")
    pictures = []
    for i in range(count):
        if i % 2 == 0:
            data = make_png(*PNG_SIZE, _colour(rng), _colour(rng))
            pictures.append(Picture(f"photo-{i:02d}.png", data, f"A blurred photograph, number {i}, in soft colours"))
        else:
            colours = ["#{:02x}{:02x}{:02x}".format(*_colour(rng)) for _ in range(rng.randrange(3, 7))]
            data = make_svg(*SVG_SIZE, colours, f"Chart {i}")
            pictures.append(Picture(f"chart-{i:02d}.svg", data, f"A bar chart with {len(colours)} coloured bars"))
    return tuple(pictures)


def make_logo() -> Picture:
    """The publisher's logo."""
    return Picture("logo.svg", make_svg(120, 40, ["#1a1a1a", "#c0392b"], "Logo"), "Logo")


PHOTO_SIZE = (4000, 3000)  # a 12-megapixel camera frame
PHOTO_BASES = 6  # distinct photographs; every explainer gets its own file made from one of them


def make_photo_bases(seed: int, count: int = PHOTO_BASES) -> tuple[bytes, ...]:
    """`count` 4000x3000 JPEGs with a photo's detail and camera metadata (GPS, serial, owner), made with Pillow.

    Pillow is needed only for this (the `--photo-heroes` corpus): run the benchmark with nutgraf's
    .venv/bin/python, which has it.
    """
    try:
        from PIL import Image, ImageFilter
    except ImportError as exc:  # the rest of the benchmark needs only the standard library
        raise SystemExit("--photo-heroes needs Pillow: run the benchmark with .venv/bin/python") from exc
    rng = random.Random(f"photos-{seed}")
    bases = []
    for _ in range(count):
        small = Image.frombytes("RGB", (40, 30), bytes(rng.randrange(256) for _ in range(40 * 30 * 3)))
        photo = small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
        grain = Image.effect_noise(PHOTO_SIZE, 24).convert("RGB")
        photo = Image.blend(photo, grain, 0.12)
        exif = Image.Exif()
        exif[0x013B], exif[0x8298] = "Staff Photographer", "(c) Benchmark Newsroom"
        exif.get_ifd(0x8769)[0xA431] = f"SERIAL-{rng.randrange(10**6):06d}"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 12.5), "W", (0.0, 7.0, 39.0)
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=88, exif=exif.tobytes())
        bases.append(out.getvalue())
    return tuple(bases)


def unique_photo(bases: tuple[bytes, ...], index: int) -> bytes:
    """Photo number `index`: a base with a JPEG comment naming it, so that every file has its own bytes (and
    digest, so no cache can share work between explainers) while decoding costs the same."""
    base = bases[index % len(bases)]
    comment = f"bench hero {index}".encode()
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + base[2:]
