"""The Campaigns pages and the Segments page's NPS section, rendered on the server over the hand-worked
company of tests/metrics/marketing.py (figures in tests/metrics/test_campaigns.py and test_nps.py)."""

from __future__ import annotations

import pytest

from marginscope import formats as fmt
from marginscope.export.tables import tables, walk
from marginscope.metrics import Scope
from marginscope.server import create_app
from tests.metrics.marketing import Q1
from tests.metrics.marketing import tables as company_tables

Q1_SEARCH = "?start=2026-01-01&end=2026-03-31"


def text_of(component) -> str:
    return str(component.to_plotly_json())


def grid_of(page, name: str):
    return next(t for t in tables(page) if t.name == name)


def column(table, field: str) -> list:
    index = [c.field for c in table.columns].index(field)
    return [row[index] for row in table.rows]


@pytest.fixture
def marketing(company):
    metrics = company(**company_tables())
    return metrics, create_app(metrics)


def test_without_campaigns_the_page_says_what_to_load(company):
    app = create_app(company(**company_tables(campaigns=False, nps_responses=False)))
    for path in ("/campaigns", "/campaigns/K1"):
        shown = text_of(app.render_page(path, Q1_SEARCH))
        assert "marginscope load campaigns FILE" in shown and "campaign_id" in shown
    assert "marginscope load nps_responses FILE" in text_of(app.render_page("/segments", Q1_SEARCH))


def test_the_campaigns_table_shows_the_metrics_layers_figures(marketing):
    metrics, app = marketing
    expected = metrics.campaigns.summary(Q1)
    table = grid_of(app.render_page("/campaigns", Q1_SEARCH), "campaigns")
    assert column(table, "name") == ["New year", "Gold spring", "South push"]
    for field in ("attributed_revenue", "attributed_gross_profit", "won_deals", "incremental_gross_profit",
                  "cost_in_selection"):
        assert column(table, field) == [fmt.number(v) for v in expected[field]], field
    # K1's ROI is 0.52 (worked out in test_campaigns.py); K2 (no cost) and K3 (no cost given) have none.
    assert column(table, "roi") == [None, pytest.approx(0.52), None]
    grid_id = {"type": "grid", "name": "campaigns", "entity": "campaign", "links": "name"}
    grid = next(c for c in walk(app.render_page("/campaigns", Q1_SEARCH)) if getattr(c, "id", None) == grid_id)
    roi = next(c for c in grid.columnDefs if c["field"] == "roi")
    assert roi["cellClassRules"] == {"ms-negative": "params.value < 0"}  # a negative ROI is red
    assert column(table, "target") == ["Champions: all customers", "gold (tier)", "South (region)"]


def test_a_range_without_campaigns_says_so(marketing):
    _, app = marketing
    assert "No campaign ran in this date range" in text_of(app.render_page("/campaigns", "?start=2024-01-01&end="
                                                                                          "2024-12-31"))


def test_a_campaigns_detail(marketing):
    _, app = marketing
    page = app.render_page("/campaigns/K1", Q1_SEARCH)
    shown = text_of(page)
    # K1: attributed 780, won 2 deals, lift 280 (+560% on a baseline of 50), incremental GP 152, ROI 52%.
    for figure in (fmt.money(780, "EUR"), fmt.money(280, "EUR"), "560.0% against the baseline", "52.0%",
                   fmt.money(152, "EUR"), "Gold spring", "19 Feb 2026 – 28 Feb 2026"):
        assert figure in shown, figure
    reached = grid_of(page, "campaign-customers")
    assert column(reached, "customer_name") == ["Globex", "Initech", "Acme"]
    assert column(reached, "in_target") == ["no", "yes", "yes"]
    assert "There is no campaign NOPE" in text_of(app.render_page("/campaigns/NOPE", Q1_SEARCH))


def test_a_rep_sees_their_own_customers_only(marketing):
    _, app = marketing
    ann = Scope(customers={"C1", "C4"})  # R1's customers
    page = app.render_page("/campaigns/K1", Q1_SEARCH, None, ann)
    assert column(grid_of(page, "campaign-customers"), "customer_name") == ["Acme"]
    # Half of K1's cost (one of its two Gold customers) and ROI (20 - 50) / 50.
    assert "-60.0%" in text_of(page) and "of €100 in all" in text_of(page)
    listed = grid_of(app.render_page("/campaigns", Q1_SEARCH, None, ann), "campaigns")
    assert column(listed, "attributed_revenue")[1] == 80.0


def test_the_segments_page_shows_nps_by_rfm_segment(marketing):
    metrics, app = marketing
    table = grid_of(app.render_page("/segments", Q1_SEARCH), "nps-segments")
    # Worked out in test_nps.py: New (C2 9, C3 7) +50, Loyal (C1 6) -100, Low Value (C4 8) 0.
    nps = dict(zip(column(table, "rfm_segment"), column(table, "nps")))
    assert nps == pytest.approx({"New": 50.0, "Loyal": -100.0, "Low Value": 0.0})
    per_customer = dict(zip(column(table, "rfm_segment"), column(table, "revenue_per_customer")))
    assert per_customer["New"] == 475.0
    expected = metrics.nps.by("rfm_segment", Q1)
    assert column(table, "contribution_margin_per_customer") == list(expected.contribution_margin_per_customer)
