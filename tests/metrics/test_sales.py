"""Sales and profit on a company small enough to work out by hand.

Customers C1 (North, Gold), C2 (South, Bronze), C3 (North, Gold; only a return in 2026).
Products P1 (Hardware), P2 (Software). Every expected figure below is derived in
the comments from the rows, not from the code.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from marginscope.ingest import load_file
from marginscope.metrics import Filters, Scope
from tests.metrics.conftest import LINES, Q1


def test_summary_of_the_first_quarter(ms):
    row = ms.sales.summary(Q1).iloc[0]
    assert row.gross_sales == D("370.00")  # 10*10 + 1*200 + 5*10 + 2*10 (invoice lines only)
    assert row.discount == D("7.00")  # 5 + 0 (empty) + 0 + 2
    assert row.returns == D("209.50")  # CN1 9.50 + CN2 200
    assert row.revenue == D("153.50")  # invoices 95 + 200 + 50 + 18 = 363, less returns 209.50
    assert row.cogs == D("96.00")  # 60 + 40 + 30 + 12 = 142, less returned 6 + 40
    assert row.gross_profit == D("57.50")
    assert row.cost_to_serve == D("140.00")  # K1 + K2 + K3
    assert row.contribution_margin == D("-82.50")
    assert row.orders == 3  # O1, O2 and I3 (no order id); credit notes are not orders
    assert row.active_customers == 2  # C1 303.50, C2 50; C3 has -200
    assert row.gross_margin == pytest.approx(57.5 / 153.5)
    assert row.contribution_margin_pct == pytest.approx(-82.5 / 153.5)
    assert row.average_order_value == pytest.approx(153.5 / 3)
    assert row.return_rate == pytest.approx(209.5 / 363)


def test_by_region_and_by_customer(ms):
    regions = ms.sales.by("region", Q1).set_index("region")
    assert regions.loc["North", "revenue"] == D("103.50")  # C1 303.50 + C3 -200
    assert regions.loc["North", "cost_to_serve"] == D("40.00")  # K1 30 + K3 10
    assert regions.loc["South", "revenue"] == D("50.00")
    assert regions.loc["South", "contribution_margin"] == D("-80.00")  # 50 - 30 - 100
    assert list(regions.index) == ["North", "South"]  # by revenue, descending
    customers = ms.sales.by("customer_id", Q1).set_index("customer_id")
    assert customers.loc["C3", "revenue"] == D("-200.00") and customers.loc["C3", "gross_profit"] == D("-160.00")
    assert customers.loc["C3", "active_customers"] == 0
    assert customers.gross_margin.isna().sum() == 0


def test_cost_to_serve_is_allocated_to_products_by_revenue_share(ms):
    categories = ms.sales.by("category", Q1).set_index("category")
    # C1's 30 splits by its Hardware 103.50 (95 + 18 - 9.50) and Software 200 of 303.50;
    # C2's 100 is all Hardware; C3's 10 all Software (its -200 is all Software).
    hardware = 30 * 103.5 / 303.5 + 100
    software = 30 * 200 / 303.5 + 10
    assert float(categories.loc["Hardware", "cost_to_serve"]) == pytest.approx(hardware, abs=0.005)
    assert float(categories.loc["Software", "cost_to_serve"]) == pytest.approx(software, abs=0.005)
    assert categories.loc["Hardware", "revenue"] == D("153.50") and categories.loc["Software", "revenue"] == D("0.00")
    assert categories.loc["Software", "gross_margin"] is None or categories.gross_margin.isna()["Software"]


def test_monthly_trend_includes_a_month_with_only_returns(ms):
    trend = ms.sales.trend("month", Q1)
    assert [p.month for p in trend.period] == [1, 2, 3]
    assert trend.revenue.tolist() == [D("295.00"), D("58.50"), D("-200.00")]  # 95+200; 50+18-9.50; -200
    assert trend.cost_to_serve.tolist() == [D("30.00"), D("100.00"), D("10.00")]
    assert trend.orders.tolist() == [1, 2, 0]


@pytest.mark.parametrize(
    ("filters", "revenue", "cost"),
    [
        (Filters(start=Q1.start, end=Q1.end, regions={"North"}), D("103.50"), D("40.00")),
        (Filters(start=Q1.start, end=Q1.end, tiers={"Bronze"}), D("50.00"), D("100.00")),
        # R1's lines are all C1's, so C1's whole cost follows them.
        (Filters(start=Q1.start, end=Q1.end, reps={"R1"}), D("303.50"), D("30.00")),
        (Filters(start=Q1.start, end=Q1.end, products={"P2"}, customers={"C1"}), D("200.00"), D("19.77")),
        (Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)), D("0.00"), D("0.00")),
    ],
)
def test_filters_apply_to_sales_and_cost(ms, filters, revenue, cost):
    row = ms.sales.summary(filters).iloc[0]
    assert (row.revenue, row.cost_to_serve) == (revenue, cost)


def test_a_period_without_sales_has_zero_sums_and_missing_ratios(ms):
    row = ms.sales.summary(Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))).iloc[0]
    assert (row.revenue, row.orders, row.active_customers) == (0, 0, 0)
    assert row.gross_margin is None or row.gross_margin != row.gross_margin  # NaN/None, never 0


def test_scope_limits_every_figure(ms):
    row = ms.sales.summary(Q1, Scope(customers={"C2"})).iloc[0]
    assert (row.revenue, row.cost_to_serve, row.orders) == (D("50.00"), D("100.00"), 1)
    assert ms.sales.by("customer_id", Q1, Scope(customers={"C2"})).customer_id.tolist() == ["C2"]


def test_year_over_year_and_year_to_date(ms):
    february = Filters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    yoy = ms.sales.compare("yoy", february).set_index("measure")
    assert (yoy.loc["revenue", "current"], yoy.loc["revenue", "prior"]) == (58.5, 100.0)  # I4 in Feb 2025
    assert yoy.loc["revenue", "growth"] == pytest.approx((58.5 - 100) / 100)
    assert yoy.loc["cost_to_serve", "prior"] == 5.0
    ytd = ms.sales.compare("ytd", february).set_index("measure")
    assert (ytd.loc["revenue", "current"], ytd.loc["revenue", "prior"]) == (353.5, 100.0)  # 295 + 58.50
    assert ytd.attrs["prior"] == (dt.date(2025, 1, 1), dt.date(2025, 2, 28))


def test_growth_from_zero_is_not_available(ms):
    january = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    mom = ms.sales.compare("previous", january).set_index("measure")
    assert mom.attrs["prior"] == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert (mom.loc["revenue", "current"], mom.loc["revenue", "prior"]) == (295.0, 0.0)
    assert mom.loc["revenue", "change"] == 295.0
    assert mom.growth.isna()["revenue"]  # "n/a", never 0 or infinity


def test_top_customers_and_products(ms):
    top = ms.sales.top_customers(2, Q1)
    assert top.customer_id.tolist() == ["C1", "C2"]
    assert top.customer_name.tolist() == ["Acme", "Globex"] and top.region.tolist() == ["North", "South"]
    products = ms.sales.top_products(1, Q1)
    assert products.product_id.tolist() == ["P1"]  # 153.50 against P2's 0
    assert (products.product_name[0], products.category[0]) == ("Bolt", "Hardware")


def test_a_ranking_has_the_sales_measures_of_the_first_rows_by_revenue(ms):
    top = ms.sales.top("customer_id", 3, Q1)
    assert top.customer_id.tolist() == ["C1", "C2", "C3"]
    assert top.customer_name.tolist() == ["Acme", "Globex", "Initech"] and top.tier.tolist() == ["Gold", "Bronze", "Gold"]
    # C1: 95 + 200 + 18 - 9.50 = 303.50, COGS 60 + 40 + 12 - 6 = 106; C2: 50, COGS 30; C3: the -200 return, COGS -40
    assert top.revenue.tolist() == [D("303.50"), D("50.00"), D("-200.00")]
    assert top.cogs.tolist() == [D("106.00"), D("30.00"), D("-40.00")]
    assert top.gross_profit.tolist() == [D("197.50"), D("20.00"), D("-160.00")]
    assert top.gross_margin.tolist() == pytest.approx([197.5 / 303.5, 0.4, 0.8])
    # P1: 95 + 50 + 18 - 9.50 = 153.50 (COGS 96); P2: 200 less its 200 return, so no margin
    products = ms.sales.top("product_id", 5, Q1)
    assert products.product_id.tolist() == ["P1", "P2"] and products.category.tolist() == ["Hardware", "Software"]
    assert products.gross_profit.tolist() == [D("57.50"), D("0.00")] and products.gross_margin.isna().tolist() == [False, True]
    every_region = ms.sales.top("region", None, Q1)  # North: C1 303.50 + C3 -200; South: C2 50
    assert every_region.region.tolist() == ["North", "South"]
    assert every_region.revenue.tolist() == [D("103.50"), D("50.00")]
    columns = ["customer_id", "customer_name", "region", "tier", "revenue", "cogs", "gross_profit", "gross_margin"]
    assert top.head(2)[columns].equals(ms.sales.by("customer_id", Q1, labelled=True, limit=2)[columns])


def test_a_ranking_leaves_out_a_customer_with_costs_and_no_sales(ms):
    last_day = Filters(start=dt.date(2026, 3, 31), end=dt.date(2026, 3, 31))  # K3, C3's cost, and no line
    assert ms.sales.by("customer_id", last_day).customer_id.tolist() == ["C3"]
    assert ms.sales.top("customer_id", 10, last_day).empty


def test_rep_labels(ms):
    reps = ms.sales.by("rep_id", Q1, labelled=True).set_index("rep_id")
    assert reps.loc["R1", "rep_name"] == "Ann" and reps.loc["R2", "rep_name"] == "Bob"


def test_results_are_cached_until_the_data_changes(ms, tmp_path):
    first = ms.sales.summary(Q1)
    ms.sales.summary(Q1)
    assert ms.cache.hits == 1
    first.loc[0, "orders"] = 99  # a caller's change must not reach the cache
    assert ms.sales.summary(Q1).orders.iloc[0] == 3
    extra = tmp_path / "more.csv"
    extra.write_text(LINES.splitlines()[0] + "\nI5,1,invoice,2026-03-10,O5,C2,P1,R2,1,10.00,0,10.00,6.00\n")
    assert load_file(ms.warehouse, "invoice_lines", extra).ok
    assert ms.sales.summary(Q1).revenue.iloc[0] == D("163.50")


def test_a_batch_reads_the_data_version_once_and_shares_sub_queries(ms, monkeypatch):
    reads = []
    real = type(ms.warehouse).data_version

    monkeypatch.setattr(type(ms.warehouse), "data_version", property(lambda self: reads.append(1) or real.fget(self)))
    page = ms.batch(kpis=lambda m: m.sales.summary(Q1), again=lambda m: m.sales.summary(Q1),
                    regions=lambda m: m.sales.by("region", Q1))
    assert len(reads) == 1
    assert ms.cache.misses == 2 and ms.cache.hits == 1
    assert page["kpis"].equals(page["again"])


def test_empty_optional_tables(company):
    from tests.metrics.conftest import CUSTOMERS, PRODUCTS

    metrics = company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)
    row = metrics.sales.summary(Q1).iloc[0]
    assert (row.revenue, row.cost_to_serve, row.contribution_margin) == (D("153.50"), 0, D("57.50"))
    assert metrics.budget.by_month(Q1, as_of=dt.date(2026, 3, 31)).budget.isna().all()
    assert metrics.receivables.summary(Q1).open_amount.iloc[0] == 463  # no payments: every invoice is open
    assert metrics.products.performance(Q1).product_id.tolist() == ["P1", "P2"]


def test_customers_without_a_region_form_one_group(company):
    from tests.metrics.conftest import PRODUCTS

    customers = "customer_id,name,region\nC1,Acme,\nC2,Globex,\n"
    lines = LINES.splitlines()[0] + "\nI1,1,invoice,2026-01-10,O1,C1,P1,,1,10,0,10.00,6\n"
    costs = "cost_id,customer_id,cost_date,category,amount\nK1,C2,2026-01-31,freight,4\n"
    metrics = company(customers=customers, products=PRODUCTS, invoice_lines=lines, costs_to_serve=costs)
    regions = metrics.sales.by("region", Q1)
    assert len(regions) == 1  # sales of C1 and the cost of C2 are one "no region" group, not two
    assert (regions.revenue.iloc[0], regions.cost_to_serve.iloc[0]) == (D("10.00"), D("4.00"))
