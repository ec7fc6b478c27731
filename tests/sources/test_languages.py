"""Languages: each edition's title, description and publisher from site.yaml's languages:, mistakes at their line."""

import pytest
from test_config import write


def test_languages_give_each_edition_its_title_description_and_publisher(tmp_path):
    config, found = write(tmp_path, "title: The Explainer\ndescription: News, explained.\n"
                                    "publisher: {name: Newsroom, url: https://example.org/}\n"
                                    "languages:\n  AR:\n    title: الشارح\n    publisher: {name: غرفة الأخبار}\n")
    assert found == []
    arabic = config.in_language("ar")
    assert (arabic.title, arabic.description, arabic.publisher.name, arabic.publisher.url) == (
        "الشارح", "News, explained.", "غرفة الأخبار", "https://example.org/")  # what it does not give is the site's
    assert [config.language_of(name, "ar") for name in ("title", "description", "publisher")] == ["ar", "en", "ar"]
    assert config.in_language("ar-EG").title == "الشارح" and config.in_language("tr") is config
    assert config.in_language("en").title == "The Explainer"


@pytest.mark.parametrize(("text", "line", "severity", "message", "hint"), [
    ("languages:\n  ra: {title: X}\n", 3, "error", "unknown language in 'languages': 'ra' is not a language tag",
     "did you mean 'ar'?"),
    ("languages:\n  arabic: {title: X}\n", 3, "error", "unknown language in 'languages': 'arabic' is not a "
     "language tag", "use a language tag such as ar, tr or pt-BR"),
    ("languages:\n  ar:\n    titel: X\n", 4, "error", "unknown setting 'titel' of 'languages.ar'",
     "did you mean 'title'?"),
    ("languages:\n  ar:\n    title: 2017\n", 4, "error", "'languages.ar.title' must be text, not 2017",
     'put the value in quotes: title: "..."'),
    ("languages:\n  ar:\n    publisher: غرفة\n", 4, "error", "'languages.ar.publisher' must be a mapping with the "
     "publisher's name", "publisher: {name: \"...\"} (its url and logo are the site's)"),
    ("languages: [ar]\n", 2, "error", "'languages' must be a mapping of language tag to title, description and "
     "publisher", None),
    ("languages:\n  en: {title: X}\n", 3, "warning", "'languages.en' is the site's own language", None),
])
def test_language_mistakes_are_reported_at_their_line(tmp_path, text, line, severity, message, hint):
    config, found = write(tmp_path, "title: T\n" + text)
    assert config is not None
    [problem] = found
    assert (problem.line, problem.severity, problem.message) == (line, severity, message)
    assert hint is None or problem.hint == hint
