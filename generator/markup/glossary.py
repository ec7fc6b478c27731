"""Glossary: terms defined once for the site in content/glossary.yaml, looked up for the explainers that mark them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from ..frozen import pickles_by_slots
from ..sources.config import LANG_TAG
from ..sources.tree import SourceFile, load_data_file
from .blocks import term_key
from .typography import smarten

if TYPE_CHECKING:
    from ..sources.metadata import ExplainerMeta
    from .body import Body

GLOSSARY_FILE = "glossary.yaml"  # under content/; one of sources.DATA_FILES, never published as a file
ENTRY_FIELDS = ("definition", "lang")
ENTRY_HINT = 'write `Term: "What it means, in a sentence or two."`, or `Term: {definition: "...", lang: ar}`'
EMPTY_GLOSSARY: Mapping[str, GlossaryEntry] = MappingProxyType({})


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One defined term."""

    key: str  # how it is matched: case-folded, single spaces
    term: str  # as written in glossary.yaml
    definition: str  # plain text
    lang: str = ""  # the definition's language, when it is not the page's


def _entry(term: Any, value: Any, path: str, at, found: list[Diagnostic]) -> GlossaryEntry | None:
    if not isinstance(term, str) or not term.strip():
        found.append(error(path, f"glossary term {term!r} must be text", at, 'put it in quotes: "yes": "..."'))
        return None
    if isinstance(value, str):
        value = {"definition": value}
    if not isinstance(value, dict) or not isinstance(value.get("definition"), str) or not value["definition"].strip():
        found.append(error(path, f"the glossary term '{term}' has no definition", at, ENTRY_HINT))
        return None
    for unknown in (k for k in value if k not in ENTRY_FIELDS):
        found.append(warning(path, f"unknown field '{unknown}' of glossary term '{term}'", at,
                             did_you_mean(str(unknown), ENTRY_FIELDS)))
    lang = value.get("lang") or ""
    if lang and not (isinstance(lang, str) and LANG_TAG.match(lang)):
        found.append(error(path, f"the lang of glossary term '{term}' must be a language tag such as en or ar", at))
        lang = ""
    return GlossaryEntry(term_key(term), term.strip(), smarten(" ".join(value["definition"].split()), " "), lang)


def load_glossary(data_files: Sequence[SourceFile]) -> tuple[Mapping[str, GlossaryEntry], list[Diagnostic]]:
    """The site's glossary by term key (empty without content/glossary.yaml), and what is wrong with it."""
    path = f"content/{GLOSSARY_FILE}"
    doc, found = load_data_file(data_files, GLOSSARY_FILE)
    if doc is None:
        return EMPTY_GLOSSARY, found
    if not isinstance(doc.data, dict):
        return EMPTY_GLOSSARY, [*found, error(path, "the glossary must be a mapping of term to definition",
                                              Position(1), ENTRY_HINT)]
    entries: dict[str, GlossaryEntry] = {}
    for term, value in doc.data.items():
        at = doc.at(str(term))
        entry = _entry(term, value, path, at, found)
        if entry is None:
            continue
        if entry.key in entries:
            found.append(error(path, f"the glossary defines '{term}' twice", at, "keep one definition"))
            continue
        entries[entry.key] = entry
    return MappingProxyType(entries), found


def glossary_for(meta: ExplainerMeta, body: Body, glossary: Mapping[str, GlossaryEntry],
                 found: list[Diagnostic]) -> tuple[GlossaryEntry, ...]:
    """The entries an explainer marks in its text, in order; a term the glossary lacks is an error at its line."""
    used: dict[str, GlossaryEntry] = {}
    for key, line in body.terms:
        entry = glossary.get(key)
        if entry is None:
            found.append(error(meta.source, f"'{key}' is not in the glossary", Position(line),
                               did_you_mean(key, glossary) or f"define it in content/{GLOSSARY_FILE}"))
        else:
            used.setdefault(key, entry)
    return tuple(used.values())
