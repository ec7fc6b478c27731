"""The inline pass of a body, quicker: each inline pattern is tried only on text holding what it needs."""

from __future__ import annotations

import re
from types import MappingProxyType

from markdown.inlinepatterns import DelimiterProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

# What each inline pattern our Markdown registers needs in the text to match (its regex matches that
# literally, or, for backtick's escaped-backslash branch, looks ahead for it). A pattern not named here is
# tried on every text, as Python-Markdown does. At most two marks each (the check below looks at two).
NEEDS = MappingProxyType({
    "backtick": ("`",), "escape": ("\\",), "nutgraf-term": ("[[",), "footnote": ("[^",), "reference": ("[",),
    "link": ("[",), "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",),
    "short_image_ref": ("![",), "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",), "html": ("<",),
    "entity": ("&",), "em_strong": ("*", "_"), "em_strong2": ("_",),
})
INLINE_PATTERNS = frozenset(NEEDS)
# Any of them: text with none is left as it is without trying the patterns.
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")


def needs_by_index(patterns: Registry) -> tuple[tuple[str, ...] | None, ...]:
    """For each pattern of `patterns`, in the order they are tried, what it needs (None: try it always)."""
    needs: list[tuple[str, ...] | None] = [None] * len(patterns)
    for name, marks in NEEDS.items():
        if name in patterns:
            needs[patterns.get_index_for_name(name)] = marks
    return tuple(needs)


class PlainTextSkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass tries every pattern on every piece of text, each a regex scan of it;
    profiled, that is the biggest cost of a body. Plain prose, which no pattern can match, is returned at
    once, and a pattern whose mark the text lacks is passed over as one that found no match (its scan could
    not find one). This overrides a private method: should Markdown rename it, the override stops saving
    time but changes nothing."""

    _needs: tuple[tuple[str, ...] | None, ...] = ()

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:  # noqa: N802 (its name)
        if isinstance(data, AtomicString) or _INLINE_TRIGGER.search(data) is None:
            return data
        patterns = self.inlinePatterns
        count = len(patterns)
        if len(self._needs) != count:
            self._needs = needs_by_index(patterns)
        apply, needs = self._InlineProcessor__applyPattern, self._needs
        start = 0
        while index < count:  # upstream's loop, with the check of the marks
            marks = needs[index]
            if marks is not None and marks[0] not in data and (len(marks) == 1 or marks[1] not in data):
                matched, start = False, 0
            else:
                data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data


class QuickDelimiters(DelimiterProcessor):
    """Python-Markdown's emphasis (`*` and `_`), finding the next delimiter with a regex: upstream's search
    visits every character of the paragraph in a Python loop, for every emphasis it pairs."""

    _finder: tuple[tuple[str, ...], re.Pattern] = ((), re.compile(r"(?!)"))

    def search(self, data: str, start: int) -> re.Match[str] | None:
        """Upstream's search (the same positions recorded, the same match), visiting only delimiters."""
        keys = tuple(self.delimiters)
        if self._finder[0] != keys:  # delimiters are single characters: upstream compares one at a time
            self._finder = (keys, re.compile("[" + "".join(re.escape(k) for k in keys if len(k) == 1) + "]"))
        for found in self._finder[1].finditer(data, start):
            i = found.start()
            self.positions.append(i)
            d = self.delimiters[data[i]]
            m = d.boundary.match(data, i)
            if m is not None:
                if not d.stack and m.lastgroup[0] == "e":
                    continue
                return m
        return None


def quicken_delimiters(patterns: Registry) -> None:
    """Make the registered emphasis processor a QuickDelimiters. The instance is kept, not replaced: it is
    the one extensions add their delimiters to (through `md.delimiters`)."""
    if "em_strong" in patterns and type(patterns["em_strong"]) is DelimiterProcessor:
        patterns["em_strong"].__class__ = QuickDelimiters
