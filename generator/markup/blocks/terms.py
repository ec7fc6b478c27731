"""Glossary terms in the text: `[[term]]` or `[[term|words shown]]`, defined once in content/glossary.yaml."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

TERM_PATTERN = r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]"
TERM_ATTR = "data-nutgraf-term"


class TermInlineProcessor(InlineProcessor):
    """Marks a glossary term; its definition is looked up when the site is assembled."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        element = etree.Element("span", {TERM_ATTR: m.group(1).strip()})
        element.text = (m.group(2) or m.group(1)).strip()
        return element, m.start(0), m.end(0)


def term_key(term: str) -> str:
    """How terms are matched: case and surrounding space do not matter."""
    return " ".join(term.split()).casefold()
