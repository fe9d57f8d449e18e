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


def quadrant_chart(reps, company) -> html.Div:
    fig = charts.figure(height=380)
    plotted = reps.dropna(subset=["conversion_rate", "average_sale"])
    for quadrant, rows in plotted.groupby("quadrant"):
        fig.add_trace(go.Scatter(
            x=rows.conversion_rate, y=rows.average_sale, mode="markers+text", name=quadrant, text=rows["name"],
            textposition="top center", textfont=dict(size=10),
            marker=dict(size=12, color=QUADRANT_COLOURS.get(quadrant, charts.MUTED)),
            customdata=rows[["rep_id"]].values,
            hovertemplate="%{text}<br>CVR %{x:.1%}<br>average sale %{y:,.0f}<extra></extra>"))
    if company is not None:
        fig.add_vline(x=company.conversion_rate, line=dict(color=charts.BUDGET, dash="dash"))
        fig.add_hline(y=float(company.average_sale), line=dict(color=charts.BUDGET, dash="dash"))
    fig.update_xaxes(tickformat=".0%", title="conversion rate (won / closed)")
    fig.update_yaxes(tickformat="~s", title="average sale")
    return charts.graph("quadrants", fig, clicks="rep", title="Conversion rate against average sale",
                        hint="Dashed lines: the company's CVR and average sale. Click a rep to see their sales.")


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    if not ctx.has("reps"):
        return [notices.needs("reps", "The sales team page")]
    reps = m.team.reps(f, s)
    body = []
    if ctx.has("opportunities"):
        company = m.pipeline.summary(f, s).iloc[0]
        body.append(quadrant_chart(reps, company))
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
