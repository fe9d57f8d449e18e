"""Customers: new, returning, reactivated and churned over time, with who is behind each count."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from marginscope.web import format as fmt
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


def status_chart(status) -> html.Div:
    fig = charts.figure(height=320)
    for column, name, colour, sign in (("returning", "Returning", charts.ACTUAL, 1), ("new", "New", charts.GAIN, 1),
                                       ("reactivated", "Reactivated", charts.PROFIT, 1),
                                       ("churned", "Churned", charts.LOSS, -1)):
        fig.add_trace(go.Bar(x=status.period, y=status[column] * sign, name=name, marker_color=colour,
                             hovertemplate=f"%{{x|%b %Y}}: %{{customdata}} {name.lower()}<extra></extra>",
                             customdata=status[column]))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title="customers (churned below zero)")
    return charts.graph("status", fig, title="Buying customers by status, and churn")


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    grain = grain_of(ctx)
    status = m.customers.status(grain, f, s)
    if status.empty:
        return [notices.empty("No customer bought in this selection.")]
    latest = status.iloc[-1]
    lists = m.customers.status_lists(grain, f, s)
    lists = lists[lists.status.isin(LISTED)]
    names = m.catalog.customer_names(lists.customer_id.unique().tolist(), s).rename(columns={"name": "customer_name"})
    lists = lists.merge(names, on="customer_id", how="left").sort_values(["period", "status", "customer_name"],
                                                                           ascending=[False, True, True])
    period = f"{grain} of {fmt.json_value(latest.period)}"
    body = [kpi_row(
        kpi("buying", f"Buying customers ({period})", fmt.count(latest.buying)),
        kpi("new", "New", fmt.count(latest.new), detail=f"{fmt.percent(latest.new_ratio)} of buyers"),
        kpi("reactivated", "Reactivated", fmt.count(latest.reactivated),
            detail=f"{fmt.percent(latest.reactivation_ratio)} of buyers"),
        kpi("churned", "Churned", fmt.count(latest.churned), detail=f"churn rate {fmt.percent(latest.churn_rate)}",
            status="bad" if latest.churned else None),
        kpi("repeat", "Repeat purchase rate", fmt.percent(latest.repeat_purchase_rate)),
    ), status_chart(status)]
    retention = [grid(f"retention-{segment}", m.customers.retention(segment, f, s), [
        Column(segment, label), Column("prior_buyers", "Bought the year before", "count"),
        Column("retained", "Bought again", "count"), Column("retention_rate", "Retention", "percent")],
        title=f"Retention by {label.lower()}") for segment, label in SEGMENTS.items()]
    body.append(html.Div(retention[:2], className="ms-row"))
    body.append(retention[2])
    body.append(grid("status-periods", status, [
        Column("period", grain.title(), "date"), Column("buying", "Buying", "count"), Column("new", "New", "count"),
        Column("returning", "Returning", "count"), Column("reactivated", "Reactivated", "count"),
        Column("churned", "Churned", "count"), Column("churn_rate", "Churn rate", "percent"),
        Column("repeat_purchase_rate", "Repeat purchase rate", "percent")], title=f"By {grain}", page_size=12))
    body.append(grid("status-lists", lists, [
        Column("period", grain.title(), "date"), Column("status", "Status"),
        Column("customer_name", "Customer", link=True), Column("orders", "Orders in period", "count")],
        title="Who is new, reactivated and churned", entity="customer", page_size=15))
    return body


PAGE = Page(path="/customers", title="Customers", render=render)
