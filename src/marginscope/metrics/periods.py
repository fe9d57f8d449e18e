"""Calendar arithmetic on dates: months, quarters and years, shared by every metric.

>>> add_months(dt.date(2026, 5, 31), -3)
datetime.date(2026, 2, 28)
>>> period_starts(dt.date(2026, 2, 10), dt.date(2026, 5, 1), "quarter")
[datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)]
>>> period_end(dt.date(2026, 4, 1), "quarter")
datetime.date(2026, 6, 30)
"""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative), or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_start(day: dt.date, grain: str) -> dt.date:
    """The first day of the month, quarter or year holding ``day``."""
    if grain not in MONTHS_IN:
        raise ValueError(f"unknown period {grain!r}; use month, quarter or year")
    first_month = {"month": day.month, "quarter": (day.month - 1) // 3 * 3 + 1, "year": 1}[grain]
    return dt.date(day.year, first_month, 1)


def period_end(period: dt.date, grain: str) -> dt.date:
    """The last day of the month, quarter or year holding ``period``."""
    return add_months(period_start(period, grain), MONTHS_IN[grain]) - dt.timedelta(days=1)


def period_starts(start: dt.date, end: dt.date, grain: str) -> list[dt.date]:
    """The calendar periods touching [start, end], by their first days."""
    current, starts = period_start(start, grain), []
    while current <= end:
        starts.append(current)
        current = add_months(current, MONTHS_IN[grain])
    return starts
