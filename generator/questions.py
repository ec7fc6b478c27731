"""Questions: every question of every published explainer, grouped by topic, for the /questions/ page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .blocks.dates import PartialDate

if TYPE_CHECKING:
    from .model import Explainer, Site, Topic

QUESTIONS_PATH = "/questions/"


class QuestionLink(NamedTuple):
    """A question, linking to its answer (a named tuple: a big site has tens of thousands)."""

    title: str
    href: str  # site path with the question's anchor, e.g. "/astana-talks/#parties"
    updated: PartialDate | None


@dataclass(frozen=True, slots=True)
class ExplainerQuestions:
    """The questions of one explainer."""

    title: str
    path: str
    lang: str
    dir: str
    questions: tuple[QuestionLink, ...]


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """The explainers of one topic with their questions; `topic` is None for explainers without one."""

    topic: Topic | None
    explainers: tuple[ExplainerQuestions, ...]


def _questions(e: Explainer) -> ExplainerQuestions:
    links = tuple(QuestionLink(s.title, f"{e.path}#{s.id}", s.updated) for s in e.sections)
    return ExplainerQuestions(e.title, e.path, e.lang, e.dir, links)


def question_groups(site: Site) -> tuple[QuestionGroup, ...]:
    """Topics in name order, each with its explainers (newest first) that ask questions; then those without a topic."""
    shown = {e.slug: _questions(e) for e in site.explainers if e.sections}
    groups = [QuestionGroup(topic, tuple(shown[e.slug] for e in site.by_topic[topic.slug] if e.slug in shown))
              for topic in site.topics]
    loose = tuple(shown[e.slug] for e in site.explainers if e.slug in shown and not e.topics)
    if loose:
        groups.append(QuestionGroup(None, loose))
    return tuple(g for g in groups if g.explainers)
