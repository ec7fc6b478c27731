"""Benchmark content model: the in-memory corpus and the Markdown body every tool receives."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pictures import Picture

BASE_URL = "https://bench.example.org/"
SITE_TITLE = "Nutgraf Benchmark Explainers"
SITE_DESCRIPTION = "A generated archive of news explainers for benchmarking static-site generators."
TIMEZONE = "Europe/London"
PAGE_SIZE = 10
FIRST_DAY = dt.datetime(2015, 1, 1)
LAST_DAY = dt.datetime(2025, 12, 31)


@dataclass(frozen=True, slots=True)
class Author:
    id: str
    name: str
    url: str
    bio: str


@dataclass(frozen=True, slots=True)
class Hero:
    image: str  # file name in images/
    alt: str
    credit: str
    caption: str


@dataclass(frozen=True, slots=True)
class Section:
    """One question section; at most one of bullets, quote and image is set per section in practice."""

    question: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()
    quote: str = ""
    image: tuple[str, str] | None = None  # (file name in images/, alt)


@dataclass(frozen=True, slots=True)
class Explainer:
    slug: str
    title: str
    dek: str
    date: dt.datetime
    updated: dt.datetime | None
    authors: tuple[str, ...]  # author ids
    topics: tuple[str, ...]  # topic names
    hero: Hero
    intro: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Corpus:
    seed: int
    authors: tuple[Author, ...]
    explainers: tuple[Explainer, ...]
    pictures: tuple[Picture, ...]
    logo: Picture
    kind: str = "standard"  # or "plain" (see corpus.KINDS)

    def author_names(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        """The display names of author ids."""
        by_id = {a.id: a.name for a in self.authors}
        return tuple(by_id[i] for i in ids)


def slugify(text: str) -> str:
    """An ASCII slug, the same one nutgraf, Hugo and Pelican derive from the corpus' plain names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def body_markdown(explainer: Explainer, image_prefix: str) -> str:
    """The explainer's body as Markdown; images are linked as `image_prefix` + file name."""
    blocks = [explainer.intro]
    for section in explainer.sections:
        blocks.append(f"## {section.question}")
        blocks.append(section.paragraphs[0])
        if section.bullets:
            blocks.append("\n".join(f"- {b}" for b in section.bullets))
        if section.quote:
            blocks.append(f"> {section.quote}")
        if section.image:
            blocks.append(f"![{section.image[1]}]({image_prefix}{section.image[0]})")
        blocks.extend(section.paragraphs[1:])
    return "\n\n".join(blocks) + "\n"


def section_words(section: Section) -> int:
    """Words of prose in a section (heading and markup left out)."""
    return sum(len(t.split()) for t in (*section.paragraphs, *section.bullets, section.quote))


def word_count(explainer: Explainer) -> int:
    """Words of prose in the body (headings and markup left out)."""
    return len(explainer.intro.split()) + sum(section_words(s) for s in explainer.sections)


def iso(moment: dt.datetime) -> str:
    """ISO 8601 with seconds and the offset as written: 2017-01-23T09:30:00+06:00."""
    return moment.isoformat(timespec="seconds")


