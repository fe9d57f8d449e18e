"""Compile a query once per filter shape, then run it with the filter values bound as parameters.

Building and compiling an Ibis expression costs tens of milliseconds of Python, often
more than DuckDB takes to answer it, and a filter change would pay it for every query
of a page. A query's SQL depends on the *shape* of the filters (which filters are set,
and whether the date range starts and ends on a month's edges, which spares the day
cells of part months), not on their values, so it is compiled once per shape:

1. the query is built twice, with two different sets of stand-in values of the same
   shape, and compiled;
2. the stand-ins are replaced by named parameters: dates by ``$start`` and ``$end``, and
   each ``column IN (values)`` by ``list_contains($values, column)``, so that one SQL
   serves any number of values;
3. if both compilations then give the same SQL, every filter value reaches the SQL
   only as a parameter, and the SQL is kept. If they differ, the query derives
   something from a value in Python (say, the same dates a year earlier), and it is
   always built and compiled afresh instead: correct, only slower.

Making a template costs two compilations, so a shape gets one the second time it is
asked for; the first time, the query is built and compiled once and run as it is. A
filter shape tried once (an API client's one-off question) then costs what it would
without templates, and the shapes of a dashboard, asked for again and again, are
templates from their second view. The server's warm-up makes its templates at first
sight (:func:`eagerly`).

Filter values are bound by the database driver, never written into SQL text.
Only engines whose ``supports_query_templates`` flag is set (DuckDB) run templates; the
others build and compile every query afresh.

A template's SQL names tables without their database and depends on the warehouse only
through its tables' columns and types and whether it reads the rollups. Templates are
therefore shared by every warehouse of the process with the same tables (the
*signature*): a process that opens several copies of one warehouse, such as a test
suite or a notebook comparing two loads, compiles each query once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from threading import Lock, local
from typing import cast

import ibis.expr.types as ir
import numpy as np
import pandas as pd
import sqlglot.expressions as exp

from marginscope.metrics.executor import execute, lock_of, query_key
from marginscope.metrics.filters import Filters, Scope
from marginscope.metrics.semantic import FILTER_FIELDS
from marginscope.warehouse import Warehouse

Build = Callable[[Filters, Scope], ir.Table]
SET_FIELDS = FILTER_FIELDS
_NOT_TEMPLATABLE = object()


def _shape(filters: Filters, scope: Scope) -> tuple:
    """Which filters are set (not how many values they hold: a list parameter takes any number)."""
    return (filters.start is not None, filters.end is not None, _starts_a_month(filters.start),
            _ends_a_month(filters.end),
            *(bool(getattr(filters, name)) for name in SET_FIELDS), scope.customers is not None)


def _starts_a_month(day: dt.date | None) -> bool:
    return day is not None and day.day == 1


def _ends_a_month(day: dt.date | None) -> bool:
    # Not day + 1 day: there is no day after 9999-12-31, which a URL may hold.
    return day is not None and day.day == calendar.monthrange(day.year, day.month)[1]


def _stand_ins(filters: Filters, scope: Scope, variant: int) -> tuple[Filters, Scope, dict[str, str]]:
    """Filters and scope of the same shape holding stand-in values, and stand-in -> parameter name."""
    slots: dict[str, str] = {}
    dates = {}
    aligned = {"start": _starts_a_month(filters.start), "end": _ends_a_month(filters.end)}
    for index, name in enumerate(("start", "end")):
        if getattr(filters, name) is not None:
            # In March, on its first day or its last as the real date is, or on neither.
            day = dt.date(1100 + 100 * variant + index, 3, (1 if index == 0 else 31) if aligned[name] else 2)
            dates[name] = day
            slots[f"MAKE_DATE({day.year}, {day.month}, {day.day})"] = name
    values = {}
    for name in SET_FIELDS:
        if getattr(filters, name):
            text = f"\x01ms{variant}:{name}"
            values[name] = frozenset({text})
            slots[text] = name
    scope_values = None
    if scope.customers is not None:
        scope_values = frozenset({f"\x01ms{variant}:scope"})
        slots[f"\x01ms{variant}:scope"] = "scope"
    stand_in = replace(filters, start=dates.get("start"), end=dates.get("end"), **values)
    return stand_in, Scope(scope_values), slots


def _parameters(filters: Filters, scope: Scope) -> dict[str, object]:
    """The real values for every parameter name of :func:`_stand_ins`."""
    params: dict[str, object] = {name: getattr(filters, name) for name in ("start", "end")
                                 if getattr(filters, name) is not None}
    params.update({name: sorted(getattr(filters, name)) for name in SET_FIELDS if getattr(filters, name)})
    if scope.customers is not None:
        params["scope"] = sorted(scope.customers)
    return params


def _parameterised_sql(wh: Warehouse, expr: ir.Table, slots: dict[str, str],
                       pretty: bool = False) -> tuple[str, set[str]]:
    """The SQL of ``expr`` with every stand-in replaced by its parameter, and the parameters used.

    A stand-in left anywhere else (a value copied into the SQL in another form) stays in
    the SQL, and the caller then refuses the template.
    """
    used: set[str] = set()

    def swap(node):
        if isinstance(node, exp.In) and len(node.expressions) == 1:
            value = node.expressions[0]
            if isinstance(value, exp.Literal) and value.is_string and value.this in slots:
                name = slots[value.this]
                used.add(name)
                values = exp.cast(exp.Placeholder(this=name), "VARCHAR[]")
                return exp.Anonymous(this="list_contains", expressions=[values, node.this.copy()])
        if isinstance(node, exp.DateFromParts):
            name = slots.get(node.sql("duckdb"))
            if name is not None:
                used.add(name)
                return exp.cast(exp.Placeholder(this=name), "DATE")
        return node

    tree = wh.con.compiler.to_sqlglot(expr).transform(swap)
    return tree.sql("duckdb", pretty=pretty), used


class QueryTemplates:
    """A warehouse's view of the process-wide cache of parameterised SQL, keyed by
    (signature, query, filter shape)."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self.entries: dict[tuple, object] = {}
        self.lock = Lock()
        self.enabled = warehouse.supports_query_templates
        self._tables_signature: tuple | None = None

    def signature(self) -> tuple:
        """What a template's SQL depends on besides the query: every column of every table, with
        its type, and whether the rollups are read (the same on every copy of a warehouse)."""
        if self._tables_signature is None:
            with lock_of(self.warehouse):
                columns = self.warehouse.con.con.execute(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_catalog = current_database() AND table_schema = current_schema() "
                    "ORDER BY table_name, ordinal_position").fetchall()
            self._tables_signature = (self.warehouse.dialect, tuple(columns))
        return self._tables_signature, self.warehouse.reads_rollups

    def execute(self, key: tuple, build: Build, filters: Filters, scope: Scope) -> pd.DataFrame:
        """``build(filters, scope).execute()``, from a template when the query allows one."""
        if not self.enabled:
            return execute(self.warehouse, build(filters, scope))
        entry_key = (key, _shape(filters, scope))
        with self.lock:
            entry = self.entries.get(entry_key)
        if entry is None:
            shared_key = (self.signature(), *entry_key)
            with _shared_lock:
                entry = _shared.get(shared_key)
                first_sight = entry is None and shared_key not in _seen and not getattr(_eager, "on", False)
                if first_sight:
                    _make_room(_seen)
                    _seen.add(shared_key)
            if first_sight:
                return execute(self.warehouse, build(filters, scope))
            if entry is None:
                entry = self._template(build, filters, scope)
                with _shared_lock:
                    _make_room(_shared)
                    _shared[shared_key] = entry
            with self.lock:
                self.entries[entry_key] = entry
        if entry is _NOT_TEMPLATABLE:
            return execute(self.warehouse, build(filters, scope))
        sql, used, schema = cast(tuple, entry)  # a template: (SQL, the parameters it uses, its schema)
        params = {name: value for name, value in _parameters(filters, scope).items() if name in used}
        with lock_of(self.warehouse):
            result = self.warehouse.con.con.execute(sql, params).fetch_arrow_table()
        return _to_pandas(result, schema)

    def _template(self, build: Build, filters: Filters, scope: Scope, pretty: bool = False):
        """(SQL, parameters used, schema) of ``build``'s template for the shape of ``filters`` and ``scope``;
        ``_NOT_TEMPLATABLE`` when the query reads a filter value in Python. ``pretty`` lays the SQL out on
        lines (for reading; the server runs it on one)."""
        compiled = []
        for variant in (1, 2):
            stand_in, stand_in_scope, slots = _stand_ins(filters, scope, variant)
            expr = build(stand_in, stand_in_scope)
            compiled.append((*_parameterised_sql(self.warehouse, expr, slots, pretty), expr.schema()))
        (first, used, schema), (second, _, _) = compiled
        if first != second or "\x01ms" in first:
            return _NOT_TEMPLATABLE
        return first, used, schema


SHARED_ENTRIES = 20_000
_shared: dict[tuple, object] = {}
_seen: set[tuple] = set()
_shared_lock = Lock()
_eager = local()


def _make_room(cache: dict | set) -> None:
    """Empty a full process-wide cache: a bound, not an eviction policy (one warehouse needs a few hundred)."""
    if len(cache) >= SHARED_ENTRIES:
        cache.clear()


@contextmanager
def eagerly() -> Iterator[None]:
    """Make templates at a shape's first sight in this thread (for warming up a server).

    Examples
    --------
    >>> with eagerly():
    ...     pass
    """
    before = getattr(_eager, "on", False)
    _eager.on = True
    try:
        yield
    finally:
        _eager.on = before


def _to_pandas(table, schema) -> pd.DataFrame:
    """What Ibis's DuckDB backend makes of an Arrow result, so both paths return the same frames.

    A page's results are a few rows each, where pandas' per-column overheads are most of
    the cost: the commonest columns (money as decimals, counts, ratios, none missing) are
    converted straight from Arrow, the others by Ibis's own converters.
    """
    import pyarrow.types as pat
    from ibis.backends.duckdb.converter import DuckDBPandasData

    index = pd.RangeIndex(table.num_rows)
    columns = {}
    for (name, dtype), column in zip(schema.items(), table.columns):
        fast = None if column.null_count else _plain_column(column, dtype)
        if fast is not None:
            columns[name] = fast
            continue
        raw = (pd.Series(column.to_pylist(), index=index, dtype=object)
               if pat.is_nested(column.type) or pat.is_dictionary(column.type) or column.null_count
               else column.to_pandas())
        columns[name] = DuckDBPandasData.convert_column(raw, dtype)
    return pd.DataFrame(columns, index=index, copy=False)


def _plain_column(column, dtype) -> np.ndarray | pd.Series | None:
    """A column without missing values as Ibis would convert it, when its type is one of the
    commonest (None otherwise)."""
    import pyarrow as pa
    import pyarrow.types as pat
    from ibis.common.numeric import normalize_decimal

    if dtype.is_decimal() and pat.is_decimal(column.type):
        values = np.empty(len(column), dtype=object)
        if column.type.scale == dtype.scale and column.type.precision <= (dtype.precision or 38):
            # Already of the scale Ibis would give (normalising then quantising returns each value as it is).
            values[:] = column.to_pylist()
        else:
            values[:] = [normalize_decimal(v, precision=dtype.precision, scale=dtype.scale, strict=False)
                         for v in column.to_pylist()]
        return values
    if dtype.is_float64() and pat.is_float64(column.type):
        return column.to_numpy()
    if dtype.is_date() and pat.is_date32(column.type):
        return column.cast(pa.timestamp("s")).to_numpy()  # Ibis's datetime64[s], without a date object per value
    if dtype.is_string() and pat.is_string(column.type):
        return column.to_pandas()  # already of the dtype Ibis gives strings
    if dtype.is_int64() and (pat.is_int64(column.type) or pat.is_decimal(column.type)):
        return column.cast(pa.int64()).to_numpy()  # a checked cast: a fraction or overflow raises
    return None


_templates: weakref.WeakKeyDictionary[Warehouse, QueryTemplates] = weakref.WeakKeyDictionary()
_templates_lock = Lock()


def run_query(wh: Warehouse, query: Callable[..., ir.Table], filters: Filters, scope: Scope,
              **arguments) -> pd.DataFrame:
    """Execute ``query(wh, filters=, scope=, **arguments)`` through the template cache, under the key
    :func:`marginscope.metrics.executor.query_key` derives from the query and its arguments."""
    def build(f: Filters, s: Scope) -> ir.Table:
        return query(wh, filters=f, scope=s, **arguments)

    return run(wh, query_key(query, arguments), build, filters, scope)


def run(wh: Warehouse, key: tuple, build: Build, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Execute the query ``build(filters, scope)`` through the warehouse's template cache.

    ``build`` must only build an expression (no queries of its own) and ``key`` must name
    it uniquely, arguments other than the filters and scope included: the metrics call
    :func:`run_query`, which derives the key.
    """
    with _templates_lock:
        templates = _templates.get(wh)
        if templates is None:
            templates = _templates[wh] = QueryTemplates(wh)
    return templates.execute(key, build, filters, scope)
