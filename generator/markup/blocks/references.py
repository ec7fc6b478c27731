"""Sources: the documents and reports an explainer rests on, with links."""

from __future__ import annotations

from .base import BlockType, Found, first_list

SOURCES_HINT = "write each source as `- [Title of the document](https://...), who published it`"


def build(found: Found) -> dict | None:
    """The list of sources; a source without a link is reported."""
    items = first_list(found.element)
    if items is None:
        found.fail(":::sources needs a list of documents", SOURCES_HINT)
        return None
    entries = []
    for item in items.findall("li"):
        if item.find(".//a") is None:
            text = "".join(item.itertext()).strip()
            found.warn(f"the source '{text[:40]}' has no link", SOURCES_HINT, found.line_of(text[:30]))
        entries.append(found.html(item))
    return {"title": found.text("title"), "entries": entries}


BLOCKS = (BlockType("sources", build, optional=("title",)),)
