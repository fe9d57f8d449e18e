"""Metric endpoints: figures worked out by hand, scope, pagination and bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope.metrics import EVERYTHING, Filters
from tests.api.conftest import Q1
from tests.api.sweep import ECHOED_FILTER, outside_scope, requests_of

# What Ann, who owns only C1, must never see: the other customers' ids and names.
OTHER_CUSTOMERS = outside_scope("ann")


def test_revenue_of_a_reps_own_customer(served):
    # Ann (R1) owns C1 only. C1's lines in Q1: I1 95.00 + 200.00, I3 18.00, credit note CN1 -9.50.
    # I5 (C2, 400.00) is credited to R1 but C2 is Bob's customer: not Ann's to see.
    ann = served.as_user("ann").get("/api/v1/sales/summary", params=Q1).json()
    assert ann["revenue"] == 303.50 and ann["returns"] == 9.50 and ann["active_customers"] == 1
    # By the rep on the line, an admin sees R1's sales to C2 as well: 303.50 + 400.00.
    admin = served.as_user("boss").get("/api/v1/sales/summary", params={**Q1, "rep": "R1"}).json()
    assert admin["revenue"] == 703.50
    # Open receivables of C1 on 31 March: I1 295.00 - 100.00 paid, I3 18.00 unpaid.
    receivables = served.as_user("ann").get("/api/v1/receivables/summary", params=Q1).json()
    assert receivables["open_amount"] == 213.00 and receivables["as_of"] == "2026-03-31"
    # Ann's deals: D1 won on C1 (300.00); D3, won by Ann on Bob's C2, is not hers to see.
    pipeline = served.as_user("ann").get("/api/v1/pipeline/summary", params=Q1).json()["items"]
    assert (pipeline[0]["won"], pipeline[0]["pipeline_revenue"]) == (1, 300.00)


def test_figures_are_the_metrics_layers_own(served):
    answer = served.as_user("boss").get("/api/v1/sales/trend", params={**Q1, "grain": "month"}).json()
    expected = served.metrics.sales.trend("month", Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), EVERYTHING)
    assert [row["period"] for row in answer["items"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert [row["revenue"] for row in answer["items"]] == [float(v) for v in expected.revenue]
    growth = served.as_user("boss").get("/api/v1/sales/compare", params={**Q1, "basis": "yoy"}).json()
    by_measure = {row["measure"]: row for row in growth["items"]}
    assert by_measure["discount"]["growth"] is None  # prior discount 0: growth is n/a, never 0 or infinite
    assert growth["attrs"] == {"current": ["2026-01-01", "2026-03-31"], "prior": ["2025-01-01", "2025-03-31"],
                               "basis": "yoy"}


def test_the_portrait_of_a_customer_out_of_scope_is_not_found_like_an_unknown_one(served):
    ann = served.as_user("ann")
    own = ann.get("/api/v1/customers/C1/portrait", params=Q1)
    assert own.status_code == 200 and own.json()["customer"]["name"] == "Acme"
    assert own.json()["current"][0]["revenue"] == 303.50
    others, unknown = ann.get("/api/v1/customers/C2/portrait", params=Q1), ann.get("/api/v1/customers/ZZ/portrait",
                                                                                     params=Q1)
    assert others.status_code == unknown.status_code == 404
    assert others.json() == unknown.json()
    assert served.as_user("boss").get("/api/v1/customers/C2/portrait", params=Q1).status_code == 200


def test_a_rep_never_sees_another_reps_customer_through_any_endpoint_or_parameter(served):
    openapi = served.as_user("boss").get("/openapi.json").json()
    ann = served.as_user("ann")
    answered = seen_own = 0
    for url, params in requests_of(openapi):
        answer = ann.get(url, params=params)
        assert answer.status_code in (200, 403, 404, 422), (url, params, answer.text)
        shown = ECHOED_FILTER.sub("", answer.text)
        assert not OTHER_CUSTOMERS.search(shown), (url, params, answer.text)
        answered += answer.status_code == 200
        seen_own += '"C1"' in answer.text
    # The sweep reached the data: most calls answered, and Ann's own customer shows up.
    assert answered > 150 and seen_own > 20


def test_a_ranking_is_the_first_rows_by_revenue_with_the_sales_measures_only(served):
    admin = served.as_user("boss")
    top = admin.get("/api/v1/sales/top/customer_id", params={**Q1, "n": 2}).json()["items"]
    by = admin.get("/api/v1/sales/by/customer_id", params={**Q1, "labelled": True, "limit": 2}).json()["items"]
    assert [row["customer_id"] for row in top] == ["C2", "C1"]
    shown = ("customer_id", "customer_name", "region", "revenue", "cogs", "gross_profit", "gross_margin")
    assert [{k: row[k] for k in shown} for row in top] == [{k: row[k] for k in shown} for row in by]
    assert "cost_to_serve" not in top[0] and "orders" not in top[0]
    assert [row["customer_id"] for row in served.as_user("ann").get("/api/v1/sales/top/customer_id",
                                                                     params=Q1).json()["items"]] == ["C1"]


def test_lists_are_paged_with_their_total(served):
    admin = served.as_user("boss")
    whole = admin.get("/api/v1/sales/by/customer_id", params=Q1).json()
    assert whole["total"] == 4 and whole["limit"] == 100 and whole["offset"] == 0
    assert [row["customer_id"] for row in whole["items"]] == ["C2", "C1", "C4", "C3"]  # by revenue
    page = admin.get("/api/v1/sales/by/customer_id", params={**Q1, "limit": 2, "offset": 1}).json()
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert page["items"] == whole["items"][1:3]
    assert admin.get("/api/v1/sales/by/customer_id", params={**Q1, "offset": 4}).json()["items"] == []
    values = admin.get("/api/v1/catalog/attributes/region", params={"limit": 1, "offset": 2}).json()
    assert values["total"] == 3 and values["items"] == ["West"]
    for wrong in ({"limit": 0}, {"limit": 10_001}, {"offset": -1}):
        assert admin.get("/api/v1/sales/by/customer_id", params=wrong).status_code == 422


@pytest.mark.parametrize(("url", "params", "says"), [
    ("/api/v1/sales/summary", {"start": "2026-03-01", "end": "2026-01-01"}, "after end"),
    ("/api/v1/sales/summary", {"start": "2026-02-30"}, "start"),
    ("/api/v1/sales/summary", {"end": "yesterday"}, "end"),
    # 9999-12-31 made the summary raise OverflowError (500); a comparison reaches years beyond a selection.
    ("/api/v1/sales/summary", {"start": "9999-01-01", "end": "9999-12-31"}, "start (9999-01-01) is outside 1900"),
    ("/api/v1/insights", {"start": "0001-01-01", "end": "0001-12-31"}, "is outside 1900-01-01 to 2199-12-31"),
    ("/api/v1/sales/by/colour", Q1, "customer_id"),
    ("/api/v1/sales/trend", {"grain": "fortnight"}, "month"),
    ("/api/v1/sales/compare", {**Q1, "basis": "lastyear"}, "yoy"),
    ("/api/v1/sales/compare", {"basis": "yoy"}, "date range"),
    ("/api/v1/budget/by/industry", Q1, "region"),
    ("/api/v1/customers/retention/colour", Q1, "tier"),
    ("/api/v1/pipeline/movers/rep_id", {**Q1, "measure": "smiles"}, "pipeline_revenue"),
    ("/api/v1/profitability/concentration", {"profit_share": 1.5}, "profit_share"),
    # A share above 1 once reached the concentration finding and failed there (500): the fuzz found it.
    ("/api/v1/insights", {**Q1, "profit_share": 1.5}, "profit_share"),
    ("/api/v1/quality/check-rows", {"check": "no such check"}, "the checks are"),
])
def test_bad_parameters_are_refused_with_a_clear_message(served, url, params, says):
    answer = served.as_user("boss").get(url, params=params)
    assert answer.status_code == 422
    assert says in answer.text


def test_insights_state_the_metrics_findings_within_the_callers_scope(served):
    # Q1 contribution margins: C1 303.50 - 106.00 - 30 = 167.50; C2 450 - 110 - 100 = 240; C3 only the
    # credit note CN2, -200 + 40 - 10 = -170, its main driver the 200 returned; C4 30 - 18 = 12.
    # One loser of four customers: 25%, at least 10%, so critical.
    answer = served.as_user("boss").get("/api/v1/insights", params=Q1).json()
    losers = [f for f in answer["items"] if f["kind"] == "negative_margin"]
    assert len(losers) == 1 and losers[0]["severity"] == "critical"
    assert losers[0]["numbers"]["contribution_margin"] == -170 and losers[0]["numbers"]["by_returns"] == 1
    assert [(e["id"], e["path"]) for e in losers[0]["entities"]] == [("C3", "/customer/C3")]
    assert losers[0]["link"] == "/profitability?start=2026-01-01&end=2026-03-31"
    expected = served.metrics.insights.findings(Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), EVERYTHING)
    assert [f["kind"] for f in answer["items"]] == [f.kind for f in expected]
    # A higher bar for "critical" makes the same finding a warning.
    relaxed = served.as_user("boss").get("/api/v1/insights", params={**Q1, "negative_share_critical": 0.3}).json()
    assert [f["severity"] for f in relaxed["items"] if f["kind"] == "negative_margin"] == ["warning"]
    assert relaxed["attrs"]["thresholds"]["negative_share_critical"] == 0.3
    # Ann owns C1 only: no loser of hers, and no other customer named anywhere.
    ann = served.as_user("ann").get("/api/v1/insights", params=Q1).json()["items"]
    assert "negative_margin" not in [f["kind"] for f in ann]
    assert {e["id"] for f in ann for e in f["entities"] if e["kind"] == "customer"} <= {"C1"}
    refused = served.as_user("boss").get("/api/v1/insights", params={**Q1, "mover_share": -1})
    assert refused.status_code == 422


def test_money_computed_in_floats_is_answered_to_the_cent(served):
    # North's budget is 250 a month; to 10 March, March counts 250 * 10 / 31 = 80.645...: 580.65 in all.
    answer = served.as_user("boss").get("/api/v1/budget/to-date", params={
        "start": "2026-01-01", "end": "2026-03-10", "as_of": "2026-03-10"}).json()
    revenue = next(row for row in answer["items"] if row["measure"] == "revenue")
    assert revenue["budget"] == 580.65


def test_a_declared_measure_is_in_the_api_with_its_rounding(served):
    # Q1 2026 of the API company: gross sales 370 + I5 400 + I6 30 = 800, discounts 7: a rate, not rounded to cents.
    summary = served.as_user("boss").get("/api/v1/sales/summary", params=Q1).json()
    assert summary["discount_rate"] == pytest.approx(7 / 800, abs=1e-12)


def test_an_api_path_that_names_no_route_answers_404_not_a_page(served):
    """GET /api/v1/nope answered 200 with the dashboard's page (its catch-all route)."""
    answer = served.as_user("boss").get("/api/v1/nope")
    assert answer.status_code == 404 and answer.json()["detail"].startswith("no API route /api/v1/nope")
    assert served.as_user("boss").get("/api/v1/me").status_code == 200
