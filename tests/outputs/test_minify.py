"""Minify: the theme's CSS and JavaScript published smaller, and minified HTML that keeps the page."""

from __future__ import annotations

from conftest import explainer, parse, run_build


def test_theme_css_and_js_are_published_minified(make_site):
    root = make_site({"content/a.md": explainer("A")})
    assert run_build(root).ok
    out = root / "output"
    css = out / parse(out / "a/index.html").find("link", rel="stylesheet")["href"].lstrip("/")
    js = out / parse(out / "search/index.html").find("script", src=True)["src"].lstrip("/")
    assert css.stat().st_size < (out / "static/css/style.css").stat().st_size
    assert js.stat().st_size < (out / "static/js/search.js").stat().st_size
    assert b"/*" not in css.read_bytes() and b"\n  " not in css.read_bytes()


def test_minified_html_keeps_the_page(make_site):
    root = make_site({"content/a.md": explainer("A")}, None)
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nminify_html: true\n")
    assert run_build(root).ok
    html = (root / "output/a/index.html").read_text()
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    assert "\n  " not in html and "</body>" in html and parse(root / "output/a/index.html").h1.get_text()
