"""ArchieML headers: `key: value` lines, `{scope}` objects and `[list]`s read with the line of every value.

nutgraf reads the subset of the published spec (archieml.org) that a header needs, itself rather than through the
`archieml` package: that package gives no line numbers and, as the spec asks, never reports a mistake (a list
left open, a key given twice), so a writer would get a silently different explainer instead of an error naming
the line. What is read: `key: value`, dotted keys (`hero.image: ...`), values over several lines ended by `:end`,
`{scope}` ... `{}`, `[list]` ... `[]` of `* items` or of objects, `:skip` ... `:endskip`, and `:ignore`, which
ends the header (the Markdown body follows it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Position, error, warning

_NAME = r"[A-Za-z0-9_\-.]+"
KEY = re.compile(rf"^\s*({_NAME})[ \t]*:[ \t]*(.*)$")
COMMAND = re.compile(r"^\s*:[ \t]*(endskip|ignore|skip|end)\b", re.IGNORECASE)
SCOPE = re.compile(rf"^\s*\{{[ \t]*({_NAME})?[ \t]*\}}\s*$")
LIST = re.compile(rf"^\s*\[[ \t]*({_NAME})?[ \t]*\]\s*$")
ITEM = re.compile(r"^\s*\*[ \t]*(.*)$")
ESCAPE = re.compile(r"^\\(?=[:\[{*\\])")  # a backslash keeps a line of a long value from being read as a command
CLOSE_HINT = "end a list with [] and an object with {} on a line of their own"


@dataclass(frozen=True, slots=True)
class ArchieHeader:
    """A header read: values (text, lists, objects), the line of each dotted key, and where the body starts."""

    data: dict
    lines: dict[str, int]  # "hero.image", "summary.0", "updates.1.date" -> 1-based line
    body_index: int | None  # index in the given lines of the first line after `:ignore`; None without one
    found: tuple[Diagnostic, ...] = ()


@dataclass
class _State:
    """The parser's place: the open scope and list, the value that `:end` would extend, and findings."""

    path: str
    data: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    found: list[Diagnostic] = field(default_factory=list)
    scope: str = ""  # dotted key of the open {scope}, "" at the top
    list_key: str = ""  # dotted key of the open [list], "" for none
    list_line: int = 0
    items: list | None = None
    item: dict | None = None  # the object being filled in a list of objects
    last: tuple[object, object, str] | None = None  # (container, key, dotted key) of the value :end extends
    buffer: list[tuple[int, str]] = field(default_factory=list)  # lines after that value, for :end

    def fail(self, line: int, message: str, hint: str = "") -> None:
        self.found.append(error(self.path, message, Position(line), hint))

    def settle(self) -> None:
        """A key or command ends the value `:end` could extend; text left in between was ignored."""
        ignored = [(n, text) for n, text in self.buffer if text.strip()]
        if ignored:
            self.found.append(warning(self.path, f"this text is not ArchieML and is ignored: {ignored[0][1].strip()!r}",
                                      Position(ignored[0][0]), "write `key: value`; a value over several lines "
                                      "ends with a line `:end`"))
        self.last, self.buffer = None, []


def _container(state: _State, dotted: str, line: int) -> tuple[dict, str] | None:
    """The object that holds `dotted` (made on the way) and the last part of the key; None when a part is text."""
    parts = dotted.split(".")
    target = state.data
    for part in parts[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            state.fail(line, f"'{dotted}' cannot be set: '{part}' is already a value, not an object")
            return None
    return target, parts[-1]


def _set(state: _State, dotted: str, value: object, line: int) -> None:
    found = _container(state, dotted, line)
    if found is None:
        return
    target, key = found
    if key in target:
        state.fail(line, f"'{dotted}' is given twice (first at line {state.lines.get(dotted, '?')})",
                   "keep one of them: ArchieML would silently use the last")
        return
    target[key] = value
    state.lines[dotted] = line
    if isinstance(value, str):
        state.last = (target, key, dotted)


def _close_list(state: _State, line: int, opening: str = "") -> None:
    if state.list_key and opening:
        state.fail(state.list_line, f"the list [{state.list_key}] is not closed before {opening} at line {line}",
                   CLOSE_HINT)
    state.list_key, state.items, state.item = "", None, None


def _list_line(state: _State, line: int, text: str) -> bool:
    """A `* item` or `key: value` inside the open list; False when the line is neither."""
    assert state.items is not None
    if (item := ITEM.match(text)) is not None:
        if state.item is not None:
            return _mixed(state, line)
        state.settle()
        state.lines[f"{state.list_key}.{len(state.items)}"] = line
        state.items.append(item[1].strip())
        state.last = (state.items, len(state.items) - 1, "")
        return True
    if (pair := KEY.match(text)) is not None:
        if state.items and state.item is None:
            return _mixed(state, line)
        state.settle()
        if state.item is None or pair[1] in state.item:  # the first key again starts the next object
            state.item = {}
            state.items.append(state.item)
            state.lines[f"{state.list_key}.{len(state.items) - 1}"] = line
        state.item[pair[1]] = pair[2].strip()
        state.lines[f"{state.list_key}.{len(state.items) - 1}.{pair[1]}"] = line
        state.last = (state.item, pair[1], "")
        return True
    return False


def _mixed(state: _State, line: int) -> bool:
    state.fail(line, f"the list [{state.list_key}] mixes `* items` and `key: value` objects",
               "a list holds either `* text` lines or objects of `key: value` lines, not both")
    return True


def _end(state: _State, line: int) -> None:
    """`:end`: the value before it takes the lines up to here."""
    if state.last is None:
        state.found.append(warning(state.path, "`:end` ends no value", Position(line),
                                   "`:end` follows the lines of a value that spans several lines"))
        return
    target, key, _ = state.last
    more = "\n".join(ESCAPE.sub("", text) for _, text in state.buffer)
    target[key] = (target[key] + "\n" + more).strip()  # type: ignore[index]
    state.last, state.buffer = None, []


def _command(state: _State, line: int, text: str) -> str:
    """A line of structure: `{scope}`, `[list]` or `:end`; returns "" when the line is none of these."""
    named = SCOPE.match(text) or LIST.match(text)
    if named is not None and (named[1] or "").startswith("."):
        state.settle()
        state.fail(line, f"nested ArchieML ({text.strip()}) is not used in a header",
                   "front matter fields are one level deep: write the list or object at the top, "
                   "e.g. [updates] or {hero}")
        return "nested"
    if (scope := SCOPE.match(text)) is not None:
        state.settle()
        _close_list(state, line, f"{{{scope[1] or ''}}}")
        state.scope = scope[1] or ""
        held = _container(state, state.scope, line) if state.scope else None
        if held is not None and not isinstance(held[0].get(held[1]), dict):  # an object named again goes on
            _set(state, state.scope, {}, line)
        return "scope"
    if (opened := LIST.match(text)) is not None:
        state.settle()
        if not opened[1]:
            if not state.list_key:
                state.found.append(warning(state.path, "`[]` closes no list", Position(line), CLOSE_HINT))
            _close_list(state, line)
            return "list"
        _close_list(state, line, f"[{opened[1]}]")
        state.scope = ""  # a list is named from the top, as the spec has it
        state.list_key, state.list_line, state.items = opened[1], line, []
        _set(state, opened[1], state.items, line)
        state.last = None
        return "list"
    return ""


def read_header(lines: Sequence[str], path: str, first_line: int = 1) -> ArchieHeader:
    """Read an ArchieML header from `lines` (numbered from `first_line`) up to `:ignore`."""
    state = _State(path)
    skipping, body_index = False, None
    for index, text in enumerate(lines):
        line = first_line + index
        command = COMMAND.match(text)
        name = command[1].lower() if command else ""
        if skipping:
            skipping = name != "endskip"
        elif name == "ignore":
            state.settle()
            body_index = index + 1
            break
        elif name == "skip":
            state.settle()
            skipping = True
        elif name == "end":
            _end(state, line)
        elif name == "endskip" or _command(state, line, text) or (
                state.items is not None and _list_line(state, line, text)):
            continue
        elif state.items is None and (pair := KEY.match(text)) is not None:
            state.settle()
            _set(state, f"{state.scope}.{pair[1]}" if state.scope else pair[1], pair[2].strip(), line)
        else:
            state.buffer.append((line, text))
    if state.list_key:
        state.fail(state.list_line, f"the list [{state.list_key}] is not closed", CLOSE_HINT)
    state.settle()
    return ArchieHeader(state.data, state.lines, body_index, tuple(state.found))
