"""Embeds in Chromium, under the site's own `_headers`: nothing leaves 127.0.0.1 until a reader clicks a facade,
then exactly that provider is asked; no page is wider than the screen, axe finds nothing, the CSP blocks nothing."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from tools import find_node_file

from .conftest import TIMEOUT_MS, serve_built_site
from .test_accessibility import describe, run_axe
from .test_console import RECORD_VIOLATIONS_JS

# One page of each provider, and of a host in embed_hosts, by the class of its figure.
PAGES = {
    "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "vimeo": "https://vimeo.com/76979871",
    "x": "https://x.com/jack/status/20",
    "instagram": "https://www.instagram.com/p/CxYz123abc/",
    "tiktok": "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    "bluesky": "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
    "datawrapper": "https://datawrapper.dwcdn.net/AbC12/3/",
    "flourish": "https://public.flourish.studio/visualisation/1234567/",
    "documentcloud": "https://www.documentcloud.org/documents/20059068-the-mueller-report",
}
FRAMES = {"youtube": "www.youtube-nocookie.com", "vimeo": "player.vimeo.com", "x": "platform.twitter.com",
          "instagram": "www.instagram.com", "tiktok": "www.tiktok.com", "bluesky": "embed.bsky.app",
          "datawrapper": "datawrapper.dwcdn.net", "flourish": "flo.uri.sh", "documentcloud": "embed.documentcloud.org",
          "frame": "maps.example.org"}
BODY = "Lede.\n\n## What do they show?\n\n" + "\n\n".join(
    f':::embed url="{url}" title="A {name} embed"\nCaption of the {name} embed.\n:::' for name, url in PAGES.items()
) + '\n\n:::embed url="https://maps.example.org/m/1" title="A map"\n:::\n\nThe end.\n'
SETTLE_MS = 3_000  # how long the page sits after scrolling: a lazy or timed request would show by then
SCROLL_JS = "async () => { for (let y = 0; y < document.body.scrollHeight; y += 300) { scrollTo(0, y); " \
            "await new Promise(r => setTimeout(r, 50)); } }"


@pytest.fixture(scope="module")
def embeds_url(tmp_path_factory) -> Iterator[str]:
    """A site whose one explainer embeds one page of each provider, served on 127.0.0.1 with its `_headers`."""
    source = tmp_path_factory.mktemp("embeds-site")
    (source / "site.yaml").write_text("title: Embeds\nbase_url: https://example.org/\nlanguage: en\n"
                                      "embed_hosts: [maps.example.org]\n", encoding="utf-8")
    (source / "content").mkdir()
    (source / "content/embeds.md").write_text(f'---\ntitle: "Every embed"\ndate: 2017-01-23\n---\n{BODY}',
                                              encoding="utf-8")
    with serve_built_site(source, tmp_path_factory.mktemp("embeds-out"), "embeds-server") as base:
        yield base + "embeds/"


@pytest.fixture
def open_embeds(chromium, embeds_url):
    """open_embeds(width, **context options): the page loaded, every request recorded and none let off the host."""
    contexts = []

    def open_(width: int = 375, **options):
        context = chromium.new_context(viewport={"width": width, "height": 800}, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        context.add_init_script(RECORD_VIOLATIONS_JS)
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        # Nothing here can reach the internet; aborting what is not local keeps the test quick and offline.
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else route.abort())
        page = context.new_page()
        page.goto(embeds_url, wait_until="load")
        return page, requested

    yield open_
    for context in contexts:
        context.close()


def away(requested: list[str]) -> set[str]:
    """The hosts other than 127.0.0.1 that were asked for anything."""
    return {urlsplit(url).hostname for url in requested} - {"127.0.0.1"} - {None}


def test_nothing_leaves_the_site_until_a_click_then_exactly_that_provider(open_embeds):
    page, requested = open_embeds()
    assert page.locator("button.embed__facade").count() == len(FRAMES)  # each facade became a button
    page.evaluate(SCROLL_JS)
    page.wait_for_timeout(SETTLE_MS)
    assert away(requested) == set() and page.evaluate("() => window.__violations") == []
    assert any("/static/js/embeds." in url for url in requested)
    before = page.locator(".embed--youtube .embed__frame").bounding_box()
    with page.expect_request(lambda request: urlsplit(request.url).hostname == FRAMES["youtube"]):
        page.locator(".embed--youtube button.embed__facade").click()
    page.wait_for_timeout(500)
    assert away(requested) == {FRAMES["youtube"]}
    frame = page.locator(".embed--youtube iframe.embed__iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert frame.get_attribute("title") == "A youtube embed"
    assert page.evaluate("() => document.activeElement.classList.contains('embed__iframe')")  # focus moved in
    after = page.locator(".embed--youtube .embed__frame").bounding_box()
    assert (after["width"], after["height"]) == (before["width"], before["height"])  # no layout shift
    assert page.evaluate("() => window.__violations") == []  # frame-src allows the frame the click loads


@pytest.mark.parametrize("name", [name for name in FRAMES if name != "youtube"])
def test_each_facade_asks_its_own_provider_only(open_embeds, name):
    page, requested = open_embeds()
    with page.expect_request(lambda request: urlsplit(request.url).hostname == FRAMES[name]):
        page.locator(f".embed--{name} button.embed__facade").click()
    page.wait_for_timeout(300)
    assert away(requested) == {FRAMES[name]} and page.evaluate("() => window.__violations") == []


def test_without_javascript_each_facade_is_a_link_to_the_original(open_embeds):
    page, requested = open_embeds(java_script_enabled=False)
    links = page.locator("a.embed__facade").evaluate_all("links => links.map(a => a.href)")
    assert links == [*PAGES.values(), "https://maps.example.org/m/1"]
    assert away(requested) == set()


@pytest.mark.parametrize("width", [320, 375])
def test_no_embed_widens_the_page(open_embeds, width):
    page, _ = open_embeds(width)
    scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width} px wide at {width} px"
    page.locator(".embed--datawrapper button.embed__facade").click()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_before_or_after_a_click(open_embeds, scheme):
    axe_source = find_node_file("axe-core", "axe.min.js").read_text(encoding="utf-8")
    page, _ = open_embeds(375, color_scheme=scheme, bypass_csp=True)  # bypass_csp: axe is injected
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])
    assert [rule for rule in results["incomplete"] if rule["id"] == "color-contrast"] == []
    page.locator(".embed--vimeo button.embed__facade").click()
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])

