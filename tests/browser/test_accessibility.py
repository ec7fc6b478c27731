"""axe-core finds no WCAG 2.2 A/AA or best-practice violation on any page type, scheme or width."""

from __future__ import annotations

import pytest
from tools import find_node_file

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Rules that must have run on every page, so that a silent axe (wrong tags, nothing injected) cannot pass.
MUST_RUN = {"color-contrast", "target-size", "landmark-one-main", "page-has-heading-one", "region", "skip-link"}


# The lowest contrast of the text in the shown chart drawings against the page's background (WCAG's formula):
# axe leaves text inside an SVG undecided ("contains an image node"), so it is checked here.
LOWEST_CHART_TEXT_CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                          : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = lum(getComputedStyle(document.body).backgroundColor);
  const texts = [...document.querySelectorAll('figure.chart svg text')].filter(t => t.getBBox().width > 0
                   && t.closest('svg').getBoundingClientRect().width > 0);
  if (!texts.length) return 21;  // no chart: nothing below the highest contrast there is
  return Math.min(...texts.map(t => { const l = lum(getComputedStyle(t).fill);
    return (Math.max(l, background) + 0.05) / (Math.min(l, background) + 0.05); }));
}"""

def undecided_contrast(page, results: dict) -> list[dict]:
    """The color-contrast rules axe left undecided, without the text of chart drawings (LOWEST_CHART_TEXT_CONTRAST
    checks that) and of maps (tests/browser/test_maps.py checks theirs), each with its nodes."""
    undecided = []
    for rule in (rule for rule in results["incomplete"] if rule["id"] == "color-contrast"):
        nodes = [node for node in rule["nodes"] if not page.evaluate(
            "t => document.querySelector(t)?.closest('figure.chart svg, svg.map-svg') != null", node["target"][0])]
        if nodes:
            undecided.append({**rule, "nodes": nodes})
    return undecided


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js from the npm package pinned in package-lock.json."""
    return find_node_file("axe-core", "axe.min.js").read_text(encoding="utf-8")


def run_axe(page, source: str) -> dict:
    """Inject axe-core into the page and run the WCAG 2.2 AA and best-practice rules."""
    page.add_script_tag(content=source)
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)


def describe(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, selector and axe's summary of what to fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} {summary}")
    return "\n".join(lines)


def test_axe_finds_no_violations(open_page, axe_source, kind, scheme, width):
    page = open_page(kind, width, scheme)
    results = run_axe(page, axe_source)
    ran = {rule["id"] for group in ("passes", "violations", "incomplete", "inapplicable") for rule in results[group]}
    assert ran >= MUST_RUN, f"axe did not run {sorted(MUST_RUN - ran)}"
    assert results["violations"] == [], "axe violations:\n" + describe(results["violations"])
    # axe reports text it cannot judge (over an image, a gradient) as "incomplete", not as a violation.
    # Chart and map text sits on a halo or fill that axe cannot see: their own contrast checks cover it.
    undecided = undecided_contrast(page, results)
    assert undecided == [], "text whose contrast axe could not check:\n" + describe(undecided)
    assert page.evaluate(LOWEST_CHART_TEXT_CONTRAST) >= 4.5


def test_axe_reports_a_known_violation(chromium, axe_source):
    # The harness itself: a page with an unlabelled image and low-contrast text must fail.
    page = chromium.new_page()
    try:
        page.set_content('<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><img src="x.png">'
                         '<p style="color:#aaa;background:#fff">faint</p></main></html>')
        found = {violation["id"] for violation in run_axe(page, axe_source)["violations"]}
    finally:
        page.close()
    assert {"image-alt", "color-contrast"} <= found
