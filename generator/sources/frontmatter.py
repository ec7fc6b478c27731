"""Front matter: split `---` fences from the body and read YAML safely, keeping key positions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Position, error, warning
from ..frozen import pickles_by_slots

# C0 and C1 controls but tab and newline, and Unicode non-characters: invalid in HTML and XML.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
MAX_YAML_BYTES = 256 * 1024  # front matter larger than this is a mistake, not an explainer
MAX_DEPTH = 20  # levels of nested mappings and lists: front matter and settings need three or four
DEPTH_HINT = f"front matter and settings need a few levels at most ({MAX_DEPTH} are allowed)"


@dataclass(frozen=True, slots=True)
class InvalidDate:
    """A YAML timestamp that matched the date pattern but is not a real date (2017-02-30)."""

    text: str
    reason: str


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class YamlDocument:
    """Parsed YAML with the position of every value, keyed by dotted path ("hero.image", "topics.1")."""

    data: Any
    # Every value's position as one string of "\n<key as repr>\t<line>\t<column>" lines: a record keeps
    # its front matter's positions for findings that come later, and as a dict of named tuples they were a
    # quarter of the memory of 10,000 parsed explainers.
    positions: str = ""

    @staticmethod
    def pack(positions: Mapping[str, Position]) -> str:
        return "".join(f"\n{key!r}\t{line}\t{column}" for key, (line, column) in positions.items())

    def _position(self, key: str) -> Position | None:
        start = self.positions.find(f"\n{key!r}\t")
        if start < 0:
            return None
        start += len(repr(key)) + 2
        end = self.positions.find("\n", start)
        line, column = self.positions[start: end if end >= 0 else None].split("\t")
        return Position(int(line), int(column))

    def positions_only(self) -> YamlDocument:
        """This document without its data: what a parsed explainer keeps, since its data lives on typed in
        ExplainerMeta (the raw dicts and lists were a fifth of a record's memory)."""
        return YamlDocument(None, self.positions)

    def at(self, key: str) -> Position | None:
        """Where a value (or, failing that, its parent) was written."""
        while key:
            if (found := self._position(key)) is not None:
                return found
            key = key.rpartition(".")[0]
        return self._position("")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One explainer file split into its front matter and its Markdown body."""

    path: str
    meta: YamlDocument
    body: str
    body_line: int  # 1-based line of the file where the body starts
    digest: str  # of the whole file's bytes


# libyaml's parser where the wheel has it: about ten times faster than the pure-Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):
    """The safe loader, keeping impossible dates (2017-02-30) as values for a clear error later."""

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            return InvalidDate(node.value, str(exc))


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)


class AliasFoundError(Exception):
    """An anchor used twice: front matter never needs one, and YAML bombs are made of them."""

    def __init__(self, mark):
        self.mark = mark


class StructureError(Exception):
    """A key given twice in one mapping, or values nested deeper than MAX_DEPTH, at the node's start."""

    def __init__(self, mark, message: str, hint: str):
        self.mark, self.message, self.hint = mark, message, hint


def _check_keys(node: yaml.MappingNode, first_line: int) -> None:
    """Refuse a key given twice: YAML would keep the last one silently."""
    seen: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        key = (key_node.tag, str(key_node.value))
        if key in seen:
            raise StructureError(key_node.start_mark, f"'{key_node.value}' is given twice in one mapping (first at "
                                 f"line {seen[key]})", "keep one of them: YAML would silently use the last")
        seen[key] = key_node.start_mark.line + first_line


def _positions(node: yaml.Node, prefix: str, first_line: int, out: dict[str, Position], seen: set[int],
               depth: int = 0, key_mark: yaml.Mark | None = None) -> None:
    """Record where each value under `node` starts, as 1-based file positions; refuse aliases (at the key that
    holds one), keys given twice and nesting deeper than MAX_DEPTH."""
    if id(node) in seen:  # the composer hands out the same node again for every *alias, of a plain value too
        raise AliasFoundError(key_mark or node.start_mark)
    seen.add(id(node))
    if isinstance(node, yaml.CollectionNode) and depth > MAX_DEPTH:  # the top level is 0
        raise StructureError(node.start_mark, f"YAML nested more than {MAX_DEPTH} levels deep", DEPTH_HINT)
    out[prefix] = Position(node.start_mark.line + first_line, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        _check_keys(node, first_line)
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _positions(value_node, f"{prefix}.{key}" if prefix else key, first_line, out, seen, depth + 1,
                       key_node.start_mark)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, f"{prefix}.{i}" if prefix else str(i), first_line, out, seen, depth + 1)


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be quoted, for example title: \"Syria: what next?\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "aliases" in problem:
        return "write the value out in full instead of using &anchors and *aliases"
    if "could not find expected ':'" in problem:
        return "every line of front matter is `key: value`; quote values that span lines"
    return "check the YAML syntax near this line; quote text values that contain special characters"


def _too_deep_flow(text: str) -> int:
    """Where [ ] and { } first nest deeper than MAX_DEPTH, else -1 (quotes ignored: an over-estimate is
    harmless). Checked before parsing, because the parser recurses once per level of brackets."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
    return -1


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document safely; positions are 1-based in the file (the YAML starts at `first_line`)."""
    if text.count("[") + text.count("{") > MAX_DEPTH and (deep := _too_deep_flow(text)) >= 0:
        at = Position(first_line + text.count("\n", 0, deep), deep - text.rfind("\n", 0, deep))
        return None, [error(path, f"YAML nested more than {MAX_DEPTH} levels deep", at,
                            DEPTH_HINT + "; is a bracket left open?")]
    loader = _SafeLoader(text)
    positions: dict[str, Position] = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _positions(node, "", first_line, positions, set())
        data = loader.construct_document(node) if node is not None else None
    except AliasFoundError as found:
        at = Position(found.mark.line + first_line, found.mark.column + 1)
        return None, [error(path, "aliases (*name) are not allowed in nutgraf files", at, _yaml_hint("aliases"))]
    except StructureError as found:
        at = Position(found.mark.line + first_line, found.mark.column + 1)
        return None, [error(path, found.message, at, found.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark.line >= text.count("\n"):  # found only at the end: show where it began
            mark = exc.context_mark
        at = Position(mark.line + first_line, mark.column + 1) if mark else None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return None, [error(path, f"invalid YAML: {problem}", at, _yaml_hint(problem))]
    except yaml.YAMLError as exc:
        return None, [error(path, f"invalid YAML: {exc}", None, _yaml_hint(str(exc)))]
    except RecursionError:
        return None, [error(path, "YAML nested too deeply", Position(first_line), "flatten the structure")]
    finally:
        loader.dispose()
    return YamlDocument(data, YamlDocument.pack(positions)), []


def decode_source(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (a byte-order mark is fine), newlines normalised; binary files refused."""
    if b"\x00" in data[:8192]:
        return None, [error(path, "this is a binary file, not a Markdown explainer", Position(1),
                            "move it out of content/ or give it another extension")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", Position(line),
                            "save the file as UTF-8 in your editor")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return text, []
    line = text.count("\n", 0, found.start()) + 1
    message = f"removed invisible control characters (first: U+{ord(found[0]):04X})"
    hint = "they are not allowed in HTML or feeds; they usually come from copying text out of another program"
    return CONTROL_CHARACTERS.sub("", text), [warning(path, message, Position(line), hint)]


def parse_document(data: bytes, path: str) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Split a file's bytes into front matter and body; every failure is a diagnostic."""
    text, problems = decode_source(data, path)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [error(path, "the file is empty", Position(1),
                            "start with front matter: ---, title: \"...\", date: YYYY-MM-DD, ---")]
    opening = FENCE.match(text)
    if opening is None:
        return None, [error(path, "no front matter at the top of the file", Position(1),
                            "did you forget `---` on the first line? Front matter goes between two `---` lines")]
    closing = FENCE.search(text, opening.end() + 1)
    if closing is None:
        return None, [error(path, "front matter is not closed", Position(1),
                            "add a line with `---` after the last front matter field")]
    yaml_text = text[opening.end() + 1: closing.start()]
    if len(yaml_text) > MAX_YAML_BYTES:
        return None, [error(path, "front matter is larger than 256 KB", Position(2),
                            "is the closing `---` missing?")]
    doc, yaml_problems = load_yaml(yaml_text, path, first_line=2)
    if doc is None:
        return None, problems + yaml_problems
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        return None, [error(path, f"front matter must be a mapping of fields, not {kind}", Position(2),
                            "write one `key: value` per line, e.g. title: \"...\"")]
    body_start = closing.end() + 1
    body_line = text.count("\n", 0, body_start) + 1
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return RawDocument(path, doc, text[body_start:], body_line, digest), problems  # control characters removed
