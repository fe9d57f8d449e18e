"""The semantic layer: each dimension, measure and comparison declared once, and everything
that names one derived from the declaration (Datasette-style: every X is covered)."""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from marginscope import url_state as state
from marginscope.api.deps import FiltersDep
from marginscope.metrics import Filters, semantic
from marginscope.metrics.semantic import DIMENSIONS, MEASURES
from marginscope.web.components import filter_bar
from tests.metrics.conftest import Q1

SRC = Path(__file__).parents[2] / "src" / "marginscope"


def test_every_filter_field_is_one_dimension():
    fields = [f.name for f in dataclasses.fields(Filters) if f.name not in ("start", "end")]
    assert sorted(fields) == sorted(semantic.FILTER_FIELDS)
    for attribute in ("column", "parameter", "filter_field", "control"):
        values = [getattr(d, attribute) for d in DIMENSIONS]
        assert len(set(values)) == len(values), attribute


def test_the_url_the_api_and_the_filter_bar_name_every_dimension_alike():
    assert list(state.PARAMETERS) == [d.parameter for d in DIMENSIONS]
    assert [parameter for parameter, _ in filter_bar.DROPDOWNS.values()] == [d.parameter for d in DIMENSIONS]
    app = FastAPI()

    @app.get("/probe")
    def probe(filters: FiltersDep) -> dict:
        return {d.parameter: sorted(getattr(filters, d.filter_field)) for d in DIMENSIONS} | {
            "start": str(filters.start)}

    parameters = {p["name"]: p for p in app.openapi()["paths"]["/probe"]["get"]["parameters"]}
    assert set(parameters) == {"start", "end", *(d.parameter for d in DIMENSIONS)}
    for d in DIMENSIONS:
        assert parameters[d.parameter]["description"].startswith(d.description)
    # Every dimension's parameter reaches its Filters field, from the URL and from the API alike.
    search = "?start=2026-01-01&" + "&".join(f"{d.parameter}=x{i}&{d.parameter}=y" for i, d in enumerate(DIMENSIONS))
    from_url = state.parse(search).filters
    answer = TestClient(app).get(f"/probe{search}").json()
    for i, d in enumerate(DIMENSIONS):
        assert sorted(getattr(from_url, d.filter_field)) == answer[d.parameter] == sorted([f"x{i}", "y"])
    assert state.parse(state.to_search(from_url)).filters == from_url


def test_the_comparison_basis_lives_in_the_url():
    assert state.parse("?compare=previous").comparison == "previous"
    assert state.parse("").comparison == semantic.DEFAULT_COMPARISON == "yoy"
    bad = state.parse("?compare=lastweek")
    assert bad.comparison == "yoy" and bad.notices == ["ignored compare=lastweek: use one of yoy, previous, ytd"]
    assert state.to_search(Filters(), "yoy") == ""  # the default stays out of links


def test_derived_measures_follow_their_formula_on_plain_values():
    # A company with revenue 200, COGS 150, cost to serve 80, 4 orders, invoiced 220, returns 20.
    base = {"revenue": 200, "cogs": 150, "cost_to_serve": 80, "orders": 4, "invoiced": 220, "returns": 20}
    derived = semantic.derive(base, ["gross_profit", "contribution_margin", "gross_margin", "contribution_margin_pct",
                                     "average_order_value", "return_rate"], semantic.divide)
    assert derived["gross_profit"] == 50 and derived["contribution_margin"] == -30
    assert derived["gross_margin"] == 0.25 and derived["contribution_margin_pct"] == -0.15
    assert derived["average_order_value"] == 50 and derived["return_rate"] == pytest.approx(20 / 220)
    assert semantic.derive({"revenue": 0, "cogs": 0}, ["gross_margin"], semantic.divide)["gross_margin"] is None


def test_every_measure_has_a_unit_a_format_and_a_description():
    for measure in MEASURES.values():
        assert measure.format in ("money", "money_exact", "count", "percent", "number")
        assert measure.description and measure.label
        if measure.denominator:
            assert measure.numerator in MEASURES and measure.denominator in MEASURES


def test_grid_columns_of_a_measure_use_its_declared_format():
    written = re.compile(r'Column\("([a-z_0-9]+)", "[^"]*", "([a-z_]+)"')
    family = {"money_exact": "money"}
    for page in (SRC / "web" / "pages").glob("*.py"):
        for field, kind in written.findall(page.read_text()):
            measure = semantic.measure_of_column(field)
            if measure is not None:
                assert family.get(kind, kind) == family.get(measure.format, measure.format), (page.name, field)


def test_a_rate_moves_in_points_and_an_amount_in_percent(ms):
    # February 2026: I2 50 (COGS 30), I3 18 (12), CN1 -9.50 (-6): revenue 58.50, GP 22.50.
    # February 2025: I4 100 (COGS 20): GP 80, margin 80%.
    february = Filters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    yoy = ms.sales.compare("yoy", february).set_index("measure")
    assert yoy.loc["gross_margin", "current"] == pytest.approx(22.5 / 58.5)
    assert yoy.loc["gross_margin", "change"] == pytest.approx(22.5 / 58.5 - 0.8)  # -41.5 points
    assert yoy.growth.isna()["gross_margin"]  # no growth % of a rate
    assert yoy.loc["gross_profit", "growth"] == pytest.approx((22.5 - 80) / 80)


def test_a_month_in_progress_is_marked_partial_and_compared_on_the_same_days(ms):
    # The range ends on 5 March: January and February whole, March its first 5 days (CN2, -200).
    to_march_5 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 5))
    trend = ms.sales.trend("month", to_march_5)
    assert trend.partial.tolist() == [False, False, True]
    assert trend.days.tolist() == [31, 28, 5]
    assert float(trend.revenue.iloc[-1]) == -200.0
    # Year on year, 1-5 March 2026 is set against 1-5 March 2025, never against the whole of March 2025.
    compared = ms.sales.compare("yoy", to_march_5)
    assert compared.attrs["prior"] == (dt.date(2025, 1, 1), dt.date(2025, 3, 5))


def test_buying_customers_of_the_range_are_the_active_customers(ms):
    # Q1: C1 303.50 and C2 50 bought; C3 only returned goods (-200).
    buying = ms.customers.status("range", Q1).iloc[0].buying
    assert buying == ms.sales.summary(Q1).iloc[0].active_customers == 2


def test_customer_status_marks_the_period_in_progress(ms):
    # To 5 March: January and February whole; March counted over its data and marked as partial.
    status = ms.customers.status("month", Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 5)))
    assert status.partial.tolist() == [False, False, True]
    assert ms.customers.status("month", Q1).partial.tolist() == [False, False, False]
