"""The page state in the URL: ``/path?start=2026-01-01&end=2026-06-30&region=North&region=East``.

Every filter has one query parameter, repeated for several values. A URL is the
whole state of a view, so it can be bookmarked, shared and reloaded. A parameter
that cannot be read (a date that is not a date) is dropped with a notice, never
silently.

Examples
--------
>>> state = parse("?start=2026-01-01&end=2026-03-31&region=North&region=East&tier=Gold")
>>> sorted(state.filters.regions), state.filters.start
(['East', 'North'], datetime.date(2026, 1, 1))
>>> to_search(state.filters)
'?start=2026-01-01&end=2026-03-31&region=East&region=North&tier=Gold'
>>> parse("?start=soon").notices
['ignored start=soon: not a date (use YYYY-MM-DD)']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from marginscope.metrics.filters import Filters
from marginscope.metrics.semantic import COMPARISONS, DEFAULT_COMPARISON, DIMENSIONS
from marginscope.schema import FIRST_DAY, LAST_DAY

PARAMETERS = {d.parameter: d.filter_field for d in DIMENSIONS}
"""Query parameter -> Filters field, in the order they are written (from the semantic layer)."""


COMPARE = "compare"
"""The query parameter of the comparison basis (left out of the URL when it is the default)."""


@dataclass(frozen=True)
class PageState:
    filters: Filters
    notices: list[str] = field(default_factory=list)
    dates_given: bool = False
    comparison: str = DEFAULT_COMPARISON
    """The comparison basis every page compares with (see :data:`marginscope.metrics.semantic.COMPARISONS`)."""


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse(search: str | None) -> PageState:
    """The filters a query string asks for (an empty date range means: all dates)."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    notices: list[str] = []
    dates = {}
    for name in ("start", "end"):
        given = query.get(name)
        if not given:
            continue
        text = given[-1]
        value = _date(text)
        if value is None:
            notices.append(f"ignored {name}={text}: not a date (use YYYY-MM-DD)")
        elif not FIRST_DAY <= value <= LAST_DAY:
            notices.append(f"ignored {name}={text}: dates run from {FIRST_DAY} to {LAST_DAY}")
        else:
            dates[name] = value
    if "start" in dates and "end" in dates and dates["start"] > dates["end"]:
        notices.append(f"ignored the date range {dates['start']} to {dates['end']}: it ends before it starts")
        dates = {}
    values = {}
    for parameter, attribute in PARAMETERS.items():
        given = [v for v in query.get(parameter, []) if v]
        notices.extend(f"ignored {parameter}={v!r}: it holds a NUL character" for v in given if "\x00" in v)
        values[attribute] = frozenset(v for v in given if "\x00" not in v)
    comparison = (query.get(COMPARE) or [DEFAULT_COMPARISON])[-1]
    if comparison not in COMPARISONS:
        notices.append(f"ignored {COMPARE}={comparison}: use one of {', '.join(COMPARISONS)}")
        comparison = DEFAULT_COMPARISON
    return PageState(Filters(start=dates.get("start"), end=dates.get("end"), **values), notices, bool(dates),
                     comparison)


def to_search(filters: Filters, comparison: str | None = None) -> str:
    """The query string of ``filters`` and the comparison basis (values sorted, so one view has one URL).

    >>> to_search(Filters(regions={"North"}), "previous")
    '?region=North&compare=previous'
    """
    pairs = []
    if filters.start:
        pairs.append(("start", filters.start.isoformat()))
    if filters.end:
        pairs.append(("end", filters.end.isoformat()))
    for parameter, attribute in PARAMETERS.items():
        pairs.extend((parameter, value) for value in sorted(getattr(filters, attribute)))
    if comparison and comparison != DEFAULT_COMPARISON:
        pairs.append((COMPARE, comparison))
    return f"?{urlencode(pairs)}" if pairs else ""


def with_defaults(state: PageState, first: dt.date | None, last: dt.date | None,
                  today: dt.date | None = None) -> Filters:
    """The filters to compute with: without dates in the URL, the year to date of the latest data.

    The latest data is never later than today: one line dated ahead (a typo within the load's horizon)
    does not move every page's range into the future.

    Examples
    --------
    >>> with_defaults(parse(""), dt.date(2024, 1, 2), dt.date(2026, 11, 23)).start
    datetime.date(2026, 1, 1)
    >>> with_defaults(parse("?start=2025-03-01"), dt.date(2024, 1, 2), dt.date(2026, 11, 23)).end
    datetime.date(2026, 11, 23)
    >>> with_defaults(parse(""), dt.date(2024, 1, 2), dt.date(2027, 6, 30), today=dt.date(2026, 11, 23)).end
    datetime.date(2026, 11, 23)
    """
    filters = state.filters
    if first is None or last is None:  # no data (the span has both or neither)
        return filters
    today = today or dt.date.today()
    if first <= today < last:
        last = today
    if not state.dates_given:
        return replace(filters, start=dt.date(last.year, 1, 1), end=last)
    start, end = filters.start or first, filters.end or last
    if start > end:
        start, end = (first, end) if filters.end else (start, max(start, last))
    return replace(filters, start=start, end=end)


def set_values(filters: Filters, parameter: str, values) -> Filters:
    """``filters`` with the values of one query parameter replaced."""
    changed: dict[str, Any] = {PARAMETERS[parameter]: frozenset(values)}
    return replace(filters, **changed)
