"""Derivatives: each image file's widths and formats made as it looks, bombs refused unread."""

from __future__ import annotations

import io

import test_imaging
from PIL import Image, ImageCms
from samples import photo, png_header

from generator.outputs.derivatives import BOMB_PIXELS, store_path
from generator.outputs.imaging import process_images
from generator.sources.images import derivatives
from generator.sources.settings import ImageSettings

assets_of, content = test_imaging.assets_of, test_imaging.content  # a shared helper and fixture


def made(work, rel: str, settings: ImageSettings) -> list[Image.Image]:
    """Every derivative of one image, opened from the store."""
    facts = work.index[rel][2]
    return [Image.open(store_path(work.store.folder, d)) for d in derivatives(rel, facts, settings)]


def test_every_width_in_webp_and_the_original_format(content, tmp_path):
    folder = content("p.jpg", photo(2000, 1000))
    settings = ImageSettings()
    work = process_images(assets_of(folder), {}, settings, tmp_path / "cache", jobs=1)
    assert work.processed == 1 and not work.diagnostics
    opened = [(i.format, i.size) for i in made(work, "p.jpg", settings)]
    assert opened == [("WEBP", (w, w // 2)) for w in (480, 800, 1200, 1600)] + \
        [("JPEG", (w, w // 2)) for w in (480, 800, 1200, 1600)] + [("JPEG", (1600, 800))]


def test_transparency_survives_in_webp_and_png(content, tmp_path):
    image = Image.new("P", (600, 300))
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (0, 0, 300, 300))
    image.info["transparency"] = 0
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    folder = content("t.png", out.getvalue())
    work = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "cache", jobs=1)
    for written in made(work, "t.png", ImageSettings()):
        assert written.format in ("WEBP", "PNG")
        rgba = written.convert("RGBA")
        red, clear = rgba.getpixel((0, 0)), rgba.getpixel((written.width - 1, 0))
        assert red[0] > 240 and max(red[1:3]) < 20 and red[3] == 255 and clear[3] == 0


def test_cmyk_and_16_bit_images_come_out_as_they_look(content, tmp_path):
    cmyk = io.BytesIO()
    Image.new("CMYK", (500, 250), (0, 255, 255, 0)).save(cmyk, "JPEG")  # red in ink
    deep = io.BytesIO()
    Image.new("I;16", (500, 250), 32768).save(deep, "PNG")  # mid grey in 16 bits
    folder = content("ink.jpg", cmyk.getvalue())
    content("deep.png", deep.getvalue())
    work = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "cache", jobs=1)
    red = made(work, "ink.jpg", ImageSettings())[-1].convert("RGB").getpixel((10, 10))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60
    grey = made(work, "deep.png", ImageSettings())[-1].convert("RGB").getpixel((10, 10))
    assert 110 < grey[0] < 145


def test_colour_profiles_are_applied_then_dropped_unless_kept(content, tmp_path):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (500, 250), (20, 120, 220)).save(out, "JPEG", icc_profile=profile, quality=95)
    folder = content("c.jpg", out.getvalue())
    settings = ImageSettings()
    work = process_images(assets_of(folder), {}, settings, tmp_path / "cache", jobs=1)
    for written in made(work, "c.jpg", settings):
        assert "icc_profile" not in written.info
        assert all(abs(a - b) < 12 for a, b in zip(written.convert("RGB").getpixel((5, 5)), (20, 120, 220),
                                                    strict=True))
    keeping = ImageSettings(keep_metadata=("color_profile",))
    work = process_images(assets_of(folder), {}, keeping, tmp_path / "cache2", jobs=1)
    assert all(written.info.get("icc_profile") == profile for written in made(work, "c.jpg", keeping))


def test_decompression_bombs_are_refused_unread(content, tmp_path):
    side = int(BOMB_PIXELS ** 0.5) + 10
    folder = content("bomb.png", png_header(side, side))
    content("huge.png", png_header(side * 3, side * 3))
    work = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "cache", jobs=1)
    assert all("decompression bomb" in work.index[rel][2].problem for rel in ("bomb.png", "huge.png"))
    assert work.processed == 0 and not any((tmp_path / "cache/images").iterdir())


def test_animated_images_pass_through(content, tmp_path):
    frames = [Image.new("RGB", (40, 40), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    folder = content("loop.webp", out.getvalue())
    work = process_images(assets_of(folder), {}, ImageSettings(), tmp_path / "cache", jobs=1)
    pic = work.pictures["loop.webp"]
    assert pic.facts.pass_through and pic.src == "/loop.webp" and pic.sources == ()
