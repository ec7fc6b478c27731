"""Geodata: Natural Earth's countries (1:50m) and capitals shipped in markup/geodata/, read once per process,
and places looked up by name in any case, with a "did you mean" for a name it does not know."""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import shapely
from babel import Locale, UnknownLocaleError
from babel.core import get_global

DATA = Path(__file__).resolve().parent.parent / "geodata"
COUNTRIES_FILE, PLACES_FILE = DATA / "countries.json.gz", DATA / "places.json"


@dataclass(frozen=True, slots=True, eq=False)  # one object per country per process: compared (and hashed,
class Country:  # as a map's cache key) by identity, not by its hundred thousand coordinates
    """A country's name, ISO 3166 code ("" for the few without one) and rings in degrees (lon, lat)."""

    name: str
    code: str
    polygons: tuple[tuple[np.ndarray, ...], ...]  # polygons of rings (n x 2 arrays): outer, then holes


@dataclass(frozen=True, slots=True)
class Place:
    """A point on the map: a city from the data or coordinates an editor wrote, and the country it is in."""

    name: str
    lat: float
    lon: float
    country: str = ""  # ISO code


@dataclass(frozen=True, slots=True)
class Geodata:
    countries: MappingProxyType  # key (folded name or code) -> Country
    places: MappingProxyType  # key (folded name or alias) -> Place
    names: tuple[str, ...]  # every name as written, for "did you mean"


def fold(name: str) -> str:
    """A name as looked up: case and accents ignored, so that "sao paulo" finds São Paulo."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _ring(flat: list[int], scale: int) -> np.ndarray:
    """A ring as stored (delta-encoded integers) as an (n, 2) array of (lon, lat), read-only."""
    ring = np.array(flat, dtype=np.int64).reshape(-1, 2).cumsum(axis=0) / scale
    ring.flags.writeable = False
    return ring


def _area(ring: np.ndarray) -> float:
    """A ring's area in square degrees (shoelace)."""
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))) / 2


@cache
def geodata() -> Geodata:
    """The shipped data, decoded once per process (about 0.1 s) and read-only after."""
    raw = json.loads(gzip.decompress(COUNTRIES_FILE.read_bytes()))
    countries: dict[str, Country] = {}
    english = Locale("en").territories
    for item in raw["countries"]:
        polygons = tuple(tuple(_ring(ring, raw["scale"]) for ring in polygon) for polygon in item["polygons"])
        country = Country(item["name"], item["code"], polygons)
        for key in (item["name"], item["code"], english.get(item["code"], "")):
            if key:
                countries.setdefault(fold(key), country)
    places: dict[str, Place] = {}
    listed = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    for item in listed:
        place = Place(item["name"], item["lat"], item["lon"], item["country"])
        for key in (item["name"], *item.get("aliases", ())):
            places.setdefault(fold(key), place)
    names = tuple(sorted({c.name for c in countries.values()} | {p["name"] for p in listed}))
    return Geodata(MappingProxyType(countries), MappingProxyType(places), names)


@cache
def coarse_countries() -> tuple[Country, ...]:
    """Every country simplified to about a degree, without small islands, for the inset globe (once)."""
    found = []
    for country in {c.name: c for c in geodata().countries.values()}.values():
        polygons = []
        for polygon in country.polygons:
            if len(polygon[0]) < 4 or _area(polygon[0]) < 1.0:  # islands a globe 100 units wide cannot show
                continue
            rings = [shapely.get_coordinates(shapely.simplify(shapely.linearrings(ring), 1.0))
                     for ring in polygon if len(ring) >= 4]
            if len(rings[0]) >= 4:
                polygons.append(tuple(r for r in rings if len(r) >= 4))
        found.append(Country(country.name, country.code, tuple(polygons)))
    return tuple(found)


def country_name(country: Country, lang: str) -> str:
    """The country's name in `lang` (CLDR, through Babel), else Natural Earth's English name."""
    try:
        return Locale.parse(lang.replace("-", "_")).territories.get(country.code, country.name) if country.code \
            else country.name
    except (UnknownLocaleError, ValueError):
        return country.name


@cache
def _city_zones() -> dict[str, str]:
    """Time zone ids by their city's English name: CLDR names its exemplar cities in every language."""
    english = Locale("en").time_zones
    return {english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " "): zone
            for zone in get_global("zone_territories")}


def place_name(place: Place, lang: str) -> str:
    """A city's name in `lang` where CLDR has it (for about two in three of the shipped cities: Moscow is
    موسكو and Moskova), else as written; a point given by coordinates keeps the name its editor wrote."""
    zone = _city_zones().get(place.name) if place.country else None
    if zone is None:
        return place.name
    try:
        return Locale.parse(lang.replace("-", "_")).time_zones.get(zone, {}).get("city") or place.name
    except (UnknownLocaleError, ValueError):
        return place.name
