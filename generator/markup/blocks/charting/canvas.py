"""The SVG canvas charts are drawn on: two layouts (wide and narrow), coordinates mirrored on right-to-left
pages, nice ticks, and the text and marks as compact SVG (classes for the theme's colours, no inline style)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

CHAR_WIDTH = 7.2  # px per character of 13 px sans-serif text, for room on axes (an estimate, generous)
FONT = 13


@dataclass(frozen=True, slots=True)
class Layout:
    """A drawing size and how much it may say: the wide one for tablets and desktops, the narrow one for phones."""

    name: str
    width: int
    height: int
    value_ticks: int  # about how many ticks on the value axis
    category_labels: int  # at most this many category labels along a horizontal axis
    inside_labels: bool  # category labels of bars written inside the plot (above each bar), not beside it


WIDE = Layout("wide", 640, 360, 5, 12, False)
NARROW = Layout("narrow", 320, 340, 3, 4, True)
LAYOUTS = (WIDE, NARROW)


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering low..high in about `count` steps."""
    if high <= low:
        high = low + (abs(low) or 1)
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * 0.999)
    start, end = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def num(value: float) -> str:
    """A coordinate with one decimal at most: bytes count at 500 points."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(slots=True)
class Canvas:
    """SVG parts drawn in logical coordinates: x runs from the start side (left, or right when `rtl`)."""

    layout: Layout
    rtl: bool
    colors: tuple[str, ...] = ()  # colours set by the author, used as fill/stroke attributes; else theme classes
    parts: list[str] = field(default_factory=list)

    def x(self, logical: float) -> str:
        return num(self.layout.width - logical if self.rtl else logical)

    def paint(self, index: int, attr: str = "fill") -> str:
        """The colour of series `index`: the author's colour as an attribute, or the theme's class."""
        if self.colors:
            return f' {attr}="{escape(self.colors[index % len(self.colors)])}"'
        return f' class="chart__c{index % 6 + 1}"'

    def text(self, x: float, y: float, words: str, anchor: str = "start", cls: str = "") -> None:
        """Text whose start (on the page's reading side), middle or end is at logical x."""
        klass = f' class="{cls}"' if cls else ""
        anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.parts.append(f'<text x="{self.x(x)}" y="{num(y)}"{anchor_attr}{klass}>{escape(words)}</text>')

    def rect(self, x: float, y: float, width: float, height: float, paint: str) -> None:
        left = x + width if self.rtl else x
        self.parts.append(f'<rect x="{self.x(left)}" y="{num(y)}" width="{num(width)}" height="{num(height)}"'
                          f'{paint}/>')

    def boxes(self, boxes: list[tuple[float, float, float, float]], paint: str) -> None:
        """Rectangles (x, y, width, height) of one colour as one path: a third of the bytes of as many <rect>s,
        and half the time to rasterize at 500."""
        if not boxes:
            return
        moves = "".join(f"M{self.x(x + width if self.rtl else x)} {num(y)}h{num(width)}v{num(height)}h{num(-width)}z"
                        for x, y, width, height in boxes)
        self.parts.append(f'<path d="{moves}"{paint}/>')

    def hline(self, x1: float, x2: float, y: float, cls: str) -> None:
        self.parts.append(f'<path class="{cls}" d="M{self.x(x1)} {num(y)}H{self.x(x2)}"/>')

    def vline(self, x: float, y1: float, y2: float, cls: str) -> None:
        self.parts.append(f'<path class="{cls}" d="M{self.x(x)} {num(y1)}V{num(y2)}"/>')

    def polyline(self, points: list[tuple[float, float]], paint: str) -> None:
        """A line through the points; relative moves keep 500 points small."""
        if not points:
            return
        (x0, y0), moves, (px, py) = points[0], [], points[0]
        sign = -1 if self.rtl else 1
        for x, y in points[1:]:
            moves.append(f"{num(sign * (x - px))} {num(y - py)}")
            px, py = px + float(num(x - px)), py + float(num(y - py))
        merged = ' class="chart__line ' if 'class="' in paint else ' class="chart__line"'
        paint = paint.replace(' class="', merged) if 'class="' in paint else merged + paint
        self.parts.append(f'<path d="M{self.x(x0)} {num(y0)}l{" ".join(moves)}"{paint}/>')

    def dot(self, x: float, y: float, radius: float, paint: str) -> None:
        self.parts.append(f'<circle cx="{self.x(x)}" cy="{num(y)}" r="{num(radius)}"{paint}/>')

    def svg(self, title: str, description: str, ident: str) -> str:
        """The finished drawing, labelled by its title and description, for a screen reader one image."""
        w, h = self.layout.width, self.layout.height
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
                f'class="chart__svg chart__svg--{self.layout.name}" role="img" '
                f'aria-labelledby="{ident}-t {ident}-d" direction="{"rtl" if self.rtl else "ltr"}" '
                f'font-size="{FONT}"><title id="{ident}-t">{escape(title)}</title>'
                f'<desc id="{ident}-d">{escape(description)}</desc>{"".join(self.parts)}</svg>')


def text_width(words: str) -> float:
    """About how wide text is drawn, in px."""
    return len(words) * CHAR_WIDTH


def every_nth(count: int, room: int) -> int:
    """Label every nth of `count` categories so that at most `room` labels are written."""
    return max(1, math.ceil(count / max(room, 1)))
