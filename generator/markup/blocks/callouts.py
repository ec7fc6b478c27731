"""Fact boxes and callouts: text set apart from the story, with a title (a fact box must have one)."""

from __future__ import annotations

from .base import BlockType, Found


def build(found: Found) -> dict | None:
    """The box's title and its Markdown content."""
    content = found.html()
    if not content:
        found.fail(f":::{found.name} is empty", "write its content between the opening and the closing :::")
        return None
    return {"title": found.text("title"), "html": content}


BLOCKS = (BlockType("factbox", build, required=("title",)),
          BlockType("callout", build, optional=("title",)))
