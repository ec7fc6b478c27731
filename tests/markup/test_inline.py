"""The quicker inline pass: each pattern tried only where its marks are, with upstream's output."""

from hypothesis import given, settings
from hypothesis import strategies as st
from test_body import FAST, INLINE_SAMPLES, STOCK, stock_markdown

from generator.markup.body import make_markdown, render_body


def test_every_inline_pattern_is_one_the_plain_text_check_knows():
    from generator.markup.inline import INLINE_PATTERNS
    registered = {item.name for item in make_markdown().inlinePatterns._priority}
    assert registered <= INLINE_PATTERNS, "a new inline pattern: check that _INLINE_TRIGGER covers what it needs"


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
