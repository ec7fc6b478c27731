import json
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import assert_equals_clean_build, explainer, messages, parse, run_build, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup.body import LocalImage, Markdowns, make_markdown, render_body
from generator.markup.bodychecks import MAX_BODY_BYTES, MAX_NESTING, MAX_QUESTIONS

BODY = """\
Lede with "quotes" -- and dashes.

## What is so important about these talks? {#why}

Answer[^1].

### A sub-question

More.

## Türkiye'nin rolü nedir?

Yanıt.

## ما هي المحادثات؟

| Party | Delegate |
|---|---|
| Rebels | Mohammed Alloush |

## What is so important about these talks?

Again.

[^1]: A note.
"""


def render(text=BODY, resolver=None):
    body = render_body(make_markdown(), text, "k", resolver)
    return body, BeautifulSoup(body.html, "html.parser")


def test_each_question_is_a_section_with_a_stable_readable_id():
    body, soup = render()
    assert [s.id for s in body.sections] == [
        "why", "türkiyenin-rolü-nedir", "ما-هي-المحادثات", "what-is-so-important-about-these-talks"]
    sections = soup.find_all("section", class_="question")
    assert len(sections) == 4
    for section, question in zip(sections, body.sections, strict=True):
        heading = section.find("h2")
        assert heading["id"] == question.id == section["aria-labelledby"]
        assert heading.get_text() == question.title


def test_sub_headings_get_ids_but_are_not_questions():
    body, soup = render()
    assert soup.find("h3")["id"] == "a-sub-question"
    assert "A sub-question" not in [s.title for s in body.sections]


def test_lede_and_footnotes_stay_outside_the_sections():
    _, soup = render()
    assert soup.find("p").find_parent("section") is None
    notes = soup.find("div", class_="footnote")
    assert notes.find_parent("section") is None
    assert soup.find("a", class_="footnote-ref")["href"] == "#fn:1"


def test_typography_tables_and_question_titles_as_text():
    body, soup = render()
    assert "“quotes” – and" in soup.find("p").get_text()
    assert soup.find("table").find("td").get_text() == "Rebels"
    assert body.sections[1].title == "Türkiye’nin rolü nedir?"


def test_local_images_are_resolved_with_dimensions_and_missing_ones_reported():
    seen = []

    def resolver(src):
        seen.append(src)
        return LocalImage("/sub/images/a.png", 640, 480) if src == "images/a.png" else None

    body, soup = render("![A map](images/a.png)\n\n![Gone](images/gone.png)\n\n![Far](https://x.org/a.png)\n",
                        resolver)
    first = soup.find("img", alt="A map")
    assert (first["src"], first["width"], first["height"]) == ("/sub/images/a.png", "640", "480")
    assert first["loading"] == "lazy"
    assert body.missing_images == ("images/gone.png",)
    assert seen == ["images/a.png", "images/gone.png"]


def test_raw_html_is_allowed_for_embeds():
    _, soup = render('<figure class="embed"><iframe src="https://example.org/v" title="Video"></iframe></figure>\n')
    assert soup.find("iframe")["title"] == "Video"


def test_tables_scroll_in_a_labelled_focusable_region():
    _, soup = render()
    wrapper = soup.find("table").parent
    assert wrapper.name == "div" and wrapper["class"] == ["table-wrap"]
    assert (wrapper["role"], wrapper["tabindex"], wrapper["aria-label"]) == ("region", "0", "Party, Delegate")


# The inline pass skips plain text and finds link text through a bracket index: it must give exactly what
# Python-Markdown's own pass and link processors give.

def stock_markdown():
    import markdown.inlinepatterns as stock
    from markdown.treeprocessors import InlineProcessor

    from generator.markup.body import _LINK_PROCESSORS
    md = make_markdown()
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    for name, ours, pattern, priority in _LINK_PROCESSORS:
        upstream = ours.__mro__[2]  # the Python-Markdown class after the _IndexedBrackets mixin
        assert upstream.__module__ == stock.__name__
        md.inlinePatterns.register(upstream(pattern, md), name, priority)
    md.inlinePatterns["em_strong"].__class__ = stock.DelimiterProcessor  # upstream's search, char by char
    return md


def brackets_by_scanning(data: str) -> dict[int, int]:
    """The closing bracket of each `[` found the slow way: scanning forward and counting."""
    ends = {}
    for start, char in enumerate(data):
        if char != "[":
            continue
        depth = 1
        for at in range(start + 1, len(data)):
            depth += {"[": 1, "]": -1}.get(data[at], 0)
            if depth == 0:
                ends[start + 1] = at + 1
                break
    return ends


@given(st.text(alphabet="[]a!(", max_size=60))
@settings(max_examples=500, deadline=None)
def test_the_bracket_index_finds_what_scanning_finds(data):
    from generator.markup.body import bracket_ends
    assert bracket_ends(data) == brackets_by_scanning(data)


def test_link_text_with_nested_and_unclosed_brackets_renders_as_upstream():
    fast, stock = make_markdown(), stock_markdown()
    for text in ["[a [b] c](x) and [unclosed [x](y) ![img [n]](p.png) ]] [[x]](y)", "[[[[[ no link", "]]][a](b)[",
                 "[a]: /z\n\n[a] [b][a] ![c][a] [a][] \\[no](x)", "*[em [link](a)]* `[code](x)` [a\nb](c)"]:
        assert render_body(fast, text) == render_body(stock, text), text
    assert "<a href=\"x\">a [b] c</a>" in render_body(fast, "[a [b] c](x)").html


def test_every_inline_pattern_is_one_the_plain_text_check_knows():
    from generator.markup.inline import INLINE_PATTERNS
    registered = {item.name for item in make_markdown().inlinePatterns._priority}
    assert registered <= INLINE_PATTERNS, "a new inline pattern: check that _INLINE_TRIGGER covers what it needs"


INLINE_SAMPLES = [  # each pattern alone in a paragraph, so that no other character lets the text through
    "Plain prose, with no markup at all.", "`code` here", "``two `ticks` ``", "\\*escaped\\*", "a \\\\ backslash",
    "[a link](https://example.org/ \"t\")", "[a ref][r]\n\n[r]: https://example.org/r", "[r]\n\n[r]: /r",
    "![an image](x.png)", "![ref][i]\n\n[i]: x.png", "![i]\n\n[i]: x.png", "<https://example.org/>",
    "<mail@example.org>", "<b>raw</b>", "Fish &amp; chips &copy; 2017", "& alone", "line one  \nline two",
    "*em*", "**strong**", "***both***", "_under_", "__dunder__", "A note[^1].\n\n[^1]: The note.",
    "A [[Term]] and a [[term|shown]].", "- item *one*\n- item two\n\n> quoted `code`",
    "| a | b |\n|---|---|\n| *c* | [d](e) |",
]


def test_skipping_plain_text_changes_no_output():
    fast, stock = make_markdown(), stock_markdown()
    for text in INLINE_SAMPLES:
        assert render_body(fast, text) == render_body(stock, text), text


def test_emphasis_found_by_regex_renders_as_upstream():
    from generator.markup.inline import QuickDelimiters
    assert type(FAST.inlinePatterns["em_strong"]) is QuickDelimiters
    assert type(STOCK.inlinePatterns["em_strong"]) is not QuickDelimiters
    for text in ["*a* **b** ***c*** _d_ __e__ ___f___", "*a **b** c* and **a *b* c**", "snake_case_name and *x_y*",
                 "***strong** em* and *em **strong***", "**a*b**c*", "* not em *", "a * b * c", "_a *b_ c*",
                 "*unclosed and **also", "2*3*4 and a_b_c", "*[link](x)* and [*em*](y)", r"**`code`** *\*esc*"]:
        assert render_body(FAST, text) == render_body(STOCK, text), text


def test_patterns_are_passed_over_only_where_their_marks_are_missing():
    """Prose with emphasis and links (issue 24's corpus) skips the other patterns' scans, with upstream's HTML."""
    from generator.markup.body import EXTENSIONS
    from generator.markup.inline import needs_by_index
    every = make_markdown(EXTENSIONS)
    assert None not in needs_by_index(every.inlinePatterns), "a pattern without marks is tried on every text"
    for text in ["The council *backed* [a draft law](https://e.org/?ref=1) on **Tuesday**, then _paused_ it.",
                 "*em* then `code` then [link](x) then &amp; then <b>raw</b> then \\* then ![i](x.png)",
                 "**strong [with *nested* link](/a/)** and a [[Term|shown]] and a line  \nbreak <https://e.org>",
                 "- *one* [a](b)\n- two & three\n\n> quoted **bold** `c`"]:
        assert render_body(FAST, text) == render_body(STOCK, text), text


@given(st.lists(st.sampled_from(["word", " ", "\n", "\n\n", "  \n", "`", "\\", "[", "]", "(", ")", "<", ">", "&",
                                  "*", "_", "!", "^", ":", "#", "-", "|", "x.png", "https://e.org", "@", "amp;"]),
                max_size=40))
@settings(max_examples=300, deadline=None)
def test_skipping_plain_text_changes_no_output_for_any_mix(pieces):
    text = "".join(pieces)
    assert render_body(FAST, text) == render_body(STOCK, text)


FAST, STOCK = make_markdown(), stock_markdown()


EXTENSION_SAMPLES = [
    BODY, "| a | b |\n|---|---|\n| c | d |", "A note[^1].\n\n[^1]: The note.", "## Why? {#why}\n\nText {: .x}",
    "Para\n{: .lead }", '<div markdown="1">\n*em* inside\n</div>', "<div>raw *not em*</div>",
    "```python\nx = 1 | 2 [^1] {a}\n```", "~~~\ncode\n~~~", "a | b\n--|--\n1 | 2\n\nNote[^n]\n\n[^n]: n {: #id}",
    ':::factbox title="Numbers"\n- **27** seconds\n:::', "Plain text with \"quotes\" -- and dashes.",
    "`| not a table`", "Braces { and } alone", "a < b and [^ not a note",
]


def test_a_body_gets_the_extensions_its_marks_need_and_the_html_all_of_them_give():
    markdowns, full = Markdowns(), make_markdown()
    for text in EXTENSION_SAMPLES + INLINE_SAMPLES:
        assert render_body(markdowns.for_text(text), text) == render_body(full, text), text
    plain = markdowns.for_text("Plain words only.")
    assert "table" not in plain.parser.blockprocessors and "footnote" not in plain.inlinePatterns
    assert "table" in markdowns.for_text("| a | b |\n|---|---|").parser.blockprocessors
    assert markdowns.for_text("More plain words.") is plain  # made once, reused


@given(st.lists(st.sampled_from(["word", " ", "\n", "\n\n", "|", "---", "[^1]", "[^1]: n", "{", "}", "{: .c}",
                                  "{#id}", '<div markdown="1">', "</div>", ":::factbox", ":::", "<b>", "```", "~~~",
                                  "## Q?", "- ",
                                  "*", "`", "[", "]", "(x)", ":"]),
                max_size=40))
@settings(max_examples=300, deadline=None)
def test_choosing_extensions_by_marks_changes_no_output_for_any_mix(pieces):
    text = "".join(pieces)
    assert render_body(MARKDOWNS.for_text(text), text) == render_body(FAST, text)


MARKDOWNS = Markdowns()


HEADING_PIECES = ["word", " ", "  ", "\t", "'", '"', "--", "...", "&", "&amp;", "<b>", "</b>", "<", ">", "*", "`",
                  "\\*", "[^1]", "[a](b)", "é", "؟", "{#id}", "_", "#"]


@given(st.lists(st.lists(st.sampled_from(HEADING_PIECES), min_size=1, max_size=12), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_plain_headings_taken_as_they_are_give_what_rendering_them_gives(headings):
    import re

    import generator.markup.body as markup

    text = "".join(f"## {''.join(pieces)}\n\nText.\n\n| {''.join(pieces)} |\n|---|\n| c |\n\n" for pieces in headings)
    text += "[^1]: A note.\n"
    quick = render_body(FAST, text)
    fast_path, markup._HEADING_MARKUP = markup._HEADING_MARKUP, re.compile("")  # every heading rendered
    try:
        assert quick == render_body(FAST, text)
    finally:
        markup._HEADING_MARKUP = fast_path


def upstream_blocks_markdown():
    from generator.markup.body import _PREFILTERED_BLOCKS
    md = make_markdown()
    for name, upstream, priority, _ in _PREFILTERED_BLOCKS:
        md.parser.blockprocessors.register(upstream(md.parser), name, priority)
    return md


BLOCK_SAMPLES = [
    "# One\n\nText", "Title\n=====\n\nText", "Title\n-----", "Para\n---", "***\n\n- - -\n\n___ \n\n* * *",
    "a -- b -- c - d", "> quoted\n> more\n\nafter", "text\n> quoted inside", "   > indented quote",
    "[a]: /x\n\n[a]", "[a]: /x 'title'\n[b]: <y>", "Text [a]: not a definition", "#hashtag in text",
    "1. one\n2. two\n\n> q\n\n## H ##", "a ]: b", "- a\n- b\n\n---\n\nc", "Para\n=== not setext",
]


def test_prefiltered_block_processors_give_what_python_markdowns_give():
    quick, upstream = make_markdown(), upstream_blocks_markdown()
    assert {type(p).__name__ for p in quick.parser.blockprocessors} >= {"PrefilteredBlockQuoteProcessor",
                                                                        "_PrefilteredReference"}
    for text in BLOCK_SAMPLES + EXTENSION_SAMPLES + INLINE_SAMPLES:
        assert render_body(quick, text) == render_body(upstream, text), text


@given(st.lists(st.sampled_from(["word", " ", "   ", "\n", "\n\n", "#", "##", "=", "===", "-", "---", "*", "_",
                                  ">", "> ", "[a]", "]:", "[a]: /x", "1.", "- ", "'t'", "    code", ":::factbox",
                                  ":::", "|", "[^1]", "[^1]: n"]),
                max_size=40))
@settings(max_examples=400, deadline=None)
def test_prefiltered_block_processors_give_what_python_markdowns_give_for_any_mix(pieces):
    text = "".join(pieces)
    assert render_body(FAST, text) == render_body(UPSTREAM_BLOCKS, text)


UPSTREAM_BLOCKS = upstream_blocks_markdown()


SUB_PATH = "https://example.org/explainers/"
LINKING_BODY = """\
Lede: [who decides](/leap-seconds/#who), <a href="/leap-seconds/">raw HTML</a>,
[one up](../leap-seconds/) and [the web](https://example.com/x).

## What happened?

![A map](images/map.svg){credit="Desk"}

:::callout
See [the clock](/leap-seconds/) and [home](/).
:::

:::quote by="A reader" cite="/leap-seconds/"
Words.
:::

:::people
- ![A face](/images/face.svg) **Ann**, a writer of [leap seconds](/leap-seconds/)
:::
"""


def _hrefs(element) -> list[str]:
    """The links of a body as written (not the theme's "Share this question" links beside its headings)."""
    return [a.get("href") or a.get("src") or a.get("cite") for a in element.find_all(["a", "img", "blockquote"])
            if (a.get("href") or a.get("src") or a.get("cite")) and not a.find_parent(class_="question-share")]


def test_site_absolute_links_in_bodies_resolve_under_a_sub_path_in_pages_and_feeds(make_site, tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"></svg>'
    root = make_site({"content/a.md": explainer("A", LINKING_BODY, topics="[Time]", related="[leap-seconds]"),
                      "content/images/map.svg": svg, "content/images/face.svg": svg,
                      "content/leap-seconds.md": explainer("Leap", "## Who decides? {#who}\n\nA body.\n",
                                                           topics="[Time]")})
    result = run_build(root, base_url=SUB_PATH)
    assert result.ok, messages(result)
    page = parse(root / "output/a/index.html")
    body = page.find("div", class_="article-body")
    assert _hrefs(body) == ["/explainers/leap-seconds/#who", "/explainers/leap-seconds/", "../leap-seconds/",
                            "https://example.com/x", "/explainers/images/map.svg", "/explainers/leap-seconds/",
                            "/explainers/", "/explainers/leap-seconds/", "/explainers/leap-seconds/",
                            "/explainers/leap-seconds/", "/explainers/images/face.svg"]
    related = page.find("section", class_="related").find("a", class_="card__link")
    assert related["href"] == "/explainers/leap-seconds/"
    feed = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"] == SUB_PATH + "a/")
    links = _hrefs(BeautifulSoup(item["content_html"], "html.parser"))
    assert links[:5] == [SUB_PATH + "leap-seconds/#who", SUB_PATH + "leap-seconds/", SUB_PATH + "leap-seconds/",
                         "https://example.com/x", SUB_PATH + "images/map.svg"]
    assert set(links[5:]) == {SUB_PATH + "leap-seconds/", SUB_PATH, SUB_PATH + "images/face.svg"}
    atom = etree.parse(root / "output/feed.xml").getroot()
    content = next(e for e in atom.iter("{http://www.w3.org/2005/Atom}entry")
                   if e.findtext("{http://www.w3.org/2005/Atom}id") == SUB_PATH + "a/").findtext(
                       "{http://www.w3.org/2005/Atom}content")
    assert _hrefs(BeautifulSoup(content, "html.parser")) == links
    # At the site's root nothing moves.
    assert run_build(root, base_url="https://example.org/").ok
    body = parse(root / "output/a/index.html").find("div", class_="article-body")
    assert _hrefs(body)[:5] == ["/leap-seconds/#who", "/leap-seconds/", "../leap-seconds/", "https://example.com/x",
                                "/images/map.svg"]
    assert_equals_clean_build(root, tmp_path)  # the bodies cached under the sub-path were not reused


def test_site_paths_are_put_under_the_base_path_once_in_tags_only():
    from generator.markup.sitepaths import site_paths_under

    html = ('<p><a href="/a/" title="href=/b/">x</a> <img src=\'/i.png\' srcset="/i-1.png 1x, /i-2.png 2x">'
            '<code>&lt;a href="/c/"&gt;</code> <a href="//cdn.example/x">y</a> <a href="#q">z</a></p>')
    assert site_paths_under(html, "/news/") == (
        '<p><a href="/news/a/" title="href=/b/">x</a> <img src=\'/news/i.png\' '
        'srcset="/news/i-1.png 1x, /news/i-2.png 2x"><code>&lt;a href="/c/"&gt;</code> '
        '<a href="//cdn.example/x">y</a> <a href="#q">z</a></p>')
    assert site_paths_under(html, "/") == html


@pytest.fixture
def site_of(make_site):
    """A site of one explainer, content/a.md, with `body` (its body starts at line 5)."""

    def write(body: str) -> Path:
        return make_site({"content/a.md": explainer(body=body)})

    return write


@pytest.mark.parametrize(("body", "expected"), [
    ("## One {#same}\n\nx\n\n## Two {#same}\n\ny\n",
     "content/a.md:9: error: the id 'same' is used twice (first at line 5)\n"
     "  hint: give each heading its own id: ids are what links to a question point at"),
    ("Lede.\n\n## Where? {#main}\n\nx\n",
     "content/a.md:7: error: the id 'main' is used by the theme around every body\n"
     "  hint: choose another id, e.g. {#main-question}"),
    ("## A note {#fn:1}\n\nx[^1]\n\n[^1]: The note.\n",
     "content/a.md:5: error: the id 'fn:1' is in the form of the footnotes' own ids (fn:1, fnref:1)\n"
     "  hint: choose another id, e.g. {#fn-1-question}"),
    ('## Who?\n\n<div markdown="1" id="nutgraf-related">\n\nx\n\n</div>\n',
     "content/a.md:7: error: the id 'nutgraf-related' is used by the theme around every body\n"
     "  hint: choose another id, e.g. {#related-question}"),
])
def test_ids_written_twice_or_taken_by_the_theme_or_footnotes_are_errors_at_their_line(site_of, body, expected):
    root = site_of(body)
    result = run_build(root)
    assert messages(result) == [expected]
    assert not (root / "output").exists()


def test_headings_whose_words_make_a_theme_id_get_another(site_of):
    root = site_of("## Main\n\nx\n\n## Nutgraf related?\n\ny\n\nA note[^1].\n\n[^1]: Note.\n")
    assert run_build(root).ok
    page = parse(root / "output/a/index.html")
    ids = [el["id"] for el in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    assert [h["id"] for h in page.select("section.question > h2")] == ["main-2", "q-nutgraf-related"]


@pytest.mark.parametrize(("body", "line"), [
    ("> " * 1000 + "deep\n", 5),
    ("".join("    " * i + "- level\n" for i in range(500)), 5 + MAX_NESTING),
    ("Lede.\n\n" + "- " * 40 + "x\n", 7),
])
def test_bodies_nested_deeper_than_the_limit_are_errors_at_the_line_that_goes_deeper(site_of, body, line):
    result = run_build(site_of(body))
    assert messages(result) == [f"content/a.md:{line}: error: lists, quotes or HTML blocks nested more than "
                                f"{MAX_NESTING} levels deep\n  hint: nest them a few levels at most; "
                                f"{MAX_NESTING} are allowed"]


def test_bodies_nested_to_the_limit_keep_every_level():
    md = make_markdown()
    html = render_body(md, "> " * MAX_NESTING + "deep\n", source="a.md").html
    assert html.count("<blockquote>") == MAX_NESTING and ">" not in BeautifulSoup(html, "html.parser").text
    listed = render_body(md, "".join("    " * i + "- level\n" for i in range(MAX_NESTING)), source="a.md")
    assert listed.html.count("<ul>") == MAX_NESTING and listed.diagnostics == ()


def test_more_questions_than_the_limit_is_an_error_at_the_first_too_many(site_of):
    body = "".join(f"## Question {n}?\n\nAnswer.\n\n" for n in range(MAX_QUESTIONS + 1))
    result = run_build(site_of(body))
    assert messages(result) == [f"content/a.md:{5 + 4 * MAX_QUESTIONS}: error: the explainer asks "
                                f"{MAX_QUESTIONS + 1} questions; the most one may ask is {MAX_QUESTIONS}\n"
                                "  hint: split it into a series of explainers (series: in the front matter)"]
    body = "".join(f"## Question {n}?\n\nAnswer.\n\n" for n in range(MAX_QUESTIONS))
    assert render_body(make_markdown(), body, source="a.md").diagnostics == ()


def test_a_body_larger_than_the_limit_after_parsing_is_an_error(site_of):
    url = "https://example.org/" + "a" * 2000
    body = f"[r]: {url}\n\n" + "[x][r]\n\n" * 10_000  # 80 KB of Markdown, 19.5 MB of HTML
    result = run_build(site_of(body))
    assert messages(result) == [f"content/a.md:5: error: the body is 19 MB of HTML after parsing; the most a body "
                                f"may be is {MAX_BODY_BYTES // 2**20} MB\n  hint: is a link reference or footnote "
                                "used thousands of times? Split the explainer"]


def test_with_any_of_these_errors_the_output_stays_as_it_was(make_site):
    root = make_site({"content/a.md": explainer(body="## One?\n\nx\n"), "content/b.md": explainer("B")})
    assert run_build(root).ok
    before = snapshot(root / "output")
    (root / "content/a.md").write_text(explainer(body="## One? {#main}\n\nx\n"), encoding="utf-8")
    (root / "content/b.md").write_text(explainer("B", date="0001-01-01T00:00:00+14:00"), encoding="utf-8")
    result = run_build(root)
    assert not result.ok and len(messages(result)) == 2
    assert snapshot(root / "output") == before
