"""Aliases: old paths of an explainer become redirect pages and _redirects lines; collisions are errors."""

from __future__ import annotations

import shutil

from conftest import explainer, messages, parse, run_build, snapshot

from generator.sources.aliases import normalize_alias


def test_aliases_are_normalised_to_site_paths():
    assert normalize_alias("old-slug") == "/old-slug/"
    assert normalize_alias("/2017/01/old.html") == "/2017/01/old.html"
    assert normalize_alias("/x/index.html") == "/x/"
    assert normalize_alias("https://other.example/x/") is None
    assert normalize_alias("/../etc/") is None


def test_an_alias_gets_a_redirect_page_and_a_redirects_line(make_site):
    root = make_site({"content/new.md": explainer("New name", aliases='["/old-name/", "/2017/old.html"]')})
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/old-name/index.html")
    assert page.find("link", rel="canonical")["href"] == "https://example.org/new/"
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/new/"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert (root / "output/2017/old.html").is_file()
    lines = (root / "output/_redirects").read_text().splitlines()
    assert lines == ["/old-name/ /new/ 301", "/2017/old.html /new/ 301"]
    assert "old-name" not in (root / "output/sitemap.xml").read_text()


def test_an_alias_naming_a_live_page_is_an_error_with_its_line(make_site):
    root = make_site({"content/a.md": explainer("A", aliases='["/b/"]'), "content/b.md": explainer("B")})
    result = run_build(root)
    assert not result.ok
    [found] = [d for d in result.diagnostics if "alias" in d.message]
    assert found.path == "content/a.md" and found.line == 3 and "live page" in found.message
    assert not (root / "output").exists()


def test_changing_an_alias_rebuilds_like_a_clean_build(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", aliases='["/old-a/"]'), "content/b.md": explainer("B")})
    assert run_build(root).ok
    (root / "content/a.md").write_text(explainer("A", aliases='["/older-a/"]'), encoding="utf-8")
    result = run_build(root)
    assert result.ok and (root / "output/older-a/index.html").is_file()
    assert not (root / "output/old-a/index.html").exists()
    clean = tmp_path / "clean"
    assert run_build(root, output=clean, use_cache=False).ok
    assert snapshot(root / "output") == snapshot(clean)
    shutil.rmtree(clean)
