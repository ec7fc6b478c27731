"""A question's own "updated" date: `## Question? {updated=2017-01-25}`, shown beside it and in the contents."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from ...diagnostics import Position, error, warning
from .dates import DATE_FORMS, PartialDate

UPDATED_ATTR = "data-nutgraf-updated"
MARK_ATTR = "data-nutgraf-mark"  # an element that becomes a small block of its own, e.g. "question-updated"


def source_line(md, needle: str, default: int = 0) -> int:
    """The file line where `needle` is first written in the body, else `default`."""
    for index, line in enumerate(getattr(md, "nutgraf_source_lines", ())):
        if needle in line:
            return md.nutgraf_first_line + index
    return default


class QuestionDatesTreeprocessor(Treeprocessor):
    """Check each `updated=` on a heading; a question keeps it for the contents and gets a dated line after it."""

    def run(self, root: etree.Element) -> None:
        for index, element in reversed(list(enumerate(root))):
            value = element.attrib.pop("updated", None)
            if value is None or element.tag not in ("h2", "h3", "h4", "h5", "h6"):
                continue
            line = Position(source_line(self.md, f"updated={value}") or source_line(self.md, "updated="))
            if element.tag != "h2":
                self.md.nutgraf_block_problems.append(warning(
                    self.md.nutgraf_source, "only questions (## headings) carry an updated date", line,
                    "move {updated=...} to the question's ## heading"))
                continue
            date = PartialDate.parse(value.strip("\"'"))
            if date is None or date.precision != "day":
                self.md.nutgraf_block_problems.append(error(
                    self.md.nutgraf_source, f"a question's updated date must be a day, not {value!r}", line,
                    "write {updated=2017-01-25}; dates are " + DATE_FORMS))
                continue
            element.set(UPDATED_ATTR, date.isoformat())
            root.insert(index + 1, etree.Element("div", {MARK_ATTR: "question-updated", "data-date": date.isoformat()}))


def question_updated(heading: etree.Element) -> PartialDate | None:
    """The checked updated date of a question heading, taken off the heading."""
    value = heading.attrib.pop(UPDATED_ATTR, None)
    return PartialDate.parse(value) if value else None
