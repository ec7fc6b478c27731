"""Languages: the site's words (title, description, publisher's name) per language, from site.yaml's
`languages:`, and the checks of language tags that site.yaml and content/topics.yaml share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from babel.core import Locale, UnknownLocaleError

from ..diagnostics import Diagnostic, did_you_mean, error, warning

if TYPE_CHECKING:
    from .frontmatter import YamlDocument

LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
LANGUAGE_FIELDS = ("title", "description", "publisher")
LANGUAGES_HINT = 'languages: {ar: {title: "...", description: "...", publisher: {name: "..."}}}'
# Tags readers meet most, for a "did you mean" when a tag is no language at all ("ra", "arb").
COMMON_TAGS = ("ar", "de", "en", "es", "fa", "fr", "he", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru",
               "sv", "tr", "uk", "ur", "zh")


@dataclass(frozen=True, slots=True)
class LanguageWords:
    """What site.yaml says of the site in one language; "" where it says nothing (the site's own is shown)."""

    title: str = ""
    description: str = ""
    publisher: str = ""  # the publisher's name


@lru_cache(maxsize=256)
def is_known_language(tag: str) -> bool:
    """A well-formed tag whose language Unicode's locale data knows ("ar", "pt-BR"; not "ra" nor "arabic")."""
    if not LANG_TAG.match(tag):
        return False
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def language_problem(tag: Any, known: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(message, hint) when `tag` is no language tag that can have an edition; None when it is one."""
    if isinstance(tag, str) and is_known_language(tag):
        return None
    shown, word, choices = tag if isinstance(tag, str) else repr(tag), str(tag).lower(), (*known, *COMMON_TAGS)
    # difflib finds no likeness between two-letter tags with their letters swapped ("ra" for "ar")
    swapped = next((c for c in choices if sorted(c.lower()) == sorted(word)), "")
    hint = (f"did you mean '{swapped}'?" if swapped else did_you_mean(word, choices)) \
        or "use a language tag such as ar, tr or pt-BR"
    return f"'{shown}' is not a language tag", hint


def parse_languages(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic],
                    site_language: str) -> dict[str, LanguageWords]:
    """`languages: {ar: {title: ..., description: ..., publisher: {name: ...}}}`, by lower-case tag."""
    if not isinstance(raw, dict):
        out.append(error(path, "'languages' must be a mapping of language tag to title, description and publisher",
                         doc.at("languages"), LANGUAGES_HINT))
        return {}
    found: dict[str, LanguageWords] = {}
    for tag, spec in raw.items():
        key = f"languages.{tag}"
        problem = language_problem(tag, (site_language,))
        if problem is not None:
            out.append(error(path, f"unknown language in 'languages': {problem[0]}", doc.at(key), problem[1]))
            continue
        if not isinstance(spec, dict):
            out.append(error(path, f"'{key}' must be a mapping with title, description and publisher",
                             doc.at(key), LANGUAGES_HINT))
            continue
        fields: dict[str, str] = {}
        for name, value in spec.items():
            at = doc.at(f"{key}.{name}")
            if name not in LANGUAGE_FIELDS:
                out.append(error(path, f"unknown setting '{name}' of '{key}'", at,
                                 did_you_mean(str(name), LANGUAGE_FIELDS) or "each language takes "
                                 + ", ".join(LANGUAGE_FIELDS)))
            elif name == "publisher":
                text = value.get("name") if isinstance(value, dict) and set(value) == {"name"} else None
                if isinstance(text, str) and text.strip():
                    fields[name] = text.strip()
                else:
                    out.append(error(path, f"'{key}.publisher' must be a mapping with the publisher's name", at,
                                     'publisher: {name: "..."} (its url and logo are the site\'s)'))
            elif isinstance(value, str) and value.strip():
                fields[name] = value.strip()
            else:
                out.append(error(path, f"'{key}.{name}' must be text, not {value!r}", at,
                                 f'put the value in quotes: {name}: "..."'))
        if tag.lower() in found:
            out.append(error(path, f"'languages' names {tag} twice", doc.at(key), "keep one of them"))
        elif tag.lower() == site_language.lower():
            out.append(warning(path, f"'{key}' is the site's own language", doc.at(key),
                               "its words are the top-level title, description and publisher"))
        else:
            found[tag.lower()] = LanguageWords(**fields)
    return found
