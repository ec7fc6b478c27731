"""The writer: atomic, only changed bytes, orphans removed, never outside output/, dangerous folders refused."""

import os
from pathlib import Path

import pytest

from generator.diagnostics import NutgrafError
from generator.output import MARKER, TEMP_TAG, check_output_dir, write_output


def test_writes_only_changed_files_and_keeps_mtimes(tmp_path):
    out = tmp_path / "out"
    stats = write_output(out, {"a/index.html": b"A", "b.html": b"B"}, {})
    assert (stats.written, stats.unchanged) == (2, 0)
    old = os.stat(out / "a/index.html").st_mtime_ns
    os.utime(out / "a/index.html", ns=(old - 10**9, old - 10**9))
    kept = os.stat(out / "a/index.html").st_mtime_ns
    stats = write_output(out, {"a/index.html": b"A", "b.html": b"B2"}, {})
    assert (stats.written, stats.unchanged) == (1, 1)
    assert os.stat(out / "a/index.html").st_mtime_ns == kept
    assert (out / "b.html").read_bytes() == b"B2"


def test_orphans_and_leftover_temp_files_are_removed(tmp_path):
    out = tmp_path / "out"
    write_output(out, {"old/index.html": b"x", "keep.html": b"k"}, {})
    (out / f"{TEMP_TAG}123-keep.html").write_bytes(b"half")
    stats = write_output(out, {"keep.html": b"k"}, {})
    assert stats.removed == 2
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "keep.html"])


def test_copies_files(tmp_path):
    src = tmp_path / "img.png"
    src.write_bytes(b"\x89PNG...")
    out = tmp_path / "out"
    write_output(out, {}, {"images/img.png": src})
    assert (out / "images/img.png").read_bytes() == b"\x89PNG..."
    assert write_output(out, {}, {"images/img.png": src}).unchanged == 1


def test_never_writes_outside_the_output_folder(tmp_path):
    with pytest.raises(NutgrafError):
        write_output(tmp_path / "out", {"../escape.html": b"x"}, {})
    assert not (tmp_path / "escape.html").exists()


def test_dangerous_output_folders_are_refused(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    theme = tmp_path / "theme"
    theme.mkdir()
    for bad in (site, site / "content", site / "content" / "x", tmp_path, theme, Path("/"), Path.home()):
        with pytest.raises(NutgrafError):
            check_output_dir(bad, site, [site / "content", theme])


def test_a_foreign_non_empty_folder_is_refused_but_ours_is_reused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(NutgrafError, match="not made by nutgraf"):
        check_output_dir(foreign, site, [])
    ours = tmp_path / "out"
    write_output(ours, {"a.html": b"a"}, {})
    assert check_output_dir(ours, site, []) == ours.resolve()
