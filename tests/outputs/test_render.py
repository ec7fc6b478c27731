"""Render: pages through the theme's templates, with front matter reaching them and template errors at their line."""

from conftest import explainer, messages, run_build


def test_extra_front_matter_reaches_templates(make_site):
    root = make_site({"content/a.md": explainer("A", kicker='"Analysis"'),
                      "templates/explainer.html": "{{ explainer.extra.kicker }}|{{ page.title }}"})
    assert run_build(root).ok
    assert (root / "output/a/index.html").read_text() == "Analysis|A"


def test_template_errors_name_the_template_and_line(make_site):
    root = make_site({"content/a.md": explainer("A"),
                      "templates/explainer.html": "line one\n{{ explainer.no_such_field }}\n"})
    result = run_build(root)
    assert not result.ok
    assert any(d.path.endswith("explainer.html") and d.line == 2 for d in result.diagnostics), messages(result)
