"""Queries compiled once per filter shape give exactly what compiling them afresh gives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marginscope.metrics import Filters, Scope, sales, templates
from marginscope.metrics.filters import EVERYTHING, sales_lines
from marginscope.metrics.periods import add_months

REGIONS, CUSTOMERS, PRODUCTS, REPS = ["North", "South", "West"], ["C1", "C2", "C3", "C9"], ["P1", "P2"], ["R1", "R2"]


def fresh(build, filters, scope=EVERYTHING):
    return build(filters, scope).execute()


@pytest.fixture
def wh(ms):
    return ms.warehouse


def summary(wh):
    return lambda f, s: sales.summary_expr(wh, f, s)


def by_customer(wh):
    return lambda f, s: sales.by_expr(wh, "customer_id", f, s)


filters = st.builds(
    lambda start, days, regions, customers, products, reps: Filters(
        start=start, end=start + dt.timedelta(days=days), regions=regions, customers=customers,
        products=products, reps=reps),
    st.dates(dt.date(2025, 10, 1), dt.date(2026, 3, 31)), st.integers(0, 120),
    st.sets(st.sampled_from(REGIONS)), st.sets(st.sampled_from(CUSTOMERS)), st.sets(st.sampled_from(PRODUCTS)),
    st.sets(st.sampled_from(REPS)))


# The warehouse is only read, and the template cache is meant to carry over between examples.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=filters, scoped=st.none() | st.sets(st.sampled_from(CUSTOMERS)))
def test_templates_answer_like_a_fresh_compilation(ms, chosen, scoped):
    scope = Scope(scoped)
    queries = ((("sales.summary",), summary(ms.warehouse)), (("sales.by", "customer_id"), by_customer(ms.warehouse)))
    for key, build in queries:
        got = templates.run(ms.warehouse, key, build, chosen, scope)
        pd.testing.assert_frame_equal(got, fresh(build, chosen, scope))


def test_filter_values_are_bound_not_written_into_the_sql(wh):
    north = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
    templates.run(wh, ("sales.summary",), summary(wh), north, EVERYTHING)
    (sql, used, _), = [entry for entry in templates._templates[wh].entries.values()]
    assert "North" not in sql and "2026" not in sql
    assert used == {"start", "end", "regions"}
    # One template serves another region and any number of them.
    both = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North", "South"})
    got = templates.run(wh, ("sales.summary",), summary(wh), both, EVERYTHING)
    # By hand from conftest's lines: C1 (North) 95 + 200 + 18 - 9.50, C2 (South) 50, C3 (North) -200.
    assert float(got.revenue[0]) == pytest.approx(303.50 + 50 - 200)
    assert len(templates._templates[wh].entries) == 1


def test_a_query_that_derives_a_value_in_python_is_compiled_afresh(wh):
    def a_year_earlier(f, s):  # the date reaches the SQL shifted, not as the filter value
        lines = sales_lines(wh, f.with_range(add_months(f.start, -12), add_months(f.end, -12)), s)
        return lines.aggregate(revenue=lines.revenue.sum())

    q1 = Filters(start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    got = templates.run(wh, ("year-earlier",), a_year_earlier, q1, EVERYTHING)
    assert list(templates._templates[wh].entries.values()) == [templates._NOT_TEMPLATABLE]
    pd.testing.assert_frame_equal(got, fresh(a_year_earlier, q1))
    assert float(got.revenue[0]) == pytest.approx(153.50)  # Q1 2026 of conftest's company
