"""Property-based tests: whatever front matter and body an editor writes, a build returns diagnostics or
pages, never an exception, and every page it writes is well-formed HTML."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import html5lib
import yaml
from conftest import NOW, SITE_YAML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine.build import BuildOptions, build
from generator.sources.frontmatter import CONTROL_CHARACTERS

FIELDS = ("title", "dek", "date", "updated", "authors", "topics", "hero", "slug", "summary", "draft", "lang",
          "description", "seo_title", "social_title", "social_image", "extra_key")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=40), st.dates(), st.datetimes(timezones=st.just(dt.UTC)))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(("image", "alt", "credit", "caption", "x")), inner, max_size=3), max_leaves=6)
front_matter = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
markdown_bits = st.sampled_from(["## ", "# ", "\n", "\n\n", "- ", "1. ", "> ", "**", "*", "`", "```\n", "[", "]",
                                 "(", ")", "![", "|", "---", "{#", "}", "[^1]", "[^1]: ", "<", ">", "&", '"', "'",
                                 "<div>", "</div>", "<b>", "ما هي؟", "Türkiye", "x", "What?", " ", "\t", "    "])
bodies = st.lists(markdown_bits, max_size=40).map("".join)
PARSER = html5lib.HTMLParser(strict=True)  # any parse error raises


def build_once(files: dict[str, str]):
    root = Path(tempfile.mkdtemp(prefix="nutgraf-prop-"))
    try:
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        (root / "content").mkdir()
        for name, text in files.items():
            (root / "content" / name).write_text(text, encoding="utf-8")
        result = build(BuildOptions(root, now=NOW, jobs=1, use_cache=False))
        pages = {p: p.read_text(encoding="utf-8") for p in (root / "output").rglob("*.html")} if result.ok else {}
        return result, pages
    finally:
        shutil.rmtree(root)


def check_pages(pages: dict) -> None:
    for path, html in pages.items():
        assert html.startswith("<!doctype html>") or html.startswith("<!DOCTYPE html>"), path
        document = PARSER.parse(html)
        assert document.find("{http://www.w3.org/1999/xhtml}body") is not None, path
        assert html.rstrip().endswith("</html>"), path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter, bodies)
def test_any_front_matter_gives_diagnostics_or_pages(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    result, pages = build_once({"a.md": text, "b.md": '---\ntitle: "B"\ndate: 2020-01-01\n---\n## Q?\n\nA.\n'})
    assert all(d.path and d.message for d in result.diagnostics)
    check_pages(pages)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies, st.text(max_size=60))
def test_any_body_and_title_render_to_well_formed_pages(body, title):
    text = "---\n" + yaml.safe_dump({"title": title, "date": dt.date(2020, 1, 1)}, allow_unicode=True) + "---\n" + body
    result, pages = build_once({"a.md": text})
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert all(d.path == "content/a.md" and d.line for d in errors), errors  # the file and line to fix
    if CONTROL_CHARACTERS.sub("", title).strip() and "<" not in body:  # no title, raw HTML: may be refused
        assert result.ok, [d.format() for d in result.diagnostics]
        assert "a/index.html" in {p.relative_to(p.parents[1]).as_posix() for p in pages if p.parent.name == "a"}
    check_pages(pages)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_in_a_markdown_file_are_handled(data):
    root = Path(tempfile.mkdtemp(prefix="nutgraf-prop-"))
    try:
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        (root / "content").mkdir()
        (root / "content/a.md").write_bytes(data)
        result = build(BuildOptions(root, now=NOW, jobs=1, use_cache=False))
        assert result.ok or any(d.path == "content/a.md" for d in result.diagnostics)
    finally:
        shutil.rmtree(root)
