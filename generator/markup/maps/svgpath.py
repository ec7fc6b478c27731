"""SVG path data for shapely polygons in map units, short: one decimal, relative steps."""

from __future__ import annotations

from shapely.geometry import Polygon


def svg_path(geometry) -> str:
    """SVG path data for polygons in map units: absolute start, relative steps of rounded points (no drift)."""
    parts = []
    for polygon in polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            points = [(round(x, 1), round(y, 1)) for x, y in ring.coords[:-1]]
            if len(points) < 3:
                continue
            steps = [f"M{_num(points[0][0])} {_num(points[0][1])}l"]
            steps += [_pair(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:], strict=False)]
            parts.append("".join(steps).rstrip("l") + "z")
    return "".join(parts)


def polygons(geometry) -> list[Polygon]:
    """The polygons in a geometry of any kind (clipping leaves collections of polygons, lines and points)."""
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [p for part in getattr(geometry, "geoms", ()) for p in polygons(part)]


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pair(dx: float, dy: float) -> str:
    x, y = _num(dx), _num(dy)
    return (x if x.startswith("-") else f" {x}") + (y if y.startswith("-") else f" {y}")
