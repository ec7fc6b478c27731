"""Screenshots of every page type at both widths in both schemes, for people to look at; the summary says where."""

from __future__ import annotations

from PIL import Image, ImageStat

# Lazy images below the fold load only when scrolled to; a full-page picture needs them all, and all must load.
LOAD_ALL_IMAGES_JS = "() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })"
IMAGES_LOADED_JS = "() => [...document.images].every(img => img.complete)"
BROKEN_IMAGES_JS = "() => [...document.images].filter(img => img.naturalWidth === 0).map(img => img.src)"


def test_screenshot(open_page, screenshot_dir, kind, scheme, width):
    page = open_page(kind, width, scheme)
    page.evaluate(LOAD_ALL_IMAGES_JS)
    page.wait_for_function(IMAGES_LOADED_JS, timeout=10_000)
    assert page.evaluate(BROKEN_IMAGES_JS) == [], "images that did not load"
    path = screenshot_dir / f"{kind}-{width}-{scheme}.png"
    page.screenshot(path=path, full_page=True, animations="disabled", timeout=30_000)
    with Image.open(path) as image:
        size = image.size
        grey = image.convert("L")
        brightness = ImageStat.Stat(grey).mean[0]
        shades = len(grey.getcolors(maxcolors=256) or ())
    assert size[0] == width, f"the full page is {size[0]} px wide, not {width}: something overflows"
    assert size[1] > 300 and shades > 8, "the page looks blank"
    # Most of the page is background: light in the light scheme, dark in the dark one.
    assert (brightness > 160) if scheme == "light" else (brightness < 96), f"mean brightness {brightness:.0f}"
