"""Slugs and ids: Unicode-aware, readable, safe as one URL segment, unique within a page."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[-\s_/.:;,!?¿¡؟،؛]+")
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
SAFE_SLUG = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")  # letters and digits of any script, inner hyphens


_ASCII_APOSTROPHES = re.compile(r"['`]")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A readable slug: "Türkiye'nin rolü?" -> "türkiyenin-rolü", Arabic stays Arabic.

    Latin letters keep their accents (browsers show them in URLs); combining marks
    that are not part of a composed letter, such as Arabic harakat, are dropped.
    """
    if text.isascii():  # most headings: the same slug without asking unicodedata about every character
        return _ASCII_SEPARATORS.sub("-", _ASCII_APOSTROPHES.sub("", text.lower())).strip("-")
    text = unicodedata.normalize("NFC", text).lower()
    text = _APOSTROPHES.sub("", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LN":
            kept.append(char)
        elif category == "Mn" or category == "Cf":
            continue  # harakat, tatweel-like marks, zero-width joiners
        else:
            kept.append("-")
    slug = _SEPARATORS.sub("-", "".join(kept))
    return slug.strip("-")


def is_safe_slug(slug: str) -> bool:
    """True when `slug` is one URL segment of letters, digits and inner hyphens."""
    return bool(SAFE_SLUG.match(slug)) and "--" not in slug and slug == slug.lower()


def unique_id(base: str, taken: set[str], fallback: str = "section") -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet; records the result in `taken`."""
    base = base or fallback
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
