"""Locator maps: `:::map` names the places to show; the map is drawn here, once per parse, as inline SVG."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...diagnostics import did_you_mean
from .base import BlockType, Found, Html, Svg, first_list, item_body
from .charting.store import ChartStore

# The map data and drawing need numpy, shapely and pyproj (half a second to import): they are imported by the
# functions that need them, so that a build or a quick rebuild of explainers without a map never loads them.
if TYPE_CHECKING:
    from ..maps.data import Country, Place
    from ..maps.draw import MapSpec

PLACE_HINT = ("write each place on its own line: `- Astana`, `- Syria: the war the talks are about`, or a point "
              "of your own as `- Name @ 51.13, 71.43`")
# `Name`, `Name @ lat, lon`, each optionally followed by `: what the list below the map says about it`
_ITEM = re.compile(r"^\s*(?P<name>[^:@]+?)\s*(?:@\s*(?P<lat>[^,:]+?)\s*,\s*(?P<lon>[^:]+?)\s*)?(?::\s*|$)")


def _coordinate(found: Found, text: str, low: float, high: float, what: str, line: int) -> float | None:
    try:
        value = float(text.replace("\u2212", "-"))
    except ValueError:
        found.fail(f"'{text}' is not a {what}", "write coordinates in decimal degrees, e.g. @ 51.13, 71.43", line)
        return None
    if not low <= value <= high:
        found.fail(f"the {what} {value:g} is out of range ({low:g} to {high:g})",
                   "write latitude first, then longitude, in decimal degrees (south and west are negative)", line)
        return None
    return value


def lookup(found: Found, name: str, line: int, cities: bool = True) -> Country | Place | None:
    """A country (tried first) or a city by name; an unknown name is reported with the closest known one."""
    from ..maps.data import fold, geodata

    data = geodata()
    key = fold(name)
    hit = data.countries.get(key) or (data.places.get(key) if cities else None)
    if hit is None:
        names = data.names if cities else sorted({c.name for c in data.countries.values()})
        found.fail(f"unknown place '{name}' on the map", did_you_mean(name, names) or "the map knows countries "
                   "and capitals by their English names; for any other place give its coordinates: "
                   f"`- {name} @ lat, lon`", line)
    return hit


def _names(found: Found, attribute: str, cities: bool) -> list[Country | Place] | None:
    """The places named in a comma-separated attribute; None when one is unknown (reported)."""
    wanted = [name.strip() for name in found.attrs.get(attribute, "").split(",") if name.strip()]
    hits = [lookup(found, name, found.line, cities) for name in wanted]
    return None if None in hits else hits


def _item(found: Found, item) -> tuple[Country | Place, str, dict] | None:
    """One list item: what it names, the label shown, and the values of its line in the list."""
    from ..maps.data import Country, Place, country_name, place_name

    target = item_body(item)
    text = target.text or ""
    match = _ITEM.match(text)
    line = found.line_of(text.strip()[:30])
    if match is None or not match["name"].strip():
        found.fail("a map place has no name", PLACE_HINT, line)
        return None
    name = match["name"].strip()
    if match["lat"] is not None:
        lat = _coordinate(found, match["lat"], -90, 90, "latitude", line)
        lon = _coordinate(found, match["lon"], -180, 180, "longitude", line)
        if lat is None or lon is None:
            return None
        hit: Country | Place | None = Place(name, lat, lon)
    else:
        hit = lookup(found, name, line)
        if hit is None:
            return None
    target.text = text[match.end():]
    has_note = bool(target.text.strip() or len(target))
    lang = found.md.nutgraf_lang
    label = country_name(hit, lang) if isinstance(hit, Country) else place_name(hit, lang)
    kind = "country" if isinstance(hit, Country) else "point"
    return hit, label, {"name": label, "kind": kind, "note": found.html(item) if has_note else Html("")}


def build(found: Found) -> dict | None:
    """The places listed (countries shaded, cities and coordinates marked), the map drawn from them."""
    from ..maps.data import Country, Place, country_name
    from ..maps.draw import MapSpec

    items = first_list(found.element)
    highlight = _names(found, "highlight", cities=False)
    focus = _names(found, "focus", cities=True)
    if items is None and not highlight:
        found.fail(":::map needs a list of places, or a country to highlight", PLACE_HINT)
        return None
    parsed = [_item(found, item) for item in (items.findall("li") if items is not None else [])]
    if None in parsed or highlight is None or focus is None:
        return None
    lang = found.md.nutgraf_lang
    spec = MapSpec(found.text("description"), found.text("title"), tuple(highlight),
                   tuple(hit for hit, _, _ in parsed if isinstance(hit, Country) and hit not in highlight),
                   tuple(hit for hit, _, _ in parsed if isinstance(hit, Place)), tuple(focus), lang,
                   found.md.nutgraf_dir == "rtl", found.attrs.get("inset", "yes").strip().lower() != "no")
    places = [values for _, _, values in parsed]
    places[:0] = [{"name": country_name(c, lang), "kind": "highlight", "note": Html("")} for c in highlight]
    return {"title": found.text("title"), "description": found.text("description"), "source": found.text("source"),
            "svg": Svg(_drawn(found, spec)), "places": places}


def _drawn(found: Found, spec: MapSpec) -> str:
    """The map's drawing, from the store when a build drew the same map before (drawing takes a second)."""
    from ..maps.draw import draw_map, map_key

    store: ChartStore = getattr(found.md, "nutgraf_chart_store", None) or ChartStore()
    key = map_key(spec)
    found.md.nutgraf_map_keys.append(key)  # kept in the store while an explainer draws it
    svg = store.get_map(key)
    if svg is None:
        svg = draw_map(spec)
        store.put_map(key, svg)
    return svg


BLOCKS = (BlockType("map", build, required=("description",), optional=("title", "source", "highlight", "focus",
                                                                        "inset")),)
