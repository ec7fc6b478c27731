"""Google Docs documents saved as the Docs API's JSON (documents.get), read for import: the paragraphs become the
same small tree that a Word file's HTML does, so that one converter writes the Markdown of both."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Position, error, warning
from ..sources.config import SiteConfig
from .htmlmarkdown import Node, after_ignore, to_markdown
from .importread import Converted, file_digest, header_and_body

HEADINGS = {"TITLE": "h1", "HEADING_1": "h1", "HEADING_2": "h2", "HEADING_3": "h3", "HEADING_4": "h4",
            "HEADING_5": "h5", "HEADING_6": "h6"}
UNORDERED = ("GLYPH_TYPE_UNSPECIFIED", "NONE", "")  # with a glyphSymbol (a bullet) rather than a number
IMAGE_HINT = ("the Docs API's JSON holds only a link to each picture, which `nutgraf import` does not fetch: pull the "
              "document with `nutgraf pull DOC`, which does, or import a Word (.docx) download of it")
MAX_IMAGE_BYTES = 20 * 2**20
# The picture formats Docs serves, by their first bytes: the extension of the file written under images/.
MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"))
Fetch = Callable[[str], bytes]  # a picture's contentUri to its bytes; raises FetchError


class FetchError(Exception):
    """A picture (or a document) that could not be fetched; the message says why, for the writer."""


@dataclass
class _Reader:
    """A walk through one document, numbering paragraphs from the top as the header's positions do."""

    path: str
    doc: dict
    found: list[Diagnostic] = field(default_factory=list)
    number: int = 0  # of the paragraph being read
    notes: list[Node] = field(default_factory=list)
    fetch: Fetch | None = None  # None: pictures are refused, as a saved JSON file holds only their links
    pictures: list[tuple[int, str, Node]] = field(default_factory=list)  # paragraph, contentUri, its <img>

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
            if (image := _object(reader, element["inlineObjectElement"].get("inlineObjectId", ""), dropped)):
                yield image
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


def _object(reader: _Reader, object_id: str, dropped: set[str]) -> Node | None:
    """A picture as an <img> whose source is set once it is fetched (or refused without a fetcher); a drawing is
    dropped."""
    embedded = (((reader.doc.get("inlineObjects") or {}).get(object_id) or {}).get("inlineObjectProperties")
                or {}).get("embeddedObject") or {}
    alt = (embedded.get("description") or embedded.get("title") or "").strip()
    uri = (embedded.get("imageProperties") or {}).get("contentUri") or ""
    if "imageProperties" not in embedded:
        dropped.add("a drawing or shape")
    elif not alt:
        reader.fail("an image has no alt text", "in Google Docs, right-click the picture and choose Alt text")
    elif reader.fetch is None or not uri:
        reader.fail("an image is not in the file", IMAGE_HINT)
    else:
        image = Node("img", {"src": "", "alt": alt})
        reader.pictures.append((reader.number, uri, image))
        return image
    return None


def _fetch_pictures(reader: _Reader, slug: str) -> dict[str, bytes]:
    """Each picture fetched and named `<slug>-N.ext` under images/, its <img> pointed there; errors name the
    paragraph."""
    images: dict[str, bytes] = {}
    for number, uri, image in reader.pictures:
        reader.number = number
        try:
            data = reader.fetch(uri) if reader.fetch else b""
        except FetchError as exc:
            reader.fail(f"the image cannot be fetched: {exc}", "pull again; if it goes on, insert the picture anew")
            continue
        extension = next((ext for magic, ext in MAGIC if data.startswith(magic)), "")
        if not extension or len(data) > MAX_IMAGE_BYTES:
            reader.fail("the image is not a PNG, JPEG or GIF picture under 20 MB", "insert it anew as one of those")
            continue
        name = f"{slug}-{len(images) + 1}{extension}"
        images[name] = data
        image.attrs["src"] = f"images/{name}"
    return images


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


def read_gdoc(data: bytes, path: str, config: SiteConfig, fetch: Fetch | None = None,
              ) -> tuple[Converted | None, list[Diagnostic]]:
    """A Google Docs document as JSON: the ArchieML header at its top, `:ignore`, then the body; pictures are
    fetched with `fetch` (refused without one)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [error(path, f"not valid JSON: {exc}", hint="save the Docs API's documents.get response")]
    if not isinstance(doc, dict) or not isinstance(doc.get("body"), dict) or not doc.get("documentId"):
        return None, [error(path, "not a Google Docs document: it has no documentId and body",
                            hint="import the JSON of the Docs API's documents.get, as it is")]
    reader = _Reader(path, doc, fetch=fetch)
    blocks = _content(reader, doc["body"].get("content") or [])
    lines = [node.text() if isinstance(node, Node) else node for node in _paragraphs(blocks)]
    front, slug, _, problems = header_and_body(lines, path, config, unit="paragraph")
    if front is None or any(d.severity == "error" for d in reader.found):
        return None, reader.found + problems
    images = _fetch_pictures(reader, slug)
    found = reader.found + problems
    if any(d.severity == "error" for d in found):
        return None, found
    body = to_markdown([*after_ignore(blocks), Node("ol", {}, list(reader.notes))])
    revision = str(doc.get("revisionId") or file_digest(data))
    return Converted(front, slug, body, str(doc["documentId"]), revision, images), found


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
