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


