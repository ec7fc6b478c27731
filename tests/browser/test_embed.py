"""A card's embed page in another site's iframe: framed under the site's `_headers`, while other pages refuse."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from .conftest import TIMEOUT_MS, serving
from .test_accessibility import axe_source, describe, run_axe  # noqa: F401  (axe_source is a fixture)

EMBED = "cards/astana-process/embed/"
QUESTION = "What is the Astana process?"


@pytest.fixture
def other_origin(site_url) -> Iterator[str]:
    """A page on a second 127.0.0.1 port (another origin) that frames the card's embed and an explainer."""
    html = (f'<!doctype html><html lang="en"><title>Partner</title>'
            f'<iframe id="embed" title="card" src="{site_url}{EMBED}" width="400" height="600"></iframe>'
            f'<iframe id="page" title="page" src="{site_url}astana-talks/" width="400" height="600"></iframe>'
            ).encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args) -> None:
            """Keep the test output quiet."""

    with serving(Partner, "partner-server") as base:
        yield base


def test_the_embed_loads_in_another_origins_iframe_and_other_pages_refuse(chromium, other_origin, site_url):
    assert other_origin.rsplit(":", 1)[1] != site_url.rsplit(":", 1)[1]
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda message: "frame" in message.text and refused.append(message.text))
        page.goto(other_origin, wait_until="load")
        embed = page.frame_locator("#embed")
        assert embed.locator("h1").inner_text() == QUESTION
        assert embed.locator(".card-embed__source a").get_attribute("href").endswith("/cards/astana-process/")
        # Chromium names only the origin of a frame it refused; the explainer's frame is the one left empty
        assert refused == [f"Refused to display '{site_url}' in a frame because it set 'X-Frame-Options' to "
                           "'sameorigin'."]
        assert page.query_selector("#page").content_frame().url.startswith("chrome-error:")
        assert page.query_selector("#embed").content_frame().url == site_url + EMBED
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_embed_passes_axe(chromium, site_url, axe_source, width):  # noqa: F811
    context = chromium.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(site_url + EMBED, wait_until="load")
        results = run_axe(page, axe_source)
        assert results["violations"] == [], "axe violations:\n" + describe(results["violations"])
    finally:
        context.close()
