"""A locator map in a real Chromium: axe finds nothing on it, light and dark, at 320 and 1280 px; it is drawn
(not collapsed), fits the column without scrolling sideways, and its places list is a real list."""

from __future__ import annotations

import pytest

from .test_accessibility import AXE_TAGS, axe_source, describe  # noqa: F401 - axe_source is a fixture

MAP = "figure.map"


@pytest.mark.parametrize("width", [320, 1280])
def test_the_sample_map_has_no_axe_violation_and_fits(open_page, axe_source, scheme, width, screenshot_dir):  # noqa: F811
    page = open_page("explainer", width, scheme)
    page.add_script_tag(content=axe_source)
    results = page.evaluate("([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}})",
                            [MAP, AXE_TAGS])
    assert results["violations"] == [], "axe violations:\n" + describe(results["violations"])
    assert any(rule["id"] == "svg-img-alt" for rule in results["passes"])  # the SVG's name was checked
    box = page.locator(f"{MAP} svg").bounding_box()
    assert box["height"] > 150 and box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.locator(f"{MAP} ul.map__places > li").count() == 7
    page.locator(MAP).screenshot(path=screenshot_dir / f"map-{width}-{scheme}.png")


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255 channels)."""
    def luminance(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_map_labels_stand_on_a_halo_that_gives_them_contrast(open_page, scheme):
    # axe cannot judge text over drawn shapes; each label is painted on a stroke of the page's background
    page = open_page("explainer", 1280, scheme)
    styles = page.evaluate("""() => [...document.querySelectorAll('svg.map-svg text')].map(t => {
        const s = getComputedStyle(t);
        return [s.fill, s.stroke, s.strokeWidth, s.paintOrder, s.display];
    })""")
    assert len(styles) >= 5
    for fill, stroke, stroke_width, paint_order, display in styles:
        channels = [[float(v) for v in colour[colour.index("(") + 1:-1].split(",")[:3]] for colour in (fill, stroke)]
        assert contrast(*channels) >= 4.5 and float(stroke_width.rstrip("px")) >= 2
        assert paint_order.startswith("stroke") and display != "none"
