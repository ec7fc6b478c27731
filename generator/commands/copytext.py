"""The copy of an explainer as the copy desk reads it: headline, dek, summary, hero caption and credit, then every
question and answer, figure captions and credits, notes and the sources block, as plain paragraphs without
Markdown's marks; and what changed between two versions of it, paragraph by paragraph and word by word."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..sources.frontmatter import parse_document


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of copy: what it is (a style of the Word file) and its text."""

    kind: str  # title, dek, heading, subheading, text, item, caption, credit, label
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One paragraph of the packet: kept, inserted or deleted whole, or edited (`pieces` of op and text)."""

    kind: str
    op: str  # "equal", "insert", "delete" or "edit"
    pieces: tuple[tuple[str, str], ...]  # (equal|insert|delete, text)


_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"[Image: \1]"),
    (re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]"), lambda m: m[2] or m[1]),  # glossary terms
    (re.compile(r"(?<!\\)\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[\^([^\]]+)\]"), r"[\1]"),  # footnote references
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\s*\{[#.:][^}]*\}\s*$"), ""),  # attribute lists: {#id}
    (re.compile(r"<[^>\n]+>"), ""),  # raw HTML tags
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!:|>])"), r"\1"),  # backslash escapes
)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:\s*")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def plain(text: str) -> str:
    """Inline Markdown as the words a reader sees."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return html.unescape(" ".join(text.split()))


def copy_of(text: str, path: str = "") -> list[Para]:
    """Every paragraph of copy in an explainer file's text."""
    raw, _ = parse_document(text.encode(), path)
    if raw is None:
        return []
    front = raw.meta.data
    paras = [Para("title", plain(str(front.get("title", "")))), Para("dek", plain(str(front.get("dek") or "")))]
    summary = front.get("summary") or []
    if summary:
        paras += [Para("label", "Summary")] + [Para("item", plain(str(item))) for item in summary]
    hero = front.get("hero") if isinstance(front.get("hero"), dict) else {}
    paras += [Para("caption", plain(str(hero["caption"])))] if hero.get("caption") else []
    paras += [Para("credit", plain(str(hero["credit"])))] if hero.get("credit") else []
    paras += list(_body(raw.body.split("\n")))
    return [p for p in paras if p.text]


def _body(lines: list[str]) -> Iterator[Para]:
    """The body's paragraphs: headings, text, list items, blocks' captions, credits and contents, notes."""
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):  # code is not copy
            end = next((i for i in range(index + 1, len(lines)) if lines[i].strip().startswith(stripped[:3])),
                       len(lines))
            index = end + 1
            continue
        if stripped.startswith(":::") and stripped != ":::":
            end, depth = index + 1, 1
            while end < len(lines) and depth:
                inner = lines[end].strip()
                depth += 1 if inner.startswith(":::") and inner != ":::" else -1 if inner == ":::" else 0
                end += 1
            yield from _block(stripped[3:].strip(), lines[index + 1:end - 1])
            index = end
            continue
        block = []
        while index < len(lines) and lines[index].strip() and not lines[index].strip().startswith((":::", "```")):
            block.append(lines[index])
            index += 1
        yield from _paragraph(block)
        index += 0 if block else 1


def _block(opening: str, inner: list[str]) -> Iterator[Para]:
    """A `:::name attrs` block: a figure's caption and credit, the sources as a list, any other one labelled."""
    name = opening.split()[0] if opening else ""
    attrs = dict(_ATTR.findall(opening))
    if name == "sources":
        yield Para("label", attrs.get("title", "Sources"))
    elif name != "figure":
        yield Para("label", f"[{name}{': ' + attrs['title'] if attrs.get('title') else ''}]")
    for para in _body(inner):
        yield Para("caption", para.text) if name == "figure" and para.kind == "text" else para
    if attrs.get("credit"):
        yield Para("credit", plain(attrs["credit"]))


def _paragraph(block: list[str]) -> Iterator[Para]:
    """A run of non-blank lines: a heading, list items, table rows, a note, or one paragraph of text."""
    if not block:
        return
    first = block[0].strip()
    if first.startswith("#"):
        level = len(first) - len(first.lstrip("#"))
        heading = plain(first.lstrip("#"))
        card = re.search(r"\{card=([^}\s]+)", first)
        yield Para("heading" if level <= 2 else "subheading", heading or (f"(question card {card[1]})" if card else ""))
        yield from _paragraph(block[1:])
    elif _ITEM.match(block[0]):
        items: list[list[str]] = []
        for line in block:
            if _ITEM.match(line):
                items.append([_ITEM.sub("", line)])
            else:
                items[-1].append(line)
        yield from (Para("item", plain(" ".join(item))) for item in items)
    elif first.startswith("|"):
        for row in block:
            cells = [plain(cell) for cell in row.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                yield Para("text", " | ".join(cells))
    elif (note := _FOOTNOTE.match(first)) is not None:
        yield Para("text", f"Note {note[1]}: {plain(_FOOTNOTE.sub('', ' '.join(block)))}")
    else:
        yield Para("text", plain(" ".join(line.strip().lstrip(">") for line in block)))


def changes(old: list[Para], new: list[Para]) -> list[Change]:
    """`new` as changed from `old`: paragraphs kept, inserted, deleted, or edited word by word."""
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += [Change(p.kind, "equal", (("equal", p.text),)) for p in new[b1:b2]]
            continue
        removed, added = old[a1:a2], new[b1:b2]
        while removed or added:
            if removed and added and _alike(removed[0], added[0]):  # one paragraph edited: its words
                out.append(Change(added[0].kind, "edit", _words(removed.pop(0).text, added.pop(0).text)))
            elif removed:
                out.append(Change(removed[0].kind, "delete", (("delete", removed.pop(0).text),)))
            else:
                out.append(Change(added[0].kind, "insert", (("insert", added.pop(0).text),)))
    return out


def _alike(before: Para, after: Para) -> bool:
    """Two paragraphs close enough to show as one edited (rather than one deleted and another inserted)."""
    return before.kind == after.kind and difflib.SequenceMatcher(
        None, _TOKENS.findall(before.text), _TOKENS.findall(after.text), autojunk=False).ratio() >= 0.5


def _words(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """One paragraph's edit as runs of kept, deleted and inserted words."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[b1:b2])))
        if op == "equal":
            pieces.append(("equal", "".join(b[b1:b2])))
    return tuple(pieces)
