"""Story front matter: the corrections and updates log, related explainers and the series, read and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ..diagnostics import did_you_mean
from ..frozen import pickles_by_slots
from .slugs import is_safe_slug

STORY_FIELDS = ("corrections", "updates", "related", "series")
REVISION_FIELDS = ("date", "text")
KINDS = {"corrections": "correction", "updates": "update"}


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Revision:
    """One entry of the log at the end of an explainer: a correction or an update, dated."""

    kind: str  # "correction" or "update"
    date: dt.datetime
    text: str


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class StoryMeta:
    """What front matter says about an explainer's history and its place among the others."""

    corrections: tuple[Revision, ...] = ()  # oldest first
    updates: tuple[Revision, ...] = ()  # oldest first
    related: tuple[str, ...] = ()  # slugs, shown first among the related explainers
    series: str = ""  # the series' name; its parts are ordered by date

    @property
    def log(self) -> tuple[Revision, ...]:
        """Corrections and updates together, oldest first."""
        return tuple(sorted((*self.corrections, *self.updates), key=lambda r: r.date))


def _revisions(check, key: str, tz: ZoneInfo) -> tuple[Revision, ...]:
    """`corrections:` or `updates:`, a list of {date, text}; `check` is metadata's field checker."""
    value = check.data.get(key)
    if value is None:
        return ()
    example = f'{key}: [{{date: 2017-01-24, text: "What changed, in a sentence"}}]'
    if not isinstance(value, list):
        check.fail(key, f"'{key}' must be a list of dated entries", example)
        return ()
    found = []
    for index, item in enumerate(value):
        at = f"{key}.{index}"
        if not isinstance(item, dict) or "date" not in item or "text" not in item:
            check.fail(at, f"each entry of '{key}' needs a date and a text", example)
            continue
        for unknown in (k for k in item if k not in REVISION_FIELDS):
            check.fail(f"{at}.{unknown}", f"unknown field '{unknown}' in '{key}'",
                       did_you_mean(str(unknown), REVISION_FIELDS))
        date = check.date(f"{at}.date", item["date"], tz)
        text = check.text(f"{at}.text", item["text"], required=True)
        if date is not None and text:
            found.append(Revision(KINDS[key], date, text))
    return tuple(sorted(found, key=lambda r: r.date))


def _series(check, value: Any) -> str:
    return " ".join(check.text("series", value).split()) if value is not None else ""


def read_story(check, tz: ZoneInfo) -> StoryMeta:
    """The story fields of one explainer's front matter; problems go to `check` (metadata's field checker)."""
    related = check.text_list("related", check.data.get("related"))
    for index, slug in enumerate(related):
        if not is_safe_slug(slug):
            check.fail(f"related.{index}", f"related: {slug!r} is not an explainer's slug",
                       "name explainers by slug, the last part of their address, e.g. astana-talks")
    return StoryMeta(_revisions(check, "corrections", tz), _revisions(check, "updates", tz),
                     tuple(s for s in related if is_safe_slug(s)), _series(check, check.data.get("series")))


def newest_update(updated: dt.datetime | None, story: StoryMeta) -> dt.datetime | None:
    """What "Updated ..." and dateModified show: the newest of `updated:` and the updates' dates."""
    dates = [d for d in (updated, *(u.date for u in story.updates)) if d is not None]
    return max(dates) if dates else None


def last_changed(updated: dt.datetime | None, story: StoryMeta) -> dt.datetime | None:
    """When the article last changed, for "Updated"/"Corrected", dateModified, lastmod and the feeds: the newest
    of `updated` (already the newest of `updated:` and the updates) and the corrections' dates."""
    dates = [d for d in (updated, *(c.date for c in story.corrections)) if d is not None]
    return max(dates) if dates else None

