"""What a locator map shows besides the area: an inset globe with the area outlined, and a scale bar."""

from __future__ import annotations

import math

import numpy as np
import shapely
from babel import UnknownLocaleError
from babel.units import format_unit
from pyproj import Geod, Transformer
from shapely.geometry import Point, Polygon

from .svgpath import styled, svg_path

GEOD = Geod(ellps="WGS84")
EARTH = 6_371_008.8
HEMISPHERE = EARTH * math.sqrt(2)  # in azimuthal equal-area, the near hemisphere is the disc of this radius


def _to_globe(coords: np.ndarray, radius: float, cx: float, cy: float) -> np.ndarray:
    """Azimuthal equal-area coordinates (metres) on the near hemisphere as an orthographic globe in map units."""
    rho = np.hypot(coords[:, 0], coords[:, 1])
    c = 2 * np.arcsin(np.clip(rho / (2 * EARTH), 0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(rho > 0, np.sin(c) / np.where(rho > 0, rho, 1), 1 / EARTH) * radius
    return np.column_stack((cx + coords[:, 0] * factor, cy - coords[:, 1] * factor))


def _globe_path(geometry, radius: float, cx: float, cy: float) -> str:
    return svg_path(shapely.transform(geometry, lambda coords: _to_globe(np.asarray(coords), radius, cx, cy)))


def inset(land, frame_ring: np.ndarray, radius: float, cx: float, cy: float) -> str:
    """An orthographic globe centred on the map's centre: its land, and the map's frame outlined on it."""
    disc = Point(0, 0).buffer(HEMISPHERE * 0.999, 48)
    valid = shapely.make_valid(np.array(land))  # each polygon on its own: simplified neighbours overlap a little
    shown = shapely.GeometryCollection(list(shapely.intersection(valid, disc)))
    outline = Polygon(frame_ring)
    return (f'<g class="map-inset"><circle {styled("map-inset-sea")} cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}"/>'
            f'<path {styled("map-inset-land")} d="{_globe_path(shown, radius, cx, cy)}"/>'
            f'<path {styled("map-inset-frame")} d="{_globe_path(outline, radius, cx, cy)}"/></g>')


def nice_length(km: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten not above `km`."""
    power = 10 ** math.floor(math.log10(km))
    return max(step * power for step in (1, 2, 5) if step * power <= km)


def scale_bar(inverse: Transformer, frame, x: float, y: float, lang: str, rtl: bool) -> tuple[str, tuple]:
    """A bar of a round number of kilometres measured on the ellipsoid at (x, y), about a fifth of the map wide;
    its SVG and the box it takes."""
    probe = 100.0  # map units
    (lon0, lon1), (lat0, lat1) = inverse.transform(
        [frame.x0 + x / frame.k, frame.x0 + (x + probe) / frame.k], [frame.y1 - y / frame.k] * 2)
    km_per_unit = GEOD.inv(lon0, lat0, lon1, lat1)[2] / 1000 / probe
    if not math.isfinite(km_per_unit) or km_per_unit <= 0:  # the bar's place is off the globe: no bar
        return "", (x, y, x, y)
    km = nice_length(120 * km_per_unit)
    length = km / km_per_unit
    try:
        text = format_unit(km, "length-kilometer", length="short", locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        text = f"{km:g} km"
    start = x - length if rtl else x
    end = start + length
    anchor = "end" if rtl else "start"  # the map is drawn left to right: "end" is the right edge
    label_x = end if rtl else start
    svg = (f'<g {styled("map-scale")}><path {styled("map-scale-bar")} d="M{start:.1f} {y - 4:.1f}v4h{length:.1f}v-4"/>'
           f'<text x="{label_x:.1f}" y="{y - 9:.1f}" text-anchor="{anchor}">{text}</text></g>')
    return svg, (min(start, end) - 2, y - 26, max(start, end) + 2, y + 2)
