"""Block syntax: `:::name attr="value"` ... `:::` fences, checked and handed to md_in_html as marked divs."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from markdown.preprocessors import Preprocessor

from ...diagnostics import Position, did_you_mean, error, warning
from .embeds import is_provider_url
from .registry import BLOCK_TYPES

_FENCE = re.compile(r"^:::(?P<rest>.*)$")
_NAME = re.compile(r"^[A-Za-z][\w-]*$")
_ATTR = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'“”]+))""")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
INLINE_MARKS = ("[[", "credit=", "caption=", "updated=")  # glossary terms, credited images, dated questions
ATTR_HINT = 'write attributes as name="value" with straight quotes, e.g. :::factbox title="The vault in numbers"'


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """A fenced block as written: its name, attributes, first line in the file and source lines."""

    name: str
    attrs: Mapping[str, str]
    line: int
    lines: tuple[str, ...]


def fence_after(line: str, fence: str) -> str | None:
    """The code fence open after `line` ("" for none) when the line opens or closes one, else None."""
    code = _CODE_FENCE.match(line)
    if code and (not fence or (code[1][0] == fence[0] and len(code[1]) >= len(fence))):
        return "" if fence else code[1]
    return None


def parse_attrs(text: str) -> tuple[dict[str, str], str]:
    """`title="x" by='y' n=3` as a dict; the second value is what could not be read, or ""."""
    attrs: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _ATTR.match(text, pos)
        if match is None:
            return attrs, text[pos:].strip()
        name, *values = match.groups()
        attrs[name] = next(v for v in values if v is not None)
        pos = match.end()
    return attrs, ""


class _Scanner:
    """Walks the body's lines once, turning good blocks into md_in_html divs and reporting bad ones."""

    def __init__(self, md, lines: list[str]):
        self.md, self.lines = md, lines
        self.first = md.nutgraf_first_line
        self.out: list[str] = []

    def report(self, index: int, message: str, hint: str = "", level=error) -> None:
        self.md.nutgraf_block_problems.append(level(self.md.nutgraf_source, message,
                                                    Position(self.first + index), hint))

    def run(self) -> list[str]:
        fence = ""
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            after = fence_after(line, fence)
            if after is not None:
                fence = after
            elif not fence and _FENCE.match(line):
                index = self.block(index)
                continue
            elif not fence and line[:4] == "http" and self._alone(index) and is_provider_url(line):
                self._place(BlockSpec("embed", MappingProxyType({"url": line.strip()}), self.first + index, ()), [])
                index += 1
                continue
            self.out.append(line)
            index += 1
        return self.out

    def _alone(self, index: int) -> bool:
        """The line is a paragraph of its own: blank lines (or the body's ends) before and after it."""
        return all(not (self.lines[at].strip() if 0 <= at < len(self.lines) else "") for at in (index - 1, index + 1))

    def _place(self, spec: BlockSpec, inner: list[str]) -> None:
        """A good block as a marked div that md_in_html parses the inside of."""
        number = len(self.md.nutgraf_blocks)
        self.md.nutgraf_blocks[str(number)] = spec
        self.out += ["", f'<div markdown="1" data-nutgraf-block="{number}">', "", *inner, "", "</div>", ""]

    def _close(self, start: int) -> int | None:
        """The index of the line that closes the block opened at `start`, skipping code fences."""
        fence = ""
        for index in range(start + 1, len(self.lines)):
            after = fence_after(self.lines[index], fence)
            if after is not None:
                fence = after
            elif not fence and _FENCE.match(self.lines[index]):
                return index
        return None

    def block(self, start: int) -> int:
        """Handle the block opened at `start`; returns the index of the line after it."""
        rest = _FENCE.match(self.lines[start])["rest"].strip()
        name, _, attr_text = rest.partition(" ")
        if not name:
            self.report(start, "a ::: line closes a block, but no block is open here",
                        "open a block with its name, e.g. :::timeline, and close it with ::: alone on a line")
            return start + 1
        end = self._close(start)
        nested = end is not None and _FENCE.match(self.lines[end])["rest"].strip() != ""
        if end is None or nested:
            self.report(start, f"the :::{name} block is not closed", "add a line with ::: alone after its content"
                        + (f"; blocks do not nest, so close it before line {self.first + end}" if nested else ""))
            end = len(self.lines) if end is None else end
        inner = self.lines[start + 1: end]
        spec = self.check(start, name, attr_text, inner) if not nested else None
        if spec is None:  # reported: keep its content as ordinary text so the rest of the page still renders
            self.out += ["", *inner, ""]
        else:
            self._place(spec, inner)
        return end if nested else end + 1

    def check(self, start: int, name: str, attr_text: str, inner: list[str]) -> BlockSpec | None:
        """The block's spec, or None after reporting why it cannot be one."""
        kind = BLOCK_TYPES.get(name)
        if not _NAME.match(name) or kind is None:
            self.report(start, f"unknown block :::{name}", did_you_mean(name, BLOCK_TYPES)
                        or "the blocks are " + ", ".join(sorted(BLOCK_TYPES)))
            return None
        attrs, unread = parse_attrs(html.unescape(attr_text))
        if unread:
            self.report(start, f"cannot read the attributes of :::{name}: {unread!r}", ATTR_HINT)
            return None
        ok = True
        for missing in (a for a in kind.required if not attrs.get(a, "").strip()):
            self.report(start, f":::{name} needs the attribute {missing}=\"...\"", f'for example :::{name} '
                        + " ".join(f'{a}="..."' for a in kind.required))
            ok = False
        for unknown in (a for a in attrs if a not in kind.required + kind.optional):
            known = kind.required + kind.optional
            self.report(start, f":::{name} has no attribute '{unknown}'", did_you_mean(unknown, known)
                        or (f"its attributes are {', '.join(known)}" if known else "it takes no attributes"),
                        level=warning)
        fence = ""
        for offset, line in enumerate(inner, start=1):
            after = fence_after(line, fence)
            if after is not None:
                fence = after
            elif not fence and _HEADING.match(line):
                self.report(start + offset, f"a heading inside the :::{name} block",
                            "questions (##) go between blocks; give the block a title=\"...\" instead")
                ok = False
        return BlockSpec(name, MappingProxyType(attrs), self.first + start, tuple(inner)) if ok else None


class BlockSyntaxPreprocessor(Preprocessor):
    """Finds `:::` blocks before Markdown parses the body, so md_in_html parses their insides."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.nutgraf_source_lines = tuple(lines)
        out = _Scanner(self.md, lines).run()
        text = "\n".join(lines)
        # Most bodies have nothing for the later stages to look for: they skip walking the tree.
        self.md.nutgraf_plain = not self.md.nutgraf_blocks and not any(mark in text for mark in INLINE_MARKS)
        return out
