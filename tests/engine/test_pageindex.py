"""The page index: planned explainer pages packed with their related explainers as shared cards, and
trusted only for the build whose stamp it carries."""

import pickle
import sqlite3

import pytest
from conftest import assert_equals_clean_build, explainer, run_build

from generator.engine.cache import CacheDamageError, load_stamp
from generator.engine.pageindex import INDEX_FILE, PageIndex, PagePacker
from generator.outputs.render import CardDigests, planned_digest

BODY = "Lede.\n\n## What happened?\n\nThings happened.\n"


@pytest.fixture
def built(make_site):
    files = {f"content/e{i}.md": explainer(f"Explainer {i}", BODY, date=f"2020-01-{i + 1:02d}", topics="[Shared]")
             for i in range(4)}
    root = make_site(files)
    assert run_build(root).ok
    return root


def test_a_build_indexes_every_explainer_page_under_its_stamp(built):
    cache = built / ".nutgraf-cache"
    index = PageIndex(cache)
    try:
        indexed = index.load(load_stamp(cache).input_stamp)
        assert indexed is not None
        assert sorted(indexed.pages) == [f"content/e{i}.md" for i in range(4)]
        assert set(index.planned()) == {f"e{i}/index.html" for i in range(4)}
        page = index.page("e2/index.html")
        assert page.context["explainer"].title == "Explainer 2"
        related = page.context["related"]
        assert related and {e.title for e in related} <= {"Explainer 0", "Explainer 1", "Explainer 3"}
        assert index.load("another stamp") is None
    finally:
        index.close()


def test_cards_are_stored_once_and_shared_by_the_pages_that_list_them(built):
    index = PageIndex(built / ".nutgraf-cache")
    try:
        pages = [index.page(f"e{i}/index.html") for i in range(4)]
        digests = CardDigests()
        planned = {p.output: planned_digest(p, digests) for p in pages}
        packer = PagePacker(digests, set(), {})
        rows, cards = {}, {}
        for page in pages:
            rows[page.output], fresh = packer.pack(page, planned[page.output])
            cards |= fresh
        # every explainer appears on the others' pages as a card, and is packed as one only once
        assert len(cards) == len({id(e) for page in pages for e in page.context["related"]}) <= 4
        for page in pages:  # a row holds references, not the listed explainers themselves
            assert len(rows[page.output]) < len(pickle.dumps(page))
        again = PagePacker(digests, set(cards), {}).pack(pages[0], planned[pages[0].output])
        assert again[1] == {}  # known cards are not packed again
        stored = {p.output: index.planned()[p.output] for p in pages}
        assert stored == planned  # the index holds each page as planned by the build
        assert PagePacker(digests, set(cards), stored).pack(pages[0], planned[pages[0].output]) is None
    finally:
        index.close()


def test_a_damaged_index_is_discarded_with_a_warning_and_the_build_starts_clean(built, tmp_path):
    cache = built / ".nutgraf-cache"
    with sqlite3.connect(cache / INDEX_FILE) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'build'", (b"not a pickle",))
        db.execute("UPDATE pages SET page = ? WHERE output = 'e1/index.html'", (b"nor this",))
    index = PageIndex(cache)
    try:
        with pytest.raises(CacheDamageError, match="pages.sqlite: the cache was damaged"):
            index.load(load_stamp(cache).input_stamp)
        with pytest.raises(CacheDamageError, match="pages.sqlite: the cache was damaged"):
            index.page("e1/index.html")
    finally:
        index.close()
    target = built / "content/e1.md"
    target.write_text(explainer("Explainer 1", BODY + "\nOne more line.\n", date="2020-01-02", topics="[Shared]"))
    result = run_build(built)
    assert result.ok and not result.quick and result.rendered == result.pages  # clean: every page rendered
    assert [d.path for d in result.diagnostics] == [".nutgraf-cache/pages.sqlite"]
    assert_equals_clean_build(built, tmp_path)
    index = PageIndex(cache)
    try:
        assert index.load(load_stamp(cache).input_stamp) is not None
        assert index.page("e1/index.html") is not None
    finally:
        index.close()


def test_a_failed_build_leaves_an_index_that_describes_no_build(built):
    (built / "content/e1.md").write_text(explainer("Broken", "Things [[unknown term]].\n"))
    assert not run_build(built).ok
    index = PageIndex(built / ".nutgraf-cache")
    try:
        assert index.load(load_stamp(built / ".nutgraf-cache").input_stamp) is None
    finally:
        index.close()


def test_a_removed_explainer_leaves_the_index(built):
    (built / "content/e3.md").unlink()
    assert run_build(built).ok
    index = PageIndex(built / ".nutgraf-cache")
    try:
        assert set(index.planned()) == {f"e{i}/index.html" for i in range(3)}
    finally:
        index.close()


def test_a_template_edit_renders_every_page_but_packs_none_again(built):
    def rowids():
        with sqlite3.connect(built / ".nutgraf-cache" / INDEX_FILE) as db:
            return dict(db.execute("SELECT output, rowid FROM pages"))

    before = rowids()
    (built / "templates").mkdir()
    (built / "templates/explainer.html").write_text('{% extends "default:explainer.html" %}{# v2 #}')
    result = run_build(built)
    assert result.ok and result.rendered == 4
    assert rowids() == before  # INSERT OR REPLACE would have given each rewritten row a new rowid
    (built / "content/e1.md").write_text(explainer("Explainer one", BODY, date="2020-01-02", topics="[Shared]"))
    assert run_build(built).ok
    after = rowids()
    assert after["e1/index.html"] != before["e1/index.html"]  # its title changed: packed again


def test_render_workers_store_the_rows_themselves(make_site, tmp_path):
    """With worker processes, each worker writes the rows of the pages it rendered into the index."""
    files = {f"content/w{i}.md": explainer(f"Worker page {i}", BODY, date=f"2020-02-{i % 28 + 1:02d}",
                                            topics=f"[T{i % 5}]") for i in range(80)}
    root = make_site(files)
    assert run_build(root, jobs=2).ok
    index = PageIndex(root / ".nutgraf-cache")
    try:
        assert index.load(load_stamp(root / ".nutgraf-cache").input_stamp) is not None
        assert set(index.planned()) == {f"w{i}/index.html" for i in range(80)}
        assert index.page("w40/index.html").context["explainer"].title == "Worker page 40"
    finally:
        index.close()
    target = root / "content/w40.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nA later line.\n", encoding="utf-8")
    result = run_build(root, jobs=2)
    assert result.ok and result.quick and result.rendered == 1
    assert_equals_clean_build(root, tmp_path)
