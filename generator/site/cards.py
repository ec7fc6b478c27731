"""Card pages: /cards/<id>/ shows a card's question, answer and log, and the explainers it appears in."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ..diagnostics import Diagnostic, Position, did_you_mean, error
from ..markup.body import LocalImage, Markdowns, render_body
from ..markup.cards import scoped_ids
from ..markup.glossary import GLOSSARY_FILE, GlossaryEntry
from ..markup.htmlchecks import checked_html
from ..sources.cards import Card
from ..sources.config import SiteConfig
from ..sources.images import Picture, local_image, resolve_local
from ..sources.slugs import slugify
from ..sources.story import Revision
from .model import Explainer, Site, Topic, site_order
from .pages import Page, feed_links, output_file, page_info, root_href
from .routes import SitePlan
from .seo import ROBOTS, plain_seo

CARDS_PATH = "/cards/"
CARD_TEMPLATE = "card.html"
EMBED_TEMPLATE = "card-embed.html"
EMBED = "embed/"  # under a card's path: the card alone, for other sites' iframes
EMBED_KIND = "card-embed"  # a page kind that sitemaps leave out and _headers lets other sites frame


@dataclass(frozen=True, slots=True)
class CardView:
    """What card.html shows of a card; its answer's HTML keeps its blocks as placeholders until rendered."""

    id: str
    question: str
    path: str
    date: dt.datetime
    updated: dt.datetime | None  # when the answer last changed, if after `date`
    corrections: tuple[Revision, ...]
    updates: tuple[Revision, ...]
    answer: str
    block_templates: tuple[str, ...] = ()
    embeds: tuple[str, ...] = ()  # the providers its answer embeds, for the site's CSP
    topics: tuple[Topic, ...] = ()  # those of its topics that have a page
    glossary: tuple[GlossaryEntry, ...] = ()  # the terms its answer marks
    images: frozenset[str] = frozenset()  # the content files its answer shows
    digest: str = ""  # answer_digest: what the pages that show its answer take from it

    @property
    def corrected(self) -> bool:
        """The last change was a correction, as for an explainer's "Corrected" date."""
        return bool(self.corrections) and self.updated == max(c.date for c in self.corrections)


@dataclass(frozen=True, slots=True)
class CardPages:
    """The card pages, the content files their answers show (published, as for an explainer that is), and
    what is wrong in cards that no explainer shows (those that one shows are reported through it)."""

    pages: tuple[Page, ...]
    images: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    views: Mapping[str, CardView] = field(default_factory=dict)  # by id: the answers explainers' pages show


def card_path(card_id: str) -> str:
    return f"{CARDS_PATH}{card_id}/"


def card_users(records: Mapping[str, object], site: Site) -> dict[str, tuple[Explainer, ...]]:
    """The published explainers that show each card, in site order, by card id."""
    by_source = {e.source: e for e in site.explainers}
    users: dict[str, dict[str, Explainer]] = {}
    for rel, record in records.items():
        explainer = by_source.get(f"content/{rel}")
        if explainer is not None:
            for card_id, digest in getattr(record, "cards_used", ()):
                if digest:
                    users.setdefault(card_id, {})[explainer.source] = explainer
    return {card_id: tuple(sorted(found.values(), key=site_order)) for card_id, found in users.items()}


@dataclass(frozen=True, slots=True)
class CardInputs:
    """What card pages look up besides the cards: the images under content/, the glossary, the site's topics."""

    sizes: Mapping[str, Picture] = field(default_factory=dict)
    glossary: Mapping[str, GlossaryEntry] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()


def answer_digest(html: str, glossary: tuple[GlossaryEntry, ...], block_templates: tuple[str, ...]) -> str:
    """A digest of a card's answer as the pages that show it fill it in (its templates' digests apart)."""
    return hashlib.blake2b(repr((html, glossary, block_templates)).encode(), digest_size=16).hexdigest()


def card_view(card: Card, config: SiteConfig, md: Markdowns, inputs: CardInputs | None = None,
              found: list[Diagnostic] | None = None) -> CardView:
    """The card with its answer rendered once for every page that shows it (its images resolved against the
    card's file, sanitized where bodies are untrusted), its glossary terms and topics; its problems, at the
    card's lines, go to `found`."""
    inputs = inputs or CardInputs()
    images: set[str] = set()

    def resolve(src: str) -> LocalImage | None:
        rel = resolve_local(card.source.removeprefix("content/"), src)
        picture = inputs.sizes.get(rel)
        if picture is None or picture.problem:
            return None
        images.add(rel)
        return local_image(picture, root_href)

    body = render_body(md.for_text(card.body), card.body, card.digest, resolve, card.source, card.body_line,
                       config.base_path, embed_hosts=config.embed_hosts, block_ids=f"{card.id}--")
    problems = [*body.diagnostics, *_card_problems(card, body.missing_images, body.terms, inputs.glossary)]
    body = checked_html(card.source, card.body, card.body_line, body, config, problems)  # sanitized if untrusted
    html = scoped_ids(body.html, card.id)
    if found is not None:
        found += problems
    changed = card.changed
    slugs = [slugify(name) for name in card.topics]
    topics = tuple(sorted((t for t in inputs.topics if t.slug in slugs), key=lambda t: slugs.index(t.slug)))
    glossary = tuple({key: inputs.glossary[key] for key, _ in body.terms if key in inputs.glossary}.values())
    return CardView(card.id, card.question, card_path(card.id), card.date, changed if changed > card.date else None,
                    card.story.corrections, card.story.updates, html, body.block_templates, body.embeds, topics,
                    glossary, frozenset(images), answer_digest(html, glossary, body.block_templates))


def _card_problems(card: Card, missing: Sequence[str], terms: Sequence[tuple[str, int]],
                   glossary: Mapping[str, GlossaryEntry]) -> list[Diagnostic]:
    """A card's missing images and glossary terms, at its lines."""
    found = []
    for src in missing:
        line = card.body_line + card.body[: max(card.body.find(src), 0)].count("\n")
        found.append(error(card.source, f"image '{src}' does not exist or is not a readable image", Position(line),
                           "write its path from the card's file, e.g. ../images/map.png"))
    for key, line in terms:
        if key not in glossary:
            found.append(error(card.source, f"'{key}' is not in the glossary", Position(line),
                               did_you_mean(key, glossary) or f"define it in content/{GLOSSARY_FILE}"))
    return found


def card_pages(cards: Mapping[str, Card], users: Mapping[str, tuple[Explainer, ...]], config: SiteConfig,
               inputs: CardInputs | None = None) -> CardPages:
    """A page and an embed for each card, by id."""
    md, pages, found, views = Markdowns(), [], [], {}
    feeds = feed_links(config, "/", config.title)
    for card_id in sorted(cards):
        view = views[card_id] = card_view(cards[card_id], config, md, inputs, found)
        seo = replace(plain_seo(view.question, config.description, config, feeds), robots=ROBOTS,
                      modified=view.updated or view.date)
        pages.append(Page(view.path, output_file(view.path), CARD_TEMPLATE,
                          page_info(config, "card", view.question, config.description, view.path, seo),
                          MappingProxyType({"card": view, "appears_in": users.get(card_id, ()),
                                            "block_templates": view.block_templates})))
        embed = f"{view.path}{EMBED}"  # canonical: the card's own page, which the embed links back to
        info = replace(page_info(config, EMBED_KIND, view.question, config.description, embed, seo),
                       canonical=pages[-1].info.canonical)
        pages.append(Page(embed, output_file(embed), EMBED_TEMPLATE, info,
                          MappingProxyType({"card": view, "block_templates": view.block_templates})))
    images = frozenset(rel for view in views.values() for rel in view.images)
    return CardPages(tuple(pages), images, tuple(found), MappingProxyType(views))


def with_card_pages(plan: SitePlan, pages: Sequence[Page]) -> SitePlan:
    """The site's plan with the card pages among its other pages."""
    return replace(plan, pages=(*plan.pages, *pages)) if pages else plan
