"""Google Docs documents saved as the Docs API's JSON (documents.get), read for import: the paragraphs become the
same small tree that a Word file's HTML does, so that one converter writes the Markdown of both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Position, error, warning
from ..sources.config import SiteConfig
from .htmlmarkdown import Node, after_ignore, to_markdown
from .importread import Converted, file_digest, header_and_body

HEADINGS = {"TITLE": "h1", "HEADING_1": "h1", "HEADING_2": "h2", "HEADING_3": "h3", "HEADING_4": "h4",
            "HEADING_5": "h5", "HEADING_6": "h6"}
UNORDERED = ("GLYPH_TYPE_UNSPECIFIED", "NONE", "")  # with a glyphSymbol (a bullet) rather than a number
IMAGE_HINT = ("the Docs API's JSON holds only a link to each picture, which import does not fetch: take the picture "
              "out of the document, or use a Word (.docx) download of it")


@dataclass
class _Reader:
    """A walk through one document, numbering paragraphs from the top as the header's positions do."""

    path: str
    doc: dict
    found: list[Diagnostic] = field(default_factory=list)
    number: int = 0  # of the paragraph being read
    notes: list[Node] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.found.append(warning(self.path, f"{what} cannot be imported and is dropped (paragraph {self.number})",
                                  Position(self.number)))

    def fail(self, message: str, hint: str = "") -> None:
        self.found.append(error(self.path, f"{message} (paragraph {self.number})", Position(self.number), hint))


def _runs(reader: _Reader, elements: list) -> Iterator[Node | str]:
    """A paragraph's elements as inline nodes; what cannot be kept is noted once per paragraph."""
    dropped: set[str] = set()
    for element in elements:
        run = element.get("textRun")
        if run is not None:
            if run.get("suggestedDeletionIds") or run.get("suggestedInsertionIds"):
                dropped.add("suggested changes (the text is imported as if they were accepted)")
                if run.get("suggestedDeletionIds"):
                    continue
            style = run.get("textStyle") or {}
            if style.get("foregroundColor") or style.get("backgroundColor"):
                dropped.add("text colour")
            yield _styled(run.get("content", "").rstrip("\n"), style)
        elif "footnoteReference" in element:
            number = str(element["footnoteReference"].get("footnoteNumber", len(reader.notes) + 1))
            yield Node("sup", {}, [Node("a", {"href": f"#footnote-{number}"}, [f"[{number}]"])])
            _footnote(reader, element["footnoteReference"].get("footnoteId", ""), number)
        elif "inlineObjectElement" in element:
            _object(reader, element["inlineObjectElement"].get("inlineObjectId", ""), dropped)
        elif "person" in element:  # a person chip: the name, as text
            yield (element["person"].get("personProperties") or {}).get("name", "")
        elif "richLink" in element:  # a smart chip to a Drive file or a page: its title, linked
            properties = element["richLink"].get("richLinkProperties") or {}
            yield _styled(properties.get("title", ""), {"link": {"url": properties.get("uri", "")}})
        elif not ({"horizontalRule", "pageBreak", "columnBreak", "startIndex", "endIndex"} >= element.keys()):
            kind = next(k for k in element if k not in ("startIndex", "endIndex"))
            dropped.add(f"an element of type {kind}")
    for what in sorted(dropped):
        reader.note(what)


def _styled(text: str, style: dict) -> Node | str:
    node: Node | str = text
    if style.get("italic"):
        node = Node("em", {}, [node])
    if style.get("bold"):
        node = Node("strong", {}, [node])
    url = (style.get("link") or {}).get("url")
    return Node("a", {"href": url}, [node]) if url else node


def _object(reader: _Reader, object_id: str, dropped: set[str]) -> None:
    """A picture is refused (its bytes are not in the JSON); a drawing is dropped."""
    embedded = (((reader.doc.get("inlineObjects") or {}).get(object_id) or {}).get("inlineObjectProperties")
                or {}).get("embeddedObject") or {}
    if "imageProperties" not in embedded:
        dropped.add("a drawing or shape")
    elif not (embedded.get("description") or "").strip():
        reader.fail("an image has no alt text", "in Google Docs, right-click the picture and choose Alt text")
    else:
        reader.fail("an image is not in the file", IMAGE_HINT)


def _footnote(reader: _Reader, note_id: str, number: str) -> None:
    content = ((reader.doc.get("footnotes") or {}).get(note_id) or {}).get("content") or []
    paragraphs = [Node("p", {}, list(_runs(reader, item["paragraph"].get("elements") or [])))
                  for item in content if "paragraph" in item]
    reader.notes.append(Node("li", {"id": f"footnote-{number}"}, paragraphs))


def _ordered(reader: _Reader, bullet: dict) -> bool:
    levels = ((((reader.doc.get("lists") or {}).get(bullet.get("listId", "")) or {}).get("listProperties") or {})
              .get("nestingLevels") or [])
    level = levels[bullet.get("nestingLevel", 0)] if bullet.get("nestingLevel", 0) < len(levels) else {}
    return not level.get("glyphSymbol") and level.get("glyphType", "") not in UNORDERED


def _content(reader: _Reader, content: list) -> list[Node | str]:
    """Structural elements (paragraphs, tables) as block nodes, bulleted paragraphs gathered into lists."""
    out: list[Node | str] = []
    lists: list[tuple[int, Node]] = []  # the open lists, outermost first, with their nesting level
    for item in content:
        if "table" in item:
            lists = []
            out.append(_table(reader, item["table"]))
            continue
        if "paragraph" not in item:
            continue  # a section break or a table of contents
        reader.number += 1
        paragraph = item["paragraph"]
        inline = list(_runs(reader, paragraph.get("elements") or []))
        bullet = paragraph.get("bullet")
        if bullet is None:
            lists = []
            style = (paragraph.get("paragraphStyle") or {}).get("namedStyleType", "")
            out.append(Node(HEADINGS.get(style, "p"), {}, inline))
            continue
        level = bullet.get("nestingLevel", 0)
        while lists and lists[-1][0] > level:
            lists.pop()
        if not lists or lists[-1][0] < level:
            opened = Node("ol" if _ordered(reader, bullet) else "ul")
            parent = lists[-1][1].children[-1] if lists and lists[-1][1].children else None
            (parent.children if isinstance(parent, Node) else out).append(opened)
            lists.append((level, opened))
        lists[-1][1].children.append(Node("li", {}, inline))
    return out


def _table(reader: _Reader, table: dict) -> Node:
    rows = [Node("tr", {}, [Node("td", {}, _content(reader, cell.get("content") or []))
                            for cell in row.get("tableCells") or []])
            for row in table.get("tableRows") or []]
    return Node("table", {}, rows)


def read_gdoc(data: bytes, path: str, config: SiteConfig) -> tuple[Converted | None, list[Diagnostic]]:
    """A Google Docs document as JSON: the ArchieML header at its top, `:ignore`, then the body."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [error(path, f"not valid JSON: {exc}", hint="save the Docs API's documents.get response")]
    if not isinstance(doc, dict) or not isinstance(doc.get("body"), dict) or not doc.get("documentId"):
        return None, [error(path, "not a Google Docs document: it has no documentId and body",
                            hint="import the JSON of the Docs API's documents.get, as it is")]
    reader = _Reader(path, doc)
    blocks = _content(reader, doc["body"].get("content") or [])
    lines = [node.text() if isinstance(node, Node) else node for node in _paragraphs(blocks)]
    front, slug, _, problems = header_and_body(lines, path, config, unit="paragraph")
    found = reader.found + problems
    if front is None or any(d.severity == "error" for d in found):
        return None, found
    body = to_markdown([*after_ignore(blocks), Node("ol", {}, list(reader.notes))])
    return Converted(front, slug, body, str(doc["documentId"]), str(doc.get("revisionId") or file_digest(data))), found


def _paragraphs(blocks: list[Node | str]) -> Iterator[Node | str]:
    """Every paragraph in reading order, list items and table cells included, as the header counts them."""
    for node in blocks:
        if isinstance(node, Node) and node.tag in ("ul", "ol", "table", "tr", "td"):
            yield from _paragraphs(node.children)
        elif isinstance(node, Node) and node.tag == "li":
            yield Node("p", {}, [c for c in node.children if not (isinstance(c, Node) and c.tag in ("ul", "ol"))])
            yield from _paragraphs([c for c in node.children if isinstance(c, Node) and c.tag in ("ul", "ol")])
        else:
            yield node
