import pytest

from generator.markup.body import make_markdown, render_body
from generator.markup.typography import smarten


@pytest.mark.parametrize(("plain", "fancy"), [
    ('"Quoted" words', "\u201cQuoted\u201d words"),
    ("It's the rebels' turn", "It\u2019s the rebels\u2019 turn"),
    ("'Single' quotes", "\u2018Single\u2019 quotes"),
    ("the '80s", "the \u201980s"),
    ("2011--2017 and then---silence...", "2011\u20132017 and then\u2014silence\u2026"),
    ('("nested")', "(\u201cnested\u201d)"),
    ("no change here", "no change here"),
])
def test_smarten(plain, fancy):
    assert smarten(plain, " ") == fancy


def test_quotes_across_inline_elements_and_code_left_alone():
    html = render_body(make_markdown(), '"*Emphasis*" and `"code"` -- done\n').html
    assert html == '<p>\u201c<em>Emphasis</em>\u201d and <code>"code"</code> \u2013 done</p>'
