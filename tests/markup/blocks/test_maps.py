"""Locator maps (:::map): the SVG parsed with lxml (titled, described, self-contained, small), the places listed,
every mistake reported at its line, right-to-left pages and caching; its inset globe and scale bar (maps/furniture.py)
and path data (maps/svgpath.py) are in every map drawn here (geodata, drawing, labels: tests/markup/maps/)."""

import gzip
import re

import pytest
from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later
from lxml import etree

from generator.markup.maps import draw as map_drawing
from generator.markup.maps.draw import draw_map

SVG_NS = "{http://www.w3.org/2000/svg}"
DESCRIPTION = "Kazakhstan highlighted, with Astana in its north; Syria far to the south-west."
MAP = f"""\
## Where are the talks?

:::map title="Astana, far from the war" highlight="Kazakhstan" description="{DESCRIPTION}" source="Natural Earth"
- Astana: where the talks are held
- Syria: the country at war
- Russia
- Turkey
- Iran
- Hotel Rixos @ 51.13, 71.43
:::
"""


def map_svg(page_path) -> etree._Element:
    """The map's SVG as written in the page, parsed as XML (it must be well-formed on its own)."""
    text = page_path.read_text(encoding="utf-8")
    found = re.search(r"<svg[^>]*class=\"map-svg\".*?</svg>", text, re.S)
    assert found, "no map SVG in the page"
    return etree.fromstring(found[0].encode())


@pytest.fixture
def map_site(make_site):
    return make_site({"content/talks.md": explainer("Talks", MAP)})


def test_map_svg_is_titled_described_self_contained_and_small(map_site):
    result = run_build(map_site)
    assert result.ok, messages(result)
    svg = map_svg(map_site / "output/talks/index.html")
    assert svg.tag == f"{SVG_NS}svg" and svg.get("role") == "img"
    assert svg[0].tag == f"{SVG_NS}title" and svg[0].text == "Astana, far from the war"
    assert svg[1].tag == f"{SVG_NS}desc" and svg[1].text == DESCRIPTION
    assert not svg.findall(f".//{SVG_NS}script") and not svg.findall(f".//{SVG_NS}foreignObject")
    for element in svg.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on") and "href" not in name and "url(" not in value, (name, value)
    labels = {t.text for t in svg.iter(f"{SVG_NS}text")}
    assert {"Astana", "Kazakhstan", "Hotel Rixos"} <= labels  # the subject and the points always fit
    assert len(svg.findall(f".//{SVG_NS}circle[@class='map-point']")) == 2
    assert svg.find(f".//{SVG_NS}path[@class='map-highlight']").get("d").startswith("M")
    assert len(gzip.compress(etree.tostring(svg))) < 60_000
    # Readable where the theme's CSS does not reach (a feed reader): colours as presentation attributes
    assert svg.find(f"{SVG_NS}rect[@class='map-sea']").get("fill", "").startswith("#")
    assert svg.find(f".//{SVG_NS}g[@class='map-labels']").get("font-size") == "17"


def test_map_lists_its_places_below_with_their_notes(map_site):
    assert run_build(map_site).ok
    figure = parse(map_site / "output/talks/index.html").find("figure", class_="map")
    items = figure.find("ul", class_="map__places").find_all("li")
    names = [li.find(class_="map__name").get_text() for li in items]
    assert names == ["Kazakhstan", "Astana", "Syria", "Russia", "Türkiye", "Iran", "Hotel Rixos"]
    assert items[1].find(class_="map__note").get_text() == ": where the talks are held"
    assert [li["class"][1] for li in items[:3]] == ["map__place--highlight", "map__place--point",
                                                    "map__place--country"]
    assert figure.find(class_="map__source").get_text(" ", strip=True) == "Map source: Natural Earth"
    assert figure.find(["h2", "h3"], class_="map__title").get_text() == "Astana, far from the war"


@pytest.mark.parametrize(("line", "expected"), [
    ("- Astan", "unknown place 'Astan' on the map"),
    ("- Port @ 95.2, 10", "the latitude 95.2 is out of range (-90 to 90)"),
    ("- Port @ 10, 200", "the longitude 200 is out of range (-180 to 180)"),
    ("- Port @ north, 10", "'north' is not a latitude"),
])
def test_a_bad_place_is_an_error_at_its_line(make_site, line, expected):
    body = f'## Where?\n\n:::map description="A map"\n- Syria\n{line}\n:::\n'
    root = make_site({"content/a.md": explainer("A", body)})
    result = run_build(root)
    assert not result.ok and not (root / "output/a/index.html").exists()
    (found,) = [d for d in result.diagnostics if expected in d.message]
    assert (found.path, found.line) == ("content/a.md", 9)  # 4 lines of front matter, the block at 7
    if "Astan'" in expected:
        assert found.hint == "did you mean 'Astana'?"


def test_a_map_without_description_or_places_is_an_error(make_site):
    body = '## Where?\n\n:::map title="Where"\n- Syria\n:::\n\n:::map description="Nothing"\n:::\n'
    root = make_site({"content/a.md": explainer("A", body)})
    result = run_build(root)
    assert not result.ok
    lines = {(d.line, d.message) for d in result.diagnostics}
    assert (7, ':::map needs the attribute description="..."') in lines
    assert (11, ":::map needs a list of places, or a country to highlight") in lines


def test_an_unknown_highlighted_country_is_an_error_with_a_suggestion(make_site):
    body = '## Where?\n\n:::map description="A map" highlight="Kazakstan"\n- Astana\n:::\n'
    result = run_build(make_site({"content/a.md": explainer("A", body)}))
    (found,) = [d for d in result.diagnostics if "Kazakstan" in d.message]
    assert found.line == 7 and found.hint == "did you mean 'Kazakhstan'?"


def test_rtl_map_labels_countries_in_the_page_language_and_lays_out_right(make_site):
    root = make_site({"content/a.md": explainer("A", MAP, lang="ar")})
    assert run_build(root).ok
    svg = map_svg(root / "output/a/index.html")
    labels = {t.text: t for t in svg.iter(f"{SVG_NS}text")}
    assert "كازاخستان" in labels and "Kazakhstan" not in labels  # CLDR's name, through Babel
    assert "أستانا" not in labels and "Astana" in labels  # a city CLDR does not name keeps its English name
    bar = svg.find(f".//{SVG_NS}g[@class='map-scale']/{SVG_NS}text")
    assert float(bar.get("x")) > 300 and bar.get("text-anchor") == "end"  # the scale sits on the right
    items = parse(root / "output/a/index.html").find("ul", class_="map__places").find_all("li")
    assert items[0].find(class_="map__name").get_text() == "كازاخستان"


def test_a_map_survives_sanitize_mode_cleaned_as_an_svg(make_site):
    root = make_site({"content/a.md": explainer("A", MAP)}, SITE_YAML + "untrusted_html: sanitize\n")
    result = run_build(root)
    assert result.ok, messages(result)
    svg = map_svg(root / "output/a/index.html")
    assert svg[0].text == "Astana, far from the war" and svg.findall(f".//{SVG_NS}path")


def test_maps_are_drawn_once_a_no_op_build_draws_nothing_and_edits_equal_a_clean_build(
        map_site, tmp_path, monkeypatch):
    drawn = []
    real = map_drawing.draw_map
    monkeypatch.setattr(map_drawing, "draw_map", lambda spec: drawn.append(spec) or real(spec))
    assert run_build(map_site, jobs=1).ok
    assert len(drawn) == 1
    assert run_build(map_site, jobs=1).ok
    assert len(drawn) == 1  # nothing changed: nothing parsed, nothing drawn
    page = map_site / "content/talks.md"
    page.write_text(page.read_text().replace("- Iran\n", "- Iran\n- Damascus\n"))
    touch_later(page)
    assert run_build(map_site, jobs=1).ok
    assert len(drawn) == 2 and "Damascus" in {t.text for t in map_svg(
        map_site / "output/talks/index.html").iter(f"{SVG_NS}text")}
    assert_equals_clean_build(map_site, tmp_path)


def test_a_map_is_kept_by_its_inputs_so_an_edit_beside_it_in_another_build_does_not_draw_it(
        map_site, tmp_path, monkeypatch):
    drawn = []
    real = map_drawing.draw_map
    monkeypatch.setattr(map_drawing, "draw_map", lambda spec: drawn.append(spec) or real(spec))
    assert run_build(map_site, jobs=1).ok and len(drawn) == 1
    page = map_site / "content/talks.md"
    page.write_text(page.read_text().replace(":::map", "Words before the map.\n\n:::map", 1))
    touch_later(page)
    real.cache_clear()  # as a new process would: `nutgraf build` after a save
    assert run_build(map_site, jobs=1).ok
    assert len(drawn) == 1  # the body was parsed again, the map came from the cache
    assert "Words before the map." in (map_site / "output/talks/index.html").read_text()
    assert_equals_clean_build(map_site, tmp_path)  # a clean build, in a cache of its own, draws it once more
    before = len(drawn)
    page.write_text(page.read_text().replace("- Iran\n", ""))
    touch_later(page)
    assert run_build(map_site, jobs=1).ok and len(drawn) == before + 1  # a changed map is drawn again
    assert "Iran" not in {t.text for t in map_svg(map_site / "output/talks/index.html").iter(f"{SVG_NS}text")}


def test_cities_are_labelled_in_the_page_language_where_cldr_names_them(make_site):
    body = '## Where?\n\n:::map description="Two capitals"\n- Damascus\n- Moscow\n- Kremlin @ 55.75, 37.62\n:::\n'
    root = make_site({"content/a.md": explainer("A", body, lang="tr")})
    assert run_build(root).ok
    labels = {t.text for t in map_svg(root / "output/a/index.html").iter(f"{SVG_NS}text")}
    assert {"Şam", "Moskova", "Kremlin"} <= labels
    names = [li.get_text() for li in parse(root / "output/a/index.html").select(".map__places .map__name")]
    assert names == ["Şam", "Moskova", "Kremlin"]


def test_an_edit_beside_a_map_does_not_draw_it_again_in_the_same_process(map_site):
    # Watch mode parses an edited body again in its own process: the unchanged map is not drawn again (it comes
    # from the cache folder; the memo serves builds without one).
    draw_map.cache_clear()
    assert run_build(map_site, jobs=1).ok
    page = map_site / "content/talks.md"
    page.write_text(page.read_text() + "\nA sentence added below the map.\n")
    touch_later(page)
    assert run_build(map_site, jobs=1).ok
    assert draw_map.cache_info().misses == 1
    assert "A sentence added" in (map_site / "output/talks/index.html").read_text(encoding="utf-8")


