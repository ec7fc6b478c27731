"""Key points: the short list a reader gets first (the `summary` front matter shows the same template)."""

from __future__ import annotations

from .base import BlockType, Found, first_list

LIST_HINT = "write each point on its own line starting with `- `"


def build(found: Found) -> dict | None:
    """The points of the block's list."""
    points = first_list(found.element)
    if points is None:
        found.fail(":::keypoints needs a list of points", LIST_HINT)
        return None
    return {"title": found.text("title"), "points": [found.html(item) for item in points.findall("li")]}


BLOCKS = (BlockType("keypoints", build, optional=("title",)),)
