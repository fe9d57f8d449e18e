"""The span of the demo data and day/month arithmetic on integer day numbers.

Days are integers counted from 1970-01-01 (the epoch of Arrow's date32), so date
arithmetic on millions of rows is plain integer arithmetic.

Examples
--------
>>> import datetime
>>> t = Timeline.create(datetime.date(2026, 11, 23), years=3)
>>> t.start, t.months
(datetime.date(2024, 1, 1), 35)
>>> from_day(t.month_start[-1]), from_day(t.month_end[-1])
(datetime.date(2026, 11, 1), datetime.date(2026, 11, 23))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

EPOCH = datetime.date(1970, 1, 1)


def to_day(d: datetime.date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def from_day(day: int) -> datetime.date:
    """The date ``day`` days after 1970-01-01."""
    return EPOCH + datetime.timedelta(days=int(day))


@dataclass(frozen=True)
class Timeline:
    """Calendar of the data: ``years`` calendar years ending at ``as_of`` (inclusive).

    The first year starts on 1 January of ``as_of.year - years + 1``; the current year
    is partial. Month arrays have one entry per calendar month of the span.

    Attributes
    ----------
    month_start, month_end
        First and last day (inclusive) of each month; the last month ends at ``as_of``.
    month_of_year, year
        Calendar month (1-12) and year of each month.
    """

    as_of: datetime.date
    start: datetime.date
    month_start: np.ndarray
    month_end: np.ndarray
    month_of_year: np.ndarray
    year: np.ndarray

    @classmethod
    def create(cls, as_of: datetime.date, years: int) -> Timeline:
        if years < 1:
            raise ValueError("years must be at least 1")
        start = datetime.date(as_of.year - years + 1, 1, 1)
        months = np.arange(np.datetime64(start, "M"), np.datetime64(as_of, "M") + 1)
        first = months.astype("datetime64[D]").astype(np.int64)
        after = (months + 1).astype("datetime64[D]").astype(np.int64)
        last = np.minimum(after - 1, to_day(as_of))
        return cls(
            as_of=as_of,
            start=start,
            month_start=first,
            month_end=last,
            month_of_year=(months.astype(np.int64) % 12 + 1),
            year=(months.astype(np.int64) // 12 + 1970),
        )

    @property
    def start_day(self) -> int:
        return to_day(self.start)

    @property
    def end_day(self) -> int:
        return to_day(self.as_of)

    @property
    def span_days(self) -> int:
        return self.end_day - self.start_day + 1

    @property
    def months(self) -> int:
        return len(self.month_start)

    @property
    def month_days(self) -> np.ndarray:
        """Days of each month inside the span (the current month counts up to as_of)."""
        return self.month_end - self.month_start + 1

    @property
    def month_length(self) -> np.ndarray:
        """Calendar days of each month (the current month counts in full)."""
        months = self.month_start.astype("datetime64[D]").astype("datetime64[M]")
        return ((months + 1).astype("datetime64[D]").astype(np.int64) - self.month_start)

    def month_index(self, days: np.ndarray) -> np.ndarray:
        """Index of the month containing each day (days inside the span)."""
        return np.searchsorted(self.month_start, days, side="right") - 1
