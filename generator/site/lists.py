"""Lists: the pages of a list (home, topic, author, a topic's questions) planned on demand, and each edition's
/questions/ page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from ..sources.config import SiteConfig
from .editions import Edition, alternates
from .model import Explainer, site_order
from .pages import (
    Page,
    PageEntry,
    absolute_url,
    feed_links,
    output_file,
    page_info,
    paged_entry,
    paged_path,
    pagination,
)
from .questions import PAGE_SIZE, PREVIEW, QUESTIONS_PATH, QuestionTopic, question_topics
from .seo import FeedLink, list_seo

LIST_TEMPLATE = "list.html"


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
                    page_info(config, self.kind, title, description, path, seo, edition.lang),
                    MappingProxyType(context))

    def entry(self, n: int) -> PageEntry:
        """page(n).entry, without planning the page."""
        return paged_entry(self.config, self.kind, self.base, n, self._shown(n))




def questions_page(config: SiteConfig, edition: Edition, versions: Sequence[tuple[str, str]] = ()
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
                page_info(config, "questions", title, words.description, path, seo, edition.lang),
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
                    page_info(config, "questions", title, words.description, path, seo, edition.lang),
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

