"""Search: a Pagefind full-text index of the written pages, made shard by shard and published under pagefind/."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from ..diagnostics import Diagnostic, error, has_errors
from ..site.routes import SEARCH_INDEX_DIR
from .search_index import PagefindRun, SearchState, ShardsDone, load_state, save_state, update_shards
from .writer import file_stats, write_subtree

log = logging.getLogger(__name__)

INDEX_DIR = SEARCH_INDEX_DIR  # the index's folder in output/; the search pages load pagefind.js from it
INSTALL_HINT = "install nutgraf's dependencies again (pip install nutgraf pulls in pagefind[bin]), " \
               "or set search: false in site.yaml"


@dataclass(frozen=True, slots=True)
class SearchUpdate:
    """What a build did to the search index."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    recorded: tuple[str, ...] = ()  # index files whose stats the build state records
    diagnostics: tuple[Diagnostic, ...] = ()
    pending: bool = False  # left as it was, for the watcher to refresh
    indexed: tuple[str, ...] = ()  # the shards Pagefind indexed again


def pagefind_executable() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the one the pagefind-bin package ships, else PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index_files(out: Path) -> list[str]:
    """The index files now in output/, as output paths."""
    folder = out / INDEX_DIR
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(out).as_posix() for p in folder.rglob("*") if p.is_file())


def _intact(out: Path, outputs: Mapping[str, tuple[int, int]]) -> list[str] | None:
    """The index files of the last build if they are all still there, untouched; else None."""
    recorded = sorted(rel for rel in outputs if rel.startswith(INDEX_DIR + "/"))
    if not recorded or index_files(out) != recorded:
        return None
    return recorded if file_stats(out, recorded) == {rel: outputs[rel] for rel in recorded} else None


def _pagefind(out: Path, cache: Path | None) -> PagefindRun | Diagnostic:
    """Where Pagefind runs (its scratch folder in the cache: links need the output's file system)."""
    executable = pagefind_executable()
    if executable is None:
        return error("site.yaml", "search is on, but Pagefind is not installed", hint=INSTALL_HINT)
    return PagefindRun(executable, out, INDEX_DIR, cache)


def update_index(out: Path, enabled: bool, *, pages_changed: bool, outputs: Mapping[str, tuple[int, int]],
                 defer: bool = False, cache: Path | None = None, pages: Iterable[str] | None = None) -> SearchUpdate:
    """Index the pages now in `out` (exactly the site's: output has removed the others) into pagefind/,
    shard by shard: only the shards whose pages changed are indexed again (see search_index.py).

    `pages`: the site's pages (output paths), when the build knows them, with their stats when it knows those
    (the quick path: it found every output intact and knows what it wrote); else every folder's index.html.
    Off: an old index is removed. Deferred (watch mode): the index stays for the watcher to refresh.
    Pages unchanged since the last build and the index intact: it stays too. Pagefind failing: the old
    index stays, and the error fails the build.
    """
    if not enabled:
        return SearchUpdate(removed=write_subtree(out, INDEX_DIR, {}).removed)
    if defer:
        return SearchUpdate(pending=True)
    if not pages_changed and (recorded := _intact(out, outputs)) is not None:
        return SearchUpdate(unchanged=len(recorded), recorded=tuple(recorded))
    if isinstance(run := _pagefind(out, cache), Diagnostic):
        return SearchUpdate(diagnostics=(run,))
    if isinstance(pages, Mapping):
        run = replace(run, pages=MappingProxyType({rel: stat for rel, stat in pages.items()
                                                   if rel.endswith("/index.html")}))
    elif pages is not None:
        run = replace(run, pages=tuple(rel for rel in pages if rel.endswith("/index.html")))
    done = update_shards(run, before := load_state(cache, out))
    if has_errors(done.diagnostics):
        return SearchUpdate(diagnostics=done.diagnostics)
    if done.state != before:
        save_state(cache, done.state)
    return SearchUpdate(done.written, done.unchanged, done.removed, tuple(done.state.files(INDEX_DIR)),
                        done.diagnostics, indexed=done.indexed)


def refresh_index(out: Path, lock: threading.Lock, cache: Path | None = None,
                  state: SearchState | None = None) -> ShardsDone:
    """Index again the shards whose pages changed since `state` (else the cache's) and swap their files in,
    holding `lock` only while writing (watch mode)."""
    state = state if state is not None else load_state(cache, out)
    if isinstance(run := _pagefind(out, cache), Diagnostic):
        return ShardsDone(state, diagnostics=(run,))
    done = update_shards(run, state, lock)
    if not has_errors(done.diagnostics):
        save_state(cache, done.state)
    return done


class SearchRefresher:
    """Refreshes the search index on a background thread, `delay` seconds after the last rebuild asked for it.

    Pages are updated at once; the index follows when saves have paused, one refresh at a time, and
    Pagefind indexes again only the shards whose pages changed.
    """

    def __init__(self, out: Path, lock: threading.Lock, delay: float,
                 report: Callable[[list[Diagnostic]], None] | None = None, cache: Path | None = None):
        self.out, self.lock, self.delay, self.cache = out, lock, delay, cache
        self._state: SearchState | None = None  # what the last refresh indexed, kept in memory
        self.report = report or (lambda problems: [log.warning(d.format()) for d in problems])
        self._due: float | None = None
        self._wake = threading.Condition()
        self._closed = False
        self.refreshed = 0  # how many refreshes have finished, for tests and logs
        self.indexed: list[tuple[str, ...]] = []  # the shards each refresh indexed again, for tests and logs
        self._thread = threading.Thread(target=self._run, name="search-refresher", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Ask for a refresh `delay` seconds from now; a later request moves that time on."""
        with self._wake:
            self._due = time.monotonic() + self.delay
            self._wake.notify()

    def close(self, timeout: float = 60) -> None:
        """Stop; a refresh still asked for is done first, so that the output ends complete."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (self._due is None or time.monotonic() < self._due):
                    self._wake.wait(None if self._due is None else max(0.0, self._due - time.monotonic()))
                if self._due is None:  # closed, with nothing left to do
                    return
                self._due = None
            started = time.perf_counter()
            done = refresh_index(self.out, self.lock, self.cache, self._state)
            if done.diagnostics:
                self.report(list(done.diagnostics))
            if not has_errors(done.diagnostics):
                self._state = done.state
            self.indexed.append(done.indexed)
            self.refreshed += 1
            log.debug("search index refreshed in %.2fs: shards %s", time.perf_counter() - started,
                      ", ".join(done.indexed) or "none")

