"""Question cards: content/cards/<id>.md, a question answered once and pulled into every explainer that asks it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from ..diagnostics import Diagnostic, Position, did_you_mean, error, has_errors
from ..frozen import pickles_by_slots
from .config import SiteConfig
from .frontmatter import parse_document
from .images import resolve_local
from .metadata import FIRST_YEAR, ExplainerMeta, _Checker
from .slugs import is_safe_slug
from .story import STORY_FIELDS, Revision, StoryMeta, last_changed, newest_update, read_story
from .tree import SourceFile

# A Markdown image whose path is relative to the card (resolved against the card's own file).
_RELATIVE_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^)\s>]+)")
CARD_FIELDS = ("title", "date", "updated", "topics", *(f for f in STORY_FIELDS if f in ("corrections", "updates")))


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Card:
    """One card: its question, its answer as Markdown, and its dates and log."""

    id: str  # the file name without .md
    source: str  # "content/cards/<id>.md"
    question: str
    body: str  # Markdown, as written
    body_line: int  # the file line where the body starts
    digest: str  # of the file's bytes
    date: dt.datetime
    updated: dt.datetime | None  # the newest of `updated:` and the updates' dates
    topics: tuple[str, ...] = ()
    story: StoryMeta = StoryMeta()  # its own corrections and updates
    # What a parsed explainer takes from the card (use_digest): its question, dates and log; not its answer,
    # filled in when a page is rendered, nor its topics, which only its own page shows.
    use_digest: str = ""

    @property
    def changed(self) -> dt.datetime:
        """When the card's answer last changed (its date if never)."""
        return last_changed(self.updated, self.story) or self.date


def read_card(data: bytes, rel: str, config: SiteConfig) -> tuple[Card | None, list[Diagnostic]]:
    """Check and type one card file; None when it cannot be read at all."""
    shown = f"content/{rel}"
    raw, found = parse_document(data, shown)
    if raw is None:
        return None, found
    check = _Checker(raw)
    for key in (k for k in check.data if k not in CARD_FIELDS):
        check.fail(str(key), f"unknown card field '{key}'",
                   did_you_mean(str(key), CARD_FIELDS) or f"a card has {', '.join(CARD_FIELDS)}")
    question = check.text("title", check.data.get("title"), required=True)
    if "date" not in check.data:
        check.fail("", "'date' is required", "add date: YYYY-MM-DD to the card's front matter")
    date = check.date("date", check.data.get("date"), config.tz) if "date" in check.data else None
    updated = check.date("updated", check.data["updated"], config.tz) if check.data.get("updated") else None
    if date and updated and updated < date:
        check.fail("updated", "'updated' is earlier than 'date'", "a card is updated after it is written")
    story = read_story(check, config.tz)
    card_id = PurePosixPath(rel).stem
    if not is_safe_slug(card_id):
        check.fail("", f"card name {card_id!r} is not one safe URL segment",
                   "rename the file with lowercase letters, digits and single hyphens, e.g. who-is-at-the-table.md")
    _check_images(raw.body, rel, raw.body_line, shown, check.found)
    if not raw.body.strip():
        check.found.append(error(shown, "the card has no answer", Position(raw.body_line),
                                 "write the answer below the front matter"))
    card = Card(card_id, shown, question, raw.body, raw.body_line, hashlib.blake2b(data, digest_size=16).hexdigest(),
                date or dt.datetime(FIRST_YEAR, 1, 1, tzinfo=config.tz), newest_update(updated, story),
                check.text_list("topics", check.data.get("topics")), story)
    return replace(card, use_digest=use_digest(card)), check.found


def use_digest(card: Card) -> str:
    """A digest of what an explainer that shows the card takes from it when it is parsed."""
    used = repr((card.id, card.question, card.date, card.updated, card.story))
    return hashlib.blake2b(used.encode(), digest_size=16).hexdigest()


def _check_images(body: str, rel: str, first_line: int, shown: str, found: list[Diagnostic]) -> None:
    """An image path relative to the card that leaves content/ is an error at its line."""
    for match in _RELATIVE_IMAGE.finditer(body):
        if resolve_local(rel, match[1]).split("/")[0] == "..":
            found.append(error(shown, f"image '{match[1]}' is outside content/",
                               Position(first_line + body.count("\n", 0, match.start())),
                               "keep the site's images under content/, e.g. content/images/map.png"))


def load_cards(files: Sequence[SourceFile], config: SiteConfig) -> tuple[dict[str, Card], list[Diagnostic]]:
    """Every card under content/cards/, by id; each unreadable or broken file is reported."""
    cards: dict[str, Card] = {}
    found: list[Diagnostic] = []
    for item in files:
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            found.append(error(f"content/{item.rel}", f"cannot read: {exc.strerror}"))
            continue
        card, problems = read_card(data, item.rel, config)
        found += problems
        if card is None:
            continue
        if card.id in cards:  # cards.md and cards.markdown
            found.append(error(card.source, f"another file is already the card '{card.id}'", Position(1),
                               f"rename one of them; {cards[card.id].source} came first"))
            continue
        cards[card.id] = card
    return cards, found


def unchanged_cards(files: Sequence[SourceFile], config: SiteConfig) -> dict[str, Card] | None:
    """The cards as the last build read them (`files` are its stat keys), for the quick paths that parse an
    edited explainer alone; None when a card file changed or went since, or has an error."""
    for item in files:
        try:
            stat = item.path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (item.size, item.mtime_ns):
            return None
    cards, problems = load_cards(files, config)
    return None if has_errors(problems) else cards


def with_cards(meta: ExplainerMeta, cards: Sequence[Card]) -> ExplainerMeta:
    """The explainer's metadata with the changes of the cards it shows made after its own date: their log
    entries join its log, and its "Updated" date moves to the newest of them."""
    later = [c for c in cards if c.changed > meta.date]
    if not later:
        return meta
    added = {"correction": [], "update": []}
    for card in later:
        for entry in card.story.log:
            if entry.date > meta.date:
                added[entry.kind].append(Revision(entry.kind, entry.date, f"{card.question} {entry.text}"))
    story = meta.story
    story = replace(story, corrections=_merged(story.corrections, added["correction"]),
                    updates=_merged(story.updates, added["update"]))
    dates = [d for d in (meta.updated, *(c.updated for c in later)) if d is not None and d > meta.date]
    updated = newest_update(max(dates) if dates else meta.updated, story)
    return replace(meta, story=story, updated=updated)


def _merged(own: tuple[Revision, ...], added: list[Revision]) -> tuple[Revision, ...]:
    return tuple(sorted({*own, *added}, key=lambda r: (r.date, r.text)))


def card_digests(cards: Mapping[str, Card], ids: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(id, use digest) of each card named, "" for one that does not exist: what a parsed explainer depends on."""
    return tuple((card_id, cards[card_id].use_digest if card_id in cards else "") for card_id in ids)
