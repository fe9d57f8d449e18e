"""The demo generator: determinism, the data contract, and every planted property.

Each planted property is recomputed here from the canonical frames of ``build()``
with plain pandas, independently of the generator's own code.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook

from marginscope import schema
from marginscope.demo import build, generate
from marginscope.demo.arrowutil import arrow_schema
from marginscope.ingest.mapping import Bundle

AS_OF = datetime.date(2026, 11, 23)
SMALL = dict(customers=300, years=3, as_of=AS_OF, seed=1)
AS_OF_TS = pd.Timestamp(AS_OF)
YEAR = AS_OF.year


def to_frames(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """pandas frames with decimals as floats and dates as timestamps, for easy arithmetic."""
    frames = {}
    for name, table in tables.items():
        columns = {}
        for f in table.schema:
            column = table[f.name]
            columns[f.name] = column.cast(pa.float64()) if pa.types.is_decimal(f.type) else column
        df = pa.table(columns).to_pandas()
        for f in table.schema:
            if pa.types.is_date(f.type):
                df[f.name] = pd.to_datetime(df[f.name])
        frames[name] = df
    return frames


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return build(**SMALL)


@pytest.fixture(scope="module")
def f(tables) -> dict[str, pd.DataFrame]:
    return to_frames(tables)


@pytest.fixture(scope="module")
def profit(f) -> pd.DataFrame:
    """Per-customer revenue, COGS, GP, discount rate, cost to serve and CM (METRICS.md definitions)."""
    lines = f["invoice_lines"]
    sign = np.where(lines.kind == "invoice", 1.0, -1.0)
    invoices = lines[lines.kind == "invoice"]
    out = pd.DataFrame({
        "revenue": (lines.net_amount * sign).groupby(lines.customer_id).sum(),
        "cogs": (lines.cogs * sign).groupby(lines.customer_id).sum(),
        "gross": (invoices.quantity * invoices.unit_price).groupby(invoices.customer_id).sum(),
        "discount": invoices.discount_amount.groupby(invoices.customer_id).sum(),
    }).fillna(0)
    out["gp"] = out.revenue - out.cogs
    out["cts"] = f["costs_to_serve"].groupby("customer_id").amount.sum().reindex(out.index).fillna(0)
    out["cm"] = out.gp - out.cts
    out["discount_rate"] = out.discount / out.gross
    out["tier"] = f["customers"].set_index("customer_id").tier.reindex(out.index)
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo"), **SMALL)


# ---------------------------------------------------------------------------
# Determinism and files
# ---------------------------------------------------------------------------


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_arguments_give_identical_files_and_another_seed_differs(generated, tmp_path):
    first = _files(generated.parent)
    again = generate(tmp_path / "again", **SMALL)
    assert _files(again.parent) == first
    other = _files(generate(tmp_path / "other", **{**SMALL, "seed": 2}).parent)
    assert other.keys() == first.keys()
    assert other["erp/invoice_lines.csv"] != first["erp/invoice_lines.csv"]
    assert other["erp/customers.xlsx"] != first["erp/customers.xlsx"]


def test_build_is_deterministic(tables):
    again = build(**SMALL)
    assert all(again[name].equals(tables[name]) for name in schema.TABLES)


def test_bundle_parses_and_names_existing_files_with_their_headers(generated):
    bundle = Bundle.from_yaml(generated)
    assert sorted(load.mapping.table for load in bundle.loads) == sorted(schema.TABLES)
    for load in bundle.loads:
        assert load.file.is_file(), load.file
        m = load.mapping
        header = _header(load.file, m.delimiter, m.sheet)
        table = schema.TABLES[m.table]
        for column in table.required_columns:
            assert column.name in m.columns, f"{m.table}.{column.name} is not mapped"
        for target, rule in m.columns.items():
            assert rule.source in header, f"{load.file.name}: no column {rule.source!r}"
            allowed = table.column(target).allowed
            if rule.values and allowed:
                assert set(rule.values.values()) <= set(allowed)


def _header(path: Path, delimiter: str, sheet) -> list[str]:
    if path.suffix == ".xlsx":
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
        return [str(v) for v in rows[0]]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter))


def test_files_hold_every_row_in_source_style(generated, tables):
    bundle = Bundle.from_yaml(generated)
    for load in bundle.loads:
        m = load.mapping
        if load.file.suffix == ".xlsx":
            rows = CalamineWorkbook.from_path(str(load.file)).get_sheet_by_name(m.sheet).to_python()
            body = rows[1:]
        else:
            with load.file.open(encoding="utf-8-sig", newline="") as handle:
                body = list(csv.reader(handle, delimiter=m.delimiter))[1:]
        assert len(body) == tables[m.table].num_rows, load.file
    # Spot checks of the quirks the mappings undo.
    with (generated.parent / "erp/invoice_lines.csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle, delimiter=";"))
    assert {row["Doc Type"] for row in lines} == {"INV", "CN"}
    assert datetime.datetime.strptime(lines[0]["Posting Date"], "%d.%m.%Y")
    canonical_net = tables["invoice_lines"]["net_amount"].cast(pa.float64()).to_numpy().sum()
    assert sum(float(row["Line Amount"]) for row in lines) == pytest.approx(canonical_net, abs=0.01)
    assert all(len(row["Line Amount"].split(".")[1]) == 2 for row in lines[:1000])
    assert (generated.parent / "finance/gl_customer_costs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    customers = CalamineWorkbook.from_path(str(generated.parent / "erp/customers.xlsx"))
    first = customers.get_sheet_by_name("Customers").to_python()[1]
    assert isinstance(first[10], datetime.date)  # "Customer Since" is a real Excel date


# ---------------------------------------------------------------------------
# The data contract
# ---------------------------------------------------------------------------


def test_every_table_has_exactly_the_schema_columns_and_types(tables):
    assert list(tables) == list(schema.TABLES)
    for name, table in tables.items():
        assert table.schema.equals(arrow_schema(name)), name
        assert table.num_rows > 0, name


def test_required_values_allowed_values_bounds_and_keys(f):
    for name, df in f.items():
        spec = schema.TABLES[name]
        for column in spec.columns:
            values = df[column.name]
            if column.required:
                assert values.notna().all(), f"{name}.{column.name} has missing values"
            if column.allowed:
                assert set(values.dropna()) <= set(column.allowed), f"{name}.{column.name}"
            if column.minimum is not None:
                assert (values.dropna() >= column.minimum).all(), f"{name}.{column.name}"
            if column.maximum is not None:
                assert (values.dropna() <= column.maximum).all(), f"{name}.{column.name}"
        key = df[list(spec.key)]
        assert not key.duplicated().any(), f"{name}: duplicate keys"


def test_references_resolve(f):
    for name, df in f.items():
        for column in schema.TABLES[name].columns:
            if column.references:
                table, target = column.references.split(".")
                known = set(f[table][target])
                assert set(df[column.name].dropna()) <= known, f"{name}.{column.name}"


@pytest.mark.parametrize("as_of, years", [(datetime.date(2025, 1, 10), 1), (datetime.date(2024, 2, 29), 5)])
def test_contract_holds_for_odd_spans(as_of, years):
    tables = build(customers=60, years=years, as_of=as_of, seed=3)
    for name, table in tables.items():
        assert table.schema.equals(arrow_schema(name)), name
    frames = to_frames(tables)
    test_references_resolve(frames)
    lines = frames["invoice_lines"]
    assert lines.invoice_date.between(pd.Timestamp(as_of.year - years + 1, 1, 1), pd.Timestamp(as_of)).all()
    assert set(frames["budgets"].period.dt.year) == {as_of.year}
    assert (frames["payments"].paid_date <= pd.Timestamp(as_of)).all()


def test_nothing_is_dated_after_as_of_except_due_and_promised_dates(f):
    future_ok = {("invoice_lines", "due_date"), ("orders", "promised_date"), ("budgets", "period")}
    for name, df in f.items():
        for column in schema.TABLES[name].columns:
            if column.kind == schema.Kind.DATE and (name, column.name) not in future_ok:
                assert (df[column.name].dropna() <= AS_OF_TS).all(), f"{name}.{column.name}"
    lines = f["invoice_lines"]
    assert lines.invoice_date.min() >= pd.Timestamp(YEAR - 2, 1, 1)


def test_line_amounts_add_up(f):
    lines = f["invoice_lines"]
    expected = (lines.quantity * lines.unit_price - lines.discount_amount).round(2)
    assert np.allclose(lines.net_amount, expected, atol=0.006)
    assert (lines.net_amount > 0).all() and (lines.cogs > 0).all()
    assert set(lines.currency) == {"EUR"}
    invoices = lines[lines.kind == "invoice"]
    assert invoices.invoice_id.str.match(r"^INV-\d{7}$").all()
    assert lines[lines.kind == "credit_note"].invoice_id.str.match(r"^CN-\d{7}$").all()
    # line_no runs 1..n inside each document
    counts = lines.groupby("invoice_id").line_no.agg(["min", "max", "count"])
    assert (counts["min"] == 1).all() and (counts["max"] == counts["count"]).all()
    # unit prices stay close to the list price
    ratio = invoices.unit_price / invoices.product_id.map(f["products"].set_index("product_id").list_price)
    assert ratio.between(0.85, 1.1).all()
    assert set((invoices.due_date - invoices.invoice_date).dt.days) <= {30, 45, 60}


def test_orders_and_invoices_are_consistent(f):
    orders = f["orders"].set_index("order_id")
    lines = f["invoice_lines"]
    invoiced = lines[lines.kind == "invoice"].groupby("order_id").invoice_date.first()
    assert orders.loc[invoiced.index, "status"].isin(["shipped", "delivered"]).all()
    assert (orders.loc[invoiced.index, "shipped_date"] == invoiced).all()
    assert not orders[orders.status.isin(["open", "cancelled"])].index.isin(invoiced.index).any()
    share = orders.status.value_counts(normalize=True)
    assert 0.01 <= share["cancelled"] <= 0.03
    assert orders[orders.status == "open"].shipped_date.isna().all()
    delivered = orders[orders.status == "delivered"]
    assert (delivered.delivered_date >= delivered.shipped_date).all()
    assert (delivered.shipped_date >= delivered.order_date).all()
    # the open and in-transit orders are the recent ones
    in_progress = orders[orders.status.isin(["open", "shipped"])]
    assert in_progress.order_date.min() >= AS_OF_TS - pd.Timedelta(days=60)


def test_reps_handle_customers_only_while_employed(f):
    reps = f["reps"].set_index("rep_id")
    lines = f["invoice_lines"]
    booked = lines[lines.kind == "invoice"].merge(f["orders"][["order_id", "order_date"]], on="order_id")
    hire = booked.rep_id.map(reps.hire_date)
    end = booked.rep_id.map(reps.end_date)
    assert (hire <= booked.order_date).all()
    assert (end.isna() | (booked.order_date <= end)).all()
    assert reps.end_date.notna().any()
    owners = f["customers"].owner_rep_id.map(reps.end_date)
    assert owners.isna().all()  # accounts are owned by reps employed today
    # the owner books most of an account's recent orders (earlier ones may predate a handover)
    recent = booked[booked.order_date > AS_OF_TS - pd.Timedelta(days=120)]
    owner = recent.customer_id.map(f["customers"].set_index("customer_id").owner_rep_id)
    assert (owner == recent.rep_id).mean() > 0.8


# ---------------------------------------------------------------------------
# Planted properties
# ---------------------------------------------------------------------------


def test_tier_shares_frequency_and_order_size(f, profit):
    customers = f["customers"]
    shares = customers.tier.value_counts(normalize=True)
    for tier, share in zip(("Platinum", "Gold", "Silver", "Bronze"), (0.05, 0.15, 0.30, 0.50)):
        assert shares[tier] == pytest.approx(share, abs=0.02)
    lines = f["invoice_lines"]
    orders = lines[lines.kind == "invoice"].groupby("customer_id").order_id.nunique()
    orders = orders.reindex(customers.customer_id).fillna(0)
    per_customer = orders.groupby(customers.tier.values).mean()
    assert per_customer["Platinum"] >= 3 * per_customer["Bronze"]
    value = profit.revenue.groupby(profit.tier).sum() / orders.groupby(customers.tier.values).sum()
    assert value["Platinum"] > 2 * value["Bronze"]


def test_gross_profit_is_concentrated_in_the_top_fifth(profit):
    gp = profit.gp.sort_values(ascending=False)
    top = gp.iloc[: round(0.2 * len(gp))].sum()
    assert top / gp.sum() >= 0.6


def test_q4_is_the_high_season_and_business_grows(f):
    lines = f["invoice_lines"]
    invoices = lines[lines.kind == "invoice"]
    monthly = invoices.set_index("invoice_date").net_amount.resample("MS").sum()
    complete = monthly[monthly.index < pd.Timestamp(YEAR, AS_OF.month, 1)]
    q4 = complete[complete.index.month.isin([10, 11, 12])].mean()
    feb_apr = complete[complete.index.month.isin([2, 3, 4])].mean()
    assert q4 >= 1.3 * feb_apr
    yearly = invoices.groupby(invoices.invoice_date.dt.year).net_amount.sum()
    assert 1.0 < yearly[YEAR - 1] / yearly[YEAR - 2] < 1.35


def test_customer_portrait_columns_are_varied(f):
    customers = f["customers"]
    assert customers.industry.nunique() >= 6
    assert set(customers.region) == {"North", "South", "East", "West", "Central"}
    assert set(customers.customer_type) == {"distributor", "reseller", "end customer"}
    assert customers.country.nunique() >= 10 and customers.city.nunique() >= 20
    assert customers.acquisition_channel.nunique() >= 4
    assert (customers.acquisition_cost > 0).all()
    children = customers[customers.parent_id.notna()]
    assert 1 <= len(children) <= 0.1 * len(customers)
    assert (children.parent_id != children.customer_id).all()


def test_new_churned_and_reactivated_customers_exist(f):
    customers = f["customers"].set_index("customer_id")
    lines = f["invoice_lines"]
    days = lines[lines.kind == "invoice"][["customer_id", "invoice_date"]].drop_duplicates()
    days = days.sort_values(["customer_id", "invoice_date"])
    first = days.groupby("customer_id").invoice_date.min()
    last = days.groupby("customer_id").invoice_date.max()
    assert (customers.created_date.reindex(first.index) <= first).all()
    new = customers[customers.created_date >= pd.Timestamp(YEAR - 2, 1, 1)]
    assert len(new) >= 0.05 * len(customers)
    churned = last[last < AS_OF_TS - pd.Timedelta(days=365)]
    assert len(churned) >= 5
    gaps = days.groupby("customer_id").invoice_date.diff().dt.days
    reactivated = days[gaps > 365].customer_id.unique()
    assert len(reactivated) >= 3


def test_products_categories_margins_and_popularity(f):
    products = f["products"]
    assert 40 <= len(products) <= 80
    assert products.category.nunique() == 5
    assert products.subcategory.nunique() >= 10 and products.series.nunique() >= 3
    margin = (1 - products.standard_cost / products.list_price).groupby(products.category).mean()
    assert margin.max() - margin.min() > 0.15  # category-specific margins
    lines = f["invoice_lines"]
    invoices = lines[lines.kind == "invoice"]
    revenue = invoices.groupby("product_id").net_amount.sum().sort_values(ascending=False)
    top = revenue.iloc[: round(0.2 * len(products))].sum() / revenue.sum()
    assert 0.65 <= top <= 0.92


def test_negative_contribution_margin_through_both_drivers(profit):
    active = profit[profit.revenue > 0]
    negative = active[active.cm < 0]
    assert len(negative) >= 0.03 * len(active)
    by_discount = negative[negative.discount_rate >= 0.25]
    by_cost = negative[(negative.discount_rate < 0.15) & (negative.gp > 0) & (negative.cts > negative.gp)]
    assert len(by_discount) >= 3
    assert len(by_cost) >= 3
    assert by_discount.discount_rate.max() <= 0.46


def test_returns_are_a_few_percent_with_some_heavy_returners(f):
    lines = f["invoice_lines"]
    invoices = lines[lines.kind == "invoice"]
    credits = lines[lines.kind == "credit_note"]
    assert 0.02 <= len(credits) / len(invoices) <= 0.04
    assert 0.01 <= credits.net_amount.sum() / invoices.net_amount.sum() <= 0.05
    rate = (credits.groupby("customer_id").size() / invoices.groupby("customer_id").size()).fillna(0)
    busy = invoices.groupby("customer_id").size() >= 20
    assert (rate[busy] > 0.08).sum() >= 2  # a few customers return far more than the usual 2-3 %
    # a credit note comes after the invoice and never returns more than was sold
    how = dict(qty=("quantity", "sum"), day=("invoice_date", "min"))
    sold = invoices.groupby(["order_id", "product_id"]).agg(**how)
    back = credits.groupby(["order_id", "product_id"]).agg(**how)
    joined = back.join(sold, suffixes=("", "_sold"))
    assert (joined.qty <= joined.qty_sold).all()
    assert (joined.day > joined.day_sold).all()


def test_payments_mostly_on_time_with_late_payers_partials_and_open_receivables(f):
    lines = f["invoice_lines"]
    invoices = lines[lines.kind == "invoice"].groupby("invoice_id").agg(
        total=("net_amount", "sum"), due=("due_date", "first"), issued=("invoice_date", "first"),
        customer=("customer_id", "first"))
    payments = f["payments"].join(invoices, on="invoice_id")
    assert (payments.amount > 0).all()
    assert (payments.paid_date > payments.issued).all()
    paid = payments.groupby("invoice_id").amount.sum()
    assert (paid <= invoices.total.reindex(paid.index) + 0.005).all()
    late = (payments.paid_date - payments.due).dt.days
    assert (late <= 0).mean() >= 0.6
    late_payers = late.groupby(payments.customer).median()
    assert (late_payers.between(30, 120)).sum() >= 5
    partial = paid < invoices.total.reindex(paid.index) - 0.005
    assert partial.sum() >= 1
    open_amount = invoices.total.sum() - paid.sum()
    assert open_amount > 0
    recent = invoices[invoices.issued > AS_OF_TS - pd.Timedelta(days=20)]
    assert not recent.index.isin(paid.index).all()  # recent invoices are still open


def test_costs_to_serve(f):
    costs = f["costs_to_serve"]
    assert set(costs.category) == set(schema.COST_CATEGORIES)
    assert (costs.amount > 0).all()
    assert costs.customer_id.nunique() >= 0.8 * len(f["customers"])


def test_opportunities_stages_dates_values_and_rep_win_rates(f):
    deals = f["opportunities"]
    assert set(deals.stage) == set(schema.OPPORTUNITY_STAGES)
    closed = deals.stage.isin(["won", "lost"])
    assert deals[closed].close_date.notna().all() and deals[~closed].close_date.isna().all()
    assert deals[closed].engage_date.notna().all()
    assert (deals[closed].close_date >= deals[closed].engage_date).all()
    assert deals[deals.stage == "engaging"].engage_date.notna().all()
    assert deals[deals.stage == "prospecting"].engage_date.isna().any()
    assert (deals[deals.stage == "won"].close_value > 0).all()
    assert deals[deals.stage != "won"].close_value.isna().all()  # the documented choice
    assert deals.campaign_id.notna().any() and deals.customer_id.isna().any()
    win = (deals[closed].stage == "won").groupby(deals[closed].rep_id).agg(["mean", "size"])
    win = win[win["size"] >= 15]["mean"]
    assert win.max() - win.min() >= 0.15  # reps convert differently
    lines = f["invoice_lines"]
    won = deals[deals.stage == "won"].close_value.sum()
    assert 0.05 <= won / lines[lines.kind == "invoice"].net_amount.sum() <= 2


def test_rep_styles_differ_in_discounting(f):
    lines = f["invoice_lines"]
    invoices = lines[lines.kind == "invoice"]
    customers = f["customers"].set_index("customer_id")
    # leave out the planted deal hunters, whose discounts follow the customer, not the rep
    heavy_customer = (invoices.discount_amount.groupby(invoices.customer_id).sum()
                      / (invoices.quantity * invoices.unit_price).groupby(invoices.customer_id).sum()) > 0.25
    normal = invoices[~invoices.customer_id.map(heavy_customer)]
    rate = (normal.discount_amount.groupby(normal.rep_id).sum()
            / (normal.quantity * normal.unit_price).groupby(normal.rep_id).sum())
    assert rate.max() >= 1.8 * rate.min()
    assert len(customers) == 300


def test_interactions_are_bounded(f):
    acts = f["interactions"]
    per_month = acts.groupby([acts.customer_id, acts.interaction_date.dt.to_period("M")]).size()
    assert per_month.max() <= 2
    assert set(acts.type) == set(schema.INTERACTION_TYPES)


def test_budget_covers_the_current_year_and_is_close_to_actuals(f):
    budget = f["budgets"]
    assert len(budget) == 12 * 2 * 5 * 5
    assert set(budget.period) == {pd.Timestamp(YEAR, m, 1) for m in range(1, 13)}
    cells = budget.groupby(["period", "measure", "region", "product_category"]).size()
    assert (cells == 1).all() and len(cells) == 600
    assert set(budget.product_category) == set(f["products"].category)
    lines = f["invoice_lines"]
    sign = np.where(lines.kind == "invoice", 1.0, -1.0)
    start, end = pd.Timestamp(YEAR, 1, 1), pd.Timestamp(YEAR, AS_OF.month, 1)
    in_ytd = (lines.invoice_date >= start) & (lines.invoice_date < end)
    actual = (lines.net_amount * sign)[in_ytd].sum()
    planned = budget[(budget.measure == "revenue") & (budget.period < end)].amount.sum()
    assert 0.85 <= actual / planned <= 1.15
    by_measure = budget.groupby("measure").amount.sum()
    assert 0.2 <= by_measure["gross_profit"] / by_measure["revenue"] <= 0.5


def test_campaigns_target_a_tier_and_attributed_sales_match(f):
    campaigns = f["campaigns"].set_index("campaign_id")
    assert 8 <= len(campaigns) <= 15
    assert set(campaigns.target_segment) <= {"Platinum", "Gold", "Silver", "Bronze"}
    assert (campaigns.end_date >= campaigns.start_date).all() and (campaigns.cost > 0).all()
    lines = f["invoice_lines"]
    tagged = lines[lines.campaign_id.notna() & (lines.kind == "invoice")]
    assert 0.01 <= len(tagged) / (lines.kind == "invoice").sum() <= 0.3
    tagged = tagged.merge(f["orders"][["order_id", "order_date"]], on="order_id")
    tier = tagged.customer_id.map(f["customers"].set_index("customer_id").tier)
    assert (tier == tagged.campaign_id.map(campaigns.target_segment)).all()
    assert (tagged.order_date >= tagged.campaign_id.map(campaigns.start_date)).all()
    assert (tagged.order_date <= tagged.campaign_id.map(campaigns.end_date)).all()


def test_nps_falls_with_returns_and_late_deliveries(f):
    nps = f["nps_responses"]
    assert nps.comment.notna().any() and nps.comment.isna().any()
    lines = f["invoice_lines"]
    return_share = ((lines.kind == "credit_note").groupby(lines.customer_id).sum()
                    / (lines.kind == "invoice").groupby(lines.customer_id).sum())
    orders = f["orders"]
    delivered = orders[orders.status == "delivered"]
    late_share = (delivered.delivered_date > delivered.promised_date).groupby(delivered.customer_id).mean()
    bad = (nps.customer_id.map(return_share) > 0.08) | (nps.customer_id.map(late_share) > 0.3)
    assert bad.sum() >= 5
    assert nps[bad].score.mean() <= nps[~bad].score.mean() - 1


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------


def test_default_size_is_a_mid_sized_company():
    lines = build(as_of=AS_OF)["invoice_lines"].num_rows
    assert 100_000 <= lines <= 200_000


@pytest.mark.parametrize("target", [50_000])
def test_lines_hits_its_target(target):
    lines = build(**{**SMALL, "lines": target})["invoice_lines"].num_rows
    assert abs(lines - target) <= 0.1 * target


def test_many_lines_raise_the_customer_count():
    from marginscope.demo.generator import plan_customers
    from marginscope.demo.timeline import Timeline

    timeline = Timeline.create(AS_OF, 3)
    assert 35_000 <= plan_customers(1500, 10_000_000, timeline) <= 45_000
    assert plan_customers(300, 50_000, timeline) == 300
