import datetime as dt

import pytest
from conftest import messages, run_build

from generator.sources.frontmatter import DEPTH_HINT, MAX_DEPTH, InvalidDate, parse_document


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(data, "content/x.md")


def test_splits_meta_and_body_with_positions():
    raw, found = parse('---\ntitle: "Hi"\nhero:\n  image: a.png\n---\nBody line\n')
    assert found == []
    assert raw.meta.data == {"title": "Hi", "hero": {"image": "a.png"}}
    assert raw.body == "Body line\n"
    assert raw.body_line == 6
    assert raw.meta.at("title").line == 2
    assert raw.meta.at("hero.image").line == 4
    assert raw.meta.at("hero.image").column == 10


def test_positions_of_keys_with_any_characters_and_of_missing_keys_fall_back_to_the_parent():
    raw, found = parse('---\ntitle: x\n"a\\tb\\nc\\\\": 1\nhero:\n  image: a.png\ntopics: [a, b]\n"\'q\'": 2\n---\n')
    assert found == []
    at = raw.meta.at
    # each the position of the value (a mapping's starts at its first key), as the dict of positions gave
    assert (at("a\tb\nc\\"), at("'q'")) == ((3, 14), (7, 8))
    assert (at("topics.1"), at("topics.7"), at("hero.alt"), at("hero")) == ((6, 13), (6, 9), (5, 3), (5, 3))
    assert at("nowhere") == at("") == (2, 1)  # the front matter's first line
    assert at("hero.image") == (5, 10) and at("hero.imag") == (5, 3)  # a prefix of a key is not that key


def test_bom_and_windows_line_endings_simply_work():
    raw, found = parse(b'\xef\xbb\xbf---\r\ntitle: "Hi"\r\n---\r\nBody\r\n')
    assert found == []
    assert raw.meta.data["title"] == "Hi"
    assert raw.body == "Body\n"


def test_yaml_error_points_at_the_file_line():
    raw, found = parse('---\ntitle: "Hi"\ndek: [unclosed\n---\n')
    assert raw is None
    assert found[0].path == "content/x.md"
    assert found[0].line >= 3
    assert "invalid YAML" in found[0].message


def test_unquoted_colon_gets_a_quoting_hint():
    raw, found = parse("---\ntitle: Syria: what next\n---\n")
    assert raw is None
    assert found[0].line == 2
    assert "quoted" in found[0].hint


def test_missing_fences_and_empty_files():
    assert "forget `---`" in parse("title: x\n")[1][0].hint
    assert "not closed" in parse("---\ntitle: x\n")[1][0].message
    assert "empty" in parse("")[1][0].message
    assert "binary" in parse(b"\x00\x01\x02")[1][0].message
    assert "UTF-8" in parse(b"---\ntitle: \xff\n---\n")[1][0].message


def test_front_matter_must_be_a_mapping():
    for text in ("---\n- a\n- b\n---\n", "---\njust text\n---\n", "---\n---\n"):
        raw, found = parse(text)
        assert raw is None
        assert "must be a mapping" in found[0].message


def test_aliases_are_refused_so_yaml_bombs_cannot_explode():
    bomb = "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n"
    raw, found = parse(bomb)
    assert raw is None
    assert "aliases" in found[0].message


def test_an_alias_of_a_plain_value_is_refused_too_at_its_line():
    raw, found = parse('---\ntitle: &t "Hi"\ndek: *t\n---\n')
    assert raw is None and [d.format().split("\n")[0] for d in found] == [
        "content/x.md:3:1: error: aliases (*name) are not allowed in nutgraf files"]


def test_control_characters_are_removed_with_a_warning_at_their_line(make_site):
    raw, found = parse('---\ntitle: "Hi\x07 there"\n---\nBody\x0b line\n')
    assert raw.meta.data["title"] == "Hi there" and raw.body == "Body line\n"
    assert [d.format().split("\n")[0] for d in found] == [
        "content/x.md:2: warning: removed invisible control characters (first: U+0007)"]
    result = run_build(make_site({"content/x.md": '---\ntitle: "Hi\x07 there"\ndate: 2017-01-23\n---\nBody.\n'}))
    assert result.ok and any("removed invisible control characters" in m for m in messages(result))


def test_impossible_dates_are_kept_as_values_for_a_clear_error():
    raw, found = parse("---\ndate: 2017-02-30\nok: 2017-02-28\n---\n")
    assert found == []
    assert isinstance(raw.meta.data["date"], InvalidDate)
    assert raw.meta.data["ok"] == dt.date(2017, 2, 28)


def test_deeply_nested_yaml_is_refused_before_parsing():
    raw, found = parse("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert raw is None
    assert "nested more than" in found[0].message


def test_an_unclosed_bracket_is_reported_where_it_opens():
    raw, found = parse("---\ndek: x\ntitle: [broken\n---\n")
    assert raw is None
    assert (found[0].line, found[0].column) == (3, 8)


def test_a_key_given_twice_is_an_error_at_the_second(make_site):
    root = make_site({"content/a.md": '---\ntitle: "A"\ndate: 2017-01-23\nhero:\n  image: a.png\n  alt: "x"\n'
                                      '  image: b.png\ntitle: "B"\n---\nBody.\n'})
    result = run_build(root)
    assert not result.ok and not (root / "output").exists()
    assert messages(result) == ["content/a.md:8:1: error: 'title' is given twice in one mapping (first at line 2)"
                                "\n  hint: keep one of them: YAML would silently use the last"]
    raw, found = parse('---\nhero:\n  image: a.png\n  alt: "x"\n  image: b.png\n---\n')
    assert raw is None and (found[0].line, found[0].column) == (5, 3)
    assert "'image' is given twice in one mapping (first at line 3)" in found[0].message
    raw, found = parse('---\ntitle: "A"\n"title": "B"\n---\n')
    assert raw is None and (found[0].line, found[0].column) == (3, 1)
    assert "'title' is given twice in one mapping (first at line 2)" in found[0].message


def test_keys_that_only_look_alike_are_not_given_twice():
    raw, found = parse("---\na: 1\nb: {a: 2}\nc: [{a: 3}, {a: 4}]\n---\n")
    assert found == [] and raw.meta.data["c"] == [{"a": 3}, {"a": 4}]


@pytest.mark.parametrize(("nested", "at"), [
    ("x:\n" + "".join("  " * i + "  k:\n" for i in range(30)) + "  " * 30 + "  v: 1\n", (23, 43)),
    ("x:\n  - " + "- " * 30 + "1\n", (3, 43)),
    ("title: x\nx: " + "{a: " * 30 + "1" + "}" * 30 + "\n", (3, 84)),
])
def test_yaml_nested_deeper_than_the_limit_is_an_error_where_it_goes_too_deep(make_site, nested, at):
    root = make_site({"content/a.md": f"---\n{nested}---\nBody.\n"})
    result = run_build(root)
    line, column = at
    assert messages(result) == [f"content/a.md:{line}:{column}: error: YAML nested more than {MAX_DEPTH} levels "
                                f"deep\n  hint: {DEPTH_HINT}" + ("; is a bracket left open?" if "{" in nested else "")]


def test_yaml_nested_to_the_limit_is_read():
    raw, found = parse("---\nx: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n---\n")
    assert found == [] and raw is not None
