"""Dates written in a body (timeline events, a question's update): to the year, the month or the day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2016-12-30"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date known to the year (month and day 0), the month (day 0) or the day."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """2011, 2016-12 or 2016-12-30; None when it is not one of those or not a real date."""
        match = _PARTIAL.match(text.strip())
        if match is None:
            return None
        year, month, day = (int(part) if part else 0 for part in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            return None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """"year", "month" or "day"."""
        return "day" if self.day else "month" if self.month else "year"

    def isoformat(self) -> str:
        """As `<time datetime>` takes it: 2011, 2016-12 or 2016-12-30."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def first_day(self) -> dt.date:
        """The earliest day it can mean, for comparisons with full dates."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day it can mean: 2011 means up to December 31."""
        if self.day:
            return self.first_day()
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)
