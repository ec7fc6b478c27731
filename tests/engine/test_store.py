"""The cache folder's layout: every file a build leaves in it is one that engine/store.py names; its version
file; discarding it whole, image derivatives included, and nothing else."""

import io

from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, run_build, touch_later
from PIL import Image

from generator.engine import store
from generator.engine.cache import cache_version


def _photo() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 10, 10)).save(image, "JPEG")
    return image.getvalue()


def _site(make_site):
    return make_site({"content/a.md": explainer("A", "Lede.\n\n## Why?\n\nBecause.\n",
                                                hero='{image: images/photo.jpg, alt: "A photo"}'),
                      "content/b.md": explainer("B", "Lede.\n\n## How?\n\nSo.\n"),
                      "content/images/photo.jpg": _photo()}, SITE_YAML)


def test_every_file_in_the_cache_is_one_the_store_names(make_site, tmp_path):
    root = _site(make_site)
    assert run_build(root).ok
    target = root / "content/b.md"
    target.write_text(target.read_text().replace("So.", "So it goes."))
    touch_later(target)
    assert run_build(root).quick  # the quick path writes its own files too
    cache_dir = root / ".nutgraf-cache"
    known = {*store.CACHE_FILES, store.IMAGES_DIR, store.CHARTS_DIR, store.SHARE_CARDS_DIR, store.CACHE_TAG}
    assert {p.name for p in cache_dir.iterdir()} <= known
    assert (cache_dir / store.VERSION_FILE).read_text() == cache_version()
    assert any((cache_dir / store.IMAGES_DIR).iterdir())  # the photo's derivatives


def test_a_cache_of_another_version_is_discarded_whole_and_other_files_are_kept(make_site, tmp_path):
    root = _site(make_site)
    assert run_build(root).ok
    cache_dir = root / ".nutgraf-cache"
    (cache_dir / "notes.txt").write_text("mine")
    (cache_dir / store.IMAGES_DIR / "notes.txt").write_text("mine too")
    derivatives = {p.name for p in (cache_dir / store.IMAGES_DIR).iterdir()} - {"notes.txt"}
    (cache_dir / store.VERSION_FILE).write_text("11:00000000|0.0.1\n")  # as an older nutgraf wrote it
    (cache_dir / store.IMAGES_DIR / min(derivatives)).write_bytes(b"an older derivative")
    result = run_build(root)
    assert result.ok and [d.path for d in result.diagnostics] == [".nutgraf-cache/VERSION"]
    assert "written by another version of nutgraf" in messages(result)[0]
    assert result.parsed == 2 and result.rendered == result.pages  # nothing of the old cache was trusted
    assert (cache_dir / "notes.txt").read_text() == "mine"
    assert (cache_dir / store.IMAGES_DIR / "notes.txt").read_text() == "mine too"
    assert (cache_dir / store.VERSION_FILE).read_text() == cache_version()
    assert_equals_clean_build(root, tmp_path)  # the damaged derivative was made again
    again = run_build(root)
    assert again.ok and again.diagnostics == () and again.rendered == 0


def test_a_cache_made_before_the_version_file_is_discarded_with_a_warning(make_site, tmp_path):
    root = _site(make_site)
    assert run_build(root).ok
    (root / ".nutgraf-cache" / store.VERSION_FILE).unlink()
    result = run_build(root)
    assert result.ok and [d.path for d in result.diagnostics] == [".nutgraf-cache/VERSION"]
    assert result.parsed == 2
    assert_equals_clean_build(root, tmp_path)


def test_a_new_cache_gets_the_version_file_without_a_warning(make_site, tmp_path):
    root = _site(make_site)
    result = run_build(root)
    assert result.ok and result.diagnostics == ()
    assert (root / ".nutgraf-cache" / store.VERSION_FILE).read_text() == cache_version()
