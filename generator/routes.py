"""Routes: plan every output page (URL, file, template, context); all base_url rules live here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from .config import SiteConfig, text_direction
from .diagnostics import Diagnostic, error
from .model import EMPTY, Explainer, Site
from .seo import FeedLink, PageSeo, explainer_seo, list_seo, plain_seo

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


@dataclass(frozen=True, slots=True)
class Page:
    """One file to render: where it goes, with which template and values."""

    path: str  # site path, e.g. "/astana-talks/"
    output: str  # file under output/, e.g. "astana-talks/index.html"
    template: str
    info: PageInfo
    context: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


def site_href(config: SiteConfig, path: str) -> str:
    """A root-relative href for a site path, under the deploy sub-path of base_url."""
    return quote(config.base_path + path.lstrip("/"), safe=_URL_SAFE)


def absolute_url(config: SiteConfig, path: str) -> str:
    """The absolute URL of a site path, for canonical links, feeds and sitemaps."""
    return quote(config.base_url + path.lstrip("/"), safe=_URL_SAFE)


def output_file(path: str) -> str:
    """Where a site path is written: "/x/" -> "x/index.html", "/404.html" -> "404.html"."""
    return path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/")


def feed_links(config: SiteConfig, base: str, title: str) -> tuple[FeedLink, ...]:
    """The feeds published under a site path ("/" or a topic's), for `<link rel="alternate">`."""
    return tuple(FeedLink(absolute_url(config, base + f.name), f.media_type, f"{title} ({f.label})")
                 for f in FEED_FORMATS)


def _info(config: SiteConfig, kind: str, title: str, description: str, path: str, seo: PageSeo,
          lang: str = "") -> PageInfo:
    lang = lang or config.language
    return PageInfo(kind, title, description, absolute_url(config, path), lang, text_direction(lang), path, seo)


def _paged(config: SiteConfig, kind: str, base: str, heading: str, intro: str,
           items: Sequence[Explainer], extra: Mapping[str, Any]) -> list[Page]:
    """A list split into pages of `page_size`: base, base/page/2/, ..."""
    absolute = partial(absolute_url, config)
    feeds = feed_links(config, "/", config.title)
    if "topic" in extra:
        feeds += feed_links(config, base, f"{heading} | {config.title}")
    size = config.page_size
    count = max(1, -(-len(items) // size))

    def path_of(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    pages = []
    for n in range(1, count + 1):
        path = path_of(n)
        title = heading if n == 1 else f"{heading} (page {n})"
        pagination = Pagination(n, count, path_of(n - 1) if n > 1 else None, path_of(n + 1) if n < count else None)
        shown = tuple(items[(n - 1) * size: n * size])
        context = {"heading": heading, "intro": intro, "items": shown, "pagination": pagination, **extra}
        description = intro or config.description
        seo = list_seo(kind, title, description, path, config.language, shown, config, absolute, feeds,
                       extra.get("topic"))
        pages.append(Page(path, output_file(path), "list.html", _info(config, kind, title, description, path, seo),
                          MappingProxyType(context)))
    return pages


def plan_pages(site: Site, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    absolute = partial(absolute_url, config)
    feeds = feed_links(config, "/", config.title)
    for e in site.explainers:
        context = {"explainer": e, "related": site.related(e)}
        seo = explainer_seo(e, config, absolute, feeds)
        pages.append(Page(e.path, output_file(e.path), "explainer.html",
                          _info(config, "explainer", e.title, e.description, e.path, seo, e.lang),
                          MappingProxyType(context)))
    pages += _paged(config, "home", "/", config.title, config.description, site.explainers, {})
    for topic in site.topics:
        items = site.by_topic[topic.slug]
        pages += _paged(config, "topic", topic.path, topic.name, "", items, {"topic": topic})
    for author in site.authors:
        items = site.by_author[author.id]
        pages += _paged(config, "author", author.path, author.name, author.bio, items, {"author": author})
    not_found = plain_seo("Page not found", config.description, config, feeds)
    pages.append(Page("/404.html", "404.html", "404.html",
                      _info(config, "404", "Page not found", config.description, "/404.html", not_found)))
    return pages


def check_collisions(pages: Sequence[Page], asset_files: Sequence[str], sources: Mapping[str, str]) -> list[Diagnostic]:
    """Two pages, or a page and a content file, that would be written to the same file."""
    owners: dict[str, str] = {rel: f"content/{rel}" for rel in asset_files}
    found = []
    for page in pages:
        who = sources.get(page.path, page.path)
        if page.output in owners:
            found.append(error(who, f"page {page.path} would overwrite {owners[page.output]}",
                               hint="choose another slug; topics/, authors/, page/ and static/ are taken by nutgraf"))
        else:
            owners[page.output] = who
    return found
