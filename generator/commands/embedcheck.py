"""Raw embeds: an <iframe> or <script> written into a body loads a third party for every reader as the page
opens (and a script cannot run under the site's CSP); the :::embed block loads nothing until a click."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, Position, warning
from ..markup.blocks.embeds import find_embed

_RAW = re.compile(r"<(iframe|script)\b([^>]*)>?", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
SCRIPT_HINT = ("a provider's script cannot run under the site's Content-Security-Policy and follows every "
               "reader; put the post's address alone on a line, or use :::embed url=\"...\"")


def _host(src: str) -> str:
    try:
        return urlsplit(src).hostname or ""
    except ValueError:  # "https://e.org[": no address at all
        return ""


def raw_embeds(source: str, lines: Iterable[tuple[int, str]], embed_hosts: tuple[str, ...]) -> list[Diagnostic]:
    """Each raw <iframe> or <script> in a body's (file line, text) lines, with the :::embed block to use."""
    found = []
    for number, line in lines:
        for match in _RAW.finditer(line):
            src_match = _SRC.search(match[2])
            src = src_match[1] if src_match else ""
            host = _host(src)
            if match[1].lower() == "script":
                found.append(warning(source, f"a raw <script>{f' from {host}' if host else ''} in the body",
                                     Position(number), SCRIPT_HINT))
                continue
            embed = find_embed(src, embed_hosts) if src else None
            hint = (f':::embed url="{embed.url}" shows it without loading {embed.name} before the reader clicks'
                    if embed else 'use :::embed url="..." with the page\'s address (its host in embed_hosts)')
            found.append(warning(source, f"a raw <iframe>{f' from {host}' if host else ''} loads it for "
                                 "every reader as the page opens", Position(number), hint))
    return found
