"""Topic names per language: content/topics.yaml read and checked, and checked against the explainers."""

import pytest
from conftest import explainer, messages, run_build

from generator.sources.topics import load_topic_names
from generator.sources.tree import scan_sources


def names_of(make_site, text):
    root = make_site({"content/topics.yaml": text})
    tree, _ = scan_sources(root, root / "content")
    return load_topic_names(tree.data)


def test_entries_are_keyed_by_the_topics_slug_with_names_by_lower_case_language(make_site):
    names, found = names_of(make_site, "Climate change: {AR: تغير  المناخ, tr: İklim değişikliği}\n")
    assert found == []
    assert list(names) == ["climate-change"]
    assert names["climate-change"].names == (("ar", "تغير المناخ"), ("tr", "İklim değişikliği"))


@pytest.mark.parametrize(("text", "line", "message", "hint"), [
    ("Syria: {ra: سوريا}\n", 1, "unknown language of topic 'Syria': 'ra' is not a language tag",
     "did you mean 'ar'?"),
    ("Syria:\n  ar: سوريا\n  arabic: سوريا\n", 3, "unknown language of topic 'Syria': 'arabic' is not a language tag",
     "use a language tag such as ar, tr or pt-BR"),
    ("Syria: سوريا\n", 1, "topic 'Syria' must be a mapping of language to name, not 'سوريا'", None),
    ("Syria:\n  ar: 12\n", 2, "the ar name of topic 'Syria' must be text, not 12", None),
    ("Syria: {ar: سوريا}\nsyria: {tr: Suriye}\n", 2, "'syria' is the topic 'Syria' again", None),
    ("- Syria\n", 1, "topics.yaml must be a mapping of topic to its names", None),
    ("Syria: {ar: [\n", 2, "invalid YAML", None),
    ("'!!!': {ar: x}\n", 1, "topic '!!!' gives no usable URL", None),
])
def test_mistakes_are_errors_with_file_and_line(make_site, text, line, message, hint):
    _, found = names_of(make_site, text)
    assert [(d.path, d.line, d.severity) for d in found][:1] == [("content/topics.yaml", line, "error")], found
    assert found[0].message.startswith(message), found
    assert hint is None or found[0].hint == hint


def test_an_error_stops_the_build_and_topics_yaml_is_never_published(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]"), "content/topics.yaml": "Syria: {ra: x}\n"})
    assert not run_build(root).ok and not (root / "output").exists()
    (root / "content/topics.yaml").write_text("Syria: {ar: سوريا}\n", encoding="utf-8")
    result = run_build(root)
    assert result.ok, messages(result)
    assert not (root / "output/topics.yaml").exists()


def test_names_no_explainer_can_show_are_warnings_with_a_suggestion(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]", lang="ar"),
                      "content/b.md": explainer("B", topics="[Climate]", draft="true"),  # a draft's topic counts
                      "content/topics.yaml": "Syira: {ar: سوريا}\nClimate: {ar: المناخ, tr: İklim}\n"})
    result = run_build(root)
    assert result.ok
    found = [(d.line, d.severity, d.message, d.hint) for d in result.diagnostics if d.path == "content/topics.yaml"]
    assert found == [
        (1, "warning", "no explainer is filed under the topic 'Syira'", "did you mean 'Syria'?"),
        (2, "warning", "no explainer is in tr, the language of a name of 'Climate'", "its name shows once one is"),
    ]
