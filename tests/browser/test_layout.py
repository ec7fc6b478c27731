"""Layout in the browser: no sideways scrolling, tap targets of 24 px, headings in order, a labelled contents nav."""

from __future__ import annotations

import pytest

from .conftest import FOCUSABLE

NARROWEST = 320
MIN_TARGET = 24

# Every visible target that is too small and not exempt under WCAG 2.5.8 (inline in a sentence, or spaced so
# that a 24 px circle on its centre touches no other target and no other small target's circle).
SMALL_TARGETS_JS = """
([min, selector]) => {
  const shown = el => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && box.width > 0 && box.height > 0;
  };
  const inSentence = el => {
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const words = s => s.replace(/\\s+/g, '');
    return block !== null && words(block.textContent).length > words(el.textContent).length;
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown).map(el => {
    const box = el.getBoundingClientRect();
    return {el, box, small: box.width < min || box.height < min,
            cx: box.left + box.width / 2, cy: box.top + box.height / 2};
  });
  const touchesBox = (t, box) => {
    const dx = Math.max(box.left - t.cx, 0, t.cx - box.right);
    const dy = Math.max(box.top - t.cy, 0, t.cy - box.bottom);
    return Math.hypot(dx, dy) < min / 2;
  };
  return targets.filter(t => t.small && !inSentence(t.el)).filter(t => targets.some(o => o !== t && (
      touchesBox(t, o.box) || (o.small && !inSentence(o.el) && Math.hypot(t.cx - o.cx, t.cy - o.cy) < min))))
    .map(t => `${t.el.outerHTML.slice(0, 120)} is ${Math.round(t.box.width)}x${Math.round(t.box.height)} px`);
}
"""

HEADINGS_JS = "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]" \
              ".map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"

# For each question section: whether some link to it sits in a <nav> with an accessible label.
TOC_JS = """
() => [...document.querySelectorAll('.article-body section.question > h2[id]')].map(h => {
  const link = [...document.querySelectorAll('a[href^="#"]')]
    .find(a => decodeURIComponent(a.hash.slice(1)) === h.id && a.closest('nav'));
  const nav = link ? link.closest('nav') : null;
  const label = nav ? (nav.getAttribute('aria-label') || '').trim()
    || (nav.getAttribute('aria-labelledby') || '').split(/\\s+/).map(id => document.getElementById(id))
         .filter(Boolean).map(e => e.textContent.trim()).join(' ') : '';
  return {id: h.id, label};
})
"""


def test_no_horizontal_scrolling_at_320_px(open_page, kind):
    page = open_page(kind, NARROWEST)
    sizes = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth, "
                          "document.documentElement.clientWidth]")
    scroll_width, inner_width, client_width = sizes
    assert scroll_width <= min(inner_width, client_width, NARROWEST), f"page is {scroll_width} px wide at 320 px"


@pytest.mark.parametrize("width", [375, 1280])
def test_tap_targets_are_at_least_24_px(open_page, kind, width):
    page = open_page(kind, width)
    assert page.evaluate(SMALL_TARGETS_JS, [MIN_TARGET, FOCUSABLE]) == []


def test_headings_start_at_one_h1_and_skip_no_level(open_page, kind):
    headings = open_page(kind, 1280).evaluate(HEADINGS_JS)
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1, f"headings: {headings}"
    skipped = [(before, after) for before, after in zip(headings, headings[1:], strict=False)
               if after[0] > before[0] + 1]
    assert skipped == [], f"a heading level is skipped: {skipped}"


@pytest.mark.parametrize("kind", ["explainer", "rtl-explainer"])
def test_question_contents_is_a_labelled_nav(open_page, kind):
    sections = open_page(kind, 375).evaluate(TOC_JS)
    assert len(sections) >= 2, "the sample explainer should have several questions"
    unlisted = [section["id"] for section in sections if not section["label"]]
    assert unlisted == [], f"questions without a link in a labelled <nav>: {unlisted}"


def test_small_target_check_flags_crowded_targets_but_not_links_in_a_sentence(chromium):
    page = chromium.new_page()
    try:
        page.set_content('<p>Read <a href="/a">this story</a> today.</p>'
                         '<div><a href="/b" style="display:inline-block;width:10px;height:10px">b</a>'
                         '<a href="/c" style="display:inline-block;width:10px;height:10px">c</a></div>')
        found = page.evaluate(SMALL_TARGETS_JS, [MIN_TARGET, FOCUSABLE])
    finally:
        page.close()
    assert [item.split('"')[1] for item in found] == ["/b", "/c"]
