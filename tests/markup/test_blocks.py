"""Storytelling blocks together: placeholders filled by the theme's blocks/ templates (outputs/blockfill.py), on one
page showing every small family (callouts, keypoints, people, quotes, references), as the registry names them,
built on base.py and extracted into placeholders by extract.py; each block's own tests are in tests/markup/blocks/."""

import json

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000100000000c0806000000") + bytes(40)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>'

BODY = """\
Lede about [[Astana]] and [[UTC|Coordinated Universal Time]].

:::keypoints title="What each side wants"
- **The rebels** want prisoners released.
- **The government** wants fighters to leave.
:::

## Who is at the table? {#parties updated=2017-01-24}

:::people title="Who's who"
- ![Portrait of Mohammed Alloush](images/face.svg) **Mohammed Alloush**, leader of the Jaysh al-Islam faction
- **Staffan de Mistura**: the UN special envoy for Syria
:::

## How did the talks come about?

:::timeline title="How we got here"
- 2017-01-23: Talks open in Astana.
- 2011: The war begins.
- 2016-12: A truce is agreed.
:::

:::quote by="Omar Farouk" role="Science reporter" cite="https://example.org/source"
Much of the world's software has never been tested for a missing second.
:::

:::factbox title="In numbers"
- **27** leap seconds since 1972.
:::

:::callout title="Smearing the second"
Google slows its clocks *very slightly*.
:::

:::figure src="images/map.svg" alt="A map of Syria" credit="Map: Desk"
Where the fighting is.
:::

![A table in Astana](images/map.svg){credit="Photo: Agency" caption="The table"}

:::sources
- [IERS](https://www.iers.org/), which announces leap seconds
:::
"""

GLOSSARY = """\
Astana: "The capital of Kazakhstan."
UTC:
  definition: "Coordinated Universal Time, the time standard civil time is based on."
  lang: en
"""


@pytest.fixture
def built(make_site):
    root = make_site({"content/talks.md": explainer("Talks", BODY, topics="[Syria]"),
                      "content/glossary.yaml": GLOSSARY,
                      "content/images/face.svg": SVG, "content/images/map.svg": SVG})
    result = run_build(root)
    assert result.ok, messages(result)
    return root


@pytest.fixture
def page(built):
    return parse(built / "output/talks/index.html")


def test_every_block_is_semantic_html_from_its_template(page):
    body = page.find("div", class_="article-body")
    assert body.find("nutgraf-block") is None and "data-nutgraf" not in str(body)
    points = body.find("section", class_="key-points--block")
    assert points.find("h2").get_text() == "What each side wants"
    assert [li.get_text() for li in points.find_all("li")][1] == "The government wants fighters to leave."
    people = body.find("section", class_="people")
    assert people.find_parent("section", class_="question")["aria-labelledby"] == "parties"
    assert people.find("h3").get_text() == "Who’s who"
    assert [dt.get_text() for dt in people.find_all("dt")] == ["Mohammed Alloush", "Staffan de Mistura"]
    assert [dd.get_text() for dd in people.find_all("dd", class_="person__role")] == [
        "leader of the Jaysh al-Islam faction", "the UN special envoy for Syria"]
    assert people.find("dd", class_="person__photo").find("img")["alt"] == "Portrait of Mohammed Alloush"
    quote = body.find("figure", class_="pull-quote")
    assert quote.blockquote["cite"] == "https://example.org/source"
    assert quote.figcaption.get_text(" ", strip=True) == "Omar Farouk , Science reporter"
    factbox = body.find("section", class_="factbox")
    assert factbox.find("h3").get_text() == "In numbers" and factbox.find("strong").get_text() == "27"
    callout = body.find("div", class_="callout")
    assert callout["role"] == "note" and callout.find("em").get_text() == "very slightly"
    assert body.find("section", class_="sources").find("a")["href"] == "https://www.iers.org/"


def test_feeds_carry_the_rendered_blocks(built):
    feed = (built / "output/feed.json").read_text(encoding="utf-8")
    content = json.loads(feed)["items"][0]["content_html"]
    assert "<nutgraf-block" not in content and 'class="timeline"' in content and 'class="people"' in content
    assert "popover" not in content and "Lede about Astana and Coordinated Universal Time." in content


def test_a_site_overrides_one_block_template(make_site):
    root = make_site({"content/e.md": explainer("E", ":::timeline\n- 2011: War.\n:::\n\n:::callout\nNote.\n:::\n"),
                      "templates/blocks/timeline.html":
                      '<ul class="mine">{% for e in block.events %}<li>{{ e.date | isoformat }}</li>{% endfor %}</ul>'})
    assert run_build(root).ok
    page = parse(root / "output/e/index.html")
    assert str(page.find("ul", class_="mine")) == '<ul class="mine"><li>2011</li></ul>'
    assert page.find("div", class_="callout") is not None  # the other blocks keep the theme's


def test_sanitized_bodies_keep_their_blocks_and_clean_inside_them(make_site):
    body = ':::callout title="Note"\nHello <script>alert(1)</script><b onclick="x()">bold</b>\n:::\n'
    root = make_site({"content/e.md": explainer("E", body)}, SITE_YAML + "untrusted_html: sanitize\n")
    assert run_build(root).ok
    html = (root / "output/e/index.html").read_text(encoding="utf-8")
    callout = BeautifulSoup(html, "html.parser").find("div", class_="callout")
    assert callout.find("b").get_text() == "bold" and not callout.find("b").has_attr("onclick")
    assert "alert(1)" not in html


# Incremental builds: a block's template, and the glossary, are inputs of exactly the pages that use them.

@pytest.fixture
def blocks_site(make_site):
    files = {f"content/e{i}.md": explainer(f"E{i}", "Lede.\n\n## What?\n\nText.\n", topics="[T]") for i in range(4)}
    files["content/e0.md"] = explainer("E0", "Lede about [[Astana]].\n\n## What?\n\n:::timeline\n- 2011: War.\n:::\n")
    files["content/e1.md"] = explainer("E1", "## What?\n\n:::callout\nA note on [[UTC]].\n:::\n")
    files["content/glossary.yaml"] = GLOSSARY
    root = make_site(files)
    assert run_build(root).ok
    return root


def test_changing_a_block_template_renders_only_the_pages_with_that_block(blocks_site, tmp_path):
    override = blocks_site / "templates/blocks/timeline.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "default:blocks/timeline.html" %}')
    result = run_build(blocks_site)
    assert (result.rendered, result.written) == (1, 0)  # only the page with a timeline; its bytes are the same
    override.write_text('<p class="changed">{{ block.events | length }}</p>')
    touch_later(override)
    result = run_build(blocks_site)
    assert result.ok and (result.parsed, result.rendered) == (0, 1)
    assert parse(blocks_site / "output/e0/index.html").find("p", class_="changed").get_text() == "1"
    assert_equals_clean_build(blocks_site, tmp_path)


def test_editing_a_block_renders_its_page_and_equals_a_clean_build(blocks_site, tmp_path):
    path = blocks_site / "content/e0.md"
    path.write_text(path.read_text().replace("- 2011: War.", "- 2011: War.\n- 2016-12-30: Truce."))
    touch_later(path)
    result = run_build(blocks_site, now=NOW)
    assert result.ok and (result.parsed, result.rendered) == (1, 1)
    assert len(parse(blocks_site / "output/e0/index.html").find_all("li", class_="timeline__event")) == 2
    assert_equals_clean_build(blocks_site, tmp_path)
