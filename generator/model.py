"""The site model: explainers, authors and topics, assembled, filtered and sorted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .config import ID_PATTERN, SiteConfig
from .diagnostics import Diagnostic, Position, did_you_mean, error, warning
from .images import resolve_local
from .slugs import slugify

if TYPE_CHECKING:
    from .markup import Body
    from .metadata import ExplainerMeta, HeroMeta

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Author:
    """A byline: an author from site.yaml or a plain name from front matter."""

    id: str
    name: str
    path: str  # site path of the author's page, e.g. "/authors/jane-doe/"
    url: str = ""  # the author's own page elsewhere, if any
    bio: str = ""
    type: str = "person"  # or "organization"


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic that explainers are filed under."""

    slug: str
    name: str
    path: str  # e.g. "/topics/syria/"


@dataclass(frozen=True, slots=True)
class Image:
    """An image as the theme shows it: where it is, how big, and whom to credit."""

    src: str  # site path, e.g. "/images/astana.svg"
    alt: str
    width: int
    height: int
    credit: str = ""
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """One question of an explainer: its heading text and its stable id."""

    id: str
    title: str


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
    updated: dt.datetime | None
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

    @property
    def modified(self) -> dt.datetime:
        """The newest of published and updated: what lists sort by."""
        return self.updated or self.date


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

    def related(self, explainer: Explainer, limit: int = 4) -> tuple[Explainer, ...]:
        """Other explainers sharing the most topics with this one, newest first.

        Candidates are the newest RELATED_WINDOW of each topic, so that a big archive stays linear.
        """
        scores: dict[str, int] = {}
        candidates: dict[str, Explainer] = {}
        for topic in explainer.topics:
            for other in self.by_topic.get(topic.slug, ())[:RELATED_WINDOW]:
                if other.slug != explainer.slug:
                    scores[other.slug] = scores.get(other.slug, 0) + 1
                    candidates[other.slug] = other
        ranked = sorted(candidates.values(), key=lambda e: (-scores[e.slug], *site_order(e)))
        return tuple(ranked[:limit])


def _author_for(name: str, config: SiteConfig) -> Author | str:
    """An author from an id in site.yaml or a plain name; an unknown id gives an error message."""
    if name in config.authors:
        spec = config.authors[name]
        return Author(name, spec.name, f"/authors/{name}/", spec.url, spec.bio, spec.type)
    if ID_PATTERN.match(name):
        return f"unknown author id '{name}'"
    author_id = slugify(name)
    if not author_id:
        return f"author name {name!r} gives no usable id"
    return Author(author_id, name, f"/authors/{author_id}/")


def _image(meta: ExplainerMeta, key: str, spec: HeroMeta | None, images: Mapping[str, tuple[int, int] | None],
           found: list) -> Image | None:
    """An image named in front matter (`hero` or `social_image`), checked to exist and have a size."""
    if spec is None:
        return None
    rel = resolve_local(meta.source.removeprefix("content/"), spec.image)
    at = meta.doc.at(f"{key}.image")
    name = "hero image" if key == "hero" else key.replace("_", " ")
    if rel not in images:
        found.append(error(meta.source, f"{name} '{spec.image}' does not exist (looked for content/{rel})",
                           at, "image paths are relative to the explainer's file"))
        return None
    size = images[rel]
    if size is None:
        found.append(error(meta.source, f"{name} '{spec.image}' is not a readable image", at,
                           "re-export it as JPEG, PNG, WebP or SVG (an SVG needs width and height or a viewBox)"))
        return None
    return Image("/" + rel, spec.alt, size[0], size[1], spec.credit, spec.caption)


def _social_image(meta: ExplainerMeta, hero: Image | None, images, found: list) -> Image | None:
    """The link-preview image; without alt text of its own it borrows the hero's when it is the same file."""
    image = _image(meta, "social_image", meta.share.social_image, images, found)
    if image is not None and not image.alt:
        if hero is not None and hero.src == image.src:
            return Image(image.src, hero.alt, image.width, image.height)
        found.append(warning(meta.source, "the social image has no alt text", meta.doc.at("social_image"),
                             'write social_image: {image: "...", alt: "what the image shows"}'))
    return image


def _resolve(meta: ExplainerMeta, body: Body, config: SiteConfig, images, topics: dict[str, Topic],
             found: list) -> Explainer:
    authors = []
    for i, name in enumerate(meta.authors):
        author = _author_for(name, config)
        if isinstance(author, str):
            found.append(error(meta.source, author, meta.doc.at(f"authors.{i}"),
                               did_you_mean(name, config.authors) or "add the id under `authors:` in site.yaml, "
                               "or write the author's full name"))
        else:
            authors.append(author)
    explainer_topics = []
    for i, name in enumerate(meta.topics):
        slug = slugify(name)
        if not slug:
            found.append(error(meta.source, f"topic {name!r} gives no usable URL", meta.doc.at(f"topics.{i}"),
                               "use words with letters or digits"))
            continue
        topic = topics.setdefault(slug, Topic(slug, name, f"/topics/{slug}/"))
        if topic not in explainer_topics:
            explainer_topics.append(topic)
    hero = _image(meta, "hero", meta.hero, images, found)
    return Explainer(
        source=meta.source, slug=meta.slug, path=f"/{meta.slug}/", title=meta.title, dek=meta.dek,
        description=meta.description, date=meta.date, updated=meta.updated, authors=tuple(authors),
        topics=tuple(explainer_topics), hero=hero, summary=meta.summary,
        sections=body.sections, body_digest=body.digest, lang=meta.lang, dir=meta.dir, draft=meta.draft,
        extra=meta.extra, seo_title=meta.share.seo_title, social_title=meta.share.social_title,
        social_description=meta.share.social_description,
        social_image=_social_image(meta, hero, images, found),
    )


def assemble_site(metas: Sequence[tuple[ExplainerMeta, Body]], config: SiteConfig,
                  images: Mapping[str, tuple[int, int] | None], *, drafts: bool, future: bool,
                  now: dt.datetime) -> tuple[Site, list[Diagnostic]]:
    """Resolve names, leave out drafts and scheduled explainers, check slugs are unique, and index."""
    found: list[Diagnostic] = []
    topics: dict[str, Topic] = {}
    explainers: list[Explainer] = []
    first_by_slug: dict[str, str] = {}
    next_scheduled = None
    for meta, body in metas:
        if meta.draft and not drafts:
            continue
        if meta.date > now and not future:
            next_scheduled = min(next_scheduled or meta.date, meta.date)
            continue
        if meta.slug in first_by_slug:
            found.append(error(meta.source, f"slug '{meta.slug}' is also used by {first_by_slug[meta.slug]}",
                               meta.doc.at("slug") or Position(1), "give one of them another slug: in front matter"))
            continue
        first_by_slug[meta.slug] = meta.source
        explainers.append(_resolve(meta, body, config, images, topics, found))
    explainers.sort(key=site_order)
    by_topic: dict[str, list[Explainer]] = {}
    by_author: dict[str, list[Explainer]] = {}
    authors: dict[str, Author] = {}
    for e in explainers:
        for topic in e.topics:
            by_topic.setdefault(topic.slug, []).append(e)
        for author in e.authors:
            authors.setdefault(author.id, author)
            by_author.setdefault(author.id, []).append(e)
    site = Site(
        explainers=tuple(explainers),
        topics=tuple(sorted((t for t in topics.values() if t.slug in by_topic), key=lambda t: t.name.casefold())),
        authors=tuple(sorted(authors.values(), key=lambda a: a.name.casefold())),
        by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        by_author=MappingProxyType({k: tuple(v) for k, v in by_author.items()}),
        next_scheduled=next_scheduled,
    )
    return site, found
