"""Card art: one 1200x630 share card drawn from its words, the theme's look (theme.yaml `share_card:`) and an
illustration, its text shaped by Raqm (Arabic and Hebrew right to left and joined, Turkish i and ı kept)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from ..diagnostics import Diagnostic, error
from ..markup.svgraster import svg_image
from ..sources.frontmatter import load_yaml
from .cardjpeg import BLOCK_ROW, PIECE, jpeg

WIDTH, HEIGHT = 1200, 630
MAX_BYTES = 150_000  # what link previews of every network accept quickly
PAD = 64
ART_WIDTH = 440  # the illustration's panel, on the side the text ends
QUALITIES = (85, 78, 70, 60, 50, 35, 20, 10)  # the first whose JPEG is under MAX_BYTES
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


@lru_cache(maxsize=8192)  # headlines share most of their words: each measured once per size and worker
def _word_width(font: ImageFont.FreeTypeFont, word: str, direction: str, language: str | None) -> float:
    return font.getlength(word, direction=direction, language=language)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, shaping: dict) -> list[str]:
    """The text broken into lines at spaces (a word longer than a line is cut) to fit `width`; a line is as wide
    as its words and spaces (no letter joins or kerns across a space)."""
    lines: list[str] = []
    used = 0.0  # the last line's width
    space = _word_width(font, " ", shaping["direction"], shaping["language"])
    for word in text.split():
        size = _word_width(font, word, shaping["direction"], shaping["language"])
        if lines and used + space + size <= width:
            lines[-1] += " " + word
            used += space + size
        elif size <= width:
            lines.append(word)
            used = size
        else:  # no space to break at (a long name, or a script written without spaces): break between letters
            part = ""
            for char in word:
                if part and not _fits(part + char, font, width, shaping):
                    lines.append(part)
                    part = ""
                part += char
            lines.append(part)
            used = font.getlength(part, **shaping)
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
def _logo(style: CardStyle) -> Image.Image | None:
    """The logo at LOGO_HEIGHT pixels high, or None when the style has none (or it cannot be read)."""
    if not style.logo:
        return None
    image = art_image(Path(style.logo), (WIDTH, LOGO_HEIGHT), style)  # an SVG drawn at the height it is shown
    if image is None or image.height == LOGO_HEIGHT:
        return image
    return image.resize((max(1, round(image.width * LOGO_HEIGHT / image.height)), LOGO_HEIGHT),
                        Image.Resampling.LANCZOS)


def art_image(path: Path, size: tuple[int, int] | None, style: CardStyle) -> Image.Image | None:
    """An illustration as RGBA pixels: an SVG drawn fitted inside `size` (its text in the style's fonts where it
    names none this machine has), any other image decoded; None when it cannot be read."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            return svg_image(data, size, fonts=[f for f in (style.font_regular, style.font) if f])
        return ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def panel(art: Image.Image, style: CardStyle, photo: bool) -> Image.Image:
    """The illustration's panel: a photo filling it, a drawing fitted inside it with a margin."""
    size = (ART_WIDTH, HEIGHT)
    if photo:
        return ImageOps.fit(art.convert("RGB"), size, Image.Resampling.LANCZOS)
    panel = Image.new("RGB", size, style.panel)
    inner = ImageOps.contain(art, (ART_WIDTH - PAD, HEIGHT - 2 * PAD), Image.Resampling.LANCZOS)
    panel.paste(inner, ((ART_WIDTH - inner.width) // 2, (HEIGHT - inner.height) // 2), inner)
    return panel


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where a card's text goes: its width, its edge (x) and anchor side, mirrored for right-to-left."""

    width: int
    left: int
    x: int
    anchor: str  # "l" or "r"
    rtl: bool


def _frame(words: CardWords, with_art: bool) -> _Frame:
    rtl = words.dir == "rtl"
    width = WIDTH - 2 * PAD - (ART_WIDTH if with_art else 0)
    left = PAD + (ART_WIDTH if with_art and rtl else 0)
    return _Frame(width, left, left + width if rtl else left, "r" if rtl else "l", rtl)


def card_layer(words: CardWords, style: CardStyle, art_panel: Image.Image | None) -> Image.Image:
    """Everything on a card but its headline: background, illustration's panel, kicker, accent rule, logo and
    the site's name (the same for all the questions of an explainer, so drawn once for them)."""
    card = Image.new("RGB", (WIDTH, HEIGHT), style.background)
    frame, shaping = _frame(words, art_panel is not None), _shaping(words)
    if art_panel is not None:
        card.paste(art_panel, (0 if frame.rtl else WIDTH - ART_WIDTH, 0))
    draw = ImageDraw.Draw(card)
    if words.kicker:
        font = _font(style.font_regular, KICKER_SIZE)
        draw.text((frame.x, PAD), _clipped(words.kicker, font, frame.width, shaping), font=font, fill=style.accent,
                  anchor=frame.anchor + "a", **shaping)
    footer_top = HEIGHT - PAD - LOGO_HEIGHT
    draw.rectangle((frame.left if not frame.rtl else frame.left + frame.width - 96, footer_top - 20,
                    frame.left + 96 if not frame.rtl else frame.left + frame.width, footer_top - 14), fill=style.accent)
    logo = _logo(style)
    at = frame.x
    if logo is not None:
        card.paste(logo, (at - logo.width if frame.rtl else at, footer_top), logo)
        at += -(logo.width + 16) if frame.rtl else logo.width + 16
    font = _font(style.font_regular, FOOTER_SIZE)
    room = frame.width - (logo.width + 16 if logo is not None else 0)
    draw.text((at, footer_top + LOGO_HEIGHT // 2), _clipped(words.footer, font, room, shaping), font=font,
              fill=style.text, anchor=frame.anchor + "m", **shaping)
    return card


def _headline_lines(words: CardWords, style: CardStyle, with_art: bool):
    """The headline's font, each line with where its anchor goes, the anchor and the shaping."""
    frame, shaping = _frame(words, with_art), _shaping(words)
    top = PAD + (round(KICKER_SIZE * 1.8) if words.kicker else 0)
    font, lines, step = _headline(words, style, frame.width, HEIGHT - PAD - LOGO_HEIGHT - 24 - top, shaping)
    return font, [((frame.x, top + n * step), line) for n, line in enumerate(lines)], frame.anchor + "a", shaping


def draw_headline(layer: Image.Image, words: CardWords, style: CardStyle, with_art: bool) -> Image.Image:
    """The card: a copy of its layer (card_layer) with the headline drawn in the largest size that fits."""
    card = layer.copy()
    font, lines, anchor, shaping = _headline_lines(words, style, with_art)
    draw = ImageDraw.Draw(card)
    for at, line in lines:
        draw.text(at, line, font=font, fill=style.text, anchor=anchor, **shaping)
    return card


# A word drawn alone is shaped as in its line when its letters are Latin, as all of the line's are: then no
# character's script (which Raqm takes from its neighbours for digits and punctuation) comes from across a
# space. Quotes and brackets, whose script Raqm takes from their pair, and words without a letter, draw their
# line whole.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_IN_WORD = _LATIN + "0-9\u0300-\u036f'\u2019\\-.,:;!?%&/"
_LATIN_WORD = re.compile(f"[{_IN_WORD}]*[{_LATIN}][{_IN_WORD}]*")


@lru_cache(maxsize=1024)  # headlines share most of their words: each drawn once per size, fraction and worker
def _word_mask(font: ImageFont.FreeTypeFont, word: str, fraction: int, language: str | None):
    """A left-to-right word's text mask and its offset from the anchor, starting `fraction`/64 of a pixel in."""
    return font.getmask2(word, "L", direction="ltr", language=language, anchor="la", start=(fraction / 64, 0))


def _line_masks(font: ImageFont.FreeTypeFont, at: tuple[int, int], line: str, anchor: str, shaping: dict):
    """The text masks that draw a line at `at` (its anchor) as ImageDraw.text does, with where each goes: the
    line's own, or, for a line of Latin words (_LATIN_WORD), each word's (cached), placed at its pen position. A
    glyph lands at the whole pixel its pen position rounds to, so a word started at the same fraction of a pixel
    is the same pixels; words do not join or kern across a space (as wrap() measures)."""
    x, y = at
    if anchor != "la" or shaping["direction"] != "ltr" or not all(map(_LATIN_WORD.fullmatch, line.split(" "))):
        mask, (dx, dy) = font.getmask2(line, "L", anchor=anchor, **shaping)
        return [((x + dx, y + dy), mask)]
    masks, pen = [], 0  # in 64ths of a pixel
    space = round(_word_width(font, " ", "ltr", shaping["language"]) * 64)
    for word in line.split(" "):
        mask, (dx, dy) = _word_mask(font, word, pen % 64, shaping["language"])
        masks.append(((x + pen // 64 + dx, y + dy), mask))
        pen += round(_word_width(font, word, "ltr", shaping["language"]) * 64) + space
    return masks


def headline_patch(layer: Image.Image, words: CardWords, style: CardStyle,
                   with_art: bool) -> tuple[tuple[int, int], Image.Image | None]:
    """The part of the card that its headline inks, as draw_headline draws it, and its corner, on the grid of
    the JPEG's pieces (cardjpeg); None for no headline. Only that part of the layer is copied."""
    font, lines, anchor, shaping = _headline_lines(words, style, with_art)
    masks = [(xy, mask) for at, line in lines for xy, mask in _line_masks(font, at, line, anchor, shaping)
             if mask.size[0] and mask.size[1]]
    if not masks:
        return (0, 0), None
    left = max(0, min(x for (x, _), _ in masks)) // PIECE * PIECE
    top = max(0, min(y for (_, y), _ in masks)) // BLOCK_ROW * BLOCK_ROW
    right = -(-max(x + mask.size[0] for (x, _), mask in masks) // PIECE) * PIECE
    bottom = -(-max(y + mask.size[1] for (_, y), mask in masks) // BLOCK_ROW) * BLOCK_ROW
    patch = layer.crop((left, top, min(layer.width, right), min(layer.height, bottom)))
    draw = ImageDraw.Draw(patch)
    ink = draw._getink(style.text)[0]
    for (x, y), mask in masks:
        draw.draw.draw_bitmap((x - left, y - top), mask, ink)  # ImageDraw.text's own last step
    return (left, top), patch


def draw_card(words: CardWords, style: CardStyle, art: Image.Image | None, photo_art: bool) -> Image.Image:
    """The card: kicker, headline and the logo with the site's name, beside the illustration if any; mirrored
    for right-to-left languages."""
    art_panel = panel(art, style, photo_art) if art is not None else None
    return draw_headline(card_layer(words, style, art_panel), words, style, art is not None)


def encode(card: Image.Image) -> bytes:
    """JPEG under MAX_BYTES: colour at half resolution (4:2:0), which halves the encoding time and keeps
    letters sharp (their edges are in the full-resolution brightness); lower qualities only for photos of noise.
    Restart markers let the cards of one layer share the pieces of it that they do not change (cardjpeg)."""
    for quality in QUALITIES:
        data = jpeg(card, quality)
        if len(data) < MAX_BYTES:
            break
    return data
