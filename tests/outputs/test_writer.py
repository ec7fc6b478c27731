"""The writer: atomic, only changed bytes, orphans removed, never outside output/, dangerous folders refused."""

import errno
import os
from pathlib import Path

import pytest
from conftest import fail_renames, fail_writes

from generator.diagnostics import NutgrafError
from generator.outputs.writer import (
    MARKER,
    TEMP_TAG,
    OutputMode,
    check_output_dir,
    claim_output_dir,
    clean_output,
    mark_output,
    read_mode,
    stage_file,
    stranger_at_top,
    write_files,
    write_output,
)


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


def test_hidden_files_nutgraf_did_not_write_are_removed_even_when_kept(tmp_path):
    out = tmp_path / "out"
    write_output(out, {"a/index.html": b"a"}, {})
    for rel in (".git/config", ".env", "a/.env", "pagefind/.git/HEAD"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("token")
    stats = write_output(out, {"a/index.html": b"a"}, {}, keep=["pagefind/.git/HEAD"])  # as index_files lists it
    assert stats.removed == 4
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "a", "a/index.html"]


def test_clean_output_leaves_only_what_nutgraf_wrote(tmp_path):
    out = tmp_path / "out"
    write_output(out, {"a/index.html": b"a", "b.html": b"b"}, {})
    (out / ".git").mkdir()
    (out / ".git/config").write_text("token")
    (out / "stray.html").write_text("s")
    assert clean_output(out, ["a/index.html", "b.html"]) == 2
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "a", "a/index.html", "b.html"]
    assert not stranger_at_top(out, ["a/index.html", "b.html"])
    (out / ".env").write_text("token")
    assert stranger_at_top(out, ["a/index.html", "b.html"])


def test_empty_folders_go_and_links_are_removed_without_being_followed(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_bytes(b"p")
    write_output(out, {"a/b/c/index.html": b"x", "a/keep/deep/index.html": b"k", "z/index.html": b"z"}, {})
    (out / "a/empty/er").mkdir(parents=True)
    (out / "a/link").symlink_to(outside, target_is_directory=True)
    stats = write_output(out, {"a/keep/deep/index.html": b"k"}, {})
    assert stats.removed == 2
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert left == [MARKER, "a", "a/keep", "a/keep/deep", "a/keep/deep/index.html"]
    assert (outside / "precious.txt").read_bytes() == b"p"


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


def test_never_writes_through_a_linked_folder_to_outside(tmp_path):
    out, outside = (tmp_path / "out").resolve(), tmp_path / "outside"
    outside.mkdir()
    write_output(out, {"a/index.html": b"a"}, {})
    (out / "a/link").symlink_to(outside, target_is_directory=True)
    (out / "inner").symlink_to(out / "a", target_is_directory=True)
    for write in (lambda rel: write_files(out, {rel: b"x"}), lambda rel: stage_file(out, rel, b"x")):
        for rel in ("a/link/index.html", "a/link/deeper/index.html", "a/../../outside/index.html"):
            with pytest.raises(NutgrafError):
                write(rel)
        write("inner/page.html")  # a link that stays inside is followed
    assert list(outside.iterdir()) == []
    assert (out / "a/page.html").read_bytes() == b"x" and (out / "a/link").is_symlink()


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


def test_builds_killed_at_random_moments_leave_nothing_half_written(tmp_path):
    """SIGKILL a real build at random moments: no truncated page ever, and the next build heals everything."""
    import random
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from conftest import SITE_YAML, explainer

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML)
    for i in range(150):
        (root / f"content/e{i}.md").write_text(explainer(f"Explainer {i}", "## Why?\n\n" + "Words. " * 300,
                                                         topics=f"[T{i % 7}]"))
    command = [sys.executable, "-m", "generator", "build", "--source", str(root), "--jobs", "2"]
    rng = random.Random(9)
    for attempt in range(6):
        if attempt % 2:  # also kill incremental builds, with part of the content changed
            for i in rng.sample(range(150), 20):
                (root / f"content/e{i}.md").write_text(explainer(f"Changed {attempt} {i}", "## Why?\n\nNew.\n"))
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for page in (root / "output").rglob("*.html") if (root / "output").exists() else ():
            if TEMP_TAG not in page.name:
                assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    assert subprocess.run(command, capture_output=True).returncode == 0
    leftovers = [p for p in (root / "output").rglob("*") if TEMP_TAG in p.name]
    assert leftovers == []
    clean = tmp_path / "clean"
    assert subprocess.run(command + ["--no-cache", "--output", str(clean)], capture_output=True).returncode == 0
    ours = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    assert ours == theirs
    shutil.rmtree(clean)


def test_claiming_says_whether_the_folder_was_fresh(tmp_path):
    assert claim_output_dir(tmp_path / "new") is True
    assert claim_output_dir(tmp_path / "new") is False  # it holds the marker now
    (tmp_path / "empty").mkdir()
    assert claim_output_dir(tmp_path / "empty") is True


def test_the_marker_records_a_preview_at_once_and_a_clean_build_only_when_it_is_done(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("")  # an older nutgraf's marker: ours, of an unknown mode
    assert claim_output_dir(out, OutputMode()) is False and read_mode(out) is None
    assert claim_output_dir(out, OutputMode(drafts=True)) is False
    assert read_mode(out) == OutputMode(drafts=True)
    claim_output_dir(out, OutputMode())  # a normal build begins: until it is done, the folder is a preview
    assert read_mode(out).preview
    mark_output(out, OutputMode())
    assert read_mode(out) == OutputMode() and not read_mode(out).preview
    (out / MARKER).write_text('{"preview": true}')
    assert read_mode(out).preview
    assert claim_output_dir(tmp_path / "new", OutputMode(future=True)) is True
    assert read_mode(tmp_path / "new") == OutputMode(future=True)


# A disk that fills up, turns read-only or refuses permission half-way through a build: conftest's fail_writes
# and fail_renames inject the faults in-process.
def _rewrite(root, count: int, title: str) -> None:
    from conftest import explainer, touch_later

    for i in range(count):
        path = root / f"content/e{i}.md"
        path.write_text(explainer(f"{title} {i}", "## Why?\n\nWords.\n", topics=f"[T{i % 3}]"), encoding="utf-8")
        touch_later(path)


def _staged(suffix: str):
    return lambda name: name.startswith(TEMP_TAG) and name.endswith(suffix)


DISK_FAULTS = {
    "disk full staging pages": lambda patch: fail_writes(patch, errno.ENOSPC, _staged(".html"), after=10),
    "quota used up staging feeds": lambda patch: fail_writes(patch, errno.EDQUOT, _staged(".xml"), after=1),
    "read-only when committing": lambda patch: fail_renames(patch, errno.EROFS, _staged("")),
    "permission denied staging the first page": lambda patch: fail_writes(patch, errno.EACCES, _staged(".html")),
}


# Pages are staged by the render workers too: with jobs=2 a helper's staged files must go as well.
@pytest.mark.parametrize(("fault", "jobs"), [*((fault, 1) for fault in DISK_FAULTS), ("disk full staging pages", 2)])
def test_a_disk_that_fails_half_way_leaves_the_previous_output_and_no_staged_file(make_site, monkeypatch,
                                                                                   tmp_path, fault, jobs):
    from conftest import assert_equals_clean_build, run_build, snapshot

    count = 70 if jobs > 1 else 12  # enough pages for the helpers to render their share
    root = make_site({})
    _rewrite(root, count, "Explainer")
    assert run_build(root, jobs=jobs).ok
    before = snapshot(root / "output")
    _rewrite(root, count, "Changed")
    with monkeypatch.context() as patch:
        DISK_FAULTS[fault](patch)
        with pytest.raises(OSError) as failure:
            run_build(root, jobs=jobs)
    error = failure.value
    assert error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES)
    named = Path(error.filename2 or error.filename)
    assert named.is_relative_to(root / "output") and TEMP_TAG not in named.name  # the file the build meant
    assert snapshot(root / "output") == before
    assert run_build(root, jobs=jobs).ok  # and once the disk is fine again, the build heals
    assert_equals_clean_build(root, tmp_path)
