"""The cache folder's layout: the one place that names every file in .nutgraf-cache/, writes its version file,
guards the folder, and discards what it holds when the version differs or any part is damaged."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, warning
from ..markup.blocks.charting.store import ChartStore
from ..outputs.derivatives import STORE_FOLDER, ImageStore
from ..outputs.search_index import STATE_FILE as SEARCH_FILE
from ..outputs.sharecards import STORE_FOLDER as SHARE_CARDS_DIR
from ..outputs.sharecards import CardStore
from ..outputs.writer import check_folder

VERSION_FILE = "VERSION"  # the cache format, the shape of what is pickled and nutgraf's version: cache.cache_version
STAMP_FILE = "stamp.pickle"  # the small stamp of the last build: a no-op build reads only it
STATE_FILE = "state.pickle"  # the BuildState without its records
RECORDS_FILE = "records.pickle"  # the state's documents and good records, rewritten only when they change
BODIES_FILE = "bodies.sqlite"  # rendered body HTML by digest (cache.BodyStore)
INDEX_FILE = "pages.sqlite"  # the planned explainer pages and feeds of the last build (pageindex.PageIndex)
IMAGES_DIR = STORE_FOLDER  # image derivatives by content key (outputs/derivatives.ImageStore makes them)
CHARTS_DIR = "charts"  # drawn charts by the digest of their inputs (markup/blocks/charting/store.ChartStore)
# SHARE_CARDS_DIR: share cards by the digest of their inputs (outputs/sharecards.CardStore)
# SEARCH_FILE: what each shard of the search index was made of (outputs/search_index.py)
_DATABASES = (BODIES_FILE, INDEX_FILE)
# Every file of the cache but the image derivatives, SQLite's companions included.
CACHE_FILES = (VERSION_FILE, STAMP_FILE, STATE_FILE, RECORDS_FILE, SEARCH_FILE,
               *(f"{name}{end}" for name in _DATABASES for end in ("", "-wal", "-shm", "-journal")))
# The Cache Directory Tagging spec (https://bford.info/cachedir/): backup tools skip a folder holding this
# file, and nutgraf uses a folder as its cache only when it holds nutgraf's tag, or when it is new or empty.
CACHE_TAG = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by nutgraf.\n"
            "# For information about cache directory tags see https://bford.info/cachedir/\n")
# What a cache made before the tag holds: its files, SQLite's companions, derivatives, temporary dumps.
_UNTAGGED_CACHE = re.compile(r"(state|records|stamp)\.pickle|(bodies|pages)\.sqlite(-wal|-shm|-journal)?"
                             r"|images|charts|cards|search\.json|VERSION"
                             r"|\.(state\.pickle|records\.pickle|stamp\.pickle|VERSION)\.\d+")


def is_cache_dir(folder: Path) -> bool:
    """Whether nutgraf made `folder` as its cache: it holds nutgraf's tag or, made before the tag was, only the
    cache's own files, a stamp among them."""
    tag = folder / CACHE_TAG
    if tag.is_file():
        return "nutgraf" in tag.read_text(encoding="utf-8", errors="replace")
    names = os.listdir(folder)
    return STAMP_FILE in names and all(_UNTAGGED_CACHE.fullmatch(name) for name in names)


def check_cache_dir(cache_dir: Path, root: Path, protected: Iterable[Path], out: Path | None = None) -> Path:
    """Refuse a cache folder whose cleaning could destroy sources, a home or the output; return it resolved."""
    return check_folder(cache_dir, "cache", root, protected, is_cache_dir, {"output folder": out} if out else None)


def claim_cache_dir(cache_dir: Path) -> Path:
    """Make the cache folder with its tag before anything is written in it, so that the next build knows it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tag = cache_dir / CACHE_TAG
    if not tag.is_file():
        tag.write_text(TAG_TEXT, encoding="utf-8")
    return cache_dir


class CacheDamageError(Exception):
    """A cache file that cannot be trusted: damaged, incomplete, or written by another version. The build
    discards the cache (discard_cache) and starts again as a clean build, with a warning."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(str(path), reason)  # so that it pickles, from a worker to the parent
        self.path, self.reason = Path(path), reason

    def __str__(self) -> str:
        return f"{self.path}: the cache was {self.reason}"


def open_cache(cache_dir: Path, version: str) -> None:
    """Check that the cache is of `version`, before any part of it is read: CacheDamageError when it is of
    another version, or of none (made before the version file) while it holds anything; a new or emptied
    cache is given the version file."""
    path = cache_dir / VERSION_FILE
    try:
        found = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        found = None
    if found == version:
        return
    if found is not None or any((cache_dir / name).exists() for name in CACHE_FILES):
        raise CacheDamageError(path, "written by another version of nutgraf")
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    temp.write_text(version, encoding="utf-8")
    os.replace(temp, path)


def discard_cache(cache_dir: Path) -> None:
    """Delete every part of the cache, the version file and the image derivatives with it (only those: the
    folder may hold others); the next build writes them anew."""
    for name in CACHE_FILES:
        (cache_dir / name).unlink(missing_ok=True)
    if (cache_dir / IMAGES_DIR).is_dir():
        ImageStore(cache_dir).keep_only(())
    if (cache_dir / CHARTS_DIR).is_dir():
        ChartStore(cache_dir / CHARTS_DIR).keep_only(())
    if (cache_dir / SHARE_CARDS_DIR).is_dir():
        CardStore(cache_dir / SHARE_CARDS_DIR).keep_only(())


def discard_warning(path: Path, reason: str, root: Path) -> Diagnostic:
    """The warning that a build discarded the cache (because of `path`) and started clean."""
    path, root = path.resolve(), root.resolve()
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return warning(shown, f"the cache was {reason} and was discarded; this build starts clean")
