"""The site's glossary: content/glossary.yaml read and checked, and terms marked in explainers looked up."""

import pytest
from conftest import explainer, messages, parse, run_build

from generator.markup.glossary import load_glossary
from generator.sources.tree import scan_sources


def glossary_of(make_site, text):
    root = make_site({"content/glossary.yaml": text})
    tree, _ = scan_sources(root, root / "content")
    return load_glossary(tree.data)


def test_terms_are_matched_whatever_their_case_and_spacing(make_site):
    glossary, found = glossary_of(make_site, 'UTC: "Coordinated Universal Time."\nleap  second:\n'
                                             '  definition: "An extra second -- now and then."\n  lang: en\n')
    assert found == []
    assert sorted(glossary) == ["leap second", "utc"]
    entry = glossary["leap second"]
    assert (entry.term, entry.definition, entry.lang) == ("leap  second", "An extra second – now and then.", "en")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("UTC: [\n", 2, "invalid YAML"),
    ("- UTC\n", 1, "the glossary must be a mapping of term to definition"),
    ("UTC:\n  lang: en\n", 2, "the glossary term 'UTC' has no definition"),
    ('UTC: "One."\nutc: "Two."\n', 2, "the glossary defines 'utc' twice"),
    ('UTC:\n  definition: "One."\n  lang: "not a tag"\n', 2, "the lang of glossary term 'UTC' must be a language tag"),
    ('yes: "A word YAML reads as true."\n', 1, "glossary term True must be text"),
])
def test_glossary_mistakes_are_errors_with_line(make_site, text, line, message):
    _, found = glossary_of(make_site, text)
    assert [(d.path, d.line) for d in found][:1] == [("content/glossary.yaml", line)]
    assert found[0].message.startswith(message), found


def test_the_glossary_is_not_published_and_marked_terms_get_their_entry(make_site):
    root = make_site({"content/glossary.yaml": 'التقويم الهجري:\n  definition: "تقويم قمري."\n  lang: ar\n',
                      "content/a.md": explainer("A", "The [[التقويم الهجري|Hijri calendar]] is lunar.\n")})
    result = run_build(root)
    assert result.ok, messages(result)
    assert not (root / "output/glossary.yaml").exists()
    definition = parse(root / "output/a/index.html").find("span", class_="term__definition")
    assert (definition["lang"], definition.find(class_="term__name").get_text()) == ("ar", "التقويم الهجري")


def test_a_term_missing_from_the_glossary_is_an_error_at_its_line_with_a_suggestion(make_site):
    root = make_site({"content/glossary.yaml": 'leap second: "An extra second."\n',
                      "content/a.md": explainer("A", "Lede.\n\nA [[leap secnd]] here.\n")})
    result = run_build(root)
    [problem] = [d for d in result.diagnostics if d.path == "content/a.md"]
    assert (problem.line, problem.message, problem.hint) == (
        7, "'leap secnd' is not in the glossary", "did you mean 'leap second'?")
