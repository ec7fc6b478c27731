"""Make generator/markup/geodata/ (the boundaries and places that :::map draws) from Natural Earth, once.

Run by hand when the data should change; builds never fetch anything. Inputs, both public domain Natural Earth:
  - countries-50m.json of the npm package world-atlas 2.0.2 (TopoJSON of Natural Earth's 1:50m admin 0
    countries):  npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
  - naturalearth_cities of the geopandas 0.14.4 wheel (Natural Earth's populated places, simple: 243 capitals
    and large cities):  pip download geopandas==0.14.4 --no-deps && unzip geopandas-0.14.4-py3-none-any.whl
Then:  python scripts/make_geodata.py package/countries-50m.json \\
           geopandas/datasets/naturalearth_cities/naturalearth_cities
(needs pyshp and shapely). Country codes come from CLDR's numeric aliases (through Babel).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import shapefile  # pyshp: reads the cities' shapefile; only this script needs it
from babel.core import get_global
from shapely.geometry import Point, Polygon, shape

OUT = Path(__file__).resolve().parent.parent / "generator" / "markup" / "geodata"
EXTRA_CODES = {"Kosovo": "XK"}  # no ISO number, a CLDR code
SCALE = 1000  # coordinates kept as thousandths of a degree (about 100 m), as 1:50m data needs at most
# Natural Earth's simple places as shipped: a few names lost their letters, one city was renamed since.
RENAMED = {"?saka": "Ōsaka", "Chi?in?u": "Chișinău", "Nur-Sultan": "Astana", "Washington,  D.C.": "Washington, D.C."}
ALIASES = {"Astana": ["Nur-Sultan"], "Kyiv": ["Kiev"], "København": ["Copenhagen"], "Washington, D.C.": ["Washington"],
           "Ōsaka": ["Osaka"], "Chișinău": ["Chisinau"], "Ürümqi": ["Urumqi"], "Sanaa": ["Sana'a"],
           "Brasília": ["Brasilia"], "São Paulo": ["Sao Paulo"], "Reykjavík": ["Reykjavik"]}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def encoded(points: list[tuple[float, float]]) -> list[int]:
    """A ring as flat, delta-encoded integers (x0, y0, dx1, dy1, ...), repeated points dropped."""
    flat: list[int] = []
    last = None
    for lon, lat in points:
        now = (round(lon * SCALE), round(lat * SCALE))
        if now == last:
            continue
        flat += [now[0], now[1]] if last is None else [now[0] - last[0], now[1] - last[1]]
        last = now
    return flat


def countries(path: Path) -> tuple[list[dict], dict[str, Polygon]]:
    topology = json.loads(path.read_text())
    arcs = decode_arcs(topology)
    aliases = get_global("territory_aliases")
    found, shapes = [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [[ring(arcs, r) for r in polygon] for polygon in polygons]
        name = geometry["properties"]["name"]
        code = (aliases.get(geometry.get("id", ""), [""]) or [""])[0] or EXTRA_CODES.get(name, "")
        found.append({"code": code, "name": name, "polygons": [[encoded(r) for r in poly] for poly in rings]})
        shapes[name] = shape({"type": "MultiPolygon", "coordinates": rings}).buffer(0)
    return sorted(found, key=lambda c: c["name"]), shapes


def places(path: str, shapes: dict[str, Polygon], coded: dict[str, str]) -> list[dict]:
    reader = shapefile.Reader(path)
    found = []
    for record, geometry in zip(reader.records(), reader.shapes(), strict=True):
        name = RENAMED.get(record[0], record[0])
        lon, lat = geometry.points[0]
        point = Point(lon, lat)
        country = next((c for c, s in shapes.items() if s.contains(point)), None)
        if country is None:  # a coastal capital just off the 1:50m coastline: the nearest country
            country = min(shapes, key=lambda c: shapes[c].distance(point))
        found.append({"name": name, "lat": round(lat, 4), "lon": round(lon, 4), "country": coded.get(country, ""),
                      **({"aliases": ALIASES[name]} if name in ALIASES else {})})
    return sorted(found, key=lambda p: p["name"])


def main(countries_json: str, cities_shp: str) -> None:
    country_list, shapes = countries(Path(countries_json))
    coded = {c["name"]: c["code"] for c in country_list}
    OUT.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"scale": SCALE, "countries": country_list}, separators=(",", ":"), ensure_ascii=False)
    (OUT / "countries.json.gz").write_bytes(gzip.compress(data.encode(), 9, mtime=0))
    listed = json.dumps(places(cities_shp, shapes, coded), indent=0, ensure_ascii=False)
    (OUT / "places.json").write_text(listed + "\n", encoding="utf-8")
    for name in ("countries.json.gz", "places.json"):
        print(name, (OUT / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main(*sys.argv[1:3])
