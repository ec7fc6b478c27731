"""Cache: the previous build's state and rendered bodies in .nutgraf-cache/, versioned and safe to delete."""

from __future__ import annotations

import contextlib
import copyreg
import datetime as dt
import errno
import functools
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import IO

from .. import __version__
from ..diagnostics import Diagnostic
from ..frozen import pickles_by_slots
from ..markup.body import Body
from ..sources.frontmatter import YamlDocument
from ..sources.images import ImageFacts, Picture
from ..sources.metadata import ExplainerMeta
from ..sources.settings import ImageSettings
from .store import BODIES_FILE, RECORDS_FILE, STAMP_FILE, STATE_FILE, CacheDamageError, discard_warning

# Bump when the shape of the state or the HTML that markup makes changes without a version bump.
# 17: bodies hold placeholders for card answers, records the cards' use digests; 16: Page, PageInfo and
# ImageSettings moved module; 15: bodies keep the keys of their maps; 14: one quick path
# (no BuildState.live), the cache's VERSION file; 13: records keep the data files their charts read, and :::map
# is a block; 11: records keep the cards they show; 10: authors have a role, a photo and links; 9: topics carry
# their names per language (pickled Topic and SiteConfig changed shape); 8: the package is split into stages
# (pickled classes moved); 7: raw <img> uses
CACHE_FORMAT = "17"


def damage_warning(damage: CacheDamageError, root: Path) -> Diagnostic:
    """The warning that a build which found `damage` discarded the cache and started clean."""
    return discard_warning(damage.path, damage.reason, root)


def cache_version() -> str:
    """What the cache's version file says: the cache format, the shape of what is pickled, nutgraf's version."""
    return f"{CACHE_KEY}|{__version__}\n"


# SQLite's primary result codes (the low byte of its extended ones), by what they mean for a cache database.
_SQLITE_DAMAGE = {sqlite3.SQLITE_ERROR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, 17, 20, 24}  # 17 SCHEMA,
# 20 MISMATCH, 24 FORMAT; SQLITE_ERROR is what a table of another shape gives ("no such column")
_SQLITE_DISK = {sqlite3.SQLITE_FULL: errno.ENOSPC, sqlite3.SQLITE_IOERR: errno.EIO,
                sqlite3.SQLITE_READONLY: errno.EACCES, sqlite3.SQLITE_PERM: errno.EACCES,
                sqlite3.SQLITE_CANTOPEN: errno.EACCES}


def sqlite_failure(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """What SQLite's failure on the cache database `path` is: damage (CacheDamageError), or the disk's trouble
    (an OSError naming the file, which the command line explains); else the failure itself."""
    code = getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_ERROR) & 0xFF
    if code in _SQLITE_DISK:
        return OSError(_SQLITE_DISK[code], f"{os.strerror(_SQLITE_DISK[code])} ({exc})", str(path))
    if code in _SQLITE_DAMAGE:
        return CacheDamageError(path, f"damaged ({exc})")
    return exc


def on_database(method: Callable) -> Callable:
    """A method of a cache database (whose file is `self.path`), its SQLite failures as sqlite_failure says.
    A plain try, not a context manager: the body store's get runs once for every page rendered."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise sqlite_failure(self.path, exc) from exc

    return guarded


def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


# Read-only mappings travel in the state file as plain dicts and come back read-only.
copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What parsing one explainer file gave, valid while its stat key and the images it used are unchanged."""

    size: int
    mtime_ns: int
    digest: str
    meta: ExplainerMeta | None  # None when the file could not be parsed at all
    body: Body | None  # without its html, which lives in the body store
    diagnostics: tuple[Diagnostic, ...]
    images_used: tuple[tuple[str, tuple[int, int] | None], ...] = ()
    # A digest of what the rest of the site takes from the file: its front matter, the images it uses, its
    # questions, glossary terms and blocks. Two error-free versions with one shape differ in body text only.
    shape: str = ""
    cards_used: tuple[tuple[str, str], ...] = ()  # (card id, its digest or "" when missing) of each card shown
    data_used: tuple[tuple[str, tuple[int, int] | None], ...] = ()  # charts' data files: (path, stat key or None)


@dataclass(frozen=True, slots=True)
class BuildState:
    """Everything a build needs from the one before it; a clean build starts from EMPTY_STATE."""

    parse_key: str = ""  # nutgraf version and the settings that change parsing
    documents: Mapping[str, DocumentRecord] = field(default_factory=dict)
    images: Mapping[str, tuple] = field(default_factory=dict)  # rel -> (size, mtime_ns, images.ImageFacts)
    output: str = ""  # the output folder that `pages` and `outputs` describe
    pages: Mapping[str, str] = field(default_factory=dict)  # output file -> digest of its inputs
    outputs: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # output file -> (size, mtime_ns)
    input_stamp: str = ""  # digest of every input's stat key: equal means nothing changed
    valid_until: dt.datetime | None = None  # a scheduled explainer falls due: rebuild then
    diagnostics: tuple[Diagnostic, ...] = ()  # the warnings of that build, shown again by a no-op build
    explainers: int = 0  # how many that build published, for a no-op build's summary
    good: Mapping[str, DocumentRecord] = field(default_factory=dict)  # each file's last error-free record
    feeds: Mapping[str, str] = field(default_factory=dict)  # digest of each feed's inputs, by its Atom path
    page_count: int = 0  # len(pages), kept when a stamp leaves the page digests out
    # Which records file holds `documents` and `good`: set when they were loaded from it and are unchanged,
    # so that saving does not write them again; "" says they are new and must be written.
    records: str = ""


EMPTY_STATE = BuildState()

# The shape of what is pickled (field names and types) is part of the key, so that a state saved by other
# code is never trusted.
# Records hold pictures with their facts and the image settings they were planned with: a field added to any of
# these must make old records unreadable as a whole, not objects missing an attribute.
_SHAPE = "|".join(f"{f.name}:{f.type}" for cls in (BuildState, DocumentRecord, ExplainerMeta, Body, YamlDocument,
                                                   Picture, ImageFacts, ImageSettings) for f in fields(cls))
CACHE_KEY = f"{CACHE_FORMAT}:{zlib.crc32(_SHAPE.encode()):08x}"


def parse_key(*settings: object) -> str:
    """A key of the settings that parsed documents depend on; when any changes, every document is parsed again."""
    return f"{CACHE_KEY}|{__version__}|" + "|".join(map(repr, settings))


def _load(path: Path, read: Callable[[IO[bytes]], object] = pickle.load) -> object:
    """What a cache file holds (as `read` takes it from the open file), or None when there is none.
    Raises CacheDamageError when it cannot be read (truncated, garbage, a class that is no more), and the
    OSError of a disk that cannot be read."""
    try:
        with open(path, "rb") as handle:
            return read(handle)
    except FileNotFoundError:
        return None
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever unpickling garbage raises, the file is not trusted
        raise CacheDamageError(path, f"damaged ({type(exc).__name__}: {exc})") from exc


def load_state(cache_dir: Path | None, name: str = STATE_FILE, with_records: bool = True) -> BuildState:
    """The saved state, or the empty one when there is none; CacheDamageError when it, its records or the body
    store it needs cannot be trusted. Records that belong to another state (a build killed between writing
    them and its state) are left out: their files are parsed again. Without records (`with_records` False,
    as the quick path reads it) the state keeps the name of its records file, so that saving it again
    leaves that file as it is."""
    if cache_dir is None:
        return EMPTY_STATE
    state = _load(cache_dir / name)
    if state is None:
        return EMPTY_STATE
    if not isinstance(state, BuildState):
        raise CacheDamageError(cache_dir / name, f"damaged (it holds a {type(state).__name__}, not a build state)")
    if not state.parse_key.startswith(f"{CACHE_KEY}|{__version__}|"):
        raise CacheDamageError(cache_dir / name, "written by another version of nutgraf")
    if name != STATE_FILE or not state.records:
        return replace(state, records="")
    if not with_records:
        return state
    records = _load(cache_dir / RECORDS_FILE, _read_records)
    if records is None:
        raise CacheDamageError(cache_dir / RECORDS_FILE, "incomplete (this file is missing)")
    if records[0] != state.records:
        return replace(state, documents={}, good={}, records="")
    if any(r.body is not None for r in records[1].values()) and not (cache_dir / BODIES_FILE).exists():
        raise CacheDamageError(cache_dir / BODIES_FILE, "incomplete (this file is missing)")
    return replace(state, documents=records[1], good=records[2])


def _stamp_of(state: BuildState) -> BuildState:
    """The part of a state that tells whether anything changed: small, so a no-op build loads only it."""
    return replace(state, documents={}, images={}, good={}, feeds={}, pages={}, explainers=state.explainers,
                   page_count=len(state.pages) or state.page_count)


# Records are pickled in batches of this many: one pickle of them all keeps a memo entry for each of their
# millions of objects while it writes (a quarter of a gigabyte at 100,000 explainers).
RECORDS_BATCH = 2000
_SAME = 1  # in a batch, for a file whose last good record is its record


def _record_parts(generation: str, documents: Mapping[str, DocumentRecord],
                  good: Mapping[str, DocumentRecord]) -> Iterator[object]:
    """What the records file holds, each its own pickle: (generation, count), then batches of (path, record,
    its good record or _SAME or None), then the good records of files without a record. Records share no
    objects, so batches lose nothing."""
    items = list(documents.items())
    yield generation, len(items)
    for start in range(0, len(items), RECORDS_BATCH):
        yield [(rel, record, _SAME if good.get(rel) is record else good.get(rel))
               for rel, record in items[start: start + RECORDS_BATCH]]
    yield [(rel, record) for rel, record in good.items() if rel not in documents]


def _read_records(handle: IO[bytes]) -> tuple[str, dict, dict]:
    """(generation, documents, good) from the parts _record_parts gave."""
    generation, count = pickle.load(handle)
    documents: dict[str, DocumentRecord] = {}
    good: dict[str, DocumentRecord] = {}
    while len(documents) < count:
        for rel, record, kept in pickle.load(handle):
            documents[rel] = record
            if kept is not None:
                good[rel] = record if kept == _SAME else kept
    good.update(pickle.load(handle))
    return generation, documents, good


def _dump(path: Path, *parts: object) -> None:
    """Write `parts` (each its own pickle, so that none keeps another's memo) beside `path`, then rename."""
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(temp, "wb") as handle:
            for part in parts:
                pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError as exc:  # a full disk: leave no half-written file, and name the file meant
        with contextlib.suppress(OSError):
            temp.unlink()
        exc.filename, exc.filename2 = str(path), None
        raise


def save_state(cache_dir: Path | None, state: BuildState) -> None:
    """Write the records (unless unchanged since loaded), the state, then its stamp, each atomically: a
    killed build leaves old or new files, a stamp never newer than the state it summarises, and a state
    that names records another state wrote ignores them."""
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    generation = state.records
    if not generation:
        generation = os.urandom(8).hex()  # names this writing of the records, for the state to point at
        _dump(cache_dir / RECORDS_FILE, *_record_parts(generation, state.documents, state.good))
    _dump(cache_dir / STATE_FILE, replace(state, documents={}, good={}, records=generation))
    _dump(cache_dir / STAMP_FILE, _stamp_of(state))


def save_stamp(cache_dir: Path, state: BuildState) -> None:
    """Write only the stamp: after a quick build, which leaves the state's records to be re-read as needed."""
    _dump(cache_dir / STAMP_FILE, _stamp_of(state))


def load_stamp(cache_dir: Path | None) -> BuildState:
    """The saved stamp (a state without documents, images, feeds or page digests), or the empty state."""
    return load_state(cache_dir, STAMP_FILE)


class BodyStore:
    """Rendered Markdown bodies by digest, in SQLite on disk, or in memory when there is no cache."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / BODIES_FILE if cache_dir else None
        if self.path:
            cache_dir.mkdir(parents=True, exist_ok=True)
        self._connection: sqlite3.Connection | None = None
        self._memory: dict[str, str] = {}

    @on_database
    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = sqlite3.connect(self.path, timeout=30)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("CREATE TABLE IF NOT EXISTS bodies (digest TEXT PRIMARY KEY, html TEXT)")
        return self._connection

    @on_database
    def prepare(self) -> None:
        """Create the database (WAL mode, table) and close it again, before workers that each open it are
        forked: connections racing to create it fail with "database is locked"."""
        if self.path is not None:
            self._db().commit()
            self.close()

    @on_database
    def get(self, digest: str) -> str:
        """The html of a body; records and bodies are saved together, so a missing one is damage."""
        if self.path is None:
            return self._memory[digest]
        row = self._db().execute("SELECT html FROM bodies WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            raise CacheDamageError(self.path, "incomplete (a rendered body is missing from this file)")
        return row[0]

    @on_database
    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        if self.path is None:
            self._memory.update(items)
            return
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", items)

    @on_database
    def keep_only(self, digests: Iterable[str]) -> None:
        """Forget bodies no explainer uses any more."""
        if self.path is None:
            keep = set(digests)
            self._memory = {k: v for k, v in self._memory.items() if k in keep}
            return
        with self._db() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (digest TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((d,) for d in digests))
            db.execute("DELETE FROM bodies WHERE digest NOT IN (SELECT digest FROM keep)")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def output_intact(out: Path, rel: str, outputs: Mapping[str, tuple[int, int]]) -> bool:
    """True when the file the last build wrote at `rel` is still there, untouched."""
    try:
        stat = os.stat(os.path.join(out, rel))  # not out / rel: a no-op build asks this of every output file
    except OSError:
        return False
    return outputs.get(rel) == (stat.st_size, stat.st_mtime_ns)


def reusable(out: Path, digest: str, recorded: str | None, files: Iterable[str],
             outputs: Mapping[str, tuple[int, int]]) -> bool:
    """The one decision every build path makes for an output (a page, a feed and its files): keep it when the
    digest of its inputs is the one recorded for it and its files are intact; else make it again."""
    return recorded == digest and all(output_intact(out, rel, outputs) for rel in files)


def outputs_intact(out: Path, outputs: Mapping[str, tuple[int, int]]) -> bool:
    """True when every file the last build wrote is still there, untouched."""
    return all(output_intact(out, rel, outputs) for rel in outputs)
