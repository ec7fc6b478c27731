"""Typography: curly quotes, dashes and ellipses in rendered text, a fast stand-in for SmartyPants."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

SKIP_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math", "svg"})
_NEEDS_WORK = re.compile(r"[\"'.-]")
_QUOTE = re.compile(r"[\"']")
_DASHES = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"))
# Opening quotes follow the start, white space, an opening bracket or a dash.
_OPENERS = frozenset(" \t\n([{\u2014\u2013-/\u00a0\u201c\u2018")


def smarten(text: str, previous: str) -> str:
    """Curl the quotes and join the dashes of one text run; `previous` is the character before it."""
    if not _NEEDS_WORK.search(text):
        return text
    for plain, fancy in _DASHES:
        text = text.replace(plain, fancy)
    if '"' not in text and "'" not in text:
        return text
    out = list(text)  # visiting only the quotes: a loop over every character was a fifth of parsing
    for match in _QUOTE.finditer(text):
        i = match.start()
        before = out[i - 1] if i else previous  # as curled: an opening quote opens the next one too
        opening = (before in _OPENERS or not before) and _next_is_text(text, i)
        if text[i] == '"':
            out[i] = "\u201c" if opening else "\u201d"
        else:
            decade = text[i + 1: i + 3].isdigit() and not text[i + 3: i + 4].isdigit()  # '80s
            out[i] = "\u2018" if opening and not decade else "\u2019"
    return "".join(out)


def _next_is_text(text: str, i: int) -> bool:
    """True unless white space follows; at the end of a run an element such as <em> follows."""
    following = text[i + 1: i + 2]
    return not following.isspace()


class TypographyTreeprocessor(Treeprocessor):
    """Walk text in document order, so a quote after `</em>` knows what came before it."""

    def run(self, root: etree.Element) -> None:
        self._last = " "
        self._visit(root)

    def _visit(self, element: etree.Element) -> None:
        skip = element.tag in SKIP_TAGS
        if element.text and not skip and not isinstance(element.text, AtomicString):
            element.text = smarten(element.text, self._last)
        if element.text:
            self._last = element.text[-1]
        for child in element:
            self._visit(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail = smarten(child.tail, self._last)
            if child.tail:
                self._last = child.tail[-1]


class TypographyExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        # After inline patterns (20) and attr_list (8), before our headings are read (4).
        md.treeprocessors.register(TypographyTreeprocessor(md), "nutgraf-typography", 5)
