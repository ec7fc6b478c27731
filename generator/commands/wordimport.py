"""Word files (.docx) read for import: mammoth for the text, and a look at the document's XML for what mammoth
drops without a word (comments, suggestions, drawings, colour) and for images without alt text."""

from __future__ import annotations

import io
import mimetypes
import zipfile
from xml.etree import ElementTree as etree

from ..diagnostics import Diagnostic, Position, error, warning
from ..sources.config import SiteConfig
from .htmlmarkdown import after_ignore, parse_html, to_markdown
from .importread import Converted, file_digest, header_and_body

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAX_XML_BYTES = 64 * 2**20  # word/document.xml unpacked: a zip bomb is refused before it is read
STYLE_MAP = """\
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Title'] => h1:fresh
comment-reference => !
"""
ALT_HINT = "in Word, right-click the picture and choose Edit Alt Text; describe what it shows"
# mammoth's own notes about comments and their styles: the XML scan below reports comments with their paragraph.
_COMMENT_NOTES = ("CommentReference", "CommentText", "comment")


def _dropped(paragraph: etree.Element) -> list[str]:
    """What of one paragraph cannot be kept."""
    found = []
    if paragraph.find(f".//{W}commentRangeStart") is not None or paragraph.find(f".//{W}commentReference") is not None:
        found.append("a comment")
    if paragraph.find(f".//{W}ins") is not None or paragraph.find(f".//{W}del") is not None:
        found.append("suggested changes (the text is imported as if they were accepted)")
    drawings = paragraph.findall(f".//{W}drawing")
    if any(d.find(f".//{PIC}pic") is None for d in drawings) or paragraph.find(f".//{W}pict") is not None:
        found.append("a drawing or shape")
    colours = [c.get(f"{W}val", "auto") for c in paragraph.iter(f"{W}color")]
    if any(c.lower() not in ("auto", "000000") for c in colours) or paragraph.find(f".//{W}highlight") is not None:
        found.append("text colour")
    return found


def _image_problems(paragraph: etree.Element) -> list[tuple[str, str]]:
    """(message, hint) for each picture of a paragraph without alt text or not held in the file."""
    found = []
    for drawing in paragraph.iter(f"{W}drawing"):
        if drawing.find(f".//{PIC}pic") is None:
            continue
        described = drawing.find(f".//{WP}docPr")
        if described is None or not (described.get("descr") or "").strip():
            found.append(("an image has no alt text", ALT_HINT))
        blip = drawing.find(f".//{A}blip")
        if blip is not None and not blip.get(f"{R}embed"):
            found.append(("an image is linked, not held in the file",
                          "in Word, insert the picture itself (Insert > Pictures > This Device), not a link to it"))
    return found


def _scan(archive: zipfile.ZipFile, path: str) -> tuple[list[str] | None, list[Diagnostic]]:
    """Every paragraph's text, in order (header lines for ArchieML), with what cannot be kept, by paragraph."""
    try:
        info = archive.getinfo("word/document.xml")
    except KeyError:
        return None, [error(path, "not a Word document: it has no word/document.xml")]
    if info.file_size > MAX_XML_BYTES:
        return None, [error(path, f"the document's text is over {MAX_XML_BYTES // 2**20} MB unpacked",
                            hint="split it into several documents")]
    try:
        root = etree.fromstring(archive.read(info))
    except etree.ParseError as exc:
        return None, [error(path, f"the Word document is damaged: {exc}", hint="open it in Word and save it again")]
    lines, found = [], []
    for number, paragraph in enumerate(root.iter(f"{W}p"), 1):
        lines.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
        at = Position(number)
        for what in _dropped(paragraph):
            found.append(warning(path, f"{what} cannot be imported and is dropped (paragraph {number})", at))
        for message, hint in _image_problems(paragraph):
            found.append(error(path, f"{message} (paragraph {number})", at, hint))
    return lines, found


def read_docx(data: bytes, path: str, config: SiteConfig) -> tuple[Converted | None, list[Diagnostic]]:
    """A Word file: the ArchieML header at the top of its text, `:ignore`, then the body, through mammoth."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            lines, found = _scan(archive, path)
    except zipfile.BadZipFile:
        return None, [error(path, "not a Word (.docx) file", hint="save it from Word as .docx, not .doc or .odt")]
    if lines is None:
        return None, found
    front, slug, _, problems = header_and_body(lines, path, config, unit="paragraph")
    found += problems
    if front is None or any(d.severity == "error" for d in found):
        return None, found
    images: dict[str, bytes] = {}

    def keep_image(image) -> dict[str, str]:
        extension = mimetypes.guess_extension(image.content_type or "") or ".bin"
        name = f"{slug}-{len(images) + 1}{'.jpg' if extension == '.jpe' else extension}"
        with image.open() as stream:
            images[name] = stream.read()
        return {"src": f"images/{name}"}

    try:
        import mammoth  # only `nutgraf import` of a .docx needs it: every other command starts faster

        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(keep_image))
    except Exception as exc:  # noqa: BLE001 - a damaged file fails deep inside mammoth, in many ways
        return None, found + [error(path, f"the Word document cannot be read: {exc}",
                                    hint="open it in Word and save it again as .docx")]
    found += [warning(path, f"{note.message}: its look is not kept")
              for note in result.messages if not any(part in note.message for part in _COMMENT_NOTES)]
    body = to_markdown(after_ignore(parse_html(result.value).children))
    return Converted(front, slug, body, path, file_digest(data), images), found
