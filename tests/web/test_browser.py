"""The dashboard in a real browser (Chromium driven by Playwright) against `marginscope serve`.

Figures on the pages are compared with the metrics layer's, computed in the test
over a copy of the same warehouse and formatted the way pages format them.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from marginscope import formats as fmt
from marginscope import url_state
from marginscope.metrics import forecast
from tests.live_server import Page

pytestmark = pytest.mark.browser

PAGES = ["/", "/budget", "/forecast", "/segments", "/profitability", "/customers", "/team", "/pipeline", "/campaigns",
         "/products", "/alerts", "/data"]


def filters_for(expected, search: str):
    first, last = expected.catalog.data_span()
    return url_state.with_defaults(url_state.parse(search), first, last)


def revenue_text(expected, search: str) -> str:
    return fmt.money(expected.sales.summary(filters_for(expected, search)).revenue.iloc[0], "EUR")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_without_errors(page, path):
    page.open(path)
    assert page.tab.locator(".ms-error").count() == 0, page.text("#page")
    assert page.tab.locator(".ms-panel, .ms-kpi").count() > 0
    assert page.errors == []


@pytest.mark.parametrize("search", ["?customer=NOPE123", "?region=Nowhere&customer=NOPE123"])
def test_a_filter_on_a_value_the_data_lacks_stays_and_shows_nothing(page, search):
    """The dropdown dropped a value that was not among its options, the URL lost it and the page showed every
    customer instead of none (and the PDF export of such a link waited 60 s for a view that never came)."""
    page.open(f"/customers{search}")
    page.tab.wait_for_timeout(1000)  # time for the filter bar to have rewritten the URL, as it did
    assert urlsplit(page.tab.url).query == search.lstrip("?")
    assert "(not in the data)" in page.text("#filter-bar")
    assert page.text("#kpi-buying") == "0"


def test_overview_figures_equal_the_metrics_layer(page, expected):
    page.open("/")
    f = filters_for(expected, "")
    summary = expected.sales.summary(f).iloc[0]
    assert page.text("#kpi-revenue") == fmt.money(summary.revenue, "EUR")
    assert page.text("#kpi-gross_profit") == fmt.money(summary.gross_profit, "EUR")
    assert page.text("#kpi-gross_margin") == fmt.percent(summary.gross_margin)
    assert page.text("#kpi-orders") == fmt.count(summary.orders)
    attainment = expected.budget.to_date(f).set_index("measure").loc["revenue", "attainment"]
    assert page.text("#kpi-revenue-detail").startswith(f"{fmt.percent(attainment)} of budget")
    top = expected.sales.top_customers(10, f)
    first_row = page.row_text("#panel-top-customers", 0)
    assert top.customer_name.iloc[0] in first_row
    assert f"{float(top.revenue.iloc[0]):,.0f}" in first_row


def test_other_pages_show_the_metrics_layers_figures(page, expected):
    f = filters_for(expected, "")
    page.open("/profitability")
    _, loss = expected.profitability.negative_margin(f)
    assert page.text("#kpi-negative_customers") == fmt.count(loss["customers"])
    assert page.text("#kpi-negative_total") == fmt.money(loss["total"], "EUR")
    page.open("/pipeline")
    pipeline = expected.pipeline.summary(f).iloc[0]
    assert page.text("#kpi-won") == fmt.count(pipeline.won)
    assert page.text("#kpi-conversion_rate") == fmt.percent(pipeline.conversion_rate)
    page.open("/budget")
    budget = expected.budget.to_date(f).set_index("measure")
    assert page.text("#kpi-revenue_budget") == fmt.money(budget.loc["revenue", "budget"], "EUR")
    assert page.text("#kpi-revenue_actual") == fmt.money(budget.loc["revenue", "actual"], "EUR")
    page.open("/customers")
    status = expected.customers.status("range", f).iloc[0]  # the cards cover the selected range
    assert page.text("#kpi-churned") == fmt.count(status.churned)
    assert page.text("#kpi-new") == fmt.count(status.new)


def test_the_forecast_page_shows_the_metrics_layers_forecast_and_backtest(page, expected):
    f = filters_for(expected, "")
    as_of = forecast.as_of_for(f)
    page.open("/forecast")
    backtest = expected.forecast.backtest("revenue", "company", f, as_of=as_of).iloc[0]
    assert page.text("#forecast-model") == backtest.model
    assert page.text("#forecast-mape") == fmt.percent(backtest.mape)
    assert page.text("#forecast-naive-mape") == fmt.percent(backtest.seasonal_naive_mape)
    assert page.text("#forecast-relative") == f"{backtest.relative_mae:.2f}×"
    monthly = expected.forecast.monthly("revenue", "company", filters=f, as_of=as_of)
    first = monthly[monthly.kind == "forecast"].iloc[0]
    row = page.row_text("#panel-forecast-months", 0)
    assert first.period.isoformat() in row and f"{first.value:,.0f}" in row and f"{first.lo95:,.0f}" in row
    assert page.text(".ms-nav a.active") == "Forecast"
    page.tab.click("#choose-region")
    page.wait_for_view("/forecast/region/revenue")
    regions = expected.forecast.backtest("revenue", "region", f, as_of=as_of)
    for region in regions.series:
        assert page.tab.locator(f"#panel-forecast-{region}").count() == 1
    north = regions.set_index("series").loc["North"]
    assert f"{north.model} · backtest MAPE {fmt.percent(north.mape)}" in page.text("#panel-forecast-North")
    assert page.text(".ms-nav a.active") == "Forecast"  # the menu entry of every forecast view
    page.open("/")
    outlook = expected.budget.full_year_outlook(as_of.year, f, as_of=as_of).set_index("measure")
    assert page.text("#kpi-outlook-revenue") == fmt.money(outlook.loc["revenue", "outlook"], "EUR")
    assert page.text("#kpi-outlook-gross_profit") == fmt.money(outlook.loc["gross_profit", "outlook"], "EUR")
    assert page.errors == []


def test_the_data_page_shows_the_warehouse_and_its_checks(page, expected):
    page.open("/data")
    tables = expected.quality.tables().set_index("table_name")
    rows = page.row_text("#panel-data-tables", has_text="invoice_lines")
    assert f"{tables.loc['invoice_lines', 'rows']:,}" in rows
    checks = expected.quality.checks()
    assert page.text("#kpi-checks") == fmt.count((checks.status != "ok").sum())
    assert page.text("#kpi-data_version") == fmt.count(expected.warehouse.data_version)


def test_a_filter_change_updates_the_figures_and_the_url(page, expected):
    page.open("/")
    region = expected.catalog.attribute_values("region")[0]
    assert page.text("#f-customer") == "Type to search"  # it lists nothing until one types
    page.tab.click("#f-region")
    option = page.tab.get_by_role("option", name=region, exact=True)
    assert option.inner_text().strip() == region  # as in the data: the label's uppercase rule reached options
    option.click()
    search = f"?region={region}"
    page.wait_for_view(f"/{search}")
    assert urlsplit(page.tab.url).query == search.lstrip("?")
    assert page.text("#kpi-revenue") == revenue_text(expected, search)
    assert page.text("#kpi-revenue") != revenue_text(expected, "")
    assert page.errors == []


def test_typing_a_date_range_filters_by_it(page, expected):
    page.open("/")
    page.tab.fill("#f-dates", "2025-03-01")
    page.tab.press("#f-dates", "Enter")
    page.tab.fill("#f-dates-end-date", "2025-05-31")
    page.tab.press("#f-dates-end-date", "Enter")
    search = "?start=2025-03-01&end=2025-05-31"
    page.wait_for_view(f"/{search}")
    assert page.text("#kpi-revenue") == revenue_text(expected, search)


def test_a_url_with_filters_restores_them(page, expected):
    tiers = expected.catalog.attribute_values("tier")
    search = f"?start=2025-01-01&end=2025-12-31&tier={tiers[0]}"
    page.open(f"/{search}")
    assert tiers[0] in page.text("#f-tier")
    assert page.tab.input_value("#f-dates") == "2025-01-01"
    assert page.tab.input_value("#f-dates-end-date") == "2025-12-31"
    assert page.text("#kpi-revenue") == revenue_text(expected, search)
    page.tab.reload()
    page.wait_for_view(f"/{search}")
    assert page.text("#kpi-revenue") == revenue_text(expected, search)


def test_clicking_a_customer_drills_through_to_its_portrait(page, expected):
    page.open("/")
    top = expected.sales.top_customers(1, filters_for(expected, "")).iloc[0]
    page.tab.locator("#panel-top-customers .ag-row[row-index='0'] .ms-link").click()
    page.wait_for_view(f"/customer/{top.customer_id}")
    assert page.text("#portrait-name") == top.customer_name
    portrait = expected.customers.portrait(top.customer_id, filters_for(expected, ""))
    assert page.text("#kpi-revenue") == fmt.money(portrait.current.revenue.iloc[0], "EUR")
    page.tab.go_back()
    page.wait_for_view("/")
    assert page.errors == []


def test_clicking_a_region_bar_cross_filters(page, expected):
    page.open("/")
    top_region = expected.sales.by("region", filters_for(expected, "")).region.iloc[0]
    # Plotly's drag layer lies over the bars, so click where the user would: the bar's middle.
    first_bar = page.tab.locator("#panel-by-region .bars .point").first
    first_bar.scroll_into_view_if_needed()
    bar = first_bar.bounding_box()
    middle = (bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.tab.mouse.move(*middle)  # plotly reports a click on the point the pointer hovers
    page.tab.mouse.click(*middle)
    page.wait_for_view(f"/?region={top_region}")
    assert top_region in page.text("#f-region")
    assert page.text("#kpi-revenue") == revenue_text(expected, f"?region={top_region}")


def test_a_tooltip_reads_as_the_month_its_amount_and_its_change(page, expected):
    """Tooltips were raw Plotly text, "(May, 1.34767M) 2024", and the chart's toolbar covered its legend
    (issue 26, item 7)."""
    import datetime as dt

    from marginscope.metrics import Filters

    page.open("/")
    year = filters_for(expected, "").end.year - 1

    def may(of: int) -> float:
        return float(expected.sales.summary(Filters(start=dt.date(of, 5, 1), end=dt.date(of, 5, 31))).revenue.iloc[0])

    chart = page.tab.locator("#panel-trend-revenue .js-plotly-plot")
    chart.hover(position={"x": 5, "y": 5})  # the pointer on the chart, off its lines, shows its toolbar
    shown = chart.evaluate("""(chart, year) => {
        const curve = chart.data.findIndex((trace) => trace.name === year);
        Plotly.Fx.hover(chart, [{curveNumber: curve, pointNumber: 4}]);
        return chart.querySelector(".hoverlayer .hovertext").textContent;
    }""", str(year))
    now, before = may(year), may(year - 1)
    assert shown == f"May {year}Revenue €{now:,.0f}{(now - before) / before:+.1%} vs May {year - 1}"
    legend, toolbar = (page.tab.locator(f"#panel-trend-revenue {part}").bounding_box()
                       for part in (".legend", ".modebar"))
    assert legend["x"] + legend["width"] < toolbar["x"] or toolbar["y"] + toolbar["height"] < legend["y"]


LAYOUT_DEFECTS = """() => {
    const defects = [], width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) defects.push(`page scrolls ${document.documentElement.scrollWidth - width} px sideways`);
    const header = document.querySelector(".ms-header"), nav = document.querySelector(".ms-nav");
    if (nav.scrollWidth > nav.clientWidth) defects.push("the menu does not fit");
    for (const item of header.querySelectorAll(".ms-nav a, .ms-account button, .ms-account summary, .ms-user"))
        if (item.getBoundingClientRect().height > 30) defects.push(`header item wraps: ${item.textContent}`);
    for (const cell of document.querySelectorAll(".ag-header-cell-text, .ag-cell-value"))
        if (cell.scrollWidth > cell.clientWidth + 1) defects.push(`cut: ${cell.textContent.slice(0, 40)}`);
    return defects;
}"""


@pytest.mark.parametrize("width", [1366, 1920])
@pytest.mark.parametrize("path", [*PAGES, "/insights", "/customer/C000001"])
def test_every_page_fits_the_screen(browser, server, admin_state, width, path):
    """At 1366 px the menu and "Sign out" wrapped onto two lines, every page scrolled 15 px sideways (Dash's
    hidden focus input) and grid headers and cells were cut ("Custo…", "INV-0000…")."""
    context = browser.new_context(viewport={"width": width, "height": 900}, storage_state=admin_state)
    tab = Page(context.new_page(), server)
    tab.open(path)
    tab.tab.wait_for_timeout(500)  # the grids size their columns after their first draw
    assert tab.tab.evaluate(LAYOUT_DEFECTS) == []
    context.close()


def test_a_table_downloads_as_csv(page, expected):
    page.open("/")
    with page.tab.expect_download() as download:
        page.tab.locator("#panel-top-customers button", has_text="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    top = expected.sales.top_customers(10, filters_for(expected, ""))
    assert [r["Customer"] for r in rows] == top.customer_name.tolist()
    assert [float(r["Revenue"]) for r in rows] == pytest.approx(top.revenue.astype(float).tolist())


def test_the_server_reports_its_health_and_finishes_warming_up(server):
    """``serving`` waited for ``warmed_up`` (tests.live_server.wait_until_warmed_up)."""
    import json
    import urllib.request

    health = json.load(urllib.request.urlopen(server + "/healthz", timeout=5))
    assert health["status"] == "ok" and health["warmed_up"] is True


def test_a_bad_date_in_the_url_is_reported_not_ignored(page):
    page.open("/?start=soon")
    assert re.search(r"ignored start=soon", page.text("#page"))


def test_the_insights_page_states_the_metrics_layers_findings_and_links_to_the_evidence(page, expected):
    search = "?region=" + expected.catalog.attribute_values("region")[0]
    page.tab.goto(f"{page.base}/insights{search}")
    # The first draw of the findings fits the outlook's forecasts: longer than a page's usual wait.
    page.tab.wait_for_selector(f'[data-view="/insights{search}"]', timeout=180_000)
    found = expected.insights.findings(filters_for(expected, search), currency="EUR")
    assert found and page.tab.locator(".ms-finding").count() == len(found)
    for index, finding in enumerate(found):
        card = page.tab.locator(f"#finding-{index}")
        assert finding.text in card.inner_text() and card.get_attribute("data-kind") == finding.kind
    first = found[0]
    page.tab.locator("#finding-0 .ms-finding-link").click()
    page.wait_for_view(first.url(search))
    assert urlsplit(page.tab.url).query == search.lstrip("?")


def test_the_at_risk_table_shows_the_metrics_layers_churn_risk(page, expected):
    f = filters_for(expected, "")
    at_risk = expected.churn.at_risk(f)
    summary, validation = expected.churn.at_risk_summary(f), expected.churn.validation(f)
    assert validation.reason is None and len(at_risk) > 0  # the demo has history enough for a model
    page.open("/customers")
    assert page.text("#kpi-at_risk") == fmt.count(summary["at_risk_customers"])
    assert page.text("#kpi-churn_auc") == fmt.decimal_number(validation.auc, 2)
    page.tab.wait_for_selector("#panel-at-risk .ag-row[row-index='0']")
    shown = page.row_count("#panel-at-risk")
    assert shown == min(len(at_risk), 10)  # a page of the grid
    for index in range(shown):
        row = page.tab.locator(f"#panel-at-risk .ag-row[row-index='{index}']")
        cells = [row.locator(f"[col-id='{column}']").inner_text().strip()
                 for column in ("customer_name", "owner_rep_name", "churn_probability", "recency_days")]
        expected_row = at_risk.iloc[index]
        assert cells == [expected_row.customer_name, expected_row.owner_rep_name,
                         fmt.percent(expected_row.churn_probability), fmt.count(expected_row.recency_days)]
    # A click on a customer opens its portrait, which shows the same probability.
    first = at_risk.iloc[0]
    page.tab.locator("#panel-at-risk .ag-row[row-index='0'] .ms-link").click()
    page.wait_for_view(f"/customer/{first.customer_id}")
    assert page.text("#kpi-churn_probability") == fmt.percent(first.churn_probability)
    assert page.errors == []


def test_the_export_menu_offers_every_format_of_the_view_and_closes(page):
    page.open("/team?tier=Gold")
    assert not page.tab.is_visible("#export-csv")
    page.tab.click(".ms-exports summary")
    for kind in ("pdf", "xlsx", "csv"):
        assert page.tab.get_attribute(f"#export-{kind}", "href") == f"/export/{kind}?page=%2Fteam&tier=Gold"
    assert page.tab.is_visible("#export-csv")
    page.tab.keyboard.press("Escape")
    assert not page.tab.is_visible("#export-csv")
    page.tab.click(".ms-exports summary")
    page.tab.click("h1")  # a click elsewhere closes it, as a menu does
    assert not page.tab.is_visible("#export-csv")
