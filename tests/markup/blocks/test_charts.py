"""Charts: `:::chart` drawn as inline SVG (wide and narrow), its data table and CSV link, right-to-left
pages, every data error at its line, and feeds' PNGs (charting/raster.py); each from a built page (data, drawing,
formats and storage: tests/markup/blocks/charting/)."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, SITE_YAML, assert_equals_clean_build, edit_text, explainer, messages, parse, run_build
from lxml import etree
from PIL import Image

from generator.commands.check import CheckOptions, check_site
from generator.markup.blocks.charting.draw import KINDS

SVG_NS = "{http://www.w3.org/2000/svg}"
LEAP_CSV = "decade,leap seconds\n1970s,9\n1980s,6\n1990s,7\n2000s,2\n2010s,3\n"
TWO_SERIES = "date,Russia,Turkey\n2016-01,10,12\n2016-06,14,9\n2017-01,20,15\n"


def chart_block(kind: str = "column", csv: str = "leap.csv", **attrs: str) -> str:
    attrs = {"title": "Leap seconds per decade", "description": "Nine in the 1970s, two in the 2000s",
             "source": "IERS", **attrs}
    written = " ".join(f'{name}="{value}"' for name, value in attrs.items())
    return f':::chart csv="{csv}" kind="{kind}" {written}\n:::\n'


def build_chart(make_site, body: str, files: dict | None = None, site_yaml: str = SITE_YAML, **fields):
    root = make_site({"content/leap.csv": LEAP_CSV, "content/two.csv": TWO_SERIES, **(files or {}),
                      "content/charts.md": explainer(body="## What does it show?\n\n" + body, **fields)},
                     site_yaml)
    return root, run_build(root)


def svgs(page) -> list[etree._Element]:
    """Every chart SVG of a built page, parsed by lxml as XML."""
    return [etree.fromstring(str(svg).encode()) for svg in page.select("figure.chart svg")]


def check_svg(svg: etree._Element) -> None:
    """A chart SVG is one labelled image: title and description first, no script, nothing from outside."""
    assert svg.get("role") == "img"
    title, desc = svg[0], svg[1]
    assert (title.tag, desc.tag) == (f"{SVG_NS}title", f"{SVG_NS}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert not list(svg.iter(f"{SVG_NS}script"))
    for element in svg.iter():
        assert not any(name.endswith("href") for name in element.attrib), element.attrib
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
        assert "url(" not in " ".join(element.attrib.values())
    assert svg.find(f"{SVG_NS}foreignObject") is None and svg.find(f"{SVG_NS}image") is None


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_two_labelled_svgs_with_the_data_as_a_table(make_site, kind):
    root, result = build_chart(make_site, chart_block(kind))
    assert result.ok, messages(result)
    page = parse(root / "output" / "charts" / "index.html")
    wide, narrow = svgs(page)
    for svg in (wide, narrow):
        check_svg(svg)
        assert svg.findtext(f"{SVG_NS}title") == "Leap seconds per decade"
        assert svg.findtext(f"{SVG_NS}desc") == "Nine in the 1970s, two in the 2000s"
    assert "chart__svg--wide" in wide.get("class") and "chart__svg--narrow" in narrow.get("class")
    table = page.select_one("figure.chart details table")
    assert [th.get_text() for th in table.select("thead th")] == ["decade", "leap seconds"]
    rows = [[cell.get_text() for cell in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert rows == [line.split(",") for line in LEAP_CSV.splitlines()[1:]]  # the data table matches the CSV
    link = page.select_one("figure.chart details a[download]")
    assert link["href"] == "/leap.csv" and (root / "output" / "leap.csv").read_text() == LEAP_CSV
    assert page.select_one("figure.chart .chart__source").get_text() == "Source: IERS"


def test_ids_are_unique_on_a_page_with_two_charts(make_site):
    root, result = build_chart(make_site, chart_block() + "\n" + chart_block("bar"))
    assert result.ok, messages(result)
    ids = [el["id"] for el in parse(root / "output" / "charts" / "index.html").select("[id]")]
    assert len(ids) == len(set(ids))


def test_the_narrow_layout_has_fewer_ticks_and_labels_inside_the_plot(make_site):
    rows = "".join(f"{1970 + i},{i * 3 % 17}\n" for i in range(40))
    root, result = build_chart(make_site, chart_block("column", "many.csv") + chart_block("bar"),
                               {"content/many.csv": "year,value\n" + rows})
    assert result.ok, messages(result)
    (wide, narrow, wide_bars, narrow_bars) = svgs(parse(root / "output" / "charts" / "index.html"))

    def texts(svg, cls):
        return [t.text for t in svg.iter(f"{SVG_NS}text") if t.get("class") == cls]

    assert len(texts(narrow, "chart__tick")) < len(texts(wide, "chart__tick"))
    assert int(narrow.get("width")) < int(wide.get("width"))
    # bars: on phones each category's label is above its bar, at the start edge, not in a margin beside it
    labels = [t for t in narrow_bars.iter(f"{SVG_NS}text") if t.text == "1970s"]
    assert labels and float(labels[0].get("x")) == 0
    beside = [t for t in wide_bars.iter(f"{SVG_NS}text") if t.text == "1970s"]
    assert beside[0].get("text-anchor") == "end"


def test_a_right_to_left_chart_has_its_value_axis_on_the_right(make_site):
    root, result = build_chart(make_site, chart_block("column"), lang="ar")
    assert result.ok, messages(result)
    wide, _ = svgs(parse(root / "output" / "charts" / "index.html"))
    assert wide.get("direction") == "rtl"
    ticks = [t for t in wide.iter(f"{SVG_NS}text") if t.get("class") == "chart__tick" and t.get("text-anchor") == "end"]
    assert ticks and all(float(t.get("x")) > 600 for t in ticks)  # value labels at the right edge
    bars = [float(x) for x in re.findall(r"M([\d.]+) ", wide.find(f"{SVG_NS}path[@class='chart__c1']").get("d"))]
    assert len(bars) == 5 and bars == sorted(bars, reverse=True)  # the first decade on the right


def test_a_date_axis_is_written_in_the_pages_language(make_site):
    root, result = build_chart(make_site, chart_block("line", "two.csv"), lang="tr")
    assert result.ok, messages(result)
    wide, _ = svgs(parse(root / "output" / "charts" / "index.html"))
    labels = {t.text for t in wide.iter(f"{SVG_NS}text")}
    assert "Oca 2016" in labels  # January 2016 in Turkish, by Babel
    assert {"Russia", "Turkey"} <= labels  # the legend


def test_an_inline_table_and_colours_set_by_the_author(make_site):
    body = (':::chart kind="bar" title="Shares" description="A leads" source="Poll" format="percent" '
            'colors="#aa0000"\n| party | share |\n|---|---|\n| A | 45.5 |\n| B | 30 |\n:::\n')
    root, result = build_chart(make_site, body)
    assert result.ok, messages(result)
    page = parse(root / "output" / "charts" / "index.html")
    wide, _ = svgs(page)
    bars = [path for path in wide.iter(f"{SVG_NS}path") if path.get("fill")]
    assert [path.get("fill") for path in bars] == ["#aa0000"] and bars[0].get("d").count("M") == 2
    assert "45.5%" in {t.text for t in wide.iter(f"{SVG_NS}text")}
    assert page.select_one("figure.chart details a[download]") is None  # no file to download
    assert [td.get_text() for td in page.select("figure.chart tbody td")] == ["45.5", "30"]


@pytest.mark.parametrize(("files", "block", "expected"), [
    ({}, chart_block(csv="missing.csv"), "content/charts.md:7: error: the data file 'missing.csv' does not exist"),
    ({}, chart_block(y="seconds"), "content/charts.md:7: error: the data has no column 'seconds'"),
    ({}, chart_block(x="year"), "content/charts.md:7: error: the data has no column 'year'"),
    ({"content/bad.csv": "decade,n\n1970s,9\n\n1980s,six\n"}, chart_block(csv="bad.csv"),
     "content/bad.csv:4: error: 'six' in column 'n' is not a number"),
    ({"content/bad.csv": "month,n\n2016-01,1\n2016-13,2\n"}, chart_block("line", "bad.csv"),
     "content/bad.csv:3: error: '2016-13' in column 'month' is not a date"),
    ({"content/bad.csv": "decade,n\n1970s,9,1\n"}, chart_block(csv="bad.csv"),
     "content/bad.csv:2: error: this row has 3 cells, the header 2"),
    ({"content/bad.csv": b"decade,n\n\xff,1\n"}, chart_block(csv="bad.csv"),
     "content/bad.csv:2: error: the CSV file is not UTF-8 text"),
    ({}, chart_block(kind="pie"), "content/charts.md:7: error: 'pie' is not a kind of chart"),
    ({}, chart_block(format="euros"), "content/charts.md:7: error: 'euros' is not a number format"),
    ({}, ':::chart kind="bar" title="T" description="D" source="S"\n| a | b |\n| x | 1 |\n| y | two |\n:::\n',
     "content/charts.md:10: error: 'two' in column 'b' is not a number"),
    ({}, ':::chart csv="leap.csv" title="No description"\n:::\n',
     'content/charts.md:7: error: :::chart needs the attribute description="..."'),
])
def test_each_data_error_is_reported_at_its_line_with_a_hint(make_site, files, block, expected):
    root, result = build_chart(make_site, block, files)
    assert not result.ok
    found = [m for m in messages(result) if m.startswith(expected)]
    assert found, messages(result)
    assert "\n  hint: " in found[0]
    assert not (root / "output" / "charts").exists()  # with any error nothing is written


def test_a_chart_without_a_source_is_a_warning(make_site):
    block = ':::chart csv="leap.csv" title="T" description="D"\n:::\n'
    _, result = build_chart(make_site, block)
    assert result.ok
    assert any(m.startswith("content/charts.md:7: warning: :::chart has no source") for m in messages(result))


def test_a_new_data_file_is_picked_up_and_equals_a_clean_build(make_site, tmp_path):
    root, result = build_chart(make_site, chart_block(csv="later.csv"))
    assert not result.ok
    (root / "content" / "later.csv").write_text(LEAP_CSV, encoding="utf-8")
    assert run_build(root).ok
    assert parse(root / "output" / "charts" / "index.html").select_one("figure.chart svg") is not None
    assert_equals_clean_build(root, tmp_path)


def test_check_warns_about_a_chart_without_a_source_and_errs_without_a_description(make_site):
    root, _ = build_chart(make_site, ':::chart csv="leap.csv" title="T" description="D"\n:::\n\n'
                          ':::chart csv="leap.csv" title="T" source="S"\n:::\n')
    result = check_site(CheckOptions(root, now=NOW))
    found = {(d.path, d.line, str(d.severity), d.message) for d in result.diagnostics}
    assert ("content/charts.md", 7, "warning", ":::chart has no source") in found
    assert ("content/charts.md", 10, "error", ':::chart needs the attribute description="..."') in found


def test_feeds_show_each_chart_as_a_png_with_its_description_as_alt(make_site, tmp_path):
    root, result = build_chart(make_site, chart_block() + "\n" + chart_block("line", "two.csv", title="Two"))
    assert result.ok, messages(result)
    feed = json.loads((root / "output" / "feed.json").read_text(encoding="utf-8"))
    content = BeautifulSoup(feed["items"][0]["content_html"], "html.parser")
    assert not content.select("svg")
    images = content.select("figure.chart img")
    assert [img["alt"] for img in images] == ["Nine in the 1970s, two in the 2000s"] * 2
    for img in images:
        assert img["src"].startswith("https://example.org/charts/")
        picture = Image.open(root / "output" / img["src"].removeprefix("https://example.org/"))
        assert picture.format == "PNG" and picture.size == (1280, 720)
        picture.load()
    assert_equals_clean_build(root, tmp_path)


def test_a_body_edit_beside_a_chart_takes_watch_modes_quick_path(make_site, tmp_path):
    root, result = build_chart(make_site, chart_block() + "\nLede.\n")
    first = run_build(root, keep_going=True)
    target = root / "content" / "charts.md"
    edit_text(target, "Lede.", "A new lede.")
    result = run_build(root, keep_going=True, state=first.state, changed=frozenset({str(target)}), warm=first.warm)
    assert result.ok and result.quick, messages(result)
    page = parse(root / "output" / "charts" / "index.html")
    assert "A new lede." in page.get_text() and len(svgs(page)) == 2
    assert_equals_clean_build(root, tmp_path)


def test_a_chart_survives_sanitize_mode_with_its_text_escaped(make_site):
    title = "<script>alert(1)</script> & co"
    root, result = build_chart(make_site, chart_block(title=title, description="a <b> c"),
                               site_yaml=SITE_YAML + "untrusted_html: sanitize\n")
    assert result.ok, messages(result)
    page = parse(root / "output" / "charts" / "index.html")
    for svg in svgs(page):
        check_svg(svg)
        assert svg.findtext(f"{SVG_NS}title") == title and svg.findtext(f"{SVG_NS}desc") == "a <b> c"
    assert not page.select("figure.chart script")
