"""Locator maps drawn as inline SVG: countries projected with pyproj (Lambert azimuthal equal-area centred on
the area shown), clipped and simplified with shapely, places and labels on top, an inset globe and a scale bar.
Colours come from the theme's CSS classes (map-*), so that dark mode and print restyle the map."""

from __future__ import annotations

import hashlib
import html
import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.affinity import affine_transform
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

from ... import __version__
from .data import Country, Place, coarse_countries, country_name, geodata, place_name
from .furniture import inset, scale_bar
from .labels import Box, Placed, Wanted, place_labels
from .svgpath import polygons, styled, svg_path

WIDTH = 600.0  # the viewBox's width; the SVG scales to the column
LABEL, SMALL_LABEL = 17.0, 14.0  # font sizes in map units (a 600-unit map in a 700 px column: about 20 px)
TOLERANCE = 0.35  # map units: simplification below what a screen shows
INSET_RADIUS = 52.0
EARTH = 6_371_008.8


@dataclass(frozen=True, slots=True)
class MapSpec:
    """What one :::map shows; everything the drawing depends on (it is the drawing's cache key too)."""

    description: str
    title: str = ""
    highlight: tuple[Country, ...] = ()  # the subject, in the strongest colour
    marked: tuple[Country, ...] = ()  # countries named in the list
    points: tuple[Place, ...] = ()  # cities and coordinates, labelled with their names
    focus: tuple[Country | Place, ...] = ()  # what the frame must hold (default: all of the above)
    lang: str = "en"
    rtl: bool = False
    inset: bool = True


@dataclass(frozen=True, slots=True)
class _Frame:
    """The part of the projected plane shown: its bounds in metres, and metres to map units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def k(self) -> float:
        return WIDTH / (self.x1 - self.x0)

    @property
    def height(self) -> float:
        return round((self.y1 - self.y0) * self.k, 1)

    def to_map(self, geometry):
        k = self.k
        return affine_transform(geometry, [k, 0, 0, -k, -self.x0 * k, self.y1 * k])

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x0) * self.k, (self.y1 - y) * self.k


def _centre(focus) -> tuple[float, float]:
    """The centre (lon, lat) of what is framed: the mean of unit vectors, so a region across 180° works."""
    lons, lats = [], []
    for item in focus:
        if isinstance(item, Place):
            lons.append(item.lon)
            lats.append(item.lat)
        else:
            ring = max((p[0] for p in item.polygons), key=len)
            lons += list(ring[::max(1, len(ring) // 200), 0])
            lats += list(ring[::max(1, len(ring) // 200), 1])
    lon, lat = np.radians(lons), np.radians(lats)
    x, y, z = (np.cos(lat) * np.cos(lon)).mean(), (np.cos(lat) * np.sin(lon)).mean(), np.sin(lat).mean()
    return math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))


def _unit(lon, lat):
    lon, lat = np.radians(lon), np.radians(lat)
    return np.stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)), axis=-1)


@cache
def _polygon_caps(coarse: bool) -> tuple[tuple, np.ndarray, np.ndarray]:
    """Every country's polygons, each with the spherical cap that holds it (centre, angular radius): which
    polygons can reach a map is known without projecting them. Once per process."""
    countries = {c.name: c for c in (coarse_countries() if coarse else geodata().countries.values())}
    polygons = tuple((name, polygon) for name, c in countries.items() for polygon in c.polygons)
    centres, radii = [], []
    for _, polygon in polygons:
        points = _unit(*polygon[0].T)
        centre = points.mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        centres.append(centre)
        radii.append(float(np.arccos(np.clip(points @ centre, -1, 1)).max()))
    return polygons, np.array(centres), np.array(radii)


def projected(transformer: Transformer, lon0: float, lat0: float, reach: float = math.pi, coarse: bool = False,
              names: frozenset[str] | None = None) -> dict[str, MultiPolygon]:
    """The countries (or those `names`) with a polygon within `reach` (radians) of the centre, projected, by
    name; polygons near the far side of the globe are left out, where the projection tears."""
    candidates, centres, radii = _polygon_caps(coarse)
    distance = np.arccos(np.clip(centres @ _unit(lon0, lat0), -1, 1))
    chosen = [candidates[i] for i in np.flatnonzero((distance - radii < reach) & (distance + radii < math.pi * 0.83))
              if names is None or candidates[i][0] in names]
    rings = [(name, ring) for name, polygon in chosen for ring in polygon]
    if not rings:
        return {}
    coords = np.concatenate([ring for _, ring in rings])
    xs, ys = transformer.transform(coords[:, 0], coords[:, 1])
    shapes: dict[str, list[Polygon]] = {}
    start = 0
    for name, polygon in chosen:
        ends = np.cumsum([start] + [len(ring) for ring in polygon])
        start = int(ends[-1])
        rings_xy = [np.column_stack((xs[a:b], ys[a:b])) for a, b in zip(ends, ends[1:], strict=False) if b - a >= 4]
        if rings_xy and len(polygon[0]) >= 4:
            shape = Polygon(rings_xy[0], rings_xy[1:])
            if abs(polygon[0][:, 1]).max() > 89.9:  # Antarctica's ring runs to the pole and back along 180°
                shape = shapely.make_valid(shape)
            shapes.setdefault(name, []).extend(polygons(shape))
    return {name: MultiPolygon(parts) for name, parts in shapes.items()}


def _frame(focus, shapes: dict[str, MultiPolygon], transformer: Transformer) -> _Frame:
    """Bounds holding every focused place and country with a margin, at least 600 km across, not too tall."""
    boxes = [(0.0, 0.0, 0.0, 0.0)]  # the centre, at least
    for item in focus:
        if isinstance(item, Place):
            x, y = transformer.transform(item.lon, item.lat)
            boxes.append((x, y, x, y))
        elif item.name in shapes:
            boxes.append(shapes[item.name].bounds)
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = max(x1 - x0, 600_000.0), max(y1 - y0, 400_000.0)
    width, height = width * 1.16, height * 1.2  # room for labels at the edges
    width, height = max(width, height), max(height, width * 0.62)  # between 1:1 and 1:0.62
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # A locator map shows at most the near hemisphere (a disc of radius EARTH * sqrt 2): what lies farther
    # is torn by the projection, and places that far apart need two maps.
    half = EARTH * math.sqrt(2)
    x0, x1 = max(cx - width / 2, -half), min(cx + width / 2, half)
    y0, y1 = max(cy - height / 2, -half), min(cy + height / 2, half)
    return _Frame(x0, y0, x1, max(y1, y0 + (x1 - x0) * 0.62))


def _clipped(shapes: dict[str, MultiPolygon], names, frame: _Frame):
    """The named countries cut to the frame, in map units and simplified; an empty list when none shows."""
    found = []
    for name in names:
        if name not in shapes:
            continue
        part = shapely.clip_by_rect(shapes[name], frame.x0, frame.y0, frame.x1, frame.y1)
        if not part.is_empty:
            found.append(frame.to_map(part).simplify(TOLERANCE, preserve_topology=False))
    return found


def _label_spot(geometry) -> tuple[float, float]:
    largest = max(polygons(geometry), key=lambda g: g.area)
    spot = polylabel(largest, tolerance=2.0) if largest.area > 4 else largest.representative_point()
    return spot.x, spot.y


_ANCHOR = {"left": "start", "right": "end", "middle": "middle"}  # the SVG is direction="ltr": start is left


def _labels_svg(placed: list[Placed]) -> str:
    texts = []
    for p in placed:
        kind = ("map-label" + (" map-minor" if p.minor else "") + (" map-label-small" if p.size < LABEL else ""))
        texts.append(f'<text class="{kind}" x="{p.x:.1f}" y="{p.y:.1f}" text-anchor="{_ANCHOR[p.side]}">'
                     f"{html.escape(p.text)}</text>")
    return "".join(texts)


def _corner_boxes(height: float, size: float) -> list[Box]:
    """The four corners a furniture item may sit in: top right, top left, bottom right, bottom left."""
    pad = 6.0
    return [(WIDTH - size - pad, pad, WIDTH - pad, pad + size), (pad, pad, pad + size, pad + size),
            (WIDTH - size - pad, height - size - pad, WIDTH - pad, height - pad),
            (pad, height - size - pad, pad + size, height - pad)]


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _free_corner(corners: list[Box], avoid: list[Box]) -> Box:
    """The first corner that covers nothing to avoid, else the one that covers least."""
    return min(corners, key=lambda c: (sum(_overlap(c, b) for b in avoid), corners.index(c)))


def _furniture(spec: MapSpec, frame: _Frame, crs: str, centre: tuple[float, float],
               avoid: list[Box]) -> tuple[list[str], list[Box]]:
    """The inset globe (in a top corner clear of the subject) and the scale bar (bottom, on the reading side's
    start); their SVG and the boxes they take."""
    parts, taken = [], []
    height = frame.height
    if spec.inset and frame.x1 - frame.x0 < 8_000_000:  # a map of half the world needs no globe beside it
        tops = _corner_boxes(height, 2 * INSET_RADIUS + 4)[:2]
        corner = _free_corner(tops[::-1] if spec.rtl else tops, avoid)
        forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        land = [p for g in projected(forward, *centre, math.pi / 2, coarse=True).values() for p in g.geoms]
        ring = np.array([(frame.x0, frame.y0), (frame.x1, frame.y0), (frame.x1, frame.y1), (frame.x0, frame.y1)])
        parts.append(inset(land, ring, INSET_RADIUS, (corner[0] + corner[2]) / 2, (corner[1] + corner[3]) / 2))
        taken.append(corner)
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    bar_x = WIDTH - 10 if spec.rtl else 10.0
    bar, bar_box = scale_bar(inverse, frame, bar_x, height - 10, spec.lang, spec.rtl)
    return [*parts, bar], [*taken, bar_box]


MAP_RECIPE = "1"  # bump when drawing changes within a version, so that kept maps are drawn again


def _place_key(place: Country | Place) -> tuple:
    return (place.name, place.code) if isinstance(place, Country) else (place.name, place.lat, place.lon, place.country)


def map_key(spec: MapSpec) -> str:
    """The digest of everything a map's drawing depends on (the boundaries ship with this version of nutgraf, so
    a country stands for its name and code)."""
    shaping = repr((__version__, MAP_RECIPE, spec.description, spec.title,
                    *(tuple(_place_key(p) for p in group) for group in (spec.highlight, spec.marked, spec.points,
                                                                       spec.focus)),
                    spec.lang, spec.rtl, spec.inset))
    return hashlib.blake2b(shaping.encode(), digest_size=12).hexdigest()


@lru_cache(maxsize=32)  # watch mode parses an edited body again: its maps, unchanged, are not drawn again
def draw_map(spec: MapSpec) -> str:
    """The map as an SVG element (role="img", titled and described), with no script and no outside reference."""
    focus = spec.focus or (*spec.highlight, *spec.marked, *spec.points)
    lon0, lat0 = _centre(focus)
    crs = f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m"
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    named = frozenset(item.name for item in focus if isinstance(item, Country))
    frame = _frame(focus, projected(forward, lon0, lat0, names=named), forward)
    corner = max(math.hypot(x, y) for x in (frame.x0, frame.x1) for y in (frame.y0, frame.y1))
    reach = 2 * math.asin(min(1.0, corner / (2 * EARTH))) * 1.05  # the frame's angular radius, a little more
    shapes = projected(forward, lon0, lat0, reach)
    special = {c.name for c in (*spec.highlight, *spec.marked)}
    others = MultiPolygon([p for g in _clipped(shapes, [n for n in shapes if n not in special], frame)
                           for p in polygons(g)])
    marked = [(c, g) for c in spec.marked for g in _clipped(shapes, [c.name], frame)]
    highlighted = [(c, g) for c in spec.highlight for g in _clipped(shapes, [c.name], frame)]
    points = [(p, *frame.point(*forward.transform(p.lon, p.lat))) for p in spec.points]
    parts = [f'<rect {styled("map-sea")} width="{WIDTH:.0f}" height="{frame.height:.1f}"/>',
             f'<path {styled("map-land")} d="{svg_path(others)}"/>',
             *(f'<path {styled("map-marked")} d="{svg_path(g)}"/>' for _, g in marked),
             *(f'<path {styled("map-highlight")} d="{svg_path(g)}"/>' for _, g in highlighted)]
    avoid = [(x - 12, y - 12, x + 12, y + 12) for _, x, y in points] + [g.bounds for _, g in highlighted]
    furniture, taken = _furniture(spec, frame, crs, (lon0, lat0), avoid)
    parts += furniture
    parts.append(f'<g {styled("map-points")}>' + "".join(
        f'<circle class="map-point" cx="{x:.1f}" cy="{y:.1f}" r="4.5"/>' for _, x, y in points) + "</g>")
    wanted = [Wanted(place_name(p, spec.lang), x, y, True, LABEL) for p, x, y in points]
    wanted += [Wanted(country_name(c, spec.lang), *_label_spot(g), False, LABEL) for c, g in highlighted]
    wanted += [Wanted(country_name(c, spec.lang), *_label_spot(g), False, SMALL_LABEL, True) for c, g in marked]
    taken += [(x - 5, y - 5, x + 5, y + 5) for _, x, y in points]
    placed = place_labels(wanted, taken, (2, 2, WIDTH - 2, frame.height - 2), spec.rtl)
    parts.append(f'<g {styled("map-labels")}>{_labels_svg(placed)}</g>')
    title = html.escape(spec.title or spec.description)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" viewBox="0 0 {WIDTH:.0f} {frame.height:.1f}" '
            f'role="img" direction="ltr"><title>{title}</title><desc>{html.escape(spec.description)}</desc>'
            + "".join(parts) + "</svg>")
