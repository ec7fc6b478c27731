"""The small HTML that mammoth makes of a Word file, written as nutgraf Markdown: headings, paragraphs, emphasis,
links, lists, tables, quotes, images and footnotes; ArchieML `{block}` ... `{}` paragraphs become `:::` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..markup.blocks.registry import BLOCK_TYPES

VOID = frozenset({"br", "img", "hr"})
HEADINGS = {"h1": "##", "h2": "##", "h3": "###", "h4": "####", "h5": "####", "h6": "####"}
# Characters Markdown would read as markup; `[[term]]` glossary links and `{#id}` are let through on purpose.
_SPECIAL = re.compile(r"[\\`*_]|(?<!\[)\[(?!\[)|(?<!\])\](?!\])")
# Python-Markdown has no backslash escape for `<` (raw HTML) or `&` (entities): those are written as entities.
_ENTITIES = re.compile(r"<|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(?:([#>]|[-+](?=\s))|(\d+)(?=[.)]\s)|(:)(?=::))", re.MULTILINE)
_BLOCK = re.compile(r"^\{\s*([a-z]+)(\s[^{}]*)?\}$|^\{\s*\}$")
CURLY_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"'})
_FOOTNOTE = re.compile(r"^#?(foot|end)note-(?:ref-)?(-?\d+)$")  # mammoth's ids of notes and their references


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    """mammoth's HTML (always well nested) as a tree of Nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def escape(text: str) -> str:
    """Plain text as Markdown that shows it as it is."""
    text = _ENTITIES.sub(lambda m: "&lt;" if m[0] == "<" else "&amp;", _SPECIAL.sub(lambda m: "\\" + m[0], text))
    return _LINE_START.sub(_escape_start, text)


def _escape_start(found: re.Match) -> str:
    """A backslash before `#`, `>`, `-` or `+`, after the digits of `1.`; `:::` starts with its entity."""
    if found[2]:
        return f"{found[1]}\\{found[2]}"
    if found[3]:
        return f"{found[1]}{found[3]}\\"
    return f"{found[1]}&#58;"


def inline(node: Node | str) -> str:
    """Text with emphasis, links, images, line breaks and footnote references."""
    if isinstance(node, str):
        return escape(re.sub(r"\s+", " ", node))
    inner = "".join(inline(child) for child in node.children)
    if node.tag in ("strong", "b"):
        return _wrap(inner, "**")
    if node.tag in ("em", "i"):
        return _wrap(inner, "*")
    if node.tag == "br":
        return "\\\n"
    if node.tag == "img":
        return f"![{escape(node.attrs.get('alt', ''))}]({node.attrs.get('src', '')})"
    if node.tag == "sup" and (number := _footnote_number(node)):
        return f"[^{number}]"
    if node.tag == "a" and (href := node.attrs.get("href", "")) and not href.startswith("#"):
        return f"[{inner}](<{href}>)" if inner.strip() else ""
    return inner


def _wrap(inner: str, mark: str) -> str:
    """`**text**` with the spaces a Word run often carries moved outside the marks."""
    stripped = inner.strip()
    if not stripped:
        return inner
    start, end = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
    return f"{start}{mark}{stripped}{mark}{end}"


def _footnote_number(node: Node) -> str:
    links = [c for c in node.children if isinstance(c, Node) and c.tag == "a"]
    found = _FOOTNOTE.match(links[0].attrs.get("href", "")) if links else None
    return _label(found) if found else ""


def _label(found: re.Match) -> str:
    """A note's Markdown label: its number in Word, with an e before an endnote's."""
    return found[2] if found[1] == "foot" else f"e{found[2]}"


def _paragraph(node: Node) -> str:
    text = node.text().strip()
    if (block := _BLOCK.match(text)) is not None:
        if not block[1]:
            return ":::"
        if block[1] in BLOCK_TYPES:
            return f":::{block[1]}{(block[2] or '').translate(CURLY_QUOTES)}"  # Word curls typed quotes
    return inline(node).strip()


def _list(node: Node, depth: int = 0) -> str:
    lines = []
    for number, item in enumerate((c for c in node.children if isinstance(c, Node) and c.tag == "li"), 1):
        marker = f"{number}." if node.tag == "ol" else "-"
        words = "".join(inline(c) for c in item.children if not (isinstance(c, Node) and c.tag in ("ul", "ol")))
        lines.append("    " * depth + f"{marker} {words.strip()}")
        for sub in item.children:
            if isinstance(sub, Node) and sub.tag in ("ul", "ol"):
                lines.append(_list(sub, depth + 1))  # Python-Markdown nests a list four spaces in
    return "\n".join(lines)


def _table(node: Node) -> str:
    rows = [[" ".join(inline(cell).strip().replace("|", "\\|").split()) for cell in _cells(row)]
            for row in _rows(node)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = [f"| {' | '.join(rows[0])} |", "|" + "---|" * width]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in rows[1:]])


def _rows(node: Node) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            found.extend([child] if child.tag == "tr" else _rows(child))
    return found


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _footnotes(node: Node) -> str:
    """mammoth's closing list of footnotes as Markdown definitions, without its back links."""
    lines = []
    for item in (c for c in node.children if isinstance(c, Node) and c.tag == "li"):
        number = _FOOTNOTE.match(item.attrs.get("id", ""))
        words = " ".join(inline(_without_backlinks(p)).strip() for p in item.children if isinstance(p, Node))
        lines.append(f"[^{_label(number) if number else len(lines) + 1}]: {words}")
    return "\n".join(lines)


def _without_backlinks(node: Node) -> Node:
    kept = [c for c in node.children
            if not (isinstance(c, Node) and c.tag == "a" and _FOOTNOTE.match(c.attrs.get("href", "")))]
    return Node(node.tag, node.attrs, kept)


def block(node: Node | str) -> str:
    """One top-level element as a Markdown block."""
    if isinstance(node, str):
        return escape(node.strip())
    if node.tag in HEADINGS:
        return f"{HEADINGS[node.tag]} {inline(node).strip()}"
    if node.tag in ("ul", "ol"):
        is_notes = any(isinstance(c, Node) and _FOOTNOTE.match(c.attrs.get("id", "")) for c in node.children)
        return _footnotes(node) if is_notes else _list(node)
    if node.tag == "table":
        return _table(node)
    if node.tag == "blockquote":
        inner = "\n\n".join(b for c in node.children if (b := block(c)))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if node.tag == "hr":
        return "---"
    return _paragraph(node)


def after_ignore(nodes: list[Node | str]) -> list[Node | str]:
    """The elements after the paragraph `:ignore` that ends the ArchieML header at the top of a document."""
    for index, node in enumerate(nodes):
        if isinstance(node, Node) and node.tag == "p" and node.text().strip().lower() == ":ignore":
            return nodes[index + 1:]
    return []


def to_markdown(nodes: list[Node | str]) -> str:
    """Top-level elements as a Markdown body, blocks separated by blank lines."""
    return "\n\n".join(b for node in nodes if (b := block(node).strip()))
