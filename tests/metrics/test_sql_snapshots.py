"""Golden SQL of every templated query (as Ibis snapshots its compilers' output): a dependency upgrade,
or a change of a metric, that changes the SQL a page runs shows here as a diff to read.

Each case is a query of the executor, its arguments and a filter shape; its template (the SQL with the
filter values as parameters, see :mod:`marginscope.metrics.templates`) is compared with
``tests/metrics/sql/<case>.sql``. After a deliberate change, rewrite the snapshots with
``UPDATE_SQL_SNAPSHOTS=1 .venv/bin/pytest tests/metrics/test_sql_snapshots.py`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from marginscope.metrics import (
    Filters,
    Scope,
    budget,
    campaigns,
    nps,
    pipeline,
    products,
    receivables,
    sales,
    templates,
)
from marginscope.metrics import forecast as forecasting
from marginscope.metrics.filters import EVERYTHING
from marginscope.warehouse import Warehouse

SNAPSHOTS = Path(__file__).parent / "sql"
QUARTER = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))  # whole months: the month cells only
PART = Filters(start=dt.date(2026, 1, 15), end=dt.date(2026, 3, 10))  # part months: day cells at both ends
NORTH = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
PRODUCT = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), products={"P1"})
REP = Scope({"C1", "C2"})

CASES = {
    "sales_summary_quarter": (sales.summary_expr, {}, QUARTER, EVERYTHING),
    "sales_summary_part_months": (sales.summary_expr, {}, PART, EVERYTHING),
    "sales_summary_region": (sales.summary_expr, {}, NORTH, EVERYTHING),
    "sales_summary_product": (sales.summary_expr, {}, PRODUCT, EVERYTHING),
    "sales_summary_scope": (sales.summary_expr, {}, QUARTER, REP),
    "sales_by_region": (sales.by_expr, {"dimension": "region"}, QUARTER, EVERYTHING),
    "sales_by_customer_labelled": (sales.by_expr, {"dimension": "customer_id", "labelled": True, "limit": 10},
                                   NORTH, EVERYTHING),
    "sales_by_category": (sales.by_expr, {"dimension": "category"}, QUARTER, EVERYTHING),
    "sales_by_rep_scope": (sales.by_expr, {"dimension": "rep_id"}, QUARTER, REP),
    "sales_top_products": (sales.top_expr, {"dimension": "product_id", "n": 10}, QUARTER, EVERYTHING),
    "sales_trend_month": (sales.trend_expr, {"grain": "month"}, QUARTER, EVERYTHING),
    "sales_trend_week_product": (sales.trend_expr, {"grain": "week"}, PRODUCT, EVERYTHING),
    "pipeline_by_rep": (pipeline.summary_expr, {"dimension": "rep_id"}, NORTH, REP),
    "pipeline_by_month": (pipeline.summary_expr, {"grain": "month"}, QUARTER, EVERYTHING),
    "budget_cells": (budget.cells_expr, {"dimension": "region"}, NORTH, EVERYTHING),
    "budget_actuals": (budget.actuals_expr, {}, QUARTER, EVERYTHING),
    "forecast_history_region": (forecasting.history_expr, {"series": "region"}, QUARTER, EVERYTHING),
    "products_demand": (products.demand_trend_expr, {"grain": "month"}, PRODUCT, EVERYTHING),
    "receivables_open": (receivables.open_invoices_expr, {}, QUARTER, REP),
    "receivables_aging_by_customer": (receivables.aging_expr, {"by_customer": True}, QUARTER, EVERYTHING),
    "nps_respondents": (nps.respondents_expr, {}, NORTH, EVERYTHING),
    "campaigns_summary": (campaigns.summary_expr, {}, QUARTER, EVERYTHING),
    "campaigns_customers": (campaigns.customers_expr, {"campaign_id": "CA1"}, QUARTER, REP),
}


@pytest.fixture(scope="module")
def warehouse():
    wh = Warehouse.connect("duckdb://:memory:")  # the contract's tables and the rollups, empty
    assert wh.reads_rollups, "the snapshots are of the queries over the rollups, as a default warehouse runs them"
    yield wh
    wh.close()


def template_sql(wh: Warehouse, query, arguments: dict, filters: Filters, scope: Scope) -> str:
    def build(f: Filters, s: Scope):
        return query(wh, filters=f, scope=s, **arguments)

    entry = templates.QueryTemplates(wh)._template(build, filters, scope, pretty=True)
    assert entry is not templates._NOT_TEMPLATABLE, "the query reads a filter value in Python: no template"
    return entry[0].strip() + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_sql_of_each_templated_query_is_its_snapshot(warehouse, case):
    query, arguments, filters, scope = CASES[case]
    sql = template_sql(warehouse, query, arguments, filters, scope)
    snapshot = SNAPSHOTS / f"{case}.sql"
    if os.environ.get("UPDATE_SQL_SNAPSHOTS") == "1" or not snapshot.exists():
        snapshot.write_bytes(sql.encode())
        if os.environ.get("UPDATE_SQL_SNAPSHOTS") != "1":
            pytest.fail(f"wrote the missing snapshot {snapshot.name}: read it, then commit it")
    # As bytes: the SQL holds string literals with carriage returns, which reading text would translate.
    assert sql == snapshot.read_bytes().decode(), (f"the SQL of {case} changed: rewrite with "
                                                   "UPDATE_SQL_SNAPSHOTS=1 and read the diff")


NOT_TEMPLATED = {
    # The pipeline's total is one row even over no deals: a literal table, named anew at each compilation.
    "pipeline total": (pipeline.summary_expr, {}, QUARTER, EVERYTHING),
}


@pytest.mark.parametrize("case", sorted(NOT_TEMPLATED))
def test_the_queries_compiled_afresh_each_time_are_known(warehouse, case):
    """Correct, only slower (each run compiles): listed here so that one more, or one fewer, is seen."""
    query, arguments, filters, scope = NOT_TEMPLATED[case]
    with pytest.raises(AssertionError, match="no template"):
        template_sql(warehouse, query, arguments, filters, scope)


def test_every_snapshot_belongs_to_a_case():
    assert sorted(path.stem for path in SNAPSHOTS.glob("*.sql")) == sorted(CASES)
