"""Check's rules: errors and warnings an editor wants, each at its file and line."""

import pytest
from conftest import NOW, SITE_YAML, explainer
from test_check import GOOD, findings

from generator.commands.check import CheckOptions, check_site


@pytest.mark.parametrize(("body", "line", "message"), [
    ("Lede.\n\n## What?\n\nSee [it](/nowhere/).\n", 11, "the link /nowhere/ leads nowhere: there is no /nowhere/"),
    ("Lede.\n\n## What?\n\nSee [it](/b/#gone).\n", 11, "the link /b/#gone points at #gone, which /b/ lacks"),
    ("Lede.\n\n## What?\n\nSee [it](#gone).\n", 11, "the link #gone points at #gone, which /a/ lacks"),
    ("Lede.\n\n## What?\n\nSee [it](../topics/nope/).\n", 11, "the link ../topics/nope/ leads nowhere: "
     "there is no /topics/nope/"),
    ("Lede.\n\n## What?\n\n![A map](/images/none.png){credit=\"Desk\"}\n", 11, "the image /images/none.png does not "
     "resolve"),
    ("Lede.\n\n## What?\n\nThe count is TK.\n", 11, "placeholder 'TK' left in the text"),
    ("Lede.\n\n## What?\n\nXXX check this.\n", 11, "placeholder 'XXX' left in the text"),
    ("Lede.\n\n## What?\n\n## Why?\n\nBecause.\n", 9, "the question 'What?' has no answer"),
    ("Lede.\n\n## What?\n\nText.\n\n## Why?\n\n[^1]: A note.\n", 13, "the question 'Why?' has no answer"),
])
def test_errors_an_editor_fixes_before_publication(make_site, body, line, message):
    root = make_site({"content/a.md": explainer("A", body, topics="[T]", dek='"A dek."'),
                      "content/b.md": explainer("B", GOOD, topics="[T]")})
    found, result = findings(root)
    assert ("content/a.md", line, "error", message) in found, found
    assert not result.ok


def test_links_that_resolve_are_not_findings(make_site):
    body = ("Lede.\n\n## What?\n\nSee [b](/b/), [its question](/b/#what-happened), [a topic](/topics/t/), "
            "[home](/), [here](#what), [a note][^1], [the web](https://example.com/x), [mail](mailto:a@b.c), "
            "[absolute](https://example.org/b/) and `TK` in code.\n\n```\nTKTK\n```\n\n[^1]: A note.\n")
    root = make_site({"content/a.md": explainer("A", body, topics="[T]"),
                      "content/b.md": explainer("B", GOOD, topics="[T]")})
    found, result = findings(root)
    assert found == set()


def test_under_a_sub_path_site_paths_in_bodies_are_checked_as_written(make_site):
    body = ("Lede.\n\n## What?\n\nSee [b](/b/#what-happened), [c](/c/), [twice](/explainers/b/)\n"
            "and ![a map](/images/none.png){credit=\"Desk\"}.\n\n:::callout\nAnd [d](/d/).\n:::\n")
    root = make_site({"content/a.md": explainer("A", body, topics="[T]"),
                      "content/b.md": explainer("B", GOOD, topics="[T]")})
    found, result = findings(root, base_url="https://example.org/explainers/")
    assert not result.ok
    assert {(line, message) for path, line, level, message in found if level == "error"} == {
        (10, "the link /c/ leads nowhere: there is no /c/"),
        (10, "the link /explainers/b/ leads nowhere: there is no /explainers/b/"),
        (11, "the image /images/none.png does not resolve"),
        (14, "the link /d/ leads nowhere: there is no /d/")}
    twice = next(d for d in result.diagnostics if "/explainers/b/" in d.message)
    assert "write /b/" in twice.hint and "/explainers/" in twice.hint


@pytest.mark.parametrize(("files", "finding"), [
    ({"content/a.md": explainer("A", GOOD + "\n![](images/a.svg)\n", topics="[T]")},
     ("content/a.md", 12, "the image images/a.svg has no alt text")),
    ({"content/a.md": explainer("A", GOOD + "\n![A map](images/a.svg)\n", topics="[T]")},
     ("content/a.md", 12, "the image images/a.svg has no credit")),
    ({"content/a.md": explainer("A", GOOD + '\n:::figure src="images/a.svg" alt="A map"\n:::\n', topics="[T]")},
     ("content/a.md", 12, "the figure images/a.svg has no credit")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", hero='{image: images/a.svg, alt: "A map"}')},
     ("content/a.md", 4, "the hero image has no credit")),
    ({"content/a.md": explainer("x" * 111, GOOD, topics="[T]")},
     ("content/a.md", 2, "the headline has 111 characters; search engines take 110")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", dek='"' + "d" * 201 + '"')},
     ("content/a.md", 4, "the dek has 201 characters; keep it under 200")),
    ({"content/a.md": explainer("A", "Lede.\n\n## Background\n\nText.\n", topics="[T]")},
     ("content/a.md", 8, "the heading 'Background' is not phrased as a question")),
    ({"content/a.md": explainer("A", GOOD)},
     ("content/a.md", 2, "the explainer has no topic")),
    ({"content/a.md": explainer("A", GOOD, topics="[Syria]"), "content/b.md": explainer("B", GOOD, topics="[Syira]")},
     ("content/b.md", 3, "the topic 'Syira' is used by no other explainer")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", date="2027-01-01")},
     ("content/a.md", 4, "the publication date is in the future (2027-01-01T00:00:00+03:00)")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", updated="2017-01-24",
                                corrections="[{date: 2017-02-01, text: Fixed a name.}]")},
     ("content/a.md", 4, "'updated' is older than the newest correction (2017-02-01)")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", corrections="[{date: 2017-02-01, text: Fixed a name.}]")},
     ("content/a.md", 4, "the newest correction (2017-02-01) is later than the date, and there is no 'updated'")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", corrections="[{date: 2030-02-01, text: Fixed.}]")},
     ("content/a.md", 4, "the date of a correction is in the future (2030-02-01T00:00:00+03:00)")),
    ({"content/a.md": explainer("A", GOOD + "\nSee [b](/b/).\n", topics="[T]"),
      "content/b.md": explainer("B", GOOD, topics="[T]", draft="true")},
     ("content/a.md", 12, "the link /b/ leads to a draft (content/b.md)")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", related="[b]"),
      "content/b.md": explainer("B", GOOD, topics="[T]", draft="true")},
     ("content/a.md", 4, "related explainer 'b' is a draft")),
    ({"content/a.md": explainer("A", GOOD + "\nSee [b](/b/).\n", topics="[T]", related="[b]"),
      "content/b.md": explainer("B", GOOD, topics="[T]", date="2027-01-01")},
     ("content/a.md", 13, "the link /b/ leads to an explainer scheduled for 2027-01-01T00:00:00+03:00, "
                          "not yet published (content/b.md)")),
    ({"content/a.md": explainer("A", GOOD, topics="[T]", related="[b]"),
      "content/b.md": explainer("B", GOOD, topics="[T]", date="2027-01-01")},
     ("content/a.md", 4, "related explainer 'b' is scheduled for 2027-01-01T00:00:00+03:00, not yet published")),
])
def test_warnings_an_editor_wants(make_site, files, finding):
    files = {"content/images/a.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>', **files}
    found, result = findings(make_site(files))
    path, line, message = finding
    assert (path, line, "warning", message) in found, found
    assert result.ok


def test_did_you_mean_for_a_topic_used_once(make_site):
    root = make_site({"content/a.md": explainer("A", GOOD, topics="[Syria]"),
                      "content/b.md": explainer("B", GOOD, topics="[Syria]"),
                      "content/c.md": explainer("C", GOOD, topics="[Syira]")})
    result = check_site(CheckOptions(root, now=NOW))
    [typo] = [d for d in result.diagnostics if "used by no other" in d.message]
    assert (typo.path, typo.hint) == ("content/c.md", "did you mean 'Syria'?")


def test_question_headings_can_be_left_unchecked(make_site):
    root = make_site({"content/a.md": explainer("A", "Lede.\n\n## Background\n\nText.\n", topics="[T]")},
                     SITE_YAML + "check:\n  question_headings: false\n")
    found, _ = findings(root)
    assert found == set()


@pytest.mark.parametrize(("url", "found"), [
    ("https://example.org/about/ann/", "there is no /about/ann/"),
    ("/about/ann/", "there is no /about/ann/"),
    ("https://example.org/explainers/about/ann/", "there is no /about/ann/"),
    ("https://example.org/authors/ann/", ""),
    ("https://example.org/explainers/authors/ann/", ""),
    ("https://example.org/a/", ""),
    ("https://ann.example.net/", ""),
])
def test_an_author_url_on_the_site_itself_must_lead_somewhere(make_site, url, found):
    base_url = "https://example.org/explainers/" if "/explainers/" in url else "https://example.org/"
    root = make_site({"content/a.md": explainer("A", GOOD, topics="[T]", authors="[ann]"),
                      "content/b.md": explainer("B", GOOD, topics="[T]")},
                     SITE_YAML.replace("https://example.org/ann/", url))
    errors = [d for d in check_site(CheckOptions(root, base_url, now=NOW)).diagnostics if d.severity == "error"]
    if not found:
        assert errors == []
    else:
        assert [(d.path, d.line, d.message) for d in errors] == [
            ("site.yaml", 12, f"the url of author 'ann' leads nowhere: {found}")]
        assert "/authors/ann/" in errors[0].hint


def test_a_map_without_source_is_a_warning_and_without_description_an_error(make_site):
    body = GOOD + '\n:::map description="Syria"\n- Syria\n:::\n\n:::map source="Natural Earth"\n- Syria\n:::\n'
    found, result = findings(make_site({"content/a.md": explainer("A", body, topics="[T]")}))
    assert ("content/a.md", 12, "warning", "the map has no source") in found
    assert ("content/a.md", 16, "error", ':::map needs the attribute description="..."') in found
    assert not any(line == 16 and "no source" in message for _, line, _, message in found)
