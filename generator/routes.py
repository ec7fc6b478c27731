"""Routes: plan every output page (URL, file, template, context); all base_url rules live here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from .config import SiteConfig, text_direction
from .diagnostics import Diagnostic, error
from .model import EMPTY, Explainer, Site

_URL_SAFE = "/#:@!$&'()*+,;=-._~%"


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


def _info(config: SiteConfig, kind: str, title: str, description: str, path: str, lang: str = "") -> PageInfo:
    lang = lang or config.language
    return PageInfo(kind, title, description, absolute_url(config, path), lang, text_direction(lang), path)


def _paged(config: SiteConfig, kind: str, base: str, heading: str, intro: str,
           items: Sequence[Explainer], extra: Mapping[str, Any]) -> list[Page]:
    """A list split into pages of `page_size`: base, base/page/2/, ..."""
    size = config.page_size
    count = max(1, -(-len(items) // size))

    def path_of(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    pages = []
    for n in range(1, count + 1):
        path = path_of(n)
        title = heading if n == 1 else f"{heading} (page {n})"
        pagination = Pagination(n, count, path_of(n - 1) if n > 1 else None, path_of(n + 1) if n < count else None)
        context = {"heading": heading, "intro": intro, "items": tuple(items[(n - 1) * size: n * size]),
                   "pagination": pagination, **extra}
        pages.append(Page(path, output_file(path), "list.html",
                          _info(config, kind, title, intro or config.description, path),
                          MappingProxyType(context)))
    return pages


def plan_pages(site: Site, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    for e in site.explainers:
        context = {"explainer": e, "related": site.related(e)}
        pages.append(Page(e.path, output_file(e.path), "explainer.html",
                          _info(config, "explainer", e.title, e.description, e.path, e.lang),
                          MappingProxyType(context)))
    pages += _paged(config, "home", "/", config.title, config.description, site.explainers, {})
    for topic in site.topics:
        items = site.by_topic[topic.slug]
        pages += _paged(config, "topic", topic.path, topic.name, "", items, {"topic": topic})
    for author in site.authors:
        items = site.by_author[author.id]
        pages += _paged(config, "author", author.path, author.name, author.bio, items, {"author": author})
    pages.append(Page("/404.html", "404.html", "404.html",
                      _info(config, "404", "Page not found", config.description, "/404.html")))
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
