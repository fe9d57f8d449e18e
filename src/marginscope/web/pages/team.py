"""Sales team: reps and managers, conversion rate against average sale, and retention."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from marginscope.metrics.team import QUADRANTS
from marginscope.web.components import charts, notices
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

QUADRANT_COLOURS = dict(zip([name for name, _ in QUADRANTS.values()],
                            [charts.GAIN, charts.PROFIT, "#e09f3e", charts.LOSS]))
COMMON = [Column("customers_owned", "Customers", "count"), Column("revenue", "Revenue", "money"),
          Column("contribution_margin", "Contribution", "money", signed=True),
          Column("won", "Won", "count"), Column("conversion_rate", "CVR", "percent"),
          Column("average_sale", "Average sale", "money"), Column("weeks_to_close", "Weeks to close", "number"),
          Column("retention_rate", "Retention", "percent"), Column("quadrant", "Quadrant")]


def label_positions(xs: list[float], ys: list[float], wide: float = 0.15, high: float = 0.25) -> list[str]:
    """Where each point's name goes: above it, unless a neighbour stands just above (within ``wide`` of the
    x values' span and ``high`` of the y values'), where the two names would run into each other.

    >>> label_positions([0.42, 0.455, 0.7], [3000, 5000, 27000])
    ['bottom center', 'top center', 'top center']
    """
    x_span = (max(xs) - min(xs)) if xs else 0.0
    y_span = (max(ys) - min(ys)) if ys else 0.0
    return ["bottom center" if any(abs(x2 - x) <= wide * x_span and 0 < y2 - y <= high * y_span
                                   for x2, y2 in zip(xs, ys)) else "top center"
            for x, y in zip(xs, ys)]


def quadrant_chart(reps, company, currency: str, whole_company: bool) -> html.Div:
    fig = charts.figure(height=380)
    plotted = reps.dropna(subset=["conversion_rate", "average_sale"])
    plotted = plotted.assign(label_at=label_positions(plotted.conversion_rate.astype(float).tolist(),
                                                      plotted.average_sale.astype(float).tolist()))
    for quadrant, rows in plotted.groupby("quadrant"):
        fig.add_trace(go.Scatter(
            x=rows.conversion_rate, y=rows.average_sale, mode="markers+text", name=quadrant, text=rows["name"],
            textposition=rows.label_at.tolist(), textfont=dict(size=10),
            marker=dict(size=12, color=QUADRANT_COLOURS.get(quadrant, charts.MUTED)),
            customdata=rows[["rep_id"]].values,
            hovertemplate=charts.hover("%{text}", "CVR " + charts.amount("percent", axis="x"),
                                       "average sale " + charts.amount("money", currency), name=quadrant)))
    if company is not None:
        fig.add_vline(x=company.conversion_rate, line=dict(color=charts.BUDGET, dash="dash"))
        fig.add_hline(y=float(company.average_sale), line=dict(color=charts.BUDGET, dash="dash"))
    fig.update_xaxes(tickformat=".0%", title="conversion rate (won / closed)")
    fig.update_yaxes(tickformat="~s", title=f"average sale, {currency}")
    whose = "the company's" if whole_company else "over the customers you see, the"
    return charts.graph("quadrants", fig, clicks="rep", title="Conversion rate against average sale",
                        hint=f"Dashed lines: {whose} CVR and average sale, where the quadrants split. "
                             "Click a rep to see their sales.")


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    if not ctx.has("reps"):
        return [notices.needs("reps", "The sales team page")]
    reps = m.team.reps(f, s)
    body = []
    if ctx.has("opportunities"):
        company = m.pipeline.summary(f, s).iloc[0]
        body.append(quadrant_chart(reps, company, ctx.currency, s.customers is None))
    else:
        body.append(notices.needs("opportunities", "Conversion rate and average sale"))
    body += [
        grid("reps", reps, [Column("name", "Rep", link=True), Column("manager", "Manager"), *COMMON,
                            Column("recommended_action", "Recommended action")], title="Reps", entity="rep"),
        grid("managers", m.team.managers(f, s), [Column("manager", "Manager"), Column("reps", "Reps", "count"),
                                                 *COMMON], title="Managers"),
    ]
    return body


PAGE = Page(path="/team", title="Sales team", render=render)
