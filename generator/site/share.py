"""Share pages: where each page's share card is published, and a small page per question (/<slug>/q/<id>/) that
link previews show as that question, sending readers on to it in its explainer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import ClassVar

from ..sources.config import SiteConfig
from .model import Explainer, Site
from .pages import Page, PageEntry, PageInfo, absolute_url, output_file
from .routes import SitePlan
from .seo import PageSeo, card_image, share_image

QUESTION_KIND = "question-share"  # a page kind that sitemaps leave out and search does not index
QUESTION_TEMPLATE = "question-share.html"
QUESTIONS_DIR = "q/"


def question_path(e: Explainer, section_id: str) -> str:
    return f"{e.path}{QUESTIONS_DIR}{section_id}/"


@dataclass(frozen=True, slots=True)
class QuestionPages:
    """The share pages of one explainer's questions, one per question, each planned on demand (in the render
    workers, as list pages are): redirects with their own title and card, canonical at the question."""

    config: SiteConfig
    explainer: Explainer
    template: ClassVar[str] = QUESTION_TEMPLATE

    @property
    def base(self) -> str:
        return self.explainer.path + QUESTIONS_DIR

    @property
    def sections(self) -> tuple:
        """The questions with a page: the first of each id (an id written twice is the body's error already)."""
        first: dict[str, object] = {}
        for section in self.explainer.sections:
            first.setdefault(section.id, section)
        return tuple(first.values())

    @property
    def count(self) -> int:
        return len(self.sections)

    def page(self, n: int) -> Page:
        """The page of question `n` (from 1)."""
        e, config = self.explainer, self.config
        absolute = partial(absolute_url, config)
        section = self.sections[n - 1]
        path, target = question_path(e, section.id), f"{e.path}#{section.id}"
        words = config.in_language(e.lang)
        image = card_image(path, section.title, absolute) if config.question_share_cards else share_image(e, absolute)
        seo = PageSeo(f"{section.title} | {words.title}", section.title, "article", section.title, section.title,
                      image, None, None, "", (), (), (), "noindex", ())
        info = PageInfo(QUESTION_KIND, section.title, section.title, absolute(target), e.lang, e.dir, path, seo)
        context = {"question": section.title, "target": target, "headline": e.title}
        return Page(path, output_file(path), QUESTION_TEMPLATE, info, MappingProxyType(context))

    def entry(self, n: int) -> PageEntry:
        """page(n).entry, without planning the page."""
        e, section = self.explainer, self.sections[n - 1]
        path = question_path(e, section.id)
        return PageEntry(path, output_file(path), QUESTION_KIND, absolute_url(self.config, f"{e.path}#{section.id}"),
                         None)


def question_pages(site: Site, config: SiteConfig) -> list[QuestionPages]:
    """The question share pages of every explainer with questions."""
    return [QuestionPages(config, e) for e in site.explainers if e.sections]


def with_question_pages(plan: SitePlan, lists: Sequence[QuestionPages]) -> SitePlan:
    """The site's plan with the question share pages after its lists."""
    if not lists:
        return plan
    return SitePlan.of(plan.explainers, plan.explainer_pages, (*plan.lists, *lists), plan.pages)


def site_card_homes(plan: SitePlan) -> list[tuple[str, SiteConfig]]:
    """Each edition's home path with its settings: where the site's own card goes, and what it says."""
    return [(lst.base, lst.edition.config) for lst in plan.lists if getattr(lst, "kind", "") == "home"]

