"""Number formats, one set for every page, so a figure reads the same wherever it appears.

Examples
--------
>>> money(78851580.24, "EUR")
'€78.85M'
>>> money(-1234.5, "EUR")
'-€1.2k'
>>> percent(0.34415)
'34.4%'
>>> percent(None)
'n/a'
>>> count(13589)
'13,589'
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}
MISSING = "n/a"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def number(value) -> float | None:
    """A float for display and JSON (Decimals, numpy scalars), or None when missing."""
    if is_missing(value):
        return None
    return float(value)


def money(value, currency: str = "EUR") -> str:
    """Compact money: 78.85M, 12.3k, 950 (with the currency's symbol)."""
    value = number(value)
    if value is None:
        return MISSING
    sign, size = ("-" if value < 0 else ""), abs(value)
    symbol = SYMBOLS.get(currency, f"{currency} ")
    if size >= 1e6:
        return f"{sign}{symbol}{size / 1e6:,.2f}M"
    if size >= 1e3:
        return f"{sign}{symbol}{size / 1e3:,.1f}k"
    return f"{sign}{symbol}{size:,.0f}"


def money_exact(value, currency: str = "EUR") -> str:
    value = number(value)
    return MISSING if value is None else f"{value:,.2f} {currency}"


def percent(value, digits: int = 1) -> str:
    value = number(value)
    return MISSING if value is None else f"{value:.{digits}%}"


def count(value) -> str:
    value = number(value)
    return MISSING if value is None else f"{value:,.0f}"


def counted(value, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number.

    >>> counted(1, "customer"), counted(1200, "customer"), counted(2, "company", "companies")
    ('1 customer', '1,200 customers', '2 companies')
    """
    return f"{count(value)} {noun if number(value) == 1 else plural or noun + 's'}"


def decimal_number(value, digits: int = 1) -> str:
    value = number(value)
    return MISSING if value is None else f"{value:,.{digits}f}"


def change(measure: str, moved: float | None, growth: float | None, compared_with: str) -> str | None:
    """How a measure moved, in its unit: a rate in percentage points, anything else in % growth.

    >>> change("gross_margin", -0.0234, None, "vs last year")
    '-2.3 pts vs last year'
    >>> change("revenue", 50.0, 0.125, "vs previous period")
    '+12.5% vs previous period'
    >>> change("revenue", 50.0, None, "vs last year") is None
    True
    """
    from marginscope.metrics.semantic import MEASURES

    if MEASURES[measure].is_rate:
        moved = number(moved)
        return None if moved is None else f"{moved * 100:+.1f} pts {compared_with}"
    growth = number(growth)
    return None if growth is None else f"{growth:+.1%} {compared_with}"


def json_value(value):
    """A value as JSON can carry it: floats for Decimals, ISO strings for dates, None for missing."""
    if is_missing(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value == pd.Timestamp(value).normalize() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows of ``frame`` as JSON-ready dicts."""
    return [{column: json_value(value) for column, value in row.items()} for row in frame.to_dict("records")]
