"""Question cards on the quick path: a card whose answer alone changed is read and its answer rendered once again,
and the pages that show it (its own two, and those of the explainers that fill it in) come from the page index;
no explainer is parsed again, as none takes its answer's text (markup/cards.py leaves a placeholder)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from ..diagnostics import Diagnostic
from ..markup.body import Markdowns
from ..markup.glossary import load_glossary
from ..site.cards import EMBED, CardInputs, CardView, card_path, card_view
from ..site.model import Explainer
from ..site.pages import Page, output_file
from ..sources.cards import Card, read_card
from ..sources.config import SiteConfig
from ..sources.tree import SourceFile
from .pageindex import IndexedBuild, PageIndex


def answer_shape(card: Card, view: CardView) -> str:
    """A digest of what the rest of the site takes from a card beyond its use digest and its answer's HTML: its
    topics (its page lists them), the files its answer shows (published for it), its blocks' templates and
    its embeds (the site's CSP)."""
    shape = repr((card.topics, sorted(view.images), view.block_templates, view.embeds))
    return hashlib.blake2b(shape.encode(), digest_size=16).hexdigest()


def indexed_cards(files: Sequence[SourceFile], cards: Mapping[str, Card], views: Mapping[str, CardView],
                  found: Iterable[Diagnostic]) -> dict[str, tuple[int, int, str, str]]:
    """IndexedBuild.cards: each card file's stat key, use digest and answer shape ("" when the build found
    anything wrong in it: its next edit takes the full path, which reports what is left)."""
    flagged = {d.path for d in found}
    by_source = {card.source: card for card in cards.values()}
    indexed = {}
    for item in files:
        card = by_source.get(f"content/{item.rel}")
        if card is not None and card.id in views:
            shape = "" if card.source in flagged else answer_shape(card, views[card.id])
            indexed[item.rel] = (item.size, item.mtime_ns, card.use_digest, shape)
    return indexed


def showing(explainers: Iterable[Explainer], pages: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """IndexedBuild.showing: the output files of the explainer pages that show each card, by card id."""
    found: dict[str, list[str]] = {}
    for explainer in explainers:
        if explainer.source in pages:
            for card_id in explainer.cards:
                found.setdefault(card_id, []).append(pages[explainer.source])
    return {card_id: tuple(outputs) for card_id, outputs in found.items()}


@dataclass(frozen=True, slots=True)
class CardEdit:
    """A card file whose answer alone changed, read, and its answer rendered."""

    source: SourceFile
    card: Card
    view: CardView


def read_card_edits(sources: Sequence[SourceFile], config: SiteConfig, indexed: IndexedBuild,
                    data: Sequence[SourceFile]) -> list[CardEdit] | None:
    """The changed card files read and their answers rendered again, if each is error-free as it was, and only
    its answer's text changed (its question, dates, log, topics, images, blocks and embeds are as the last
    build had them); else None: the full build takes it."""
    glossary, problems = load_glossary(data)  # data files are in the settings stamp: the glossary is as it was
    if problems:
        return None
    md, edits = Markdowns(), []
    for source in sources:
        known, found = indexed.cards.get(source.rel), []
        try:
            card, found = read_card(source.path.read_bytes(), source.rel, config)
        except OSError:
            return None
        old = indexed.answers.get(card.id) if card is not None else None
        if found or old is None or known is None or not known[3] or card.use_digest != known[2]:
            return None
        view = card_view(card, config, md, CardInputs(indexed.pictures, glossary, old.topics), found)
        if found or answer_shape(card, view) != known[3]:
            return None
        edits.append(CardEdit(source, card, view))
    return edits


def card_edit_pages(index: PageIndex, indexed: IndexedBuild, edits: Sequence[CardEdit],
                    taken: set[str]) -> list[Page] | None:
    """The pages that show the edited cards' answers: each card's page and embed with its new answer, and the
    explainer pages that fill it in (but those in `taken`, which the caller has); None when the index lacks one."""
    pages = []
    for edit in edits:
        for path in (card_path(edit.card.id), f"{card_path(edit.card.id)}{EMBED}"):
            page = index.page(output_file(path))
            if page is None:
                return None
            pages.append(replace(page, context=MappingProxyType({**page.context, "card": edit.view})))
        for output in indexed.showing.get(edit.card.id, ()):
            if output not in taken:
                page = index.page(output)
                if page is None:
                    return None
                taken.add(output)
                pages.append(page)
    return pages


def cards_after(indexed: IndexedBuild, edits: Sequence[CardEdit]) -> IndexedBuild:
    """The indexed build with the edited cards' new stat keys and answers."""
    if not edits:
        return indexed
    cards, answers = dict(indexed.cards), dict(indexed.answers)
    for edit in edits:
        size, mtime_ns = edit.source.size, edit.source.mtime_ns
        cards[edit.source.rel] = (size, mtime_ns, *cards[edit.source.rel][2:])
        answers[edit.card.id] = edit.view
    return replace(indexed, cards=cards, answers=answers)
