"""Products: the Pareto of revenue, ABC classes, and the demand of the products picked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from marginscope.web.components import charts, notices
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

CLASS_COLOURS = {"A": charts.ACTUAL, "B": "#6c8ebf", "C": charts.MUTED}


def pareto(table: pd.DataFrame, currency: str) -> html.Div:
    fig = charts.figure(height=340)
    fig.add_trace(go.Bar(x=table["name"], y=table.revenue.astype(float), name="Revenue",
                         marker_color=[CLASS_COLOURS.get(c, charts.MUTED) for c in table.abc_class],
                         customdata=table[["product_id", "abc_class"]].values,
                         hovertemplate="%{x}<br>%{y:,.0f}<br>class %{customdata[1]}<extra></extra>"))
    fig.add_trace(go.Scatter(x=table["name"], y=table.cumulative_share, name="Cumulative share", yaxis="y2",
                             mode="lines", line=dict(color=charts.LOSS, width=2),
                             hovertemplate="%{y:.1%}<extra>cumulative</extra>"))
    fig.update_layout(yaxis=dict(tickformat="~s", title=currency),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.02], showgrid=False),
                      xaxis=dict(showticklabels=len(table) <= 30))
    return charts.graph("pareto", fig, clicks="product", title="Revenue Pareto with ABC classes",
                        hint="A products (dark) make the first 80% of revenue, B the next 15%, C the rest. "
                             "Click a bar to see that product.")


def demand(ctx: PageContext) -> html.Div:
    trend = ctx.metrics.products.demand_trend("month", ctx.filters, ctx.scope)
    fig = charts.figure(height=300)
    for product_id, rows in trend.groupby("product_id"):
        fig.add_trace(go.Scatter(x=rows.period, y=rows.units.astype(float), name=str(product_id),
                                 mode="lines+markers"))
    fig.update_yaxes(title="net units")
    return charts.graph("demand", fig, title="Net units per month of the selected products")


def render(ctx: PageContext) -> list:
    table = ctx.metrics.products.performance(ctx.filters, ctx.scope, ctx.comparison)
    if table.empty:
        return [notices.empty("No product sold in this selection.")]
    body = [pareto(table, ctx.currency)]
    if ctx.filters.products:
        body.append(demand(ctx))
    body.append(grid("products", table, [
        Column("rank", "#", "count", width=70), Column("name", "Product", link=True), Column("category", "Category"),
        Column("abc_class", "ABC", width=80), Column("revenue", "Revenue", "money"),
        Column("gross_profit", "Gross profit", "money", signed=True), Column("gross_margin", "GM %", "percent",
                                                                             signed=True),
        Column("contribution_margin", "Contribution", "money", signed=True),
        Column("growth", f"Growth {ctx.compared_with}", "percent", signed=True),
        Column("cumulative_share", "Cumulative share", "percent"),
        Column("return_rate", "Return rate", "percent")], title="Products", entity="product", page_size=15))
    return body


PAGE = Page(path="/products", title="Products", render=render)
