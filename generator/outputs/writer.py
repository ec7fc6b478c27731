"""Output: the only module that writes files; atomic, only when bytes change, never outside output/."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import NutgrafError

MARKER = ".nutgraf-output"  # says this folder is ours to clean; deploy tools may skip dotfiles
TEMP_TAG = ".nutgraf-tmp-"


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def check_folder(folder: Path, role: str, root: Path, protected: Iterable[Path], ours: Callable[[Path], bool],
                 named: Mapping[str, Path] | None = None) -> Path:
    """Refuse a folder nutgraf cleans (the output, the cache) where cleaning could destroy sources, a home or
    the other one's files: the file system root, the home folder, the site, anything overlapping `protected`
    or a folder of `named` (what it is -> where), a non-empty folder that `ours` does not recognise.
    Return it resolved."""
    where = folder.resolve()
    site = root.resolve()

    def refuse(why: str) -> NutgrafError:
        return NutgrafError(f"refusing to use {folder} as the {role} folder: {why}")

    if where == Path(where.anchor):
        raise refuse("it is the file system root")
    if where == Path.home().resolve():
        raise refuse("it is your home folder")
    if where == site or site.is_relative_to(where):
        raise refuse("it holds the site's sources")
    for other in protected:
        other = other.resolve()
        if where == other or where.is_relative_to(other) or other.is_relative_to(where):
            raise refuse(f"it overlaps {other}")
    for name, other in (named or {}).items():
        other = other.resolve()
        if where == other:
            raise refuse(f"it is the {name}")
        if where.is_relative_to(other) or other.is_relative_to(where):
            raise refuse(f"it overlaps the {name}, {other}")
    if where.exists() and not where.is_dir():
        raise refuse("it is a file, not a folder")
    if where.is_dir() and not ours(where) and any(where.iterdir()):
        raise refuse("it is not empty and was not made by nutgraf; choose an empty folder, or empty this one "
                     "yourself")
    return where


def check_output_dir(output: Path, root: Path, protected: Iterable[Path]) -> Path:
    """Refuse an output folder whose cleaning could destroy sources, a home or the cache; return it resolved."""
    return check_folder(output, "output", root, protected, lambda folder: (folder / MARKER).exists())


@dataclass(frozen=True, slots=True)
class OutputMode:
    """What an output folder was built with, as its marker records it: a preview shows drafts or scheduled
    explainers (`build --drafts` or `--future`), and `nutgraf deploy` never publishes one."""

    drafts: bool = False
    future: bool = False

    @property
    def preview(self) -> bool:
        return self.drafts or self.future

    @property
    def shown(self) -> str:
        """What a preview shows besides published explainers, in words: "drafts and scheduled explainers"."""
        return " and ".join(what for what, on in (("drafts", self.drafts), ("scheduled explainers", self.future))
                            if on)

    def text(self) -> str:
        """The marker's contents: a line of JSON, the same for every build in this mode."""
        return json.dumps({"preview": self.preview, "drafts": self.drafts, "future": self.future}) + "\n"


def read_mode(out: Path) -> OutputMode | None:
    """The mode the marker records; None without a marker, or with the empty one an older nutgraf wrote."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    mode = OutputMode(data.get("drafts") is True, data.get("future") is True)
    if mode.preview or data.get("preview") is False:
        return mode
    return OutputMode(True, True)  # a marker that does not say it is clean is taken for a preview


def mark_output(out: Path, mode: OutputMode) -> None:
    """Record in the marker what the output now holds (after a build has written everything)."""
    target = out / MARKER
    text = mode.text()
    with contextlib.suppress(OSError):
        if target.read_text(encoding="utf-8") == text:
            return
    os.replace(_stage(target, text.encode(), None), target)


def claim_output_dir(out: Path, mode: OutputMode | None = None) -> bool:
    """Create the output folder with its marker before anything is staged in it, so that a build killed
    at any moment leaves a folder that the next build knows as its own and cleans. True: the folder was
    new or empty, so nothing in it can be an orphan. A preview build marks the folder a preview at once;
    a normal build leaves the mark of a preview until it has written everything (mark_output), so that a
    build that fails half-way never makes a preview's pages look publishable."""
    fresh = not out.is_dir() or not any(out.iterdir())
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    if mode is not None and (mode.preview or not marker.exists()):
        mark_output(out, mode)
    else:
        marker.touch()
    return fresh


def _inside(out: Path, rel: str) -> Path:
    """`out / rel`, unless that leads out of `out` (a bug, never content). `out` is resolved already, so a
    plain path can leave it only by "..", or through a link in place of one of its folders. Only the folders
    that exist are looked at (a page's own folder, or none in a new output): resolving the whole path
    would look at every folder from the root, for every file."""
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return _resolved_inside(out, rel)
    folder = out
    for part in parts[:-1]:
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a link, or a file where a folder belongs
                return _resolved_inside(out, rel)
        except FileNotFoundError:
            break  # the rest is yet to be made, as folders
    return out / rel


def _resolved_inside(out: Path, rel: str) -> Path:
    target = (out / rel).resolve()
    if not target.is_relative_to(out) or target == out:
        raise NutgrafError(f"refusing to write {rel!r}: it is outside the output folder")  # a bug, not content
    return target


def _temp_beside(target: Path) -> Path:
    return target.with_name(f"{TEMP_TAG}{os.getpid()}-{target.name}")


def _same_bytes(target: Path, data: bytes | None, source: Path | None) -> bool:
    try:
        if source is not None:
            if target.stat().st_size != source.stat().st_size:
                return False
            return target.read_bytes() == source.read_bytes()
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def stage_file(out: Path, rel: str, data: bytes) -> str | None:
    """Write `data` to a temporary file beside its target and return that file's path, or None when the
    target has these bytes.

    Staged files become visible only through `commit_staged`, so that a build that fails half-way
    changes nothing; a build killed half-way leaves only temporary files, which the next one removes.
    The path is a string: a full build holds one per page until it commits (at 100,000 explainers, 160,000
    of them, which as Path objects took 60 MB).
    """
    target = _inside(out, rel)
    if _same_bytes(target, data, None):
        return None
    return str(_stage(target, data, None))


def _stage(target: Path, data: bytes | None, source: Path | None) -> Path:
    """Write `data` (or copy `source`) to a temporary file beside `target`. On failure (a full disk) nothing
    is left behind, and the error names the target, which the temporary file's name would only obscure."""
    temp = _temp_beside(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            shutil.copyfile(source, temp)
        else:
            with open(temp, "wb") as handle:
                handle.write(data)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError) and (exc.filename is None or TEMP_TAG in os.fspath(exc.filename)):
            exc.filename = str(target)
        raise
    return temp


def commit_staged(out: Path, staged: Mapping[str, str]) -> None:
    """Move staged files over their targets, each in one atomic rename. A staged file sits in its target's
    folder, which stage_file found inside `out`: the target is that folder and the target's own name."""
    for rel, temp in staged.items():
        os.replace(temp, os.path.join(os.path.dirname(temp), rel.rsplit("/", 1)[-1]))


def discard_staged(staged: Mapping[str, str]) -> None:
    for temp in staged.values():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def discard_temporaries(out: Path) -> None:
    """Delete every staged file in `out`: after workers failed, their staged files are known by name only."""
    for folder, _, names in os.walk(out):
        for name in names:
            if name.startswith(TEMP_TAG):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))


def write_files(out: Path, files: Mapping[str, bytes], copies: Mapping[str, Path] | None = None,
                staged: Mapping[str, str] | None = None) -> WriteStats:
    """Write what changed of `files` and `copies`, leaving every other file as it is: each is staged first,
    then all are committed with the files already `staged` (rendered pages), so that a disk that fills up or
    refuses a write half-way changes nothing (the staged files are then discarded, and the error raised)."""
    unchanged = 0
    items = [(rel, data, None) for rel, data in files.items()]
    items += [(rel, None, src) for rel, src in (copies or {}).items()]
    written: dict[str, str] = {}
    try:
        for rel, data, source in items:
            target = _inside(out, rel)
            if _same_bytes(target, data, source):
                unchanged += 1
                continue
            written[rel] = str(_stage(target, data, source))
        commit_staged(out, {**(staged or {}), **written})
    except BaseException:
        discard_staged({**(staged or {}), **written})
        raise
    return WriteStats(len(written), unchanged, 0)


def write_output(out: Path, files: Mapping[str, bytes], copies: Mapping[str, Path],
                 keep: Iterable[str] = (), fresh: bool = False, staged: Mapping[str, str] | None = None) -> WriteStats:
    """Write what changed of `files` and `copies` and commit the `staged` pages, all or (on failure) none,
    then remove every file that is not theirs nor in `keep` (unless the build began with the folder `fresh`:
    claim_output_dir found it new or empty)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).touch()
    stats = write_files(out, files, copies, staged)
    removed = 0 if fresh else _remove_orphans(out, set(files) | set(copies) | set(keep))
    return WriteStats(stats.written, stats.unchanged, removed)


def file_stats(out: Path, rels: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Size and modification time of output files, to tell next time whether anyone touched them."""
    stats = {}
    for rel in rels:
        info = os.stat(os.path.join(out, rel))  # not out / rel: a Path made for each of every output file
        stats[rel] = (info.st_size, info.st_mtime_ns)
    return stats


def write_subtree(out: Path, folder: str, copies: Mapping[str, Path]) -> WriteStats:
    """Make one folder of the output hold exactly `copies` (output paths inside it), changing nothing else.

    For what is made after the pages, such as the search index that watch mode refreshes in the background.
    """
    stats = write_files(out, {}, copies)
    top = _inside(out, folder)
    removed = _remove_orphans(out, set(copies), top) if top.is_dir() else 0
    if top.is_dir() and not any(top.iterdir()):
        top.rmdir()
    return WriteStats(stats.written, stats.unchanged, removed)


def clean_output(out: Path, written: Iterable[str]) -> int:
    """Remove every file of `out` but the marker and those of `written` (what nutgraf wrote), hidden ones
    included, then empty folders: before a deploy, so that nothing else of the folder travels."""
    return _remove_orphans(out, set(written))


def stranger_at_top(out: Path, written: Collection[str], folders: Collection[str] = ()) -> bool:
    """Whether the top of `out` holds a name that neither `folders` nor a path of `written` begins with, such as
    .git: one listing and a lookup or two for each name, cheap enough for a build that finds nothing changed."""
    tops: set[str] | None = None  # the first folder of every written path, made only if a name needs it
    try:
        with os.scandir(out) as listing:
            for entry in listing:
                name = entry.name
                if name == MARKER or name in folders or name in written or f"{name}/index.html" in written:
                    continue
                if tops is None:
                    tops = {rel.split("/", 1)[0] for rel in written}
                if name not in tops:
                    return True
    except FileNotFoundError:
        return False
    return False


def _remove_orphans(out: Path, keep: set[str], top: Path | None = None) -> int:
    """Delete files this build did not produce (and temp files of killed builds), then empty folders;
    only inside `top` when given. Plain strings and one pass: at 10,000 pages, Path objects and opening each
    folder again to see whether it was empty took a second."""
    removed = 0
    occupied: set[str] = set()  # folders that still hold something after the pass
    for folder, dirs, names in os.walk(top or out, topdown=False):
        rel_folder = os.path.relpath(folder, out)
        base = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        holds = False
        for name in names:
            rel = base + name
            if rel == MARKER or (rel in keep and "/." not in "/" + rel):  # nutgraf writes no hidden file but this
                holds = True
                continue
            os.unlink(os.path.join(folder, name))
            removed += 1
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.unlink(path)  # never follow a link out of the output folder
            elif path in occupied:
                holds = True
            else:
                try:
                    os.rmdir(path)
                except OSError:  # something appeared in it meanwhile: leave it
                    holds = True
        if holds:
            occupied.add(folder)
    return removed
