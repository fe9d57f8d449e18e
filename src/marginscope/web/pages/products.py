"""Products: the Pareto of revenue, ABC classes, and the demand of the products picked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from marginscope.metrics.products import A_SHARE, B_SHARE
from marginscope.web.components import charts, notices
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

CLASS_COLOURS = {"A": charts.ACTUAL, "B": "#6c8ebf", "C": charts.MUTED}


NAMED_BARS = 30  # up to this many products, each bar is labelled with its name; beyond, with its rank


def pareto(table: pd.DataFrame, currency: str) -> html.Div:
    named = len(table) <= NAMED_BARS
    x = table["name"].tolist() if named else table["rank"].tolist()
    fig = charts.figure(height=340)
    fig.add_trace(go.Bar(x=x, y=table.revenue.astype(float), name="Revenue",
                         marker_color=[CLASS_COLOURS.get(c, charts.MUTED) for c in table.abc_class],
                         customdata=table[["product_id", "abc_class", "name", "rank"]].values,
                         hovertemplate=charts.hover("#%{customdata[3]} %{customdata[2]}",
                                                    "Revenue " + charts.amount("money", currency),
                                                    "class %{customdata[1]}")))
    fig.add_trace(go.Scatter(x=x, y=table.cumulative_share, name="Cumulative share", yaxis="y2",
                             mode="lines", line=dict(color=charts.LOSS, width=2),
                             customdata=table[["name", "rank"]].values,
                             hovertemplate=charts.hover("#%{customdata[1]} %{customdata[0]} and above",
                                                        charts.amount("percent") + " of revenue")))
    # The class bounds on the share's axis: where class A ends, and class B.
    for share, label in ((A_SHARE, "A | B"), (B_SHARE, "B | C")):
        fig.layout.setdefault("shapes", []).append(
            {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y2", "y0": share, "y1": share,
             "line": {"color": charts.BUDGET, "dash": "dot", "width": 1}})
        fig.layout.setdefault("annotations", []).append(
            {"xref": "x domain", "x": 1, "xanchor": "right", "yref": "y2", "y": share, "yanchor": "bottom",
             "text": label, "showarrow": False, "font": {"size": 10, "color": "#5c6b7a"}})
    fig.update_layout(yaxis=dict(tickformat="~s", title=currency),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.02], showgrid=False,
                                  tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0], title="cumulative share of revenue"),
                      xaxis=dict(tickangle=-35, automargin=True) if named else
                      dict(title=f"products by revenue, rank 1 to {len(table)} (hover a bar for its name)"))
    return charts.graph("pareto", fig, clicks="product", title="Revenue Pareto with ABC classes",
                        hint=f"A products (dark) make the first {A_SHARE:.0%} of revenue, B the next "
                             f"{B_SHARE - A_SHARE:.0%}, C the rest. Click a bar to see that product.")


def demand(ctx: PageContext, names: dict[str, str]) -> html.Div:
    trend = ctx.metrics.products.demand_trend("month", ctx.filters, ctx.scope)
    fig = charts.figure(height=300)
    for product_id, rows in trend.groupby("product_id"):
        name = names.get(str(product_id), str(product_id))
        fig.add_trace(go.Scatter(x=rows.period, y=rows.units.astype(float), name=name, mode="lines+markers",
                                 hovertemplate=charts.hover(charts.MONTH, charts.amount("number") + " net units",
                                                            name=name)))
    fig.update_yaxes(title="net units")
    return charts.graph("demand", fig, title="Net units per month of the selected products")


def render(ctx: PageContext) -> list:
    table = ctx.metrics.products.performance(ctx.filters, ctx.scope, ctx.comparison)
    if table.empty:
        return [notices.empty("No product sold in this selection.")]
    body = [pareto(table, ctx.currency)]
    if ctx.filters.products:
        body.append(demand(ctx, dict(zip(table.product_id.astype(str), table['name']))))
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
