"""Routes: plan every output page (URL, file, template, context); all base_url rules live here."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple, Protocol
from urllib.parse import quote

from ..diagnostics import Diagnostic, error
from ..frozen import pickles_by_slots
from ..sources.config import SiteConfig, text_direction
from .editions import Edition, alternates, edition_of, plan_editions, translation_groups
from .model import EMPTY, Explainer, Site, site_order
from .navigation import Links
from .questions import PAGE_SIZE, PREVIEW, QUESTIONS_PATH, QuestionTopic, question_topics
from .seo import ROBOTS, FeedLink, PageSeo, card_image, explainer_seo, list_seo, plain_seo

_URL_SAFE = "/#:@!$&'()*+,;=-._~%"
SEARCH_PATH = "/search/"  # each edition's search page, under its language prefix
SEARCH_INDEX_DIR = "pagefind"  # the Pagefind index in output/, which search.py makes
EXPLAINER_TEMPLATE = "explainer.html"
LIST_TEMPLATE = "list.html"


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


def _info(config: SiteConfig, kind: str, title: str, description: str, path: str, seo: PageSeo,
          lang: str = "") -> PageInfo:
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


@dataclass(frozen=True, slots=True)
class ListPages:
    """A list split into pages of `page_size` (base, base/page/2/, ...), each planned on demand, in the render
    workers: at 100,000 explainers the 60,000 list pages with their JSON-LD took 330 MB planned at once.
    `versions` are the first page's other languages, as (language, site path)."""

    config: SiteConfig
    kind: str  # "home", "topic" or "author"
    base: str
    heading: str
    intro: str
    items: Sequence[Explainer]
    extra: Mapping[str, Any]  # more values for the template: "topic" or "author"
    edition: Edition
    versions: Sequence[tuple[str, str]] = ()
    template: ClassVar[str] = LIST_TEMPLATE

    @property
    def count(self) -> int:
        return max(1, -(-len(self.items) // self.config.page_size))

    def _shown(self, n: int) -> tuple[Explainer, ...]:
        size = self.config.page_size
        return tuple(self.items[(n - 1) * size: n * size])

    def page(self, n: int) -> Page:
        """Page `n` (from 1)."""
        config, edition, extra, count = self.config, self.edition, self.extra, self.count
        absolute = partial(absolute_url, config)
        feeds = feed_links(config, edition.prefix + "/", edition.feed_title)
        if "topic" in extra:
            feeds += feed_links(config, self.base, f"{self.heading} | {edition.feed_title}")
        path = paged_path(self.base, n)
        title = self.heading if n == 1 else f"{self.heading} (page {n})"
        shown = self._shown(n)
        context = {"heading": self.heading, "intro": self.intro, "items": shown,
                   "pagination": pagination(self.base, n, count),
                   "nav_topics": edition.nav, **extra}
        description = self.intro or edition.config.description
        seo = list_seo(self.kind, title, description, path, edition.lang, shown, edition.config, absolute, feeds,
                       extra.get("topic"), home=edition.prefix + "/", author=extra.get("author") if n == 1 else None)
        if n == 1:
            seo = replace(seo, alternates=alternates(self.versions, path, absolute))
        return Page(path, output_file(path), self.template,
                    _info(config, self.kind, title, description, path, seo, edition.lang), MappingProxyType(context))

    def entry(self, n: int) -> PageEntry:
        """page(n).entry, without planning the page."""
        return paged_entry(self.config, self.kind, self.base, n, self._shown(n))


@dataclass(frozen=True, slots=True)
class ExplainerPages:
    """Plans an explainer's page on demand: the render workers plan each as they render it, so that the
    build never holds every explainer page at once (at 10,000 explainers, 50 MB that each worker copied)."""

    config: SiteConfig
    editions: tuple[Edition, ...]
    groups: Mapping[str, tuple[Explainer, ...]]  # translations, by translation_key
    links: Links

    @classmethod
    def of(cls, site: Site, config: SiteConfig, editions: Sequence[Edition]) -> ExplainerPages:
        return cls(config, tuple(editions), MappingProxyType(translation_groups(site, config)), Links.of(site))

    def page(self, e: Explainer) -> Page:
        """The explainer's page, linking its translations; its edition gives it feeds, navigation and related."""
        config = self.config
        absolute = partial(absolute_url, config)
        edition = edition_of(self.editions, e.lang)
        context = {"explainer": e, "related": self.links.related(edition.site, e), "series": self.links.series(e),
                   "nav_topics": edition.nav}
        seo = explainer_seo(e, edition.config, absolute, feed_links(config, edition.prefix + "/", edition.feed_title),
                            home=edition.prefix + "/", topics=tuple(map(edition.topic, e.topics)))
        versions = [(t.lang, t.path) for t in self.groups.get(e.translation_key, ())]
        seo = replace(seo, alternates=alternates(versions, e.path, absolute))
        return Page(e.path, output_file(e.path), EXPLAINER_TEMPLATE,
                    _info(config, "explainer", e.title, e.description, e.path, seo, e.lang), MappingProxyType(context))

    def entry(self, e: Explainer) -> PageEntry:
        """page(e).entry, without planning the page."""
        return PageEntry(e.path, output_file(e.path), "explainer", absolute_url(self.config, e.path), e.modified)


def _search_pages(config: SiteConfig, editions: Sequence[Edition]) -> list[Page]:
    """A search page per edition: Pagefind searches the index of the page's language."""
    absolute = partial(absolute_url, config)
    versions = [(ed.lang, ed.prefix + SEARCH_PATH) for ed in editions]
    pages = []
    for edition in editions:
        path = edition.prefix + SEARCH_PATH
        feeds = feed_links(config, edition.prefix + "/", edition.feed_title)
        # The title is a UI string: the meta partial translates it, so seo.title stays empty. The page
        # searches the edition's explainers: it changes, for sitemaps, when the newest of them does.
        newest = max((e.modified for e in edition.site.explainers), default=None)
        words = edition.config
        seo = replace(plain_seo("Search", words.description, words, feeds), title="", modified=newest,
                      robots=ROBOTS, image=card_image(edition.prefix + "/", words.title, absolute),
                      alternates=alternates(versions, path, absolute))
        pages.append(Page(path, output_file(path), "search.html",
                          _info(config, "search", "Search", words.description, path, seo, edition.lang),
                          MappingProxyType({"nav_topics": edition.nav})))
    return pages


def _questions_page(config: SiteConfig, edition: Edition, versions: Sequence[tuple[str, str]] = ()
                    ) -> tuple[Page, list[TopicQuestionPages]]:
    """The edition's /questions/ (/ar/questions/ ...): each topic's newest explainers with their questions,
    linking to the topic's own pages of questions (/questions/<topic>/, page/2/, ...) when it has more; and
    those pages, as plans. `versions`: every edition's, as (language, site path)."""
    absolute = partial(absolute_url, config)
    feeds = feed_links(config, edition.prefix + "/", edition.feed_title)
    topics = question_topics(edition.site, edition.topics, edition.prefix)
    shown = {t.topic: t.explainers[:PREVIEW] for t in topics}
    groups = tuple(t.group(shown[t.topic], t.path if len(t.explainers) > PREVIEW else "") for t in topics)
    listed = tuple({e.path: e for e in sorted((e for s in shown.values() for e in s), key=site_order)}.values())
    words = edition.config
    title, path = "Every question", edition.prefix + QUESTIONS_PATH
    # The title is a UI string: the meta partial translates it, so seo.title stays empty.
    seo = replace(list_seo("questions", title, words.description, path, edition.lang, listed, words, absolute,
                           feeds, home=edition.prefix + "/"), title="", alternates=alternates(versions, path, absolute))
    page = Page(path, output_file(path), "questions.html",
                _info(config, "questions", title, words.description, path, seo, edition.lang),
                MappingProxyType({"groups": groups, "nav_topics": edition.nav}))
    return page, [TopicQuestionPages(config, edition, topic, feeds) for topic in topics
                  if len(topic.explainers) > PREVIEW]


@dataclass(frozen=True, slots=True)
class TopicQuestionPages:
    """A topic's explainers with their questions, PAGE_SIZE to a page, each page planned on demand as
    ListPages are (at 10,000 explainers, 780 such pages took 7 MB planned at once)."""

    config: SiteConfig
    edition: Edition
    topic: QuestionTopic
    feeds: tuple[FeedLink, ...]
    template: ClassVar[str] = "questions.html"

    @property
    def base(self) -> str:
        return self.topic.path

    @property
    def count(self) -> int:
        return -(-len(self.topic.explainers) // PAGE_SIZE)

    def _shown(self, n: int) -> tuple[Explainer, ...]:
        return self.topic.explainers[(n - 1) * PAGE_SIZE: n * PAGE_SIZE]

    def page(self, n: int) -> Page:
        """Page `n` (from 1)."""
        config, edition, topic = self.config, self.edition, self.topic
        path = paged_path(topic.path, n)
        shown = self._shown(n)
        # Titles are UI strings with placeholders, which the meta partial translates and fills in from
        # `title_args`; so seo.title stays empty, and link previews show the topic's name.
        name = topic.topic.name if topic.topic is not None else ""
        title = ("Questions on %(topic)s" if name else "Other questions") + (" (page %(number)s)" if n > 1 else "")
        words = edition.config
        seo = replace(list_seo("questions", name or "Other questions", words.description, path, edition.lang,
                               shown, words, partial(absolute_url, config), self.feeds, home=edition.prefix + "/"),
                      title="")
        return Page(path, output_file(path), self.template,
                    _info(config, "questions", title, words.description, path, seo, edition.lang),
                    MappingProxyType({"groups": (topic.group(shown),),
                                      "pagination": pagination(topic.path, n, self.count),
                                      "title_args": MappingProxyType({"topic": name, "number": n}),
                                      "nav_topics": edition.nav}))

    def entry(self, n: int) -> PageEntry:
        """page(n).entry, without planning the page."""
        return paged_entry(self.config, "questions", self.base, n, self._shown(n))


class PagedList(Protocol):
    """Pages of a list planned on demand: ListPages, TopicQuestionPages."""

    template: ClassVar[str]

    @property
    def base(self) -> str: ...

    @property
    def count(self) -> int: ...

    def page(self, n: int) -> Page: ...

    def entry(self, n: int) -> PageEntry: ...


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every page of the site: explainer and list pages as plans to carry out (`deferred_page`), the others
    planned. Pages come in a stable order: explainers, lists, then the rest."""

    explainers: tuple[Explainer, ...]  # one page each, in site order
    explainer_pages: ExplainerPages
    lists: tuple[PagedList, ...]
    pages: tuple[Page, ...]  # the other pages: questions, search, 404, aliases
    list_starts: tuple[int, ...] = ()  # where each list's pages start among the deferred pages

    @classmethod
    def of(cls, explainers: tuple[Explainer, ...], explainer_pages: ExplainerPages, lists: Sequence[PagedList],
           pages: Sequence[Page]) -> SitePlan:
        starts, at = [], len(explainers)
        for plan in lists:
            starts.append(at)
            at += plan.count
        return cls(explainers, explainer_pages, tuple(lists), tuple(pages), tuple(starts))

    @property
    def deferred(self) -> int:
        """How many pages are planned on demand: deferred_page(0) ... deferred_page(deferred - 1)."""
        return len(self.explainers) + sum(plan.count for plan in self.lists)

    def deferred_page(self, index: int) -> Page:
        if index < len(self.explainers):
            return self.explainer_pages.page(self.explainers[index])
        at = bisect_right(self.list_starts, index) - 1
        return self.lists[at].page(index - self.list_starts[at] + 1)

    def entries(self) -> list[PageEntry]:
        """Every page's entry, in page order."""
        found = list(map(self.explainer_pages.entry, self.explainers))
        for plan in self.lists:
            found += (plan.entry(n) for n in range(1, plan.count + 1))
        return found + [p.entry for p in self.pages]

    def all_pages(self) -> Iterator[Page]:
        """Every page planned, in page order (each deferred one planned now)."""
        yield from map(self.deferred_page, range(self.deferred))
        yield from self.pages

    def __len__(self) -> int:
        return self.deferred + len(self.pages)

    def templates(self) -> set[str]:
        """The templates the pages are rendered with."""
        return ({EXPLAINER_TEMPLATE} if self.explainers else set()) | {plan.template for plan in self.lists} \
            | {p.template for p in self.pages}

    def redirects(self) -> dict[str, str]:
        """Each alias's site path -> the site path of its explainer."""
        return {p.path: p.context["target"] for p in self.pages if p.info.kind == "alias"}


def plan_site(site: Site, config: SiteConfig) -> SitePlan:
    """Every page of the site, in a stable order."""
    editions = plan_editions(site, config)
    main = editions[0]
    lists: list[PagedList] = []
    homes = tuple((ed.lang, ed.prefix + "/") for ed in editions)
    topic_versions: dict[str, list[tuple[str, str]]] = {}
    for edition in editions:
        for topic in edition.site.topics:
            topic_versions.setdefault(topic.slug, []).append((edition.lang, edition.prefix + topic.path))
    for edition in editions:
        # A description in the site's language introduces only its own edition's home.
        own = edition is main or config.words(edition.lang).description
        lists.append(ListPages(config, "home", edition.prefix + "/", edition.config.title,
                               edition.config.description if own else "", edition.site.explainers, EMPTY,
                               edition, homes))
        for topic in edition.topics:
            lists.append(ListPages(config, "topic", topic.path, topic.name, "", edition.site.by_topic[topic.slug],
                                   MappingProxyType({"topic": topic}), edition, tuple(topic_versions[topic.slug])))
    for author in site.authors:
        lists.append(ListPages(config, "author", author.path, author.name, author.bio, site.by_author[author.id],
                               MappingProxyType({"author": author}), main))
    pages: list[Page] = []
    if config.search:
        pages += _search_pages(config, editions)
    question_versions = [(ed.lang, ed.prefix + QUESTIONS_PATH) for ed in editions]
    for edition in editions:
        questions, topic_questions = _questions_page(config, edition, question_versions)
        pages.append(questions)
        lists += topic_questions
    feeds = feed_links(config, "/", config.title)
    not_found = plain_seo("Page not found", config.description, config, feeds)
    pages.append(Page("/404.html", "404.html", "404.html",
                      _info(config, "404", "Page not found", config.description, "/404.html", not_found),
                      MappingProxyType({"nav_topics": main.nav})))
    taken = {e.path for e in site.explainers} | {p.path for p in pages}
    taken |= {paged_path(plan.base, n) for plan in lists for n in range(1, plan.count + 1)}
    pages += _alias_pages(site, config, taken)
    return SitePlan.of(site.explainers, ExplainerPages.of(site, config, editions), lists, pages)


def _alias_pages(site: Site, config: SiteConfig, taken: set[str]) -> list[Page]:
    """A small page at each old path of an explainer (`aliases:`) that sends readers and search engines on;
    an alias naming a taken path gets none (aliases.check_aliases reports it with its line)."""
    pages = []
    for e in site.explainers:
        for alias in e.aliases:
            if alias in taken:
                continue
            taken.add(alias)
            seo = plain_seo(e.title, e.description, config, ())
            info = PageInfo("alias", e.title, e.description, absolute_url(config, e.path), e.lang, e.dir, alias, seo)
            pages.append(Page(alias, output_file(alias), "alias.html", info, MappingProxyType({"target": e.path})))
    return pages


def check_collisions(pages: Sequence[PageEntry], asset_files: Sequence[str],
                     sources: Mapping[str, str]) -> list[Diagnostic]:
    """Two pages, or a page and a content file, that would be written to the same file."""
    owners: dict[str, str] = {rel: f"content/{rel}" for rel in asset_files}
    found = []
    for page in pages:
        who = sources.get(page.path, page.path)
        if page.output in owners and page.path not in sources and page.kind != "alias":  # a page nutgraf makes
            found.append(error(owners[page.output], f"would replace the page {page.path}, which nutgraf makes",
                               hint="rename or move this file; index.html of the site and of each language's "
                                    "folder (such as ar/), 404.html and the list pages are nutgraf's"))
        elif page.output in owners:
            found.append(error(who, f"page {page.path} would overwrite {owners[page.output]}",
                               hint="choose another slug; topics/, authors/, page/, static/, search/ and "
                                    "language tags such as ar/ are taken by nutgraf"))
        else:
            owners[page.output] = who
    for rel, who in owners.items():
        if rel.split("/", 1)[0] == SEARCH_INDEX_DIR:
            found.append(error(who, f"{rel} would be inside {SEARCH_INDEX_DIR}/, the search index's folder",
                               hint=f"choose another slug or folder name; {SEARCH_INDEX_DIR}/ is taken by the search"))
    return found
