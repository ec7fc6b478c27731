"""Search: a Pagefind full-text index of the written pages, made in a temporary folder and published under pagefind/."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, error, has_errors, warning
from ..site.routes import SEARCH_INDEX_DIR
from .pagefind_files import make_reproducible
from .writer import file_stats, write_subtree

log = logging.getLogger(__name__)

INDEX_DIR = SEARCH_INDEX_DIR  # the index's folder in output/; the search pages load pagefind.js from it
# Every page Pagefind should read is a folder's index.html; this also skips the temporary files beside
# pages (".nutgraf-tmp-...-index.html") that a build running at the same time may have staged.
PAGE_GLOB = "**/index.html"
TIMEOUT_SECONDS = 600
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


NOTHING_TO_INDEX = "not able to build an index"


@contextlib.contextmanager
def run_pagefind(out: Path) -> Iterator[tuple[dict[str, Path], list[Diagnostic]]]:
    """Index the pages in `out` into a temporary folder; yields its files by output path, removed afterwards."""
    executable = pagefind_executable()
    if executable is None:
        yield {}, [error("site.yaml", "search is on, but Pagefind is not installed", hint=INSTALL_HINT)]
        return
    with tempfile.TemporaryDirectory(prefix="nutgraf-pagefind-") as temp:
        command = [str(executable), "--site", str(out), "--output-path", temp, "--glob", PAGE_GLOB, "--quiet"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            yield {}, [error(str(executable), f"Pagefind could not index the site: {exc}", hint=INSTALL_HINT)]
            return
        if done.returncode != 0 and NOTHING_TO_INDEX in done.stdout + done.stderr:
            # Not a failure of the site: no page has words to index yet (say, one explainer with no body).
            yield {}, [warning("site.yaml", "no page has text to index yet: the search index is empty",
                               hint="search fills in once explainers have headlines and bodies")]
            return
        if done.returncode != 0:
            said = " ".join((done.stderr or done.stdout).split())[-500:]
            yield {}, [error(str(executable), f"Pagefind failed with exit status {done.returncode}: {said}",
                             hint="the search index was left as it was; run the build again with --verbose")]
            return
        if done.stdout.strip():
            log.debug("pagefind: %s", done.stdout.strip())
        root = Path(temp)
        problems = []
        if (reason := make_reproducible(root)) is not None:
            problems.append(warning("site.yaml", f"the search index is written as Pagefind made it, not "
                                    f"byte-for-byte reproducible: {reason}",
                                    hint="Pagefind's index format may have changed; search still works"))
        yield {f"{INDEX_DIR}/{p.relative_to(root).as_posix()}": p
               for p in sorted(root.rglob("*")) if p.is_file()}, problems


def _intact(out: Path, outputs: Mapping[str, tuple[int, int]]) -> list[str] | None:
    """The index files of the last build if they are all still there, untouched; else None."""
    recorded = sorted(rel for rel in outputs if rel.startswith(INDEX_DIR + "/"))
    if not recorded or index_files(out) != recorded:
        return None
    return recorded if file_stats(out, recorded) == {rel: outputs[rel] for rel in recorded} else None


def update_index(out: Path, enabled: bool, *, pages_changed: bool, outputs: Mapping[str, tuple[int, int]],
                 defer: bool = False) -> SearchUpdate:
    """Index the pages now in `out` (exactly the site's: output has removed the others) into pagefind/.

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
    with run_pagefind(out) as (files, problems):
        if has_errors(problems):
            return SearchUpdate(diagnostics=tuple(problems))
        stats = write_subtree(out, INDEX_DIR, files)
    return SearchUpdate(stats.written, stats.unchanged, stats.removed, tuple(files), diagnostics=tuple(problems))


def refresh_index(out: Path, lock: threading.Lock) -> list[Diagnostic]:
    """Index `out` again and swap the new files in, holding `lock` only while writing (watch mode)."""
    with run_pagefind(out) as (files, problems):
        if problems:
            return problems
        with lock:
            write_subtree(out, INDEX_DIR, files)
    return []


class SearchRefresher:
    """Refreshes the search index on a background thread, `delay` seconds after the last rebuild asked for it.

    Pages are updated at once; the index follows when saves have paused, one refresh at a time.
    """

    def __init__(self, out: Path, lock: threading.Lock, delay: float,
                 report: Callable[[list[Diagnostic]], None] | None = None):
        self.out, self.lock, self.delay = out, lock, delay
        self.report = report or (lambda problems: [log.warning(d.format()) for d in problems])
        self._due: float | None = None
        self._wake = threading.Condition()
        self._closed = False
        self.refreshed = 0  # how many refreshes have finished, for tests and logs
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
            problems = refresh_index(self.out, self.lock)
            if problems:
                self.report(problems)
            self.refreshed += 1
            log.debug("search index refreshed in %.2fs", time.perf_counter() - started)

