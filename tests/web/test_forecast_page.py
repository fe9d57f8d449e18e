"""The Forecast page and the full-year outlook on Overview and Budget, rendered on the server from
the hand-worked series of tests/metrics/test_forecast.py: figures shown are the metrics layer's."""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope import formats as fmt
from marginscope.metrics import Filters
from marginscope.server import create_app
from marginscope.web.pages import all_pages, resolve
from tests.components import find
from tests.metrics.test_forecast import CUSTOMERS, PRODUCTS, REPS, SEASON, line, lines

YEAR_2025 = "?start=2025-01-01&end=2025-12-31"
BUDGETS = "period,measure,amount\n" + "".join(f"2026-{m:02d}-01,revenue,140\n" for m in range(1, 13))


@pytest.fixture
def metrics(company):
    # C1 (North) repeats SEASON; C2 (South) is the straight line 100 + 10 t, for January 2024 to December 2025.
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, budgets=BUDGETS,
                   invoice_lines=lines(("C1", "P1", SEASON * 2), ("C2", "P2", [line(t) for t in range(1, 25)])))


@pytest.fixture
def app(metrics):
    return create_app(metrics)




def text(component) -> str:
    return str(component.to_plotly_json())


def test_the_company_forecast_shows_its_backtest_beside_it(app, metrics):
    page = app.render_page("/forecast", YEAR_2025)
    backtest = metrics.forecast.backtest("revenue", as_of=dt.date(2025, 12, 31)).iloc[0]
    # C1 + C2: seasonal naive misses each month by C2's 120 a year; drift misses C1's season.
    assert find(page, "forecast-model").children == backtest.model
    assert find(page, "forecast-mape").children == fmt.percent(backtest.mape)
    assert find(page, "forecast-naive-mape").children == fmt.percent(backtest.seasonal_naive_mape)
    assert find(page, "forecast-relative").children == f"{backtest.relative_mae:.2f}×"
    assert find(page, "forecast-origins").children == "30 Jun 2025 to 30 Nov 2025"
    chart = find(page, {"type": "chart", "name": "forecast-Total", "clicks": ""}).figure
    forecast_trace = next(trace for trace in chart["data"] if trace.get("name") == "Forecast")
    monthly = metrics.forecast.monthly("revenue", as_of=dt.date(2025, 12, 31))
    ahead = monthly[monthly.kind == "forecast"]
    assert list(forecast_trace["y"][1:]) == pytest.approx(list(ahead.value))  # after the last actual month
    assert "could not be drawn" not in text(page)


def test_one_chart_per_region_each_with_its_model_and_error(app):
    page = app.render_page("/forecast/region/revenue", YEAR_2025)
    north = find(page, "panel-forecast-North")
    south = find(page, "panel-forecast-South")
    assert "seasonal naive · backtest MAPE 0.0%" in text(north)
    assert "drift · backtest MAPE 0.0% · error 0.00× seasonal naive's" in text(south)
    assert find(page, "choose-region").className == "ms-choice active"
    assert find(page, "choose-company").href == "/forecast" + YEAR_2025  # the company revenue is the default view
    assert find(page, "choose-gross_profit").href == "/forecast/region/gross_profit" + YEAR_2025


def test_a_short_history_says_why_there_is_no_forecast(app):
    page = app.render_page("/forecast", "?start=2024-01-01&end=2024-10-31")
    assert "No forecast: 10 complete months of history; a forecast needs at least 13" in text(page)


def test_an_unknown_series_is_reported(app):
    assert "There is no forecast of revenue by colour" in text(app.render_page("/forecast/colour/revenue", ""))


def test_the_forecast_views_highlight_the_forecast_menu_entry():
    page, args = resolve("/forecast/rep_id/gross_profit", all_pages())
    assert page.section == "/forecast" and args == {"series": "rep_id", "measure": "gross_profit"}
    assert [p.path for p in all_pages() if p.in_menu].count("/forecast") == 1


@pytest.mark.parametrize("path", ["/", "/budget"])
def test_overview_and_budget_show_the_full_year_outlook(app, metrics, path):
    """As of 31 December 2025 the outlook is of 2025: all actual, nothing left to forecast."""
    page = app.render_page(path, YEAR_2025)
    outlook = metrics.budget.full_year_outlook(2025, Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)),
                                               as_of=dt.date(2025, 12, 31)).set_index("measure")
    # 2025 revenue: C1 sum(SEASON) 1670 + C2 (230 + ... + 340) 3420 = 5090
    assert outlook.loc["revenue", "outlook"] == pytest.approx(5090)
    assert find(page, "kpi-outlook-revenue").children == fmt.money(5090, "EUR")
    assert "no full-year budget" in find(page, "kpi-outlook-revenue-detail").children  # the budget is 2026's


def test_the_outlook_of_the_year_in_progress_against_its_budget(app, metrics):
    page = app.render_page("/", "?start=2026-01-01&end=2026-03-15")
    outlook = metrics.budget.full_year_outlook(2026, Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 15)),
                                               as_of=dt.date(2026, 3, 15)).set_index("measure").loc["revenue"]
    # Nothing sold in 2026: the outlook is the forecast of the rest of March and of April to December,
    # against 12 * 140.
    assert outlook.actual_to_date == 0 and outlook.full_year_budget == 1680
    assert find(page, "kpi-outlook-revenue").children == fmt.money(outlook.outlook, "EUR")
    assert find(page, "kpi-outlook-revenue-detail").children == \
        f"{fmt.percent(outlook.outlook_attainment)} of the {fmt.money(1680, 'EUR')} full-year budget"
    assert outlook.model in find(page, "kpi-outlook-revenue-note-1").children


def test_the_overview_trend_draws_the_budget_as_written_every_month(app):
    """15 March is the as-of date: March is a partial month, yet its line shows March's whole budget."""
    page = app.render_page("/", "?start=2026-01-01&end=2026-03-15")
    chart = find(page, {"type": "chart", "name": "trend-revenue", "clicks": ""}).figure
    budget = next(trace for trace in chart["data"] if trace.get("name") == "2026 budget")
    assert list(budget["x"]) == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert list(budget["y"]) == [140] * 12
    profit = find(page, {"type": "chart", "name": "trend-gross_profit", "clicks": ""}).figure
    assert not any(trace.get("name") == "2026 budget" for trace in profit["data"])  # no gross-profit budget
