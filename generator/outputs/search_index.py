"""The sharded search index: which shards changed, each indexed by Pagefind on its own, all written at once.

Under pagefind/: Pagefind's scripts (the bundle the search page imports), shards.json (the shards, newest
first, with their languages) and one folder per shard. search.json in the cache remembers each page's
facts (by its stat) and each shard's inputs and files, so that a build re-indexes only the shards whose
pages changed, and a build that changed no page runs no Pagefind at all.
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, error, has_errors, warning
from .pagefind_files import make_reproducible
from .pagefind_run import PagefindError, index_pages
from .search_shards import PageFacts, newest_first, plan_shards, scan_pages, shard_digest
from .writer import file_stats, write_files, write_subtree

log = logging.getLogger(__name__)

STATE_FILE = "search.json"  # in the cache folder
STATE_VERSION = 1
MANIFEST = "shards.json"  # in pagefind/: what the search page merges
# What stays with each shard: the index itself, and the language's wasm, loaded from the primary shard.
SHARD_FILES = ("pagefind-entry.json", ".pf_meta", ".pagefind")
SHARD_FOLDERS = ("index", "fragment", "filter")


@dataclass(frozen=True, slots=True)
class ShardRecord:
    """One shard as last written: the digest of its inputs, its languages and its files' stats."""

    inputs: str
    languages: tuple[str, ...]
    files: Mapping[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class SearchState:
    """What the last index was made of (cache/search.json)."""

    out: str = ""
    pages: Mapping[str, PageFacts] = field(default_factory=dict)
    shards: Mapping[str, ShardRecord] = field(default_factory=dict)
    bundle: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # the scripts at the top of pagefind/

    def files(self, index_dir: str) -> list[str]:
        """Every file of the index, as output paths."""
        return sorted({*self.bundle, f"{index_dir}/{MANIFEST}", *(f for s in self.shards.values() for f in s.files)})


@dataclass(frozen=True, slots=True)
class ShardsDone:
    """What one update did: the new state, how many files it wrote, kept and removed, and what went wrong."""

    state: SearchState
    indexed: tuple[str, ...] = ()  # the shards Pagefind indexed again
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()


def load_state(cache: Path | None, out: Path) -> SearchState:
    """The search state of the last build into `out`; an empty one if there is none or it cannot be read."""
    if cache is None:
        return SearchState(str(out))
    try:
        data = json.loads((cache / STATE_FILE).read_text(encoding="utf-8"))
        if data["version"] != STATE_VERSION or data["out"] != str(out):
            return SearchState(str(out))
        pages = {rel: PageFacts((size, mtime), digest, month) for rel, (size, mtime, digest, month)
                 in data["pages"].items()}
        shards = {name: ShardRecord(s["inputs"], tuple(s["languages"]), _stats(s["files"]))
                  for name, s in data["shards"].items()}
        return SearchState(str(out), pages, shards, _stats(data["bundle"]))
    except (OSError, ValueError, KeyError, TypeError):
        return SearchState(str(out))


def _stats(data: Mapping[str, list[int]]) -> dict[str, tuple[int, int]]:
    return {rel: (size, mtime) for rel, (size, mtime) in data.items()}


def save_state(cache: Path | None, state: SearchState) -> None:
    """Write the search state beside the build's cache (atomically)."""
    if cache is None:
        return
    data = {"version": STATE_VERSION, "out": state.out,
            "pages": {rel: [*f.stat, f.digest, f.month] for rel, f in state.pages.items()},
            "shards": {name: {"inputs": s.inputs, "languages": list(s.languages), "files": dict(s.files)}
                       for name, s in state.shards.items()},
            "bundle": dict(state.bundle)}
    temp = cache / f".{STATE_FILE}.tmp"
    with contextlib.suppress(OSError):
        temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        temp.replace(cache / STATE_FILE)


def _intact(out: Path, files: Mapping[str, tuple[int, int]]) -> bool:
    """Whether every recorded file is still there, untouched."""
    try:
        return bool(files) and file_stats(out, files) == files
    except OSError:
        return False


def _belongs_to_shard(rel: str) -> bool:
    return rel.split("/", 1)[0] in SHARD_FOLDERS or rel.endswith(SHARD_FILES)


def _languages(folder: Path) -> tuple[str, ...]:
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return tuple(sorted(entry["languages"]))


def _index_stale(run: PagefindRun, plan: Mapping[str, list[str]], stale: list[str], temp: Path) -> list[Diagnostic]:
    """Index each stale shard into temp/NAME; errors if Pagefind failed, warnings if an index is not normalised."""
    problems: list[Diagnostic] = []
    for name in stale:
        started = time.perf_counter()
        try:
            if not index_pages(run.executable, run.out, plan[name], temp / name, run.scratch):
                continue  # no page of the shard has words: it has no index (and is tried again next time)
        except PagefindError as exc:
            return [error(str(run.executable), f"Pagefind could not index the search shard {name}: {exc}",
                          hint="the search index was left as it was; run the build again with --verbose")]
        if (reason := make_reproducible(temp / name)) is not None:
            problems.append(warning("site.yaml", f"search shard {name} is written as Pagefind made it, not "
                                    f"byte-for-byte reproducible: {reason}",
                                    hint="Pagefind's index format may have changed; search still works"))
        log.debug("search shard %s: %d pages in %.2fs", name, len(plan[name]), time.perf_counter() - started)
    return problems


@dataclass(frozen=True, slots=True)
class PagefindRun:
    """Where Pagefind runs: its binary, the output whose pages it reads, a scratch folder for its input."""

    executable: Path
    out: Path
    index_dir: str
    scratch: Path | None = None
    # The site's pages, when the build knows them (else output is read), with their stats when it knows those.
    pages: tuple[str, ...] | Mapping[str, tuple[int, int]] | None = None


def update_shards(run: PagefindRun, state: SearchState, lock: AbstractContextManager | None = None) -> ShardsDone:
    """Index again the shards whose pages changed (or whose files someone touched), then write them all at
    once, holding `lock` only while writing. Pagefind failing: nothing is written, the old index stays."""
    out, index_dir = run.out, run.index_dir
    pages = scan_pages(out, index_dir, state.pages, run.pages)
    plan = plan_shards(pages)
    digests = {name: shard_digest(rels, pages) for name, rels in plan.items()}
    stale = [name for name in newest_first(plan) if state.shards.get(name) is None
             or state.shards[name].inputs != digests[name]
             or not _intact(out, state.shards[name].files)]
    if plan and not stale and not _intact(out, state.bundle):
        stale = newest_first(plan)[:1]  # the scripts come with a shard's run: make the newest again
    with tempfile.TemporaryDirectory(prefix="nutgraf-pagefind-", dir=run.scratch) as temp_name:
        temp = Path(temp_name)
        problems = _index_stale(run, plan, stale, temp)
        if has_errors(problems):
            return ShardsDone(state, diagnostics=tuple(problems))
        plan = {name: rels for name, rels in plan.items() if name not in stale or (temp / name).is_dir()}
        with lock or contextlib.nullcontext():
            done = _write(out, index_dir, state, plan, [n for n in stale if n in plan], digests, temp)
    if not plan:
        problems.append(warning("site.yaml", "no page has text to index yet: the search index is empty",
                                hint="search fills in once explainers have headlines and bodies"))
    return ShardsDone(SearchState(str(out), pages, done.state.shards, done.state.bundle), tuple(stale),
                      done.written, done.unchanged, done.removed, tuple(problems))


def _write(out: Path, index_dir: str, state: SearchState, plan: Mapping[str, list[str]], stale: list[str],
           digests: Mapping[str, str], temp: Path) -> ShardsDone:
    """Write the stale shards made in `temp`, Pagefind's scripts and the manifest; remove shards gone."""
    written = unchanged = removed = 0
    shards = {name: record for name, record in state.shards.items() if name in plan}
    bundle_files: dict[str, Path] = {}
    for name in stale:
        made = {p.relative_to(temp / name).as_posix(): p for p in sorted((temp / name).rglob("*")) if p.is_file()}
        own = {f"{index_dir}/{name}/{rel}": p for rel, p in made.items() if _belongs_to_shard(rel)}
        if not bundle_files:  # the scripts: the same from every shard's run
            bundle_files = {f"{index_dir}/{rel}": p for rel, p in made.items() if not _belongs_to_shard(rel)}
        stats = write_subtree(out, f"{index_dir}/{name}", own)
        written, unchanged, removed = written + stats.written, unchanged + stats.unchanged, removed + stats.removed
        shards[name] = ShardRecord(digests[name], _languages(temp / name), file_stats(out, own))
    manifest = {"shards": [{"path": name, "languages": list(shards[name].languages)} for name in newest_first(plan)]}
    files = {f"{index_dir}/{MANIFEST}": json.dumps(manifest, separators=(",", ":")).encode()}
    stats = write_files(out, files, bundle_files)
    written, unchanged = written + stats.written, unchanged + stats.unchanged
    keep = {*files, *bundle_files} if bundle_files else {*files, *state.bundle}
    removed += _remove_others(out, index_dir, set(plan), keep)
    bundle = file_stats(out, sorted(keep - set(files))) if all((out / rel).is_file() for rel in keep) else {}
    return ShardsDone(SearchState(str(out), {}, shards, bundle), (), written, unchanged, removed)


def _remove_others(out: Path, index_dir: str, shards: set[str], keep: set[str]) -> int:
    """Remove what pagefind/ holds besides the shards and the files to `keep`: old shards, an old layout."""
    top = out / index_dir
    removed = 0
    for path in sorted(top.iterdir()) if top.is_dir() else ():
        rel = f"{index_dir}/{path.name}"
        if path.is_dir() and path.name not in shards:
            removed += write_subtree(out, rel, {}).removed
        elif path.is_file() and rel not in keep:
            path.unlink()
            removed += 1
    return removed
