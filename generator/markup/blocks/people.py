"""Who's who: the parties and people of a story, each with a role and, optionally, a photo."""

from __future__ import annotations

import copy
import re

from .base import BlockType, Found, Html, first_list, item_body, serialize

_LEADING = re.compile(r"^[\s:,\u2013\u2014-]+")
PERSON_HINT = ("write each person as `- **Name**, role`, optionally with a photo first: "
               "`- ![alt](photo.jpg) **Name**, role`")


def _take_photo(found: Found, target) -> Html | None:
    """A photo written before the name: removed from the item and returned as HTML."""
    if (target.text or "").strip() or not len(target) or target[0].tag not in ("img", "picture"):
        return None
    photo = target[0]
    target.remove(photo)
    target.text = (target.text or "") + (photo.tail or "")
    shown = copy.copy(photo)
    shown.tail = None
    return Html(serialize(found.md, shown))


def _person(found: Found, item) -> dict | None:
    target = item_body(item)
    photo = _take_photo(found, target)
    if (target.text or "").strip() or not len(target) or target[0].tag != "strong":
        found.fail("a person in :::people does not start with their **name**", PERSON_HINT,
                   found.line_of("".join(item.itertext()).strip()[:30]))
        return None
    name_element = target[0]
    name = "".join(name_element.itertext()).strip()
    target.remove(name_element)
    target.text = _LEADING.sub("", name_element.tail or "")
    return {"name": name, "role": found.html(item), "photo": photo}


def build(found: Found) -> dict | None:
    """People from the list items `**Name**, role`."""
    items = first_list(found.element)
    if items is None:
        found.fail(":::people needs a list of people", PERSON_HINT)
        return None
    people = [person for item in items.findall("li") if (person := _person(found, item)) is not None]
    return {"title": found.text("title"), "people": people} if people else None


BLOCKS = (BlockType("people", build, optional=("title",)),)
