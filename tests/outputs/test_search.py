"""Search: Pagefind run for real over the built pages; its index read back, kept in output/ by output's rules."""

import gzip
import json
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import SITE_YAML, SITES, assert_equals_clean_build, edit_text, explainer, messages, parse, run_build

from generator.outputs import pagefind_files, search_index
from generator.outputs.pagefind_files import make_reproducible
from generator.outputs.search import INDEX_DIR, SearchRefresher, pagefind_executable
from generator.outputs.search_shards import PageFacts, indexed_digest, newest_first, plan_shards

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
    for path in (out / INDEX_DIR).glob("*/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        data = json.loads(raw[len(b"pagefind_dcd"):])
        pages[data["url"]] = data
    return pages


def test_pagefind_indexes_each_language_with_questions_filters_and_only_the_article(multilingual):
    result = run_build(multilingual)
    assert result.ok, messages(result)
    out = multilingual / "output"
    counts: dict[str, int] = {}
    for path in (out / INDEX_DIR).glob("*/pagefind-entry.json"):
        for lang, v in json.loads(path.read_text(encoding="utf-8"))["languages"].items():
            counts[lang] = counts.get(lang, 0) + v["page_count"]
    assert counts == {"ar": 1, "en": 2, "tr": 1}
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
    assert (out / INDEX_DIR / "shards.json").is_file()
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


def test_shards_go_by_year_and_a_full_year_splits_by_half_quarter_month_then_slices():
    def pages(*months):
        return {f"p{i}-{m}/index.html": PageFacts((0, i), f"d{i}", m) for i, m in enumerate(months)}

    plan = plan_shards({**pages("2016-01", "2017-03", "2017-11", ""), "x/index.html": PageFacts((0, 0), "", None)},
                       limit=2)
    assert plan == {"2016": ["p0-2016-01/index.html"], "2017": ["p1-2017-03/index.html", "p2-2017-11/index.html"],
                    "undated": ["p3-/index.html"]}  # a page without data-pagefind-body is in none
    year = pages("2018-01", "2018-02", "2018-02", "2018-05", "2018-08", "2018-09")
    assert {name: len(rels) for name, rels in plan_shards(year, limit=4).items()} == {"2018-h1": 4, "2018-h2": 2}
    assert {name: len(rels) for name, rels in plan_shards(year, limit=3).items()} == {
        "2018-q1": 3, "2018-q2": 1, "2018-h2": 2}
    assert {name: len(rels) for name, rels in plan_shards(year, limit=2).items()} == {
        "2018-01": 1, "2018-02": 2, "2018-q2": 1, "2018-h2": 2}
    month = pages(*["2019-04"] * 5)
    assert {name: len(rels) for name, rels in plan_shards(month, limit=2).items()} == {
        "2019-04-1": 2, "2019-04-2": 2, "2019-04-3": 1}
    assert newest_first(["2016", "undated", "2018-h1", "2018-h2"]) == ["2018-h2", "2018-h1", "2016", "undated"]
    cards = {f"cards/c{i}/index.html": PageFacts((0, i), f"c{i}", "2016-01") for i in range(3)}
    assert plan_shards({**pages("2016-01"), **cards}, limit=2) == {  # whatever their dates
        "2016": ["p0-2016-01/index.html"], "cards-1": ["cards/c0/index.html", "cards/c1/index.html"],
        "cards-2": ["cards/c2/index.html"]}


def test_a_card_answer_edit_indexes_again_only_the_cards_shard(make_site, shard_runs, tmp_path):
    card = "---\ntitle: What is the Astana process?\ndate: 2016-01-20\n---\nTalks in Astana.\n"
    files = {f"content/y{year}.md": explainer(f"Story of {year}", "## {card=astana}\n\n## Why?\n\nBecause.\n",
                                               date=f"{year}-03-01") for year in (2015, 2016, 2017)}
    root = make_site(files | {"content/cards/astana.md": card})
    assert run_build(root).ok
    assert sorted(shard_runs) == ["2015", "2016", "2017", "cards"]
    edit_text(root / "content/cards/astana.md", "Talks in Astana.", "Talks in Astana, Kazakhstan.")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["cards"]
    assert "Kazakhstan" in json.dumps(fragments(root / "output")["/cards/astana/"])


def test_the_indexed_digest_ignores_what_pagefind_does_not_read():
    page = ('<html lang="en"><body><nav>Menu</nav><article data-pagefind-body><h1>T</h1><article>inner</article>'
            '<p>Words</p></article><section class="related">{}</section></body></html>')
    digest = indexed_digest(page.format("Card A").encode())
    assert indexed_digest(page.format("Card B").encode()) == digest
    assert indexed_digest(page.replace("Words", "Other").format("Card A").encode()) != digest
    assert indexed_digest(page.replace('lang="en"', 'lang="tr"').format("Card A").encode()) != digest
    tagged = page.format('<a data-pagefind-filter="author">Ann</a>')
    assert indexed_digest(tagged.encode()) != indexed_digest(tagged.replace("Ann", "Bob").encode())



def test_the_indexed_digest_leaves_out_what_pagefind_ignores():
    """A card's answer shown in an explainer is searched at the card's own page: editing it stales no shard of
    the explainers that show it (their section is data-pagefind-ignore)."""
    page = ('<html lang="en"><body><main data-pagefind-body><h1>T</h1><p>{own}</p>'
            '<section class="question" data-card="c" data-pagefind-ignore=""><h2>Q?</h2><section><p>{card}</p>'
            '</section><img src="x.png" data-pagefind-ignore><span data-pagefind-meta="date">{date}</span>'
            '</section><p>After</p></main></body></html>')
    digest = indexed_digest(page.format(own="Words", card="Answer", date="2017").encode())
    assert indexed_digest(page.format(own="Words", card="Another answer", date="2017").encode()) == digest
    assert indexed_digest(page.format(own="Other words", card="Answer", date="2017").encode()) != digest
    assert indexed_digest(page.format(own="Words", card="Answer", date="2018").encode()) != digest  # metadata
    assert indexed_digest(page.replace("After", "Later").format(own="Words", card="Answer", date="2017")
                          .encode()) != digest  # what follows the ignored section (and the img) still counts

@pytest.fixture
def shard_runs(monkeypatch):
    """The shards Pagefind indexes, in order, as the builds run it."""
    runs: list[str] = []
    original = search_index.index_pages

    def counted(executable, out, rels, dest, scratch):
        runs.append(dest.name)
        return original(executable, out, rels, dest, scratch)

    monkeypatch.setattr(search_index, "index_pages", counted)
    return runs


def archive(make_site) -> Path:
    """Explainers in three years, on one topic, so that each page shows the others among its related cards."""
    return make_site({f"content/y{year}.md": explainer(f"Story of {year}", f"## Why?\n\nWord{year} here.\n",
                                                       date=f"{year}-03-0{i + 1}", topics="[Syria]", authors="[ann]")
                      for i, year in enumerate((2015, 2016, 2017))})


def rebuilt_shards(root: Path, runs: list[str], tmp_path: Path) -> list[str]:
    """Build incrementally; the shards Pagefind indexed, after checking the output equals a clean build's."""
    runs.clear()
    assert run_build(root).ok
    done = list(runs)
    assert_equals_clean_build(root, tmp_path)
    return done


def test_an_edit_reindexes_exactly_its_shard_and_an_unchanged_build_runs_no_pagefind(make_site, shard_runs, tmp_path):
    root = archive(make_site)
    assert run_build(root).ok
    assert sorted(shard_runs) == ["2015", "2016", "2017"]
    manifest = json.loads((root / "output" / INDEX_DIR / "shards.json").read_text(encoding="utf-8"))
    assert manifest == {"shards": [{"path": name, "languages": ["en"]} for name in ("2017", "2016", "2015")]}
    (root / "content/notes.txt").write_text("not an input")
    assert rebuilt_shards(root, shard_runs, tmp_path) == []
    edit_text(root / "content/y2016.md", "Word2016 here.", "Word2016 here, and Marmosets.")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2016"]  # body
    edit_text(root / "content/y2016.md", "Story of 2016", "Saga of 2016")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2016"]  # headline, shown on the others' related cards
    edit_text(root / "content/y2016.md", "topics: [Syria]", "topics: [Syria, Iraq]")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2016"]  # topic
    (root / "content/old.md").write_text(explainer("Found in 2015", "## Who?\n\nNewcomer.\n", date="2015-07-01",
                                                   topics="[Syria]"), encoding="utf-8")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2015"]  # a new explainer in an old year
    (root / "content/y2015.md").unlink()
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2015"]  # a delete
    assert "/old/" in fragments(root / "output") and "/y2015/" not in fragments(root / "output")
    (root / "content/old.md").unlink()
    assert rebuilt_shards(root, shard_runs, tmp_path) == []  # the year's last explainer: its shard goes
    assert not (root / "output" / INDEX_DIR / "2015").exists()


def test_a_touched_index_file_is_written_again(make_site, shard_runs, tmp_path):
    root = archive(make_site)
    assert run_build(root).ok
    meta = next((root / "output" / INDEX_DIR / "2016").glob("*.pf_meta"))
    meta.write_bytes(b"damaged")
    edit_text(root / "content/y2017.md", "Word2017 here.", "Word2017 there.")
    assert rebuilt_shards(root, shard_runs, tmp_path) == ["2017", "2016"]


def test_an_index_in_an_unknown_format_is_written_as_pagefind_made_it_with_a_warning(make_site, monkeypatch):
    monkeypatch.setattr(pagefind_files, "SIGNATURE", b"pagefind_v99")  # as if Pagefind had changed its format
    result = run_build(archive(make_site))
    assert result.ok
    found = [d for d in result.diagnostics if "byte-for-byte reproducible" in d.message]
    assert len(found) == 3 and all(d.severity == "warning" for d in found) and "signature" in found[0].message


def test_the_refresher_indexes_again_only_the_shard_of_an_edited_explainer(make_site, shard_runs):
    root = archive(make_site)
    assert run_build(root).ok
    edit_text(root / "content/y2016.md", "Word2016 here.", "Word2016 here, and Marmosets.")
    shard_runs.clear()
    result = run_build(root, defer_search=True)  # as watch mode builds: the pages now, the index after
    assert result.ok and result.search_pending and shard_runs == []
    out = root / "output"
    assert "Marmosets" not in fragments(out)["/y2016/"]["content"]
    started = time.monotonic()
    refresher = SearchRefresher(out, threading.Lock(), delay=0.05, cache=root / ".nutgraf-cache")
    refresher.request()
    refresher.close()
    assert refresher.indexed == [("2016",)] and shard_runs == ["2016"]
    assert "Marmosets" in fragments(out)["/y2016/"]["content"] and time.monotonic() - started < 10


def test_the_quick_paths_count_of_files_written_includes_the_search_index(make_site):
    root = archive(make_site)
    assert run_build(root).ok

    def stats() -> dict[str, int]:
        return {str(p.relative_to(root / "output")): p.stat().st_mtime_ns
                for p in (root / "output").rglob("*") if p.is_file() and p.name != ".nutgraf-output"}  # the marker

    before = stats()
    edit_text(root / "content/y2016.md", "Word2016 here.", "Word2016 here, and Marmosets.")
    result = run_build(root)
    after = stats()
    touched = [rel for rel, mtime in after.items() if before.get(rel) != mtime]
    assert result.ok and result.quick
    assert any(rel.startswith(INDEX_DIR + "/") for rel in touched)  # the shard was indexed again
    assert result.written == len(touched)
    assert result.unchanged == len(after) - len(touched)
