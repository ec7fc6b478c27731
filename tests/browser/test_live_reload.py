"""`nutgraf serve` in a real browser: a served page reloads by itself after a save and shows the error
overlay while the last build failed."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tools import REPO

sys.path.insert(0, str(REPO / "tests"))
from conftest import explainer  # noqa: E402

BODY = "## What happened?\n\nFirst version.\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served_site(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Live\nbase_url: https://example.org/\n", encoding="utf-8")
    (root / "content/a.md").write_text(explainer("Live page", BODY), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--source", str(root), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    for _ in range(3):  # "Serving ...", "Watching ...", the first build's summary
        assert process.stdout.readline(), process.stderr.read()
    yield root, f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=15)


def wait_for_live_connection(page) -> None:
    page.wait_for_function("window.__nutgrafLive && window.__nutgrafLive.readyState === 1", timeout=10_000)


def test_page_reloads_after_a_save_and_shows_errors_of_a_broken_file(chromium, served_site):
    root, url = served_site
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(url + "a/")
        wait_for_live_connection(page)
        assert "First version." in page.inner_text("main")
        time.sleep(0.1)
        (root / "content/a.md").write_text(explainer("Live page", BODY.replace("First", "Second")), encoding="utf-8")
        page.wait_for_function("document.querySelector('main').innerText.includes('Second version.')", timeout=15_000)

        wait_for_live_connection(page)
        (root / "content/a.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        overlay = page.wait_for_selector("#nutgraf-error-overlay", timeout=15_000)
        text = overlay.inner_text()
        assert "content/a.md:2" in text and "error:" in text
        assert "Second version." in page.inner_text("main")  # the last good page is still there

        (root / "content/a.md").write_text(explainer("Live page", BODY.replace("First", "Fixed")), encoding="utf-8")
        page.wait_for_function("document.querySelector('main').innerText.includes('Fixed version.')", timeout=15_000)
        assert page.query_selector("#nutgraf-error-overlay") is None
    finally:
        context.close()


def test_a_page_opened_while_the_build_is_broken_shows_the_overlay(chromium, served_site):
    root, url = served_site
    (root / "content/a.md").write_text("---\ntitle: no\ndate: 2017-01-01\n---\n", encoding="utf-8")
    time.sleep(1.0)  # let the watcher rebuild
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(url + "a/")
        overlay = page.wait_for_selector("#nutgraf-error-overlay", timeout=15_000)
        assert "'title' must be text" in overlay.inner_text()
        assert Path(root / "output/a/index.html").read_text().count("live.js") == 0
    finally:
        context.close()
