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

import inspect
import weakref
from collections.abc import Callable, Mapping
from threading import Lock, RLock
from typing import Any

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


def execute_arrow(wh: Warehouse, expr: ir.Expr):
    """The result of ``expr`` as an Arrow table, under the connection's lock (for work on the rows in Python
    that needs no DataFrame, such as a load's rollup refresh)."""
    with lock_of(wh):
        return expr.to_pyarrow()


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



UNKEYED = frozenset({"self", "wh", "warehouse", "filters", "scope"})
"""Parameters that are not part of a query's key: the warehouse (one executor per warehouse), and the
filters and scope, which every cache entry carries beside the key."""
_signatures: dict[Callable, inspect.Signature] = {}


def signature_of(function: Callable) -> inspect.Signature:
    """``inspect.signature(function)``, read once per function: every metric call binds its arguments to it."""
    signature = _signatures.get(function)
    if signature is None:
        signature = _signatures[function] = inspect.signature(function)
    return signature


def query_key(query: Callable, arguments: Mapping[str, Any], *, every_default: bool = False) -> tuple:
    """The key of ``query`` asked with ``arguments``: its qualified name and, in its signature's order,
    each parameter's value (given, or its default), never written by hand.

    ``every_default`` asks that every parameter with a default be given: for a key that stands for a
    computation the caller writes itself, so that no argument it passes on can be left out of the key.
    A parameter without a default that is not given is data the computation derives (not part of the key).

    Examples
    --------
    >>> def by(wh, dimension, filters=None, scope=None, labelled=False): ...
    >>> query_key(by, {"dimension": "region"}) == query_key(by, {"dimension": "region", "labelled": False})
    True
    >>> query_key(by, {"dimension": "region"})[1:]
    (('dimension', 'region'), ('labelled', False))
    >>> query_key(by, {"dimension": "tier", "limit": 3})
    Traceback (most recent call last):
    ...
    TypeError: ...by takes no argument limit
    """
    function = getattr(query, "__func__", query)
    signature = signature_of(function)
    name = f"{function.__module__}.{function.__qualname__}"
    parameters = {p: value for p, value in signature.parameters.items() if p not in UNKEYED}
    unknown = sorted(set(arguments) - set(parameters))
    if unknown:
        raise TypeError(f"{name} takes no argument {', '.join(unknown)}")
    values = []
    for parameter, declared in parameters.items():
        if parameter in arguments:
            value = arguments[parameter]
        elif declared.default is inspect.Parameter.empty:
            continue
        elif every_default:
            raise TypeError(f"{name}: give {parameter} to its key (its default may not be what is computed)")
        else:
            value = declared.default
        if callable(value):
            raise TypeError(f"{name}: {parameter} is a function, which no key can tell apart")
        values.append((parameter, _hashable(value)))
    return (name, *values)


def _hashable(value: Any) -> Any:
    """A value as a key holds it: lists as tuples, sets as sorted tuples."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(value, key=repr))
    return value
