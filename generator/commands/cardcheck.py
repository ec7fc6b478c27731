"""Check of question cards: explainer questions that nearly repeat a card's, and cards that no explainer shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..diagnostics import Diagnostic, Position, warning
from ..sources.cards import Card

# From this score (0-100, rapidfuzz's ratio of the words lower-cased, without punctuation) a question is taken
# for a card's: "What's the Astana process?" scores 98 against "What is the Astana process?"; below stay
# questions that differ in what they ask: "What happens next?" and "What happened?" (80), "Who is at the
# table?" and "Who will be at the table?" (84).
SIMILAR = 85

# (explainer file, line, question as written) of each question of the explainers checked
Question = tuple[str, int, str]


def similar_questions(cards: Mapping[str, Card], questions: Iterable[Question]) -> list[Diagnostic]:
    """A warning at each question that is nearly the question of a card: the card keeps its answer current."""
    if not cards:
        return []
    from rapidfuzz import fuzz, process, utils  # only `check` needs it: a build starts 0.1 s faster

    choices = {card_id: card.question for card_id, card in cards.items()}
    found = []
    for source, line, title in questions:
        match = process.extractOne(title, choices, scorer=fuzz.ratio, processor=utils.default_process,
                                   score_cutoff=SIMILAR)
        if match is not None:
            question, _, card_id = match
            found.append(warning(source, f"the question '{title}' is nearly the card '{card_id}' ('{question}')",
                                 Position(line), f"show the card instead, so that its answer stays current here "
                                 f"too: replace the question and its answer with ## {{card={card_id}}}"))
    return found


def unused_cards(cards: Mapping[str, Card], records: Iterable) -> list[Diagnostic]:
    """A warning at each card that no explainer shows, drafts and scheduled ones included."""
    shown = {card_id for record in records for card_id, digest in record.cards_used if digest}
    return [warning(card.source, f"no explainer shows the card '{card_id}'", Position(1),
                    f"show it with a line ## {{card={card_id}}} in an explainer's body, or remove the file")
            for card_id, card in sorted(cards.items()) if card_id not in shown]
