"""Map labels placed greedily: each label, most important first, takes the first place beside its point (or
over its country) where it overlaps no label, marker or furniture already placed, and is dropped if none is free."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SMALL_SCREEN = 1.42  # how much larger small screens draw the labels they keep
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the map's units


@dataclass(frozen=True, slots=True)
class Wanted:
    """A label to place: its text, the point it names, whether it names a point (else an area), its size."""

    text: str
    x: float
    y: float
    point: bool
    size: float
    minor: bool = False  # hidden on small screens, where labels are drawn larger


@dataclass(frozen=True, slots=True)
class Placed:
    text: str
    x: float  # where the text's left edge (or, for "end", right edge) meets its baseline
    y: float
    side: str  # "left": the text starts at x; "right": the text ends at x; "middle": centred on x
    size: float
    minor: bool


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` in a sans-serif face (no font is read at build time)."""
    wide = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)
    return wide * size


def _box(x: float, y: float, width: float, size: float, side: str) -> Box:
    left = x if side == "left" else x - width if side == "right" else x - width / 2
    return (left - 1, y - size * 0.8, left + width + 1, y + size * 0.25)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(label: Wanted, rtl: bool) -> Iterable[tuple[float, float, str]]:
    """Where a label may go: beside its marker (the reading side first), or over its area and just off it."""
    size, gap = label.size, label.size * 0.45
    if not label.point:
        for dy in (0.0, -size, size, -2 * size, 2 * size):
            yield label.x, label.y + size * 0.35 + dy, "middle"
        return
    after, before = ((label.x - gap, "right"), (label.x + gap, "left")) if rtl else \
        ((label.x + gap, "left"), (label.x - gap, "right"))
    for x, side in (after, before):
        yield x, label.y + size * 0.35, side
    for x, side in (after, before):
        yield x, label.y - gap, side
        yield x, label.y + size + gap * 0.5, side
    yield label.x, label.y - gap - 1, "middle"
    yield label.x, label.y + size + gap, "middle"


def place_labels(wanted: Sequence[Wanted], taken: Iterable[Box], bounds: Box, rtl: bool) -> list[Placed]:
    """The labels that fit, in the order given (most important first)."""
    boxes = list(taken)
    placed = []
    for label in wanted:
        # Room for the type small screens draw major labels in (the theme's .map-label at 24 units, not 17)
        width = text_width(label.text, label.size if label.minor else label.size * SMALL_SCREEN)
        for x, y, side in _candidates(label, rtl):
            box = _box(x, y, width, label.size, side)
            inside = bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]
            if inside and not any(_overlaps(box, other) for other in boxes):
                boxes.append(box)
                placed.append(Placed(label.text, x, y, side, label.size, label.minor))
                break
    return placed
