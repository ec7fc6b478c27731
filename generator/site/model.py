"""The site model: explainers, authors and topics, assembled, filtered and sorted."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from ..frozen import pickles_by_slots
from ..markup.body import Section
from ..markup.glossary import GlossaryEntry, glossary_for
from ..sources.config import CONFIG_NAME, ID_PATTERN, SiteConfig, setting_position
from ..sources.images import crops, resolve_local
from ..sources.metadata import check_related
from ..sources.slugs import slugify
from ..sources.story import Revision, last_changed
from ..sources.topics import EMPTY_NAMES, TOPICS_PATH, TopicNames

if TYPE_CHECKING:
    from ..markup.body import Body
    from ..sources.images import Derivative, Picture, Source
    from ..sources.metadata import ExplainerMeta, HeroMeta

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


def _author_for(name: str, config: SiteConfig, photos: Mapping[str, Image]) -> Author | str:
    """An author from an id in site.yaml or a plain name; an unknown id gives an error message."""
    if name in config.authors:
        spec = config.authors[name]
        links = tuple(AuthorLink(kind, f"mailto:{value}" if kind == "email" else value) for kind, value in spec.links)
        return Author(name, spec.name, f"/authors/{name}/", spec.url, spec.bio, spec.type, spec.role,
                      photos.get(name), links)
    if ID_PATTERN.match(name):
        return f"unknown author id '{name}'"
    author_id = slugify(name)
    if not author_id:
        return f"author name {name!r} gives no usable id"
    return Author(author_id, name, f"/authors/{author_id}/")


@dataclass(slots=True)
class _Shared:
    """What many explainers show, made once per site so that they share it (at 100,000 explainers, a
    hundred megabytes of equal authors and image crops): topics, authors and crops."""

    topics: dict[str, Topic] = field(default_factory=dict)
    names: Mapping[str, TopicNames] = field(default_factory=lambda: EMPTY_NAMES)  # from content/topics.yaml, by slug
    language: str = "en"  # the site's
    authors: dict[str, Author | str] = field(default_factory=dict)  # by name as written; str: an error
    crops: dict[tuple, tuple] = field(default_factory=dict)  # by (image, focus)
    photos: Mapping[str, Image] = field(default_factory=dict)  # authors' photos, by author id


def author_photos(config: SiteConfig, images: Mapping[str, Picture]) -> tuple[dict[str, Image], list[Diagnostic]]:
    """The photo of each author site.yaml gives one, with the author's name as its alt text; a photo under
    content/ that is missing or unusable is an error at its line in site.yaml."""
    photos, found = {}, []
    for author_id, spec in config.authors.items():
        rel = spec.photo_file
        if not spec.photo:
            continue
        if not rel:
            photos[author_id] = Image(spec.photo, spec.name, 0, 0)
            continue
        picture = images.get(rel)
        problem = "does not exist" if picture is None else picture.problem and f"cannot be used: {picture.problem}"
        if problem:
            found.append(error(CONFIG_NAME, f"the photo of author '{author_id}' {problem} (content/{rel})",
                               setting_position(config.root, f"authors.{author_id}.photo"),
                               "photo paths are relative to content/; JPEG, PNG, WebP or SVG"))
            continue
        photos[author_id] = Image(picture.src, spec.name, picture.width, picture.height, sources=picture.sources)
    return photos, found


def _image(meta: ExplainerMeta, key: str, spec: HeroMeta | None, images: Mapping[str, Picture],
           found: list, shared: _Shared) -> Image | None:
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
    picture = images[rel]
    if picture.problem:
        found.append(error(meta.source, f"{name} '{spec.image}' cannot be used: {picture.problem}", at,
                           "re-export it as JPEG, PNG, WebP or SVG (an SVG needs width and height or a viewBox)"))
        return None
    made = shared.crops.get((rel, spec.focus))
    if made is None:
        made = shared.crops[rel, spec.focus] = crops(picture, spec.focus)
    return Image(picture.src, spec.alt, picture.width, picture.height, spec.credit, spec.caption,
                 picture.sources, made)


def _social_image(meta: ExplainerMeta, hero: Image | None, images, found: list, shared: _Shared) -> Image | None:
    """The link-preview image; without alt text of its own it borrows the hero's when it is the same file."""
    image = _image(meta, "social_image", meta.share.social_image, images, found, shared)
    if image is not None and not image.alt:
        if hero is not None and hero.src == image.src:
            return replace(image, alt=hero.alt)
        found.append(warning(meta.source, "the social image has no alt text", meta.doc.at("social_image"),
                             'write social_image: {image: "...", alt: "what the image shows"}'))
    return image


def _topic(slug: str, name: str, shared: _Shared) -> Topic:
    """A topic as front matter first names it, with its names from topics.yaml."""
    names = shared.names[slug].names if slug in shared.names else ()
    topic = Topic(slug, name, f"/topics/{slug}/", names)
    return replace(topic, name=topic.name_in(shared.language)) if names else topic


def _resolve(meta: ExplainerMeta, body: Body, config: SiteConfig, images, shared: _Shared,
             found: list, glossary: Mapping[str, GlossaryEntry] = EMPTY) -> Explainer:
    authors = []
    for i, name in enumerate(meta.authors):
        author = shared.authors.get(name)
        if author is None:
            author = shared.authors[name] = _author_for(name, config, shared.photos)
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
        topic = shared.topics.get(slug)
        if topic is None:
            topic = shared.topics[slug] = _topic(slug, name, shared)
        if topic not in explainer_topics:
            explainer_topics.append(topic)
    hero = _image(meta, "hero", meta.hero, images, found, shared)
    return Explainer(
        source=meta.source, slug=meta.slug, path=f"/{meta.slug}/", title=meta.title, dek=meta.dek,
        description=meta.description, date=meta.date, updated=last_changed(meta.updated, meta.story),
        authors=tuple(authors),
        topics=tuple(explainer_topics), hero=hero, summary=meta.summary,
        sections=body.sections, body_digest=body.digest, lang=meta.lang, dir=meta.dir, draft=meta.draft,
        extra=meta.extra, seo_title=meta.share.seo_title, social_title=meta.share.social_title,
        social_description=meta.share.social_description,
        social_image=_social_image(meta, hero, images, found, shared),
        translation_key=meta.translation_key,
        corrections=meta.story.corrections, updates=meta.story.updates, related_slugs=meta.story.related,
        series=meta.story.series, glossary=glossary_for(meta, body, glossary, found),
        block_templates=body.block_templates, embeds=body.embeds, aliases=meta.aliases,
    )


def assemble_site(metas: Sequence[tuple[ExplainerMeta, Body]], config: SiteConfig,
                  images: Mapping[str, Picture], *, drafts: bool, future: bool,
                  now: dt.datetime, glossary: Mapping[str, GlossaryEntry] = EMPTY,
                  topic_names: Mapping[str, TopicNames] = EMPTY_NAMES) -> tuple[Site, list[Diagnostic]]:
    """Resolve names, leave out drafts and scheduled explainers, check slugs are unique, and index."""
    photos, found = author_photos(config, images)
    shared = _Shared(names=topic_names, language=config.language, photos=photos)
    explainers: list[Explainer] = []
    first_by_slug: dict[str, str] = {}
    resolved: list[tuple[ExplainerMeta, Explainer]] = []
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
        explainers.append(_resolve(meta, body, config, images, shared, found, glossary))
        resolved.append((meta, explainers[-1]))
    found += _check_translations(resolved)
    if topic_names:  # against every explainer's topics and language, drafts' and scheduled ones' too
        written = {slugify(name): name for meta, _ in metas for name in meta.topics}
        found += _check_topic_names(topic_names, written, {config.language.lower()} | {
            meta.lang.lower() for meta, _ in metas})
    found += check_related((meta for meta, _ in metas), [meta for meta, _ in resolved])
    return index_site(explainers, next_scheduled), found


def _check_topic_names(names: Mapping[str, TopicNames], topics: Mapping[str, str],
                       langs: set[str]) -> list[Diagnostic]:
    """Warnings for topics.yaml's entries that no explainer files under (`topics`: slug -> name as written),
    and for names in languages no explainer is in."""
    found = []
    for slug, entry in names.items():
        if slug not in topics:
            found.append(warning(TOPICS_PATH, f"no explainer is filed under the topic '{entry.key}'", entry.at,
                                 did_you_mean(entry.key, topics.values())
                                 or "write the topic as explainers' front matter does"))
        for lang, _ in entry.names:
            if lang not in langs and lang.split("-")[0] not in langs:
                found.append(warning(TOPICS_PATH, f"no explainer is in {lang}, the language of a name of "
                                                  f"'{entry.key}'", entry.langs_at.get(lang),
                                     did_you_mean(lang, sorted(langs)) or "its name shows once one is"))
    return found


def _check_translations(pairs: Sequence[tuple[ExplainerMeta, Explainer]]) -> list[Diagnostic]:
    """Two explainers that say they translate each other must be in different languages."""
    found = []
    first: dict[tuple[str, str], str] = {}
    for meta, e in pairs:
        if not e.translation_key:
            continue
        key = (e.translation_key, e.lang.lower())
        if key in first:
            found.append(error(meta.source, f"translation_key '{e.translation_key}' is also used by {first[key]}, "
                               f"in the same language ({e.lang})", meta.doc.at("translation_key") or Position(1),
                               "each translation needs its own lang:; or give one of them another translation_key:"))
        else:
            first[key] = meta.source
    return found


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
