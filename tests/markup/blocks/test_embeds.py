"""Embeds: `:::embed url="..."` and a provider's address alone on a line become a facade that loads nothing
from the provider before a click; unknown or malformed addresses are errors with file and line."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from conftest import explainer, messages, parse, run_build

from generator.markup.blocks.embeds import find_embed, frame_hosts
from generator.markup.body import Markdowns, render_body

# One page of each provider, with the frame it loads on a click.
PAGES = {
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
    "https://vimeo.com/76979871": "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
    "https://x.com/jack/status/20": "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
    "https://www.instagram.com/p/CxYz123abc/": "https://www.instagram.com/p/CxYz123abc/embed/",
    "https://www.tiktok.com/@scout2015/video/6718335390845095173":
        "https://www.tiktok.com/embed/v2/6718335390845095173",
    "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l":
        "https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l",
    "https://datawrapper.dwcdn.net/AbC12/3/": "https://datawrapper.dwcdn.net/AbC12/3/",
    "https://public.flourish.studio/visualisation/1234567/": "https://flo.uri.sh/visualisation/1234567/embed",
    "https://www.documentcloud.org/documents/20059068-the-mueller-report":
        "https://embed.documentcloud.org/documents/20059068-the-mueller-report/?embed=1",
}
ALIASES = {  # other addresses of the same pages
    "https://youtu.be/dQw4w9WgXcQ": "youtube", "https://www.youtube.com/shorts/dQw4w9WgXcQ": "youtube",
    "https://twitter.com/jack/status/20": "x", "https://www.instagram.com/reel/CxYz123abc/": "instagram",
    "https://flo.uri.sh/visualisation/1234567/embed": "flourish",
}
EVERY_PROVIDER = "\n\n".join(PAGES) + "\n"


def render(text: str, hosts: tuple[str, ...] = ()):
    body = render_body(Markdowns().for_text(text), text, "k", None, "content/x.md", 5, embed_hosts=hosts)
    soup = BeautifulSoup(body.html, "html.parser")
    return body, [json.loads(p["data-block"]) for p in soup.find_all("nutgraf-block")]


@pytest.mark.parametrize("url", list(PAGES))
def test_each_provider_page_loads_its_own_frame(url):
    assert find_embed(url).frame == PAGES[url]


@pytest.mark.parametrize("url", list(ALIASES))
def test_other_addresses_of_a_page_name_the_same_provider(url):
    assert find_embed(url).key == ALIASES[url]


def test_a_provider_address_alone_on_a_line_is_an_embed_and_one_inside_a_paragraph_is_not():
    body, blocks = render("Lede.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nSee https://youtu.be/dQw4w9WgXcQ here.\n"
                          "https://vimeo.com/76979871\n")
    assert [(b["name"], b["provider"]) for b in blocks] == [("embed", "youtube")]
    assert body.embeds == ("youtube",) and body.block_templates == ("blocks/embed.html",)


def test_the_block_carries_title_caption_and_shape():
    body, [block] = render(':::embed url="https://datawrapper.dwcdn.net/AbC12/3/" title="Jobs" ratio="1:1"\n'
                           "Source: *the office*.\n:::\n")
    assert block["title"] == "Jobs" and block["ratio"] == "1x1" and block["kind"] == "chart"
    assert block["caption"] == {"$html": "<p>Source: <em>the office</em>.</p>"}
    assert body.embeds == ("datawrapper",) and not body.diagnostics


def test_a_page_of_an_embed_hosts_host_is_framed_as_written():
    body, [block] = render(':::embed url="https://maps.example.org/m/1"\n:::\n', ("maps.example.org",))
    assert block["frame"] == "https://maps.example.org/m/1" and block["provider"] == "frame"
    assert body.embeds == ("frame:maps.example.org",) and frame_hosts(body.embeds) == ["maps.example.org"]


@pytest.mark.parametrize(("block", "message"), [
    (':::embed url="https://example.com/video/1"\n:::\n', "cannot embed 'https://example.com/video/1': not a page"),
    (':::embed url="youtube.com/watch?v=dQw4w9WgXcQ"\n:::\n', "cannot embed 'youtube.com/watch?v=dQw4w9WgXcQ': it "
     "is not a web address"),
    (':::embed url="http://maps.example.org/m/1"\n:::\n', "cannot embed 'http://maps.example.org/m/1'"),
    (':::embed url="https://youtu.be/dQw4w9WgXcQ" ratio="2:1"\n:::\n', ":::embed cannot have the ratio '2:1'"),
    (":::embed\n:::\n", ':::embed needs the attribute url="..."'),
    (':::embed url="https://www.youtube.com/@nutgraf"\n:::\n', "cannot embed 'https://www.youtube.com/@nutgraf'"),
])
def test_embed_mistakes_are_errors_with_file_line_and_hint(make_site, block, message):
    root = make_site({"content/e.md": explainer("E", "Lede.\n\n" + block)},
                     "title: T\nbase_url: https://example.org/\nembed_hosts: [maps.example.org, www.youtube.com]\n")
    result = run_build(root)
    found = [d for d in result.diagnostics if d.message.startswith(message)]
    assert not result.ok and found, messages(result)
    assert found[0].path == "content/e.md" and found[0].line == 7 and found[0].hint
    assert not (root / "output").exists()


def test_the_facade_is_a_link_to_the_original_with_its_frame_for_later(make_site):
    root = make_site({"content/e.md": explainer("E", "## Which?\n\n" + EVERY_PROVIDER)})
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/e/index.html")
    facades = page.select("figure.embed a.embed__facade")
    assert [a["href"] for a in facades] == list(PAGES)
    assert [a["data-frame"] for a in facades] == list(PAGES.values())
    assert not page.find("iframe")  # nothing of any provider is on the page before a click
    assert all(a.select_one(".embed__title").get_text(strip=True) for a in facades)
    assert page.select_one(".embed--youtube .embed__title").get_text() == "Video on YouTube"
    assert [s["src"] for s in page.find_all("script", src=True) if "embeds" in s["src"]][0].startswith(
        "/static/js/embeds.")
    ratios = {f["class"][1] for f in page.select(".embed__frame")}
    assert ratios == {"embed__frame--16x9", "embed__frame--4x5", "embed__frame--9x16", "embed__frame--4x3",
                      "embed__frame--3x4"}
