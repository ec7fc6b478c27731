"""Search: Pagefind run for real over the built pages; its index read back, kept in output/ by output's rules."""

import gzip
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import SITE_YAML, SITES, explainer, messages, parse, run_build

from generator.outputs import pagefind_files
from generator.outputs.pagefind_files import make_reproducible
from generator.outputs.search import INDEX_DIR, SearchRefresher, pagefind_executable

ARABIC_BODY_WORD = "كازاخستان"  # in the Arabic translation's lede only
ARABIC_QUESTION = "من يجلس إلى الطاولة؟"


@pytest.fixture
def multilingual(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SITES / "multilingual", root, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    return root


def fragments(out: Path) -> dict[str, dict]:
    """Every page Pagefind indexed, by URL: its text, filters, metadata and anchors (its sub-results)."""
    pages = {}
    for path in (out / INDEX_DIR / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        data = json.loads(raw[len(b"pagefind_dcd"):])
        pages[data["url"]] = data
    return pages


def test_pagefind_indexes_each_language_with_questions_filters_and_only_the_article(multilingual):
    result = run_build(multilingual)
    assert result.ok, messages(result)
    out = multilingual / "output"
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: v["page_count"] for lang, v in entry["languages"].items()} == {"ar": 1, "en": 2, "tr": 1}
    pages = fragments(out)
    assert set(pages) == {"/astana-talks/", "/astana-talks-ar/", "/astana-talks-tr/", "/leap-seconds/"}
    arabic = pages["/astana-talks-ar/"]
    assert ARABIC_BODY_WORD in arabic["content"]
    assert arabic["content"].startswith("محادثات السلام السورية في أستانا")  # the headline, then the dek
    assert "جمعت روسيا وتركيا" in arabic["content"]
    assert "أرسلت فصائل المعارضة" not in arabic["content"]  # key points are not indexed
    assert "Lena Moreau" not in arabic["content"] and "في هذا الشرح" not in arabic["content"]
    assert [(a["id"], a["text"]) for a in arabic["anchors"]] == [
        ("من-يجلس-إلى-الطاولة", ARABIC_QUESTION), ("ماذا-تريد-روسيا", "ماذا تريد روسيا؟"),
        ("ماذا-تريد-روسيا-2", "ماذا تريد روسيا؟")]
    assert arabic["filters"] == {"author": ["Lena Moreau"], "topic": ["سوريا", "دبلوماسية"]}
    assert arabic["meta"]["title"] == "محادثات السلام السورية في أستانا: ماذا بعد؟"
    assert "يناير" in arabic["meta"]["date"]
    # Only explainers are indexed: list, search and 404 pages are not.
    assert all("topics" not in url and "search" not in url for url in pages)


def test_the_search_pages_are_per_language_and_load_pagefind_from_its_folder_without_inline_script(multilingual):
    assert run_build(multilingual).ok
    out = multilingual / "output"
    for prefix, lang, direction in (("", "en", "ltr"), ("ar/", "ar", "rtl"), ("tr/", "tr", "ltr")):
        soup = parse(out / prefix / "search/index.html")
        assert (soup.html["lang"], soup.html["dir"]) == (lang, direction)
        box = soup.find(attrs={"data-search": True})
        assert box["data-bundle"] == "/pagefind/pagefind.js" and (out / "pagefind/pagefind.js").is_file()
        form = soup.find("form", class_="search-form")
        assert form["role"] == "search" and form["action"] == f"/{prefix}search/" and form["method"] == "get"
        field = form.find("input", attrs={"name": "q"})
        assert soup.find("label", attrs={"for": field["id"]}) is not None and field["type"] == "search"
        assert [re.sub(r"\.[0-9a-f]{10}\.js$", ".js", s.get("src")) for s in soup.find_all("script")] == [
                "/static/js/search.js"]  # no inline script; the theme fingerprints it
        assert soup.find("noscript") is not None
        assert soup.find("form", class_="site-search") is None  # no second search box on the search page
    ar = parse(out / "ar/search/index.html")
    assert ar.find("h1").get_text() == "بحث" and ar.title.get_text() == "بحث | Multilingual Explainers"
    assert ar.find("select", id="search-topic").option.get_text() == "كل المواضيع"
    assert {link["hreflang"] for link in ar.find_all("link", hreflang=True)} == {"en", "ar", "tr", "x-default"}


def test_every_page_has_a_labelled_search_box_for_its_language(multilingual):
    assert run_build(multilingual).ok
    out = multilingual / "output"
    for rel, action in (("astana-talks/index.html", "/search/"), ("astana-talks-ar/index.html", "/ar/search/"),
                        ("index.html", "/search/"), ("tr/index.html", "/tr/search/"), ("404.html", "/search/")):
        form = parse(out / rel).find("form", class_="site-search")
        assert form is not None and form["action"] == action, rel
        label = form.find("label", attrs={"for": form.input["id"]})
        assert label.get_text(strip=True) and form.button["type"] == "submit"


def test_search_false_leaves_out_the_index_pages_and_box_and_removes_an_old_index(multilingual):
    assert run_build(multilingual).ok
    out = multilingual / "output"
    assert (out / INDEX_DIR / "pagefind-entry.json").is_file()
    (multilingual / "site.yaml").write_text((multilingual / "site.yaml").read_text(encoding="utf-8")
                                            + "search: false\n", encoding="utf-8")
    result = run_build(multilingual)
    assert result.ok and result.removed > 10
    assert not (out / INDEX_DIR).exists() and not (out / "search").exists() and not (out / "ar/search").exists()
    assert parse(out / "astana-talks/index.html").find("form", class_="site-search") is None


def test_drafts_and_scheduled_explainers_are_searchable_only_in_a_preview(make_site):
    root = make_site({"content/a.md": explainer("Published", "## Why?\n\nBecause.\n"),
                      "content/d.md": explainer("Embargoed", "## Why?\n\nZanzibarword.\n", draft="true"),
                      "content/f.md": explainer("Later", "## Why?\n\nQuokkaword.\n", date="2030-01-01")})
    out = root / "output"
    assert run_build(root).ok
    assert set(fragments(out)) == {"/a/"}
    assert run_build(root, drafts=True, future=True).ok
    assert set(fragments(out)) == {"/a/", "/d/", "/f/"}
    assert run_build(root).ok  # the normal build after a preview takes them out of the index again
    assert set(fragments(out)) == {"/a/"}


def test_a_card_is_indexed_once_at_its_own_page(make_site):
    card = "---\ntitle: What is the Astana process?\ndate: 2017-01-20\n---\nTalks between Russia and Turkey.\n"
    body = "## {card=astana-process}\n\n## What next?\n\nMore.\n"
    root = make_site({"content/cards/astana-process.md": card, "content/a.md": explainer("A", body),
                      "content/b.md": explainer("B", body)})
    assert run_build(root).ok
    pages = fragments(root / "output")
    assert set(pages) == {"/a/", "/b/", "/cards/astana-process/"}  # not the embed
    assert [url for url, page in pages.items() if "Talks between Russia" in page["content"]] == [
        "/cards/astana-process/"]
    assert "What next?" in pages["/a/"]["content"]  # the explainer's own questions are indexed as before


def test_search_must_be_true_or_false(make_site):
    result = run_build(make_site({"content/a.md": explainer("A")}, "title: T\nsearch: sometimes\n"))
    assert not result.ok and "'search' must be true or false" in "\n".join(messages(result))


def test_an_unchanged_rebuild_keeps_the_index_and_an_edit_refreshes_it(multilingual):
    assert run_build(multilingual).ok
    out = multilingual / "output"
    index = {p: p.read_bytes() for p in (out / INDEX_DIR).rglob("*") if p.is_file()}
    (multilingual / "static-touch").write_text("x")  # not an input: nothing to do
    again = run_build(multilingual)
    assert again.ok and again.written == 0
    path = multilingual / "content/astana-talks-ar.md"
    path.write_text(path.read_text(encoding="utf-8").replace("كازاخستان", "قازاقستان"), encoding="utf-8")
    assert run_build(multilingual).ok
    assert "قازاقستان" in fragments(out)["/astana-talks-ar/"]["content"]
    assert index != {p: p.read_bytes() for p in (out / INDEX_DIR).rglob("*") if p.is_file()}


def test_pages_and_assets_may_not_use_the_index_folder(make_site):
    result = run_build(make_site({"content/pagefind.md": explainer("Clash"), "content/pagefind/x.txt": "x"}))
    found = "\n".join(messages(result))
    assert not result.ok and "inside pagefind/, the search index's folder" in found and "content/pagefind.md" in found


def test_pagefind_files_are_rewritten_the_same_whatever_order_pagefind_chose(tmp_path):
    """Pagefind writes filter values in hash-map order; sorted, two runs give the same bytes."""
    if pagefind_executable() is None:
        pytest.skip("Pagefind is not installed")
    site = tmp_path / "site"
    for i in range(24):
        page = site / f"p{i}/index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="en"><body><article data-pagefind-body><h1>T{i}</h1><p>w{i}</p>'
                        f'<a data-pagefind-filter="topic">Topic {i % 7}</a>'
                        f'<a data-pagefind-filter="author">Author {i % 5}</a></article></body></html>')
    import subprocess
    runs = []
    for n in range(3):
        folder = tmp_path / f"index{n}"
        subprocess.run([str(pagefind_executable()), "--site", str(site), "--output-path", str(folder), "--silent"],
                       check=True)
        assert make_reproducible(folder) is None
        runs.append({p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    assert runs[0] == runs[1] == runs[2]


def test_an_index_in_an_unknown_format_is_written_as_pagefind_made_it_with_a_warning(multilingual, monkeypatch):
    monkeypatch.setattr(pagefind_files, "SIGNATURE", b"pagefind_v99")  # as if Pagefind had changed its format
    result = run_build(multilingual)
    assert result.ok and "/astana-talks/" in fragments(multilingual / "output")
    found = [d for d in result.diagnostics if "byte-for-byte reproducible" in d.message]
    assert len(found) == 1 and found[0].severity == "warning" and "signature" in found[0].message


def test_make_reproducible_leaves_files_it_does_not_understand_alone(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text('{"version": "9", "languages": {"en": {"hash": "en_1"}}}')
    (tmp_path / "pagefind.en_1.pf_meta").write_bytes(b"not gzip")
    assert "not gzipped" in make_reproducible(tmp_path)
    assert (tmp_path / "pagefind.en_1.pf_meta").read_bytes() == b"not gzip"


def test_the_refresher_writes_the_index_after_a_pause_and_once_for_a_burst(multilingual):
    assert run_build(multilingual).ok
    out = multilingual / "output"
    shutil.rmtree(out / INDEX_DIR)
    lock = threading.Lock()
    refresher = SearchRefresher(out, lock, delay=0.3)
    try:
        for _ in range(5):
            refresher.request()
        with lock:  # a build holding the lock delays the write, never the other way round
            assert not (out / INDEX_DIR).exists()
    finally:
        refresher.close()
    assert refresher.refreshed == 1 and "/astana-talks-ar/" in fragments(out)


def two_authors_site(make_site):
    """Ann's explainer and Bob's, on one topic, so that each page shows the other among its related cards."""
    site_yaml = SITE_YAML + "  bob:\n    name: Bob Reporter\n    url: https://example.org/bob/\n    bio: Reports.\n"
    return make_site({"content/a.md": explainer("Alpha", "## Why?\n\nAardvarks.\n", topics="[Syria]", authors="[ann]"),
                      "content/b.md": explainer("Beta", "## Why?\n\nBadgers.\n", topics="[Syria, Iraq]",
                                                authors="[bob]")}, site_yaml)


def test_filters_count_only_the_explainer_itself_not_its_related_cards(make_site):
    root = two_authors_site(make_site)
    assert run_build(root).ok
    page = parse(root / "output/a/index.html")
    assert page.find(class_="related").find(string="Bob Reporter") is not None  # Bob's card is shown
    pages = fragments(root / "output")
    assert pages["/a/"]["filters"] == {"author": ["Ann Writer"], "topic": ["Syria"]}
    assert pages["/b/"]["filters"] == {"author": ["Bob Reporter"], "topic": ["Syria", "Iraq"]}
