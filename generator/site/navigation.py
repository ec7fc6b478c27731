"""Navigation between explainers: related ones (named first, then by shared topics) and the parts of a series."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..sources.slugs import slugify

if TYPE_CHECKING:
    from .model import Explainer, Site

RELATED_LIMIT = 4


@dataclass(frozen=True, slots=True)
class SeriesPart:
    """One part of a series, as the series navigation links to it."""

    number: int
    title: str
    path: str
    lang: str
    current: bool


@dataclass(frozen=True, slots=True)
class SeriesNav:
    """"Part N of M" with the previous and the next part."""

    name: str
    number: int
    count: int
    parts: tuple[SeriesPart, ...]

    @property
    def previous(self) -> SeriesPart | None:
        return self.parts[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> SeriesPart | None:
        return self.parts[self.number] if self.number < self.count else None


def series_key(name: str) -> str:
    """Parts belong to one series when their names give the same slug ("Keeping time", "keeping  Time")."""
    return slugify(name) or name.casefold()


@dataclass(frozen=True, slots=True)
class Links:
    """The indexes the navigation needs, made once per site."""

    by_slug: Mapping[str, Explainer]
    by_series: Mapping[str, tuple[Explainer, ...]]  # oldest first

    @classmethod
    def of(cls, site: Site) -> Links:
        """Index a site's explainers by slug and by series."""
        series: dict[str, list[Explainer]] = {}
        for e in site.explainers:
            if e.series:
                series.setdefault(series_key(e.series), []).append(e)
        ordered = {k: tuple(sorted(v, key=lambda e: (e.date, e.title, e.slug))) for k, v in series.items()}
        return cls(MappingProxyType({e.slug: e for e in site.explainers}), MappingProxyType(ordered))

    def related(self, site: Site, e: Explainer, limit: int = RELATED_LIMIT) -> tuple[Explainer, ...]:
        """The explainers `related:` names (those published), topped up to `limit` by shared topics."""
        named = [self.by_slug[s] for s in dict.fromkeys(e.related_slugs) if s in self.by_slug and s != e.slug]
        slugs = {x.slug for x in named}
        more = [x for x in site.related(e, limit + len(named)) if x.slug not in slugs]
        return tuple(named + more[:max(0, limit - len(named))])

    def series(self, e: Explainer) -> SeriesNav | None:
        """Where an explainer stands in its series; None outside a series or alone in one."""
        parts = self.by_series.get(series_key(e.series), ()) if e.series else ()
        if len(parts) < 2:
            return None
        shown = tuple(SeriesPart(n, p.title, p.path, p.lang, p.slug == e.slug) for n, p in enumerate(parts, start=1))
        number = next(p.number for p in shown if p.current)
        return SeriesNav(parts[0].series, number, len(parts), shown)
