"""Browser fixtures: the sample site built once, served by one local server, opened in one Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tools import CHROMIUM_FLAGS, REPO, find_chromium, import_module

from generator.engine.build import BuildOptions, build

# One page of each type of the sample site; the 404 page is whatever a missing path at any depth gets.
PAGES = {
    "explainer": "/astana-talks/",
    "home": "/",
    "topic": "/topics/diplomacy/",
    "author": "/authors/lena-moreau/",
    "404": "/no/such/page/",
    "rtl-explainer": "/ramadan-dates/",
    "search": "/search/",
    "rtl-home": "/ar/",
    "questions": "/questions/",
}
FOCUSABLE = 'a[href], button, summary, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
SITE_FOLDERS = ("content", "templates", "themes", "i18n")
SCHEMES = ("light", "dark")
WIDTHS = (375, 1280)
HEIGHT = 800
TIMEOUT_MS = 15_000

LIGHTHOUSE_KEY = pytest.StashKey[dict[str, dict[str, float]]]()
SCREENSHOTS_KEY = pytest.StashKey[Path]()


def read_headers_file(path: Path) -> list[tuple[str, str, str]]:
    """The rules of a Netlify/Cloudflare `_headers` file: (path pattern, header, value), in file order."""
    rules, pattern = [], None
    for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else ():
        if line.startswith("/"):
            pattern = line.strip()
        elif line.strip() and pattern is not None:
            name, _, value = line.strip().partition(":")
            rules.append((pattern, name.strip(), value.strip()))
    return rules


def pattern_matches(pattern: str, path: str) -> bool:
    """A `_headers` path pattern: exact, or ending in a `*` splat that matches any rest."""
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site like a static host: files as they are, 404.html for anything missing, and the
    headers the site's `_headers` file asks for, as Netlify and Cloudflare Pages would send them."""

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        for pattern, name, value in read_headers_file(Path(self.directory) / "_headers"):
            if pattern_matches(pattern, path):
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def copy_sample_site(target: Path) -> Path:
    """A copy of the repository's sample site, so that building it leaves nothing in the checkout."""
    shutil.copy2(REPO / "site.yaml", target / "site.yaml")
    for folder in SITE_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


@contextmanager
def serving(handler: Callable, name: str) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) with `handler`, in a thread until the block ends; yields its
    base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def serve_built_site(source: Path, root: Path, name: str) -> Iterator[str]:
    """`source` built into `root` with generator.engine.build.build for the server's own origin, and served on
    127.0.0.1 (as a static host would, see SiteHandler) until the block ends; yields the base URL."""
    with serving(partial(SiteHandler, directory=str(root)), name) as base:
        result = build(BuildOptions(source, output=root, base_url=base))
        assert result.ok, f"{source} does not build:\n" + "\n".join(d.format() for d in result.diagnostics)
        yield base


@pytest.fixture(scope="session")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The sample site, built and served on 127.0.0.1."""
    source = copy_sample_site(tmp_path_factory.mktemp("sample-site"))
    root = tmp_path_factory.mktemp("browser-site")
    with serve_built_site(source, root, "site-server") as base:
        for kind, path in PAGES.items():
            assert kind == "404" or (root / path.lstrip("/") / "index.html").is_file(), f"no {kind} page at {path}"
        yield base


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (Playwright gives it a fresh temporary --user-data-dir)."""
    executable = find_chromium()
    sync_api = import_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_FLAGS),
                                             headless=True, timeout=60_000)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory, pytestconfig) -> Path:
    """Where screenshots go: $NUTGRAF_SCREENSHOTS, else a temporary folder; the run's summary prints it."""
    chosen = os.environ.get("NUTGRAF_SCREENSHOTS")
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots", numbered=False)
    folder.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[SCREENSHOTS_KEY] = folder
    return folder


@pytest.fixture
def open_page(chromium, site_url) -> Iterator[Callable]:
    """open_page(kind, width, scheme): a loaded page of the sample site in a fresh context; closed after the test."""
    contexts = []

    def open_(kind: str, width: int, scheme: str = "light"):
        mobile = width < 600
        # bypass_csp lets the tests inject axe-core; test_console checks the pages under the real policy.
        context = chromium.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme,
                                       is_mobile=mobile, has_touch=mobile, device_scale_factor=1, bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(site_url + PAGES[kind].lstrip("/"), wait_until="load")
        assert response is not None and response.status == (404 if kind == "404" else 200)
        # The search page fills in its filters after load; wait until search.js says the form is complete.
        page.wait_for_function("() => !document.querySelector('[data-search]:not([data-state])')")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(params=list(PAGES))
def kind(request) -> str:
    """Each page type of the sample site."""
    return request.param


@pytest.fixture(params=SCHEMES)
def scheme(request) -> str:
    """Each colour scheme (prefers-color-scheme)."""
    return request.param


@pytest.fixture(params=WIDTHS)
def width(request) -> int:
    """A phone and a desktop viewport width."""
    return request.param


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the Lighthouse scores and where the screenshots are, whatever -s or -q say."""
    scores = config.stash.get(LIGHTHOUSE_KEY, {})
    folder = config.stash.get(SCREENSHOTS_KEY, None)
    if not scores and folder is None:
        return
    terminalreporter.section("browser gate")
    for path, values in scores.items():
        shown = "  ".join(f"{name} {value:g}" for name, value in values.items())
        terminalreporter.write_line(f"Lighthouse {path}: {shown}")
    if folder is not None:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"screenshots ({count}): {folder}")
