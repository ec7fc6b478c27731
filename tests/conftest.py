"""Shared fixtures: small sites written on the fly, builds, and HTML parsing."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.engine.build import BuildOptions, BuildResult, build

SITES = Path(__file__).parent / "sites"
REPO = Path(__file__).parent.parent
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

SITE_YAML = """\
title: Test Site
description: A site for tests.
base_url: https://example.org/
language: en
timezone: Europe/Istanbul
page_size: 2
publisher:
  name: Test Newsroom
authors:
  ann:
    name: Ann Writer
    url: https://example.org/ann/
    bio: Writes things.
"""


def explainer(title: str = "A test explainer", body: str = "## What happened?\n\nThings.\n", **fields) -> str:
    """Markdown of an explainer; front-matter fields are given as YAML source text."""
    fields.setdefault("date", "2017-01-23")
    lines = [f'title: "{title}"'] + [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@pytest.fixture
def make_site(tmp_path):
    """Write a site from {relative path: text}; site.yaml defaults to SITE_YAML."""

    def make(files: dict[str, str | bytes], site_yaml: str | None = SITE_YAML) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if site_yaml is not None:
            (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
        (root / "content").mkdir(exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def copy_site(tmp_path):
    """Copy one of tests/sites/NAME into a temporary folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("output"))
        return target

    return copy


def run_build(root: Path, state=None, changed=None, warm=None, **options) -> BuildResult:
    """build() at NOW unless told otherwise; `state`, `changed` and `warm` as watch mode passes them."""
    options.setdefault("now", NOW)
    return build(BuildOptions(root, **options), state, changed, warm)


def parse(path: Path) -> BeautifulSoup:
    """Parse a written HTML page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def messages(result: BuildResult) -> list[str]:
    return [d.format() for d in result.diagnostics]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_equals_clean_build(root: Path, tmp_path: Path) -> None:
    """The site's output/ is, file for file, what a clean build without cache makes."""
    clean = tmp_path / "clean-output"
    shutil.rmtree(clean, ignore_errors=True)
    assert run_build(root, output=clean, use_cache=False).ok
    assert snapshot(root / "output") == snapshot(clean)


def touch_later(path: Path) -> None:
    """Make sure an edit within the same clock tick still changes the stat key."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) with `new` in a file, as a later save."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    touch_later(path)


def fail_writes(monkeypatch, code: int, chosen, after: int = 0) -> None:
    """Opening for writing a file whose name is `chosen` (a predicate) fails with errno `code` after `after`
    such files (in each process), as a write to a full disk does: the file was made, the error names no file.
    In-process fault injection: the tests run as root, whom chmod does not stop, and have no disk to fill."""
    import builtins

    real_open = builtins.open
    made = []

    def open_failing(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode and chosen(os.path.basename(os.fspath(file))):
            made.append(file)
            if len(made) > after:
                handle.close()
                raise OSError(code, os.strerror(code))
        return handle

    monkeypatch.setattr(builtins, "open", open_failing)


def fail_renames(monkeypatch, code: int, chosen) -> None:
    """Renaming a file whose name is `chosen` (a predicate) fails with errno `code`, naming both files."""
    real_replace = os.replace

    def replace_failing(source, target, *args, **kwargs):
        if chosen(os.path.basename(os.fspath(source))):
            raise OSError(code, os.strerror(code), os.fspath(source), None, os.fspath(target))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace_failing)
