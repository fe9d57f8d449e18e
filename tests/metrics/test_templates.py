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
        with templates.eagerly():  # a template at every shape's first sight, as a warmed-up server has
            got = templates.run(ms.warehouse, key, build, chosen, scope)
        pd.testing.assert_frame_equal(got, fresh(build, chosen, scope))


def test_filter_values_are_bound_not_written_into_the_sql(wh):
    north = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
    with templates.eagerly():
        templates.run(wh, ("sales.summary",), summary(wh), north, EVERYTHING)
    (sql, used, _), = list(templates._templates[wh].entries.values())
    assert "North" not in sql and "2026" not in sql
    assert used == {"start", "end", "regions"}
    # One template serves another region and any number of them.
    both = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North", "South"})
    got = templates.run(wh, ("sales.summary",), summary(wh), both, EVERYTHING)
    # By hand from conftest's lines: C1 (North) 95 + 200 + 18 - 9.50, C2 (South) 50, C3 (North) -200.
    assert float(got.revenue[0]) == pytest.approx(303.50 + 50 - 200)
    assert len(templates._templates[wh].entries) == 1


@pytest.mark.parametrize("start, end, revenue", [
    # By hand from conftest's lines: C1 95 + 200 (10 Jan) + 18 - 9.50 (Feb), C2 50 (Feb), C3 -200 (5 Mar).
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31), 153.50),  # whole months
    (dt.date(2026, 1, 11), dt.date(2026, 3, 31), -141.50),  # a part month at the start
    (dt.date(2026, 1, 1), dt.date(2026, 3, 4), 353.50),  # a part month at the end
    (dt.date(2026, 1, 11), dt.date(2026, 3, 4), 58.50),  # at both
])
def test_whole_and_part_months_get_templates_of_their_own(wh, start, end, revenue):
    """A range of whole months skips the day cells of part months: whether each end falls on a month's
    edge is part of a template's shape, so no template of one kind serves a range of the other."""
    with templates.eagerly():
        for first, last in ((dt.date(2025, 1, 1), dt.date(2025, 1, 31)), (dt.date(2025, 1, 2), dt.date(2025, 1, 30)),
                            (dt.date(2025, 1, 1), dt.date(2025, 1, 30)), (dt.date(2025, 1, 2), dt.date(2025, 1, 31))):
            templates.run(wh, ("sales.summary",), summary(wh), Filters(start=first, end=last), EVERYTHING)
    got = templates.run(wh, ("sales.summary",), summary(wh), Filters(start=start, end=end), EVERYTHING)
    assert float(got.revenue[0]) == pytest.approx(revenue)
    assert len(templates._templates[wh].entries) == 4


def test_a_query_that_derives_a_value_in_python_is_compiled_afresh(wh):
    def a_year_earlier(f, s):  # the date reaches the SQL shifted, not as the filter value
        lines = sales_lines(wh, f.with_range(add_months(f.start, -12), add_months(f.end, -12)), s)
        return lines.aggregate(revenue=lines.revenue.sum())

    q1 = Filters(start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    with templates.eagerly():
        got = templates.run(wh, ("year-earlier",), a_year_earlier, q1, EVERYTHING)
    assert list(templates._templates[wh].entries.values()) == [templates._NOT_TEMPLATABLE]
    pd.testing.assert_frame_equal(got, fresh(a_year_earlier, q1))
    assert float(got.revenue[0]) == pytest.approx(153.50)  # Q1 2026 of conftest's company


def test_warehouses_with_the_same_tables_share_templates_and_answer_from_their_own_data(tmp_path, monkeypatch):
    from tests.conftest import open_with
    from tests.metrics.conftest import CUSTOMERS, LINES, PRODUCTS, REPS

    compiled_for = []
    compile_template = templates.QueryTemplates._template
    monkeypatch.setattr(templates.QueryTemplates, "_template",
                        lambda self, *args: compiled_for.append(self.warehouse) or compile_template(self, *args))
    masters = dict(reps=REPS, customers=CUSTOMERS, products=PRODUCTS)
    only_c2 = "\n".join(line for line in LINES.splitlines() if ",C1," not in line and ",C3," not in line)
    opened = []
    for name, lines in (("whole", LINES), ("only-c2", only_c2), ("extra-column", LINES)):
        (tmp_path / name).mkdir()
        opened.append(open_with(tmp_path / name, {**masters, "invoice_lines": lines}))
    whole, c2, extra = (metrics.warehouse for metrics in opened)
    extra.execute_sql("ALTER TABLE customers ADD COLUMN account_manager VARCHAR")
    key = ("sales.summary", tmp_path.name)  # a key no other test compiled in this process
    q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    try:
        with templates.eagerly():
            revenues = [float(templates.run(wh, key, summary(wh), q1, EVERYTHING).revenue[0])
                        for wh in (whole, c2, extra)]
    finally:
        for metrics in opened:
            metrics.close()
    # Q1 2026 by hand: C1 95 + 200 + 18 - 9.50, C2 50, C3 -200; the second company holds C2's lines only.
    assert revenues == [pytest.approx(153.50), pytest.approx(50.00), pytest.approx(153.50)]
    assert compiled_for == [whole, extra]  # the copy reused the first template; another column compiles anew


def test_a_shape_gets_its_template_the_second_time_it_is_asked_for(wh, monkeypatch, tmp_path):
    made = []
    compile_template = templates.QueryTemplates._template
    monkeypatch.setattr(templates.QueryTemplates, "_template",
                        lambda self, *args: made.append(args[1]) or compile_template(self, *args))
    key = ("sales.summary", tmp_path.name)  # a key no other test compiled in this process
    q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
    h1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), regions={"South"})
    first = templates.run(wh, key, summary(wh), q1, EVERYTHING)
    assert made == [] and not templates._templates[wh].entries  # run as built: one compilation
    second = templates.run(wh, key, summary(wh), h1, EVERYTHING)
    third = templates.run(wh, key, summary(wh), q1, EVERYTHING)
    assert made == [h1] and len(templates._templates[wh].entries) == 1  # the same shape, one template
    # By hand from conftest's lines: North in Q1 is C1 95 + 200 + 18 - 9.50 and C3 -200; South is C2 50.
    assert float(first.revenue[0]) == pytest.approx(103.50) and float(third.revenue[0]) == pytest.approx(103.50)
    assert float(second.revenue[0]) == pytest.approx(50.00)
    pd.testing.assert_frame_equal(third, first)


def test_results_convert_to_the_frames_ibis_gives():
    """The conversion from Arrow, fast for plain columns, gives what Ibis's own ``execute`` gives, column by
    column, with and without missing values."""
    import ibis

    con = ibis.duckdb.connect()
    t = con.create_table("numbers", ibis.memtable({"k": [1, 2, 3]}))
    k = t.k
    values = t.select(
        money=ibis.literal(12.5).cast("decimal(18, 2)") * k - 25,  # -12.50, 0.00, 12.50
        money_gap=ibis.ifelse(k == 2, ibis.null("decimal(18, 4)"), k.cast("decimal(18, 4)") / 3),
        counted=(k * 7).cast("int64"), summed=k.cast("decimal(38, 0)"),
        ratio=k / 4, ratio_gap=ibis.ifelse(k == 1, ibis.null("float64"), k / 3),
        name=k.cast("string"), name_gap=ibis.ifelse(k == 3, ibis.null("string"), "x"),
        day=ibis.date(2026, 1, 1) + k.as_interval("D"),
        day_gap=ibis.ifelse(k == 2, ibis.null("date"), ibis.date(2026, 1, 1) + k.as_interval("D")), flag=k > 1)
    summed = values.group_by("name").aggregate(total=values.summed.sum(), money=values.money.sum()).order_by("name")
    for expr in (values, summed):
        table = con.con.execute(str(con.compile(expr))).fetch_arrow_table()
        got, expected = templates._to_pandas(table, expr.schema()), con.execute(expr)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        for column in ("money", "money_gap", "total"):  # decimals equal in value and in their written digits
            if column in got:
                assert [str(v) for v in got[column].dropna()] == [str(v) for v in expected[column].dropna()]
