"""Share cards: a 1200x630 JPEG for every explainer, each of its questions and each edition's home, drawn in the
workers only when the words, illustration or theme it is drawn from changed (cached by those inputs)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageOps

from ..diagnostics import Diagnostic, error, warning
from ..site.model import Explainer, Site
from ..site.routes import SitePlan
from ..site.seo import card_rel, photo_crop
from ..site.share import question_path, site_card_homes
from ..sources.config import CONFIG_NAME, SiteConfig, setting_position, text_direction
from ..sources.images import Picture
from ..workers import Progress, map_chunks, stage_counter
from .cardart import (
    ART_WIDTH,
    HEIGHT,
    MAX_BYTES,
    PAD,
    QUALITIES,
    WIDTH,
    CardStyle,
    CardWords,
    art_image,
    card_layer,
    encode,
    headline_patch,
    load_style,
    panel,
)
from .cardjpeg import Pieces, jpeg, piece_count, pieces, spliced

RECIPE = "3"  # bump when cards are drawn differently, so that cached ones are drawn again
STORE_FOLDER = "cards"
_STORE_NAME = re.compile(r"\.?[0-9a-f]{32}\.jpg(\.\d+)?")


@dataclass(frozen=True, slots=True)
class CardSpec:
    """One card to publish: its words, and its illustration (a file, with the digest of its bytes)."""

    rel: str  # the output file, e.g. "astana-talks/share.jpg"
    words: CardWords
    art: str = ""  # path of the illustration's file (a content file or a stored crop), "" for none
    art_digest: str = ""
    photo: bool = False  # the art is a photo (fills its panel) rather than a drawing (fitted inside it)
    whole: bool = False  # the art is a photo's 1200x630 crop: the card is the photo itself
    source: str = ""  # the illustration under content/, for diagnostics

    def key(self, style: CardStyle) -> str:
        """The cache key: everything the card's pixels are made from, and not where it goes."""
        parts = repr((RECIPE, self.words, self.art_digest, self.photo, self.whole, style.digest))
        return hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class _Art:
    path: str
    digest: str
    photo: bool  # a photo (or its crop): fills its panel
    source: str


def _art(e: Explainer, files: Mapping[str, Path], pictures: Mapping[str, Picture]) -> _Art | None:
    """The explainer's illustration: its social image, else its hero, as published (a photo by its crop)."""
    image = e.social_image or e.hero
    if image is None:
        return None
    crop = image.crop("social")
    if crop is not None and crop.rel in files:
        return _Art(str(files[crop.rel]), crop.key, True, crop.source)
    rel = image.src.lstrip("/")
    picture = pictures.get(rel)
    if rel not in files or picture is None or picture.facts is None or picture.problem:
        return None
    return _Art(str(files[rel]), picture.facts.digest, picture.facts.format != "SVG", rel)


def _site_logo(config: SiteConfig) -> Path | None:
    """publisher.logo when it names a file under content/ (an SVG, PNG ...)."""
    logo = config.publisher.logo
    if not logo or urlsplit(logo).scheme or urlsplit(logo).netloc:
        return None
    path = config.content_dir / logo.lstrip("/")
    return path if path.is_file() else None


def card_specs(site: Site, plan: SitePlan, config: SiteConfig, files: Mapping[str, Path],
               pictures: Mapping[str, Picture]) -> list[CardSpec]:
    """Every card the site's pages name: each explainer's, each question's, and each edition home's."""
    specs = []
    for e in site.explainers:
        words = config.in_language(e.lang)
        topic = e.topics[0].name_in(e.lang) if e.topics else ""
        art = _art(e, files, pictures)
        own = CardWords(e.social_title or e.title, topic, words.title, e.lang, e.dir)
        drawn = (art.path, art.digest, art.photo) if art else ("", "", False)
        whole = art is not None and art.photo and photo_crop(e.social_image or e.hero) is not None
        source = art.source if art else ""
        specs.append(CardSpec(card_rel(e.path), own, *drawn, whole=whole, source=source))
        for section in e.sections if config.question_share_cards else ():
            asked = CardWords(section.title, e.title, words.title, e.lang, e.dir)
            specs.append(CardSpec(card_rel(question_path(e, section.id)), asked, *drawn, source=source))
    host = urlsplit(config.base_url).netloc
    configured = _configured(config, files, pictures)
    for home, words in site_card_homes(plan):
        lang = words.language if home == "/" else home.strip("/")
        site_words = CardWords(words.title, words.description, host, lang, text_direction(lang))
        specs.append(replace(configured, rel=card_rel(home), words=site_words) if configured
                     else CardSpec(card_rel(home), site_words))
    return specs


def _configured(config: SiteConfig, files: Mapping[str, Path], pictures: Mapping[str, Picture]) -> CardSpec | None:
    """The site's own share image (site.yaml `share_image:`), cropped to fill the card, if it names one."""
    rel = config.share_image.lstrip("/")
    picture = pictures.get(rel)
    if not rel or rel not in files or picture is None or picture.facts is None or picture.problem:
        return None
    return CardSpec("", CardWords("", "", "", "", "ltr"), str(files[rel]), picture.facts.digest, True, True, rel)


def share_image_problem(config: SiteConfig, pictures: Mapping[str, Picture]) -> list[Diagnostic]:
    """An error when site.yaml's share_image is not an image under content/ that nutgraf can read."""
    rel = config.share_image.lstrip("/")
    picture = pictures.get(rel)
    if not rel or picture is not None and picture.facts is not None and not picture.problem:
        return []
    return [error(CONFIG_NAME, f"share_image: {config.share_image!r} is not an image under content/ that nutgraf "
                  "can read", setting_position(config.root, "share_image"),
                  hint="name a JPEG, PNG, WebP or SVG under content/, e.g. share_image: images/card.png")]


@lru_cache(maxsize=8)  # an explainer's questions share its illustration, and a worker draws them one after another
def _illustration(path: str, digest: str, whole: bool, style: CardStyle) -> Image.Image | None:
    """The illustration's pixels: an SVG drawn for its panel, or to fill the whole card."""
    return art_image(Path(path), (2 * WIDTH, 2 * HEIGHT) if whole else (ART_WIDTH - PAD, HEIGHT - 2 * PAD), style)


@lru_cache(maxsize=4)  # an explainer's own card and its questions' share the panel
def _panel(path: str, digest: str, photo: bool, style: CardStyle) -> Image.Image | None:
    art = _illustration(path, digest, False, style)
    return panel(art, style, photo) if art is not None else None


@lru_cache(maxsize=4)  # an explainer's questions share all but their headline, and come one after another
def _layer(spec: CardSpec, style: CardStyle) -> Image.Image:
    return card_layer(spec.words, style, _panel(spec.art, spec.art_digest, spec.photo, style) if spec.art else None)


@lru_cache(maxsize=4)
def _layer_pieces(spec: CardSpec, style: CardStyle) -> Pieces | None:
    """The layer's JPEG in pieces; None when it is too big for the first quality (its cards are encoded whole)
    or this Pillow writes no restart markers."""
    data = jpeg(_layer(spec, style), QUALITIES[0])
    layer = pieces(data)
    across, down = piece_count((WIDTH, HEIGHT))
    return layer if len(data) < MAX_BYTES and len(layer.pieces) == across * down else None


def _art_of(spec: CardSpec, style: CardStyle) -> Image.Image | None:
    return _illustration(spec.art, spec.art_digest, spec.whole, style) if spec.art else None


def _layer_key(spec: CardSpec) -> CardSpec:
    """What a card's layer is drawn from: all but its headline (and where it goes)."""
    return replace(spec, rel="", words=replace(spec.words, headline=""))


def render_card(spec: CardSpec, style: CardStyle, shared: bool = False) -> tuple[bytes, str]:
    """The card's JPEG bytes, and a problem with its illustration ("" for none): drawn without it then.
    `shared`: the cards drawn next share its layer (an explainer's questions), whose pieces are then encoded once
    and only the headline's for each card; the bytes are the same."""
    art = _art_of(spec, style)
    problem = "" if art is not None or not spec.art else "its illustration could not be drawn"
    if spec.whole and art is not None:  # a photo's crop (1200x630 already) or the site's own image
        return encode(ImageOps.fit(art.convert("RGB"), (WIDTH, HEIGHT), Image.Resampling.LANCZOS)), problem
    common = _layer_key(spec)
    layer = _layer(common, style)
    at, patch = headline_patch(layer, spec.words, style, art is not None)
    encoded = _layer_pieces(common, style) if shared else None
    if encoded is not None:
        data = encoded.joined() if patch is None else spliced(encoded, (WIDTH, HEIGHT), at, patch, QUALITIES[0])
        if len(data) < MAX_BYTES:
            return data, problem
    card = layer.copy()
    if patch is not None:
        card.paste(patch, at)
    return encode(card), problem


class CardStore:
    """Cards by cache key, in .nutgraf-cache/cards/ (or beside the build's other temporary files)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.jpg"

    def keep_only(self, keep: Iterable[Path]) -> None:
        """Forget cards no page names any more."""
        wanted = {p.name for p in keep}
        for path in self.folder.iterdir():
            if path.name not in wanted and _STORE_NAME.fullmatch(path.name):
                path.unlink(missing_ok=True)


def _draw_chunk(context, chunk: Sequence[tuple[CardSpec, str]]) -> list[tuple[str, str]]:
    style, folder = context
    layers = Counter(_layer_key(spec) for spec, _ in chunk)  # an explainer's questions come one after another
    results = []
    for spec, key in chunk:
        data, problem = render_card(spec, style, shared=layers[_layer_key(spec)] > 1)
        target = folder / f"{key}.jpg"
        temp = target.with_name(f".{target.name}.{os.getpid()}")
        temp.write_bytes(data)
        os.replace(temp, target)
        results.append((spec.rel, problem))
    return results


@dataclass(frozen=True, slots=True)
class Cards:
    """The cards to publish (output file -> stored file), how many were drawn now, and what went wrong."""

    files: dict[str, Path]
    drawn: int
    diagnostics: tuple[Diagnostic, ...]
    temp: object = None  # the temporary folder of a build without a cache, kept until the files are written


def make_cards(specs: Sequence[CardSpec], style: CardStyle, cache_dir: Path | None, jobs: int,
               progress: Progress | None = None) -> Cards:
    """Draw the cards not in the store (the workers share them out), and forget those no page names."""
    temp = None if cache_dir else tempfile.TemporaryDirectory(prefix="nutgraf-cards-")
    store = CardStore(cache_dir / STORE_FOLDER if cache_dir else Path(temp.name))
    keys = {spec.rel: spec.key(style) for spec in specs}
    todo = list({keys[s.rel]: (s, keys[s.rel]) for s in specs if not store.path(keys[s.rel]).is_file()}.values())
    results = map_chunks(_draw_chunk, todo, jobs=jobs, setup=lambda: (style, store.folder), min_items=8,
                         progress=stage_counter(progress, "Share cards", len(todo)))
    by_rel = {s.rel: s for s in specs}
    found = [warning(f"content/{by_rel[rel].source}", f"the share card of {rel} is drawn without this image: {problem}",
                     hint="export the image again, or give the explainer a social_image")
             for rel, problem in results if problem]
    files = {rel: store.path(key) for rel, key in keys.items()}
    store.keep_only(files.values())
    return Cards(files, len(todo), tuple(dict.fromkeys(found)), temp)


def site_cards(site: Site, plan: SitePlan, config: SiteConfig, theme_folders: Sequence[Path],
               files: Mapping[str, Path], pictures: Mapping[str, Picture], cache_dir: Path | None, jobs: int,
               progress: Progress | None = None) -> Cards:
    """Every page's share card: the theme's style, the cards' words, and the cards drawn where needed."""
    style, problems = load_style(list(theme_folders), _site_logo(config))
    problems += share_image_problem(config, pictures)
    specs = card_specs(site, plan, config, files, pictures)
    problems += [error(f"content/{spec.rel}", f"would replace the share card /{spec.rel}, which nutgraf makes",
                     hint="rename or move this file; share.jpg beside a page is its share card")
                 for spec in specs if spec.rel in files]
    cards = make_cards(specs, style, cache_dir, jobs, progress)
    return replace(cards, diagnostics=(*problems, *cards.diagnostics))
