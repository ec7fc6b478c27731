"""Card pages: /cards/<id>/ shows a card's question, answer and log, and the explainers it appears in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from ..markup.blocks import clean_blocks
from ..markup.body import Markdowns, render_body
from ..markup.sanitize import sanitize_html
from ..sources.cards import Card
from ..sources.config import SiteConfig
from ..sources.story import Revision
from .model import Explainer, Site, site_order
from .routes import Page, SitePlan, _info, feed_links, output_file
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

    @property
    def corrected(self) -> bool:
        """The last change was a correction, as for an explainer's "Corrected" date."""
        return bool(self.corrections) and self.updated == max(c.date for c in self.corrections)


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


def card_view(card: Card, config: SiteConfig, md: Markdowns) -> CardView:
    """The card with its answer rendered (and sanitized, where bodies are untrusted)."""
    body = render_body(md.for_text(card.body), card.body, card.digest, None, card.source, card.body_line,
                       config.base_path, embed_hosts=config.embed_hosts)
    html = body.html
    if config.untrusted_html == "sanitize":
        html = clean_blocks(html, lambda fragment: sanitize_html(fragment, config.embed_hosts))
    changed = card.changed
    return CardView(card.id, card.question, card_path(card.id), card.date, changed if changed > card.date else None,
                    card.story.corrections, card.story.updates, html, body.block_templates, body.embeds)


def card_pages(cards: Mapping[str, Card], users: Mapping[str, tuple[Explainer, ...]], config: SiteConfig) -> list[Page]:
    """A page for each card, by id."""
    md, pages = Markdowns(), []
    feeds = feed_links(config, "/", config.title)
    for card_id in sorted(cards):
        view = card_view(cards[card_id], config, md)
        seo = replace(plain_seo(view.question, config.description, config, feeds), robots=ROBOTS,
                      modified=view.updated or view.date)
        pages.append(Page(view.path, output_file(view.path), CARD_TEMPLATE,
                          _info(config, "card", view.question, config.description, view.path, seo),
                          MappingProxyType({"card": view, "appears_in": users.get(card_id, ()),
                                            "block_templates": view.block_templates})))
        embed = f"{view.path}{EMBED}"  # canonical: the card's own page, which the embed links back to
        info = replace(_info(config, EMBED_KIND, view.question, config.description, embed, seo),
                       canonical=pages[-1].info.canonical)
        pages.append(Page(embed, output_file(embed), EMBED_TEMPLATE, info,
                          MappingProxyType({"card": view, "block_templates": view.block_templates})))
    return pages


def with_card_pages(plan: SitePlan, pages: Sequence[Page]) -> SitePlan:
    """The site's plan with the card pages among its other pages."""
    return replace(plan, pages=(*plan.pages, *pages)) if pages else plan
