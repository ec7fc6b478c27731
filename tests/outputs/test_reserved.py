"""Reserved outputs: no content file and no alias takes a file that nutgraf makes beside the pages."""

from __future__ import annotations

import pytest
from conftest import explainer, messages, run_build, snapshot

from generator.outputs.reserved import reserved_outputs
from generator.site.pages import FEED_FORMATS

MADE = ["_headers", "_redirects", "robots.txt", "feed.xml", "rss.xml", "feed.json", "sitemap.xml", "sitemap-3.xml",
        "news-sitemap.xml", "topics/economy/feed.xml", "topics/economy/rss.xml", "feed.xml/cover.png"]


@pytest.mark.parametrize("rel", MADE)
def test_a_content_file_in_place_of_a_made_file_is_an_error_naming_it(make_site, rel):
    root = make_site({"content/a.md": explainer("A", topics="[Economy]"), f"content/{rel}": "mine\n"})
    result = run_build(root)
    assert not result.ok
    [found] = [d for d in result.diagnostics if d.severity.name == "ERROR"]
    assert found.path == f"content/{rel}" and "which nutgraf makes" in found.message and found.hint
    assert not (root / "output").exists()


@pytest.mark.parametrize("rel", ["404.html", "index.html"])
def test_a_content_file_in_place_of_a_page_nutgraf_makes_names_the_file(make_site, rel):
    root = make_site({"content/a.md": explainer("A"), f"content/{rel}": "<p>mine</p>\n"})
    result = run_build(root)
    [found] = [d for d in result.diagnostics if d.severity.name == "ERROR"]
    assert found.path == f"content/{rel}" and "would overwrite" not in found.message and found.hint


@pytest.mark.parametrize("rel", ["ar/index.html", "ar/feed.xml", "ar/feed.json", "ar/robots.txt", "tr/_headers",
                                 "topics/syria/feed.xml"])
def test_each_edition_reserves_the_same_names(copy_site, rel):
    root = copy_site("multilingual")
    (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / "content" / rel).write_text("mine\n", encoding="utf-8")
    (root / "content/astana-talks.md").write_text(
        (root / "content/astana-talks.md").read_text(encoding="utf-8").replace("topics: [", "topics: [Syria, "),
        encoding="utf-8")
    result = run_build(root)
    assert [d.path for d in result.diagnostics if d.severity.name == "ERROR"] == [f"content/{rel}"], messages(result)


@pytest.mark.parametrize("alias", ["/_headers", "/_redirects", "/feed.xml", "/robots.txt", "/sitemap-2.xml",
                                   "/topics/economy/feed.json", "/.nutgraf-output", "/.git/config"])
def test_an_alias_in_place_of_a_made_file_is_an_error_at_its_line_and_nothing_is_written(make_site, alias):
    root = make_site({"content/a.md": explainer("A", topics="[Economy]"), "content/b.md": explainer("B")})
    assert run_build(root).ok
    before = snapshot(root / "output")
    (root / "content/b.md").write_text(explainer("B", aliases=f'["/old-b/", "{alias}"]'), encoding="utf-8")
    result = run_build(root)
    [found] = [d for d in result.diagnostics if d.severity.name == "ERROR"]
    assert (found.path, found.line) == ("content/b.md", 3) and alias.split("/")[1] in found.message
    assert found.hint
    assert snapshot(root / "output") == before


def test_a_fresh_build_with_an_alias_of_headers_writes_nothing(make_site):
    root = make_site({"content/a.md": explainer("A", aliases='["/_headers"]')})
    result = run_build(root)
    assert not result.ok and "_headers" in messages(result)[0]
    assert not (root / "output").exists()


def test_the_reserved_files_are_the_made_ones_in_every_edition():
    reserved = reserved_outputs(["", "/ar"], ["/", "/ar/", "/topics/x/"])
    for rel in ("_headers", "ar/_headers", "ar/feed.json", "topics/x/rss.xml", "sitemap-12.xml", ".nutgraf-output"):
        assert reserved.clash(rel) == rel, rel
    assert reserved.clash("feed.xml/x.png") == "feed.xml"  # a folder in place of the file
    assert reserved.clash("topics") in {f"topics/x/{f.name}" for f in FEED_FORMATS}  # a file in place of a folder
    for rel in ("about/feed.xml", "headers", "tr/_headers", "robots.txt.bak", "images/sitemap-1.xml"):
        assert reserved.clash(rel) is None, rel
