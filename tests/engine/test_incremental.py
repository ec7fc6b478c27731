"""Incremental builds: after every kind of change the output equals a clean build, file for file,
and only the pages that the change implies are rendered again."""

import random
import shutil
from pathlib import Path

import pytest
from conftest import REPO, assert_equals_clean_build, explainer, run_build, snapshot, touch_later

from generator.engine.quick import save_warm

BODY = "Lede.\n\n## What happened?\n\nThings happened.\n\n## What next?\n\nMore.\n"





@pytest.fixture
def site(make_site):
    files = {f"content/e{i}.md": explainer(f"Explainer {i}", BODY, date=f"2020-01-{i + 1:02d}",
                                            topics=f"[T{i % 3}, Shared]", authors="[ann]") for i in range(7)}
    files["content/images/a.svg"] = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    root = make_site(files)
    first = run_build(root)
    assert first.ok and first.parsed == 7 and first.rendered == first.pages
    return root


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    touch_later(path)


def test_no_op_rebuild_renders_and_writes_nothing(site, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file()}
    result = run_build(site)
    assert result.ok and result.parsed == 0 and result.rendered == 0 and result.written == 0
    assert {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file()} == before


def test_body_edit_parses_one_file_and_renders_one_page(site, tmp_path):
    edit(site / "content/e3.md", "Things happened.", "Other things happened.")
    result = run_build(site)
    assert (result.parsed, result.rendered) == (1, 1)
    assert result.quick  # from the page index: the site is not planned again
    assert "Other things happened." in (site / "output/e3/index.html").read_text()
    assert_equals_clean_build(site, tmp_path)
    again = run_build(site)
    assert again.ok and not again.quick and again.parsed == again.rendered == again.written == 0


def test_title_edit_renders_the_pages_that_show_it(site, tmp_path):
    edit(site / "content/e3.md", "Explainer 3", "Renamed explainer")
    result = run_build(site)
    assert result.parsed == 1
    assert 1 < result.rendered < result.pages  # its page, lists and related cards; not the rest
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("change", ["topics", "new-topic", "question-heading", "date"])
def test_front_matter_and_heading_edits(site, tmp_path, change):
    path = site / "content/e2.md"
    old, new = {"topics": ("[T2, Shared]", "[T0]"), "new-topic": ("[T2, Shared]", "[Brand new]"),
                "question-heading": ("## What next?", "## What now?"),
                "date": ("2020-01-03", "2021-06-01")}[change]
    edit(path, old, new)
    assert run_build(site).ok
    assert_equals_clean_build(site, tmp_path)


def test_template_change_renders_everything_without_parsing(site, tmp_path):
    records = site / ".nutgraf-cache/records.pickle"
    written = records.stat().st_mtime_ns
    (site / "templates").mkdir()
    (site / "templates/explainer.html").write_text('{% extends "default:explainer.html" %}{# v2 #}')
    result = run_build(site)
    assert result.parsed == 0 and result.rendered == 7  # the explainer pages use that template
    assert records.stat().st_mtime_ns == written  # nothing parsed: the records are not written again
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("damage", ["deleted", "from-another-build", "garbage"])
def test_records_that_do_not_belong_to_the_state_are_parsed_again(site, tmp_path, damage):
    records = site / ".nutgraf-cache/records.pickle"
    old = records.read_bytes()
    edit(site / "content/e1.md", "Explainer 1", "Explainer one")
    assert run_build(site).parsed == 1
    if damage == "deleted":
        records.unlink()
    elif damage == "from-another-build":
        records.write_bytes(old)  # the records of the build before: they say e1 is "Explainer 1"
    else:
        records.write_bytes(b"not a pickle")
    edit(site / "content/e2.md", "Explainer 2", "Explainer two")  # not a body edit: the full build runs
    result = run_build(site)
    assert result.ok and not result.quick and result.parsed == 7
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("partial", ["partials/card.html", "partials/explainer-questions.html"])
def test_a_partial_that_python_renders_is_a_dependency_of_the_pages_that_show_it(site, tmp_path, partial):
    """Cards and lists of questions are rendered by functions that templates call, not by includes."""
    source = (REPO / "themes/default/templates" / partial).read_text(encoding="utf-8")
    target = site / "templates" / partial
    target.parent.mkdir(parents=True)
    target.write_text(source.replace("</h", "<!-- v2 --></h", 1), encoding="utf-8")
    result = run_build(site)
    assert result.ok and result.parsed == 0 and result.rendered > 0
    assert_equals_clean_build(site, tmp_path)


def test_site_yaml_change_renders_everything_without_parsing(site, tmp_path):
    edit(site / "site.yaml", "title: Test Site", "title: Renamed Site")
    result = run_build(site)
    assert result.parsed == 0 and result.rendered == result.pages
    assert_equals_clean_build(site, tmp_path)


def test_timezone_change_parses_again(site, tmp_path):
    edit(site / "site.yaml", "timezone: Europe/Istanbul", "timezone: Asia/Almaty")
    result = run_build(site)
    assert result.parsed == 7
    assert_equals_clean_build(site, tmp_path)


def test_theme_static_file_change(site, tmp_path):
    (site / "themes/mine/static").mkdir(parents=True)
    (site / "themes/mine/theme.yaml").write_text("extends: default\n")
    (site / "themes/mine/static/extra.css").write_text("a{}")
    edit(site / "site.yaml", "title: Test Site", "title: Test Site\ntheme: mine")
    assert run_build(site).ok
    (site / "themes/mine/static/extra.css").write_text("a{color:red}")
    touch_later(site / "themes/mine/static/extra.css")
    result = run_build(site)
    assert result.ok and result.rendered == 0 and result.written == 1
    assert (site / "output/static/extra.css").read_text() == "a{color:red}"
    assert_equals_clean_build(site, tmp_path)


def test_delete_rename_and_add(site, tmp_path):
    (site / "content/e1.md").unlink()
    assert run_build(site).ok
    assert not (site / "output/e1").exists()
    assert_equals_clean_build(site, tmp_path)
    (site / "content/e2.md").rename(site / "content/moved.md")
    assert run_build(site).ok
    assert (site / "output/moved/index.html").exists() and not (site / "output/e2").exists()
    assert_equals_clean_build(site, tmp_path)
    (site / "content/new.md").write_text(explainer("Brand new", BODY, date="2020-02-01", topics="[T1]"))
    result = run_build(site)
    assert result.parsed == 1
    assert_equals_clean_build(site, tmp_path)


def test_tampered_output_file_is_restored(site, tmp_path):
    (site / "output/e4/index.html").write_text("tampered")
    (site / "output/index.html").unlink()
    result = run_build(site)
    assert result.rendered == 2
    assert_equals_clean_build(site, tmp_path)


def test_broken_edit_keeps_output_and_fixing_it_recovers(site, tmp_path):
    before = snapshot(site / "output")
    original = (site / "content/e5.md").read_text()
    (site / "content/e5.md").write_text("---\ntitle: [\n---\n")
    assert not run_build(site).ok
    assert snapshot(site / "output") == before
    (site / "content/e5.md").write_text(original.replace("Things", "Fixed things"))
    touch_later(site / "content/e5.md")
    result = run_build(site)
    assert result.ok and result.parsed == 1
    assert_equals_clean_build(site, tmp_path)


def test_deleting_the_cache_gives_the_same_output(site, tmp_path):
    shutil.rmtree(site / ".nutgraf-cache")
    result = run_build(site)
    assert result.ok and result.parsed == 7 and result.written == 0
    assert_equals_clean_build(site, tmp_path)


def random_edit(site: Path, rng: random.Random, step: int, actions: list[str]) -> tuple[str, set[Path]]:
    """One random change to the site's explainers: what it was, and the paths it touched."""
    files = sorted((site / "content").glob("*.md"))
    action, target = rng.choice(actions), rng.choice(files)
    changed = {target}
    if action == "body":
        edit(target, "More", f"More ({step})")
    elif action == "title":
        target.write_text(explainer(f"Title {step}", BODY, date="2020-03-01", topics="[T1]"))
        touch_later(target)
    elif action == "topics":
        target.write_text(explainer(target.stem, BODY, date="2020-03-02", topics=f"[T{step % 4}]"))
        touch_later(target)
    elif action == "delete" and len(files) > 2:
        target.unlink()
    elif action == "add":
        changed = {site / f"content/added{step}.md"}
        (site / f"content/added{step}.md").write_text(explainer(f"Added {step}", BODY, topics="[Shared]"))
    elif action == "rename":
        changed.add(site / f"content/renamed{step}.md")
        target.rename(site / f"content/renamed{step}.md")
    elif action == "draft":
        target.write_text(explainer(target.stem, BODY, draft="true"))
        touch_later(target)
    return action, changed


def test_random_edit_sequences_equal_clean_builds(site, tmp_path):
    rng = random.Random(20170123)
    quick = 0
    for step in range(16):
        action, _ = random_edit(site, rng, step, ["body", "body", "title", "topics", "delete", "add", "rename",
                                                  "draft"])
        result = run_build(site)
        assert result.ok, (step, action, [d.format() for d in result.diagnostics])
        assert result.quick == (action == "body"), (step, action)
        quick += result.quick
        assert_equals_clean_build(site, tmp_path)
    assert quick >= 3


# The quick path of `nutgraf build`: only explainer bodies changed since the last build, whose planned pages
# the page index in the cache holds.

@pytest.mark.parametrize("change", ["front-matter", "question", "error", "asset", "template", "output-touched",
                                    "many-files", "no-index", "stamp-older-than-index"])
def test_build_takes_the_full_path_unless_only_bodies_changed(site, tmp_path, monkeypatch, change):
    target = site / "content/e3.md"
    edit(target, "Things happened.", "Things happened again.")
    if change == "front-matter":
        edit(target, "Explainer 3", "Explainer three")
    elif change == "question":
        edit(target, "## What next?", "## What then?")
    elif change == "error":
        edit(target, "Things happened again.", "Things [[happened]].")
    elif change == "asset":
        (site / "content/images/a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    elif change == "template":
        (site / "templates").mkdir(exist_ok=True)
        shutil.copy(REPO / "themes/default/templates/404.html", site / "templates/404.html")
        edit(site / "templates/404.html", "</main>", "<p>Lost?</p></main>")
    elif change == "output-touched":
        (site / "output/e5/index.html").write_text("tampered")
    elif change == "many-files":
        for path in sorted((site / "content").glob("*.md")):
            edit(path, "More.", "More still.")
        monkeypatch.setattr("generator.engine.quick.QUICK_MAX_FILES", 3)
    elif change == "no-index":
        (site / ".nutgraf-cache/pages.sqlite").unlink()
    elif change == "stamp-older-than-index":  # a build killed between saving the index and the stamp
        stamp = (site / ".nutgraf-cache/stamp.pickle").read_bytes()
        assert run_build(site).quick
        (site / ".nutgraf-cache/stamp.pickle").write_bytes(stamp)
        edit(target, "Things happened again.", "Things happened once more.")
    result = run_build(site)
    monkeypatch.undo()
    assert not result.quick
    if change == "error":
        assert not result.ok
        return
    assert result.ok, [d.format() for d in result.diagnostics]
    assert_equals_clean_build(site, tmp_path)
    edit(target, "More.", "More, said again.")  # the full build has remade the index: quick again
    assert run_build(site).quick
    assert_equals_clean_build(site, tmp_path)


def test_a_body_edit_of_a_draft_takes_the_quick_path_and_writes_nothing(site, tmp_path):
    target = site / "content/e2.md"
    target.write_text(explainer("Hidden", BODY, draft="true"))
    touch_later(target)
    assert run_build(site).ok
    edit(target, "Things happened.", "Things happened in secret.")
    result = run_build(site)
    assert result.quick and result.parsed == 1 and result.rendered == 0 and result.written == 0
    assert_equals_clean_build(site, tmp_path)


def test_a_deleted_feed_is_restored_by_the_next_build(site, tmp_path):
    (site / "output/feed.xml").unlink()
    result = run_build(site)
    assert result.ok and (site / "output/feed.xml").is_file()
    assert_equals_clean_build(site, tmp_path)


def test_a_rebuild_after_the_news_window_passes_is_not_skipped(make_site, tmp_path):
    import datetime as dt

    from conftest import NOW
    root = make_site({"content/fresh.md": explainer("Fresh", BODY, date=(NOW - dt.timedelta(days=1)).isoformat())})
    assert run_build(root).ok
    assert b"Fresh" in (root / "output/news-sitemap.xml").read_bytes()
    later = run_build(root, now=NOW + dt.timedelta(days=2))
    assert later.ok and later.rendered == 0
    assert not (root / "output/news-sitemap.xml").exists()  # no entry left: no file (an empty one is invalid)


# The quick path of watch mode: it passes the paths a burst of saves touched, the state in memory and what the
# last build left warm.

def watch_build(root: Path, last, changed: set[Path]):
    """A rebuild as watch mode asks for it after `last`: its state, what it left warm, the paths changed."""
    result = run_build(root, keep_going=True, state=last.state, changed=frozenset(str(p) for p in changed),
                       warm=last.warm)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def test_a_body_edit_takes_the_quick_path_and_equals_a_clean_build(site, tmp_path):
    last = run_build(site, keep_going=True)
    target = site / "content/e3.md"
    edit(target, "Things happened.", "Things happened, and *more* things: [a link](https://example.org/).")
    result = watch_build(site, last, {target})
    assert result.quick and result.parsed == 1 and result.rendered == 1
    assert "more</em> things" in (site / "output/e3/index.html").read_text(encoding="utf-8")
    assert_equals_clean_build(site, tmp_path)
    echo = watch_build(site, result, {target})  # a late event of the same save
    assert echo.quick and echo.parsed == 0 and echo.written == 0


@pytest.mark.parametrize("old,new", [
    ("## What next?", "## What then?"),  # a question: the questions page lists it
    ("title: \"Explainer 3\"", "title: \"Explainer three\""),  # front matter: lists show it
    ("Things happened.", "Things [[happened]]."),  # a glossary term that is not in the glossary: an error
], ids=["question", "front-matter", "error"])
def test_more_than_a_body_edit_takes_the_full_path(site, tmp_path, old, new):
    last = run_build(site, keep_going=True)
    target = site / "content/e3.md"
    edit(target, old, new)
    result = run_build(site, keep_going=True, state=last.state, changed=frozenset({str(target)}), warm=last.warm)
    assert not result.quick
    if result.ok:
        assert_equals_clean_build(site, tmp_path)


def test_watch_edit_sequences_equal_clean_builds(site, tmp_path):
    """Random saves as watch mode sees them: quick for body edits, full for the rest, always a clean build."""
    rng = random.Random(20170124)
    last = run_build(site, keep_going=True)
    quick = 0
    for step in range(14):
        action, changed = random_edit(site, rng, step, ["body", "body", "body", "title", "add", "delete", "rename"])
        result = watch_build(site, last, changed)
        last = result
        quick += result.quick
        assert result.quick == (action == "body"), (step, action)
        assert_equals_clean_build(site, tmp_path)
    assert quick >= 3


@pytest.mark.parametrize("mode", ["watch", "build"])
@pytest.mark.parametrize("name", ["sample", "multilingual"])
def test_quick_body_edits_of_every_explainer_of_a_real_site(copy_site, tmp_path, name, mode):
    """Blocks, glossary terms, images, translations and right-to-left editions: each explainer's body edited
    in turn through the quick path (of watch mode, or of `nutgraf build` from the page index), the output
    still a clean build's."""
    if name == "sample":
        root = tmp_path / "sample"
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    else:
        root = copy_site(name)
    last = run_build(root, keep_going=True)
    sources = sorted((root / "content").glob("*.md"))
    for source in sources:
        source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence, *added*.\n", encoding="utf-8")
        touch_later(source)
        result = watch_build(root, last, {source}) if mode == "watch" else run_build(root)
        draft = "\ndraft: true" in source.read_text(encoding="utf-8")
        assert result.ok and result.quick and result.rendered == (0 if draft else 1), source.name
        last = result
        if mode == "build":
            assert_equals_clean_build(root, tmp_path)
    assert len(sources) >= 4
    assert_equals_clean_build(root, tmp_path)


# One decision for every path: a page is rendered again exactly when its digest of inputs differs from the one
# recorded for it or its file is not intact (cache.reusable), whether the full build or the quick path asks.

@pytest.mark.parametrize("mode", ["watch", "build"])
def test_a_save_that_leaves_the_body_as_it_was_renders_nothing_on_either_path(site, tmp_path, mode):
    last = run_build(site, keep_going=True)
    target = site / "content/e3.md"
    page = site / "output/e3/index.html"
    written = page.stat().st_mtime_ns
    touch_later(target)  # saved again, unchanged: parsed again, its page's digest the recorded one
    result = watch_build(site, last, {target}) if mode == "watch" else run_build(site)
    assert result.ok and result.quick and (result.parsed, result.rendered) == (1, 0)
    assert page.stat().st_mtime_ns == written
    assert_equals_clean_build(site, tmp_path)
    if mode == "watch":  # as the watcher does when it stops
        save_warm(result.state, result.warm)
    again = run_build(site)  # what the quick path recorded is what the next build decides by
    assert again.ok and (again.parsed, again.rendered, again.written) == (0, 0, 0)


def test_a_full_build_after_the_quick_path_keeps_the_page_it_rendered(site, tmp_path):
    edit(site / "content/e3.md", "Things happened.", "Other things happened.")
    assert run_build(site).quick
    page = site / "output/e3/index.html"
    written = page.stat().st_mtime_ns
    (site / "content/hidden.md").write_text(explainer("Hidden", BODY, draft="true"))
    result = run_build(site)  # the full build decides by the digest and file stat the quick path recorded
    assert result.ok and not result.quick and result.parsed == 2 and result.rendered == 0
    assert page.stat().st_mtime_ns == written
    assert_equals_clean_build(site, tmp_path)


def test_watch_mode_reads_neither_settings_nor_the_source_tree_for_a_body_edit(site, tmp_path, monkeypatch):
    last = run_build(site, keep_going=True)
    for name in ("load_config", "load_theme", "scan_sources"):
        monkeypatch.setattr(f"generator.engine.stages.{name}", lambda *a, **k: pytest.fail("read again"))
    monkeypatch.setattr("generator.engine.pageindex.PageIndex.load", lambda *a: pytest.fail("index read again"))
    target = site / "content/e3.md"
    edit(target, "Things happened.", "Things happened, quickly.")
    result = watch_build(site, last, {target})
    assert result.quick and (result.parsed, result.rendered) == (1, 1)
    monkeypatch.undo()
    assert_equals_clean_build(site, tmp_path)
