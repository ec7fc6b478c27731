"""What a one-word search costs a reader: bytes transferred and time to results, measured in Chromium.

Not a test (the corpus is large): run it by hand against built sites, each served as a static host would:

    python tests/browser/search_transfer.py WORD NAME=FOLDER [NAME=FOLDER ...]

Each FOLDER is a built output/ (its search page at /search/); the search page reads pagefind/shards.json,
so a whole-site Pagefind index can be compared by putting {"shards":[{"path":".","languages":["en"]}]}
beside it. Prints, for each folder, the median of three fresh page loads.
"""

from __future__ import annotations

import statistics
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import CHROMIUM_FLAGS, find_chromium, import_module  # noqa: E402

RUNS = 3


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """No log lines."""


def measure(browser, base: str, word: str) -> tuple[int, int, float]:
    """Bytes of every response, of those under pagefind/, and milliseconds to results, for one fresh load."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[str, int]] = []
    page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes()["responseBodySize"])))
    page.goto(f"{base}search/?q={word}", wait_until="load")
    page.wait_for_function("() => { const s = document.querySelector('.search-page__status').textContent;"
                           " return s && !s.endsWith('…'); }", timeout=60_000)
    elapsed = page.evaluate("performance.now()")
    page.wait_for_timeout(500)  # let the result fragments' requests finish
    context.close()
    return sum(s for _, s in sizes), sum(s for url, s in sizes if "/pagefind/" in url), elapsed


def main(word: str, sites: list[str]) -> None:
    sync_api = import_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(find_chromium()), args=list(CHROMIUM_FLAGS))
        for spec in sites:
            name, folder = spec.split("=", 1)
            server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=folder))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            runs = [measure(browser, f"http://127.0.0.1:{server.server_port}/", word) for _ in range(RUNS)]
            server.shutdown()
            total, index, ms = (statistics.median(values) for values in zip(*runs, strict=True))
            print(f"{name}: {total / 1024:.0f} KiB in all, {index / 1024:.0f} KiB of them search index; "
                  f"results after {ms:.0f} ms (page load included)")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
