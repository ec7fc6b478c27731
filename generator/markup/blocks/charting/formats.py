"""Chart number and date formats in the page's language, through Babel: thousands, percentages, currencies."""

from __future__ import annotations

import functools
from collections.abc import Callable

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal, format_currency, format_decimal

from ..dates import PartialDate

FORMATS = ("number", "percent", "currency:XXX", "compact")  # what format="..." may be, for the hint
FORMAT_HINT = 'format is number, percent, compact or currency:CODE, e.g. format="currency:USD"'
_SKELETONS = {"year": "y", "month": "yMMM", "day": "yMMMd"}


@functools.lru_cache(maxsize=64)
def locale_of(lang: str) -> Locale:
    """The Babel locale of a page language ("en", "pt-BR"); English for one Babel does not know."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def valid_format(fmt: str) -> bool:
    """Whether format="..." names a known format."""
    kind, _, code = fmt.partition(":")
    if kind == "currency":
        return len(code) == 3 and code.isalpha()
    return fmt in ("number", "percent", "compact")


def number_format(fmt: str, lang: str, decimals: int | None = None) -> Callable[[float], str]:
    """How values are written: `fmt` is number, percent (the values are percentages: 45 is 45 %), compact
    (1.2K) or currency:CODE; `decimals` fixes the digits after the point (default: as many as needed)."""
    locale = locale_of(lang)
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    kind, _, code = fmt.partition(":")

    def write(value: float) -> str:
        if kind == "currency":
            return format_currency(value, code.upper(), locale=locale,
                                   format_type="standard" if decimals is None or decimals else "accounting")
        if kind == "compact":
            return format_compact_decimal(value, locale=locale, fraction_digits=1 if decimals is None else decimals)
        text = format_decimal(value, format=pattern, locale=locale)
        if kind == "percent":
            return format_decimal(value / 100, format=(pattern or "#,##0.###") + "%", locale=locale)
        return text

    return write


def date_format(lang: str, precision: str) -> Callable[[PartialDate], str]:
    """How dates are written on an axis, to the year, month or day."""
    locale = locale_of(lang)
    skeleton = _SKELETONS[precision]
    return lambda date: format_skeleton(skeleton, date.first_day(), locale=locale)
