"""Vectorized conversions from the generator's integer arrays to Arrow arrays.

The generator keeps money as integer cents, dates as integer days since 1970-01-01
and references as integer row indices: exact, compact and fast. This module turns
them into the canonical Arrow types of :mod:`marginscope.schema` without a Python
loop over rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from marginscope.schema import TABLES, Kind

NO_DAY = np.iinfo(np.int32).min
"""Marker of a missing date in the generator's day arrays."""

ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.STRING: pa.string(),
    Kind.INTEGER: pa.int64(),
    Kind.DATE: pa.date32(),
    Kind.MONEY: pa.decimal128(18, 2),
    Kind.PRICE: pa.decimal128(18, 4),
    Kind.QUANTITY: pa.decimal128(18, 4),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a canonical table: its columns in order, typed by their kind."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.kind]) for c in TABLES[table].columns])


def canonical_table(table: str, columns: dict[str, pa.Array]) -> pa.Table:
    """Assemble a canonical table; every schema column must be given, no other.

    Arrays are cast to the schema type (e.g. int32 to int64); a cast that would lose
    information raises, which catches generator bugs early.
    """
    schema = arrow_schema(table)
    if set(columns) != set(schema.names):
        raise ValueError(f"{table}: got columns {sorted(columns)}, expected {schema.names}")
    arrays = [pa.array(columns[f.name]) if not isinstance(columns[f.name], (pa.Array, pa.ChunkedArray))
              else columns[f.name] for f in schema]
    arrays = [a.cast(f.type) if a.type != f.type else a for a, f in zip(arrays, schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


def decimal(units: np.ndarray, scale: int, mask: np.ndarray | None = None) -> pa.Array:
    """A decimal128(18, scale) array whose unscaled values are ``units``.

    ``decimal(np.array([12345]), 2)`` is 123.45. Built straight from the 16-byte
    two's-complement buffer Arrow uses, so no float rounding can creep in.
    """
    units = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0] = units
    words[:, 1] = np.where(units < 0, -1, 0)
    validity = None
    null_count = 0
    if mask is not None and mask.any():
        validity = pa.py_buffer(np.packbits(~mask, bitorder="little"))
        null_count = int(mask.sum())
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(units),
                                 [validity, pa.py_buffer(words)], null_count=null_count)


def money(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Integer cents as decimal(18, 2)."""
    return decimal(cents, 2, mask)


def price(cents: np.ndarray) -> pa.Array:
    """Integer cents as the decimal(18, 4) price kind."""
    return decimal(np.asarray(cents, dtype=np.int64) * 100, 4)


def quantity(units: np.ndarray) -> pa.Array:
    """Whole units as the decimal(18, 4) quantity kind."""
    return decimal(np.asarray(units, dtype=np.int64) * 10_000, 4)


def dates(days: np.ndarray) -> pa.Array:
    """Days since 1970-01-01 as date32; :data:`NO_DAY` becomes null."""
    days = np.asarray(days, dtype=np.int32)
    mask = days == NO_DAY
    return pa.array(days, type=pa.int32(), mask=mask if mask.any() else None).cast(pa.date32())


def ids(prefix: str, count: int, width: int, first: int = 1) -> pa.Array:
    """``count`` identifiers ``prefix`` + zero-padded numbers from ``first``, e.g. INV-0000001."""
    numbers = pa.array(np.arange(first, first + count, dtype=np.int64)).cast(pa.string())
    padded = pc.utf8_lpad(numbers, width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), padded, "")


def take(values: pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]``, null where ``index`` is negative (a missing reference)."""
    index = np.asarray(index, dtype=np.int64)
    missing = index < 0
    arrow_index = pa.array(np.where(missing, 0, index), mask=missing if missing.any() else None)
    return values.take(arrow_index)


def labels(names: tuple[str, ...] | list[str], codes: np.ndarray) -> pa.Array:
    """Category codes (indices into ``names``) as strings; negative codes become null."""
    return take(pa.array(list(names), type=pa.string()), codes)


def id_width(count: int, minimum: int) -> int:
    """Digits needed for ids 1..count, never fewer than ``minimum``."""
    return max(minimum, len(str(max(count, 1))))
