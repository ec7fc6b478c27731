"""Chart data: a CSV file or an inline pipe table read into columns of text, each row with its line, and the
values of a column read as numbers or dates, every bad cell reported at its line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..dates import DATE_FORMS, PartialDate

MAX_ROWS = 10_000  # a chart of more rows is unreadable, and its page too heavy
NUMBER_HINT = "write numbers as 1234.5 (a thousands comma, a leading currency sign or a trailing % is allowed)"
_NUMBER = re.compile(r"^[-+−]?[$€£¥]?\s*[-+−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?\s*%?$")
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


class DataError(ValueError):
    """A cell or file the chart cannot use: the message, the line of its file, and a hint."""

    def __init__(self, message: str, line: int, hint: str = "", in_data: bool = False):
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint
        self.in_data = in_data  # at a line of the data (a CSV file's own), not of the block


@dataclass(frozen=True, slots=True)
class Table:
    """A chart's data as written: column names, rows of text, and the file line of each row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]

    def column(self, name: str, line: int, hint: str = "") -> int:
        """The index of column `name`; a DataError at `line` (the block's) when there is none."""
        if name in self.columns:
            return self.columns.index(name)
        raise DataError(f"the data has no column '{name}'", line,
                          hint or "its columns are " + ", ".join(repr(c) for c in self.columns))


def _table(rows: list[tuple[list[str], int]], header_line: int) -> Table:
    if not rows:
        raise DataError("the chart's data is empty", header_line, "the first line names the columns, e.g. year,value",
                          True)
    (header, _), body = rows[0], rows[1:]
    columns = tuple(name.strip() for name in header)
    if not body:
        raise DataError("the chart's data has a header but no rows", rows[0][1], "add a line for each data point",
                          True)
    if len(body) > MAX_ROWS:
        raise DataError(f"the chart's data has {len(body)} rows; at most {MAX_ROWS} are drawn", body[MAX_ROWS][1],
                          "aggregate the data first, or split it into several charts", True)
    for cells, line in body:
        if len(cells) != len(columns):
            raise DataError(f"this row has {len(cells)} cells, the header {len(columns)}", line,
                              "give every row one cell per column; quote a cell that holds a comma", True)
    return Table(columns, tuple(tuple(c.strip() for c in cells) for cells, _ in body),
                 tuple(line for _, line in body))


def read_csv(data: bytes) -> Table:
    """A CSV file (UTF-8, a BOM allowed), blank lines skipped, each row with its line in the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError("the CSV file is not UTF-8 text", line, "save it as CSV UTF-8", True) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((cells, start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"the CSV cannot be read: {exc}", reader.line_num, "check the quotes on this line",
                          True) from None
    return _table(rows, 1)


def read_inline(lines: tuple[str, ...], first_line: int) -> Table:
    """A pipe table written inside the block (`| year | value |`); `first_line` is the file line of lines[0]."""
    rows = []
    for number, line in enumerate(lines, start=first_line):
        text = line.strip()
        if not text or _SEPARATOR_ROW.match(text):
            continue
        if not text.startswith("|"):
            raise DataError("a line of the chart's table does not start with |", number,
                              "write the data as a table, | year | value |, or name a file with csv=\"...\"")
        rows.append((text.strip("|").split("|"), number))
    return _table(rows, first_line - 1)


def to_number(text: str, line: int, column: str) -> float:
    """A cell as a number: 1234.5, 1,234.5, $12, 45%, −3; a DataError at its line when it is none."""
    cleaned = text.strip()
    if not cleaned or not _NUMBER.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        shown = f"'{text}'" if text.strip() else "an empty cell"
        raise DataError(f"{shown} in column '{column}' is not a number", line, NUMBER_HINT, True)
    sign = -1 if cleaned.count("-") + cleaned.count("−") == 1 else 1
    digits = re.sub(r"[^\d.]", "", cleaned)
    return sign * float(digits)


def to_date(text: str, line: int, column: str) -> PartialDate:
    """A cell as a date (a year, a month or a day); a DataError at its line when it is none."""
    date = PartialDate.parse(text)
    if date is None:
        raise DataError(f"'{text}' in column '{column}' is not a date", line, "chart dates are " + DATE_FORMS,
                          True)
    return date


def looks_like_date(text: str) -> bool:
    """Written as a month or a day (2016-12, 2016-12-30): a column of them is a time axis. Bare years are numbers
    unless the block says xtype="date"."""
    return bool(re.match(r"^\d{4}-\d{1,2}(-\d{1,2})?$", text.strip()))
