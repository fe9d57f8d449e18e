"""Compare a metric's result on one engine with DuckDB's: DataFrames, dataclasses, dicts, scalars.

Equal means, recursively:

- DataFrames: the same columns in the same order, the same kind of values per column (money as
  ``Decimal`` stays ``Decimal``, counts stay integers), the same rows in the same order (sorted
  first when the method promises no order), every value equal by the rules below, and equal
  ``attrs``.
- ``Decimal`` (money, to the cent and beyond), integers, strings, dates and booleans: exactly.
- floats (ratios, float money, model outputs): within 1e-9, relative or absolute; both missing
  counts as equal, one missing is a difference.
- dataclasses, dicts, lists and tuples: field by field, key by key, item by item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd

TOLERANCE = 1e-9


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _kind(value) -> str:
    """The kind of a value as consumers see it (a numpy int and a Python int are the same kind)."""
    if _missing(value):
        return "missing"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__


def differences(expected, actual, where: str = "") -> list[str]:
    """Every difference between ``expected`` (DuckDB's) and ``actual``, each saying where it is."""
    if isinstance(expected, pd.DataFrame) or isinstance(actual, pd.DataFrame):
        return _frame_differences(expected, actual, where)
    if dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        if type(expected) is not type(actual):
            return [f"{where}: {type(actual).__name__} instead of {type(expected).__name__}"]
        found = []
        for item in dataclasses.fields(expected):
            found += differences(getattr(expected, item.name), getattr(actual, item.name), f"{where}.{item.name}")
        return found
    if isinstance(expected, dict) or (hasattr(expected, "keys") and hasattr(expected, "__getitem__")):
        if not hasattr(actual, "keys"):
            return [f"{where}: {actual!r} instead of a mapping"]
        if set(expected.keys()) != set(actual.keys()):
            return [f"{where}: keys {sorted(map(str, actual.keys()))} instead of {sorted(map(str, expected.keys()))}"]
        found = []
        for key in expected:
            found += differences(expected[key], actual[key], f"{where}[{key!r}]")
        return found
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(expected) != len(actual):
            return [f"{where}: {actual!r} instead of {expected!r}"]
        found = []
        for index, (left, right) in enumerate(zip(expected, actual)):
            found += differences(left, right, f"{where}[{index}]")
        return found
    return [] if same_value(expected, actual) else [f"{where}: {actual!r} instead of {expected!r}"]


def same_value(expected, actual) -> bool:
    kind = _kind(expected)
    if kind != _kind(actual):
        return False
    if kind == "missing":
        return True
    if kind == "float":
        return math.isclose(float(expected), float(actual), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if isinstance(expected, np.ndarray):
        return len(expected) == len(actual) and all(same_value(a, b) for a, b in zip(expected, actual))
    return expected == actual


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = frame.astype(str)
    return frame.iloc[np.lexsort([keys[c].to_numpy() for c in reversed(keys.columns)])] if len(frame.columns) else frame


def _frame_differences(expected, actual, where: str, ordered: bool = True) -> list[str]:
    if not (isinstance(expected, pd.DataFrame) and isinstance(actual, pd.DataFrame)):
        return [f"{where}: {type(actual).__name__} instead of {type(expected).__name__}"]
    if list(expected.columns) != list(actual.columns):
        return [f"{where}: columns {list(actual.columns)} instead of {list(expected.columns)}"]
    if len(expected) != len(actual):
        return [f"{where}: {len(actual)} rows instead of {len(expected)}"]
    if not ordered:
        expected, actual = _sorted(expected), _sorted(actual)
    found = []
    for column in expected.columns:
        left, right = expected[column].tolist(), actual[column].tolist()
        for row, (a, b) in enumerate(zip(left, right)):
            if not same_value(a, b):
                found.append(f"{where}[{column!r}] row {row}: {b!r} instead of {a!r}")
                break  # one per column says enough
    found += differences(dict(expected.attrs), dict(actual.attrs), f"{where}.attrs")
    return found


def compare(expected, actual, where: str, ordered: bool = True, ignore: tuple[str, ...] = ()) -> list[str]:
    """:func:`differences`, leaving out ``ignore`` columns and sorting rows when not ``ordered``."""
    if isinstance(expected, pd.DataFrame) and isinstance(actual, pd.DataFrame):
        expected = expected.drop(columns=[c for c in ignore if c in expected.columns])
        actual = actual.drop(columns=[c for c in ignore if c in actual.columns])
        return _frame_differences(expected, actual, where, ordered)
    return differences(expected, actual, where)
