"""Timeline: dated events in date order, each date parsed so that themes show it in the page's language."""

from __future__ import annotations

import re

from .base import BlockType, Found, first_list, item_body
from .dates import DATE_FORMS, PartialDate

_EVENT = re.compile(r"^\s*([^\s:]+)\s*:\s*")
EVENT_HINT = "write each event as `- 2016-12-30: What happened`, the date as " + DATE_FORMS


def build(found: Found) -> dict | None:
    """Events from the list items `- DATE: text`; a missing or impossible date is reported at its line."""
    items = first_list(found.element)
    if items is None:
        found.fail(":::timeline needs a list of dated events", EVENT_HINT)
        return None
    events = []
    for item in items.findall("li"):
        target = item_body(item)
        text = target.text or ""
        match = _EVENT.match(text)
        if match is None:
            found.fail("a timeline event does not start with its date", EVENT_HINT,
                       found.line_of(text.strip()[:30]))
            continue
        date = PartialDate.parse(match[1])
        if date is None:
            found.fail(f"'{match[1]}' is not a date", "timeline dates are " + DATE_FORMS,
                       found.line_of(match[1]))
            continue
        target.text = text[match.end():]
        events.append({"date": date, "html": found.html(item)})
    if not events:
        return None
    events.sort(key=lambda event: event["date"])  # stable: events of one date keep the order written
    return {"title": found.text("title"), "events": events}


BLOCKS = (BlockType("timeline", build, optional=("title",)),)
