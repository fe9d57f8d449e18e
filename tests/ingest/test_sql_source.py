"""Loading the rows of a query on a real PostgreSQL server, with the same checks as a file."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import ibis
import pytest

from marginscope.ingest import IngestError, Mapping, Policy, load_query
from tests.conftest import rows_of


@pytest.fixture
def erp(postgres_url):
    """A schema of its own in the server, holding an ERP's invoice table."""
    schema = f"erp_{uuid.uuid4().hex[:8]}"
    con = ibis.connect(postgres_url)
    con.raw_sql(f"""
        CREATE SCHEMA {schema};
        CREATE TABLE {schema}.invoice_rows (
            doc text, pos integer, doc_type text, doc_date date, client text, item text, seller text,
            qty numeric(12, 3), price numeric(12, 4), net numeric(14, 2), cost numeric(14, 2));
        INSERT INTO {schema}.invoice_rows VALUES
            ('I1', 1, 'INV', '2026-01-10', 'C1', 'P1', 'R1', 10, 9.5, 95.00, 60.00),
            ('I1', 2, 'INV', '2026-01-10', 'C1', 'P2', 'R1', 1, 200, 200.00, 40.00),
            ('I2', 1, 'INV', '2026-02-15', 'C2', 'P1', 'R2', 5, 10, 50.00, 30.00),
            ('I3', 1, 'INV', '2026-02-20', 'C7', 'P1', 'R1', 2, 9, 18.00, 12.00);
    """)
    con.disconnect()
    yield schema


QUERY = """SELECT doc AS invoice_id, pos AS line_no, 'invoice' AS kind, doc_date AS invoice_date,
                  client AS customer_id, item AS product_id, seller AS rep_id, qty AS quantity,
                  price AS unit_price, net AS net_amount, cost AS cogs
           FROM {schema}.invoice_rows ORDER BY doc, pos"""


def test_a_query_loads_like_a_file(masters, postgres_url, erp):
    result = load_query(masters, "invoice_lines", postgres_url, QUERY.format(schema=erp), policy=Policy.QUARANTINE)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 3, 1)
    # The fourth row's customer C7 is not in the customer master: kept aside with the reason.
    quarantined = masters.quarantine(result.load_id)
    assert quarantined.row_number.tolist() == [4] and "not in customers" in quarantined.problems[0]
    assert '"customer_id": "C7"' in quarantined.record[0]
    assert "SELECT doc AS invoice_id" in quarantined.source[0]
    lines = rows_of(masters, "invoice_lines", ["invoice_id", "line_no"])
    assert [(r["invoice_id"], r["line_no"], r["net_amount"]) for r in lines] == [
        ("I1", 1, Decimal("95.00")), ("I1", 2, Decimal("200.00")), ("I2", 1, Decimal("50.00"))]
    assert lines[0]["invoice_date"] == dt.date(2026, 1, 10) and lines[0]["quantity"] == Decimal("10.000")
    log = masters.load_log(1).iloc[0]
    assert log.source.startswith(postgres_url) and log.rows_read == 4


def test_the_same_query_twice_changes_nothing(masters, postgres_url, erp):
    query = QUERY.format(schema=erp)
    load_query(masters, "invoice_lines", postgres_url, query, policy=Policy.QUARANTINE)
    version = masters.data_version
    again = load_query(masters, "invoice_lines", postgres_url, query, policy=Policy.QUARANTINE)
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert masters.data_version == version


def test_a_rejected_query_loads_nothing(masters, postgres_url, erp):
    result = load_query(masters, "invoice_lines", postgres_url, QUERY.format(schema=erp))
    assert not result.ok and result.rows_loaded == 0
    assert rows_of(masters, "invoice_lines") == []


def test_a_mapping_renames_the_querys_columns(masters, postgres_url, erp):
    mapping = Mapping.from_dict({"table": "invoice_lines", "columns": {
        "invoice_id": "doc", "line_no": "pos", "invoice_date": "doc_date", "customer_id": "client",
        "product_id": "item", "rep_id": "seller", "quantity": "qty", "unit_price": "price", "net_amount": "net",
        "cogs": "cost", "kind": {"source": "doc_type", "values": {"INV": "invoice", "CN": "credit_note"}}}})
    query = f"SELECT * FROM {erp}.invoice_rows WHERE client <> 'C7'"
    result = load_query(masters, "invoice_lines", postgres_url, query, mapping)
    assert result.ok and result.rows_loaded == 3


def test_a_failing_query_says_why_without_the_password(masters, postgres_url):
    secret = postgres_url.replace("marginscope@", "marginscope:hunter2@")
    with pytest.raises(IngestError) as raised:
        load_query(masters, "invoice_lines", secret, "SELECT * FROM no_such_table")
    assert "no_such_table" in str(raised.value) and "hunter2" not in str(raised.value)
