from pathlib import Path

import ibis.expr.datatypes as dt
import pytest

from marginscope.docs import DOCUMENTS
from marginscope.schema import TABLES, Kind, load_order, table

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_tables_of_the_design_are_all_there():
    assert list(TABLES) == ["reps", "customers", "products", "invoice_lines", "orders", "payments",
                            "costs_to_serve", "opportunities", "interactions", "budgets", "campaigns",
                            "nps_responses"]
    assert [t.name for t in TABLES.values() if t.required] == ["customers", "products", "invoice_lines"]


def test_invoice_lines_contract():
    lines = TABLES["invoice_lines"]
    assert lines.key == ("invoice_id", "line_no")
    assert lines.column("kind").allowed == ("invoice", "credit_note")
    assert lines.column("net_amount").kind.ibis_type == dt.Decimal(18, 2)
    assert lines.column("quantity").minimum == 0
    assert lines.column("customer_id").references == "customers.customer_id"


@pytest.mark.parametrize("name", list(TABLES))
def test_references_point_at_key_columns_of_earlier_tables(name):
    for column in TABLES[name].columns:
        if column.references:
            ref_table, ref_column = column.references.split(".")
            assert TABLES[ref_table].has_column(ref_column)
            assert list(TABLES).index(ref_table) <= list(TABLES).index(name), "load order must allow the reference"


@pytest.mark.parametrize("name", list(TABLES))
def test_key_columns_exist_and_required_columns_of_key(name):
    t = TABLES[name]
    assert all(t.has_column(k) for k in t.key)
    assert t.ibis_schema.names == tuple(t.column_names)


def test_money_keeps_cents():
    assert Kind.MONEY.ibis_type == dt.Decimal(18, 2) and Kind.MONEY.scale == 2


def test_unknown_table_message_lists_tables():
    with pytest.raises(KeyError, match="the tables are: reps, customers, products"):
        table("invoices")


def test_load_order_puts_masters_first():
    assert load_order(["opportunities", "customers", "reps"]) == ["reps", "customers", "opportunities"]


@pytest.mark.parametrize("filename", list(DOCUMENTS))
def test_docs_are_generated_from_the_code(filename):
    assert (DOCS / filename).read_text() == DOCUMENTS[filename](), "regenerate: python -m marginscope.docs"
