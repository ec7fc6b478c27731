"""What every block family shares: its declaration, the parsed block handed to it, and HTML helpers."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown

from ...diagnostics import Diagnostic, Position, error, warning
from ..typography import smarten


class Html(str):
    """A string of HTML made by Markdown from the explainer's own text: trusted like the body."""

    __slots__ = ()


class Svg(Html):
    """An SVG drawing that nutgraf made (a chart, a map), every text in it escaped; in sanitize mode it is cleaned
    as an SVG (svg-hush), as the HTML sanitizer would drop it."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Found:
    """One block as Markdown parsed it: its element (children already HTML), attributes and place."""

    name: str
    element: etree.Element
    attrs: Mapping[str, str]
    line: int  # line of the file where the block starts
    md: markdown.Markdown
    problems: list[Diagnostic] = field(compare=False)
    lines: tuple[str, ...] = ()  # the block's source lines between its fences

    def fail(self, message: str, hint: str = "", line: int | None = None) -> None:
        """An error at the block (or at `line`)."""
        self.problems.append(error(self.md.nutgraf_source, message, Position(line or self.line), hint))

    def warn(self, message: str, hint: str = "", line: int | None = None) -> None:
        """A warning at the block (or at `line`)."""
        self.problems.append(warning(self.md.nutgraf_source, message, Position(line or self.line), hint))

    def text(self, name: str) -> str:
        """An attribute as display text, with curly quotes and dashes like the body's."""
        return smarten(self.attrs.get(name, ""), " ")

    def html(self, element: etree.Element | None = None) -> Html:
        """The inner HTML of `element` (default: the whole block), finished like the body's HTML."""
        return inner_html(self.md, self.element if element is None else element)

    def line_of(self, needle: str) -> int:
        """The file line inside this block where `needle` is first written, else the block's line."""
        for offset, text in enumerate(self.lines, start=1):
            if needle and needle in text:
                return self.line + offset
        return self.line


@dataclass(frozen=True, slots=True)
class BlockType:
    """A `:::name` block: its attributes and how its parsed element becomes the values its template gets."""

    name: str
    build: Callable[[Found], dict[str, Any] | None]  # None: the block is broken and was reported
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


def serialize(md: markdown.Markdown, element: etree.Element) -> str:
    """An element as finished HTML: serialized, then through Markdown's postprocessors (stashed raw HTML)."""
    text = md.serializer(element)
    for processor in md.postprocessors:
        text = processor.run(text)
    return text


def inner_html(md: markdown.Markdown, element: etree.Element) -> Html:
    """The finished HTML inside an element, without the element's own tags."""
    shell = etree.Element("div")
    shell.text = element.text
    shell[:] = list(element)  # shares the children; ElementTree keeps no parent links
    text = serialize(md, shell)
    return Html(text[len("<div>"): -len("</div>")].strip())


def first_list(element: etree.Element) -> etree.Element | None:
    """The first list directly inside a block."""
    return next((child for child in element if child.tag in ("ul", "ol")), None)


def item_body(item: etree.Element) -> etree.Element:
    """Where a list item's text starts: the item itself, or its first paragraph in a loose list."""
    if not (item.text or "").strip() and len(item) and item[0].tag == "p":
        return item[0]
    return item
