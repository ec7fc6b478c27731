"""Routes: plan every output page of the site (explainers, lists, questions, search, 404, aliases) and check
that no two are written to the same file."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from types import MappingProxyType

from ..diagnostics import Diagnostic, error
from ..sources.config import SiteConfig
from .editions import Edition, alternates, edition_of, plan_editions, translation_groups
from .lists import ListPages, PagedList, questions_page
from .model import EMPTY, Explainer, Site
from .navigation import Links
from .pages import Page, PageEntry, PageInfo, absolute_url, feed_links, output_file, page_info, paged_path
from .questions import QUESTIONS_PATH
from .seo import ROBOTS, card_image, explainer_seo, plain_seo

SEARCH_PATH = "/search/"  # each edition's search page, under its language prefix
SEARCH_INDEX_DIR = "pagefind"  # the Pagefind index in output/, which search.py makes
EXPLAINER_TEMPLATE = "explainer.html"


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
                    page_info(config, "explainer", e.title, e.description, e.path, seo, e.lang),
                    MappingProxyType(context))

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
                          page_info(config, "search", "Search", words.description, path, seo, edition.lang),
                          MappingProxyType({"nav_topics": edition.nav})))
    return pages



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
        questions, topic_questions = questions_page(config, edition, question_versions)
        pages.append(questions)
        lists += topic_questions
    feeds = feed_links(config, "/", config.title)
    not_found = plain_seo("Page not found", config.description, config, feeds)
    pages.append(Page("/404.html", "404.html", "404.html",
                      page_info(config, "404", "Page not found", config.description, "/404.html", not_found),
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
