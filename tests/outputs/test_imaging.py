"""Imaging: the site's images made into the cache once, in workers, SVGs cleaned, limits kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SITE_YAML, explainer, messages, parse, run_build
from PIL import Image
from samples import HOSTILE_SVGS, REFUSED, assert_harmless, hostile_svg, photo, png_header

from generator.outputs.imaging import process_images
from generator.sources.images import crops
from generator.sources.settings import ImageSettings
from generator.sources.tree import SourceFile


def assets_of(folder: Path) -> list[SourceFile]:
    return [SourceFile(p, p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()]


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()

    def add(name: str, data: bytes) -> Path:
        (folder / name).write_bytes(data)
        return folder

    return add


def test_unchanged_images_cost_nothing_and_new_settings_only_what_they_change(content, tmp_path):
    folder = content("a.jpg", photo(1800, 1200))
    content("b.png", photo(900, 600, fmt="PNG"))
    cache = tmp_path / "cache"
    settings = ImageSettings()
    first = process_images(assets_of(folder), {}, settings, cache, jobs=2)
    assert first.processed == 2
    times = {p.name: p.stat().st_mtime_ns for p in (cache / "images").iterdir()}
    again = process_images(assets_of(folder), first.index, settings, cache, jobs=2)
    assert again.processed == 0 and again.pictures == first.pictures
    wider = ImageSettings(widths=(480, 800, 1200, 1600, 1700))
    third = process_images(assets_of(folder), again.index, wider, cache, jobs=2)
    new = {p.name for p in (cache / "images").iterdir()} - set(times)
    assert third.processed == 1 and len(new) == 2  # a.jpg at 1700 in WebP and JPEG; b.png has no such width
    assert all(p.stat().st_mtime_ns == times[p.name] for p in (cache / "images").iterdir() if p.name in times)


def test_workers_make_the_same_files_as_one_process(content, tmp_path):
    folder = content("a.jpg", photo(1200, 800, color=(1, 2, 3)))
    for i in range(3):
        content(f"p{i}.png", photo(700 + i, 500, fmt="PNG", color=(i * 40, 100, 50)))
    one = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "one", jobs=1)
    two = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "two", jobs=2)
    assert one.pictures == two.pictures
    assert {p.name: p.read_bytes() for p in (tmp_path / "one/images").iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "two/images").iterdir()}


def test_crops_are_planned_from_the_picture_and_keyed_by_focus():
    from generator.sources.images import ImageFacts, picture
    pic = picture("a.jpg", ImageFacts("JPEG", 3000, 2000, "d" * 32), ImageSettings())
    centred, left = crops(pic, None), crops(pic, (0.0, 0.5))
    assert [c.name for c in centred] == ["social", "16x9", "4x3", "1x1"]
    assert [a.key == b.key for a, b in zip(centred, left, strict=True)] == [True, True, False, False]


# ---- untrusted_html: sanitize ------------------------------------------------------------------------------------

SANITIZE = SITE_YAML + "untrusted_html: sanitize\n"
SVG_USES = {"hero": "h.svg", "social image": "s.svg", "body image": "b.svg"}


def svg_site(make_site, svg: bytes, site_yaml: str = SANITIZE):
    """An explainer showing one SVG as its hero, its social image and in its body."""
    source = explainer("S", "Text.\n\n![Chart](images/b.svg)\n", hero='{image: images/h.svg, alt: "H"}',
                       social_image='{image: images/s.svg, alt: "S"}')
    return make_site({"content/s.md": source, **{f"content/images/{name}": svg for name in SVG_USES.values()}},
                     site_yaml)


@pytest.mark.parametrize("name", sorted(HOSTILE_SVGS))
def test_a_hostile_svg_is_published_cleaned_or_refused_in_sanitize_mode(make_site, name):
    root = svg_site(make_site, hostile_svg(name))
    result = run_build(root)
    if name in REFUSED:
        assert not result.ok and not (root / "output").exists()
        for file in SVG_USES.values():
            assert any(m.startswith(f"content/images/{file}: error: the SVG is not published: it cannot be made "
                                    "safe to publish") for m in messages(result)), messages(result)
        assert any("hero image 'images/h.svg' cannot be used" in m for m in messages(result))
        return
    assert result.ok, messages(result)
    for file in SVG_USES.values():
        assert_harmless((root / "output/images" / file).read_bytes())
    page = parse(root / "output/s/index.html")
    assert page.select_one(".article-body img")["src"] == "/images/b.svg"


def test_trust_mode_publishes_svgs_as_they_are(make_site):
    svg = hostile_svg("script")
    root = svg_site(make_site, svg, SITE_YAML)
    assert run_build(root).ok
    assert (root / "output/images/h.svg").read_bytes() == svg


def test_switching_to_sanitize_cleans_svgs_published_before(make_site):
    root = svg_site(make_site, hostile_svg("handlers"), SITE_YAML)
    assert run_build(root).ok
    (root / "site.yaml").write_text(SANITIZE)
    assert run_build(root).ok
    assert_harmless((root / "output/images/b.svg").read_bytes())


SCRIPT_FILES = ("page.html", "old.htm", "app.js", "mod.mjs", "feed.xml")


@pytest.mark.parametrize(("site_yaml", "published"), [(SANITIZE, False), (SITE_YAML, True)])
def test_html_script_and_xml_files_are_published_only_in_trust_mode(make_site, site_yaml, published):
    files = {f"content/extra/{name}": "<script>alert(1)</script>" for name in SCRIPT_FILES}
    root = make_site({"content/s.md": explainer("S"), "content/extra/data.csv": "a,b\n", **files}, site_yaml)
    result = run_build(root)
    assert result.ok, messages(result)
    assert (root / "output/extra/data.csv").is_file()
    assert [(root / "output/extra" / name).exists() for name in SCRIPT_FILES] == [published] * len(SCRIPT_FILES)
    warned = [m for m in messages(result) if "not published: sanitize mode" in m]
    assert len(warned) == (0 if published else len(SCRIPT_FILES))


def black_png(width: int, height: int) -> bytes:
    """A whole PNG of `width` x `height` black pixels, one bit each: a few kilobytes for 88 megapixels."""
    return png_header(width, height, depth=1, colour=0, data=b"\x00" * (height * (1 + (width + 7) // 8)))


BLACK_BODY = "Lede.\n\n## What happened?\n\n![All black](images/black.png)\n"


def test_an_image_over_max_megapixels_is_an_error_with_its_pixels_and_the_limit_unread(make_site):
    data = black_png(9400, 9400)
    assert len(data) < 20_000 and Image.open(io.BytesIO(data)).size == (9400, 9400)  # 88 megapixels, a whole PNG
    root = make_site({"content/s.md": explainer("S", BLACK_BODY), "content/images/black.png": data})
    result = run_build(root)
    assert not (root / "output").exists()
    assert messages(result) == [
        "content/images/black.png: warning: not published: it has 88.4 megapixels (9400x9400), more than "
        "images.max_megapixels (50); decoding it would take about 1.0 GB\n"
        "  hint: re-export it from the original as JPEG, PNG or WebP",
        "content/s.md:9: error: image 'images/black.png' cannot be published: it has 88.4 megapixels (9400x9400), "
        "more than images.max_megapixels (50); decoding it would take about 1.0 GB\n"
        "  hint: re-export it from the original as JPEG, PNG or WebP"]


def test_lowering_max_megapixels_refuses_an_image_already_made(make_site):
    files = {"content/s.md": explainer("S", BLACK_BODY), "content/images/black.png": black_png(2000, 1000)}
    root = make_site(files)
    assert run_build(root).ok
    make_site({}, SITE_YAML + "images:\n  max_megapixels: 1\n")
    result = run_build(root)
    assert "content/s.md:9: error: image 'images/black.png' cannot be published: it has 2.0 megapixels (2000x1000), " \
           "more than images.max_megapixels (1); decoding it would take about 23 MB" in "\n".join(messages(result))
