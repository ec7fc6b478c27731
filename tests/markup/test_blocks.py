"""Storytelling blocks: `:::name` syntax, placeholders filled by the theme's blocks/ templates, glossary terms,
question dates; each checked by parsing the built page."""

import json

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later

from generator.markup.blocks import body_parts
from generator.markup.blocks.dates import PartialDate
from generator.markup.body import make_markdown, render_body

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


def render(text):
    body = render_body(make_markdown(), text, "k", None, "content/x.md", 5)
    return body, BeautifulSoup(body.html, "html.parser")


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


def test_timeline_events_are_in_date_order_with_machine_and_reader_dates(page):
    timeline = page.find("section", class_="timeline")
    assert timeline.find("h3").get_text() == "How we got here"
    times = [(t["datetime"], t.get_text()) for t in timeline.find_all("time")]
    assert times == [("2011", "2011"), ("2016-12", "December 2016"), ("2017-01-23", "Jan 23, 2017")]
    assert timeline.find("ol").find_all("li")[2].find("div").get_text() == "Talks open in Astana."


def test_figures_carry_caption_and_credit_from_a_block_or_a_credited_image(page):
    block, inline = page.find("div", class_="article-body").find_all("figure", class_="figure")
    assert block.find("img")["alt"] == "A map of Syria" and block.find("img")["width"] == "40"
    assert block.find(class_="caption").get_text(strip=True) == "Where the fighting is."
    assert block.find(class_="credit").get_text(" ", strip=True) == "Image credit: Map: Desk"
    assert inline.find("img")["alt"] == "A table in Astana" and not inline.find("img").get("credit")
    assert inline.find(class_="caption").get_text() == "The table"
    assert "Photo: Agency" in inline.find(class_="credit").get_text()


def test_glossary_terms_open_their_definition_without_javascript(page):
    first, second = page.find_all("span", class_="term")
    button, definition = first.find("button"), first.find("span", class_="term__definition")
    assert button["type"] == "button" and button.get_text() == "Astana"
    assert button["popovertarget"] == definition["id"] and definition.has_attr("popover")
    assert definition.get_text(" ", strip=True) == "Astana The capital of Kazakhstan."
    assert second.find("button").get_text() == "Coordinated Universal Time"
    assert "lang" not in second.find("span", class_="term__definition").attrs  # same language as the page
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_a_questions_own_date_shows_under_it_and_in_the_contents(page):
    heading = page.find("h2", id="parties")
    assert "updated" not in heading.attrs and "data-nutgraf-updated" not in heading.attrs
    note = heading.find_next_sibling("p", class_="question__updated")
    assert note.find("time")["datetime"] == "2017-01-24" and note.get_text(" ", strip=True) == "Updated Jan 24, 2017"
    item = page.find("nav", class_="toc").find("a", href="#parties").parent
    assert item.find("span", class_="toc__updated").find("time")["datetime"] == "2017-01-24"
    assert item.find("a").get_text() == "Who is at the table?"


def test_feeds_carry_the_rendered_blocks(built):
    feed = (built / "output/feed.json").read_text(encoding="utf-8")
    content = json.loads(feed)["items"][0]["content_html"]
    assert "<nutgraf-block" not in content and 'class="timeline"' in content and 'class="people"' in content
    assert "popover" not in content and "Lede about Astana and Coordinated Universal Time." in content


def test_dates_follow_the_page_language(make_site):
    body = ":::timeline\n- 2016-12: Ateşkes.\n- 2016-12-30: Ateşkes yürürlükte.\n:::\n"
    root = make_site({"content/ateskes.md": explainer("Türkçe", body, lang="tr")})
    assert run_build(root).ok
    times = [t.get_text() for t in parse(root / "output/ateskes/index.html").find_all("time", class_="timeline__date")]
    assert times == ["Aralık 2016", "30 Ara 2016"]


@pytest.mark.parametrize(("body", "line", "message"), [
    ("Lede.\n\n:::timelime\n- 2011: War.\n:::\n", 7, "unknown block :::timelime"),
    ("Lede.\n\n:::factbox\nText.\n:::\n", 7, ':::factbox needs the attribute title="..."'),
    ("Lede.\n\n:::timeline\n- 2011: War.\n- 2016-02-30: Truce.\n:::\n", 9, "'2016-02-30' is not a date"),
    ("Lede.\n\n:::timeline\n- War, in 2011.\n:::\n", 8, "a timeline event does not start with its date"),
    ("Lede.\n\n:::callout\nText.\n", 7, "the :::callout block is not closed"),
    ("Lede.\n\n:::callout\nText.\n:::factbox title=\"x\"\nMore.\n:::\n", 7, "the :::callout block is not closed"),
    ("Lede.\n\n:::callout\n## A question?\n:::\n", 8, "a heading inside the :::callout block"),
    ("Lede.\n\n:::figure src=\"a.png\" alt=\"A\n:::\n", 7, "cannot read the attributes of :::figure"),
    ("Lede.\n\n:::people\n- Nobody in bold\n:::\n", 8, "a person in :::people does not start with their **name**"),
    ("## What? {updated=2017-13-01}\n\nText.\n", 5, "a question's updated date must be a day"),
    ("Lede with [[nowhere]].\n", 5, "'nowhere' is not in the glossary"),
])
def test_block_mistakes_are_build_errors_with_file_and_line(make_site, body, line, message):
    root = make_site({"content/e.md": explainer("E", body), "content/glossary.yaml": "Astana: The capital.\n"})
    result = run_build(root)
    assert not result.ok
    assert any(d.path == "content/e.md" and d.line == line and d.message.startswith(message)
               for d in result.diagnostics), messages(result)
    assert not (root / "output").exists()


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


def test_partial_dates():
    assert PartialDate.parse("2016-12") == PartialDate(2016, 12) and PartialDate(2016, 12).isoformat() == "2016-12"
    assert PartialDate.parse("2016-02-30") is None and PartialDate.parse("16-02") is None
    assert PartialDate(2016, 2).last_day().day == 29 and PartialDate(2011).precision == "year"
    assert sorted([PartialDate(2016, 12, 30), PartialDate(2011), PartialDate(2016, 12)])[0] == PartialDate(2011)


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


def test_changing_the_glossary_renders_the_pages_that_mark_its_terms(blocks_site, tmp_path):
    callout = parse(blocks_site / "output/e1/index.html").find("div", class_="callout")
    assert callout.find("button", class_="term__button").get_text() == "UTC"  # a block inside a block
    glossary = blocks_site / "content/glossary.yaml"
    glossary.write_text(GLOSSARY.replace("The capital of Kazakhstan.", "Kazakhstan's capital since 1997."))
    touch_later(glossary)
    result = run_build(blocks_site)
    assert result.ok and result.parsed == 0
    assert result.rendered == 1  # e0's page: its card on lists does not show the glossary
    assert "since 1997" in (blocks_site / "output/e0/index.html").read_text(encoding="utf-8")
    assert_equals_clean_build(blocks_site, tmp_path)
    glossary.write_text("Astana: The capital.\n")  # UTC is gone: e1 marks a term the glossary lacks
    touch_later(glossary)
    result = run_build(blocks_site)
    assert [(d.path, d.line, d.message) for d in result.diagnostics] == [
        ("content/e1.md", 8, "'utc' is not in the glossary")]


def test_editing_a_block_renders_its_page_and_equals_a_clean_build(blocks_site, tmp_path):
    path = blocks_site / "content/e0.md"
    path.write_text(path.read_text().replace("- 2011: War.", "- 2011: War.\n- 2016-12-30: Truce."))
    touch_later(path)
    result = run_build(blocks_site, now=NOW)
    assert result.ok and (result.parsed, result.rendered) == (1, 1)
    assert len(parse(blocks_site / "output/e0/index.html").find_all("li", class_="timeline__event")) == 2
    assert_equals_clean_build(blocks_site, tmp_path)
