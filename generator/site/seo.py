"""SEO: what search engines, feed readers and link previews read about each page, as data; JSON-LD dumped safely."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from babel.core import Locale, UnknownLocaleError, get_global
from markupsafe import Markup

from ..frozen import pickles_by_slots
from ..sources.config import SiteConfig
from .model import Author, Explainer, Image, Topic

if TYPE_CHECKING:
    from ..sources.images import Derivative

# A site path ("/astana-talks/") to its absolute URL; pages.absolute_url bound to the site's config.
Absolute = Callable[[str], str]

SCHEMA = "https://schema.org"
ROBOTS = "max-image-preview:large"
FAVICON = "/static/favicon.svg"
CARD_NAME = "share.jpg"  # each page's share card, under its own path: /<slug>/share.jpg, /share.jpg ...
CARD_WIDTH, CARD_HEIGHT = 1200, 630
# Characters that could end a <script> element or start markup, written as JSON escapes instead.
_SCRIPT_SAFE = MappingProxyType({ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                                 0x2028: "\\u2028", 0x2029: "\\u2029"})


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed for `<link rel="alternate">`."""

    href: str  # absolute URL
    type: str  # media type, e.g. application/atom+xml
    title: str


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture of link previews and structured data."""

    url: str  # absolute URL
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in one language, for `<link rel="alternate" hreflang>` and the language switcher."""

    lang: str  # language tag
    href: str  # absolute URL
    path: str  # site path
    name: str  # the language's name in itself, e.g. "العربية"
    dir: str  # "ltr" or "rtl", of the name
    current: bool  # the page that lists it


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class PageSeo:
    """Everything base.html's meta partial prints: titles, Open Graph, feeds and structured data."""

    title: str  # the whole <title>
    description: str  # meta description
    og_type: str  # "article" or "website"
    social_title: str
    social_description: str
    image: ShareImage | None
    published: dt.datetime | None  # explainers only
    modified: dt.datetime | None  # explainers: updated or published; lists: their newest item
    section: str  # article:section, the first topic
    tags: tuple[str, ...]  # article:tag, every topic
    authors: tuple[str, ...]  # article:author, URLs of the authors' pages
    feeds: tuple[FeedLink, ...]
    robots: str  # content of <meta name="robots">, "" for none
    # JSON-LD objects as script-safe JSON text, each printed in its own script element. Dumped when the
    # page is planned: text is immutable and cheap to digest, where frozen nested mappings were not.
    structured: tuple[str, ...]
    alternates: tuple[Alternate, ...] = ()  # the page in every language it has, x-default first; () for one

    @property
    def x_default(self) -> str:
        """The version for readers of any other language: the one in the site's language, else the first."""
        return self.alternates[0].href if self.alternates else ""

    @property
    def json_ld(self) -> tuple[Markup, ...]:
        """Each structured-data object as JSON that is safe inside a script element."""
        return tuple(Markup(item) for item in self.structured)


@lru_cache(maxsize=64)
def og_locale(lang: str) -> str:
    """Open Graph's language_TERRITORY for a language tag: en -> en_US, ar -> ar_EG, pt-BR -> pt_BR (CLDR's likely)."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return lang.replace("-", "_")
    if locale.territory is None:
        likely = get_global("likely_subtags")
        locale = Locale.parse(likely.get(str(locale)) or likely.get(locale.language) or str(locale))
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def _plain(value: Any) -> Any:
    """json.dumps' fallback for the read-only mappings kept in frozen values."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` escaped, so no value can end the script."""
    return Markup(json.dumps(data, ensure_ascii=False, default=_plain).translate(_SCRIPT_SAFE))


def _dumped(objects) -> tuple[str, ...]:
    """Structured-data objects as the JSON text their script elements hold."""
    return tuple(str(json_ld(item)) for item in objects)


def iso(value: dt.datetime) -> str:
    """ISO 8601 with the offset, exactly as the templates' `isoformat` filter prints `<time datetime>`."""
    return value.isoformat()


def _link(value: str, absolute: Absolute) -> str:
    """An absolute URL from site.yaml: kept when it has a scheme, else read as a site path."""
    if not value or urlsplit(value).scheme:
        return value
    return absolute("/" + value.lstrip("/"))


def publisher_ld(config: SiteConfig, absolute: Absolute) -> dict[str, Any]:
    """The publisher as a schema.org Organization with its logo (the favicon when site.yaml names none)."""
    publisher = config.publisher
    return {"@type": "Organization", "name": publisher.name or config.title,
            "url": _link(publisher.url, absolute) or absolute("/"),
            "logo": {"@type": "ImageObject", "url": _link(publisher.logo, absolute) or absolute(FAVICON)}}


def author_url(author: Author, absolute: Absolute) -> str:
    """The author's own page if site.yaml names one, else their page on this site."""
    return _link(author.url, absolute) or absolute(author.path)


def _author_ld(author: Author, absolute: Absolute) -> dict[str, Any]:
    kind = "Organization" if author.type == "organization" else "Person"
    return {"@type": kind, "name": author.name, "url": author_url(author, absolute)}


def profile_ld(author: Author, url: str, lang: str, absolute: Absolute) -> dict[str, Any]:
    """schema.org ProfilePage of an author's page, its mainEntity the Person (or Organization) with their role,
    photo, bio, email and links (sameAs), as Google's profile-page structured data describes."""
    kind = "Organization" if author.type == "organization" else "Person"
    photo = author.photo
    entity = {"@type": kind, "name": author.name, "url": author_url(author, absolute),
              "jobTitle": author.role if kind == "Person" else "", "description": author.bio,
              "image": (photo.src if not photo.width else absolute(photo.src)) if photo else "",
              "email": next((link.href.removeprefix("mailto:") for link in author.links if link.kind == "email"), ""),
              "sameAs": [link.href for link in author.links if link.kind != "email"]}
    return {"@context": SCHEMA, "@type": "ProfilePage", "url": url, "inLanguage": lang,
            "mainEntity": {k: v for k, v in entity.items() if v not in ("", [])}}


def breadcrumbs_ld(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A BreadcrumbList from (name, absolute URL) pairs, the home page first."""
    items = [{"@type": "ListItem", "position": n, "name": name, "item": url}
             for n, (name, url) in enumerate(trail, start=1)]
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": items}


def card_rel(path: str) -> str:
    """The output file of the share card of the page at site path `path` (outputs/sharecards.py draws it)."""
    return path.lstrip("/") + CARD_NAME


def card_image(path: str, alt: str, absolute: Absolute) -> ShareImage:
    """The link-preview image of the page at `path`: its 1200x630 share card."""
    return ShareImage(absolute("/" + card_rel(path)), CARD_WIDTH, CARD_HEIGHT, alt)


def photo_crop(image: Image | None) -> Derivative | None:
    """A photo's full-size 1200x630 crop, which is its explainer's card as it is; None for other images."""
    crop = image.crop("social") if image is not None else None
    return crop if crop is not None and (crop.width, crop.height) == (CARD_WIDTH, CARD_HEIGHT) else None


def share_image(e: Explainer, absolute: Absolute) -> ShareImage:
    """The explainer's share card: its social image's (else its hero's) crop when that is a large enough photo,
    else a card drawn with its headline; a raster image, which every link preview shows."""
    image: Image | None = e.social_image or e.hero
    return card_image(e.path, image.alt if photo_crop(image) else e.social_title or e.title, absolute)


def _ld_images(image: Image) -> list[str]:
    """The crops structured data asks for (16:9, 4:3, 1:1) of a photo, else the image itself (site paths)."""
    return [c.src for c in image.crops if c.name != "social"] or [image.src]


def article_ld(e: Explainer, config: SiteConfig, absolute: Absolute, topics: Sequence[Topic] = ()) -> dict[str, Any]:
    """schema.org BackgroundNewsArticle, the NewsArticle type for explainers and backgrounders; `topics`: its
    topics as its edition names them (else as the site does)."""
    topics = topics or e.topics
    canonical = absolute(e.path)
    images = [absolute(src) for i in (e.social_image, e.hero) if i is not None for src in _ld_images(i)]
    data: dict[str, Any] = {
        "@context": SCHEMA, "@type": "BackgroundNewsArticle", "headline": e.seo_title or e.title,
        "description": e.description, "image": list(dict.fromkeys(images)),
        "datePublished": iso(e.date), "dateModified": iso(e.modified),
        "author": [_author_ld(a, absolute) for a in e.authors] or [publisher_ld(config, absolute)],
        "publisher": publisher_ld(config, absolute),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical}, "url": canonical, "inLanguage": e.lang,
        "articleSection": topics[0].name if topics else "", "keywords": [t.name for t in topics],
    }
    return {k: v for k, v in data.items() if v not in ("", [])}


def explainer_seo(e: Explainer, config: SiteConfig, absolute: Absolute, feeds: tuple[FeedLink, ...],
                  home: str = "/", topics: Sequence[Topic] = ()) -> PageSeo:
    """Metadata of an explainer page: article Open Graph, BackgroundNewsArticle and its breadcrumbs. `config`
    has the words of the explainer's edition, whose home is `home` and which shows its topics as `topics`."""
    topics = topics or e.topics
    trail = [(config.title, absolute(home))] + [(t.name, absolute(t.path)) for t in topics[:1]]
    trail.append((e.seo_title or e.title, absolute(e.path)))
    return PageSeo(
        title=f"{e.seo_title or e.title} | {config.title}", description=e.description,
        og_type="article", social_title=e.social_title or e.title,
        social_description=e.social_description or e.description, image=share_image(e, absolute),
        published=e.date, modified=e.modified, section=topics[0].name if topics else "",
        tags=tuple(t.name for t in topics), authors=tuple(author_url(a, absolute) for a in e.authors),
        feeds=feeds, robots=ROBOTS,
        structured=_dumped((article_ld(e, config, absolute, topics), breadcrumbs_ld(trail))),
    )


def _collection_ld(name: str, description: str, url: str, lang: str, items: Sequence[Explainer],
                   config: SiteConfig, absolute: Absolute, home: str) -> dict[str, Any]:
    listed = [{"@type": "ListItem", "position": n, "url": absolute(e.path), "name": e.title}
              for n, e in enumerate(items, start=1)]
    data = {"@context": SCHEMA, "@type": "CollectionPage", "name": name, "description": description, "url": url,
            "inLanguage": lang, "isPartOf": {"@type": "WebSite", "name": config.title, "url": home},
            "mainEntity": {"@type": "ItemList", "numberOfItems": len(listed), "itemListElement": listed}}
    return {k: v for k, v in data.items() if v != ""}


def website_ld(config: SiteConfig, absolute: Absolute, home: str = "/", lang: str = "") -> dict[str, Any]:
    """schema.org WebSite for the home page (of the site, or of its edition in one language)."""
    data = {"@context": SCHEMA, "@type": "WebSite", "name": config.title, "url": absolute(home),
            "description": config.description, "inLanguage": lang or config.language,
            "publisher": publisher_ld(config, absolute)}
    return {k: v for k, v in data.items() if v != ""}


def list_seo(kind: str, title: str, description: str, path: str, lang: str, items: Sequence[Explainer],
             config: SiteConfig, absolute: Absolute, feeds: tuple[FeedLink, ...], topic: Topic | None = None,
             home: str = "/", author: Author | None = None) -> PageSeo:
    """Metadata of a home, topic or author list page: CollectionPage, plus WebSite or breadcrumbs; the first
    page of an author's list is their ProfilePage instead."""
    url = absolute(path)
    structured: list[dict[str, Any]] = []
    if kind == "home" and path == home:
        structured.append(website_ld(config, absolute, home, lang))
    if topic is not None:
        trail = [(config.title, absolute(home)), (topic.name, absolute(topic.path))]
        structured.append(breadcrumbs_ld(trail if path == topic.path else [*trail, (title, url)]))
    if author is not None:
        structured.append(profile_ld(author, url, lang, absolute))
    else:
        structured.append(_collection_ld(title, description, url, lang, items, config, absolute, absolute(home)))
    return PageSeo(
        title=title if kind == "home" else f"{title} | {config.title}", description=description,
        og_type="website", social_title=title, social_description=description,
        image=card_image(home, config.title, absolute), published=None,
        modified=max((e.modified for e in items), default=None), section="", tags=(), authors=(),
        feeds=feeds, robots=ROBOTS, structured=_dumped(structured),
    )


def plain_seo(title: str, description: str, config: SiteConfig, feeds: tuple[FeedLink, ...]) -> PageSeo:
    """Metadata of a page that search engines should not list, such as the 404 page."""
    return PageSeo(f"{title} | {config.title}", description, "website", title, description, None, None, None,
                   "", (), (), feeds, "", ())
