"""Page index: the last full build's planned explainer pages, kept on disk in .nutgraf-cache/ so that a
build after a body edit (`nutgraf build` or watch mode) renders that one page without planning the site again.

A page is stored with the explainers it lists (related, series) as references to cards, stored once each:
a card is an explainer as lists show it, known by its card digest (render.CardDigests). (The pages of
question cards, /cards/<id>/ and its embed, are kept too, for a build after an edit of a card's answer.)
"""

from __future__ import annotations

import io
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..outputs.feeds import FeedPlan
from ..outputs.render import CardDigests
from ..site.cards import CardView
from ..site.model import Explainer, Topic
from ..site.pages import Page
from ..sources.images import Picture

# cache also registers how read-only mappings are pickled
from .cache import CacheDamageError, on_database
from .store import INDEX_FILE

SCHEMA = 4  # PRAGMA user_version: an index of another shape is emptied and filled again
_PROTOCOL = pickle.HIGHEST_PROTOCOL


@dataclass(frozen=True, slots=True)
class IndexedBuild:
    """What the quick path of `nutgraf build` needs to know of the last full build, besides its pages."""

    settings: str  # digest of every input but the explainer files' stat keys (build.settings_stamp)
    documents: Mapping[str, tuple[int, int, str]]  # path under content/ -> size, mtime_ns, shape ("" if broken)
    findings: Mapping[str, tuple[Diagnostic, ...]]  # path under content/ -> its parse findings, where it has any
    pages: Mapping[str, str]  # path under content/ of each published explainer -> output file of its page
    nav: tuple[Topic, ...]  # the header's topics
    feeds: tuple[FeedPlan, ...]
    feed_digests: Mapping[str, str]  # by Atom path
    pictures: Mapping[str, Picture]  # every image under content/, for parsing
    shared: str  # what every page's digest covers besides the page (render.digest_shared)
    templates: Mapping[str, str]  # template digests, for page digests (render.page_digest)
    # Question cards: path under content/ -> size, mtime_ns, use digest, answer shape ("" if it had findings)
    cards: Mapping[str, tuple[int, int, str, str]] = field(default_factory=dict)
    answers: Mapping[str, CardView] = field(default_factory=dict)  # by id: the answers pages fill in
    showing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # card id -> explainer pages showing it


class _PagePickler(pickle.Pickler):
    """Pickles a page with every explainer but its own as a reference to a card; new cards go to `fresh`."""

    def __init__(self, file, own: Explainer | None, cards: CardDigests, known: set[str], fresh: dict[str, bytes]):
        super().__init__(file, protocol=_PROTOCOL)
        self.own, self.cards, self.known, self.fresh = own, cards, known, fresh

    def persistent_id(self, obj):
        if type(obj) is not Explainer or obj is self.own:
            return None
        key = self.cards.of(obj)
        if key not in self.known:
            self.known.add(key)
            self.fresh[key] = pickle.dumps(obj, protocol=_PROTOCOL)
        return key


@dataclass(frozen=True, slots=True)
class PagePacker:
    """Turns planned explainer pages into index rows; made before rendering forks, used in each worker."""

    cards: CardDigests
    known: set[str]  # cards already in the index (or packed by this process)
    stored: Mapping[str, str]  # the planned digest (render.planned_digest) of each page the index holds
    cache_dir: Path | None = None  # where `store` writes

    def store(self, pages: Sequence[tuple[Page, str]]) -> None:
        """Worker side: write the rows of `pages` (each with its planned digest) that the index lacks, with
        their new cards, in one transaction of this process's own connection, so that no row travels back
        to the parent. Rows are safe to write before the build commits: a row is the page as planned, and
        the parent has made the index describe no build until it saves (PageIndex.forget)."""
        rows, cards = self.pack_all(pages)
        if rows and self.cache_dir is not None:
            index = PageIndex(self.cache_dir)
            try:
                index.put(rows, cards)
            finally:
                index.close()

    def pack_all(self, pages: Iterable[tuple[Page, str]]) -> tuple[dict[str, tuple[str, bytes]], dict[str, bytes]]:
        """The rows of `pages` (each with its planned digest) that the index lacks (output -> planned digest
        and page), with the new cards they need, as PageIndex.save and PageIndex.put take them."""
        rows, cards = {}, {}
        for page, planned in pages:
            if (packed := self.pack(page, planned)) is not None:
                rows[page.output] = planned, packed[0]
                cards |= packed[1]
        return rows, cards

    def pack(self, page: Page, planned: str) -> tuple[bytes, dict[str, bytes]] | None:
        """The page's row and the cards it needs that the index does not have yet; None when the index
        holds the page as planned (a template edit renders it again, unchanged)."""
        if self.stored.get(page.output) == planned:
            return None
        fresh: dict[str, bytes] = {}
        buffer = io.BytesIO()
        _PagePickler(buffer, page.context.get("explainer"), self.cards, self.known, fresh).dump(page)
        return buffer.getvalue(), fresh


class _PageUnpickler(pickle.Unpickler):
    def __init__(self, file, card):
        super().__init__(file)
        self.card = card

    def persistent_load(self, key):
        return self.card(key)


class PageIndex:
    """The index in SQLite: the build it describes (by input stamp), IndexedBuild, pages by output file, cards.

    Rows are replaced only after a build has committed its output, and the stamp last, so that the index
    never claims to describe output it does not.
    """

    def __init__(self, cache_dir: Path):
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / INDEX_FILE
        self._db = self._open()
        self._cards: dict[str, Explainer] = {}

    @on_database
    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            self._set_up(db)
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _set_up(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")
        with db:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                for table in ("meta", "pages", "cards"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS pages (output TEXT PRIMARY KEY, planned TEXT, page BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS cards (digest TEXT PRIMARY KEY, card BLOB)")

    def _meta(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @on_database
    def load(self, stamp: str) -> IndexedBuild | None:
        """The indexed build, if it is the one whose input stamp is `stamp`."""
        if not stamp or self._meta("stamp") != stamp.encode():
            return None
        build = self._unpickle(lambda: pickle.loads(self._meta("build") or b""))
        if not isinstance(build, IndexedBuild):
            raise CacheDamageError(self.path, f"damaged (it holds a {type(build).__name__}, not an indexed build)")
        return build

    def _unpickle(self, load: Callable[[], object]) -> object:
        """What `load` unpickles from the index; CacheDamageError when it cannot."""
        try:
            return load()
        except (sqlite3.DatabaseError, CacheDamageError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever unpickling garbage raises, the index is not trusted
            raise CacheDamageError(self.path, f"damaged ({type(exc).__name__}: {exc})") from exc

    @on_database
    def planned(self) -> dict[str, str]:
        """The planned digest of every page the index holds, by output file."""
        return dict(self._db.execute("SELECT output, planned FROM pages"))

    @on_database
    def card_keys(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT digest FROM cards")}

    def _card(self, key: str) -> Explainer:
        card = self._cards.get(key)
        if card is None:
            row = self._db.execute("SELECT card FROM cards WHERE digest = ?", (key,)).fetchone()
            if row is None:
                raise CacheDamageError(self.path, "incomplete (a card a page refers to is missing)")
            card = self._cards[key] = self._unpickle(lambda: pickle.loads(row[0]))
        return card

    @on_database
    def page(self, output: str) -> Page | None:
        """The planned page of `output`, or None when the index lacks it."""
        row = self._db.execute("SELECT page FROM pages WHERE output = ?", (output,)).fetchone()
        if row is None:
            return None
        return self._unpickle(_PageUnpickler(io.BytesIO(row[0]), self._card).load)

    @on_database
    def save(self, stamp: str, build: IndexedBuild, pages: Mapping[str, tuple[str, bytes]],
             cards: Mapping[str, bytes], keep: Iterable[str] | None = None,
             keep_cards: Iterable[str] | None = None) -> None:
        """Store new rows (output -> planned digest and page) and say which build the index now describes;
        with `keep`, drop every other page (and with `keep_cards`, every other card)."""
        with self._db as db:
            db.execute("DELETE FROM meta WHERE key = 'stamp'")
            self._put(db, pages, cards)
            for table, column, kept in (("pages", "output", keep), ("cards", "digest", keep_cards)):
                if kept is not None:
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM kept")
                    db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in kept))
                    db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT key FROM kept)")  # noqa: S608
            db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (pickle.dumps(build, protocol=_PROTOCOL),))
            db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp.encode(),))

    @on_database
    def put(self, pages: Mapping[str, tuple[str, bytes]], cards: Mapping[str, bytes], forget: bool = False) -> None:
        """Store rows without saying which build the index describes (with `forget`, saying it describes none)."""
        with self._db as db:
            if forget:
                db.execute("DELETE FROM meta WHERE key = 'stamp'")
            self._put(db, pages, cards)

    @staticmethod
    def _put(db: sqlite3.Connection, pages: Mapping[str, tuple[str, bytes]], cards: Mapping[str, bytes]) -> None:
        db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                       ((output, planned, page) for output, (planned, page) in pages.items()))
        db.executemany("INSERT OR IGNORE INTO cards VALUES (?, ?)", cards.items())

    @on_database
    def forget(self) -> None:
        """Say the index describes no build (a failed or partial build's output is not what it describes)."""
        with self._db as db:
            db.execute("DELETE FROM meta WHERE key = 'stamp'")

    def close(self) -> None:
        self._db.close()
