"""Block placeholders: each block's values carried as JSON in the body's HTML."""

import json

from bs4 import BeautifulSoup
from test_blocks import BODY

from generator.markup.blocks import body_parts
from generator.markup.body import make_markdown, render_body


def render(text):
    body = render_body(make_markdown(), text, "k", None, "content/x.md", 5)
    return body, BeautifulSoup(body.html, "html.parser")


def test_placeholders_carry_each_blocks_values_as_json():
    body, soup = render(BODY.split("## Who")[0])
    placeholders = soup.find_all("nutgraf-block")
    values = [json.loads(p["data-block"]) for p in placeholders]
    assert [v["name"] for v in values] == ["term", "term", "keypoints"]
    assert values[2]["title"] == "What each side wants"
    assert values[2]["points"][0] == {"$html": "<strong>The rebels</strong> want prisoners released."}
    assert values[2]["level"] == 2  # before the first question: a second-level heading
    assert body.terms == (("astana", 5), ("utc", 5))
    assert body.block_templates == ("blocks/keypoints.html", "blocks/term.html")
    fragments, blocks = body_parts(body.html)
    assert [b.name for b in blocks] == ["term", "term", "keypoints"] and len(fragments) == 5
