"""Fingerprints: a theme that asks for them gets its static files under content-hashed names as well."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import SITE_YAML, explainer, parse, run_build, snapshot

from generator.outputs.fingerprints import fingerprint_patterns, fingerprint_static, fingerprinted_name


def test_names_change_with_the_bytes_and_keep_the_suffix():
    first = fingerprinted_name("static/css/style.css", b"a{}")
    assert first.startswith("static/css/style.") and first.endswith(".css") and first != "static/css/style.css"
    assert fingerprinted_name("static/css/style.css", b"a{color:red}") != first
    assert fingerprinted_name("static/css/style.css", b"a{}") == first


def test_the_first_theme_that_says_decides(tmp_path):
    child, parent = tmp_path / "child", tmp_path / "parent"
    child.mkdir()
    parent.mkdir()
    (child / "theme.yaml").write_text("extends: parent\n")
    (parent / "theme.yaml").write_text("fingerprint: [css/*.css]\n")
    assert fingerprint_patterns([child, parent]) == ("css/*.css",)
    (child / "theme.yaml").write_text("extends: parent\nfingerprint: true\n")
    assert fingerprint_patterns([child, parent]) == ("*",)
    assert fingerprint_patterns([tmp_path / "nothing"]) == ()


def test_only_matching_files_get_a_fingerprinted_copy(tmp_path):
    (tmp_path / "a.css").write_text("a{}")
    (tmp_path / "b.svg").write_text("<svg/>")
    files = {"static/css/a.css": tmp_path / "a.css", "static/b.svg": tmp_path / "b.svg"}
    copies, names = fingerprint_static(files, ("css/*",))
    assert list(names) == ["css/a.css"] and copies == {names["css/a.css"]: tmp_path / "a.css"}



def fingerprinting_site(make_site) -> Path:
    root = make_site({"content/a.md": explainer("A"), "content/b.md": explainer("B", date="2017-01-24"),
                      "themes/hashed/theme.yaml": "extends: default\nfingerprint: [css/*.css]\n",
                      "themes/hashed/static/css/style.css": "body { color: teal; }\n"},
                     SITE_YAML + "theme: hashed\n")
    assert run_build(root).ok
    return root


def test_pages_link_the_fingerprinted_stylesheet(make_site):
    root = fingerprinting_site(make_site)
    out = root / "output"
    href = parse(out / "a/index.html").find("link", rel="stylesheet")["href"]
    assert href.startswith("/static/css/style.") and href != "/static/css/style.css"
    assert (out / href.lstrip("/")).read_bytes() == b"body { color: teal; }\n"
    assert (out / "static/css/style.css").read_bytes() == b"body { color: teal; }\n"  # the plain name stays
    assert parse(out / "a/index.html").find("link", rel="icon")["href"] == "/static/favicon.svg"  # not asked for


def test_a_changed_stylesheet_gets_a_new_name_in_every_page(make_site, tmp_path):
    root = fingerprinting_site(make_site)
    before = parse(root / "output/a/index.html").find("link", rel="stylesheet")["href"]
    css = root / "themes/hashed/static/css/style.css"
    css.write_text("body { color: navy; }\n")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    result = run_build(root)
    assert result.ok and result.rendered == result.pages
    after = parse(root / "output/a/index.html").find("link", rel="stylesheet")["href"]
    assert after != before and not (root / "output" / before.lstrip("/")).exists()
    clean = tmp_path / "clean"
    assert run_build(root, output=clean, use_cache=False).ok
    assert snapshot(root / "output") == snapshot(clean)
    shutil.rmtree(clean)
