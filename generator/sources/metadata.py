"""Explainer metadata: front matter checked and typed, dates made timezone-aware in the site's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from ..frozen import pickles_by_slots
from .aliases import read_aliases
from .config import LANG_TAG, SiteConfig, text_direction
from .frontmatter import CONTROL_CHARACTERS, InvalidDate, RawDocument, YamlDocument
from .slugs import is_safe_slug, slugify
from .story import STORY_FIELDS, StoryMeta, newest_update, read_story

KNOWN_FIELDS = ("title", "dek", "date", "updated", "authors", "topics", "hero", "slug", "summary",
                "draft", "lang", "description", "seo_title", "social_title", "social_description", "social_image",
                "translation_key", "aliases", *STORY_FIELDS)
HERO_FIELDS = ("image", "alt", "credit", "caption", "focus")
SOCIAL_IMAGE_FIELDS = ("image", "alt", "focus")
HEADLINE_LIMIT = 110  # characters of a headline that search engines take in structured data
DATE_HINT = "write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+03:00 for a time with its offset"
# Years a date may have: wide enough for any explainer, narrow enough that turning one into UTC, formatting it in
# any zone or adding days to it stays inside the years Python's dates can hold (1 to 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2999


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class HeroMeta:
    image: str  # as written, relative to the explainer's folder
    alt: str
    credit: str = ""
    caption: str = ""
    focus: tuple[float, float] | None = None  # the subject, as fractions of width and height from the top left


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class ShareMeta:
    """Words and picture for search results and link previews, where they differ from the page's own."""

    seo_title: str = ""  # the headline in search results and structured data
    social_title: str = ""  # the headline of link previews
    social_description: str = ""
    social_image: HeroMeta | None = None  # only .image and .alt are used


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class ExplainerMeta:
    """What an explainer's front matter says, typed; names are not yet resolved against the site."""

    source: str
    slug: str
    title: str
    dek: str
    description: str
    date: dt.datetime
    updated: dt.datetime | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    hero: HeroMeta | None
    summary: tuple[str, ...]
    draft: bool
    lang: str
    dir: str
    extra: Mapping[str, Any]
    doc: YamlDocument  # for positions of later findings; without its data (see positions_only)
    share: ShareMeta = ShareMeta()
    translation_key: str = ""  # shared by the translations of one explainer; "" for none
    story: StoryMeta = StoryMeta()  # corrections, updates, related explainers, series
    aliases: tuple[str, ...] = ()  # old site paths that redirect here, normalised ("/old-slug/")


class _Checker:
    """Collects diagnostics while reading one document's fields."""

    def __init__(self, raw: RawDocument):
        self.raw = raw
        self.data: dict = raw.meta.data
        self.found: list[Diagnostic] = []

    def fail(self, key: str, message: str, hint: str = "") -> None:
        self.found.append(error(self.raw.path, message, self.raw.meta.at(key), hint))

    def text(self, key: str, value: Any, required: bool = False) -> str:
        if value is None:
            if required:
                self.fail(key, f"'{key}' is required", f'add a line such as {key}: "..."')
            return ""
        if isinstance(value, str):
            value = CONTROL_CHARACTERS.sub("", value)  # a YAML escape such as "\e" can still bring them in
            if required and not value.strip():
                self.fail(key, f"'{key}' is empty")
            return value.strip()
        shown = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
        name = key.rpartition(".")[2]
        self.fail(key, f"'{key}' must be text, but YAML read it as {type(value).__name__} {shown!r}",
                  f'put it in quotes: {name}: "{_source_text(value)}"')
        return ""

    def text_list(self, key: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, e.g. [a, b]")
            return ()
        return tuple(t for i, v in enumerate(value) if (t := self.text(f"{key}.{i}", v)))

    def date(self, key: str, value: Any, tz: ZoneInfo) -> dt.datetime | None:
        if isinstance(value, InvalidDate):
            self.fail(key, f"'{key}' is not a real date: {value.text} ({value.reason})", DATE_HINT)
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                self.fail(key, f"'{key}' must be a date such as 2017-01-24, not {value!r}", DATE_HINT)
                return None
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(key, f"'{key}' is in the year {value.year}; dates must be in the years {FIRST_YEAR} to "
                           f"{LAST_YEAR}", "is a digit missing or mistyped?")
            return None
        if isinstance(value, dt.datetime):
            # An explicit offset is kept as written; a naive time is wall-clock time in the site's zone.
            return value if value.tzinfo else self.wall_time(key, value, tz)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(), tzinfo=tz)
        self.fail(key, f"'{key}' must be a date such as 2017-01-24, not {value!r}", DATE_HINT)
        return None

    def wall_time(self, key: str, value: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
        """A naive time as wall-clock time in `tz`; one the clocks skip or show twice is an error."""
        first, second = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
        if first.utcoffset() == second.utcoffset():
            return first
        if first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != value:
            meant = first.astimezone(dt.UTC).astimezone(tz)  # the moment it would be had the clocks not moved
            self.fail(key, f"'{key}' is {value.isoformat()}, a time that does not exist in {tz.key}: the clocks "
                           "skip it when daylight saving time begins",
                      f"write the time with its offset, e.g. {meant.isoformat()}")
        else:
            self.fail(key, f"'{key}' is {value.isoformat()}, a time that happens twice in {tz.key}: the clocks "
                           "go back over it when daylight saving time ends",
                      f"write the time with its offset: {first.isoformat()} for the first, "
                      f"{second.astimezone(dt.timezone(second.utcoffset())).isoformat()} for the second")
        return None

    def flag(self, key: str, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        self.fail(key, f"'{key}' must be true or false, not {value!r}")
        return False


def _source_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _hero(check: _Checker, value: Any) -> HeroMeta | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"image": value}
    if not isinstance(value, dict):
        check.fail("hero", "'hero' must be a mapping with image, alt, credit and caption")
        return None
    for key in value:
        if key not in HERO_FIELDS:
            check.fail(f"hero.{key}", f"unknown hero field '{key}'", did_you_mean(str(key), HERO_FIELDS))
    image = check.text("hero.image", value.get("image"), required=True)
    alt = check.text("hero.alt", value.get("alt"))
    if image and not alt:
        check.fail("hero" if "alt" not in value else "hero.alt", "the hero image has no alt text",
                   "add hero.alt: a sentence describing what the image shows, for readers who cannot see it")
    return HeroMeta(image, alt, check.text("hero.credit", value.get("credit")),
                    check.text("hero.caption", value.get("caption")), _focus(check, "hero.focus", value.get("focus")))


def _focus(check: _Checker, key: str, value: Any) -> tuple[float, float] | None:
    """`focus: [x, y]`: where the subject is, so that crops keep it; fractions from the top left."""
    if value is None:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1 for v in value)):
        return float(value[0]), float(value[1])
    check.fail(key, f"'{key}' must be [x, y] with each from 0 to 1, not {value!r}",
               "[0.5, 0.5] is the centre; [0.2, 0.3] a subject left of centre, in the upper third")
    return None


def _social_image(check: _Checker, value: Any) -> HeroMeta | None:
    """`social_image: path` or `social_image: {image: path, alt: text}`."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"image": value}
    if not isinstance(value, dict):
        check.fail("social_image", "'social_image' must be an image path, or a mapping with image and alt")
        return None
    for key in value:
        if key not in SOCIAL_IMAGE_FIELDS:
            check.fail(f"social_image.{key}", f"unknown social_image field '{key}'",
                       did_you_mean(str(key), SOCIAL_IMAGE_FIELDS))
    image = check.text("social_image.image", value.get("image"), required=True)
    return HeroMeta(image, check.text("social_image.alt", value.get("alt")),
                    focus=_focus(check, "social_image.focus", value.get("focus")))


def _share(check: _Checker, title: str) -> ShareMeta:
    """The search and social overrides, with a warning for a headline too long for search engines."""
    data = check.data
    seo_title = check.text("seo_title", data.get("seo_title"))
    headline = seo_title or title
    if len(headline) > HEADLINE_LIMIT:
        key = "seo_title" if seo_title else "title"
        check.found.append(warning(
            check.raw.path, f"the headline has {len(headline)} characters; search engines take {HEADLINE_LIMIT}",
            check.raw.meta.at(key), f"add a shorter seo_title: of at most {HEADLINE_LIMIT} characters"
            if key == "title" else f"shorten seo_title to at most {HEADLINE_LIMIT} characters"))
    return ShareMeta(seo_title, check.text("social_title", data.get("social_title")),
                     check.text("social_description", data.get("social_description")),
                     _social_image(check, data.get("social_image")))


def read_meta(raw: RawDocument, config: SiteConfig) -> tuple[ExplainerMeta, list[Diagnostic]]:
    """Check and type one explainer's front matter; broken fields get harmless defaults and a diagnostic."""
    check = _Checker(raw)
    data = check.data
    tz = config.tz
    title = check.text("title", data.get("title"), required=True)
    dek = check.text("dek", data.get("dek"))
    description = check.text("description", data.get("description")) or dek
    if "date" not in data:
        check.fail("", "'date' is required", "add date: YYYY-MM-DD to the front matter")
    date = check.date("date", data.get("date"), tz) if "date" in data else None
    updated = check.date("updated", data["updated"], tz) if data.get("updated") is not None else None
    if date and updated and updated < date:
        check.fail("updated", "'updated' is earlier than 'date'", "an explainer is updated after it is published")
    story = read_story(check, tz)
    if date and any(update.date < date for update in story.updates):
        check.fail("updates", "an update is dated before the explainer's 'date'", "updates follow publication")
    updated = newest_update(updated, story)  # the newest update drives "Updated ..." and dateModified
    slug = data.get("slug", PurePosixPath(raw.path).stem)
    slug = check.text("slug", slug) if "slug" in data else str(slug)
    if slug and not is_safe_slug(slug):
        check.fail("slug" if "slug" in data else "", f"slug {slug!r} is not one safe URL segment",
                   "use lowercase letters, digits and single hyphens, e.g. astana-talks"
                   + ("" if "slug" in data else "; rename the file or set slug:"))
        slug = slugify(slug) or "invalid-slug"  # never let an unsafe path travel further
    lang = check.text("lang", data.get("lang")) or config.language
    if not LANG_TAG.match(lang):
        check.fail("lang", f"'lang' must be a language tag such as en or ar, not {lang!r}")
    meta = ExplainerMeta(
        source=raw.path, slug=slug, title=title, dek=dek, description=description,
        date=date or dt.datetime(FIRST_YEAR, 1, 1, tzinfo=tz), updated=updated,
        authors=check.text_list("authors", data.get("authors")),
        topics=check.text_list("topics", data.get("topics")),
        hero=_hero(check, data.get("hero")),
        summary=check.text_list("summary", data.get("summary")),
        draft=check.flag("draft", data.get("draft")),
        lang=lang, dir=text_direction(lang),
        extra=MappingProxyType({k: v for k, v in data.items() if k not in KNOWN_FIELDS}),
        doc=raw.meta.positions_only(),
        share=_share(check, title),
        translation_key=check.text("translation_key", data.get("translation_key")),
        story=story,
        aliases=read_aliases(check, data.get("aliases")),
    )
    # A meta with errors is still returned, so that later stages can report their findings too.
    return meta, check.found


def check_related(metas: Iterable[ExplainerMeta], shown: Sequence[ExplainerMeta]) -> list[Diagnostic]:
    """Related slugs of the explainers being published that name no explainer at all (drafts count)."""
    slugs = {meta.slug for meta in metas}
    found = []
    for meta in shown:
        for index, slug in enumerate(meta.story.related):
            at = meta.doc.at(f"related.{index}") or Position(1)
            if slug == meta.slug:
                found.append(error(meta.source, f"related: '{slug}' is this explainer itself", at,
                                   "name other explainers"))
            elif slug not in slugs:
                found.append(error(meta.source, f"related explainer '{slug}' does not exist", at,
                                   did_you_mean(slug, slugs) or "name explainers by slug, the file name without .md"))
    return found
