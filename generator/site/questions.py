"""Questions: every question of every published explainer, by topic: each edition's /questions/ (/ar/questions/
...) shows each topic's newest and links to the topic's own pages of questions, so that no page grows with
the archive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Explainer, Site, Topic

QUESTIONS_PATH = "/questions/"  # under each edition's language prefix
LOOSE_SLUG = "no-topic"  # /questions/no-topic/: the questions of explainers filed under no topic
PREVIEW = 3  # explainers each topic shows on /questions/
PAGE_SIZE = 40  # explainers on each page of a topic's questions (8 questions each make about 200 KB)


class QuestionGroup(NamedTuple):
    """Explainers of one topic, whose questions (`.sections`) a page lists; `topic` is None for explainers
    without one. (A named tuple of explainers: page digests see through it to each explainer's card.)"""

    topic: Topic | None
    explainers: tuple[Explainer, ...]  # those this page shows
    total: int  # how many of the topic's explainers ask questions
    more: str = ""  # site path of the topic's own pages of questions, when this page shows only some


@dataclass(frozen=True, slots=True)
class QuestionTopic:
    """A topic (None: no topic) and its explainers that ask questions, newest first."""

    topic: Topic | None  # as its edition shows it
    explainers: tuple[Explainer, ...]
    prefix: str = ""  # the edition's language prefix, "" or e.g. "/ar"

    @property
    def path(self) -> str:
        """Where the topic's own pages of questions start."""
        return f"{self.prefix}{QUESTIONS_PATH}{LOOSE_SLUG if self.topic is None else self.topic.slug}/"

    def group(self, shown: tuple[Explainer, ...], more: str = "") -> QuestionGroup:
        return QuestionGroup(self.topic, shown, len(self.explainers), more)


def question_topics(site: Site, shown: Sequence[Topic] = (), prefix: str = "") -> tuple[QuestionTopic, ...]:
    """Topics in name order (those of `site`, or `shown` as an edition under `prefix` shows them), each with
    its explainers (newest first) that ask questions; then those without a topic. Topics none of whose
    explainers ask anything are left out."""
    topics = [QuestionTopic(topic, tuple(e for e in site.by_topic[topic.slug] if e.sections), prefix)
              for topic in shown or site.topics]
    topics.append(QuestionTopic(None, tuple(e for e in site.explainers if e.sections and not e.topics), prefix))
    return tuple(t for t in topics if t.explainers)
