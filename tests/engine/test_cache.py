"""The build cache: the records file written in batches, read back whole, or not at all; a damaged cache
discarded with a warning, the build starting clean; its folder guarded."""

import io
import pickle
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, run_build, snapshot, touch_later
from PIL import Image

from generator.diagnostics import NutgrafError
from generator.engine import cache
from generator.engine.cache import BuildState, CacheDamageError, DocumentRecord, load_state, parse_key, save_state
from generator.engine.store import CACHE_TAG, check_cache_dir
from generator.outputs.derivatives import ImageStore
from generator.sources.images import ImageFacts, Picture
from generator.sources.settings import ImageSettings


def record(n: int) -> DocumentRecord:
    return DocumentRecord(n, n * 10, f"digest-{n}", None, None, ())


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(cache, "RECORDS_BATCH", 2)


def test_records_and_good_records_come_back_as_saved(tmp_path, small_batches):
    documents = {f"e{n}.md": record(n) for n in range(5)}
    good = {"e0.md": documents["e0.md"], "e1.md": record(101), "e3.md": documents["e3.md"],
            "gone.md": record(99)}  # e1 is broken now (its last good record differs), e2 never was good
    save_state(tmp_path, BuildState(parse_key("settings"), documents, output="out", good=good))
    loaded = load_state(tmp_path)
    assert loaded.documents == documents and list(loaded.documents) == list(documents)
    assert loaded.good == good
    assert loaded.good["e0.md"] is loaded.documents["e0.md"]  # one object, as before saving
    assert loaded.good["e1.md"] is not loaded.documents["e1.md"]


def test_a_truncated_records_file_is_not_trusted(tmp_path, small_batches):
    documents = {f"e{n}.md": record(n) for n in range(5)}
    save_state(tmp_path, BuildState(parse_key("settings"), documents, output="out", good=dict(documents)))
    path = tmp_path / cache.RECORDS_FILE
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CacheDamageError, match="records.pickle: the cache was damaged"):
        load_state(tmp_path)


def guarded_site(make_site, tmp_path, monkeypatch) -> Path:
    """A site with a photo, a theme of its own and a previous build; HOME is a folder of the test's own."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(image, "JPEG")
    root = make_site({"content/a.md": explainer("A", hero='{image: images/photo.jpg, alt: "A photo"}'),
                      "content/images/photo.jpg": image.getvalue(),
                      "themes/mine/templates/.keep": ""}, SITE_YAML + "theme: mine\n")
    assert run_build(root).ok
    return root


@pytest.mark.parametrize("where", ["content", "content/images", "home", "site", "output", "theme", "foreign"])
def test_a_dangerous_cache_folder_is_refused_and_nothing_is_deleted(make_site, tmp_path, monkeypatch, where):
    root = guarded_site(make_site, tmp_path, monkeypatch)
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign/thesis.tex").write_text("precious", encoding="utf-8")
    folder = {"content": root / "content", "content/images": root / "content/images", "home": tmp_path / "home",
              "site": root, "output": root / "output", "theme": root / "themes/mine",
              "foreign": tmp_path / "foreign"}[where]
    before = snapshot(tmp_path)
    with pytest.raises(NutgrafError, match="as the cache folder"):
        run_build(root, cache_dir=folder)
    assert snapshot(tmp_path) == before  # the photo included


@pytest.mark.parametrize("bad", ["/", "home", "site", "content/x", "theme", "output", "output/cache"])
def test_check_cache_dir_refuses_roots_sources_and_the_output(tmp_path, monkeypatch, bad):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    folder = {"/": Path("/"), "home": tmp_path / "home", "site": site, "theme": tmp_path / "theme"}.get(bad, site / bad)
    with pytest.raises(NutgrafError, match="as the cache folder"):
        check_cache_dir(folder, site, [site / "content", tmp_path / "theme"], site / "output")


def test_the_output_folder_is_never_the_cache(make_site, tmp_path, monkeypatch):
    fresh = make_site({"content/a.md": explainer("A")})
    with pytest.raises(NutgrafError, match="cache folder: it is the output folder"):  # before any cache is
        run_build(fresh, output=fresh / ".nutgraf-cache")
    assert not (fresh / ".nutgraf-cache").exists()
    root = guarded_site(make_site, tmp_path, monkeypatch)
    before = snapshot(tmp_path)
    with pytest.raises(NutgrafError, match="as the output folder"):
        run_build(root, output=root / ".nutgraf-cache")
    with pytest.raises(NutgrafError, match="cache folder: it overlaps the output folder"):
        run_build(root, output=root / ".nutgraf-cache/site")
    with pytest.raises(NutgrafError, match="cache folder: it overlaps the output folder"):
        run_build(root, output=tmp_path / "out", cache_dir=tmp_path / "out/cache")
    assert snapshot(tmp_path) == before


def test_a_marked_cache_is_reused_and_an_unmarked_one_of_older_builds_is_adopted(make_site, tmp_path, monkeypatch):
    root = guarded_site(make_site, tmp_path, monkeypatch)
    cache_dir = root / ".nutgraf-cache"
    tag = (cache_dir / CACHE_TAG).read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")  # the Cache Directory Tagging spec
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")
    again = run_build(root)
    assert again.ok and again.parsed == 1  # a.md came from the cache
    (cache_dir / CACHE_TAG).unlink()  # as a cache made before the tag was
    (root / "content/c.md").write_text(explainer("C"), encoding="utf-8")
    adopted = run_build(root)
    assert adopted.ok and adopted.parsed == 1 and (cache_dir / CACHE_TAG).is_file()


def test_the_image_store_deletes_only_derivatives(tmp_path):
    store = ImageStore(tmp_path)
    (store.folder / "photo.jpg").write_bytes(b"a photo")
    (store.folder / ("0" * 24 + ".webp")).write_bytes(b"an old derivative")
    store.keep_only([])
    assert [p.name for p in store.folder.iterdir()] == ["photo.jpg"]


def test_the_cli_refuses_content_as_the_cache_with_status_2_and_no_traceback(make_site, tmp_path, monkeypatch):
    root = guarded_site(make_site, tmp_path, monkeypatch)
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(root),
                          "--cache-dir", str(root / "content")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "refusing to use" in run.stderr and "as the cache folder" in run.stderr
    assert (root / "content/images/photo.jpg").is_file()


def test_the_cache_key_covers_the_image_values_records_hold():
    # A record keeps pictures, with their facts and settings: a cache made before a field was added to one of
    # them loaded objects without that field, and the next build failed with an AttributeError.
    for cls in (Picture, ImageFacts, ImageSettings):
        assert all(f"{f.name}:{f.type}" in cache._SHAPE for f in fields(cls)), cls


# A damaged cache: each kind of damage, then a change that makes the next build read the damaged file.
BODY = "Lede.\n\n## What happened?\n\nThings happened.\n"


def _truncate(name):
    def damage(cache_dir):
        path = cache_dir / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return damage


def _garbage(name):
    def damage(cache_dir):
        (cache_dir / name).write_bytes(b"\x00not what nutgraf wrote\xff" * 200)
    return damage


def _delete(name):
    def damage(cache_dir):
        (cache_dir / name).unlink()
    return damage


def _of_another_kind(name):
    def damage(cache_dir):
        (cache_dir / name).write_bytes(pickle.dumps({"not": "a build state"}))
    return damage


DAMAGE = {  # kind: (how, the file the warning names, what it says)
    "pages.sqlite garbage": (_garbage("pages.sqlite"), "pages.sqlite", "damaged (file is not a database)"),
    "state.pickle truncated": (_truncate("state.pickle"), "state.pickle", "damaged"),
    "state.pickle of another kind": (_of_another_kind("state.pickle"), "state.pickle", "damaged"),
    "records.pickle truncated": (_truncate("records.pickle"), "records.pickle", "damaged"),
    "stamp.pickle truncated": (_truncate("stamp.pickle"), "stamp.pickle", "damaged"),
    "stamp.pickle garbage": (_garbage("stamp.pickle"), "stamp.pickle", "damaged"),
    "bodies.sqlite deleted": (_delete("bodies.sqlite"), "bodies.sqlite", "incomplete"),
    "bodies.sqlite garbage": (_garbage("bodies.sqlite"), "bodies.sqlite", "damaged (file is not a database)"),
    "VERSION garbage": (_garbage("VERSION"), "VERSION", "written by another version of nutgraf"),
    "VERSION deleted": (_delete("VERSION"), "VERSION", "written by another version of nutgraf"),
}


def _edit_body(root):
    target = root / "content/e1.md"
    target.write_text(explainer("Explainer 1", BODY + "\nOne more line.\n", date="2020-01-02", topics="[Shared]"))
    touch_later(target)


def _add_explainer(root):
    (root / "content/new.md").write_text(explainer("A new one", BODY, date="2020-02-01", topics="[Shared]"))


def _nothing(root):
    pass


# What the next build reads: every build the version file; a body edit takes the quick path (stamp, page
# index, the state without its records, bodies), a new explainer the full one (stamp, state, records, bodies,
# page index), no change at all only the stamp.
CASES = [(kind, _add_explainer) for kind in DAMAGE] + [
    (kind, _edit_body) for kind in DAMAGE if not kind.startswith("records.")] + [
    ("stamp.pickle truncated", _nothing), ("stamp.pickle garbage", _nothing), ("VERSION garbage", _nothing)]


def _site(make_site):
    return make_site({f"content/e{i}.md": explainer(f"Explainer {i}", BODY, date=f"2020-01-{i + 1:02d}",
                                                    topics="[Shared]") for i in range(6)})


@pytest.fixture
def damageable(make_site):
    root = _site(make_site)
    assert run_build(root).ok and not messages(run_build(root))
    return root


def _assert_healed(root, tmp_path, result, name, reason):
    """The build warned once that it discarded the cache, and made what a clean build makes; the cache it left
    serves the builds after it without a word."""
    assert result.ok, messages(result)
    assert [d.path for d in result.diagnostics] == [f".nutgraf-cache/{name}"]
    assert reason in messages(result)[0] and "discarded; this build starts clean" in messages(result)[0]
    assert_equals_clean_build(root, tmp_path)
    again = run_build(root)
    assert again.ok and again.diagnostics == () and again.rendered == 0
    _edit_body(root)
    edited = run_build(root)
    assert edited.ok and edited.diagnostics == () and edited.quick
    assert_equals_clean_build(root, tmp_path)


@pytest.mark.parametrize(("kind", "change"), CASES, ids=[f"{kind}, {change.__name__[1:]}" for kind, change in CASES])
def test_a_damaged_cache_is_discarded_with_a_warning_and_the_build_starts_clean(damageable, tmp_path, kind, change):
    damage, name, reason = DAMAGE[kind]
    damage(damageable / ".nutgraf-cache")
    change(damageable)
    _assert_healed(damageable, tmp_path, run_build(damageable), name, reason)


def test_a_cache_from_another_version_is_discarded_with_a_warning(make_site, tmp_path, monkeypatch):
    root = _site(make_site)
    with monkeypatch.context() as patch:
        patch.setattr(cache, "CACHE_KEY", "0:00000000")  # as an older nutgraf wrote it
        assert run_build(root).ok
    _assert_healed(root, tmp_path, run_build(root), "VERSION", "written by another version of nutgraf")


def test_a_cache_folder_holding_other_files_keeps_them(damageable, tmp_path):
    """Only the cache's own files are discarded: --cache-dir may point at a folder that holds others."""
    cache_dir = damageable / ".nutgraf-cache"
    (cache_dir / "notes.txt").write_text("mine")
    _garbage("state.pickle")(cache_dir)
    _add_explainer(damageable)
    _assert_healed(damageable, tmp_path, run_build(damageable), "state.pickle", "damaged")
    assert (cache_dir / "notes.txt").read_text() == "mine"


def test_a_full_disk_under_a_cache_database_is_an_os_error_naming_it(tmp_path):
    """SQLite's "database or disk is full" is the disk's trouble, for the command line to explain, not damage."""
    import errno

    store = cache.BodyStore(tmp_path)
    store.prepare()
    store._db().execute("PRAGMA max_page_count = 8")  # a disk that fills up after a few pages
    with pytest.raises(OSError) as failure:
        store.put_many((f"digest-{n}", "<p>words</p>" * 500) for n in range(50))
    store.close()
    assert failure.value.errno == errno.ENOSPC and failure.value.filename == str(tmp_path / cache.BODIES_FILE)


def test_watch_mode_discards_a_damaged_cache_under_its_state_in_memory(damageable, tmp_path):
    """Watch mode's quick path reads the bodies of the explainers its feeds carry from the store on disk."""
    first = run_build(damageable, keep_going=True)
    (damageable / ".nutgraf-cache/bodies.sqlite").unlink()
    _edit_body(damageable)
    result = run_build(damageable, keep_going=True, state=first.state,
                       changed=frozenset({str(damageable / "content/e1.md")}), warm=first.warm)
    assert result.ok and [d.path for d in result.diagnostics] == [".nutgraf-cache/bodies.sqlite"]
    assert result.warm is not None and result.state.diagnostics == ()  # a no-op build would not repeat it
    assert_equals_clean_build(damageable, tmp_path)
