"""Hosting: _headers gives fingerprinted assets immutable caching, pages and feeds revalidation, security headers."""

from __future__ import annotations

from conftest import explainer, parse, run_build

from generator.outputs.hosting import IMMUTABLE, REVALIDATE, SHORT


def rules(text: str) -> dict[str, dict[str, str]]:
    """_headers as {path: {header: value}}."""
    found: dict[str, dict[str, str]] = {}
    current = ""
    for line in text.splitlines():
        if line and not line.startswith(" "):
            current = line
            found.setdefault(current, {})
        elif line.strip():
            name, _, value = line.strip().partition(": ")
            found[current][name] = value
    return found


def test_headers_cache_fingerprinted_assets_forever_and_pages_briefly(make_site):
    root = make_site({"content/a.md": explainer("A")})
    assert run_build(root).ok
    out = root / "output"
    css = parse(out / "a/index.html").find("link", rel="stylesheet")["href"]
    assert css.startswith("/static/css/style.") and (out / css.lstrip("/")).is_file()
    table = rules((out / "_headers").read_text())
    assert table[css] == {"Cache-Control": IMMUTABLE}
    assert table["/a/"] == {"Cache-Control": REVALIDATE}
    assert table["/feed.xml"] == {"Cache-Control": SHORT}
    every = table["/*"]
    assert "Cache-Control" not in every  # hosts join overlapping values
    csp = every["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
    assert every["X-Content-Type-Options"] == "nosniff" and every["Referrer-Policy"]
    assert every["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors" not in csp  # embeds: test_card_pages
    assert "camera=()" in every["Permissions-Policy"]


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
