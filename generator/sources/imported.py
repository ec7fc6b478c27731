"""Imported documents: an ArchieML header turned into explainer front matter, checked like a hand-written file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..diagnostics import Diagnostic, Position, Severity, did_you_mean, error
from .archieml import ArchieHeader
from .config import SiteConfig
from .frontmatter import RawDocument, YamlDocument
from .metadata import KNOWN_FIELDS, read_meta
from .slugs import slugify

# Fields whose one-line form is a comma-separated list: `topics: Syria, Diplomacy`.
COMMA_LISTS = ("authors", "topics", "related", "aliases")
DATE_FIELDS = ("date", "updated")
IMAGE_KEYS = ("hero", "social_image")
TRUTH = {"true": True, "yes": True, "false": False, "no": False}
_SPLIT = re.compile(r"\s*,\s*")


def _listed(value: Any, comma: bool) -> Any:
    """A one-line value as a list (split at commas where the field allows it); lists as they are."""
    if not isinstance(value, str):
        return value
    return [part for part in _SPLIT.split(value.strip()) if part] if comma else [value]


def _focus(value: Any) -> Any:
    """`focus: 0.5, 0.3` as [0.5, 0.3]; anything else as written, for the metadata check to refuse."""
    if not isinstance(value, str):
        return value
    try:
        return [float(part) for part in _SPLIT.split(value.strip())]
    except ValueError:
        return value


def _typed(key: str, value: Any) -> Any:
    """One ArchieML value (always text, lists or objects) as the type its front-matter field takes."""
    if key in COMMA_LISTS or key == "summary":
        return _listed(value, key in COMMA_LISTS)
    if key == "draft" and isinstance(value, str):
        return TRUTH.get(value.strip().lower(), value)
    if key in IMAGE_KEYS and isinstance(value, dict) and "focus" in value:
        return value | {"focus": _focus(value["focus"])}
    return value


def front_matter(header: ArchieHeader, path: str, config: SiteConfig,
                 unit: str = "line") -> tuple[dict | None, list[Diagnostic]]:
    """The front matter an ArchieML header gives, with the explainer checks of a hand-written file; `unit`
    names what the positions count ("paragraph" for a Word document). None when there are errors."""
    found: list[Diagnostic] = list(header.found)
    data: dict = {}
    for key, value in header.data.items():
        if key not in KNOWN_FIELDS:
            found.append(error(path, f"unknown key '{key}'", Position(header.lines.get(key, 1)),
                               did_you_mean(key, KNOWN_FIELDS) or "the keys are listed in docs/writing.md"))
            continue
        data[key] = _typed(key, value)
    positions = {key: Position(line) for key, line in header.lines.items()}
    # Without a slug the explainer is named from its title, not from the imported file's name.
    checked_data = data if "slug" in data else data | {"slug": slugify(str(data.get("title") or ""))}
    raw = RawDocument(path, YamlDocument(checked_data, YamlDocument.pack(positions)), "", 1, "")
    _, checked = read_meta(raw, config)
    found.extend(checked)
    if unit != "line":
        found = [_in_unit(d, unit) for d in found]
    if any(d.severity is Severity.ERROR for d in found):
        return None, found
    return {key: _dated(key, value) for key, value in data.items()}, found


def _in_unit(found: Diagnostic, unit: str) -> Diagnostic:
    """A finding whose line is a paragraph number says so."""
    if not found.line:
        return found
    return Diagnostic(found.path, f"{found.message} ({unit} {found.line})", found.severity, found.line, 0, found.hint)


def _dated(key: str, value: Any) -> Any:
    """Dates as dates, so that the written YAML says `date: 2017-01-23` rather than a quoted text."""
    if key in DATE_FIELDS and isinstance(value, str):
        return _date(value)
    if key in ("updates", "corrections") and isinstance(value, list):
        return [item | {"date": _date(item["date"])} for item in value]
    return value


def _date(text: str) -> dt.date | dt.datetime:
    text = text.strip()
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
