"""One definition of every number: for several selections and users, a measure reads the same on every
page's figures, in the API, in the Excel export and in the insights (issue 22's consistency test).

The company is the API tests' (tests/api/conftest.py): four customers, Ann (rep R1) owns C1, Mia's team
(R1, R2) owns C1 to C3. Each figure is read where a user reads it: the page as the server renders it
(the KPI card's exact value is its hover text), the JSON of the API, the cells of the workbook.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from marginscope.auth import scope_for
from tests.components import find

SELECTIONS = {
    "first quarter": {"start": "2026-01-01", "end": "2026-03-31"},
    "first quarter, North": {"start": "2026-01-01", "end": "2026-03-31", "region": "North"},
    "to 10 March (a month in progress)": {"start": "2026-01-01", "end": "2026-03-10"},
    "February, Gold": {"start": "2026-02-01", "end": "2026-02-28", "tier": "Gold"},
}
USERS = ("boss", "ann", "mia")




def search_of(params: dict) -> str:
    return "?" + "&".join(f"{name}={value}" for name, value in params.items())


def amount(text: str) -> float:
    """An exact money figure as a card's hover text writes it: '1,234.50 EUR'."""
    return float(text.split()[0].replace(",", ""))


def count(text: str) -> int:
    return int(text.split()[0].replace(",", ""))


@pytest.mark.parametrize("selection", list(SELECTIONS))
@pytest.mark.parametrize("username", USERS)
def test_a_measure_reads_the_same_everywhere(served, selection, username):
    params = SELECTIONS[selection]
    client = served.as_user(username)
    user = served.auth.users.get(username)
    scope = scope_for(user, served.metrics)
    render = served.client.app.state.render_page
    search = search_of(params)

    summary = client.get("/api/v1/sales/summary", params=params).json()
    overview = render("/", search, user, scope)
    assert amount(find(overview, "kpi-revenue").title) == pytest.approx(summary["revenue"], abs=0.005)
    assert amount(find(overview, "kpi-gross_profit").title) == pytest.approx(summary["gross_profit"], abs=0.005)
    active = summary["active_customers"]
    assert count(find(overview, "kpi-active_customers").children) == active
    # The same count on Customers (buying customers of the range) and on Profitability (its active ones).
    assert count(find(render("/customers", search, user, scope), "kpi-buying").children) == active
    profitability = render("/profitability", search, user, scope)
    assert count(find(profitability, "kpi-customers-detail").children) == active

    # Per customer: the API's figures are the Excel export's cells (the Overview's top customers, here all of them).
    by_customer = client.get("/api/v1/sales/by/customer_id", params={**params, "labelled": "true"}).json()["items"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/export/xlsx{search}&page=/").content))
    rows = [list(row) for row in book["Top customers"].iter_rows(values_only=True)]
    exported = {row[0]: row[2] for row in rows[1:]}
    assert exported == pytest.approx({row["customer_name"]: row["revenue"] for row in by_customer}, abs=0.005)
    assert sum(exported.values()) == pytest.approx(summary["revenue"], abs=0.005)

    # The insights state the same figures: a mover's revenue is its row of the API, now and in the prior period.
    findings = client.get("/api/v1/insights", params={**params, "mover_share": 0}).json()["items"]
    movers = [f for f in findings if f["kind"] == "mover_customer"]
    for mover in movers:
        numbers = mover["numbers"]
        now = {row["customer_id"]: row["revenue"] for row in by_customer}
        assert numbers["revenue"] == pytest.approx(now.get(numbers["id"], 0), abs=0.005)
        prior = client.get("/api/v1/sales/by/customer_id", params={
            **params, "start": numbers["prior_start"], "end": numbers["prior_end"]}).json()["items"]
        before = {row["customer_id"]: row["revenue"] for row in prior}
        assert numbers["prior_revenue"] == pytest.approx(before.get(numbers["id"], 0), abs=0.005)
    budget = [f for f in findings if f["kind"] == "budget"]
    if budget:
        to_date = client.get("/api/v1/budget/to-date", params={**params, "as_of": budget[0]["numbers"]["as_of"]})
        revenue = next(row for row in to_date.json()["items"] if row["measure"] == "revenue")
        assert budget[0]["numbers"]["actual_to_date"] == pytest.approx(revenue["actual"], abs=0.005)
        assert budget[0]["numbers"]["budget_to_date"] == pytest.approx(revenue["budget"], abs=0.005)


def test_the_selections_are_not_all_alike(served):
    """The test above would prove little if every selection gave the same figures."""
    revenues = {name: served.as_user("boss").get("/api/v1/sales/summary", params=params).json()["revenue"]
                for name, params in SELECTIONS.items()}
    assert len(set(revenues.values())) == len(SELECTIONS)
