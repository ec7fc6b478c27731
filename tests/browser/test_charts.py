"""Charts in Chromium: axe finds nothing on a page with every kind of chart (and on a right-to-left one), light
and dark, at 320 and 1280 px; the drawing for the width is the one shown, and nothing overflows the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tools import find_node_file

from .conftest import HEIGHT, serve_built_site
from .test_accessibility import LOWEST_CHART_TEXT_CONTRAST, describe, run_axe, undecided_contrast

SITE_YAML = """\
title: Chart Test Site
description: Every kind of chart.
base_url: https://example.org/
language: en
timezone: UTC
publisher:
  name: Test Newsroom
"""
CSV = {
    "decades.csv": "decade,leap seconds\n1970s,9\n1980s,6\n1990s,7\n2000s,2\n2010s,3\n",
    "months.csv": "month,Russia,Turkey\n2016-01,10,12\n2016-06,14,9\n2017-01,20,15\n2017-06,18,16\n",
    "seats.csv": "party,Seats won,Seats lost\nNorth,40,12\nSouth,25,30\nEast,31,8\n",
}
KINDS = {"column": "decades.csv", "line": "months.csv", "bar": "decades.csv", "stacked-bar": "seats.csv",
         "dot": "seats.csv", "number": "decades.csv"}


def page_text(lang: str) -> str:
    blocks = "\n".join(f':::chart csv="{csv}" kind="{kind}" title="The {kind} chart" description="What the {kind} '
                       f'chart shows" source="Test data" note="A note"\n:::\n' for kind, csv in KINDS.items())
    return (f'---\ntitle: "Every chart?"\ndate: 2017-01-23\nlang: {lang}\ntopics: [Data]\n---\n\nLede.\n\n'
            f"## What do the charts show?\n\n{blocks}")


@pytest.fixture(scope="module")
def charts_url(tmp_path_factory) -> Iterator[str]:
    source = tmp_path_factory.mktemp("charts-site")
    (source / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (source / "content").mkdir()
    for name, text in CSV.items():
        (source / "content" / name).write_text(text, encoding="utf-8")
    (source / "content" / "charts.md").write_text(page_text("en"), encoding="utf-8")
    (source / "content" / "charts-ar.md").write_text(page_text("ar"), encoding="utf-8")
    with serve_built_site(source, tmp_path_factory.mktemp("charts-output"), "charts-server") as base:
        yield base


@pytest.fixture(scope="module")
def axe_source() -> str:
    return find_node_file("axe-core", "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["charts/", "charts-ar/"])
def test_every_kind_of_chart_passes_axe(chromium, charts_url, axe_source, path, scheme, width, screenshot_dir):
    context = chromium.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme,
                                   device_scale_factor=1, bypass_csp=True)
    try:
        page = context.new_page()
        assert page.goto(charts_url + path).status == 200
        shown = page.eval_on_selector_all("figure.chart svg", "svgs => svgs.filter(s => s.getBoundingClientRect()"
                                          ".width > 0).map(s => s.getAttribute('class'))")
        layout = "narrow" if width < 480 else "wide"
        assert shown == [f"chart__svg chart__svg--{layout}"] * len(KINDS)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows the page
        page.screenshot(path=str(screenshot_dir / f"charts-{path.strip('/')}-{scheme}-{width}.png"), full_page=True)
        results = run_axe(page, axe_source)
        assert results["violations"] == [], "axe violations:\n" + describe(results["violations"])
        undecided = undecided_contrast(page, results)
        assert undecided == [], "text whose contrast axe could not check:\n" + describe(undecided)
        assert page.evaluate(LOWEST_CHART_TEXT_CONTRAST) >= 4.5
    finally:
        context.close()
