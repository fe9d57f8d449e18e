"""The figures of each dashboard page, three ways: marginscope's engine, hand SQL, pandas.

A page's figures are what its metric queries answer (the KPIs, tables and chart series;
not the Plotly figures). :data:`PAGES` maps a page to a function computing its figures
from a *baseline* (:class:`hand_sql.HandSQL` or :class:`hand_pandas.HandPandas`), which
answers the heavy building blocks (sums over lines, ranks, spells); the few derived
figures (shares, ABC classes, quadrants, movers) are computed here from those blocks,
the same way for both baselines. :data:`ENGINE` computes the same figures through the
:class:`marginscope.metrics.engine.Metrics` calls each page makes.

Figures left out, because neither baseline can reproduce them by a query: fitted models
(the forecast and full-year outlook, churn risk and lifetime value on the Overview,
Budget, Customers and Segments pages) and NPS (Segments).

:func:`compare` checks that two answers agree: the same rows, money to the cent
(under half a cent apart), counts exactly, ratios to 1e-9, labels exactly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

LINE_DIMENSIONS = ("customer_id", "region", "industry", "tier", "product_id", "category", "rep_id")
BUDGET_DIMENSIONS = ("region", "product_category", "rep_id", "customer_tier")
BUDGET_LINE_COLUMNS = {"region": "region", "product_category": "category", "rep_id": "rep_id",
                       "customer_tier": "tier"}
BUDGET_COLUMNS = ["period", "measure", "budget", "actual", "future"]
RETENTION_SEGMENTS = ("tier", "region", "owner_rep_id")  # the Customers page's tables
PROFIT_SHARE, TOP_SHARE = 0.70, 0.20  # the Profitability page's concentration
INSIGHT_PROFIT_SHARE = 0.80  # the insights' (Thresholds.profit_share)
MOVER_SHARE = 0.02
CHURN_WINDOW_DAYS = 365
RFM_WINDOW_MONTHS = 18
QUADRANTS = {(True, True): "Star performers", (True, False): "Efficient closers",
             (False, True): "Big-game hunters", (False, False): "Needs support"}


@dataclass(frozen=True)
class Selection:
    """A filter state: a date range and the regions picked (none: every region), read as of ``as_of``."""

    start: dt.date
    end: dt.date
    regions: tuple[str, ...] = ()
    as_of: dt.date = dt.date(2026, 11, 23)
    label: str = field(default="", compare=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def range(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period of equal length just before."""
        return self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1)

    @property
    def year_before(self) -> tuple[dt.date, dt.date]:
        return self.start - relativedelta(years=1), self.end - relativedelta(years=1)

    @property
    def three_years(self) -> tuple[dt.date, dt.date]:
        """The Overview's trend: this year and the two before, to the end of the range."""
        return dt.date(self.end.year - 2, 1, 1), self.end

    @property
    def calendar_year(self) -> tuple[dt.date, dt.date]:
        return dt.date(self.end.year, 1, 1), dt.date(self.end.year, 12, 31)

    @property
    def months(self) -> list[dt.date]:
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first += relativedelta(months=1)
        return months

    def filters(self):
        from marginscope.metrics import Filters

        return Filters(start=self.start, end=self.end, regions=set(self.regions))



BASELINE_BASIS = "previous"
"""The comparison basis the baselines compute (the previous period of equal length): the engine is asked
for the same, whatever basis the pages default to (the same period last year), so the answers stay
comparable and the baselines unchanged; both bases cost the same queries."""

def rfm_window(as_of: dt.date) -> dt.date:
    return as_of - relativedelta(months=RFM_WINDOW_MONTHS) + dt.timedelta(days=1)


# Derived figures, shared by the two baselines ------------------------------------------------------------

def with_profit(table: pd.DataFrame) -> pd.DataFrame:
    money = ["gross_sales", "discount", "returns", "revenue", "cogs", "cost_to_serve"]
    table = table.astype({c: "float64" for c in money if c in table})
    return table.assign(gross_profit=table.revenue - table.cogs,
                        contribution_margin=table.revenue - table.cogs - table.cost_to_serve)


SUMMARY = ["gross_sales", "discount", "returns", "revenue", "cogs", "gross_profit", "cost_to_serve",
           "contribution_margin", "orders", "active_customers"]
BY = ["revenue", "gross_profit", "cost_to_serve", "contribution_margin", "orders", "active_customers"]
TOP = ["revenue", "gross_profit"]


def ranked(table: pd.DataFrame, key: str, n: int | None = None) -> pd.DataFrame:
    """By revenue descending, ties by key (the order of the top lists)."""
    table = table.sort_values(["revenue", key], ascending=[False, True], kind="stable").reset_index(drop=True)
    return table if n is None else table.head(n)


def to_date(months: pd.DataFrame) -> pd.DataFrame:
    elapsed = months[~months.future.astype(bool)]
    totals = elapsed.groupby("measure")[["budget", "actual"]].sum(min_count=1)
    return totals.reindex(["revenue", "gross_profit"]).rename_axis("measure").reset_index()


def by_budget_dimension(months: pd.DataFrame, dimension: str) -> pd.DataFrame:
    elapsed = months[~months.future.astype(bool)]
    return elapsed.groupby([dimension, "measure"], dropna=False)[["budget", "actual"]].sum(min_count=1).reset_index()


def customer_margins(base, s: Selection) -> pd.DataFrame:
    """The Profitability page's customer table: margins and the driver of a negative margin."""
    table = with_profit(base.by(s, "customer_id", s.start, s.end))
    table = base.customers(s)[["customer_id", "name"]].merge(table, on="customer_id")
    table = table.assign(**{c: table[c].round(2) for c in ("discount", "cost_to_serve", "returns", "gross_profit",
                                                            "contribution_margin", "revenue")})
    drivers = table[["discount", "cost_to_serve", "returns"]]
    negative = (table.contribution_margin < 0) & (drivers.sum(axis=1) > 0)
    table["main_driver"] = drivers.idxmax(axis=1).where(negative)
    return table.sort_values(["contribution_margin", "customer_id"], ascending=[False, True]).reset_index(drop=True)


def concentration(gross_profit: pd.Series, profit_share: float, top_share: float) -> pd.DataFrame:
    gp = np.sort(gross_profit.to_numpy(dtype="float64"))[::-1]
    total, n = gp.sum(), len(gp)
    share = top = None
    if n and total > 0:
        share = (np.argmax(np.cumsum(gp) >= profit_share * total - 1e-9) + 1) / n
        top = gp[:math.ceil(top_share * n - 1e-9)].sum() / total
    return pd.DataFrame([{"customers": n, "customer_share": share, "gp_share_of_top": top}])


def whale(table: pd.DataFrame) -> pd.DataFrame:
    cm = table.contribution_margin.to_numpy(dtype="float64")  # already ranked by CM descending
    total = cm.sum()
    return pd.DataFrame({"customer_id": table.customer_id, "customer_share": np.arange(1, len(cm) + 1) / len(cm),
                         "cumulative_cm_share": np.cumsum(cm) / total if total > 0 else np.nan})


def with_shares(table: pd.DataFrame) -> pd.DataFrame:
    for measure in ("contribution_margin", "gross_profit"):
        total = table[measure].sum()
        table[f"share_of_{measure}"] = table[measure] / total if total > 0 else np.nan
    return table


def segment_summary(base, s: Selection, scores: pd.DataFrame) -> pd.DataFrame:
    window = with_profit(base.by(s, "customer_id", rfm_window(s.end), s.end))
    table = scores[["customer_id", "segment"]].merge(window, on="customer_id", how="left")
    return table.groupby("segment").agg(customers=("customer_id", "size"), revenue=("revenue", "sum"),
                                        gross_profit=("gross_profit", "sum"),
                                        contribution_margin=("contribution_margin", "sum")).reset_index()


def migration(base, s: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    before_as_of = s.end - relativedelta(months=3)
    now = base.rfm(s, s.end, rfm_window(s.end))[["customer_id", "segment"]]
    before = base.rfm(s, before_as_of, rfm_window(before_as_of))[["customer_id", "segment"]]
    moves = before.merge(now, on="customer_id", how="outer", suffixes=("_before", "_now")).fillna("(none)")
    counts = moves.groupby(["segment_before", "segment_now"]).size().rename("customers").reset_index()
    slipping = moves[moves.segment_before.isin(["Champions", "Loyal"]) & (moves.segment_now == "At-Risk")]
    return counts, slipping


def pipeline_ratios(table: pd.DataFrame) -> pd.DataFrame:
    won, closed = table.won.astype("float64"), (table.won + table.lost).astype("float64")
    revenue = table.pipeline_revenue.astype("float64")
    return table.assign(pipeline_revenue=revenue, average_sale=revenue / won.where(won != 0),
                        conversion_rate=won / closed.where(closed != 0))


PIPELINE = ["won", "lost", "open", "new_opportunities", "pipeline_revenue", "average_sale", "conversion_rate",
            "days_to_close", "days_to_close_won"]


def movers(now: pd.DataFrame, before: pd.DataFrame, key: str, measure: str, n: int = 10) -> pd.DataFrame:
    table = now[[key, measure]].merge(before[[key, measure]], on=key, how="outer", suffixes=("", "_prior"))
    table = table.fillna({measure: 0.0, f"{measure}_prior": 0.0})
    table["change"] = table[measure].astype("float64") - table[f"{measure}_prior"].astype("float64")
    table = table[table.change != 0].assign(size=table.change.abs())
    return table.sort_values(["size", key], ascending=[False, True]).drop(columns="size").head(n)


def retention(base, s: Selection, segment: str) -> pd.DataFrame:
    table = base.retention(s, segment, s.previous)
    return table.assign(retention_rate=table.retained / table.prior_buyers)


def team(base, s: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reps, managers) of the Sales team page."""
    company = pipeline_ratios(base.pipeline(s, s.start, s.end)).iloc[0]
    sales = with_profit(base.by(s, "rep_id", s.start, s.end))[["rep_id", "revenue", "gross_profit",
                                                                "contribution_margin"]]
    crm = pipeline_ratios(base.pipeline(s, s.start, s.end, "rep_id"))
    kept = retention(base, s, "owner_rep_id").rename(columns={"owner_rep_id": "rep_id"})
    reps = base.roster(s).merge(sales, on="rep_id", how="left").merge(crm, on="rep_id", how="left") \
        .merge(kept[["rep_id", "prior_buyers", "retained", "retention_rate"]], on="rep_id", how="left")
    reps = with_quadrant(reps, company)
    sums = reps.groupby("manager", dropna=False)[["customers_owned", "revenue", "gross_profit",
                                                  "contribution_margin"]].sum(min_count=1)
    sums["reps"] = reps.groupby("manager", dropna=False).size()
    pooled = kept.merge(reps[["rep_id", "manager"]], on="rep_id").groupby("manager", dropna=False)[
        ["prior_buyers", "retained"]].sum()
    sums["retention_rate"] = pooled.retained / pooled.prior_buyers
    crm = pipeline_ratios(base.pipeline(s, s.start, s.end, "manager")).set_index("manager")
    managers = with_quadrant(sums.join(crm, how="left").reset_index(), company)
    return reps, managers


def with_quadrant(table: pd.DataFrame, company: pd.Series) -> pd.DataFrame:
    placed = table.conversion_rate.notna() & table.average_sale.notna()
    table["quadrant"] = [QUADRANTS[(c >= company.conversion_rate, a >= company.average_sale)] if ok else None
                         for c, a, ok in zip(table.conversion_rate, table.average_sale, placed)]
    return table


def product_performance(base, s: Selection) -> pd.DataFrame:
    now = with_profit(base.by(s, "product_id", s.start, s.end))
    before = base.by(s, "product_id", *s.previous)[["product_id", "revenue"]].rename(
        columns={"revenue": "prior_revenue"})
    table = ranked(base.products(s)[["product_id", "name"]].merge(now, on="product_id"), "product_id")
    table = table.merge(before, on="product_id", how="left")
    prior = table.prior_revenue.astype("float64")
    table["growth"] = (table.revenue - prior) / prior.abs().where(prior != 0)
    positive = table.revenue.clip(lower=0)
    total = positive.sum()
    table["cumulative_share"] = positive.cumsum() / total
    above = table.cumulative_share - positive / total
    table["abc_class"] = np.where(positive <= 0, "C", np.where(above < 0.8 - 1e-12, "A",
                                                               np.where(above < 0.95 - 1e-12, "B", "C")))
    return table


def tier_multiples(base, s: Selection) -> pd.DataFrame:
    tiers = base.by(s, "tier", s.start, s.end)
    tiers = tiers[tiers.active_customers > 0]
    stats = pd.DataFrame({"tier": tiers.tier, "orders": tiers.orders / tiers.active_customers,
                          "revenue": tiers.revenue.astype("float64") / tiers.active_customers})
    pairs = stats.merge(stats, how="cross", suffixes=("", "_versus"))
    pairs = pairs[pairs.tier != pairs.tier_versus]
    return pd.DataFrame({"tier": pairs.tier, "versus": pairs.tier_versus,
                         "orders_multiple": pairs.orders / pairs.orders_versus,
                         "revenue_multiple": pairs.revenue / pairs.revenue_versus})


# The pages ---------------------------------------------------------------------------------------------

def overview(base, s: Selection) -> dict[str, pd.DataFrame]:
    by_customer = with_profit(base.by(s, "customer_id", s.start, s.end))
    by_product = with_profit(base.by(s, "product_id", s.start, s.end))
    trend = with_profit(base.trend(s, *s.three_years))
    return {
        "summary": with_profit(base.summary(s, s.start, s.end))[SUMMARY],
        "summary a year before": with_profit(base.summary(s, *s.year_before))[SUMMARY],
        "trend by month": trend[["period", "revenue", "gross_profit", "contribution_margin"]],
        "by region": with_profit(base.by(s, "region", s.start, s.end))[["region", *BY]],
        "top customers": ranked(by_customer, "customer_id", 10)[["customer_id", "revenue", "gross_profit"]],
        "top products": ranked(by_product, "product_id", 10)[["product_id", "revenue", "gross_profit"]],
        "budget to date": to_date(base.budget_months(s, s.start, s.end, None)),
        "budget this year": base.budget_months(s, *s.calendar_year, None),
    }


def budget(base, s: Selection) -> dict[str, pd.DataFrame]:
    months = base.budget_months(s, s.start, s.end, None)
    figures = {"budget to date": to_date(months), "budget by month": months}
    for dimension in BUDGET_DIMENSIONS:
        figures[f"budget by {dimension}"] = by_budget_dimension(base.budget_months(s, s.start, s.end, dimension),
                                                                dimension)
    return figures


def segments(base, s: Selection) -> dict[str, pd.DataFrame]:
    scores = base.rfm(s, s.end, rfm_window(s.end))
    moves, _ = migration(base, s)
    return {"rfm scores": scores[["customer_id", "recency", "frequency", "monetary", "r_score", "f_score",
                                  "m_score", "segment"]],
            "segments": segment_summary(base, s, scores),
            "rf matrix": scores.groupby(["r_score", "f_score"]).agg(customers=("customer_id", "size"),
                                                                    monetary=("monetary", "sum")).reset_index(),
            "migration": moves}


def profitability(base, s: Selection) -> dict[str, pd.DataFrame]:
    table = customer_margins(base, s)
    losers = table[table.contribution_margin < 0]
    figures = {
        "customers": table[["customer_id", "revenue", "discount", "returns", "gross_profit", "cost_to_serve",
                            "contribution_margin", "main_driver"]],
        "concentration": concentration(table.gross_profit, PROFIT_SHARE, TOP_SHARE),
        "negative margin": pd.DataFrame([{"customers": len(losers), "total": losers.contribution_margin.sum()}]),
        "whale curve": whale(table),
    }
    for dimension in ("tier", "region", "industry"):
        by = with_shares(with_profit(base.by(s, dimension, s.start, s.end)))
        figures[f"contribution by {dimension}"] = by[[dimension, "contribution_margin", "gross_profit",
                                                      "share_of_contribution_margin", "share_of_gross_profit"]]
    return figures


def customers(base, s: Selection) -> dict[str, pd.DataFrame]:
    figures = {"status by month": base.status(s, s.months, CHURN_WINDOW_DAYS)}
    for segment in RETENTION_SEGMENTS:
        figures[f"retention by {segment}"] = retention(base, s, segment)
    return figures


TEAM_COLUMNS = ["revenue", "gross_profit", "contribution_margin", "customers_owned", "won", "lost",
                "pipeline_revenue", "conversion_rate", "average_sale", "retention_rate", "quadrant"]


def sales_team(base, s: Selection) -> dict[str, pd.DataFrame]:
    reps, managers = team(base, s)
    return {"reps": reps[["rep_id", *TEAM_COLUMNS]], "managers": managers[["manager", "reps", *TEAM_COLUMNS]]}


def pipeline(base, s: Selection) -> dict[str, pd.DataFrame]:
    figures = {"summary": pipeline_ratios(base.pipeline(s, s.start, s.end))[PIPELINE],
               "summary before": pipeline_ratios(base.pipeline(s, *s.previous))[PIPELINE],
               "by month": pipeline_ratios(base.pipeline(s, s.start, s.end, grain="month"))[
                   ["period", *[c for c in PIPELINE if c != "open"]]]}
    for dimension in ("rep_id", "product_id", "industry"):
        now = pipeline_ratios(base.pipeline(s, s.start, s.end, dimension))
        before = pipeline_ratios(base.pipeline(s, *s.previous, dimension))
        figures[f"movers by {dimension}"] = movers(now, before, dimension, "pipeline_revenue")
    return figures


def products(base, s: Selection) -> dict[str, pd.DataFrame]:
    table = product_performance(base, s)
    return {"performance": table[["product_id", "revenue", "gross_profit", "contribution_margin", "prior_revenue",
                                  "growth", "cumulative_share", "abc_class"]],
            "demand by month": base.demand(s, s.start, s.end)}


CAMPAIGN = ["target_customers", "attributed_revenue", "attributed_gross_profit", "attributed_orders", "won_deals",
            "won_value", "customers_reached", "target_revenue", "baseline_revenue", "incremental_gross_profit",
            "cost_in_selection", "roi"]


def campaigns(base, s: Selection) -> dict[str, pd.DataFrame]:
    table = base.campaigns(s)
    money = ["cost", "attributed_revenue", "attributed_gross_profit", "won_value", "target_revenue",
             "baseline_revenue", "target_gross_profit", "baseline_gross_profit"]
    table = table.astype(dict.fromkeys(money, "float64"))
    table["incremental_gross_profit"] = table.target_gross_profit - table.baseline_gross_profit
    # Under a customer filter the campaign's cost is split by its target customers in the selection.
    share = table.target_customers / table.all_target_customers
    # Money is carried at 4 decimals inside a computation (decimal(18, 4)), shown at 2.
    spend = (table.cost * share).round(4) if s.regions else table.cost
    table["cost_in_selection"] = spend.round(2)
    table["roi"] = (table.incremental_gross_profit - spend) / spend.where(spend != 0)
    return {"campaigns": table[["campaign_id", *CAMPAIGN]]}


def insights(base, s: Selection) -> dict[str, pd.DataFrame]:
    """The numbers of the findings, under the default thresholds (not their wording, nor the full-year
    outlook: a fitted forecast). Each finding only when its condition holds, as in marginscope/insights.py."""
    rows = []
    prior = Selection(*s.previous, s.regions, s.as_of)
    for dimension in ("industry", "customer_id", "product_id", "rep_id", "manager"):
        if dimension == "manager":
            now, before = team(base, s)[1], team(base, prior)[1]
        else:
            now, before = base.by(s, dimension, s.start, s.end), base.by(s, dimension, *prior.range)
        now, before = now.astype({"revenue": "float64"}), before.astype({"revenue": "float64"})
        moved = movers(now, before, dimension, "revenue", n=1)
        moved = moved[moved.change.abs() >= MOVER_SHARE * max(now.revenue.sum(), before.revenue.sum()) - 1e-9]
        for row in moved.itertuples():
            rows.append({"finding": f"mover_{dimension}", "id": str(getattr(row, dimension)),
                         "revenue": row.revenue, "prior_revenue": row.revenue_prior})
    table = customer_margins(base, s)
    found = concentration(table.gross_profit, INSIGHT_PROFIT_SHARE, TOP_SHARE).iloc[0]
    share = found.customer_share
    if share is not None and not pd.isna(share) and found.customers >= 5 and share <= 0.30 + 1e-12:
        rows.append({"finding": "concentration", "id": "", "share": share, "top": found.gp_share_of_top})
    losers = table[table.contribution_margin < 0]
    if len(losers):
        rows.append({"finding": "negative_margin", "id": "", "count": len(losers),
                     "total": losers.contribution_margin.sum(),
                     **{f"by_{d}": int((losers.main_driver == d).sum()) for d in ("discount", "cost_to_serve",
                                                                                  "returns")}})
    pairs = tier_multiples(base, s).dropna(subset=["revenue_multiple"])
    if len(pairs):
        best = pairs.sort_values(["revenue_multiple", "tier", "versus"], ascending=[False, True, True]).iloc[0]
        if best.revenue_multiple >= 1.5 - 1e-12:
            rows.append({"finding": "tier_multiple", "id": f"{best.tier}/{best.versus}",
                         "share": best.revenue_multiple, "top": best.orders_multiple})
    reps = team(base, s)[0]
    placed = reps[reps.quadrant.notna()]
    if len(placed) >= 2:
        for name, members in placed.groupby("quadrant"):
            rows.append({"finding": "rep_quadrant", "id": name, "count": len(members)})
    performance = product_performance(base, s)
    sold = performance[performance.revenue > 0]
    a = sold[sold.abc_class == "A"]
    if len(sold) >= 3:
        rows.append({"finding": "abc_products", "id": "", "count": len(a), "share": a.cumulative_share.iloc[-1],
                     "revenue": a.revenue.sum(), "falling": int((a.growth < -0.10 - 1e-12).sum())})
    planned = to_date(base.budget_months(s, s.start, s.end, None)).set_index("measure").loc["revenue"]
    if not pd.isna(planned.budget) and planned.budget > 0:
        rows.append({"finding": "budget", "id": "", "revenue": planned.actual, "prior_revenue": planned.budget})
    moves, slipping = migration(base, s)
    if len(slipping):
        rows.append({"finding": "slipping", "id": "", "count": len(slipping),
                     "total": moves.loc[moves.segment_before.isin(["Champions", "Loyal"]), "customers"].sum()})
    return {"findings": pd.DataFrame(rows, columns=FINDING_COLUMNS)}


FINDING_COLUMNS = ["finding", "id", "revenue", "prior_revenue", "share", "top", "count", "total", "by_discount",
                   "by_cost_to_serve", "by_returns", "falling"]


PAGES = {"overview": overview, "budget": budget, "segments": segments, "profitability": profitability,
         "customers": customers, "team": sales_team, "pipeline": pipeline, "products": products,
         "campaigns": campaigns, "insights": insights}
KEYS = {"trend by month": ["period"], "by region": ["region"], "budget this year": ["period", "measure"],
        "budget by month": ["period", "measure"], "budget to date": ["measure"],
        **{f"budget by {d}": [d, "measure"] for d in BUDGET_DIMENSIONS},
        "rfm scores": ["customer_id"], "segments": ["segment"], "rf matrix": ["r_score", "f_score"],
        "migration": ["segment_before", "segment_now"], "customers": ["customer_id"], "whale curve": None,
        **{f"contribution by {d}": [d] for d in ("tier", "region", "industry")},
        "status by month": ["period"], **{f"retention by {d}": [d] for d in RETENTION_SEGMENTS},
        "reps": ["rep_id"], "managers": ["manager"], "by month": ["period"],
        "performance": None, "demand by month": ["product_id", "period"], "campaigns": ["campaign_id"],
        "findings": ["finding", "id"]}
"""Rows are matched by these columns; ``None`` or absent: the order is part of the answer."""


# The engine ------------------------------------------------------------------------------------------------

def _money(frame: pd.DataFrame, columns) -> pd.DataFrame:
    return frame.astype({c: "float64" for c in columns if c in frame})


def engine_overview(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    yoy = m.sales.compare("yoy", f)
    summary = _money(m.sales.summary(f), SUMMARY)
    before = summary.copy()
    for measure in SUMMARY:
        before[measure] = yoy.set_index("measure").loc[measure, "prior"]
    span = f.with_range(*s.three_years)
    year = f.with_range(*s.calendar_year)
    trend = _money(m.sales.trend("month", span), ["revenue", "gross_profit", "contribution_margin"])
    trend["period"] = pd.to_datetime(trend.period).dt.date
    return {
        "summary": summary[SUMMARY], "summary a year before": before[SUMMARY],
        "trend by month": trend[["period", "revenue", "gross_profit", "contribution_margin"]],
        "by region": _money(m.sales.by("region", f), BY)[["region", *BY]],
        "top customers": _money(m.sales.top("customer_id", 10, f), TOP)[["customer_id", *TOP]],
        "top products": _money(m.sales.top("product_id", 10, f), TOP)[["product_id", *TOP]],
        "budget to date": m.budget.to_date(f, as_of=s.as_of)[["measure", "budget", "actual"]],
        "budget this year": m.budget.by_month(year, as_of=s.as_of)[BUDGET_COLUMNS],
    }


def engine_budget(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    figures = {"budget to date": m.budget.to_date(f, as_of=s.as_of)[["measure", "budget", "actual"]],
               "budget by month": m.budget.by_month(f, as_of=s.as_of)[BUDGET_COLUMNS]}
    for dimension in BUDGET_DIMENSIONS:
        figures[f"budget by {dimension}"] = m.budget.by_dimension(dimension, f, as_of=s.as_of)[
            [dimension, "measure", "budget", "actual"]]
    return figures


def engine_segments(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    scores = m.rfm.scores(f)
    moves, _ = m.rfm.migration(f)
    return {"rfm scores": scores[["customer_id", "recency", "frequency", "monetary", "r_score", "f_score",
                                  "m_score", "segment"]],
            "segments": m.rfm.segments(f)[["segment", "customers", "revenue", "gross_profit", "contribution_margin"]],
            "rf matrix": m.rfm.matrix(f), "migration": moves}


def engine_profitability(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    table = _money(m.profitability.customers(f), SUMMARY)
    found = m.profitability.concentration(f)
    _, loss = m.profitability.negative_margin(f)
    figures = {
        "customers": table[["customer_id", "revenue", "discount", "returns", "gross_profit", "cost_to_serve",
                            "contribution_margin", "main_driver"]],
        "concentration": pd.DataFrame([{"customers": found["customers"],
                                        "customer_share": found["customer_share_for_profit_share"],
                                        "gp_share_of_top": found["gp_share_of_top"]}]),
        "negative margin": pd.DataFrame([{"customers": loss["customers"], "total": loss["total"]}]),
        "whale curve": m.profitability.whale_curve(f)[["customer_id", "customer_share", "cumulative_cm_share"]],
    }
    for dimension in ("tier", "region", "industry"):
        by = _money(m.profitability.contribution_by(dimension, f), BY)
        figures[f"contribution by {dimension}"] = by[[dimension, "contribution_margin", "gross_profit",
                                                      "share_of_contribution_margin", "share_of_gross_profit"]]
    return figures


def engine_customers(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    status = m.customers.status("month", f)
    status["period"] = pd.to_datetime(status.period).dt.date
    m.customers.status_lists("month", f)  # the page lists the customers behind the counts
    figures = {"status by month": status[["period", "buying", "new", "returning", "reactivated", "churned",
                                          "active_at_start", "repeat_buyers"]]}
    for segment in RETENTION_SEGMENTS:
        figures[f"retention by {segment}"] = m.customers.retention(segment, f)
    return figures


def engine_team(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    reps, managers = _money(m.team.reps(f), BY), _money(m.team.managers(f), BY)
    m.pipeline.summary(f)
    return {"reps": _money(reps, ["pipeline_revenue"])[["rep_id", *TEAM_COLUMNS]],
            "managers": _money(managers, ["pipeline_revenue"])[["manager", "reps", *TEAM_COLUMNS]]}


def engine_pipeline(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    before = m.pipeline.compare("previous", f).set_index("measure")
    summary = _money(m.pipeline.summary(f), ["pipeline_revenue"])[PIPELINE]
    prior = summary.copy()
    for measure in PIPELINE:
        prior[measure] = before.loc[measure, "prior"] if measure in before.index else np.nan
    prior["open"] = summary.open  # open deals are a snapshot: the comparison leaves them out
    trend = _money(m.pipeline.summary(f, grain="month"), ["pipeline_revenue"])
    trend["period"] = pd.to_datetime(trend.period).dt.date
    figures = {"summary": summary, "summary before": prior,
               "by month": trend[["period", *[c for c in PIPELINE if c != "open"]]]}
    for dimension in ("rep_id", "product_id", "industry"):
        figures[f"movers by {dimension}"] = m.pipeline.movers(dimension, f, basis=BASELINE_BASIS)[
            [dimension, "pipeline_revenue", "pipeline_revenue_prior", "change"]]
    return figures


def engine_products(m, s: Selection) -> dict[str, pd.DataFrame]:
    f = s.filters()
    table = _money(m.products.performance(f, basis=BASELINE_BASIS), [*BY, "prior_revenue"])
    demand = _money(m.products.demand_trend("month", f), ["units", "revenue"])
    demand["period"] = pd.to_datetime(demand.period).dt.date
    return {"performance": table[["product_id", "revenue", "gross_profit", "contribution_margin", "prior_revenue",
                                  "growth", "cumulative_share", "abc_class"]],
            "demand by month": demand[["product_id", "period", "units", "revenue"]]}


def engine_campaigns(m, s: Selection) -> dict[str, pd.DataFrame]:
    table = m.campaigns.summary(s.filters())
    return {"campaigns": _money(table, CAMPAIGN)[["campaign_id", *CAMPAIGN]]}


def engine_insights(m, s: Selection) -> dict[str, pd.DataFrame]:
    rows = []
    for finding in m.insights.findings(s.filters(), as_of=s.as_of, comparison=BASELINE_BASIS):
        n = finding.numbers
        kind = finding.kind
        if kind.startswith("mover_"):
            dimension = {"industry": "industry", "customer": "customer_id", "product": "product_id",
                         "rep": "rep_id", "manager": "manager"}[kind.removeprefix("mover_")]
            rows.append({"finding": f"mover_{dimension}", "id": str(n["id"]), "revenue": n["revenue"],
                         "prior_revenue": n["prior_revenue"]})
        elif kind == "concentration":
            rows.append({"finding": kind, "id": "", "share": n["customer_share"], "top": n["gp_share_of_top"]})
        elif kind == "negative_margin":
            rows.append({"finding": kind, "id": "", "count": n["customers"], "total": n["contribution_margin"],
                         **{f"by_{d}": n[f"by_{d}"] for d in ("discount", "cost_to_serve", "returns")}})
        elif kind == "tier_multiple":
            rows.append({"finding": kind, "id": f"{n['tier']}/{n['versus']}", "share": n["revenue_multiple"],
                         "top": n["orders_multiple"]})
        elif kind == "rep_quadrant":
            rows.append({"finding": kind, "id": n["quadrant"], "count": n["reps"]})
        elif kind == "abc_products":
            rows.append({"finding": kind, "id": "", "count": n["a_products"], "share": n["a_revenue_share"],
                         "revenue": n["a_revenue"], "falling": n["falling"]})
        elif kind == "budget":
            rows.append({"finding": kind, "id": "", "revenue": n["actual_to_date"],
                         "prior_revenue": n["budget_to_date"]})
        elif kind == "slipping":
            rows.append({"finding": kind, "id": "", "count": n["customers"], "total": n["were_champions_or_loyal"]})
    return {"findings": pd.DataFrame(rows, columns=FINDING_COLUMNS)}


ENGINE = {"overview": engine_overview, "budget": engine_budget, "segments": engine_segments,
          "profitability": engine_profitability, "customers": engine_customers, "team": engine_team,
          "pipeline": engine_pipeline, "products": engine_products, "campaigns": engine_campaigns,
          "insights": engine_insights}


# Agreement -------------------------------------------------------------------------------------------------

class Disagreement(AssertionError):
    pass


MONEY = {"gross_sales", "discount", "returns", "revenue", "cogs", "gross_profit", "cost_to_serve",
         "contribution_margin", "budget", "actual", "monetary", "pipeline_revenue", "pipeline_revenue_prior",
         "change", "prior_revenue", "attributed_revenue", "attributed_gross_profit", "won_value", "target_revenue",
         "baseline_revenue", "incremental_gross_profit", "cost_in_selection", "total"}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as float64, dates as dates, labels as objects (None for missing)."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            out[column] = values.astype("float64")
        elif values.map(lambda v: isinstance(v, (int, float, decimal.Decimal, np.number)) and not isinstance(v, bool),
                        na_action="ignore").all() and values.notna().any():
            out[column] = values.astype("float64")  # Decimals and Python numbers in an object column
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.date.astype(object)
        else:
            out[column] = values.astype(object).where(values.notna(), None)
    return pd.DataFrame(out, index=frame.index)


def compare(page: str, name: str, engine: pd.DataFrame, other: pd.DataFrame, baseline: str) -> None:
    """Raise :class:`Disagreement` unless ``other`` answers what ``engine`` does (module docstring)."""
    where = f"{page} / {name}: engine and {baseline}"
    missing = [c for c in engine.columns if c not in other.columns]
    if missing:
        raise Disagreement(f"{where}: {baseline} lacks {missing}")
    engine, other = _plain(engine.reset_index(drop=True)), _plain(other[list(engine.columns)].reset_index(drop=True))
    keys = KEYS.get(name)
    if keys:
        engine = engine.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)
        other = other.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)
    if len(engine) != len(other):
        raise Disagreement(f"{where}: {len(engine)} rows against {len(other)}\n{engine.head(8)}\n{other.head(8)}")
    for column in engine.columns:
        a, b = engine[column], other[column]
        if a.dtype == "float64" and b.dtype == "float64":
            both_missing = a.isna() & b.isna()
            if column in MONEY:
                # The same amount to the cent: the engine rounds what it shows to cents, half up.
                same = np.abs(a - b) <= 0.005 + 1e-6
            else:
                same = np.isclose(a, b, rtol=1e-9, atol=1e-12)
            bad = ~(both_missing | same)
        else:
            bad = pd.Series([not (x == y or (x is None and y is None)) for x, y in zip(a, b)], index=a.index)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise Disagreement(f"{where} differ in {column!r} on {int(bad.sum())} of {len(a)} rows; first:\n"
                               f"engine:   {engine.iloc[row].to_dict()}\n{baseline}: {other.iloc[row].to_dict()}")
