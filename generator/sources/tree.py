"""Sources: list the site's explainers and asset files, with the one ignore rule the watcher shares."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from .frontmatter import YamlDocument, decode_source, load_yaml

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
CARDS_DIR = "cards"  # Markdown files in content/cards/ are question cards (sources/cards.py), not explainers
DATA_FILES = frozenset({"glossary.yaml", "topics.yaml"})  # read by later stages, never published as files
SOURCES_FOLDER = "sources"  # content/sources/: Word and ArchieML documents for `nutgraf import`, never published


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
    data: tuple[SourceFile, ...] = ()  # DATA_FILES found: glossary.yaml, topics.yaml
    cards: tuple[SourceFile, ...] = ()  # Markdown files under cards/: question cards, never explainers


def load_data_file(data_files: Sequence[SourceFile], name: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """One of DATA_FILES read as YAML: None when it is absent, empty or unreadable (the last with findings)."""
    source = next((f for f in data_files if f.rel == name), None)
    if source is None:
        return None, []
    path = f"content/{name}"
    try:
        text, found = decode_source(source.path.read_bytes(), path)
    except OSError as exc:
        return None, [error(path, f"cannot read: {exc.strerror}")]
    doc, problems = load_yaml(text, path) if text is not None else (None, [])
    return (doc if doc is not None and doc.data is not None else None), found + problems


def is_ignored(name: str) -> bool:
    """Hidden files, editors' temporary and swap files: never content, never a reason to rebuild."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".crdownload", ".part"))
        or name in {"4913", "Thumbs.db", "desktop.ini"}  # vim's write test file; OS litter
    )


def scan_sources(root: Path, content_dir: Path) -> tuple[SourceTree, list[Diagnostic]]:
    """Walk content/ (sorted, so builds are reproducible); hidden files are skipped, and links that leave
    content/ or lead to a hidden file are refused."""
    found: list[Diagnostic] = []
    if not content_dir.is_dir():
        return SourceTree((), ()), [warning(str(content_dir.relative_to(root)), "no content/ folder: the site is empty",
                                            hint="create content/ and add explainers with `nutgraf new`")]
    by_kind: dict[str, list[SourceFile]] = {"documents": [], "assets": [], "data": [], "cards": []}
    _scan_folder(content_dir, "", content_dir.resolve(), by_kind, found)
    return SourceTree(*(tuple(by_kind[kind]) for kind in ("documents", "assets", "data", "cards"))), found


def _link_problem(target: Path, content_root: Path) -> str:
    """Why a linked file must not be published ("" when it may): a link is followed only to a file inside
    content/ that is not hidden, since a link to ../.git/config would publish the token CI keeps there."""
    if not target.is_relative_to(content_root):
        return f"symbolic link points outside content/, to {target}"
    if any(is_ignored(part) for part in target.relative_to(content_root).parts):
        return f"symbolic link points to a hidden file, {target}"
    return ""


def _scan_folder(folder: Path, prefix: str, content_root: Path, by_kind: dict[str, list[SourceFile]],
                 found: list[Diagnostic]) -> None:
    """One folder's files (by name), then its folders (by name), each the same way. A build scans every file
    on every run, a no-op included: directory entries tell links from files without a call for each."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted((entry for entry in listing if not is_ignored(entry.name)), key=lambda entry: entry.name)
    except OSError as exc:
        found.append(error(f"content/{prefix}", f"cannot read the folder: {exc.strerror}"))
        return
    folders = []
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir():  # following a link: a linked folder is reported below, never entered
            if not (rel == SOURCES_FOLDER and not entry.is_symlink()):
                folders.append(entry)
            continue
        shown = f"content/{rel}"
        path = folder / entry.name
        if entry.is_symlink():
            problem = _link_problem(path.resolve(), content_root)
            if problem:
                found.append(error(shown, problem, hint="copy the file into content/ instead of linking to it, "
                                                        "or remove the link"))
                continue
        try:
            stat = entry.stat()
        except OSError as exc:
            found.append(error(shown, f"cannot read: {exc.strerror}"))
            continue
        item = SourceFile(path, rel, stat.st_size, stat.st_mtime_ns)
        if os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES:
            by_kind["cards" if rel.startswith(f"{CARDS_DIR}/") else "documents"].append(item)
        elif rel not in DATA_FILES:
            by_kind["assets"].append(item)
        else:
            by_kind["data"].append(item)
    # Linked folders are not followed: a link to a folder outside would publish it.
    for entry in folders:
        if entry.is_symlink():
            found.append(warning(f"content/{prefix}{entry.name}", "linked folders are not followed",
                                 hint="copy the folder into content/"))
    for entry in folders:
        if not entry.is_symlink():
            _scan_folder(folder / entry.name, f"{prefix}{entry.name}/", content_root, by_kind, found)
