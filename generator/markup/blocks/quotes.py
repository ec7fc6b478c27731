"""Pull quote: a sentence worth repeating large, with whom it is by."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..sitepaths import under_base
from .base import BlockType, Found


def build(found: Found) -> dict | None:
    """The quote's text with its attribution."""
    quote = found.html()
    if not quote:
        found.fail(":::quote has no text", "write the quoted words between :::quote and :::")
        return None
    cite = found.attrs.get("cite", "").strip()
    if cite and urlsplit(cite).scheme not in ("", "http", "https"):
        found.fail(f":::quote cite= must be a web address, not {cite!r}", 'cite="https://..." names the source')
        cite = ""
    cite = under_base(cite, getattr(found.md, "nutgraf_base_path", "/"))  # like a link in the text
    return {"quote": quote, "by": found.text("by"), "role": found.text("role"), "cite": cite}


BLOCKS = (BlockType("quote", build, required=("by",), optional=("role", "cite")),)
