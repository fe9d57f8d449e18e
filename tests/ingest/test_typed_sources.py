"""Typed sources (Parquet, a query's rows) take their dates and numbers as they are, without the text round
trip (issue 27's fast path), and load exactly what the same values written as CSV text load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marginscope.ingest import Policy, load_file
from tests.conftest import problems_of, rows_of

DAYS = [dt.date(2024, 3, 1), dt.date(2024, 3, 2), dt.date(2024, 3, 31)]


def typed_lines(**overrides: pa.Array) -> pa.Table:
    columns = {
        "invoice_id": pa.array(["I1", "I2", "I3"]),
        "line_no": pa.array([1, 1, 2], pa.int32()),
        "kind": pa.array(["invoice", "invoice", "credit_note"]),
        "invoice_date": pa.array(DAYS, pa.date32()),
        "customer_id": pa.array(["C1", "C2", "C1"]),
        "product_id": pa.array(["P1", "P2", "P1"]),
        "quantity": pa.array([2, 3, 1], pa.int64()),
        "unit_price": pa.array([Decimal("10.12345"), Decimal("9.99"), Decimal("10.12345")], pa.decimal128(12, 5)),
        "net_amount": pa.array([Decimal("20.25"), Decimal("29.97"), Decimal("10.12")], pa.decimal128(12, 2)),
        "cogs": pa.array([12.5, 15.0, 6.25], pa.float64()),
    }
    return pa.table(columns | overrides)


def as_csv(table: pa.Table) -> str:
    rows = [",".join(table.column_names)]
    for record in table.to_pylist():
        rows.append(",".join("" if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v))
                             for v in record.values()))
    return "\n".join(rows) + "\n"


def test_parquet_and_csv_of_the_same_values_load_the_same_rows(masters, write, tmp_path, company):
    table = typed_lines()
    pq.write_table(table, tmp_path / "lines.parquet")
    from_parquet = load_file(masters, "invoice_lines", tmp_path / "lines.parquet")
    assert from_parquet.ok, problems_of(from_parquet)
    parquet_rows = rows_of(masters, "invoice_lines", ["invoice_id", "line_no"])
    other = company(customers="customer_id,name\nC1,a\nC2,b\n", products="product_id,name\nP1,x\nP2,y\n")
    from_csv = load_file(other.warehouse, "invoice_lines", write("lines.csv", as_csv(table)))
    assert from_csv.ok, problems_of(from_csv)
    assert parquet_rows == rows_of(other.warehouse, "invoice_lines", ["invoice_id", "line_no"])
    # Worked out by hand: 10.12345 kept to four decimals rounds half away from zero to 10.1235.
    assert [r["unit_price"] for r in parquet_rows] == [Decimal("10.1235"), Decimal("9.9900"), Decimal("10.1235")]
    assert [r["invoice_date"] for r in parquet_rows] == DAYS and parquet_rows[1]["quantity"] == Decimal(3)


def test_a_timestamp_column_gives_its_date(masters, tmp_path):
    stamps = pa.array([dt.datetime(2024, 3, 1, 23, 59), dt.datetime(2024, 3, 2), dt.datetime(2024, 3, 31, 12)],
                      pa.timestamp("us"))
    pq.write_table(typed_lines(invoice_date=stamps), tmp_path / "lines.parquet")
    assert load_file(masters, "invoice_lines", tmp_path / "lines.parquet").ok
    assert [r["invoice_date"] for r in rows_of(masters, "invoice_lines", "invoice_id")] == DAYS


def test_a_typed_value_beyond_its_column_is_reported_at_its_row(masters, tmp_path):
    """The fast path gives way to the text, which names the row: decimal(18,4) holds 14 whole digits."""
    prices = pa.array([Decimal("10.12345"), Decimal("123456789012345.5"), Decimal("10.12345")], pa.decimal128(20, 5))
    pq.write_table(typed_lines(unit_price=prices), tmp_path / "lines.parquet")
    result = load_file(masters, "invoice_lines", tmp_path / "lines.parquet", policy=Policy.QUARANTINE)
    assert problems_of(result) == [(2, "unit_price", "too large: at most 14 digits before the decimal point")]
    assert result.rows_loaded == 2


@pytest.mark.parametrize("dates", [pa.array(["2024-03-01", "2024-03-02", "2024-03-31"]),
                                   pa.array(DAYS, pa.date64())])
def test_dates_as_text_or_as_date64_load_as_those_days(masters, tmp_path, dates):
    pq.write_table(typed_lines(invoice_date=dates), tmp_path / "lines.parquet")
    assert load_file(masters, "invoice_lines", tmp_path / "lines.parquet").ok
    assert [r["invoice_date"] for r in rows_of(masters, "invoice_lines", "invoice_id")] == DAYS
