"""Body checks: ids written twice or taken by the theme, and the limits of nesting, questions and size."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import explainer, messages, parse, run_build, snapshot

from generator.markup.body import make_markdown, render_body
from generator.markup.bodychecks import MAX_BODY_BYTES, MAX_NESTING, MAX_QUESTIONS


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
