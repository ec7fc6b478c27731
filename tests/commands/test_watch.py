"""Watch mode with a real watchdog observer on a temporary site: every save style, bursts, broken files."""

import os
import queue
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import explainer, run_build

from generator.commands.watch import watch
from generator.engine.build import BuildOptions

BODY = "## What happened?\n\nFirst version.\n"
TIMEOUT = 20


class Watcher:
    """Runs watch() in a thread and hands each build's result to the test."""

    def __init__(self, root: Path):
        self.root = root
        self.results: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.ready = threading.Event()
        options = BuildOptions(root, now=None)
        self.thread = threading.Thread(target=watch, args=(options, self._report, self.stop,
                                                           lambda folders: self.ready.set()), daemon=True)

    def _report(self, result, changes):
        self.results.put((result, changes))

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(TIMEOUT)
        self.next()  # the first build
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive()

    def next(self):
        return self.results.get(timeout=TIMEOUT)

    def quiet(self, seconds=0.6):
        """True when no further build happens for a while: a burst gave exactly one rebuild."""
        try:
            self.results.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def site(make_site):
    return make_site({f"content/e{i}.md": explainer(f"Explainer {i}", BODY, topics="[Shared]") for i in range(3)})


def page(root: Path, slug: str) -> str:
    return (root / "output" / slug / "index.html").read_text(encoding="utf-8")


def same_as_clean_build(root: Path, tmp_path: Path) -> bool:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert run_build(root, output=clean, use_cache=False, now=None).ok
    ours = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    return ours == theirs


def test_write_in_place(site, tmp_path):
    with Watcher(site) as w:
        text = explainer("Explainer 1", BODY.replace("First", "Second"), topics="[Shared]")
        (site / "content/e1.md").write_text(text)
        result, changes = w.next()
        assert result.ok and result.rendered >= 1
        assert "Second version." in page(site, "e1")
        assert w.quiet()
    assert same_as_clean_build(site, tmp_path)


def test_a_body_edit_is_quick_and_its_state_is_saved_when_watch_stops(site, tmp_path):
    with Watcher(site) as w:
        text = (site / "content/e2.md").read_text()
        (site / "content/e2.md").write_text(text.replace("First version.", "Quickly *rebuilt*."))
        result, _ = w.next()
        assert result.ok and result.quick and result.parsed == 1
        assert "Quickly <em>rebuilt</em>." in page(site, "e2")
    after = run_build(site, now=None)  # the next build starts from what watch saved: nothing to do
    assert after.ok and after.parsed == 0 and after.rendered == 0 and after.written == 0
    assert same_as_clean_build(site, tmp_path)


def test_temp_file_then_rename_over(site, tmp_path):
    with Watcher(site) as w:
        temp = site / "content/.e1.md.swp"
        temp.write_text(explainer("Explainer 1", BODY.replace("First", "Renamed"), topics="[Shared]"))
        os.replace(temp, site / "content/e1.md")
        result, _ = w.next()
        assert "Renamed version." in page(site, "e1")
        assert w.quiet()
    assert same_as_clean_build(site, tmp_path)


def test_delete_then_create_is_one_rebuild(site, tmp_path):
    with Watcher(site) as w:
        text = (site / "content/e2.md").read_text()
        (site / "content/e2.md").unlink()
        (site / "content/e2.md").write_text(text.replace("First", "Recreated"))
        w.next()
        assert w.quiet()
        assert "Recreated version." in page(site, "e2")
    assert same_as_clean_build(site, tmp_path)


def test_a_checkout_touching_many_files_is_one_rebuild(site, tmp_path):
    with Watcher(site) as w:
        for i in range(60):
            (site / f"content/bulk{i}.md").write_text(explainer(f"Bulk {i}", BODY, topics="[Bulk]"))
        result, changes = w.next()
        assert w.quiet(1.0)  # one burst, one rebuild
        assert (site / "output/bulk59/index.html").exists()
        assert len(list((site / "output").glob("bulk*/index.html"))) == 60
    assert same_as_clean_build(site, tmp_path)


def test_create_delete_and_rename_update_every_list(site, tmp_path):
    with Watcher(site) as w:
        (site / "content/new.md").write_text(explainer("Brand new", BODY, topics="[Shared]"))
        w.next()
        assert "Brand new" in (site / "output/topics/shared/index.html").read_text()
        (site / "content/e0.md").rename(site / "content/moved.md")
        w.next()
        assert (site / "output/moved/index.html").exists() and not (site / "output/e0").exists()
        (site / "content/new.md").unlink()
        w.next()
        assert not (site / "output/new").exists()
        assert "Brand new" not in (site / "output/index.html").read_text()
    assert same_as_clean_build(site, tmp_path)


def test_template_change_rerenders_without_parsing(site, tmp_path):
    with Watcher(site) as w:
        (site / "templates").mkdir()
        override = '{% extends "default:404.html" %}{% block content %}Gone{% endblock %}'
        (site / "templates/404.html").write_text(override)
        result, _ = w.next()
        assert result.parsed == 0 and result.rendered == 1
        assert "Gone" in (site / "output/404.html").read_text()
    assert same_as_clean_build(site, tmp_path)


def test_an_edit_in_the_site_static_folder_is_published(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", BODY), "static/files/note.txt": "first"})
    with Watcher(root) as w:
        (root / "static/files/note.txt").write_text("second")
        result, _ = w.next()
        assert result.ok and result.rendered == 0
        assert (root / "output/static/files/note.txt").read_text() == "second"
    assert same_as_clean_build(root, tmp_path)


def test_broken_file_keeps_last_good_page_and_recovers(site, tmp_path):
    with Watcher(site) as w:
        good = page(site, "e1")
        (site / "content/e1.md").write_text("---\ntitle: [broken\n---\n")
        result, _ = w.next()
        assert not result.ok
        assert any(d.path == "content/e1.md" and d.line for d in result.diagnostics)
        assert page(site, "e1") == good  # the last good page stays
        text = explainer("Explainer 2", BODY.replace("First", "Still"), topics="[Shared]")
        (site / "content/e2.md").write_text(text)
        result, _ = w.next()
        assert "Still version." in page(site, "e2")  # the rest of the site keeps updating
        assert not result.ok  # the error is still reported
        text = explainer("Explainer 1", BODY.replace("First", "Fixed"), topics="[Shared]")
        (site / "content/e1.md").write_text(text)
        result, _ = w.next()
        assert result.ok  # the error clears
        assert "Fixed version." in page(site, "e1")
    assert same_as_clean_build(site, tmp_path)


def test_own_writes_hidden_and_swap_files_never_trigger_builds(site):
    with Watcher(site) as w:
        (site / "output/stray.html").write_text("x")
        (site / "content/.hidden.md").write_text("x")
        (site / "content/e1.md~").write_text("x")
        (site / "content/.e1.md.swp").write_text("x")
        (site / "content/4913").write_text("x")
        assert w.quiet(1.0)


def test_site_yaml_change_rebuilds_everything(site):
    with Watcher(site) as w:
        text = (site / "site.yaml").read_text()
        (site / "site.yaml").write_text(text.replace("title: Test Site", "title: Renamed Site"))
        result, _ = w.next()
        assert result.parsed == 0 and result.rendered == result.pages
        assert "Renamed Site" in (site / "output/index.html").read_text()


def test_stop_ends_cleanly_and_quickly(site):
    w = Watcher(site)
    with w:
        started = time.monotonic()
    assert time.monotonic() - started < 5


def search_text(root: Path) -> str:
    """What the search index holds, as text ("" before there is one)."""
    import gzip
    folder = root / "output/pagefind"
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                   for p in folder.glob("*/fragment/*.pf_fragment"))  # each shard's


def test_search_index_follows_a_rebuild_without_holding_up_the_pages(site, tmp_path):
    with Watcher(site) as w:
        (site / "content/e1.md").write_text(explainer("Explainer 1", BODY.replace("First", "Zanzibar"),
                                                      topics="[Shared]"))
        result, _ = w.next()
        # The page is there as soon as the build reports; the index is refreshed after a pause.
        assert result.ok and result.search_pending and "Zanzibar" in page(site, "e1")
        deadline = time.monotonic() + TIMEOUT
        while "Zanzibar" not in search_text(site):
            assert time.monotonic() < deadline, "the search index was not refreshed"
            time.sleep(0.1)
        assert w.quiet(1.0)  # refreshing the index writes into output/ and triggers no build
    assert same_as_clean_build(site, tmp_path)


def test_the_watch_command_with_worker_processes_builds_rebuilds_and_stops(make_site):
    """Enough explainers for the build to fork workers, through the real command: the workers must not
    inherit watch's SIGTERM handler (that once left a pool waiting forever), and SIGTERM stops it cleanly."""
    import signal
    import subprocess
    import sys
    root = make_site({f"content/w{i}.md": explainer(f"Worker {i}", BODY, topics="[Shared]") for i in range(1000)})
    process = subprocess.Popen([sys.executable, "-m", "generator", "watch", "--source", str(root), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    printed: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                printed.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if text in printed[-1]:
                return
        raise AssertionError(f"watch never printed {text!r}:\n" + "".join(printed))

    try:
        wait_for("Built 1000 explainers")
        source = root / "content/w7.md"
        source.write_text(source.read_text().replace("First version.", "Edited through the command."))
        wait_for("rebuilt in")
        assert "Edited through the command." in page(root, "w7")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        wait_for("Stopped.")
        assert not [line for line in printed if "Traceback" in line or "Error" in line], "".join(printed)
    finally:
        process.kill()
        process.wait()
