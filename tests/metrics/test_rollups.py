"""The rollups: their contents worked out by hand, and every figure read from them equal, to
the last decimal, to the same figure read from the invoice lines.

The company is the one of ``conftest.py`` plus orders that do not fit in one cell
(so that orders cannot simply be summed) and a line without a rep:

- O5 is shipped in two parts: I5 on 2026-01-30 (C2, P1, R2: 3 x 10.00, cogs 18) and I6 on
  2026-02-02 (C2, P2, R2: 1 x 100.00, cogs 20): two days, two months.
- O6 is one invoice I7 on 2026-03-10 for C1 with two reps: P1 by R1 (4 x 10.00, cogs 24)
  and P2 by R2 (1 x 200.00 less 10.00 discount, cogs 40).
- O8 is I8 on 2026-03-15 for C2, P1 (1 x 10.00, cogs 6) with no rep.

C3 is a retail customer here and C2 a distributor, so that C1 and C3 share a segment
(North, retail, Gold, no type) and C2 has one of its own (South, medical, Bronze, distributor).
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marginscope.ingest import load_file
from marginscope.metrics import EVERYTHING, Filters, Metrics, Scope, rollups, sales
from marginscope.metrics.filters import ROLLUPS
from marginscope.metrics.periods import month_end, month_start
from marginscope.warehouse import Warehouse
from tests.conftest import open_with, rows_of
from tests.metrics.conftest import COSTS, LINES, PRODUCTS, Q1, REPS

CUSTOMERS = """customer_id,name,industry,region,tier,customer_type
C1,Acme,retail,North,Gold,
C2,Globex,medical,South,Bronze,distributor
C3,Initech,retail,North,Gold,
"""

SPLIT_LINES = LINES + """I5,1,invoice,2026-01-30,O5,C2,P1,R2,3,10.00,0,30.00,18.00
I6,1,invoice,2026-02-02,O5,C2,P2,R2,1,100.00,0,100.00,20.00
I7,1,invoice,2026-03-10,O6,C1,P1,R1,4,10.00,0,40.00,24.00
I7,2,invoice,2026-03-10,O6,C1,P2,R2,1,200.00,10.00,190.00,40.00
I8,1,invoice,2026-03-15,O8,C2,P1,,1,10.00,0,10.00,6.00
"""
BUDGETS = """period,measure,amount,region
2026-01-01,revenue,300.00,North
2026-02-01,revenue,100.00,South
2026-03-01,gross_profit,50.00,North
"""
TABLES = dict(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=SPLIT_LINES, costs_to_serve=COSTS,
              budgets=BUDGETS)
MEASURES = ["gross_sales", "discount", "invoiced", "returns", "revenue", "cogs_signed", "orders"]


def cells(warehouse, table):
    columns = warehouse.table(table).columns
    keys = [c for c in ("invoice_date", "customer_id", "product_id", "rep_id", "region", "industry", "tier",
                        "customer_type") if c in columns]
    measures = [*MEASURES, *(["active_customers"] if "active_customers" in columns else [])]
    return {tuple(row[k] for k in keys): tuple(row[m] for m in measures) for row in rows_of(warehouse, table)}


def money(*values):
    return tuple(D(v).quantize(D("0.0001")) for v in values)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The company read through the rollups, and the same warehouse read from the lines only."""
    with_rollups = open_with(tmp_path_factory.mktemp("rollups"), TABLES)
    wh = with_rollups.warehouse
    from_lines = Metrics(Warehouse(wh.con, wh.url, reads_rollups=False))
    assert wh.reads_rollups
    yield with_rollups, from_lines
    with_rollups.close()


def test_rollup_contents_worked_by_hand(both):
    wh = both[0].warehouse
    # (gross sales, discount, invoiced, returns, revenue, cogs, orders); orders count the simple orders only.
    customer_month = cells(wh, ROLLUPS.customer_month)
    assert customer_month[(dt.date(2026, 1, 1), "C1", "R1")] == (*money(300, 5, 295, 0, 295, 100), 1)  # I1: O1
    assert customer_month[(dt.date(2026, 1, 1), "C2", "R2")] == (*money(30, 0, 30, 0, 30, 18), 0)  # I5: O5 split
    # I3 (20 - 2 = 18, cogs 12; its own order) and CN1 (returns 9.50, cogs 6 back): 18 - 9.50 and 12 - 6
    assert customer_month[(dt.date(2026, 2, 1), "C1", "R1")] == (*money(20, 2, 18, "9.5", "8.5", 6), 1)
    # I2 50 (cogs 30, O2) + I6 100 (cogs 20, O5 split)
    assert customer_month[(dt.date(2026, 2, 1), "C2", "R2")] == (*money(150, 0, 150, 0, 150, 50), 1)
    assert customer_month[(dt.date(2026, 3, 1), "C1", "R1")] == (*money(40, 0, 40, 0, 40, 24), 0)  # O6 split
    assert customer_month[(dt.date(2026, 3, 1), "C1", "R2")] == (*money(200, 10, 190, 0, 190, 40), 0)
    assert customer_month[(dt.date(2026, 3, 1), "C2", None)] == (*money(10, 0, 10, 0, 10, 6), 1)  # O8, no rep
    assert customer_month[(dt.date(2026, 3, 1), "C3", "R2")] == (*money(0, 0, 0, 200, -200, -40), 0)  # CN2
    assert customer_month[(dt.date(2025, 2, 1), "C2", "R2")] == (*money(100, 0, 100, 0, 100, 20), 1)  # I4: O9
    assert len(customer_month) == 9
    # Per product, O1 (I1: P1 95 net of 5 discount, cogs 60; P2 200, cogs 40) counts once for each product.
    sales_day = cells(wh, ROLLUPS.sales_day)
    assert sales_day[(dt.date(2026, 1, 10), "C1", "P1", "R1")] == (*money(100, 5, 95, 0, 95, 60), 1)
    assert sales_day[(dt.date(2026, 1, 10), "C1", "P2", "R1")] == (*money(200, 0, 200, 0, 200, 40), 1)
    assert len(sales_day) == 12  # the 12 lines, no two in one cell
    customer_day = cells(wh, ROLLUPS.customer_day)
    assert customer_day[(dt.date(2026, 1, 10), "C1", "R1")] == (*money(300, 5, 295, 0, 295, 100), 1)
    assert len(customer_day) == 11  # the 12 lines, I1's two in one cell (I7's two have two reps)
    sales_month = cells(wh, ROLLUPS.sales_month)
    # February, C1, P1, R1: I3 and CN1 again (one product)
    assert sales_month[(dt.date(2026, 2, 1), "C1", "P1", "R1")] == (*money(20, 2, 18, "9.5", "8.5", 6), 1)
    assert len(sales_month) == 11  # the 12 day cells, I3's and CN1's in one
    split = {tuple(r.values()) for r in rows_of(wh, ROLLUPS.split_orders)}
    assert split == {("O5", dt.date(2026, 1, 30), "C2", "P1", "R2"), ("O5", dt.date(2026, 2, 2), "C2", "P2", "R2"),
                     ("O6", dt.date(2026, 3, 10), "C1", "P1", "R1"), ("O6", dt.date(2026, 3, 10), "C1", "P2", "R2")}


NORTH_RETAIL = ("North", "retail", "Gold", None)  # C1 and C3
SOUTH_DISTRIBUTOR = ("South", "medical", "Bronze", "distributor")  # C2


def test_segment_rollups_worked_by_hand(both):
    wh = both[0].warehouse
    # (gross sales, discount, invoiced, returns, revenue, cogs, orders, active customers)
    segments = cells(wh, ROLLUPS.segment_month)
    assert segments[(dt.date(2025, 2, 1), *SOUTH_DISTRIBUTOR)] == (*money(100, 0, 100, 0, 100, 20), 1, 1)  # I4
    assert segments[(dt.date(2026, 1, 1), *NORTH_RETAIL)] == (*money(300, 5, 295, 0, 295, 100), 1, 1)  # I1
    assert segments[(dt.date(2026, 1, 1), *SOUTH_DISTRIBUTOR)] == (*money(30, 0, 30, 0, 30, 18), 0, 1)  # I5, O5 split
    assert segments[(dt.date(2026, 2, 1), *NORTH_RETAIL)] == (*money(20, 2, 18, "9.5", "8.5", 6), 1, 1)  # I3, CN1
    assert segments[(dt.date(2026, 2, 1), *SOUTH_DISTRIBUTOR)] == (*money(150, 0, 150, 0, 150, 50), 1, 1)  # I2, I6
    # March, North retail: C1's I7 (40 + 200 gross, 10 discount, cogs 24 + 40; O6 split over two reps) and
    # C3's return CN2 (200, cogs 40 back). Two customers, one active: C1 (230), not C3 (-200).
    assert segments[(dt.date(2026, 3, 1), *NORTH_RETAIL)] == (*money(240, 10, 230, 200, 30, 24), 0, 1)
    assert segments[(dt.date(2026, 3, 1), *SOUTH_DISTRIBUTOR)] == (*money(10, 0, 10, 0, 10, 6), 1, 1)  # I8
    assert len(segments) == 7
    # Per customer, summed over the reps, with the customer's segment
    customers = cells(wh, ROLLUPS.segment_customer_month)
    # C1's March: I7's two lines of two reps (40 + 200 gross, 10 discount, cogs 24 + 40; O6 split)
    assert customers[(dt.date(2026, 3, 1), "C1", *NORTH_RETAIL)] == (*money(240, 10, 230, 0, 230, 64), 0)
    assert customers[(dt.date(2026, 3, 1), "C3", *NORTH_RETAIL)] == (*money(0, 0, 0, 200, -200, -40), 0)  # CN2
    assert customers[(dt.date(2026, 3, 1), "C2", *SOUTH_DISTRIBUTOR)] == (*money(10, 0, 10, 0, 10, 6), 1)  # I8
    assert len(customers) == 8  # the 9 customer months, C1's March of two reps in one
    products = cells(wh, ROLLUPS.segment_product_month)
    # March, P2, North retail: I7's P2 line (200 less 10, cogs 40) and CN2 (200 back, cogs 40 back)
    assert products[(dt.date(2026, 3, 1), "P2", *NORTH_RETAIL)] == (*money(200, 10, 190, 200, -10, 0), 0)
    assert products[(dt.date(2026, 1, 1), "P1", *NORTH_RETAIL)] == (*money(100, 5, 95, 0, 95, 60), 1)  # I1's P1
    # 2025-02 P2 South; 2026-01 P1, P2 North and P1 South; 02 P1 North, P1 and P2 South; 03 P1, P2 North, P1 South
    assert len(products) == 10
    costs = {(row["cost_date"], row["region"], row["industry"], row["tier"], row["customer_type"]): row["amount"]
             for row in rows_of(wh, ROLLUPS.segment_costs_month)}
    assert costs == {(dt.date(2026, 1, 1), *NORTH_RETAIL): D("30.0000"),  # K1 (C1)
                     (dt.date(2026, 2, 1), *SOUTH_DISTRIBUTOR): D("100.0000"),  # K2 (C2)
                     (dt.date(2026, 3, 1), *NORTH_RETAIL): D("10.0000"),  # K3 (C3)
                     (dt.date(2025, 2, 1), *SOUTH_DISTRIBUTOR): D("5.0000")}  # K4 (C2)


def test_segment_figures_worked_by_hand(both):
    rolled, _ = both
    north = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
    # C1's three months (295 + 8.5 + 230) and C3's return: active over the quarter C1 only
    summary = rolled.sales.summary(north).iloc[0]
    assert summary.revenue == D("333.50") and summary.active_customers == 1
    # O1, I3 and O6: O6 is split, counted from the list of split orders
    assert summary.orders == 3
    months = rolled.sales.trend("month", north).set_index("period")
    assert list(months.revenue) == [D("295.00"), D("8.50"), D("30.00")] and list(months.active_customers) == [1, 1, 1]
    # January 5 to February 20, two part months read from the day cells: I1 (January 10), and I3 but not
    # CN1 (February 20 and 25).
    part = Filters(start=dt.date(2026, 1, 5), end=dt.date(2026, 2, 20), regions={"North"})
    assert list(rolled.sales.trend("month", part).revenue) == [D("295.00"), D("18.00")]
    assert summary.cost_to_serve == D("40.00")  # K1 30 (C1) and K3 10 (C3)
    assert list(months.cost_to_serve) == [D("30.00"), D("0.00"), D("10.00")]
    # January 5 to March 15: K1 on January 31 from the days of a part month, not K3 on March 31
    assert rolled.sales.summary(replace(north, start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 15))) \
        .cost_to_serve.iloc[0] == D("30.00")
    top = rolled.sales.top("product_id", 1, north)
    # P2: 200 (I1) + 190 (I7) - 200 (CN2); P1 has 95 + 18 - 9.50 + 40 = 143.50
    assert list(top.product_id) == ["P2"] and top.revenue.iloc[0] == D("190.00")


def test_orders_counted_once_across_cells(both):
    rolled, _ = both
    # Q1 2026: O1, O2, I3 (no order id), O5, O6, O8
    assert rolled.sales.summary(Q1).orders.iloc[0] == 6
    months = rolled.sales.trend("month", Q1).set_index("period").orders
    assert list(months) == [2, 3, 2]  # Jan O1, O5; Feb O2, I3, O5; Mar O6, O8
    # January 15 to February 10: day cells at both ends, no whole month: O5 (both parts inside) once
    assert rolled.sales.summary(Filters(start=dt.date(2026, 1, 15), end=dt.date(2026, 2, 10))).orders.iloc[0] == 1
    reps = rolled.sales.by("rep_id", Q1).set_index("rep_id").orders
    assert reps["R1"] == 3 and reps["R2"] == 3  # R1: O1, I3, O6; R2: O2, O5, O6 (O6 once for each rep)
    products = rolled.sales.by("product_id", Q1).set_index("product_id").orders
    assert products["P1"] == 6 and products["P2"] == 3  # P1: O1, O2, I3, O5, O6, O8; P2: O1, O5, O6


def test_queries_read_the_rollups_they_can(both):
    wh = both[0].warehouse

    def tables_read(expr):
        sql = str(wh.con.compile(expr))
        return {name for name in (*ROLLUPS.__dict__.values(), "invoice_lines") if f'"{name}"' in sql}

    # Sums from the segments, the active customers from the customers' cells with their segments
    assert tables_read(sales.summary_expr(wh, Filters(start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 31)))) == {
        ROLLUPS.segment_month, ROLLUPS.segment_customer_month, ROLLUPS.customer_day, ROLLUPS.split_orders,
        ROLLUPS.segment_costs_month}
    # Whole months read no day cells; a part month at either end reads them.
    assert tables_read(sales.trend_expr(wh, "month", Q1)) == {
        ROLLUPS.segment_month, ROLLUPS.split_orders, ROLLUPS.segment_costs_month}
    assert tables_read(sales.trend_expr(wh, "month", Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 30)))) \
        == {ROLLUPS.segment_month, ROLLUPS.customer_day, ROLLUPS.split_orders, ROLLUPS.segment_costs_month}
    assert tables_read(sales.trend_expr(wh, "week", Q1)) == {ROLLUPS.customer_day, ROLLUPS.split_orders}
    assert tables_read(sales.top_expr(wh, "product_id", 10, Filters(regions={"North"}))) == {
        ROLLUPS.segment_product_month}
    # A rep is no segment, nor is a customer: their cells are read.
    assert tables_read(sales.summary_expr(wh, Filters(start=dt.date(2026, 1, 2), reps={"R1"}))) == {
        ROLLUPS.customer_month, ROLLUPS.customer_day, ROLLUPS.split_orders}
    assert tables_read(sales.top_expr(wh, "customer_id", 10, Q1)) == {ROLLUPS.segment_customer_month}
    assert tables_read(sales.top_expr(wh, "customer_name", 10, Q1)) == {ROLLUPS.customer_month}
    # A product's cost to serve is allocated by its share of each customer's revenue (the product cells'):
    # no segment of costs.
    assert tables_read(sales.by_expr(wh, "product_id", Q1)) == {
        ROLLUPS.segment_product_month, ROLLUPS.sales_month, ROLLUPS.split_orders}
    # Orders of two products together cannot be summed: a category filter reads the lines.
    assert "invoice_lines" in tables_read(sales.summary_expr(wh, Filters(categories={"Hardware"})))


# Any day, or a month's first or last day (a range of whole months reads no day cells).
DAYS = st.one_of(st.dates(dt.date(2024, 12, 1), dt.date(2026, 4, 30)),
                 st.builds(lambda day, last: month_end(day) if last else month_start(day),
                           st.dates(dt.date(2024, 12, 1), dt.date(2026, 4, 30)), st.booleans()))


def subsets(*values):
    return st.one_of(st.just(frozenset()), st.frozensets(st.sampled_from(values), min_size=1))


@st.composite
def selections(draw):
    start, end = draw(st.one_of(st.none(), DAYS)), draw(st.one_of(st.none(), DAYS))
    if start and end and start > end:
        start, end = end, start
    filters = Filters(start=start, end=end, regions=draw(subsets("North", "South", "West")),
                      industries=draw(subsets("retail", "medical")), tiers=draw(subsets("Gold", "Bronze")),
                      customer_types=draw(subsets("distributor")), reps=draw(subsets("R1", "R2")),
                      categories=draw(subsets("Hardware", "Software")), products=draw(subsets("P1", "P2")),
                      customers=draw(subsets("C1", "C2", "C3")))
    scope = draw(st.one_of(st.just(EVERYTHING), st.builds(Scope, st.frozensets(st.sampled_from(["C1", "C2", "C3"])))))
    return filters, scope


QUERIES = {
    "summary": ((None,), lambda m, f, s, choice: m.sales.summary(f, s)),
    "by": (sales.DIMENSIONS, lambda m, f, s, dimension: m.sales.by(dimension, f, s, labelled=True)),
    "trend": (sales.GRAINS, lambda m, f, s, grain: m.sales.trend(grain, f, s)),
    "top": (sales.DIMENSIONS, lambda m, f, s, dimension: m.sales.top(dimension, 2, f, s)),
    "budget by month": ((None,), lambda m, f, s, choice: m.budget.by_month(f, s, as_of=dt.date(2026, 3, 20))),
    "budget by dimension": (("region", "product_category", "rep_id", "customer_tier"),
                            lambda m, f, s, dimension: m.budget.by_dimension(dimension, f, s,
                                                                             as_of=dt.date(2026, 3, 20))),
    "forecast history": (("company", "region", "category", "rep_id"),
                         lambda m, f, s, series: m.forecast.history(series, f, s, as_of=dt.date(2026, 4, 2))),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(selection=selections(), query=st.sampled_from(sorted(QUERIES)), data=st.data())
def test_rollups_give_exactly_the_figures_of_the_lines(both, selection, query, data):
    rolled, lines = both
    filters, scope = selection
    choices, run = QUERIES[query]
    choice = data.draw(st.sampled_from(choices))
    pd.testing.assert_frame_equal(run(rolled, filters, scope, choice), run(lines, filters, scope, choice),
                                  check_exact=True)


def test_a_load_rebuilds_the_rollups_and_the_figures_follow(tmp_path, write):
    ms = open_with(tmp_path, TABLES)
    try:
        before = ms.sales.summary(Q1).iloc[0]
        # 153.50 (test_sales) + I5 30 + I6 100 + I7 40 + 190 + I8 10; orders O1, O2, I3, O5, O6, O8
        assert before.revenue == D("523.50") and before.orders == 6
        version = ms.data_version
        # A new line in February for C3: 2 x 25.00 = 50.00, cogs 20, a new order O10.
        extra = write("more.csv", "invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,"
                                  "quantity,unit_price,discount_amount,net_amount,cogs\n"
                                  "I10,1,invoice,2026-02-11,O10,C3,P1,R1,2,25.00,0,50.00,20.00\n")
        assert load_file(ms.warehouse, "invoice_lines", extra).ok
        assert ms.data_version == version + 1
        after = ms.sales.summary(Q1).iloc[0]
        assert after.revenue == D("573.50") and after.orders == 7 and after.gross_profit == before.gross_profit + 30
        customers = ms.sales.by("customer_id", Q1).set_index("customer_id")
        assert customers.loc["C3", "revenue"] == D("-150.00")  # the return of 200 and the new 50
        assert customers.loc["C3", "orders"] == 1
        lines = Metrics(Warehouse(ms.warehouse.con, ms.warehouse.url))
        pd.testing.assert_frame_equal(ms.sales.by("customer_id", Q1), lines.sales.by("customer_id", Q1),
                                      check_exact=True)
        # Loading the same file again changes nothing: same data version, same rollups.
        assert load_file(ms.warehouse, "invoice_lines", extra).rows_unchanged == 1
        assert ms.data_version == version + 1
    finally:
        ms.close()


def test_a_load_of_customers_or_costs_rebuilds_the_segments(tmp_path, write):
    ms = open_with(tmp_path, TABLES)
    try:
        assert ms.sales.summary(replace(Q1, regions=frozenset({"West"}))).revenue.iloc[0] == 0
        moved = write("customers.csv", CUSTOMERS.replace("C2,Globex,medical,South", "C2,Globex,medical,West"))
        assert load_file(ms.warehouse, "customers", moved).ok
        # C2 in Q1: I5 30 + I2 50 + I6 100 + I8 10
        west = ms.sales.summary(replace(Q1, regions=frozenset({"West"}))).iloc[0]
        assert west.revenue == D("190.00") and west.active_customers == 1
        assert ms.sales.summary(replace(Q1, regions=frozenset({"South"}))).revenue.iloc[0] == 0
        assert west.cost_to_serve == D("100.00")  # K2
        regions = {row["region"] for row in rows_of(ms.warehouse, ROLLUPS.segment_month)}
        assert regions == {"North", "West"}
        # A new cost for C2 in March: the segment of costs follows.
        more = write("costs.csv", "cost_id,customer_id,cost_date,category,amount\nK5,C2,2026-03-02,freight,7.25\n")
        assert load_file(ms.warehouse, "costs_to_serve", more).ok
        assert ms.sales.summary(replace(Q1, regions=frozenset({"West"}))).cost_to_serve.iloc[0] == D("107.25")
    finally:
        ms.close()


@pytest.mark.parametrize("dropped", [list(rollups.SCHEMAS), list(rollups.SEGMENT_TABLES)], ids=["all", "segments"])
def test_a_warehouse_without_rollups_gets_them_when_opened(tmp_path, dropped):
    ms = open_with(tmp_path, TABLES)
    expected = ms.sales.trend("month", Q1)
    for name in dropped:
        ms.warehouse.execute_sql(f"DROP TABLE {name}")
    ms.close()
    reopened = Metrics(Warehouse.connect(f"duckdb://{tmp_path / 'small.duckdb'}"))
    try:
        assert reopened.warehouse.reads_rollups
        assert len(rows_of(reopened.warehouse, ROLLUPS.customer_month)) == 9
        assert len(rows_of(reopened.warehouse, ROLLUPS.segment_month)) == 7
        pd.testing.assert_frame_equal(reopened.sales.trend("month", Q1), expected, check_exact=True)
    finally:
        reopened.close()


def test_the_rollups_on_postgresql(postgres_url, tmp_path):
    """The rollups are plain Ibis: built by the same loads on PostgreSQL, read with the same answers."""
    import uuid

    import psycopg

    database = f"rollups_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {database}")  # a name of our own, not from input
    wh = Warehouse.connect(postgres_url.rsplit("/", 1)[0] + "/" + database)
    try:
        assert wh.reads_rollups
        for table, text in TABLES.items():
            (tmp_path / f"{table}.csv").write_text(text)
            assert load_file(wh, table, tmp_path / f"{table}.csv").ok
        assert len(rows_of(wh, ROLLUPS.customer_month)) == 9
        rolled, lines = Metrics(wh), Metrics(Warehouse(wh.con, wh.url))
        part_months = Filters(start=dt.date(2026, 1, 15), end=dt.date(2026, 3, 10), regions={"South"})
        assert rolled.sales.summary(part_months).orders.iloc[0] == 2  # O2 and O5 (both of its parts) for C2
        for query in (lambda m: m.sales.summary(part_months),
                      lambda m: m.budget.by_month(part_months, as_of=dt.date(2026, 3, 20)),
                      lambda m: m.forecast.history("category", Q1, as_of=dt.date(2026, 4, 2))):
            pd.testing.assert_frame_equal(query(rolled), query(lines), check_exact=True)
    finally:
        wh.close()
