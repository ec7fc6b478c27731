"""Charts: `:::chart csv="data.csv" kind="line" ...`, drawn at build time as inline SVG (wide and narrow), with
the data as a table and the CSV to download; a bad file, column or cell is reported at its own line."""

from __future__ import annotations

import re
from urllib.parse import quote

from ...diagnostics import Position, error
from .base import BlockType, Found, Svg
from .charting.data import DataError, Table, looks_like_date, read_csv, read_inline, to_date, to_number
from .charting.draw import KINDS, ChartData, Series, draw
from .charting.formats import FORMAT_HINT, date_format, number_format, valid_format
from .charting.raster import to_png
from .charting.store import ChartStore, chart_key

CSV_HINT = 'data paths are relative to the explainer\'s file, e.g. csv="leap-seconds.csv" beside it'
_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-z]{3,20})$")
CHARTS_FOLDER = "charts"  # in output/: each chart's picture for feeds, by the digest of its inputs
IDENT = "nutgraf-chart-@"  # in drawn charts, replaced by each chart's own id on its page


def _data(found: Found) -> tuple[Table, bytes, str, str]:
    """The chart's table, its bytes (for the cache key), the file it came from as shown, and its site path."""
    src = found.attrs.get("csv", "").strip()
    if not src:
        lines = found.lines
        return read_inline(lines, found.line + 1), "\n".join(lines).encode(), found.md.nutgraf_source, ""
    read = getattr(found.md, "nutgraf_read_data", None)
    fetched = read(src) if read is not None else None
    if fetched is None:
        raise DataError(f"the data file '{src}' does not exist", found.line_of("csv="), CSV_HINT)
    rel, data = fetched
    found.md.nutgraf_chart_data = f"content/{rel}"  # where problems in_data are
    return read_csv(data), data, f"content/{rel}", f"{found.md.nutgraf_base_path.rstrip('/')}/{quote(rel)}"


def _columns(found: Found, table: Table) -> tuple[int, list[int]]:
    """The x column's index and the y columns' (default: the first column, and all the others)."""
    at = found.line_of("x=") if "x" in found.attrs else found.line
    x = table.column(found.attrs.get("x", table.columns[0]).strip(), at)
    named = [name.strip() for name in found.attrs.get("y", "").split(",") if name.strip()]
    at = found.line_of("y=") if named else found.line
    ys = [table.column(name, at) for name in named] or [i for i in range(len(table.columns)) if i != x]
    if not ys:
        raise DataError("the chart needs a column of values besides its x column", found.line,
                          'add a column, or say which with y="..."')
    return x, ys


def _positions(found: Found, table: Table, x: int, lang: str) -> tuple[tuple[float, ...] | None, object, tuple]:
    """Where rows sit on a continuous x axis (line charts of numbers or dates), how to write a position, and
    the rows' labels when they are dates (written in the page's language)."""
    cells = [row[x] for row in table.rows]
    name, xtype = table.columns[x], found.attrs.get("xtype", "").strip()
    if found.attrs.get("kind", "column") != "line" or xtype == "category":
        return None, None, ()
    if xtype == "date" or (not xtype and looks_like_date(cells[0])):
        dates = [to_date(cell, line, name) for cell, line in zip(cells, table.lines, strict=True)]
        precision = max((d.precision for d in dates), key=("year", "month", "day").index)
        write = date_format(lang, precision)
        from .dates import PartialDate  # noqa: PLC0415 (a year as a tick)

        def tick(value: float) -> str:
            return write(PartialDate(int(value))) if value == int(value) else f"{value:g}"

        return tuple(d.year + (d.first_day().timetuple().tm_yday - 1) / 366 for d in dates), tick, \
            tuple(write(d) for d in dates)
    try:
        return tuple(to_number(cell, line, name) for cell, line in zip(cells, table.lines, strict=True)), None, ()
    except DataError:
        if xtype == "number":
            raise
        return None, None, ()


def _chart_data(found: Found, table: Table, lang: str, rtl: bool) -> ChartData:
    kind = found.attrs.get("kind", "column").strip()
    if kind not in KINDS:
        raise DataError(f"'{kind}' is not a kind of chart", found.line_of("kind="), "kinds are " + ", ".join(KINDS))
    fmt = found.attrs.get("format", "number").strip()
    if not valid_format(fmt):
        raise DataError(f"'{fmt}' is not a number format", found.line_of("format="), FORMAT_HINT)
    decimals = found.attrs.get("decimals", "").strip()
    if decimals and not (decimals.isdigit() and int(decimals) <= 6):
        raise DataError(f"decimals=\"{decimals}\" is not a number of digits", found.line_of("decimals="),
                          'write decimals="0" to "6"')
    colors = tuple(c.strip() for c in found.attrs.get("colors", "").split(",") if c.strip())
    for color in colors:
        if not _COLOR.match(color):
            raise DataError(f"'{color}' is not a colour", found.line_of("colors="),
                              'write colours as #RRGGBB or CSS names, separated by commas: colors="#0a55a6,teal"')
    x, ys = _columns(found, table)
    series = tuple(Series(table.columns[y], tuple(to_number(row[y], line, table.columns[y])
                                                  for row, line in zip(table.rows, table.lines, strict=True)))
                   for y in ys)
    value_text = number_format(fmt, lang, int(decimals) if decimals else None)
    positions, position_text, dates = _positions(found, table, x, lang)
    return ChartData(kind, found.text("title"), found.text("description"),
                     dates or tuple(row[x] for row in table.rows), positions, series, value_text,
                     position_text or value_text, rtl, colors, bool(dates), number_format("percent", lang, 1))


def build(found: Found) -> dict | None:
    """The chart's drawings, from the store when its inputs are unchanged, with its data as a table."""
    md = found.md
    lang = getattr(md, "nutgraf_lang", "en")
    rtl = getattr(md, "nutgraf_dir", "ltr") == "rtl"
    md.nutgraf_chart_data = md.nutgraf_source
    try:
        table, data, _, href = _data(found)
        store: ChartStore = getattr(md, "nutgraf_chart_store", None) or ChartStore()
        key = chart_key(data, dict(found.attrs), f"{lang}|{rtl}")
        drawn = store.get(key)
        if drawn is None:
            drawn = draw(_chart_data(found, table, lang, rtl), IDENT)
            store.put(key, drawn, to_png(drawn[0]))
    except DataError as problem:
        where = md.nutgraf_chart_data if problem.in_data else md.nutgraf_source
        hint = problem.hint + (f" (the chart is at {md.nutgraf_source}:{found.line})"
                               if where != md.nutgraf_source else "")
        found.problems.append(error(where, problem.message, Position(problem.line), hint))
        return None
    md.nutgraf_charts = number = getattr(md, "nutgraf_charts", 0) + 1
    md.nutgraf_chart_keys.append(key)
    if not found.attrs.get("source", "").strip():
        found.warn(":::chart has no source", 'say where the numbers come from: source="IERS Bulletin C"')
    ident = f"nutgraf-chart-{number}"
    return {"title": found.text("title"), "description": found.text("description"), "source": found.text("source"),
            "note": found.text("note"), "kind": found.attrs.get("kind", "column"),
            "svgs": [Svg(svg.replace(IDENT, ident)) for svg in drawn], "columns": list(table.columns),
            "rows": [list(row) for row in table.rows], "csv": href, "csv_name": href.rsplit("/", 1)[-1],
            "png": f"{md.nutgraf_base_path.rstrip('/')}/{CHARTS_FOLDER}/{key}.png"}


BLOCKS = (BlockType("chart", build, required=("title", "description"),
                    optional=("csv", "kind", "x", "y", "xtype", "source", "note", "format", "decimals", "colors")),)
