"""Customers: new, returning, reactivated and churned over time, with who is behind each count,
and the active customers at risk of churning, shown with the validation of the model behind it."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from marginscope import formats as fmt
from marginscope.metrics.churn import AT_RISK_THRESHOLD, HORIZON_DAYS
from marginscope.metrics.customers import RANGE
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

LISTED = ("new", "reactivated", "churned")
SEGMENTS = {"tier": "Tier", "region": "Region", "owner_rep_id": "Owner rep"}


def grain_of(ctx: PageContext) -> str:
    """Months for up to two years, quarters beyond, so a chart never has more than about 24 bars."""
    days = ctx.filters.days or 0
    return "month" if days <= 731 else "quarter"


def status_chart(status, grain: str) -> html.Div:
    fig = charts.figure(height=320)
    # A period the range covers in part (the month in progress) is drawn faded and says so on hover.
    opacity = [0.45 if partial else 1.0 for partial in status.partial]
    note = ["<br>(partial period: only part of it is in the range)" if partial else "" for partial in status.partial]
    for column, name, colour, sign in (("returning", "Returning", charts.ACTUAL, 1), ("new", "New", charts.GAIN, 1),
                                       ("reactivated", "Reactivated", charts.PROFIT, 1),
                                       ("churned", "Churned", charts.LOSS, -1)):
        fig.add_trace(go.Bar(x=status.period, y=status[column] * sign, name=name, marker_color=colour,
                             marker_opacity=opacity,
                             hovertemplate=charts.hover(
                                 charts.PERIODS[grain] + f": %{{customdata[0]}} {name.lower()}%{{customdata[1]}}"),
                             customdata=list(zip(status[column], note))))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title="customers (churned below zero)")
    hint = "A faded bar is a period only partly in the range (the month in progress)." if status.partial.any() \
        else None
    return charts.graph("status", fig, title="Buying customers by status, and churn", hint=hint)


def calibration_chart(calibration) -> html.Div:
    fig = charts.figure(height=300)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Perfect calibration",
                             line=dict(color=charts.MUTED, dash="dot"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=calibration.predicted_mean, y=calibration.observed_rate, mode="lines+markers",
                             name="Held-out customers", line=dict(color=charts.ACTUAL),
                             marker=dict(size=[min(8 + n / 4, 24) for n in calibration.customers]),
                             customdata=calibration[["customers", "churned"]].to_numpy(),
                             hovertemplate="predicted %{x:.0%}, observed %{y:.0%}<br>%{customdata[1]} of "
                                           "%{customdata[0]} customers churned<extra></extra>"))
    fig.update_xaxes(title="predicted churn probability", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title="observed churn rate", tickformat=".0%", range=[0, 1])
    return charts.graph("churn-calibration", fig, title="Calibration on the held-out customers",
                        hint="Points near the dotted line mean the probabilities can be read as rates; "
                             "a point's size is its number of customers.")


def at_risk_section(ctx: PageContext) -> list:
    """Customers likely to churn, with the model's validation beside them."""
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    risk = m.churn.risk(f, s)
    validation = m.churn.validation(f, s)
    as_of = f"{risk.attrs['as_of']:%d %b %Y}"
    heading = html.H2(f"At risk of churning (as of {as_of})", className="ms-section", id="at-risk")
    if risk.attrs["reason"]:
        return [heading, notices.empty(f"No churn risk for this selection: {risk.attrs['reason']}.")]
    at_risk, counts = m.churn.at_risk(f, s), m.churn.at_risk_summary(f, s)
    return [heading, kpi_row(
        kpi("at_risk", "Customers at risk", fmt.count(counts["at_risk_customers"]),
            detail=f"of {fmt.count(counts['active_customers'])} active · churn probability above "
                   f"{fmt.percent(AT_RISK_THRESHOLD, 0)}", status="bad" if counts["at_risk_customers"] else None),
        kpi("at_risk_revenue", "Their revenue, last 12 months", fmt.money(counts["at_risk_revenue"], ctx.currency),
            detail=f"{fmt.percent(counts['at_risk_revenue_share'])} of the active customers' revenue"),
        kpi("churn_auc", "Model AUC (held out)", fmt.decimal_number(validation.auc, 2),
            detail=f"0.5 is chance, 1 a perfect ranking · {fmt.count(validation.test_customers)} customers "
                   f"active on {validation.test_cutoff:%d %b %Y}"),
        kpi("churn_observed", "Churned in the test", fmt.percent(validation.test_churn_rate),
            detail=f"{fmt.count(validation.test_churned)} bought nothing in the {HORIZON_DAYS} days after"),
    ), grid("at-risk", at_risk, [
        Column("customer_name", "Customer", link=True), Column("owner_rep_name", "Owner rep"),
        Column("churn_probability", "Churn probability", "percent"),
        Column("recency_days", "Recency, days", "count"),
        Column("orders_last_180_days", "Orders, 180 d", "count"),
        Column("orders_prior_180_days", "Prior 180 d", "count"),
        Column("revenue_last_365_days", "Revenue, 12 mo", "money")],
        title=f"More likely than not to buy nothing in the next {HORIZON_DAYS} days", entity="customer",
        note="Recency: days since the last purchase. Orders in the last 180 days against the 180 before: fewer "
             "now than before is a declining frequency, which the model weighs with recency and tenure."),
        html.Div([calibration_chart(validation.calibration), grid("churn-calibration-table", validation.calibration, [
            Column("bin", "Bin"), Column("customers", "Customers", "count"),
            Column("predicted_mean", "Predicted", "percent"), Column("observed_rate", "Observed", "percent"),
            Column("churned", "Churned", "count")],
            title=f"Validation: fitted on {validation.train_cutoff:%d %b %Y}, tested on the next "
                  f"{HORIZON_DAYS} days after {validation.test_cutoff:%d %b %Y}")], className="ms-row")]


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    grain = grain_of(ctx)
    status = m.customers.status(grain, f, s)
    if status.empty:
        return [notices.empty("No customer bought in this selection.")]
    # The cards cover the selected range (one period), the chart and grid its months or quarters.
    whole = m.customers.status(RANGE, f, s).iloc[0]
    lists = m.customers.status_lists(grain, f, s)
    lists = lists[lists.status.isin(LISTED)]
    names = m.catalog.customer_names(lists.customer_id.unique().tolist(), s).rename(columns={"name": "customer_name"})
    lists = lists.merge(names, on="customer_id", how="left").sort_values(["period", "status", "customer_name"],
                                                                           ascending=[False, True, True])
    body = [kpi_row(
        kpi("buying", "Buying customers", fmt.count(whole.buying),
            detail="revenue above 0 in the range (the Overview's active customers)"),
        kpi("new", "New", fmt.count(whole.new), detail=f"{fmt.percent(whole.new_ratio)} of buyers"),
        kpi("reactivated", "Reactivated", fmt.count(whole.reactivated),
            detail=f"{fmt.percent(whole.reactivation_ratio)} of buyers"),
        kpi("churned", "Churned", fmt.count(whole.churned), detail=f"churn rate {fmt.percent(whole.churn_rate)}",
            status="bad" if whole.churned else None),
        kpi("repeat", "Repeat purchase rate", fmt.percent(whole.repeat_purchase_rate)),
    ), status_chart(status, grain), *at_risk_section(ctx)]
    rep_names = ctx.rep_names()

    def retained(segment: str):
        table = m.customers.retention(segment, f, s)
        if segment == "owner_rep_id":  # reps by name, as everywhere else
            table[segment] = table[segment].map(lambda rep: rep_names.get(rep, rep), na_action="ignore")
        return table

    retention = [grid(f"retention-{segment}", retained(segment), [
        Column(segment, label), Column("prior_buyers", "Bought the year before", "count"),
        Column("retained", "Bought again", "count"), Column("retention_rate", "Retention", "percent")],
        title=f"Retention by {label.lower()}") for segment, label in SEGMENTS.items()]
    body.append(html.Div(retention[:2], className="ms-row"))
    body.append(retention[2])
    covered = status.assign(covered=["partly in the range" if partial else "whole" for partial in status.partial])
    body.append(grid("status-periods", covered, [
        Column("period", grain.title(), "date"), Column("covered", "Period"), Column("buying", "Buying", "count"),
        Column("new", "New", "count"),
        Column("returning", "Returning", "count"), Column("reactivated", "Reactivated", "count"),
        Column("churned", "Churned", "count"), Column("churn_rate", "Churn rate", "percent"),
        Column("repeat_purchase_rate", "Repeat purchase rate", "percent")], title=f"By {grain}", page_size=12))
    body.append(grid("status-lists", lists, [
        Column("period", grain.title(), "date"), Column("status", "Status"),
        Column("customer_name", "Customer", link=True), Column("orders", "Orders in period", "count")],
        title="Who is new, reactivated and churned", entity="customer", page_size=15))
    return body


PAGE = Page(path="/customers", title="Customers", render=render)
