"""Watch: rebuild on every burst of saves, through the same build(), keeping the last good output; the
watcher supplies what changed and keeps the engine warm (the last result's state and `warm`)."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..engine.build import BuildOptions, BuildResult, build
from ..engine.cache import EMPTY_STATE, BuildState
from ..engine.quick import save_warm
from ..outputs.search import SearchRefresher
from ..outputs.themes import load_theme
from ..sources.config import load_config
from ..sources.tree import is_ignored

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.05  # saves closer together than this are one burst
MAX_BURST_SECONDS = 1.0  # a long stream of events (a big checkout) still rebuilds at least this often
SEARCH_DELAY_SECONDS = 0.5  # the search index is refreshed once saves and rebuilds have paused this long


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The paths one burst of events touched."""

    paths: frozenset[str]


SITE_FOLDERS = ("content", "templates", "i18n", "static", "themes")  # watched in depth; the site folder itself is not,
# so that the build's own writes into output/ and the cache cost no file-system watches at all


def watched_folders(options: BuildOptions) -> list[Path]:
    """What a change in should trigger a rebuild: the site folder (for site.yaml and new folders), its
    content, templates, i18n, static and themes folders, and every theme folder outside it."""
    root = options.source.resolve()
    folders = [root] + [root / name for name in SITE_FOLDERS if (root / name).is_dir()]
    config, _ = load_config(options.source, options.base_url)
    if config is not None:
        theme, _ = load_theme(config)
        for folder in theme.folders if theme else ():
            if not folder.resolve().is_relative_to(root):
                folders.append(folder.resolve())
    return folders


def _schedule(observer, handler, root: Path, folder: Path) -> None:
    observer.schedule(handler, str(folder), recursive=folder != root)


class _Collector(FileSystemEventHandler):
    """Turns watchdog events into paths on a queue, dropping what can never change the site."""

    def __init__(self, events: queue.Queue, ignored_roots: Iterable[Path]):
        self.events = events
        self.ignored_roots = [p.resolve() for p in ignored_roots]

    def _relevant(self, path: str) -> bool:
        resolved = Path(path)
        if any(resolved == root or resolved.is_relative_to(root) for root in self.ignored_roots):
            return False  # our own writes into output/ and the cache
        return not any(is_ignored(part) for part in resolved.parts[-3:])

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return  # a folder's "modified" only echoes the file events inside it
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self._relevant(str(path)):
                self.events.put(str(path))


def collect_burst(events: queue.Queue, stop: threading.Event) -> ChangeSet | None:
    """Wait for a first event, then gather until the folder has been quiet for DEBOUNCE_SECONDS."""
    paths: set[str] = set()
    while not stop.is_set():
        try:
            paths.add(events.get(timeout=0.2))
            break
        except queue.Empty:
            continue
    if not paths:
        return None
    started = time.monotonic()
    while time.monotonic() - started < MAX_BURST_SECONDS:
        try:
            paths.add(events.get(timeout=DEBOUNCE_SECONDS))
        except queue.Empty:
            break
    return ChangeSet(frozenset(paths))


def _watch_options(options: BuildOptions) -> BuildOptions:
    """Watch mode keeps going past a broken explainer: its last good page stays, the rest updates;
    the search index is refreshed in the background after the pages, not by the build."""
    return replace(options, keep_going=True, defer_search=True)


def watch(options: BuildOptions, report: Callable[[BuildResult, ChangeSet | None], None],
          stop: threading.Event, ready: Callable[[list[Path]], None] | None = None) -> None:
    """Watch, build once, then rebuild after every burst of changes until `stop` is set.

    The observer starts before the first build, so that no save made during it is missed.
    """
    options = _watch_options(options)
    root = options.source.resolve()
    out = (options.output or root / "output").resolve()
    cache = (options.cache_dir or root / ".nutgraf-cache").resolve()
    events: queue.Queue[str] = queue.Queue()
    observer = Observer()
    folders = watched_folders(options)
    handler = _Collector(events, [out, cache])
    for folder in folders:
        _schedule(observer, handler, root, folder)
    observer.start()
    lock = threading.Lock()  # a build and the index refresher's writes never overlap in output/
    state: BuildState | None = None
    warm = None  # what the last build left warm (engine.quick.Warm), passed back with the next burst
    unsaved = False
    refresher = SearchRefresher(out, lock, SEARCH_DELAY_SECONDS, cache=cache if options.use_cache else None)
    try:
        if ready:
            ready(folders)
        with lock:
            result = build(options)
        state, warm = result.state if result.state is not EMPTY_STATE else None, result.warm
        report(result, None)
        if result.search_pending:
            refresher.request()
        while not stop.is_set():
            changes = collect_burst(events, stop)
            if changes is None:
                continue
            log.debug("rebuilding for %d changed paths", len(changes.paths))
            for name in SITE_FOLDERS:  # a folder made after the start, say templates/, is watched from now on
                if (root / name).is_dir() and root / name not in folders:
                    folders.append(root / name)
                    _schedule(observer, handler, root, root / name)
            with lock:
                result = build(options, state, changes.paths, warm)
            state, warm = result.state if result.state is not EMPTY_STATE else None, result.warm
            unsaved = result.quick and (unsaved or result.parsed > 0)  # a full build saves its state
            report(result, changes)
            if result.search_pending:
                refresher.request()
    finally:
        refresher.close()
        observer.stop()
        observer.join(timeout=5)
        if unsaved and state is not None and warm is not None:  # the quick path leaves saving the state to the end
            save_warm(state, warm)
