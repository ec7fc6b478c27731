"""Pages: what a planned page is (Page, its PageInfo and PageEntry), where it is written, and every URL and
href of a site path: all base_url rules live here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import quote

from ..frozen import pickles_by_slots
from ..sources.config import SiteConfig, text_direction
from .model import EMPTY, Explainer
from .seo import FeedLink, PageSeo

_URL_SAFE = "/#:@!$&'()*+,;=-._~%"


@dataclass(frozen=True, slots=True)
class FeedFormat:
    """One kind of feed: its file name under the site or a topic, its media type, its name for readers."""

    name: str
    media_type: str
    label: str


FEED_FORMATS = (FeedFormat("feed.xml", "application/atom+xml", "Atom"),
                FeedFormat("rss.xml", "application/rss+xml", "RSS"),
                FeedFormat("feed.json", "application/feed+json", "JSON Feed"))


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class PageInfo:
    """What base.html needs about any page."""

    kind: str  # "explainer", "home", "topic", "author", "404"
    title: str
    description: str
    canonical: str
    lang: str
    dir: str
    path: str
    seo: PageSeo  # titles, Open Graph, feeds and structured data for the meta partial


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    prev_path: str | None
    next_path: str | None


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Page:
    """One file to render: where it goes, with which template and values."""

    path: str  # site path, e.g. "/astana-talks/"
    output: str  # file under output/, e.g. "astana-talks/index.html"
    template: str
    info: PageInfo
    context: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    @property
    def entry(self) -> PageEntry:
        return PageEntry(self.path, self.output, self.info.kind, self.info.canonical, self.info.seo.modified)


class PageEntry(NamedTuple):
    """What the build needs of a page besides rendering it (collisions, sitemaps, host headers): cheap to
    have for every explainer page, whose Page is planned only where it is rendered."""

    path: str
    output: str
    kind: str
    canonical: str
    modified: dt.datetime | None  # the sitemap's lastmod


@lru_cache(maxsize=1 << 16)
def _quoted(url: str) -> str:
    """A URL percent-encoded; memoized, since every list names the same explainers' URLs again."""
    return quote(url, safe=_URL_SAFE)


def site_href(config: SiteConfig, path: str) -> str:
    """A root-relative href for a site path, under the deploy sub-path of base_url."""
    return _href(config.base_path, path)


def root_href(path: str) -> str:
    """The href of a site path from the host's root, as if base_url had no sub-path."""
    return _href("/", path)


def _href(base_path: str, path: str) -> str:
    """Only the page's part goes through the memo: a list of questions links each one's anchor, and each is
    asked for once."""
    page, hash_mark, fragment = path.partition("#")
    href = _quoted(base_path + page.lstrip("/"))
    return href + hash_mark + quote(fragment, safe=_URL_SAFE) if hash_mark else href


def absolute_url(config: SiteConfig, path: str) -> str:
    """The absolute URL of a site path, for canonical links, feeds and sitemaps."""
    return _quoted(config.base_url + path.lstrip("/"))


def output_file(path: str) -> str:
    """Where a site path is written: "/x/" -> "x/index.html", "/404.html" -> "404.html"."""
    return path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/")


def feed_links(config: SiteConfig, base: str, title: str) -> tuple[FeedLink, ...]:
    """The feeds published under a site path ("/" or a topic's), for `<link rel="alternate">`."""
    return tuple(FeedLink(absolute_url(config, base + f.name), f.media_type, f"{title} ({f.label})")
                 for f in FEED_FORMATS)


def page_info(config: SiteConfig, kind: str, title: str, description: str, path: str, seo: PageSeo,
              lang: str = "") -> PageInfo:
    """The PageInfo of a page in `lang` (the site's language if none)."""
    lang = lang or config.language
    return PageInfo(kind, title, description, absolute_url(config, path), lang, text_direction(lang), path, seo)


def paged_path(base: str, n: int) -> str:
    """The site path of page `n` (from 1) of a list at `base`: base, base/page/2/, ..."""
    return base if n == 1 else f"{base}page/{n}/"


def pagination(base: str, n: int, count: int) -> Pagination:
    """Page `n` of `count` of the list at `base`, with its neighbours' paths."""
    return Pagination(n, count, paged_path(base, n - 1) if n > 1 else None,
                      paged_path(base, n + 1) if n < count else None)


def paged_entry(config: SiteConfig, kind: str, base: str, n: int, shown: Sequence[Explainer]) -> PageEntry:
    """The entry of page `n` of a list at `base` showing `shown`: changed when the newest of them did."""
    path = paged_path(base, n)
    return PageEntry(path, output_file(path), kind, absolute_url(config, path),
                     max((e.modified for e in shown), default=None))

