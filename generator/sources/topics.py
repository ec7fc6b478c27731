"""Topic names: what each topic is called in each language, from content/topics.yaml."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Position, error
from .languages import language_problem
from .slugs import slugify
from .tree import load_data_file

if TYPE_CHECKING:
    from .tree import SourceFile

TOPICS_FILE = "topics.yaml"  # under content/; one of tree.DATA_FILES, never published as a file
TOPICS_PATH = f"content/{TOPICS_FILE}"
ENTRY_HINT = "write the topic as front matter does, then its name in each language: `Syria: {ar: سوريا, tr: Suriye}`"


@dataclass(frozen=True, slots=True)
class TopicNames:
    """One entry of topics.yaml: a topic's name in each language it gives."""

    key: str  # the topic as topics.yaml writes it
    names: tuple[tuple[str, str], ...]  # (lower-case language tag, name)
    at: Position | None  # where the entry is, for findings made when the site is known
    langs_at: Mapping[str, Position | None]  # where each language's name is


EMPTY_NAMES: Mapping[str, TopicNames] = MappingProxyType({})


def _entry(key: Any, value: Any, doc, found: list[Diagnostic]) -> TopicNames | None:
    at = doc.at(str(key))
    if not isinstance(key, str) or not slugify(key):
        found.append(error(TOPICS_PATH, f"topic {key!r} gives no usable URL", at, "write the topic as "
                                                                                "explainers' front matter does"))
        return None
    if not isinstance(value, dict) or not value:
        found.append(error(TOPICS_PATH, f"topic '{key}' must be a mapping of language to name, not {value!r}",
                           at, ENTRY_HINT))
        return None
    names, where = {}, {}
    for lang, name in value.items():
        lang_at = doc.at(f"{key}.{lang}")
        problem = language_problem(lang)
        if problem is not None:
            found.append(error(TOPICS_PATH, f"unknown language of topic '{key}': {problem[0]}", lang_at, problem[1]))
        elif not isinstance(name, str) or not name.strip():
            found.append(error(TOPICS_PATH, f"the {lang} name of topic '{key}' must be text, not {name!r}", lang_at,
                               f'put it in quotes: {lang}: "..."'))
        elif lang.lower() in names:
            found.append(error(TOPICS_PATH, f"topic '{key}' is named in {lang} twice", lang_at, "keep one name"))
        else:
            names[lang.lower()] = " ".join(name.split())
            where[lang.lower()] = lang_at
    return TopicNames(key, tuple(names.items()), at, MappingProxyType(where)) if names else None


def load_topic_names(data_files: Sequence[SourceFile]) -> tuple[Mapping[str, TopicNames], list[Diagnostic]]:
    """The names topics.yaml gives, by topic slug (empty without the file), and what is wrong with it."""
    doc, found = load_data_file(data_files, TOPICS_FILE)
    if doc is None:
        return EMPTY_NAMES, found
    if not isinstance(doc.data, dict):
        return EMPTY_NAMES, [*found, error(TOPICS_PATH, "topics.yaml must be a mapping of topic to its names",
                                           doc.at("") or Position(1), ENTRY_HINT)]
    entries: dict[str, TopicNames] = {}
    for key, value in doc.data.items():
        entry = _entry(key, value, doc, found)
        if entry is None:
            continue
        slug = slugify(entry.key)
        if slug in entries:
            found.append(error(TOPICS_PATH, f"'{key}' is the topic '{entries[slug].key}' again", entry.at,
                               "topics are matched by their URL slug; keep one entry"))
            continue
        entries[slug] = entry
    return MappingProxyType(entries), found
