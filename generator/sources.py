"""Sources: list the site's explainers and asset files, with the one ignore rule the watcher shares."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, error, warning

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DATA_FILES = frozenset({"glossary.yaml"})  # read by later stages, never published as files


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file under content/: where it is and the stat key that tells whether it changed."""

    path: Path  # absolute
    rel: str  # POSIX path relative to content/, e.g. "images/astana.svg"
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class SourceTree:
    documents: tuple[SourceFile, ...]  # Markdown explainers
    assets: tuple[SourceFile, ...]  # everything else that is published as it is
    data: tuple[SourceFile, ...] = ()  # DATA_FILES found, such as glossary.yaml


def is_ignored(name: str) -> bool:
    """Hidden files, editors' temporary and swap files: never content, never a reason to rebuild."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".crdownload", ".part"))
        or name in {"4913", "Thumbs.db", "desktop.ini"}  # vim's write test file; OS litter
    )


def scan_sources(root: Path, content_dir: Path) -> tuple[SourceTree, list[Diagnostic]]:
    """Walk content/ (sorted, so builds are reproducible); links that leave the site are refused."""
    found: list[Diagnostic] = []
    documents: list[SourceFile] = []
    assets: list[SourceFile] = []
    data: list[SourceFile] = []
    if not content_dir.is_dir():
        return SourceTree((), ()), [warning(str(content_dir.relative_to(root)), "no content/ folder: the site is empty",
                                            hint="create content/ and add explainers with `nutgraf new`")]
    site_root = root.resolve()
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if is_ignored(name):
                continue
            path = Path(folder) / name
            rel = PurePosixPath(path.relative_to(content_dir)).as_posix()
            shown = f"content/{rel}"
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(site_root):
                    found.append(error(shown, f"symbolic link points outside the site, to {target}",
                                       hint="copy the file into the site instead of linking to it"))
                    continue
            try:
                stat = path.stat()
            except OSError as exc:
                found.append(error(shown, f"cannot read: {exc.strerror}"))
                continue
            item = SourceFile(path, rel, stat.st_size, stat.st_mtime_ns)
            if path.suffix.lower() in MARKDOWN_SUFFIXES:
                documents.append(item)
            elif rel not in DATA_FILES:
                assets.append(item)
            else:
                data.append(item)
        # Linked folders are not followed: a link to a folder outside would publish it.
        for d in list(dirs):
            if (Path(folder) / d).is_symlink():
                dirs.remove(d)
                found.append(warning(f"content/{PurePosixPath(Path(folder, d).relative_to(content_dir))}",
                                     "linked folders are not followed", hint="copy the folder into content/"))
    return SourceTree(tuple(documents), tuple(assets), tuple(data)), found
