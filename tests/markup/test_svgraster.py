"""The one rasterizer (resvg): SVGs fitted to a size, their text in the theme's fonts, and no file read."""

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.markup.svgraster import svg_image
from generator.outputs.themes import builtin_themes_dir

FONTS = [str(builtin_themes_dir() / "default/fonts/NotoSansCard-Regular.ttf")]
WIDE = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="1600" height="900"/></svg>'
TEXT = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="300" height="60" fill="#fff"/>'
        '<text x="10" y="40" font-family="{}" font-size="30">Işık مرحبا</text></svg>')


def ink(image: Image.Image) -> int:
    return sum(1 for v in image.convert("L").get_flattened_data() if v < 128)


@pytest.mark.parametrize(("size", "drawn"), [(None, (1600, 900)), ((376, 502), (376, 212)), ((376, 100), (178, 100))])
def test_an_svg_is_fitted_inside_the_size_its_proportions_kept(size, drawn):
    assert svg_image(WIDE, size).size == drawn


def test_text_naming_a_family_nobody_has_is_drawn_in_the_given_font():
    fallback = svg_image(TEXT.format("No Such Family"), fonts=FONTS)
    named = svg_image(TEXT.format("Noto Sans"), fonts=FONTS)
    assert ink(fallback) > 200  # Latin and Arabic letters, not an empty box
    assert ImageChops.difference(fallback.convert("RGB"), named.convert("RGB")).getbbox() is None


def test_no_file_an_svg_names_is_read(tmp_path: Path):
    red = tmp_path / "red.png"
    Image.new("RGB", (64, 64), "#ff0000").save(red)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" '
           f'height="64"><rect width="64" height="64" fill="#0000ff"/><image href="{red}" width="64" height="64"/>'
           f'<image xlink:href="{red}" width="64" height="64"/><filter id="f"><feImage href="{red}"/></filter>'
           '<rect width="64" height="64" filter="url(#f)" opacity="0.5"/></svg>')
    drawn = svg_image(svg).convert("RGB")
    assert drawn.getcolors() == [(64 * 64, (0, 0, 255))]


def test_an_svg_with_entities_is_refused():
    with pytest.raises(ValueError):
        svg_image('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
