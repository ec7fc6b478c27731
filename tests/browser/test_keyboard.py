"""Keyboard use: a skip link comes first and leads to main; every Tab stop shows a visible focus indicator."""

from __future__ import annotations

from .conftest import FOCUSABLE

# The focused element, and whether its outline (3:1 against what is around it) or box-shadow makes focus visible.
FOCUS_JS = """
selector => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let back = el.parentElement;
  while (back && (rgb(getComputedStyle(back).backgroundColor)[3] ?? 1) === 0) back = back.parentElement;
  const behind = rgb(back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)');
  const style = getComputedStyle(el);
  const [l1, l2] = [luminance(rgb(style.outlineColor)), luminance(behind)].sort((a, b) => b - a);
  const contrast = (l1 + 0.05) / (l2 + 0.05);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && contrast >= 3;
  const all = [...document.querySelectorAll(selector)];
  return {index: all.indexOf(el), visible: outlined || style.boxShadow !== 'none',
          what: `${el.outerHTML.slice(0, 100)} outline ${style.outlineStyle} ${style.outlineWidth} `
                + `${style.outlineColor} (${contrast.toFixed(2)}:1), box-shadow ${style.boxShadow}`};
}
"""

# Inside a closed <details> (a chart's data), only the summary is reachable, though Chromium lays the rest out.
VISIBLE_FOCUSABLES_JS = """
selector => [...document.querySelectorAll(selector)].map((el, index) => {
  const box = el.getBoundingClientRect();
  const folded = el.closest('details:not([open]) > :not(summary)') !== null;
  return getComputedStyle(el).visibility !== 'hidden' && box.width > 0 && box.height > 0 && !folded ? index : -1;
}).filter(index => index >= 0)
"""


def tab_through(page) -> list[dict]:
    """Press Tab until focus wraps around or leaves the page; what each Tab focused."""
    expected = len(page.evaluate(VISIBLE_FOCUSABLES_JS, FOCUSABLE))
    stops = []
    for _ in range(expected + 10):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS, FOCUSABLE)
        if stop is None or (stops and stop["index"] == stops[0]["index"]):
            break
        stops.append(stop)
    return stops


def test_every_tab_stop_shows_focus(open_page, kind, scheme):
    page = open_page(kind, 1280, scheme)
    stops = tab_through(page)
    reachable = set(page.evaluate(VISIBLE_FOCUSABLES_JS, FOCUSABLE))
    assert reachable and reachable <= {stop["index"] for stop in stops}, "some links cannot be reached with Tab"
    invisible = [stop["what"] for stop in stops if not stop["visible"]]
    assert invisible == [], "focus is not visible on:\n" + "\n".join(invisible)


def test_skip_link_comes_first_and_leads_to_main(open_page, kind):
    page = open_page(kind, 375)
    hidden = page.evaluate("() => { const b = document.querySelector('a[href=\"#main\"]').getBoundingClientRect();"
                           " return b.bottom <= 0 || b.right <= 0 || b.top >= innerHeight; }")
    assert hidden, "the skip link should stay out of sight until it is focused"
    page.keyboard.press("Tab")
    first = page.evaluate("() => { const a = document.activeElement, b = a.getBoundingClientRect();"
                          " return {href: a.getAttribute('href'), target: document.getElementById('main')?.tagName,"
                          " onScreen: b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth"
                          " && b.width > 0, text: a.textContent.trim()}; }")
    assert first["href"] == "#main" and first["target"] == "MAIN", f"first Tab stop: {first}"
    assert first["onScreen"] and first["text"], f"the focused skip link is not visible: {first}"
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#main'", timeout=5_000)


def test_focus_check_flags_a_missing_or_faint_outline(chromium):
    page = chromium.new_page()
    try:
        page.set_content('<style>body{background:#fff} a:focus{outline:3px solid #0b4fa8} .none:focus{outline:none}'
                         ' .faint:focus{outline-color:#eee}</style><a href="#a">good</a> '
                         '<a class="none" href="#b">none</a> <a class="faint" href="#c">faint</a>')
        seen = {stop["what"].split(">")[1].split("<")[0]: stop["visible"] for stop in tab_through(page)}
    finally:
        page.close()
    assert seen == {"good": True, "none": False, "faint": False}
