"""Assembly: explainers' metadata and bodies resolved into the site model: authors (with their photos),
topics (with their names per language), images, glossaries; drafts and scheduled ones left out, slugs and
translations checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from ..markup.glossary import GlossaryEntry, glossary_for
from ..sources.config import CONFIG_NAME, ID_PATTERN, SiteConfig, setting_position
from ..sources.images import crops, resolve_local
from ..sources.metadata import check_related
from ..sources.slugs import slugify
from ..sources.story import last_changed
from ..sources.topics import EMPTY_NAMES, TOPICS_PATH, TopicNames
from .model import EMPTY, Author, AuthorLink, Explainer, Image, Site, Topic, index_site

if TYPE_CHECKING:
    from ..markup.body import Body
    from ..sources.images import Picture
    from ..sources.metadata import ExplainerMeta, HeroMeta


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
        block_templates=body.block_templates, embeds=body.embeds, aliases=meta.aliases, cards=body.cards,
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
