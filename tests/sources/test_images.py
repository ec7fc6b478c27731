"""Images in built sites: responsive pictures, crops for link previews, metadata stripped, errors with lines,
and incremental rebuilds that redo only the image work a change implies."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later
from PIL import Image
from samples import ARTIST, COPYRIGHT, GPS_IFD, ORIENTATION, photo, png_header

from generator.sources.images import (
    ImageFacts,
    LocalImage,
    crop_box,
    crops,
    local_image,
    picture,
    picture_element,
    widths,
)
from generator.sources.settings import ImageSettings

HERO = '{image: images/photo.jpg, alt: "A street at dusk", credit: "Photo: A. Photographer"}'


def noisy(width: int, height: int) -> bytes:
    """A JPEG with detail in it, so that most of its bytes are image data."""
    out = io.BytesIO()
    Image.effect_noise((width, height), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def published_images(out: Path) -> list[Path]:
    return sorted(p for p in (out / "images").rglob("*") if p.is_file())


def srcset_files(out: Path, value: str) -> list[tuple[Path, int]]:
    """The output file and declared width of each srcset candidate (hrefs are root-relative)."""
    found = []
    for candidate in value.split(","):
        href, width = candidate.split()
        found.append((out / href.lstrip("/"), int(width.removesuffix("w"))))
    return found


# ---- The pure parts: which widths, which crops, which HTML -------------------------------------------------

def facts(width: int, height: int, fmt: str = "JPEG", alpha: bool = False) -> ImageFacts:
    return ImageFacts(fmt, width, height, "d" * 32, alpha)


def test_widths_come_from_settings_and_never_upscale():
    settings = ImageSettings(widths=(480, 800, 1200, 1600))
    assert widths(facts(4000, 3000), settings) == (480, 800, 1200, 1600)
    assert widths(facts(1000, 500), settings) == (480, 800, 1000)
    assert widths(facts(300, 200), settings) == (300,)


def test_picture_offers_webp_first_and_the_original_format_as_fallback():
    pic = picture("images/p.png", facts(2000, 1000, "PNG", alpha=True), ImageSettings())
    assert [s.type for s in pic.sources] == ["image/webp", "image/png"]
    assert pic.src == pic.sources[-1].renditions[-1].src and (pic.width, pic.height) == (1600, 800)
    webp_only = picture("images/p.webp", facts(900, 600, "WEBP"), ImageSettings())
    assert [s.type for s in webp_only.sources] == ["image/webp"]
    svg = picture("images/c.svg", facts(10, 20, "SVG"), ImageSettings())
    assert (svg.src, svg.sources) == ("/images/c.svg", ())


def test_crop_box_follows_the_focus_but_stays_inside_the_image():
    wide = facts(3000, 1000)
    assert crop_box(wide, 1.0, None) == (1000, 0, 2000, 1000)
    assert crop_box(wide, 1.0, (0.9, 0.5)) == (2000, 0, 3000, 1000)
    assert crop_box(wide, 1.0, (0.0, 0.0)) == (0, 0, 1000, 1000)
    assert crop_box(facts(1000, 3000), 1200 / 630, (0.5, 0.05)) == (0, 0, 1000, 525)
    assert crop_box(facts(1000, 3000), 1200 / 630, (0.5, 0.1)) == (0, 38, 1000, 563)


def test_crops_have_the_sizes_link_previews_and_structured_data_ask_for():
    made = {c.name: (c.width, c.height) for c in crops(picture("a.jpg", facts(4000, 3000), ImageSettings()), None)}
    assert made == {"social": (1200, 630), "16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
    small = {c.name: (c.width, c.height) for c in crops(picture("a.jpg", facts(800, 600), ImageSettings()), None)}
    assert small["social"] == (800, 420) and small["1x1"] == (600, 600)  # never upscaled


def test_picture_element_for_a_figure_block():
    pic = picture("images/p.jpg", facts(1000, 500), ImageSettings(sizes="50vw"))
    element = picture_element(local_image(pic, lambda path: "/sub" + path), "A photo", attributes={"class": "x"})
    html = etree.tostring(element, encoding="unicode")
    assert element.tag == "picture"
    assert html.startswith('<picture><source type="image/webp" srcset="/sub/images/p-480w.')
    img = element.find("img")
    assert img.get("sizes") == "50vw" and img.get("loading") == "lazy" and img.get("decoding") == "async"
    assert (img.get("alt"), img.get("class"), img.get("width"), img.get("height")) == ("A photo", "x", "1000", "500")
    eager = picture_element(LocalImage("/a.svg", 10, 10), "", eager=True)
    assert eager.tag == "img" and eager.get("fetchpriority") == "high" and eager.get("loading") is None


# ---- Built sites ----------------------------------------------------------------------------------------------

@pytest.fixture
def photo_site(make_site):
    def make(body: str = "Lede.\n\n## What happened?\n\n![A crowd in the square](images/photo.jpg)\n", *,
             image: bytes | None = None, site_yaml: str = SITE_YAML, **fields) -> Path:
        fields.setdefault("hero", HERO)
        return make_site({"content/story.md": explainer("A story", body, **fields),
                          "content/images/photo.jpg": image or photo(source_details=True)}, site_yaml)
    return make


def test_body_photo_is_a_picture_with_srcset_sizes_and_dimensions(photo_site):
    root = photo_site()
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    picture_tag = parse(out / "story/index.html").select_one(".article-body picture")
    source, img = picture_tag.find("source"), picture_tag.find("img")
    assert source["type"] == "image/webp" and source["sizes"] == img["sizes"] == ImageSettings().sizes
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("1600", "800", "lazy", "async")
    assert img["alt"] == "A crowd in the square"
    for attribute, fmt in ((source["srcset"], "WEBP"), (img["srcset"], "JPEG")):
        candidates = srcset_files(out, attribute)
        assert [w for _, w in candidates] == [480, 800, 1200, 1600]
        for path, width in candidates:
            with Image.open(path) as written:
                assert written.format == fmt and written.size == (width, width // 2)
    with Image.open(out / img["src"].lstrip("/")) as fallback:
        assert (fallback.format, fallback.size) == ("JPEG", (1600, 800))


def test_small_images_are_never_upscaled(photo_site):
    root = photo_site(image=photo(1000, 500))
    assert run_build(root).ok
    img = parse(root / "output/story/index.html").select_one(".article-body picture img")
    assert [w for _, w in srcset_files(root / "output", img["srcset"])] == [480, 800, 1000]
    assert (img["width"], img["height"]) == ("1000", "500")


def test_widths_and_sizes_come_from_site_yaml(photo_site):
    root = photo_site(site_yaml=SITE_YAML + 'images:\n  widths: [300, 600]\n  sizes: "50vw"\n')
    assert run_build(root).ok
    img = parse(root / "output/story/index.html").select_one(".article-body picture img")
    assert img["sizes"] == "50vw" and [w for _, w in srcset_files(root / "output", img["srcset"])] == [300, 600]


def test_the_hero_loads_first_and_cards_load_lazily(photo_site):
    root = photo_site()
    assert run_build(root).ok
    hero = parse(root / "output/story/index.html").select_one("figure.hero picture img")
    assert hero["fetchpriority"] == "high" and not hero.has_attr("loading") and hero["class"] == ["hero__image"]
    assert hero["sizes"] and len(srcset_files(root / "output", hero["srcset"])) == 4
    card = parse(root / "output/index.html").select_one(".card picture img.card__image")
    assert card["loading"] == "lazy" and card["decoding"] == "async" and card["alt"] == ""
    assert all(path.is_file() for path, _ in srcset_files(root / "output", card["srcset"]))


def test_link_previews_and_structured_data_get_crops(photo_site):
    root = photo_site(image=photo(4000, 3000))
    assert run_build(root).ok
    out = root / "output"
    soup = parse(out / "story/index.html")
    og = soup.find("meta", property="og:image")["content"]
    assert soup.find("meta", property="og:image:width")["content"] == "1200"
    assert soup.find("meta", property="og:image:height")["content"] == "630"
    with Image.open(out / og.removeprefix("https://example.org/")) as card:
        assert card.size == (1200, 630)
    article = next(d for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
                   if d["@type"] == "BackgroundNewsArticle")
    sizes = []
    for url in article["image"]:
        with Image.open(out / url.removeprefix("https://example.org/")) as crop:
            sizes.append(crop.size)
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]


def test_the_focus_keeps_the_subject_in_the_crops(photo_site):
    image = Image.new("RGB", (3000, 1000), (20, 20, 20))
    image.paste((250, 0, 0), (2500, 400, 2700, 600))  # the subject, near the right edge
    out = io.BytesIO()
    image.save(out, "JPEG")

    def square_centre(root: Path) -> tuple[int, int, int]:
        soup = parse(root / "output/story/index.html")
        article = next(d for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
                       if d["@type"] == "BackgroundNewsArticle")
        with Image.open(root / "output" / article["image"][2].removeprefix("https://example.org/")) as square:
            return square.convert("RGB").getpixel((square.width * 6 // 10, square.height // 2))

    root = photo_site(image=out.getvalue(), hero='{image: images/photo.jpg, alt: "A", focus: [0.87, 0.5]}')
    assert run_build(root).ok
    assert square_centre(root)[0] > 200  # red: the subject is in the square crop
    shutil.rmtree(root / "output")
    (root / "content/story.md").write_text(explainer("A story", "Text.\n", hero='{image: images/photo.jpg, alt: "A"}'))
    assert run_build(root).ok
    assert square_centre(root)[0] < 100  # a centred crop misses it


def test_no_published_image_keeps_gps_serial_or_owner(photo_site):
    root = photo_site(image=photo(3000, 2000, source_details=True))
    assert run_build(root).ok
    files = published_images(root / "output")
    assert len(files) >= 13  # 4 widths in 2 formats, the image's own path and 4 crops
    for path in files:
        data = path.read_bytes()
        assert b"SERIAL-4411" not in data and b"Owner Name" not in data and b"Newsroom" not in data
        with Image.open(path) as written:
            exif = written.getexif()
            assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), path
            assert not exif and "exif" not in written.info and "xmp" not in written.info, path


def test_keep_metadata_keeps_only_the_named_fields(photo_site):
    root = photo_site(image=photo(1000, 500, source_details=True),
                      site_yaml=SITE_YAML + "images:\n  keep_metadata: [copyright]\n")
    assert run_build(root).ok
    for path in published_images(root / "output"):
        with Image.open(path) as written:
            exif = written.getexif()
            assert exif.get(COPYRIGHT) == "(c) Newsroom", path
            assert ARTIST not in exif and not exif.get_ifd(GPS_IFD) and b"SERIAL-4411" not in path.read_bytes()


def test_exif_orientation_is_applied(photo_site):
    root = photo_site(image=photo(1200, 600, orientation=6))  # stored on its side: shown 600 wide, 1200 high
    assert run_build(root).ok
    img = parse(root / "output/story/index.html").select_one(".article-body picture img")
    assert (img["width"], img["height"]) == ("600", "1200")
    for path, width in srcset_files(root / "output", img["srcset"]):
        with Image.open(path) as written:
            assert written.size == (width, width * 2) and ORIENTATION not in written.getexif()


def test_svg_and_gif_pass_through_untouched(make_site):
    gif = io.BytesIO()
    Image.new("P", (40, 20)).save(gif, "GIF")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10"/>'
    root = make_site({"content/s.md": explainer("S", "![Chart](images/c.svg)\n\n![Loop](images/a.gif)\n"),
                      "content/images/c.svg": svg, "content/images/a.gif": gif.getvalue()})
    assert run_build(root).ok
    out = root / "output"
    assert (out / "images/c.svg").read_text() == svg and (out / "images/a.gif").read_bytes() == gif.getvalue()
    body = parse(out / "s/index.html").select_one(".article-body")
    assert body.find("picture") is None
    assert [(i["src"], i["width"], i["height"]) for i in body.find_all("img")] == [
        ("/images/c.svg", "30", "10"), ("/images/a.gif", "40", "20")]
    assert sorted(p.name for p in published_images(out)) == ["a.gif", "c.svg"]


@pytest.mark.parametrize("kind, data, expected", [
    ("corrupt", b"\xff\xd8\xff\xe0 this is not really a JPEG", "damaged"),
    ("not-an-image", b"%PDF-1.4 a document under an image name", "not an image nutgraf can read"),
    ("truncated", noisy(800, 600)[:9000], "truncated or damaged"),
    ("bomb", png_header(10_000, 10_000), "decompression bomb"),
    ("huge-bomb", png_header(40_000, 40_000), "decompression bomb"),
])
def test_broken_body_images_are_errors_with_the_markdown_line(make_site, kind, data, expected):
    body = "Lede.\n\n## What happened?\n\nText.\n\n![Broken](images/bad.jpg)\n"
    root = make_site({"content/s.md": explainer("S", body), "content/images/bad.jpg": data})
    result = run_build(root)
    assert not result.ok and not (root / "output").exists()
    line = explainer("S", body).splitlines().index("![Broken](images/bad.jpg)") + 1
    errors = [m for m in messages(result) if m.startswith(f"content/s.md:{line}: error: image 'images/bad.jpg'")]
    assert errors and expected in errors[0], messages(result)


def test_a_missing_image_and_a_broken_hero_name_their_lines(make_site):
    source = explainer("S", "Text.\n\n![Gone](images/gone.jpg)\n", hero='{image: images/bad.jpg, alt: "A"}')
    root = make_site({"content/s.md": source, "content/images/bad.jpg": b"GIF89a nonsense"})
    result = run_build(root)
    lines = source.splitlines()
    assert f"content/s.md:{lines.index('![Gone](images/gone.jpg)') + 1}" in "\n".join(messages(result))
    hero_line = next(i for i, text in enumerate(lines, 1) if text.startswith("hero:"))
    assert any(m.startswith(f"content/s.md:{hero_line}:") and "hero image 'images/bad.jpg' cannot be used" in m
               for m in messages(result)), messages(result)


def test_an_unused_broken_image_is_a_warning_and_not_published(make_site):
    root = make_site({"content/s.md": explainer("S"), "content/images/stray.jpg": photo(400, 300)[:300]})
    result = run_build(root)
    assert result.ok
    assert any(m.startswith("content/images/stray.jpg: warning: not published") for m in messages(result))
    assert not (root / "output/images").exists()


def test_an_oversized_original_gets_a_warning(photo_site):
    root = photo_site(image=photo(2000, 1000), site_yaml=SITE_YAML + "images:\n  warn_megapixels: 1\n")
    result = run_build(root)
    assert result.ok
    assert any(m.startswith("content/images/photo.jpg: warning: the original has 2 megapixels")
               for m in messages(result)), messages(result)


# ---- Incremental rebuilds ---------------------------------------------------------------------------------------

def store_times(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / ".nutgraf-cache/images").iterdir()}


@pytest.fixture
def two_stories(make_site):
    files = {"content/a.md": explainer("Story A", "## Q?\n\n![Photo A](images/a.jpg)\n", date="2020-01-02",
                                       hero='{image: images/a.jpg, alt: "A"}'),
             "content/b.md": explainer("Story B", "## Q?\n\n![Photo B](images/b.png)\n", date="2020-01-01"),
             "content/c.md": explainer("Story C", "## Q?\n\nNo pictures.\n", date="2019-01-01"),
             "content/images/a.jpg": photo(1800, 1200, color=(10, 120, 200)),
             "content/images/b.png": photo(900, 600, fmt="PNG", mode="RGBA", color=(0, 200, 0, 128))}
    root = make_site(files)
    assert run_build(root).ok
    return root


def test_a_rebuild_with_unchanged_images_does_no_image_work(two_stories, tmp_path):
    before = store_times(two_stories)
    path = two_stories / "content/c.md"
    path.write_text(path.read_text().replace("No pictures.", "Still no pictures."))
    touch_later(path)
    touch_later(two_stories / "content/images/a.jpg")  # a new stat key with the same bytes: no work either
    result = run_build(two_stories)
    assert result.ok and result.rendered == 1
    assert store_times(two_stories) == before
    assert_equals_clean_build(two_stories, tmp_path)


def test_a_changed_image_rerenders_its_pages_and_rewrites_its_files(two_stories, tmp_path):
    old = {p.name for p in published_images(two_stories / "output")}
    before = store_times(two_stories)
    (two_stories / "content/images/b.png").write_bytes(photo(900, 600, fmt="PNG", color=(250, 250, 0)))
    touch_later(two_stories / "content/images/b.png")
    result = run_build(two_stories)
    assert result.ok and result.rendered == 1 and result.parsed == 1  # story B's page: its card shows no image
    new = {p.name for p in published_images(two_stories / "output")}
    changed = old ^ new
    assert changed and all(name.startswith("b-") for name in changed)  # only b.png's widths got new names
    assert all(before[name] == mtime for name, mtime in store_times(two_stories).items() if name in before)
    assert_equals_clean_build(two_stories, tmp_path)


def test_a_changed_hero_rerenders_the_pages_that_show_it(two_stories, tmp_path):
    (two_stories / "content/images/a.jpg").write_bytes(photo(1800, 1200, color=(200, 20, 20)))
    touch_later(two_stories / "content/images/a.jpg")
    result = run_build(two_stories)
    assert result.ok and result.rendered > 1  # its page and every list with its card
    assert_equals_clean_build(two_stories, tmp_path)


def test_a_new_width_makes_only_the_new_files(two_stories, tmp_path):
    before = store_times(two_stories)
    site_yaml = two_stories / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "images:\n  widths: [480, 640, 800, 1200, 1600]\n")
    assert run_build(two_stories).ok
    after = store_times(two_stories)
    assert all(after[name] == mtime for name, mtime in before.items())  # nothing made again
    assert len(set(after) - set(before)) == 4  # 640 wide, in WebP and JPEG for a.jpg and WebP and PNG for b.png
    assert_equals_clean_build(two_stories, tmp_path)


def test_a_new_focus_makes_only_that_heros_crops(two_stories, tmp_path):
    before = store_times(two_stories)
    path = two_stories / "content/a.md"
    path.write_text(path.read_text().replace('alt: "A"}', 'alt: "A", focus: [0.1, 0.5]}'))
    touch_later(path)
    assert run_build(two_stories).ok
    after = store_times(two_stories)
    made = set(after) - set(before)
    assert len(made) == 2  # the 4:3 and 1:1 crops of a 3:2 photo move left; the wider ones span its whole width
    assert all(after[name] == mtime for name, mtime in before.items() if name in after)
    assert_equals_clean_build(two_stories, tmp_path)


def test_pages_with_photos_are_valid_html(photo_site):
    """The Nu Html Checker on a photo hero, a body photo and the cards: <picture>, srcset and sizes as HTML wants."""
    import subprocess

    from tools import find_executable, find_node_file
    java = find_executable("Java", ("java",), "JAVA", "install a Java runtime: apt-get install default-jre-headless")
    jar = find_node_file("vnu-jar", "build/dist/vnu.jar")
    root = photo_site()
    assert run_build(root).ok
    pages = [str(root / "output" / rel) for rel in ("story/index.html", "index.html")]
    run = subprocess.run([str(java), "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=600, check=False)
    assert json.loads(run.stderr or run.stdout)["messages"] == [] and run.returncode == 0
