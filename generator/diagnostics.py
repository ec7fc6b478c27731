"""Diagnostics: content errors and warnings as values, with file, line, column and a hint."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import NamedTuple

from .frozen import pickles_by_slots


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Position(NamedTuple):
    """A 1-based line and column in a source file (a named tuple: thousands are kept in the cache)."""

    line: int
    column: int = 0


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the site's sources, formatted as `path:line:col: level: message`."""

    path: str
    message: str
    severity: Severity = Severity.ERROR
    line: int = 0
    column: int = 0
    hint: str = ""

    def format(self) -> str:
        """Render as the compiler-style text line, with the hint on its own line."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_json(self) -> dict:
        """A plain dict for `--format json`."""
        return {k: str(v) if isinstance(v, Severity) else v for k, v in asdict(self).items()}


def error(path: str, message: str, at: Position | None = None, hint: str = "") -> Diagnostic:
    """An error at an optional position."""
    return Diagnostic(path, message, Severity.ERROR, at.line if at else 0, at.column if at else 0, hint)


def warning(path: str, message: str, at: Position | None = None, hint: str = "") -> Diagnostic:
    """A warning at an optional position."""
    return Diagnostic(path, message, Severity.WARNING, at.line if at else 0, at.column if at else 0, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and line, exact repeats dropped."""
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.column, d.severity != Severity.ERROR, d.message))


def format_report(diagnostics: Sequence[Diagnostic], as_json: bool = False) -> str:
    """All diagnostics as text lines (or one JSON array)."""
    ordered = sort_diagnostics(diagnostics)
    if as_json:
        return json.dumps([d.as_json() for d in ordered], ensure_ascii=False, indent=2)
    return "\n".join(d.format() for d in ordered)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class NutgrafError(Exception):
    """A user's mistake found outside the content (bad options, a refused folder): printed, never a traceback."""
