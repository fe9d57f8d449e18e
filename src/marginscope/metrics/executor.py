"""The one place where metric queries reach the database.

Every query of :mod:`marginscope.metrics` runs through :func:`execute` (or, for the
templated queries of a page, :mod:`marginscope.metrics.templates`, which this module's
lock guards as well): one connection lock per warehouse, taken for each query, so that
two threads never use one connection at once (DuckDB spreads one query over every
core, so nothing is lost by it) and a page drawn beside another shares the connection
fairly. The lock is re-entrant: a metric that runs several queries may hold it around
all of them, and the result cache of :class:`marginscope.metrics.engine.Metrics` holds it
while it computes an entry.

``tests/metrics/test_executor.py`` checks that no module of the metrics layer calls
``.execute()`` on an expression of its own.
"""

from __future__ import annotations

import weakref
from threading import Lock, RLock

import ibis.expr.types as ir

from marginscope.warehouse import Warehouse

_locks: weakref.WeakKeyDictionary[Warehouse, RLock] = weakref.WeakKeyDictionary()
_locks_lock = Lock()


def lock_of(wh: Warehouse) -> RLock:
    """The connection lock of ``wh``: every query on it runs holding it.

    Examples
    --------
    >>> wh = Warehouse.connect("duckdb://:memory:")
    >>> lock_of(wh) is lock_of(wh)
    True
    """
    with _locks_lock:
        found = _locks.get(wh)
        if found is None:
            found = _locks[wh] = RLock()
        return found


def execute(wh: Warehouse, expr: ir.Expr):
    """The result of ``expr`` on ``wh`` (a DataFrame for a table, a scalar for a scalar), under its lock.

    Examples
    --------
    >>> wh = Warehouse.connect("duckdb://:memory:")
    >>> int(execute(wh, wh.table("customers").count()))
    0
    """
    with lock_of(wh):
        return expr.execute()

