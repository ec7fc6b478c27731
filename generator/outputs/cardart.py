"""Card art: one 1200x630 share card drawn from its words, the theme's look (theme.yaml `share_card:`) and an
illustration, its text shaped by Raqm (Arabic and Hebrew right to left and joined, Turkish i and ı kept)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from ..diagnostics import Diagnostic, error
from ..sources.frontmatter import load_yaml

WIDTH, HEIGHT = 1200, 630
MAX_BYTES = 150_000  # what link previews of every network accept quickly
PAD = 64
ART_WIDTH = 440  # the illustration's panel, on the side the text ends
HEADLINE_SIZES = (68, 60, 52, 46, 40)
KICKER_SIZE, FOOTER_SIZE, LOGO_HEIGHT = 30, 30, 48
DEFAULTS = {"background": "#14213d", "text": "#ffffff", "accent": "#fca311", "panel": "#e5e5e5",
            "font": "fonts/NotoSansCard-Bold.ttf", "font_regular": "fonts/NotoSansCard-Regular.ttf", "logo": ""}
COLOURS = ("background", "text", "accent", "panel")


@dataclass(frozen=True, slots=True)
class CardStyle:
    """How cards look: colours, the two fonts (files) and the logo (a file, or "" for none)."""

    background: str
    text: str
    accent: str
    panel: str
    font: str
    font_regular: str
    logo: str
    digest: str  # of these settings and of the files they name: a card's key changes with any of them


@dataclass(frozen=True, slots=True)
class CardWords:
    """What one card says, and in what language and direction."""

    headline: str
    kicker: str  # above the headline, in the accent colour: a topic, or the explainer of a question
    footer: str  # beside the logo: the site's name
    lang: str
    dir: str  # "ltr" or "rtl"


def _theme_settings(folders: list[Path]) -> tuple[dict[str, tuple[str, Path]], list[Diagnostic]]:
    """Each `share_card:` key of theme.yaml, from the first theme (the site's, then its parents) that sets it."""
    found: dict[str, tuple[str, Path]] = {}
    problems: list[Diagnostic] = []
    for folder in folders:
        manifest = folder / "theme.yaml"
        if not manifest.is_file():
            continue
        doc, bad = load_yaml(manifest.read_text(encoding="utf-8"), str(manifest))
        data = doc.data.get("share_card") if not bad and isinstance(doc.data, dict) else None
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(error(str(manifest), "'share_card' must be a mapping", doc.at("share_card")))
            continue
        for key, value in data.items():
            if key not in DEFAULTS:
                problems.append(error(str(manifest), f"unknown share_card setting {key!r}", doc.at("share_card"),
                                      hint="share_card takes " + ", ".join(DEFAULTS)))
            elif key not in found:
                found[key] = (str(value or ""), folder)
    return found, problems


def load_style(folders: list[Path], site_logo: Path | None) -> tuple[CardStyle, list[Diagnostic]]:
    """The card style of the theme `folders` (the theme first, the built-in default last); the site's own logo
    (publisher.logo, when a file on the site) unless the theme names one."""
    settings, problems = _theme_settings(folders)
    values: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        value, folder = settings.get(key, (default, folders[-1]))
        if key in COLOURS:
            try:
                ImageColor.getrgb(value)
            except ValueError:
                problems.append(error(str(folder / "theme.yaml"), f"share_card {key}: {value!r} is not a colour",
                                      hint="write a CSS colour, such as \"#14213d\""))
                value = DEFAULTS[key]
        elif value:
            path = folder / value
            if not path.is_file():
                problems.append(error(str(folder / "theme.yaml"), f"share_card {key}: no file {value} in the theme",
                                      hint="name a file inside the theme's folder"))
                path = folders[-1] / DEFAULTS[key] if DEFAULTS[key] else None
            value = str(path) if path else ""
        values[key] = value
    if not values["logo"] and site_logo is not None:
        values["logo"] = str(site_logo)
    digest = hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=16)
    for key in ("font", "font_regular", "logo"):
        if values[key]:
            digest.update(Path(values[key]).read_bytes())
    return CardStyle(**values, digest=digest.hexdigest()), problems


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def _shaping(words: CardWords) -> dict:
    """Raqm's direction and language for the card's text (language picks Turkish, Arabic ... forms)."""
    return {"direction": words.dir, "language": words.lang.split("-")[0].lower() or None}


def _fits(text: str, font: ImageFont.FreeTypeFont, width: int, shaping: dict) -> bool:
    return font.getlength(text, **shaping) <= width


def _clipped(text: str, font: ImageFont.FreeTypeFont, width: int, shaping: dict) -> str:
    """The text, cut at a word (else a letter) and ended with an ellipsis, to fit `width`."""
    if _fits(text, font, width, shaping):
        return text
    words = text.split()
    while len(words) > 1 and not _fits(" ".join(words) + "…", font, width, shaping):
        words.pop()
    cut = " ".join(words)
    while cut and not _fits(cut + "…", font, width, shaping):
        cut = cut[:-1]
    return cut.rstrip() + "…"


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, shaping: dict) -> list[str]:
    """The text broken into lines at spaces (a word longer than a line is cut) to fit `width`."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and _fits(joined, font, width, shaping):
            lines[-1] = joined
        elif _fits(word, font, width, shaping):
            lines.append(word)
        else:  # no space to break at (a long name, or a script written without spaces): break between letters
            part = ""
            for char in word:
                if part and not _fits(part + char, font, width, shaping):
                    lines.append(part)
                    part = ""
                part += char
            lines.append(part)
    return lines


def _headline(words: CardWords, style: CardStyle, width: int, height: int, shaping: dict):
    """The largest headline size whose lines fit the space; at the smallest, the lines that fit, the last
    clipped."""
    for size in HEADLINE_SIZES:
        font = _font(style.font, size)
        lines = wrap(words.headline, font, width, shaping)
        if len(lines) * round(size * 1.22) <= height:
            return font, lines, round(size * 1.22)
    room = max(1, height // round(size * 1.22))
    if len(lines) > room:
        lines = lines[:room - 1] + [_clipped(" ".join(lines[room - 1:]), font, width, shaping)]
    return font, lines, round(size * 1.22)


@lru_cache(maxsize=4)  # one logo drawn once per worker, not once per card
def _logo(style: CardStyle, rasterize) -> Image.Image | None:
    """The logo at LOGO_HEIGHT pixels high, or None when the style has none (or it cannot be read)."""
    if not style.logo:
        return None
    image = art_image(Path(style.logo), None, rasterize)
    if image is None:
        return None
    return image.resize((max(1, round(image.width * LOGO_HEIGHT / image.height)), LOGO_HEIGHT),
                        Image.Resampling.LANCZOS)


def art_image(path: Path, size: tuple[int, int] | None, rasterize) -> Image.Image | None:
    """An illustration as RGBA pixels: an SVG drawn by `rasterize(data, size)` (fitted inside `size`), any
    other image decoded; None when it cannot be read."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            return Image.open(io.BytesIO(rasterize(data, size))).convert("RGBA")
        return ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _panel(art: Image.Image, style: CardStyle, photo: bool) -> Image.Image:
    """The illustration's panel: a photo filling it, a drawing fitted inside it with a margin."""
    size = (ART_WIDTH, HEIGHT)
    if photo:
        return ImageOps.fit(art.convert("RGB"), size, Image.Resampling.LANCZOS)
    panel = Image.new("RGB", size, style.panel)
    inner = ImageOps.contain(art, (ART_WIDTH - PAD, HEIGHT - 2 * PAD), Image.Resampling.LANCZOS)
    panel.paste(inner, ((ART_WIDTH - inner.width) // 2, (HEIGHT - inner.height) // 2), inner)
    return panel


def draw_card(words: CardWords, style: CardStyle, art: Image.Image | None, photo_art: bool, rasterize) -> Image.Image:
    """The card: kicker, headline and the logo with the site's name, beside the illustration if any; mirrored
    for right-to-left languages."""
    card = Image.new("RGB", (WIDTH, HEIGHT), style.background)
    rtl = words.dir == "rtl"
    text_width = WIDTH - 2 * PAD - (ART_WIDTH if art is not None else 0)
    left = PAD + (ART_WIDTH if art is not None and rtl else 0)
    if art is not None:
        card.paste(_panel(art, style, photo_art), (0 if rtl else WIDTH - ART_WIDTH, 0))
    draw = ImageDraw.Draw(card)
    shaping = _shaping(words)
    x, anchor = (left + text_width, "r") if rtl else (left, "l")
    top = PAD
    if words.kicker:
        font = _font(style.font_regular, KICKER_SIZE)
        draw.text((x, top), _clipped(words.kicker, font, text_width, shaping), font=font, fill=style.accent,
                  anchor=anchor + "a", **shaping)
        top += round(KICKER_SIZE * 1.8)
    footer_top = HEIGHT - PAD - LOGO_HEIGHT
    font, lines, step = _headline(words, style, text_width, footer_top - 24 - top, shaping)
    for n, line in enumerate(lines):
        draw.text((x, top + n * step), line, font=font, fill=style.text, anchor=anchor + "a", **shaping)
    draw.rectangle((left if not rtl else left + text_width - 96, footer_top - 20,
                    left + 96 if not rtl else left + text_width, footer_top - 14), fill=style.accent)
    logo = _logo(style, rasterize)
    at = x
    if logo is not None:
        card.paste(logo, (at - logo.width if rtl else at, footer_top), logo)
        at += -(logo.width + 16) if rtl else logo.width + 16
    font = _font(style.font_regular, FOOTER_SIZE)
    room = text_width - (logo.width + 16 if logo is not None else 0)
    draw.text((at, footer_top + LOGO_HEIGHT // 2), _clipped(words.footer, font, room, shaping), font=font,
              fill=style.text, anchor=anchor + "m", **shaping)
    return card


def encode(card: Image.Image) -> bytes:
    """JPEG, with full colour resolution (text stays sharp) where it fits, under MAX_BYTES."""
    for quality in (90, 82, 74, 66, 58, 50, 35, 20, 10):  # the last ones only for photos of noise
        out = io.BytesIO()
        card.save(out, "JPEG", quality=quality, subsampling=0 if quality >= 74 else 2)
        if out.tell() < MAX_BYTES:
            break
    return out.getvalue()
