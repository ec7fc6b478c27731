"""Body checks: ids written twice or taken by the page around the body, and the limits that keep a body bounded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence

import markdown

from ..diagnostics import Diagnostic, Position, error

MAX_NESTING = 32  # lists, quotes and HTML blocks inside one another; Python-Markdown drops levels past ~200
MAX_QUESTIONS = 200  # `##` questions in one explainer: more is a data dump, and its page would not end
MAX_BODY_BYTES = 16 * 2**20  # of HTML after parsing: twice the largest source (a reference used 100,000 times)
# Ids of the default theme's pages (grep id=" themes/default/templates): a body that used one would make two
# elements with one id, and the skip link, the search box or the related list would point into the body.
THEME_IDS = frozenset({"main", "site-search-input", "search-input", "search-author", "search-topic",
                       "nutgraf-key-points", "nutgraf-related", "nutgraf-revisions"})
# The footnotes' own ids (fn:1, fnref:1, fnref2:1) and nutgraf's (nutgraf-block-1).
RESERVED_ID = re.compile(r"^(?:fn(?:ref\d*)?:|nutgraf-)")
_FOOTNOTE_ID = re.compile(r"^fn(?:ref\d*)?:")


def guard_nesting(md: markdown.Markdown) -> None:
    """Stop Python-Markdown's block parser past MAX_NESTING levels, noting that it did, instead of
    letting it recurse to the interpreter's limit (where it keeps deeper markers as text, or fails)."""
    parse_blocks = md.parser.parseBlocks
    parents: list[etree.Element] = []  # of the calls in progress: a list item is parsed in two calls
    levels = 0  # the document is level 0, a quote in it level 1

    def guarded(parent: etree.Element, blocks: list[str]) -> None:
        nonlocal levels
        deeper = bool(parents) and parents[-1] is not parent
        if deeper and levels >= MAX_NESTING:
            md.nutgraf_too_deep = True
            return
        parents.append(parent)
        levels += deeper
        try:
            parse_blocks(parent, blocks)
        finally:
            parents.pop()
            levels -= deeper

    md.parser.parseBlocks = guarded


def _body_lines(md: markdown.Markdown) -> Sequence[str]:
    return getattr(md, "nutgraf_source_lines", ())


def _line(md: markdown.Markdown, index: int | None) -> Position:
    """The file position of body line `index` (0-based), else of the body's first line."""
    return Position(md.nutgraf_first_line + (index or 0))


_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def _depth_written(line: str) -> int:
    """How deep a line nests as written: a level per four columns of indentation, `>` and list marker."""
    depth = (len(line) - len(line.lstrip(" "))) // 4
    position = 0
    while (marker := _MARKER.match(line, position)) is not None:
        depth, position = depth + 1, marker.end()
    return depth


def nesting_problems(md: markdown.Markdown) -> list[Diagnostic]:
    """An error at the first line nested deeper than MAX_NESTING, when the parser went that deep."""
    if not getattr(md, "nutgraf_too_deep", False):
        return []
    deep = next((index for index, line in enumerate(_body_lines(md)) if _depth_written(line) > MAX_NESTING), None)
    return [error(md.nutgraf_source, f"lists, quotes or HTML blocks nested more than {MAX_NESTING} levels deep",
                  _line(md, deep), f"nest them a few levels at most; {MAX_NESTING} are allowed")]


def _lines_matching(md: markdown.Markdown, matches: Callable[[str], bool]) -> list[int]:
    return [index for index, line in enumerate(_body_lines(md)) if matches(line)]


def _id_written(ident: str) -> Callable[[str], bool]:
    """Whether a line writes `ident`: `{#id}` of attr_list, or id="id" in HTML."""
    pattern = re.compile(r"\{[^}]*#" + re.escape(ident) + r"(?=[\s}])|\bid=[\"']?" + re.escape(ident) + r"\b")
    return lambda line: pattern.search(line) is not None


def _taken_reason(ident: str) -> str:
    if ident in THEME_IDS:
        return f"the id '{ident}' is used by the theme around every body"
    if _FOOTNOTE_ID.match(ident):
        return f"the id '{ident}' is in the form of the footnotes' own ids (fn:1, fnref:1)"
    return f"the id '{ident}' is in the form of nutgraf's own ids (nutgraf-...)"


def id_problems(md: markdown.Markdown, root: etree.Element) -> list[Diagnostic]:
    """Ids the body writes (`{#id}`, id="...") twice, or that the theme or footnotes also use: invalid HTML."""
    written: dict[str, int] = {}
    found = []
    footnotes = {id(el) for div in root.iter("div") if div.get("class") == "footnote" for el in div.iter()}
    for el in root.iter():
        ident = el.get("id")
        if not ident or id(el) in footnotes or (el.tag == "sup" and _FOOTNOTE_ID.match(ident)):
            continue  # what the footnotes extension made
        count = written[ident] = written.get(ident, 0) + 1
        if count == 2:
            lines = _lines_matching(md, _id_written(ident))
            first = f" (first at line {_line(md, lines[0]).line})" if len(lines) > 1 else ""
            found.append(error(md.nutgraf_source, f"the id '{ident}' is used twice{first}",
                               _line(md, lines[1] if len(lines) > 1 else None),
                               "give each heading its own id: ids are what links to a question point at"))
        elif count == 1 and (ident in THEME_IDS or RESERVED_ID.match(ident)):
            lines = _lines_matching(md, _id_written(ident))
            other = re.sub(r"[^a-z0-9]+", "-", ident.lower()).removeprefix("nutgraf-")
            found.append(error(md.nutgraf_source, _taken_reason(ident), _line(md, lines[0] if lines else None),
                               f"choose another id, e.g. {{#{other}-question}}"))
    return found


def questions_problem(md: markdown.Markdown, count: int) -> list[Diagnostic]:
    """An error when a body asks more than MAX_QUESTIONS questions, at the first one too many."""
    if count <= MAX_QUESTIONS:
        return []
    headings = _lines_matching(md, lambda line: line.startswith("## "))
    at = _line(md, headings[MAX_QUESTIONS] if len(headings) > MAX_QUESTIONS else None)
    return [error(md.nutgraf_source, f"the explainer asks {count} questions; the most one may ask is "
                  f"{MAX_QUESTIONS}", at, "split it into a series of explainers (series: in the front matter)")]


def size_problem(source: str, first_line: int, html: str) -> list[Diagnostic]:
    """An error when a body's HTML is larger than MAX_BODY_BYTES."""
    if len(html) * 4 <= MAX_BODY_BYTES or len(data := html.encode()) <= MAX_BODY_BYTES:
        return []
    return [error(source, f"the body is {len(data) / 2**20:.0f} MB of HTML after parsing; the most a body may "
                  f"be is {MAX_BODY_BYTES // 2**20} MB", Position(first_line),
                  "is a link reference or footnote used thousands of times? Split the explainer")]
