"""Theme lookup: site templates/ over the theme, the theme over its parents, `default:` for the original."""

import pytest
from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, snapshot, touch_later

from generator.outputs.themes import builtin_themes_dir, human_date, load_theme
from generator.sources.config import load_config

SITE_YAML_WITH_THEME = SITE_YAML + "theme: mine\n"


def test_lookup_order_site_then_child_then_default(copy_site):
    root = copy_site("theme-override")
    result = run_build(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    out = root / "output"
    home = parse(out / "index.html")
    assert home.find(id="site-override").get_text() == "Site list override"
    assert home.find("h2") is not None  # super() still renders the default list
    not_found = parse(out / "404.html")
    assert not_found.find(id="child-404") is not None
    assert not_found.find("h1") is not None  # the default 404 via default:404.html
    assert (out / "static/css/extra.css").read_text().strip() == ".child { color: teal; }"
    assert (out / "static/css/style.css").exists()  # inherited from the parent theme
    article = parse(out / "first-question/index.html")  # not overridden anywhere: the default
    assert article.find("nav", attrs={"aria-label": "In this explainer"}) is not None


def test_theme_chain_ends_with_builtin_default(copy_site):
    root = copy_site("theme-override")
    config, _ = load_config(root)
    theme, found = load_theme(config)
    assert found == []
    assert [f.name for f in theme.folders] == ["child", "default"]
    assert theme.folders[-1] == builtin_themes_dir() / "default"


def test_unknown_theme_and_loops_are_errors(make_site):
    root = make_site({"content/a.md": explainer("A")}, "title: T\ntheme: nope\n")
    result = run_build(root)
    assert "theme 'nope' not found" in result.diagnostics[0].message
    root = make_site({"themes/a/theme.yaml": "extends: b\n", "themes/b/theme.yaml": "extends: a\n"},
                     "title: T\ntheme: a\n")
    assert "loop" in run_build(root).diagnostics[0].message


def test_theme_strings_are_translated_and_sites_can_add_their_own(make_site):
    root = make_site({"content/a.md": explainer("A", lang="ar", updated="2017-02-01"),
                      "i18n/ar.yaml": '"In this explainer": "في هذا الشرح"\n'})
    assert run_build(root).ok
    page = parse(root / "output/a/index.html")
    assert page.find("html")["dir"] == "rtl"
    assert page.find("nav", attrs={"aria-label": "في هذا الشرح"}) is not None


def test_site_strings_keep_their_language_and_direction_on_a_page_in_another(make_site):
    # An English bio or site description on an Arabic page: read with an English voice, full stop on the right.
    root = make_site({"content/a.md": explainer("A", lang="ar", authors="[ann]")})
    assert run_build(root).ok
    page = parse(root / "output/a/index.html")
    for element in (page.find(class_="author-bio__text"), page.find(class_="site-footer__description").span):
        assert (element["lang"], element["dir"]) == ("en", "auto")


def test_human_dates_follow_the_language_and_keep_the_written_zone():
    import datetime as dt
    value = dt.datetime.fromisoformat("2017-01-24T01:30:00+06:00")  # still Jan 24 in Astana
    assert human_date(value, "en") == "Jan 24, 2017"
    assert human_date(value, "tr") == "24 Oca 2017"
    assert "يناير" in human_date(value, "ar")
    assert human_date(value, "xx-unknown") == "Jan 24, 2017"


def test_partials_shown_once_are_the_same_when_the_process_keeps_few(copy_site, tmp_path, monkeypatch):
    """Kept partials are dropped oldest first past SHOWN_ONCE_KEPT; a dropped one is rendered again, alike."""
    root = copy_site("multilingual")
    assert run_build(root, output=tmp_path / "kept-all", use_cache=False).ok
    monkeypatch.setattr("generator.outputs.themes.SHOWN_ONCE_KEPT", 1)
    assert run_build(root, output=tmp_path / "kept-one", use_cache=False).ok
    assert snapshot(tmp_path / "kept-one") == snapshot(tmp_path / "kept-all")


def test_url_quotes_anchors_like_pages_and_memoizes_only_pages(copy_site):
    """A question's anchor is quoted as part of its href, under the deploy sub-path, but kept out of the memo:
    a list of questions links each anchor once, and at 100,000 explainers they filled it."""
    from urllib.parse import unquote

    from generator.outputs.themes import make_environment
    from generator.site.pages import _quoted

    config, _ = load_config(copy_site("theme-override"), base_url="https://example.org/news/")
    env = make_environment(load_theme(config)[0], config)
    url = env.globals["url"]
    _quoted.cache_clear()
    href = url("/الانتخابات/#لماذا-الآن؟ ok")
    assert href.startswith("/news/%D8%A7%D9%84") and "#%D9%84" in href and " " not in href
    assert unquote(href) == "/news/الانتخابات/#لماذا-الآن؟ ok"
    assert [url(f"/a b/#q{n}") for n in (1, 2)] == ["/news/a%20b/#q1", "/news/a%20b/#q2"]
    assert url("/a b/") == "/news/a%20b/"
    assert _quoted.cache_info().currsize == 2  # the two pages; never an anchor


def _dateline(root, slug="a"):
    return parse(root / f"output/{slug}/index.html").find("p", class_="dateline").get_text(" ", strip=True)


def test_site_strings_override_the_theme_and_the_theme_the_default(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", updated="2017-02-01"),
                      "themes/mine/theme.yaml": "extends: default\n",
                      "themes/mine/i18n/en.yaml": '"Published": "Out"\n"Updated": "Changed"\n',
                      "i18n/en.yaml": '"Published": "Posted"\n'}, SITE_YAML_WITH_THEME)
    result = run_build(root)
    assert result.ok, messages(result)
    assert _dateline(root).split() == ["Posted", "Jan", "23,", "2017", "Changed", "Feb", "1,", "2017"]
    (root / "i18n/en.yaml").write_text('"Published": "First posted"\n', encoding="utf-8")
    touch_later(root / "i18n/en.yaml")
    assert run_build(root).ok
    assert _dateline(root).startswith("First posted")
    assert_equals_clean_build(root, tmp_path)


def test_a_language_without_strings_is_a_warning_naming_the_file_to_add(make_site):
    root = make_site({"content/a.md": explainer("A", lang="fr"), "content/b.md": explainer("B", lang="fr"),
                      "content/c.md": explainer("C", lang="ar")})
    result = run_build(root)
    assert result.ok, messages(result)
    missing = [d for d in result.diagnostics if "UI strings" in d.message]
    assert [(d.severity, d.path, d.line) for d in missing] == [("warning", "content/a.md", 3)]
    assert "'fr'" in missing[0].message and "i18n/fr.yaml" in missing[0].hint
    root = make_site({"i18n/fr.yaml": '"Published": "Publié"\n'})
    result = run_build(root)
    assert not [d for d in result.diagnostics if "UI strings" in d.message], messages(result)
    assert _dateline(root).startswith("Publié")


def test_the_site_language_without_strings_is_a_warning_at_site_yaml(make_site):
    result = run_build(make_site({"content/a.md": explainer("A")}, SITE_YAML.replace("language: en", "language: de")))
    missing = [d for d in result.diagnostics if "UI strings" in d.message]
    assert [(d.severity, d.path, d.line) for d in missing] == [("warning", "site.yaml", 4)]
    assert "i18n/de.yaml" in missing[0].hint


@pytest.mark.parametrize(("text", "line", "message"), [
    ('"Published": "Posted"\n"Updated" "Changed"\n', 2, "invalid YAML"),
    ('- Published\n', 1, "must be a mapping of English string to translation"),
    ('"Published": "Posted"\n"Updated": [Changed]\n', 2, "the translation of 'Updated' must be text"),
])
def test_a_malformed_strings_file_is_an_error_with_its_line(make_site, text, line, message):
    root = make_site({"content/a.md": explainer("A"), "i18n/en.yaml": text})
    result = run_build(root)
    assert not result.ok
    found = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.path, d.line) for d in found] == [("i18n/en.yaml", line)] and message in found[0].message
    assert not (root / "output").exists()


def test_the_site_static_folder_is_published_over_the_theme_files(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A"), "static/favicon.svg": "<svg>site</svg>",
                      "static/files/report.pdf": b"%PDF-1.4 site"})
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    assert (out / "static/favicon.svg").read_text(encoding="utf-8") == "<svg>site</svg>"
    assert (out / "static/files/report.pdf").read_bytes() == b"%PDF-1.4 site"
    assert (out / "static/css/style.css").is_file()  # the theme's others are still there
    (root / "static/files/report.pdf").write_bytes(b"%PDF-1.4 edited")
    touch_later(root / "static/files/report.pdf")
    (root / "static/favicon.svg").unlink()
    assert run_build(root).ok
    assert (out / "static/files/report.pdf").read_bytes() == b"%PDF-1.4 edited"
    default_favicon = builtin_themes_dir() / "default/static/favicon.svg"
    assert (out / "static/favicon.svg").read_bytes() == default_favicon.read_bytes()
    assert_equals_clean_build(root, tmp_path)


def test_a_parent_theme_is_a_name_not_a_path(make_site, tmp_path):
    (tmp_path / "elsewhere/templates").mkdir(parents=True)
    root = make_site({"content/a.md": explainer("A"), "themes/child/theme.yaml": "extends: ../../elsewhere\n"},
                     "title: T\ntheme: child\n")
    result = run_build(root)
    [problem] = result.diagnostics
    assert problem.path.endswith("themes/child/theme.yaml") and problem.line == 1
    assert "'extends' must be the name of a folder in themes/" in problem.message
