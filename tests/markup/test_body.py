
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup.body import LocalImage, Markdowns, make_markdown, render_body

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


INLINE_SAMPLES = [  # each pattern alone in a paragraph, so that no other character lets the text through
    "Plain prose, with no markup at all.", "`code` here", "``two `ticks` ``", "\\*escaped\\*", "a \\\\ backslash",
    "[a link](https://example.org/ \"t\")", "[a ref][r]\n\n[r]: https://example.org/r", "[r]\n\n[r]: /r",
    "![an image](x.png)", "![ref][i]\n\n[i]: x.png", "![i]\n\n[i]: x.png", "<https://example.org/>",
    "<mail@example.org>", "<b>raw</b>", "Fish &amp; chips &copy; 2017", "& alone", "line one  \nline two",
    "*em*", "**strong**", "***both***", "_under_", "__dunder__", "A note[^1].\n\n[^1]: The note.",
    "A [[Term]] and a [[term|shown]].", "- item *one*\n- item two\n\n> quoted `code`",
    "| a | b |\n|---|---|\n| *c* | [d](e) |",
]


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


