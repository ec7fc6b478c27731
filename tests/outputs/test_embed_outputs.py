"""Embeds in the outputs: the CSP of `_headers` allows the frames the site's embeds load and nothing else,
and feeds carry an embed as a link with its caption."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, run_build, touch_later
from test_hosting import rules

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"


def policy(root) -> dict[str, list[str]]:
    """The site's Content-Security-Policy, by directive."""
    csp = rules((root / "output/_headers").read_text(encoding="utf-8"))["/*"]["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in csp.split("; "))}


def build(root):
    result = run_build(root)
    assert result.ok, messages(result)
    return result


def test_a_site_without_embeds_allows_no_provider(make_site):
    root = make_site({"content/a.md": explainer("A")})
    build(root)
    csp = policy(root)
    assert csp["frame-src"] == ["'none'"]  # not even the hosts of embed_hosts, which no page uses
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]


def test_a_youtube_embed_allows_youtube_nocookie_only(make_site):
    root = make_site({"content/a.md": explainer("A", f"Lede.\n\n{YOUTUBE}\n"), "content/b.md": explainer("B")})
    build(root)
    csp = policy(root)
    assert csp["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # every embed is a frame: no provider's script


def test_every_provider_and_a_raw_iframe_are_allowed_by_their_frame_hosts(make_site):
    body = (f"Lede.\n\n{VIMEO}\n\n:::embed url=\"https://maps.example.org/m/1\"\n:::\n\n"
            '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Raw"></iframe>\n')
    root = make_site({"content/a.md": explainer("A", body)},
                     SITE_YAML + "embed_hosts: [maps.example.org, www.youtube.com]\n")
    build(root)
    assert policy(root)["frame-src"] == ["https://maps.example.org", "https://player.vimeo.com",
                                         "https://www.youtube.com"]


def test_an_edit_that_changes_the_embeds_changes_the_policy_and_equals_a_clean_build(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", f"Lede.\n\n{YOUTUBE}\n"), "content/b.md": explainer("B")})
    result = build(root)
    path = root / "content/a.md"
    path.write_text(explainer("A", f"Lede.\n\n{VIMEO}\n"), encoding="utf-8")
    touch_later(path)
    result = run_build(root, keep_going=True, state=result.state, changed=frozenset({str(path)}))  # watch mode
    assert result.ok and policy(root)["frame-src"] == ["https://player.vimeo.com"]
    assert_equals_clean_build(root, tmp_path)
    path.write_text(explainer("A", "Lede, no embed.\n"), encoding="utf-8")
    touch_later(path)
    build(root)
    assert policy(root)["frame-src"] == ["'none'"]
    assert_equals_clean_build(root, tmp_path)


def test_feeds_carry_an_embed_as_a_link_with_its_caption(make_site):
    body = f':::embed url="{VIMEO}" title="The new player"\nShot in *Oslo*.\n:::\n'
    root = make_site({"content/a.md": explainer("A", body)})
    build(root)
    item = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))["items"][0]
    html = BeautifulSoup(item["content_html"], "html.parser")
    link = html.find("figure").find("a")
    assert link["href"] == VIMEO and link.get_text(" ", strip=True) == "The new player (Vimeo)"
    assert html.find("figcaption").get_text().strip() == "Shot in Oslo."
    assert not html.find(["script", "iframe", "button"]) and "data-frame" not in item["content_html"]
    atom = (root / "output/feed.xml").read_text(encoding="utf-8")
    assert "embeds." not in atom and VIMEO in atom


def test_an_embed_in_a_cards_answer_is_allowed_on_the_cards_pages(make_site):
    card = f"---\ntitle: What did the minister say?\ndate: 2017-01-20\n---\nShe said it on camera.\n\n{VIMEO}\n"
    root = make_site({"content/cards/minister.md": card, "content/a.md": explainer("A")})
    build(root)
    assert policy(root)["frame-src"] == ["https://player.vimeo.com"]
    # the card's embed page gets the site's policy from `/*` (above) and, from its own rule, leave to be framed
    embed_rule = rules((root / "output/_headers").read_text(encoding="utf-8"))["/cards/minister/embed/"]
    assert embed_rule["Content-Security-Policy"] == "frame-ancestors *"
