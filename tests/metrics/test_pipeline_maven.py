"""Pipeline and team metrics on the real Maven CRM export, against plain Python over its CSV rows."""

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

import marginscope
from marginscope.ingest import Bundle, load_bundle
from marginscope.metrics import Filters, pipeline, team
from tests.conftest import MAVEN_CRM

BUNDLE = Path(__file__).resolve().parents[2] / "src" / "marginscope" / "bundles" / "maven_crm.yaml"
ALL = Filters(start=dt.date(2016, 10, 1), end=dt.date(2017, 12, 31))

pytestmark = pytest.mark.skipif(not MAVEN_CRM.is_dir(), reason="the Maven CRM sample is not beside this checkout")


@pytest.fixture(scope="module")
def ms(tmp_path_factory):
    metrics = marginscope.open(f"duckdb://{tmp_path_factory.mktemp('maven') / 'maven.duckdb'}")
    assert all(r.ok for r in load_bundle(metrics.warehouse, Bundle.from_yaml(BUNDLE, MAVEN_CRM)))
    yield metrics
    metrics.close()


@pytest.fixture(scope="module")
def deals():
    with (MAVEN_CRM / "sales_pipeline.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (MAVEN_CRM / "sales_teams.csv").open(newline="") as handle:
        manager = {r["sales_agent"]: r["manager"] for r in csv.DictReader(handle)}
    for row in rows:
        row["manager"] = manager[row["sales_agent"]]
    return rows


def expected(rows, start=None, end=None):
    """The pipeline figures, computed directly from the export's rows."""
    def within(day):
        return day and (start is None or day >= start.isoformat()) and (end is None or day <= end.isoformat())

    closed = [r for r in rows if r["deal_stage"] in ("Won", "Lost") and within(r["close_date"])]
    won = [r for r in closed if r["deal_stage"] == "Won"]
    days = [(dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days for r in closed]
    revenue = sum(float(r["close_value"]) for r in won)
    return {"won": len(won), "lost": len(closed) - len(won), "pipeline_revenue": revenue,
            "conversion_rate": len(won) / len(closed) if closed else None,
            "average_sale": revenue / len(won) if won else None,
            "days_to_close": sum(days) / len(days) if days else None,
            "new_opportunities": sum(1 for r in rows if within(r["engage_date"])),
            "open": sum(1 for r in rows if r["deal_stage"] in ("Prospecting", "Engaging"))}


def assert_matches(row, figures):
    for measure, value in figures.items():
        if value is None:
            assert row[measure] is None or row[measure] != row[measure], measure
        else:
            assert float(row[measure]) == pytest.approx(value), measure


def test_company_totals(ms, deals):
    assert_matches(pipeline.summary_expr(ms.warehouse, ALL).execute().iloc[0], expected(deals))


def test_per_rep_and_per_manager(ms, deals):
    by_rep, by_manager = defaultdict(list), defaultdict(list)
    for row in deals:
        by_rep[row["sales_agent"]].append(row)
        by_manager[row["manager"]].append(row)
    reps = pipeline.summary_expr(ms.warehouse, ALL, dimension="rep_id").execute().set_index("rep_id")
    assert set(reps.index) == set(by_rep)
    for agent, rows in by_rep.items():
        assert_matches(reps.loc[agent], expected(rows))
    managers = pipeline.summary_expr(ms.warehouse, ALL, dimension="manager").execute().set_index("manager")
    for manager, rows in by_manager.items():
        assert_matches(managers.loc[manager], expected(rows))


def test_a_quarter_and_its_change_from_the_previous_one(ms, deals):
    q4 = Filters(start=dt.date(2017, 10, 1), end=dt.date(2017, 12, 31))
    q3 = (dt.date(2017, 7, 1), dt.date(2017, 9, 30))
    now, before = expected(deals, q4.start, q4.end), expected(deals, *q3)
    change = pipeline.compare(ms.warehouse, "previous", q4).set_index("measure")
    assert change.attrs["prior"] == q3
    for measure in ("won", "lost", "pipeline_revenue", "conversion_rate", "new_opportunities"):
        assert change.loc[measure, "current"] == pytest.approx(now[measure])
        assert change.loc[measure, "prior"] == pytest.approx(before[measure])
    assert change.loc["won", "growth"] == pytest.approx((now["won"] - before["won"]) / before["won"])


def test_team_matrix_splits_at_company_averages(ms, deals):
    company = expected(deals)
    table = team.reps(ms.warehouse, ALL).set_index("rep_id")
    assert table.attrs["company_conversion_rate"] == pytest.approx(company["conversion_rate"])
    assert table.attrs["company_average_sale"] == pytest.approx(company["average_sale"])
    by_rep = defaultdict(list)
    for row in deals:
        by_rep[row["sales_agent"]].append(row)
    for agent, rows in by_rep.items():
        mine = expected(rows)
        high = (mine["conversion_rate"] >= company["conversion_rate"], mine["average_sale"] >= company["average_sale"])
        assert table.loc[agent, "quadrant"] == team.QUADRANTS[high][0], agent
    idle = table[table.closed.isna()]  # agents in the roster without deals
    assert idle.quadrant.isna().all() and len(idle) == 35 - len(by_rep)
