"""Block placeholders: each block's values travel inside the body's HTML as JSON until the theme renders them."""

from __future__ import annotations

import html
import json
import re
import secrets
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from ..svgclean import clean_svg
from .base import Html, Svg
from .dates import PartialDate

TAG = "nutgraf-block"
PLACEHOLDER = re.compile(r'<nutgraf-block data-block="([^"]*)"></nutgraf-block>')
# Written as JSON escapes, so the attribute's HTML escaping (which leaves an entity's & alone) is undone exactly.
_ATTRIBUTE_SAFE = {ord("&"): "\\u0026", ord("<"): "\\u003c", ord(">"): "\\u003e"}


def _tagged(value: Any) -> Any:
    """Values as JSON can hold them, HTML and dates marked so that they come back as what they were."""
    if isinstance(value, Svg):
        return {"$svg": str(value)}
    if isinstance(value, Html):
        return {"$html": str(value)}
    if isinstance(value, PartialDate):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(item) for item in value]
    return value


def _dumps(values: Any) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).translate(_ATTRIBUTE_SAFE)


def encode(values: dict[str, Any]) -> str:
    """A block's values as the JSON of its placeholder."""
    return _dumps(_tagged(values))


def decode(text: str, html_hook: Callable[[str], Any] = Markup) -> SimpleNamespace:
    """A placeholder's JSON as template values: objects with attributes, HTML through `html_hook`, dates."""

    def hook(data: dict) -> Any:
        if "$html" in data:
            return html_hook(data["$html"])
        if "$svg" in data:
            return Markup(data["$svg"])
        if "$date" in data:
            return PartialDate.parse(data["$date"])
        return SimpleNamespace(**data)

    return json.loads(text, object_hook=hook)


def placeholder_json(match: re.Match) -> str:
    """The JSON of a placeholder found with PLACEHOLDER."""
    return html.unescape(match[1])


def body_parts(body: str) -> tuple[list[str], list[SimpleNamespace]]:
    """The HTML of a body and every piece of HTML inside its blocks, and every block's values, inner ones too."""
    fragments: list[str] = []
    blocks: list[SimpleNamespace] = []

    def collect(html_text: str) -> str:
        fragments.append(html_text)
        for match in PLACEHOLDER.finditer(html_text):
            blocks.append(decode(placeholder_json(match), collect))
        return html_text

    collect(body)
    return fragments, blocks


def clean_drawing(svg: str) -> str:
    """An inline SVG through the SVG cleaner (svg-hush), without its XML declaration; "" if it cannot be."""
    cleaned, problem = clean_svg(svg.encode())
    return "" if problem else re.sub(r"^<\?xml[^>]*\?>\s*", "", cleaned.decode())


def clean_blocks(body: str, clean: Callable[[str], str]) -> str:
    """Run `clean` (a sanitizer) over a body and over the HTML inside each block, keeping the placeholders."""
    kept: dict[str, str] = {}
    # Unguessable, so that no text of the body can name a token and pull a block's HTML into an attribute.
    nonce = secrets.token_hex(16)

    def protect(match: re.Match) -> str:
        def hook(data: dict) -> dict:
            if "$svg" in data:  # a drawing nutgraf made: cleaned as an SVG, which the HTML sanitizer would drop
                return {"$svg": clean_drawing(data["$svg"])}
            return {"$html": clean_blocks(data["$html"], clean)} if "$html" in data else data

        values = _dumps(json.loads(placeholder_json(match), object_hook=hook))
        token = f"nutgraf-block-{nonce}-{len(kept)}."  # text, which every sanitizer keeps
        kept[token] = f'<{TAG} data-block="{html.escape(values)}"></{TAG}>'
        return token

    text = clean(PLACEHOLDER.sub(protect, body))
    for token, placeholder in kept.items():
        text = text.replace(token, placeholder)
    return text
