"""Profitability: who makes money after discounts, returns and cost to serve, and who loses it."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from marginscope import formats as fmt
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

DRIVERS = {"discount": "Discounts", "cost_to_serve": "Cost to serve", "returns": "Returns"}
MARGIN_COLUMNS = [
    Column("name", "Customer", link=True), Column("tier", "Tier"), Column("region", "Region"),
    Column("revenue", "Revenue", "money"), Column("gross_profit", "Gross profit", "money", signed=True),
    Column("cost_to_serve", "Cost to serve", "money"),
    Column("contribution_margin", "Contribution", "money", signed=True),
    Column("contribution_margin_pct", "CM %", "percent", signed=True), Column("discount_rate"),
    Column("main_driver", "Main driver"),
]


def whale(curve, currency: str) -> html.Div:
    fig = charts.figure(height=320)
    fig.add_trace(go.Scatter(
        x=curve.customer_share, y=curve.cumulative_cm_share, mode="lines+markers",
        marker=dict(size=4, color=charts.colours_by_sign(curve.contribution_margin)),
        line=dict(color=charts.ACTUAL), customdata=curve[["customer_id", "name", "contribution_margin"]].values,
        hovertemplate=charts.hover("%{customdata[1]}: " + charts.amount("money", currency, "customdata[2]")
                                   + " contribution", "top %{x:.1%} of customers: %{y:.1%} of contribution"),
        name="cumulative contribution"))
    fig.add_hline(y=1, line=dict(color=charts.BUDGET, dash="dot"))
    fig.update_xaxes(tickformat=".0%", title="customers, most profitable first")
    fig.update_yaxes(tickformat=".0%", title="cumulative share of contribution margin")
    return charts.graph("whale-curve", fig, clicks="customer", title="Whale curve",
                        hint="Above 100%: the most profitable customers earn more than the total; the tail gives "
                             "it back. Click a point to open that customer.")


def contribution(ctx: PageContext, dimension: str, title: str) -> html.Div:
    table = ctx.metrics.profitability.contribution_by(dimension, ctx.filters, ctx.scope)
    values = table.contribution_margin.astype(float)
    labels = table[dimension].fillna("(none)")
    fig = charts.figure(height=260)
    fig.add_trace(go.Bar(x=labels, y=values, marker_color=charts.colours_by_sign(values),
                         customdata=table[[dimension]].values, name="Contribution",
                         hovertemplate=charts.hover("%{x}: " + charts.amount("money", ctx.currency)
                                                    + " contribution")))
    fig.update_yaxes(tickformat="~s", title=ctx.currency)
    return charts.graph(f"contribution-{dimension}", fig, clicks=dimension, title=title)  # filters by the bar


def render(ctx: PageContext) -> list:
    m, f, s, c = ctx.metrics, ctx.filters, ctx.scope, ctx.currency
    table = m.profitability.customers(f, s)
    if table.empty:
        return [notices.empty("No customer bought in this selection.")]
    losers, loss = m.profitability.negative_margin(f, s)
    concentration = m.profitability.concentration(f, s)
    body = []
    if not ctx.has("costs_to_serve"):
        body.append(notices.needs("costs_to_serve", "Contribution margin after cost to serve"))
    share = concentration["customer_share_for_profit_share"]
    body.append(kpi_row(
        # Two counts that differ by design: every customer with a line or a cost in the range (the
        # customers ranked below), and the active ones (revenue above 0, the Overview's count).
        kpi("customers", "Customers with lines or costs", fmt.count(concentration["customers"]),
            detail=f"{fmt.count(m.sales.summary(f, s).iloc[0].active_customers)} active (revenue above 0)"),
        kpi("profit_concentration", "Customers making 70% of gross profit", fmt.percent(share),
            detail="of customers"),
        kpi("top_share", "Gross profit of the top 20%", fmt.percent(concentration["gp_share_of_top"])),
        kpi("negative_customers", "Customers losing money", fmt.count(loss["customers"]),
            detail=f"{fmt.percent(loss['share_of_customers'])} of customers",
            status="bad" if loss["customers"] else None),
        kpi("negative_total", "Their contribution", fmt.money(loss["total"], c),
            exact=fmt.money_exact(loss["total"], c),
            status="bad" if loss["customers"] else None),
    ))
    body += [
        html.Div([whale(m.profitability.whale_curve(f, s), c),
                  contribution(ctx, "tier", "Contribution margin by tier")], className="ms-row"),
        html.Div([contribution(ctx, "region", "By region"), contribution(ctx, "industry", "By industry")],
                 className="ms-row"),
        grid("negative-margin", losers.assign(main_driver=losers.main_driver.map(DRIVERS)), MARGIN_COLUMNS,
             title="Customers with a negative contribution margin, and what drives it", entity="customer"),
        grid("customer-margins", table, [*MARGIN_COLUMNS[:-1], Column("gross_margin", "GM %", "percent", signed=True),
                                         Column("orders", "Orders", "count")],
             title="Customer margins", entity="customer"),
    ]
    return body


PAGE = Page(path="/profitability", title="Profitability", render=render)
