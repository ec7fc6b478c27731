"""Map drawing: any area of the world, poles and 180 degrees included."""

import pytest
from lxml import etree

from generator.markup.maps.data import Country, Place, fold, geodata
from generator.markup.maps.draw import MapSpec, draw_map

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("names", [("Russia", "Chile", "Australia"), ("Madrid", "Wellington"), ("Antarctica",),
                                   ("Fiji",)])
def test_maps_across_half_the_world_the_poles_and_180_degrees_still_draw(names):
    data = geodata()
    hits = [data.countries.get(fold(n)) or data.places[fold(n)] for n in names]
    spec = MapSpec("A map", marked=tuple(h for h in hits if isinstance(h, Country)),
                   points=tuple(h for h in hits if isinstance(h, Place)))
    svg = etree.fromstring(draw_map(spec).encode())
    drawn = " ".join(p.get("d", "") for p in svg.iter(f"{SVG_NS}path"))
    assert "nan" not in drawn and "inf" not in drawn
    assert float(svg.get("viewBox").split()[3]) > 100
    if names == ("Antarctica",):  # its ring runs to the pole and back along 180°: repaired, not dropped
        assert len(svg.find(f"{SVG_NS}path[@class='map-marked']").get("d")) > 1000
