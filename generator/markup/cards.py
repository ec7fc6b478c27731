"""Cards in bodies: `## {card=ID}` becomes the card's question as the section's heading, then a placeholder for
its answer, which is rendered once per card and filled in when a page is rendered (outputs/blockfill.py), so that
an edit of the answer parses no explainer again."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

from ..diagnostics import Diagnostic, Position, did_you_mean, error
from ..sources.cards import Card

# A question heading naming a card, with the heading's other attributes (such as #id, which locks the id).
CARD_USE = re.compile(r"^##[ \t]+\{[ \t]*card=([^\s}]*)([^}\n]*)\}[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_SECTION_END = re.compile(r"^[ \t]{0,3}#{1,2}(?:[ \t]|$)")  # the next question (or a `#` heading) ends a section
ANSWER_MARK = "{card}"  # a line of its own in a card's section: the card's answer goes here
CARD_ATTR = "data-card"  # on the heading of a section that shows a card, until the section is wrapped
ANSWER_TAG = "nutgraf-card"  # in a body, where a card's answer goes (Markdown puts it in a paragraph of its own)
ANSWER_PLACEHOLDER = re.compile(rf'<p><{ANSWER_TAG} {CARD_ATTR}="([^"<>]*)"></{ANSWER_TAG}></p>')


def answer_placeholder(card_id: str) -> str:
    """The raw HTML a body holds in place of a card's answer (card ids are safe URL segments)."""
    return f'<{ANSWER_TAG} {CARD_ATTR}="{card_id}"></{ANSWER_TAG}>'


@dataclass(frozen=True, slots=True)
class Expansion:
    """A body with its cards' questions written in and placeholders for their answers, and how to place findings
    on the lines the editors wrote."""

    text: str
    uses: tuple[str, ...]  # the card ids named, in order, unknown ones too
    diagnostics: tuple[Diagnostic, ...]
    # Per line of `text`: ("", its 0-based line in the body; a placeholder's: the line naming the card).
    origin: tuple[tuple[str, int], ...] = ()
    extra: int = 0  # how many lines the cards added

    def where(self, line: int, first_line: int) -> tuple[str, int]:
        """A file line of the expanded body as (file, line) of what the editor wrote ("" for the body)."""
        index = line - first_line
        if not self.origin or index < 0:
            return "", line
        if index >= len(self.origin):
            return "", line - self.extra
        path, at = self.origin[index]
        return path, at if path else first_line + at

    def place(self, source: str, first_line: int, found: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The body's findings at the lines the editors wrote: in the card's file for its text."""
        if not self.origin:
            return list(found)
        placed = []
        for diagnostic in found:
            if diagnostic.path != source or diagnostic.line < first_line:
                placed.append(diagnostic)
                continue
            path, line = self.where(diagnostic.line, first_line)
            placed.append(replace(diagnostic, path=path or source, line=line))
        return list(dict.fromkeys(placed))  # a card shown twice: its findings once

    def line(self, line: int, first_line: int) -> int:
        """A file line of the expanded body as a line of the body (a card's text: the line naming it)."""
        index = line - first_line
        while 0 <= index < len(self.origin) and self.origin[index][0]:
            index -= 1  # up to the heading that names the card
        return self.where(first_line + index, first_line)[1] if self.origin else line


class CardUse(NamedTuple):
    """A `## {card=ID}` line: its 0-based line in the body, its match, and the line of the `{card}` that places
    the card's answer below paragraphs of the explainer's own (-1: the answer comes right after the heading)."""

    index: int
    match: re.Match
    at: int = -1


def card_uses(text: str) -> list[CardUse]:
    """Each `## {card=ID}` line outside fenced code, with the `{card}` line of its section, if any."""
    if "card=" not in text:
        return []
    found: list[CardUse] = []
    fence, open_use = "", False  # open_use: found[-1]'s section goes on, and has no `{card}` yet
    for index, line in enumerate(text.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif (match := CARD_USE.match(line)) is not None:
            found.append(CardUse(index, match))
            open_use = True
        elif _SECTION_END.match(line):
            open_use = False
        elif open_use and line.strip() == ANSWER_MARK:
            found[-1] = found[-1]._replace(at=index)
            open_use = False
    return found


def expand_cards(text: str, cards: Mapping[str, Card], since: dt.datetime, source: str,
                 first_line: int) -> Expansion:
    """Write each named card into the body: its question as the heading (with the use's own attributes, and
    `updated=` when the card changed after `since`, the explainer's date) and its answer's placeholder below
    it, or in place of the section's `{card}` line."""
    uses = card_uses(text)
    if not uses:
        return Expansion(text, (), ())
    lines = text.split("\n")
    out: list[str] = []
    origin: list[tuple[str, int]] = []
    found: list[Diagnostic] = []
    names: list[str] = []
    done = 0
    for index, match, at in uses:
        out += lines[done:index]
        origin += (("", i) for i in range(done, index + 1))
        done = index + 1
        card_id, attributes = match.group(1), match.group(2).strip()
        names.append(card_id)
        card = cards.get(card_id)
        if card is None:
            found.append(error(source, f"card '{card_id}' does not exist", Position(first_line + index),
                               did_you_mean(card_id, cards) or "a card is a file in content/cards/, named by "
                               "its file name without .md, e.g. ## {card=who-is-at-the-table}"))
            out.append(lines[index])
            continue
        if card.changed > since and "updated=" not in attributes:
            attributes += f" updated={card.changed.date().isoformat()}"
        out.append(f"## {card.question} {{{attributes} {CARD_ATTR}={card.id}}}".replace("{ ", "{"))
        if at >= 0:  # the explainer's own paragraphs first
            out += lines[done:at]
            origin += (("", i) for i in range(done, at))
            done = at + 1
        out += ["", answer_placeholder(card.id), ""]  # the answer is filled in when a page is rendered
        origin += [("", index)] * 3
    out += lines[done:]
    origin += (("", i) for i in range(done, len(lines)))
    return Expansion("\n".join(out), tuple(names), tuple(found), tuple(origin), len(out) - len(lines))


_ID = re.compile(r'(\sid=")([^"]+)(")')
_REFERENCE = re.compile(r'(\s(?:href="#|aria-(?:labelledby|describedby)="))([^"]+)(")')


def scoped_ids(html: str, card_id: str) -> str:
    """A card's answer with its own ids (headings, footnotes) prefixed by the card's id, and its links to them
    likewise: rendered once and shown in many explainers, it must not repeat an id of the page around it. (Its
    blocks' ids, inside their placeholders until the page is rendered, get the prefix from render_body.)"""
    ids = set(m[2] for m in _ID.finditer(html))
    if not ids:
        return html
    prefix = f"{card_id}--"
    html = _ID.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", html)
    return _REFERENCE.sub(lambda m: m[0] if m[2] not in ids else f"{m[1]}{prefix}{m[2]}{m[3]}", html)

