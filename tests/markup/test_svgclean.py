"""SVG cleaning: hostile SVGs come out without scripts, handlers, foreign content or outside references."""

from __future__ import annotations

from lxml import etree
from samples import HOSTILE_SVGS, OPEN, REFUSED, assert_harmless, hostile_svg

from generator.markup.svgclean import clean_svg, svg_residue


def test_every_hostile_svg_is_cleaned_or_refused():
    for name in HOSTILE_SVGS:
        cleaned, problem = clean_svg(hostile_svg(name))
        if name in REFUSED:
            assert problem and cleaned == b"", name
        else:
            assert not problem, (name, problem)
            assert_harmless(cleaned)


def test_the_harmlessness_check_fails_on_each_hostile_svg_as_written():
    for name in set(HOSTILE_SVGS) - REFUSED:
        try:
            assert_harmless(hostile_svg(name))
        except (AssertionError, etree.XMLSyntaxError):
            continue
        raise AssertionError(f"{name} passes as harmless uncleaned")


def test_a_drawing_keeps_what_it_draws():
    svg = (OPEN.format(attrs=' viewBox="0 0 40 30"') + '<defs><linearGradient id="g"><stop offset="0" '
           'stop-color="red"/></linearGradient></defs><rect fill="url(#g)" width="5" height="5"/><use href="#g"/>'
           '<image href="data:image/png;base64,iVBORw0KGgo="/><text x="1" y="20">Aé &amp; b</text></svg>')
    root = etree.fromstring(clean_svg(svg.encode())[0])
    assert root.get("viewBox") == "0 0 40 30" and root.get("width") == "40"
    assert [etree.QName(e).localname for e in root.iter(etree.Element)] == [
        "svg", "defs", "linearGradient", "stop", "rect", "use", "image", "text"]
    assert root.find("{*}text").text == "Aé & b"
    assert root.find("{*}image").get("href").startswith("data:image/png")


def test_the_check_after_cleaning_finds_what_svg_hush_should_have_removed():
    svg = OPEN.format(attrs="") + "{}</svg>"
    assert svg_residue(svg.format("<script/>").encode()) == "a <script> element"
    assert svg_residue(svg.format('<g onclick="x"/>').encode()) == "an event handler in <g onclick>"
    assert svg_residue(svg.format('<image href="//evil.example/x"/>').encode()).startswith("a reference to")
    assert svg_residue(svg.format("<style>@import 'x.css';</style>").encode()) == "a CSS @import"
    assert svg_residue(svg.format('<use href="#a"/><image href="local.png"/>').encode()) == ""


def test_a_file_nested_thousands_deep_is_refused_before_it_can_grow():
    svg = (OPEN.format(attrs="") + "<g>" * 5000 + "</g>" * 5000 + "</svg>").encode()
    assert clean_svg(svg) == (b"", "its elements are nested more than 256 deep")
    fine = (OPEN.format(attrs="") + "<g>" * 100 + "<rect/>" + "</g>" * 100 + "</svg>").encode()
    cleaned, problem = clean_svg(fine)
    assert not problem and len(cleaned) < 30 * len(fine)
