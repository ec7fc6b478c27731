"""What a build is asked (BuildOptions) and what it answers (BuildResult): the values every build path shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..workers import Progress
from .cache import EMPTY_STATE, BuildState

CACHE_DIR = ".nutgraf-cache"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path
    output: Path | None = None  # default: output/ in the source
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: dt.datetime | None = None  # what counts as "now" for scheduled explainers; default: the clock
    cache_dir: Path | None = None  # default: .nutgraf-cache/ in the source
    use_cache: bool = True  # False: keep nothing on disk between builds
    jobs: int = 0  # worker processes; 0: one per core
    progress: Progress | None = None
    keep_going: bool = False  # watch mode: build around broken explainers, keeping their last good page
    defer_search: bool = False  # watch mode: leave the search index to the watcher, which refreshes it afterwards


@dataclass(frozen=True, slots=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    explainers: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    next_scheduled: dt.datetime | None = None
    output: Path | None = None
    parsed: int = 0  # explainer files parsed (not taken from the cache)
    rendered: int = 0  # pages rendered (not skipped because their inputs were unchanged)
    state: BuildState = field(default=EMPTY_STATE)
    search_pending: bool = False  # the search index is yet to be refreshed (defer_search)
    quick: bool = False  # made by the quick path for body edits
    warm: object = field(default=None, compare=False, repr=False)  # quick.Warm: watch mode passes it back

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

