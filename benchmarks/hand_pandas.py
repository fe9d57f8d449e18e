"""The pages' building blocks in straightforward pandas: the second baseline of ``pages.py``.

The warehouse's tables are read into DataFrames once (untimed, :meth:`HandPandas.read`):
money as float64, dates as datetime64, text as pandas strings. Every method then filters,
joins (by mapping customer and product attributes onto the lines) and aggregates them,
as an analyst would in a notebook. Same building blocks, same shapes as :mod:`hand_sql`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from figures import BUDGET_COLUMNS, BUDGET_LINE_COLUMNS, Selection

MONEY_COLUMNS = {"quantity", "unit_price", "discount_amount", "net_amount", "cogs", "amount", "close_value", "cost",
                 "acquisition_cost", "list_price", "standard_cost"}
TABLES = ("invoice_lines", "customers", "products", "reps", "costs_to_serve", "opportunities", "budgets",
          "campaigns")


def _day(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value)


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


class HandPandas:
    """The building blocks over DataFrames of the warehouse's tables."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.t = tables
        customers = tables["customers"].set_index("customer_id")
        self.attribute = {name: customers[name] for name in ("region", "industry", "tier", "customer_type")}
        self.category = tables["products"].set_index("product_id").category
        self.manager = tables["reps"].set_index("rep_id").manager

    @classmethod
    def read(cls, con) -> HandPandas:
        """Every table the pages read, from a DuckDB connection, money as float64."""
        tables = {}
        for name in TABLES:
            columns = [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]
            select = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" if c in MONEY_COLUMNS else c for c in columns)
            tables[name] = con.execute(f"SELECT {select} FROM {name}").to_arrow_table().to_pandas(date_as_object=False)
        for frame in tables.values():
            for column in frame.columns:
                if "date" in column or column == "period":
                    frame[column] = pd.to_datetime(frame[column])
        return cls(tables)

    # Lines ---------------------------------------------------------------------------------------------

    def _region_filter(self, frame: pd.DataFrame, s: Selection) -> pd.DataFrame:
        if not s.regions:
            return frame
        return frame[frame.customer_id.map(self.attribute["region"]).isin(s.regions)]

    def lines(self, s: Selection, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
        t = self.t["invoice_lines"]
        if start is not None or end is not None:
            mask = np.ones(len(t), dtype=bool)
            if start is not None:
                mask &= (t.invoice_date >= _day(start)).to_numpy()
            if end is not None:
                mask &= (t.invoice_date <= _day(end)).to_numpy()
            t = t[mask]
        t = self._region_filter(t, s)
        invoice = (t.kind == "invoice").to_numpy()
        sign = np.where(invoice, 1.0, -1.0)
        return t.assign(
            gross_sales=np.where(invoice, t.quantity * t.unit_price, 0.0),
            discount=np.where(invoice, t.discount_amount.fillna(0), 0.0),
            returns=np.where(invoice, 0.0, t.net_amount), revenue=t.net_amount * sign,
            cogs=t.cogs.fillna(0) * sign, units=t.quantity * sign,
            order_key=t.order_id.fillna(t.invoice_id).where(invoice))

    def _with(self, lines: pd.DataFrame, column: str) -> pd.DataFrame:
        """The lines with a customer or product attribute mapped on."""
        if column in lines:
            return lines
        if column == "category":
            return lines.assign(category=lines.product_id.map(self.category))
        return lines.assign(**{column: lines.customer_id.map(self.attribute[column])})

    def _costs(self, s: Selection, start: dt.date, end: dt.date) -> pd.Series:
        k = self.t["costs_to_serve"]
        k = self._region_filter(k[(k.cost_date >= _day(start)) & (k.cost_date <= _day(end))], s)
        return k.groupby("customer_id").amount.sum()

    # Sales ---------------------------------------------------------------------------------------------

    def summary(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        t = self.lines(s, start, end)
        per_customer = t.groupby("customer_id").revenue.sum()
        return pd.DataFrame([{
            "gross_sales": t.gross_sales.sum(), "discount": t.discount.sum(), "returns": t.returns.sum(),
            "revenue": t.revenue.sum(), "cogs": t.cogs.sum(), "orders": t.order_key.nunique(),
            "active_customers": int((per_customer > 0).sum()), "cost_to_serve": self._costs(s, start, end).sum()}])

    def by(self, s: Selection, dimension: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        t = self._with(self.lines(s, start, end), dimension)
        groups = t.groupby(dimension, dropna=False)
        totals = groups[["gross_sales", "discount", "returns", "revenue", "cogs"]].sum()
        totals["orders"] = groups.order_key.nunique()
        per_customer = t.groupby([dimension, "customer_id"], dropna=False).revenue.sum()
        totals["active_customers"] = (per_customer > 0).groupby(level=0, dropna=False).sum()
        costs = self._costs(s, start, end)
        if dimension in ("product_id", "category", "rep_id"):
            # A customer's cost to serve is split over its lines by their share of its revenue.
            parts = t.groupby(["customer_id", dimension], dropna=False).revenue.sum().rename("part").reset_index()
            parts["whole"] = parts.customer_id.map(t.groupby("customer_id").revenue.sum())
            parts["cost"] = parts.customer_id.map(costs)
            parts = parts[parts.cost.notna()]
            parts["cost"] = (parts.cost * parts.part / parts.whole.where(parts.whole != 0)).round(4)
            cost_by = parts.groupby(dimension, dropna=False).cost.sum()
        elif dimension == "customer_id":
            cost_by = costs[costs.index.isin(self.attribute["region"].index)]
        else:
            cost_by = costs.groupby(costs.index.map(self.attribute[dimension]), dropna=False).sum()
        table = totals.reset_index().merge(cost_by.rename("cost_to_serve").rename_axis(dimension).reset_index(),
                                           on=dimension, how="outer")
        sums = ("gross_sales", "discount", "returns", "revenue", "cogs", "orders", "active_customers", "cost_to_serve")
        return table.fillna(dict.fromkeys(sums, 0))

    def trend(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        t = self.lines(s, start, end)
        sales = t.groupby(t.invoice_date.dt.to_period("M"))[["revenue", "cogs"]].sum()
        k = self.t["costs_to_serve"]
        k = self._region_filter(k[(k.cost_date >= _day(start)) & (k.cost_date <= _day(end))], s)
        costs = k.groupby(k.cost_date.dt.to_period("M")).amount.sum().rename("cost_to_serve")
        table = sales.join(costs, how="outer").fillna(0).rename_axis("period").reset_index()
        table["period"] = table.period.dt.start_time.dt.date
        return table

    def demand(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        t = self.lines(s, start, end)
        table = t.groupby(["product_id", t.invoice_date.dt.to_period("M").rename("period")])[
            ["units", "revenue"]].sum().reset_index()
        table["period"] = table.period.dt.start_time.dt.date
        return table

    # Budget --------------------------------------------------------------------------------------------

    def budget_months(self, s: Selection, start: dt.date, end: dt.date, dimension: str | None) -> pd.DataFrame:
        as_of = s.as_of
        b = self.t["budgets"]
        b = b[(b.period >= _day(start.replace(day=1))) & (b.period <= _day(end))]
        if s.regions:
            b = b[b.region.isin(s.regions)]
        keys = ["period", "measure"] + ([dimension] if dimension else [])
        cells = b.groupby(keys, dropna=False).amount.sum().rename("budget").reset_index()
        t = self.lines(s, start, max(start, min(end, as_of)))
        line_keys = [t.invoice_date.dt.to_period("M").dt.start_time.rename("period")]
        if dimension:
            t = self._with(t, BUDGET_LINE_COLUMNS[dimension])
            line_keys.append(t[BUDGET_LINE_COLUMNS[dimension]].rename(dimension))
        wide = t.assign(gross_profit=t.revenue - t.cogs).groupby(line_keys, dropna=False)[
            ["revenue", "gross_profit"]].sum().reset_index()
        actuals = wide.melt(id_vars=[k for k in keys if k != "measure"], var_name="measure", value_name="actual")
        table = cells.merge(actuals, on=keys, how="outer")
        first = table.period.dt.date
        last = (table.period + pd.offsets.MonthEnd(0)).dt.date
        covered = [max((min(m_end, end, as_of) - max(m_start, start)).days + 1, 0)
                   for m_start, m_end in zip(first, last)]
        days = (table.period + pd.offsets.MonthEnd(0)).dt.day
        table["future"] = first > as_of
        table["budget"] = np.where(table.future, table.budget, table.budget * np.array(covered, dtype=float) / days)
        table["actual"] = table.actual.fillna(0.0).where(~table.future)
        table["period"] = first
        return table[BUDGET_COLUMNS + ([dimension] if dimension else [])]

    # RFM -----------------------------------------------------------------------------------------------

    def rfm(self, s: Selection, as_of: dt.date, window_start: dt.date) -> pd.DataFrame:
        t = self.lines(s, window_start, as_of)
        invoices = t[t.kind == "invoice"].groupby("customer_id").agg(last_purchase=("invoice_date", "max"),
                                                                     frequency=("order_key", "nunique"))
        table = invoices.join(t.groupby("customer_id").revenue.sum().rename("monetary"), how="inner")
        history = self._region_filter(self.t["invoice_lines"], s)
        history = history[(history.kind == "invoice") & (history.invoice_date <= _day(as_of))]
        first = history.groupby("customer_id").invoice_date.min()
        table["recency"] = (_day(as_of) - table.last_purchase).dt.days
        table["first_purchase_days"] = (_day(as_of) - table.index.map(first).to_series(index=table.index)).dt.days
        n = len(table)
        for score, values in (("r_score", -table.recency), ("f_score", table.frequency),
                              ("m_score", table.monetary)):
            table[score] = (np.floor(5 * (values.rank(method="min") - 1) / n) + 1).astype(int)
        r, f, m = table.r_score, table.f_score, table.m_score
        table["segment"] = np.select(
            [(r >= 4) & (f >= 4) & (m >= 4), (f >= 4) & (r >= 3), table.first_purchase_days <= 90,
             (r <= 2) & (f >= 3), (r <= 2) & (f <= 2) & (m >= 3), m <= 2],
            ["Champions", "Loyal", "New", "At-Risk", "Hibernating", "Low Value"], "Needs Attention")
        return table.reset_index()

    # Customers -----------------------------------------------------------------------------------------

    def _spells(self, s: Selection, window: int) -> pd.DataFrame:
        history = self._region_filter(self.t["invoice_lines"], s)
        days = history.loc[history.kind == "invoice", ["customer_id", "invoice_date"]].drop_duplicates() \
            .sort_values(["customer_id", "invoice_date"])
        by_customer = days.groupby("customer_id").invoice_date
        gap_before = (days.invoice_date - by_customer.shift(1)).dt.days
        gap_after = (by_customer.shift(-1) - days.invoice_date).dt.days
        starts = days[gap_before.isna() | (gap_before > window)]
        ends = days[gap_after.isna() | (gap_after > window)]
        return pd.DataFrame({"customer_id": starts.customer_id.to_numpy(), "started": starts.invoice_date.to_numpy(),
                             "churn_day": ends.invoice_date.to_numpy() + np.timedelta64(window + 1, "D")})

    def status(self, s: Selection, periods: list[dt.date], window: int) -> pd.DataFrame:
        spells = self._spells(s, window)
        last = (pd.Timestamp(periods[-1]) + pd.offsets.MonthEnd(0)).date()
        t = self.lines(s, periods[0], last)
        groups = t.groupby([t.invoice_date.dt.to_period("M").dt.start_time.rename("period"), "customer_id"])
        buyers = groups.agg(revenue=("revenue", "sum"), orders=("order_key", "nunique")).reset_index()
        buyers = buyers[buyers.revenue > 0]
        rows = []
        for period in periods:
            p, p_end = _day(period), _day(period) + pd.offsets.MonthEnd(0)
            earlier = spells[spells.started < p]
            active = set(earlier.customer_id[earlier.churn_day > p])
            before = set(earlier.customer_id)
            buying = buyers[buyers.period == p]
            returning = buying.customer_id.isin(active)
            reactivated = ~returning & buying.customer_id.isin(before)
            churned = spells[(spells.churn_day >= p) & (spells.churn_day <= p_end) & (spells.churn_day <= _day(s.end))]
            rows.append({"period": period, "buying": len(buying), "new": int((~returning & ~reactivated).sum()),
                         "returning": int(returning.sum()), "reactivated": int(reactivated.sum()),
                         "churned": len(churned), "active_at_start": len(active),
                         "repeat_buyers": int((buying.orders >= 2).sum())})
        return pd.DataFrame(rows)

    def retention(self, s: Selection, segment: str, prior: tuple[dt.date, dt.date]) -> pd.DataFrame:
        def buyers(start, end):
            per_customer = self.lines(s, start, end).groupby("customer_id").revenue.sum()
            return per_customer.index[per_customer > 0]

        before, now = buyers(*prior), buyers(s.start, s.end)
        c = self.t["customers"]
        c = c[c.customer_id.isin(before)].assign(retained=lambda x: x.customer_id.isin(now))
        return c.groupby(segment, dropna=False).agg(prior_buyers=("customer_id", "size"),
                                                    retained=("retained", "sum")).reset_index()

    # Team and pipeline ---------------------------------------------------------------------------------

    def roster(self, s: Selection) -> pd.DataFrame:
        owned = self.t["customers"].groupby("owner_rep_id").size()
        reps = self.t["reps"][["rep_id", "name", "manager"]].copy()
        reps["customers_owned"] = reps.rep_id.map(owned).fillna(0).astype(int)
        return reps

    def pipeline(self, s: Selection, start: dt.date, end: dt.date, dimension: str | None = None,
                 grain: str | None = None) -> pd.DataFrame:
        o = self._region_filter(self.t["opportunities"], s)
        if dimension in ("region", "industry", "tier"):
            o = o.assign(**{dimension: o.customer_id.map(self.attribute[dimension])})
        elif dimension == "manager":
            o = o.assign(manager=o.rep_id.map(self.manager))
        elif dimension == "category":
            o = o.assign(category=o.product_id.map(self.category))
        first, last = _day(start), _day(end)
        closed = o[o.stage.isin(["won", "lost"]) & (o.close_date >= first) & (o.close_date <= last)]
        new = o[(o.engage_date >= first) & (o.engage_date <= last)]
        if grain:
            closed_key = closed.close_date.dt.to_period("M").dt.start_time.rename("key")
            new_key = new.engage_date.dt.to_period("M").dt.start_time.rename("key")
        elif dimension:
            closed_key, new_key = closed[dimension].rename("key"), new[dimension].rename("key")
        else:
            closed_key = pd.Series("all", index=closed.index, name="key")
            new_key = pd.Series("all", index=new.index, name="key")
        won = closed.stage == "won"
        days = (closed.close_date - closed.engage_date).dt.days
        closed = closed.assign(won=won, lost=~won, won_value=closed.close_value.where(won),
                               days=days, days_won=days.where(won))
        totals = closed.groupby(closed_key, dropna=False).agg(
            won=("won", "sum"), lost=("lost", "sum"), pipeline_revenue=("won_value", "sum"),
            days_to_close=("days", "mean"), days_to_close_won=("days_won", "mean"))
        totals = totals.join(new.groupby(new_key, dropna=False).size().rename("new_opportunities"), how="outer")
        if not grain:
            open_deals = o[o.stage.isin(["prospecting", "engaging"])]
            key = open_deals[dimension] if dimension else pd.Series("all", index=open_deals.index)
            totals = totals.join(open_deals.groupby(key.rename("key"), dropna=False).size().rename("open"),
                                 how="outer")
        else:
            totals["open"] = np.nan
        if not grain and not dimension and totals.empty:
            totals = pd.DataFrame(index=pd.Index(["all"], name="key"), columns=totals.columns)
        table = totals.reset_index().fillna({"won": 0, "lost": 0, "pipeline_revenue": 0.0, "new_opportunities": 0,
                                             **({} if grain else {"open": 0})})
        if grain:
            table["key"] = table.key.dt.date
        return table.rename(columns={"key": "period" if grain else dimension or "key"})

    # Campaigns -----------------------------------------------------------------------------------------

    def campaigns(self, s: Selection) -> pd.DataFrame:
        c = self.t["campaigns"]
        shown = c[(c.end_date >= _day(s.start)) & (c.start_date <= _day(s.end))].copy()
        shown["days"] = (shown.end_date - shown.start_date).dt.days + 1
        shown["baseline_start"] = shown.start_date - pd.to_timedelta(shown.days, unit="D")
        customers = self.t["customers"]
        member_lists = []
        for campaign in shown.itertuples():
            wanted = str(campaign.target_segment).strip().lower() if isinstance(campaign.target_segment, str) else None
            ids = customers.customer_id
            for attribute in ("tier", "region", "industry", "customer_type"):
                matching = customers[customers[attribute].str.strip().str.lower() == wanted]
                if len(matching):
                    ids = matching.customer_id
                    break
            member_lists.append(pd.DataFrame({"campaign_id": campaign.campaign_id, "customer_id": ids.to_numpy()}))
        members = pd.concat(member_lists, ignore_index=True) if member_lists else \
            pd.DataFrame(columns=["campaign_id", "customer_id"])
        selected = self._region_filter(members, s)
        lines = self.lines(s, None, None)
        attributed = lines[lines.campaign_id.notna()]
        sales = attributed.groupby("campaign_id").agg(attributed_revenue=("revenue", "sum"),
                                                      attributed_cogs=("cogs", "sum"),
                                                      attributed_orders=("order_key", "nunique"))
        o = self._region_filter(self.t["opportunities"], s)
        won = o[(o.stage == "won") & o.campaign_id.notna()]
        deals = won.groupby("campaign_id").agg(won_deals=("opportunity_id", "size"), won_value=("close_value", "sum"))
        reached = pd.concat([attributed[["campaign_id", "customer_id"]],
                             won.loc[won.customer_id.notna(), ["campaign_id", "customer_id"]]]) \
            .groupby("campaign_id").customer_id.nunique().rename("customers_reached")
        daily = lines.groupby(["customer_id", "invoice_date"])[["revenue", "cogs"]].sum().reset_index()
        windows = selected.merge(shown[["campaign_id", "start_date", "end_date", "baseline_start"]], on="campaign_id") \
            .merge(daily, on="customer_id")
        windows = windows[(windows.invoice_date >= windows.baseline_start) & (windows.invoice_date <= windows.end_date)]
        during = windows.invoice_date >= windows.start_date
        target = windows[during].groupby("campaign_id")[["revenue", "cogs"]].sum()
        baseline = windows[~during].groupby("campaign_id")[["revenue", "cogs"]].sum()
        table = shown[["campaign_id", "cost"]].set_index("campaign_id")
        table["target_customers"] = selected.groupby("campaign_id").size()
        table["all_target_customers"] = members.groupby("campaign_id").size()
        table = table.join(sales).join(deals).join(reached)
        table["target_revenue"], table["target_cogs"] = target.revenue, target.cogs
        table["baseline_revenue"], table["baseline_cogs"] = baseline.revenue, baseline.cogs
        table = table.fillna({c: 0 for c in table.columns if c not in ("cost", "all_target_customers")})
        table["attributed_gross_profit"] = table.attributed_revenue - table.attributed_cogs
        table["target_gross_profit"] = table.target_revenue - table.target_cogs
        table["baseline_gross_profit"] = table.baseline_revenue - table.baseline_cogs
        return table.reset_index()

    # Small tables --------------------------------------------------------------------------------------

    def products(self, s: Selection) -> pd.DataFrame:
        return self.t["products"][["product_id", "name", "category"]]

    def customers(self, s: Selection) -> pd.DataFrame:
        return self.t["customers"][["customer_id", "name", "tier", "region", "industry", "owner_rep_id"]]
