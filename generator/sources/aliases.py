"""Aliases: an explainer's old URL paths (`aliases:` in front matter), checked and normalised."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, error

ALIAS_HINT = "list old site paths such as /old-slug/ or /2017/01/old-slug.html"


class _Checker(Protocol):
    def text_list(self, key: str, value: Any) -> tuple[str, ...]: ...
    def fail(self, key: str, message: str, hint: str = "") -> None: ...


def normalize_alias(text: str) -> str | None:
    """"old-slug" or "/old-slug" -> "/old-slug/"; "/x/index.html" -> "/x/"; None for what is not a site path."""
    parts = urlsplit(text.strip())
    path = parts.path
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not path.strip("/"):
        return None
    path = "/" + path.lstrip("/")
    if any(seg in (".", "..") for seg in path.split("/")) or "\\" in path or any(ord(c) < 32 for c in path):
        return None
    if path.endswith("/index.html"):
        return path.removesuffix("index.html")
    if not path.endswith("/") and not posixpath.splitext(path)[1]:
        path += "/"  # a folder, served as its index.html
    return path


def read_aliases(check: _Checker, value: Any) -> tuple[str, ...]:
    """The `aliases:` list of site paths, normalised; a bad entry is an error at its line."""
    found = []
    for i, text in enumerate(check.text_list("aliases", value)):
        path = normalize_alias(text)
        if path is None:
            check.fail(f"aliases.{i}", f"alias {text!r} is not a path on this site", ALIAS_HINT)
        elif path not in found:
            found.append(path)
    return tuple(found)


def check_aliases(pages: Iterable, metas: Sequence) -> list[Diagnostic]:
    """An alias that names a live page, or one that two explainers claim: errors with file and line.
    `pages` are the planned pages' entries, `metas` the front matter of the explainers they were planned from."""
    live = {p.path for p in pages if p.kind != "alias"}
    owners: dict[str, str] = {}
    found = []
    for meta in metas:
        for i, alias in enumerate(meta.aliases):
            where = meta.doc.at(f"aliases.{i}")
            if alias in live:
                found.append(error(meta.source, f"alias {alias} is a live page of this site", where,
                                   "remove the alias: the page it names would be replaced by a redirect"))
            elif owners.setdefault(alias, meta.source) != meta.source:
                found.append(error(meta.source, f"alias {alias} is also an alias of {owners[alias]}", where,
                                   "an old path can send readers to one explainer only"))
    return found
