"""The site model: explainers, authors, topics and images as frozen values, and the Site indexing them."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from ..frozen import pickles_by_slots
from ..markup.body import Section
from ..markup.glossary import GlossaryEntry
from ..sources.story import Revision

if TYPE_CHECKING:
    from ..sources.images import Derivative, Source

EMPTY: Mapping = MappingProxyType({})


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Author:
    """A byline: an author from site.yaml or a plain name from front matter."""

    id: str
    name: str
    path: str  # site path of the author's page, e.g. "/authors/jane-doe/"
    url: str = ""  # the author's own page elsewhere, if any
    bio: str = ""
    type: str = "person"  # or "organization"
    role: str = ""  # the job title
    photo: Image | None = None  # alt text: the name; an https URL elsewhere has src only (width 0)
    links: tuple[AuthorLink, ...] = ()  # site.yaml's `links:`, in config.AUTHOR_LINKS' order


class AuthorLink(NamedTuple):
    """One of an author's links: its kind ("website", "email", "x" ...) and its href (mailto: for email)."""

    kind: str
    href: str


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Topic:
    """A topic that explainers are filed under."""

    slug: str
    name: str  # in the site's language (content/topics.yaml's name in it), else as front matter first wrote it
    path: str  # e.g. "/topics/syria/"
    names: tuple[tuple[str, str], ...] = ()  # (lower-case language tag, name) from content/topics.yaml

    def name_in(self, lang: str) -> str:
        """The topic's name for readers of `lang` (or of its base language), else its own."""
        lang = lang.lower()
        names = dict(self.names)
        return names.get(lang) or names.get(lang.split("-")[0]) or self.name


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Image:
    """An image as the theme shows it: where it is, how big, and whom to credit."""

    src: str  # site path of the `<img>` file, e.g. "/images/astana.svg"
    alt: str
    width: int
    height: int
    credit: str = ""
    caption: str = ""
    sources: tuple[Source, ...] = ()  # photos: each format's widths, best first, the `<img>`'s own last
    crops: tuple[Derivative, ...] = ()  # photos: "social" (1200x630), "16x9", "4x3", "1x1"; .name, .src, .width

    def crop(self, name: str) -> Derivative | None:
        """The crop called `name`, if the image has crops."""
        return next((c for c in self.crops if c.name == name), None)


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Explainer:
    """A published (or previewed) explainer with everything the theme needs but its body."""

    source: str  # path relative to the site root, for diagnostics
    slug: str
    path: str  # site path, "/<slug>/"
    title: str
    dek: str
    description: str
    date: dt.datetime
    updated: dt.datetime | None  # the last change: `updated:`, an update or a correction, whichever is newest
    authors: tuple[Author, ...]
    topics: tuple[Topic, ...]
    hero: Image | None
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    body_digest: str  # key of the rendered body in the body store
    lang: str
    dir: str  # "ltr" or "rtl"
    draft: bool = False
    extra: Mapping = field(default_factory=lambda: EMPTY)
    seo_title: str = ""  # for search results; "" means the title
    social_title: str = ""  # for link previews; "" means the title
    social_description: str = ""  # for link previews; "" means the description
    social_image: Image | None = None  # for link previews and structured data; None means the hero
    translation_key: str = ""  # shared by the translations of one explainer; "" for none
    corrections: tuple[Revision, ...] = ()  # the log at the end of the article, oldest first
    updates: tuple[Revision, ...] = ()  # the newest is already in `updated`
    related_slugs: tuple[str, ...] = ()  # named in front matter, shown before those found by topic
    series: str = ""  # the name of the series it is a part of, or ""
    glossary: tuple[GlossaryEntry, ...] = ()  # the glossary terms its text marks
    block_templates: tuple[str, ...] = ()  # the theme templates its body's blocks are rendered with
    embeds: tuple[str, ...] = ()  # the providers its body embeds (markup/blocks/embeds.py keys), for the CSP
    cards: tuple[str, ...] = ()  # the ids of the cards whose answers its body shows (filled in when rendered)
    aliases: tuple[str, ...] = ()  # old site paths that redirect here

    @property
    def modified(self) -> dt.datetime:
        """The newest of published and updated: what lists sort by."""
        return self.updated or self.date

    @property
    def corrected(self) -> bool:
        """The last change is a correction (not an update, nor an `updated:` after it): shown as "Corrected"."""
        return (bool(self.corrections) and self.corrections[-1].date == self.updated
                and all(u.date < self.updated for u in self.updates))


RELATED_WINDOW = 64


def site_order(explainer: Explainer) -> tuple:
    """How lists sort: newest-modified first, then by title and slug so that ties are stable."""
    return (-explainer.modified.timestamp(), explainer.title, explainer.slug)


@dataclass(frozen=True, slots=True)
class Site:
    """Every explainer that will be published, newest-modified first, with its indexes."""

    explainers: tuple[Explainer, ...]
    topics: tuple[Topic, ...]  # sorted by name
    authors: tuple[Author, ...]  # sorted by name
    by_topic: Mapping[str, tuple[Explainer, ...]]
    by_author: Mapping[str, tuple[Explainer, ...]]
    next_scheduled: dt.datetime | None = None  # when the next future explainer falls due
    order: Mapping[str, int] = field(default_factory=lambda: EMPTY)  # slug -> position in `explainers`
    # topic slug -> the positions of its newest RELATED_WINDOW explainers: the candidates of `related`
    windows: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: EMPTY)

    def related(self, explainer: Explainer, limit: int = 4) -> tuple[Explainer, ...]:
        """Other explainers sharing the most topics with this one, newest first.

        Candidates are the newest RELATED_WINDOW of each topic, so that a big archive stays linear.
        """
        # Counted by position in `explainers`, so that ranking compares plain (-score, position) pairs.
        scores = Counter()
        for topic in explainer.topics:
            scores.update(self.windows.get(topic.slug, ()))
        scores.pop(self.order.get(explainer.slug, -1), None)
        best = heapq.nsmallest(limit, ((-score, at) for at, score in scores.items()))
        return tuple(self.explainers[at] for _, at in best)




def index_site(explainers: Sequence[Explainer], next_scheduled: dt.datetime | None = None) -> Site:
    """The site made of `explainers`: sorted newest-modified first, with its topic and author indexes."""
    explainers = sorted(explainers, key=site_order)
    by_topic: dict[str, list[Explainer]] = {}
    by_author: dict[str, list[Explainer]] = {}
    authors: dict[str, Author] = {}
    topics: dict[str, Topic] = {}
    order = {e.slug: i for i, e in enumerate(explainers)}
    for e in explainers:
        for topic in e.topics:
            topics.setdefault(topic.slug, topic)
            by_topic.setdefault(topic.slug, []).append(e)
        for author in e.authors:
            authors.setdefault(author.id, author)
            by_author.setdefault(author.id, []).append(e)
    return Site(
        explainers=tuple(explainers),
        topics=tuple(sorted(topics.values(), key=lambda t: t.name.casefold())),
        authors=tuple(sorted(authors.values(), key=lambda a: a.name.casefold())),
        by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        by_author=MappingProxyType({k: tuple(v) for k, v in by_author.items()}),
        next_scheduled=next_scheduled,
        order=MappingProxyType(order),
        windows=MappingProxyType({k: tuple(order[e.slug] for e in v[:RELATED_WINDOW]) for k, v in by_topic.items()}),
    )
