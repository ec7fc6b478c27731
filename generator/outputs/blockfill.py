"""Block rendering: placeholders in a body replaced by the theme's blocks/NAME.html, in the page's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from ..markup.blocks.codec import PLACEHOLDER, decode, placeholder_json
from ..markup.blocks.registry import BLOCK_FOLDER
from ..markup.blocks.terms import term_key
from ..markup.cards import ANSWER_PLACEHOLDER, ANSWER_TAG

if TYPE_CHECKING:
    from ..markup.glossary import GlossaryEntry
    from ..site.cards import CardView
    from ..site.model import Explainer

Answers = Mapping[str, "CardView"]  # every card by id, its answer rendered once (site/cards.py card_view)
NO_ANSWERS: Answers = MappingProxyType({})

@dataclass(frozen=True, slots=True)
class BlockPage:
    """What a block template may know of the page it is on: its language and direction, and whether it is a
    feed's entry (where a block can run no script, and charts are pictures: feed readers drop inline SVG)."""

    lang: str
    dir: str
    feed: bool = False


def fill_blocks(env: jinja2.Environment, body: str, page: BlockPage,
                glossary: Iterable[GlossaryEntry] = ()) -> str:
    """The body with every block rendered by its template, inner blocks first.

    A glossary term's template gets its entry (or none) as `block.entry`. Template errors propagate.
    """
    entries: Mapping[str, GlossaryEntry] = {entry.key: entry for entry in glossary}

    def render(match) -> str:
        block = decode(placeholder_json(match), lambda html: Markup(fill(html)))
        if block.name == "term":
            block.entry = entries.get(term_key(block.term))
        return env.get_template(f"{BLOCK_FOLDER}{block.name}.html").render(block=block, page=page)

    def fill(html: str) -> str:
        return PLACEHOLDER.sub(render, html) if "<nutgraf-block" in html else html

    return fill(body)


def shown_answers(explainer: Explainer, answers: Answers) -> list[CardView]:
    """The cards whose answers the explainer's body shows, as rendered."""
    return [answers[card_id] for card_id in explainer.cards if card_id in answers]


def fill_answers(body: str, cards: Sequence[CardView]) -> str:
    """The body with each card's answer in place of its placeholder (one of no card in `cards`: left out)."""
    if f"<{ANSWER_TAG}" not in body:
        return body
    answers = {view.id: view.answer for view in cards}
    return ANSWER_PLACEHOLDER.sub(lambda match: answers.get(match[1], ""), body)


def fill_body(env: jinja2.Environment, body: str, page: BlockPage, glossary: Iterable[GlossaryEntry],
              cards: Sequence[CardView]) -> str:
    """An explainer's body with its cards' answers filled in, then every block rendered (a term in an answer
    with the card's glossary entry)."""
    if cards:
        body = fill_answers(body, cards)
        glossary = (*glossary, *(entry for view in cards for entry in view.glossary))
    return fill_blocks(env, body, page, glossary)


def fill_for_feeds(env: jinja2.Environment, carried: Iterable[Explainer],
                   body_html: Callable[[str], str], answers: Answers = NO_ANSWERS) -> Callable[[str], str]:
    """`body_html` for feeds: each explainer's body by digest, with its cards' answers, its blocks rendered as
    on its own page but for glossary terms, plain words there: feed readers cannot open a definition."""
    explainers = {e.body_digest: e for e in carried}

    def body(digest: str) -> str:
        explainer = explainers[digest]
        return fill_body(env, body_html(digest), BlockPage(explainer.lang, explainer.dir, feed=True), (),
                         shown_answers(explainer, answers))

    return body


def answer_digests(answers: Answers) -> dict[str, str]:
    """The digest of each card's answer, by id: what feeds and pages that show it depend on."""
    return {card_id: view.digest for card_id, view in answers.items()}
