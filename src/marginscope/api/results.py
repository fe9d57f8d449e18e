"""How a metric's result becomes an HTTP answer: JSON values, pages of rows, and errors.

Every route of the REST API answers through this module, so a figure reads the same
from every endpoint:

- Decimals become JSON numbers. The metrics layer rounds money to the cent (and
  carries quantities and unit prices at 4 places); money it computes in floats (a
  prorated budget, an outlook, an average order value) is rounded to the cent here, in
  the columns the semantic layer declares as money; a float64 holds every such amount
  below 10^13 exactly, and JSON writes its shortest form, so ``583.50`` reads back as
  ``583.5``, never as ``583.4999``.
- Dates are ISO dates (``2026-01-31``); timestamps ISO timestamps in UTC without an
  offset (``2026-01-31T08:15:00``), as the warehouse stores them. A date column comes
  out of the warehouse as midnight timestamps; a column whose values are all at
  midnight is written as dates (the rule the file readers use too).
- Missing values (``None``, NaN, NaT, ``pd.NA``) and infinities become ``null``: a
  growth against a prior of 0 is "n/a", never 0 (METRICS.md).
- Lists are answered as a :class:`Page`: ``limit`` rows (default 100, at most 10,000)
  from ``offset``, with the ``total`` number of rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import numpy as np
import pandas as pd
from fastapi import Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from marginscope.metrics.semantic import money_columns

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
# The application database (SQLite) holds integers in 8 bytes: a larger id or offset matches nothing, and
# does not even fit the statement's parameter (a server error, before these bounds).
MAX_ROW_NUMBER = 2**63 - 1

Item = TypeVar("Item")


def json_value(value: Any) -> Any:
    """One value of a metric result as JSON: see the module docstring for the rules.

    Examples
    --------
    >>> json_value(Decimal("583.50")), json_value(float("nan")), json_value(pd.Timestamp("2026-01-31 08:15"))
    (583.5, None, '2026-01-31T08:15:00')
    >>> json_value({"period": (dt.date(2026, 1, 1), dt.date(2026, 3, 31)), "n": np.int64(3)})
    {'period': ['2026-01-01', '2026-03-31'], 'n': 3}
    """
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or pd.isna(value):
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date):  # datetimes and pandas timestamps are dates too
        return value.isoformat()
    return value


def _dates_as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns arrive as midnight timestamps: give them back as dates."""
    midnight = [str(name) for name, column in frame.items() if pd.api.types.is_datetime64_any_dtype(column)
                and (column.dropna() == column.dropna().dt.normalize()).all()]
    if not midnight:
        return frame
    return frame.assign(**{name: frame[name].dt.date.astype(object).where(frame[name].notna(), None)
                           for name in midnight})


def _to_the_cent(frame: pd.DataFrame) -> pd.DataFrame:
    """Money computed in floats (a prorated budget, an outlook) rounded to the cent, as decimals are;
    which columns hold money is the semantic layer's word (:func:`marginscope.metrics.semantic.money_columns`).

    >>> _to_the_cent(pd.DataFrame({"budget": [89311741.12903225], "attainment": [0.98765]})).values.tolist()
    [[89311741.13, 0.98765]]
    """
    floats = [c for c in money_columns(frame.columns) if pd.api.types.is_float_dtype(frame[c])]
    return frame.assign(**{column: frame[column].round(2) for column in floats}) if floats else frame


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a metric result as JSON objects, in the result's order.

    Examples
    --------
    >>> sales = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", None]), "revenue": [Decimal("1.10"), None]})
    >>> json_records(sales)
    [{'period': '2026-01-01', 'revenue': 1.1}, {'period': None, 'revenue': None}]
    """
    frame = _to_the_cent(_dates_as_dates(frame))
    names = [str(name) for name in frame.columns]
    return [dict(zip(names, map(json_value, row))) for row in frame.itertuples(index=False, name=None)]


def json_row(frame: pd.DataFrame) -> dict[str, Any]:
    """The single row of a one-row result (a summary) as a JSON object."""
    return json_records(frame.head(1))[0]


def json_object(values: dict[str, Any]) -> dict[str, Any]:
    """A metric's dict of values (a customer's attributes, a concentration) as JSON, read like a row."""
    return json_row(pd.DataFrame([values]))


class Page(BaseModel, Generic[Item]):
    """Part of a list: ``items`` are rows ``offset`` to ``offset + limit`` of ``total``.

    Amounts are JSON numbers (money to the cent), dates ISO strings, missing values null.
    """

    total: int = Field(description="Rows in the whole list")
    limit: int = Field(description="Most rows a page holds")
    offset: int = Field(description="Rows of the list before this page")
    items: list[Item]
    attrs: dict[str, Any] = Field(default_factory=dict, description=(
        "What the metric states about the whole list, e.g. the current and prior periods of a comparison, "
        "the as-of date and window of RFM scores, or the company averages that split the team matrix"))


MetricPage = Page[dict[str, Any]]


class ParameterProblem(BaseModel):
    """One parameter that did not parse, as FastAPI reports it."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int] = Field(description="Where: the part of the request, then the parameter's name")
    msg: str
    type: str


class Refusal(BaseModel):
    """Why a request was refused (every 4xx answer but a rejected load, which has its own report)."""

    detail: str | list[ParameterProblem] = Field(description=(
        "One sentence saying why; for parameters that do not parse, the list of each one's problem"))


@dataclass(frozen=True)
class PageRequest:
    """Which rows of a list a request wants."""

    limit: int
    offset: int

    def page(self, items: list, total: int, attrs: dict | None = None) -> Page:
        """A page of ``items``, which already are the wanted rows of a list of ``total``."""
        return Page(total=total, limit=self.limit, offset=self.offset, items=items, attrs=json_value(attrs or {}))

    def of(self, rows: pd.DataFrame | Sequence, **attrs: Any) -> Page:
        """The wanted rows of a metric result (a DataFrame, or a list of values) as JSON.

        ``attrs`` add to what the result states about itself (a DataFrame's ``attrs``).
        """
        wanted = slice(self.offset, self.offset + self.limit)
        if isinstance(rows, pd.DataFrame):  # dates told from timestamps over the whole list, not one page
            return self.page(json_records(_dates_as_dates(rows).iloc[wanted]), len(rows), {**rows.attrs, **attrs})
        rows = list(rows)
        return self.page(json_value(rows[wanted]), len(rows), attrs)


def get_page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most rows to answer")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_NUMBER, description="Rows to skip from the start of the list")]
    = 0,
) -> PageRequest:
    return PageRequest(limit, offset)


PageDep = Annotated[PageRequest, Depends(get_page_request)]


def metric_errors() -> Iterator[None]:
    """Answer 422 with the metrics layer's own message when it refuses its arguments.

    The metrics raise ``ValueError`` for what a caller got wrong (an unknown check, a
    comparison without a date range); its message says what to do instead.
    """
    try:
        yield
    except ValueError as refused:
        raise HTTPException(422, str(refused)) from None


MetricErrors = Depends(metric_errors)
