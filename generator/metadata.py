"""Explainer metadata: front matter checked and typed, dates made timezone-aware in the site's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from .config import LANG_TAG, SiteConfig, text_direction
from .diagnostics import Diagnostic, did_you_mean, error
from .frontmatter import InvalidDate, RawDocument, YamlDocument
from .slugs import is_safe_slug, slugify

KNOWN_FIELDS = ("title", "dek", "date", "updated", "authors", "topics", "hero", "slug", "summary",
                "draft", "lang", "description")
HERO_FIELDS = ("image", "alt", "credit", "caption")
DATE_HINT = "write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+03:00 for a time with its offset"


@dataclass(frozen=True, slots=True)
class HeroMeta:
    image: str  # as written, relative to the explainer's folder
    alt: str
    credit: str = ""
    caption: str = ""


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
    doc: YamlDocument  # for positions of later findings


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
        if isinstance(value, dt.datetime):
            # An explicit offset is kept as written; a naive time is wall-clock time in the site's zone.
            return value if value.tzinfo else value.replace(tzinfo=tz)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(), tzinfo=tz)
        self.fail(key, f"'{key}' must be a date such as 2017-01-24, not {value!r}", DATE_HINT)
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
                    check.text("hero.caption", value.get("caption")))


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
        date=date or dt.datetime.min.replace(tzinfo=tz), updated=updated,
        authors=check.text_list("authors", data.get("authors")),
        topics=check.text_list("topics", data.get("topics")),
        hero=_hero(check, data.get("hero")),
        summary=check.text_list("summary", data.get("summary")),
        draft=check.flag("draft", data.get("draft")),
        lang=lang, dir=text_direction(lang),
        extra=MappingProxyType({k: v for k, v in data.items() if k not in KNOWN_FIELDS}),
        doc=raw.meta,
    )
    # A meta with errors is still returned, so that later stages can report their findings too.
    return meta, check.found
