"""SVG of maps: path data for shapely polygons in map units (one decimal, relative steps) and the colours
an element carries where no style sheet reaches it."""

from __future__ import annotations

from shapely.geometry import Polygon

# Colours and type where no style sheet reaches the map (a feed reader, a copied SVG). The theme's CSS
# (.map-* classes, on its variables) overrides presentation attributes, so pages follow dark mode and print.
PRESENTATION = {
    "map-sea": 'fill="#dde8ef"',
    "map-land": 'fill="#f5f3ee" stroke="#b9b3a8" stroke-width=".6"',
    "map-marked": 'fill="#ebcdb9" stroke="#8c8276" stroke-width=".8"',
    "map-highlight": 'fill="#b0221b" stroke="#1a1a1a" stroke-width=".8"',
    "map-points": 'fill="#1a1a1a" stroke="#fff" stroke-width="1.5"',
    "map-labels": 'fill="#1a1a1a" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" '
                  'font-family="sans-serif" font-size="17" font-weight="700"',
    "map-inset-sea": 'fill="#dde8ef" stroke="#1a1a1a"',
    "map-inset-land": 'fill="#8c8276"',
    "map-inset-frame": 'fill="none" stroke="#b0221b" stroke-width="1.5"',
    "map-scale": 'fill="#1a1a1a" font-family="sans-serif" font-size="13"',
    "map-scale-bar": 'fill="none" stroke="#1a1a1a" stroke-width="1.5"',
}


def styled(name: str) -> str:
    """The class attribute of a map element, with its colours for where the theme's CSS does not reach."""
    return f'class="{name}" {PRESENTATION[name]}'


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
