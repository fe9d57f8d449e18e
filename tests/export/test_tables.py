"""The tables of a rendered page, and one of them as CSV: exactly the grids' rows, headers as on screen."""

from __future__ import annotations

import csv
import io

import dash_ag_grid as dag
import pytest

from marginscope.export.csv import to_csv
from marginscope.export.tables import TableChoiceError, choose, page_title, tables
from tests.export.conftest import Q1


def grids_of(page) -> list[dag.AgGrid]:
    """The page's grids found by Dash's own traversal, independently of the module under test."""
    return [c for c in page._traverse() if isinstance(c, dag.AgGrid)]


def test_the_overviews_tables_in_page_order_with_their_titles_and_kinds(app):
    page = app.render_page("/", f"?{Q1}")
    found = tables(page)
    assert page_title(page) == "Overview"
    assert [(t.name, t.title) for t in found] == [("top-customers", "Top customers"), ("top-products", "Top products")]
    customers = found[0]
    assert [(c.field, c.header, c.kind) for c in customers.columns] == [
        ("customer_name", "Customer", "text"), ("region", "Region", "text"), ("revenue", "Revenue", "money"),
        ("gross_profit", "Gross profit", "money"), ("gross_margin", "GM %", "percent")]
    # by hand, Q1 2026: Acme 95 + 200 + 18 - 9.5 = 303.5 revenue, 35 + 160 + 6 - 3.5 = 197.5 gross profit
    assert customers.rows[0][:4] == ["Acme", "North", 303.5, 197.5]
    assert customers.rows[0][4] == pytest.approx(197.5 / 303.5)


def test_tables_hold_the_grids_raw_rows(app):
    page = app.render_page("/customers", f"?{Q1}")
    grids = grids_of(page)
    found = tables(page)
    assert [t.name for t in found] == [g.id["name"] for g in grids]
    for table, grid in zip(found, grids):
        fields = [c["field"] for c in grid.columnDefs]
        assert table.rows == [[row.get(f) for f in fields] for row in grid.rowData]
    kinds = {c.header: c.kind for t in found if t.name == "status-periods" for c in t.columns}
    assert kinds["Month"] == "date" and kinds["Buying"] == "count"


def test_the_csv_equals_the_grid_rows(app):
    page = app.render_page("/", f"?{Q1}")
    grid = grids_of(page)[1]
    text = to_csv(choose(tables(page), "top-products")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [c["headerName"] for c in grid.columnDefs]
    fields = [c["field"] for c in grid.columnDefs]
    expected = [["" if row[f] is None else str(row[f]) for f in fields] for row in grid.rowData]
    assert rows[1:] == expected
    assert float(rows[1][2]) == grid.rowData[0]["revenue"] == 153.5  # raw numbers, not the screen's "154"


def test_choosing_a_table(app):
    found = tables(app.render_page("/", f"?{Q1}"))
    assert choose(found, "top-products").title == "Top products"
    with pytest.raises(TableChoiceError, match="top-customers, top-products"):
        choose(found, None)
    with pytest.raises(TableChoiceError, match="no table 'nope'"):
        choose(found, "nope")
    with pytest.raises(TableChoiceError, match="no tables"):
        choose([], None)
