"""Pipeline: the funnel, new opportunities, conversion and time to close over time, and movers."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html
from plotly.subplots import make_subplots

from marginscope import formats as fmt
from marginscope.metrics.semantic import COMPARISONS
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row, status_of
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext
from marginscope.web.pages.customers import grain_of

MOVERS = {"rep_id": ("Rep", "rep"), "product_id": ("Product", "product"), "industry": ("Industry", None)}


def funnel(stages, summary) -> html.Div:
    """The deals engaged in the range as one cohort: how many closed since, and how many were won."""
    fig = charts.figure(height=300)
    fig.add_trace(go.Funnel(y=["Engaged in range", "Closed since", "Won"],
                            x=[int(stages.engaged), int(stages.closed), int(stages.won)],
                            marker=dict(color=[charts.MUTED, "#6c8ebf", charts.ACTUAL]),
                            textinfo="value+percent initial",
                            hovertemplate=charts.hover("%{y}: %{x:,.0f} deals", "%{percentInitial:.0%} of engaged")))
    return charts.graph("funnel", fig, title="Deals engaged in the range, by how far they got",
                        hint=f"{int(stages.still_open):,} of them are still open. By close date, "
                             f"{int(summary.won):,} of {int(summary.closed):,} deals closed in the range were won; "
                             f"{int(summary.open):,} deals are open in all.")


def opportunities_and_conversion(trend, grain: str) -> html.Div:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(charts.figure(height=300).layout)
    # A period only partly in the range (the month in progress) is faded: fewer days, not fewer deals a day.
    period = charts.PERIODS[grain]
    partly = [f" ({int(days)} days only)" if partial else "" for partial, days in zip(trend.partial, trend.days)]
    fig.add_trace(go.Bar(x=trend.period, y=trend.new_opportunities, name="New opportunities",
                         marker_color=charts.MUTED, marker_opacity=[0.4 if p else 1.0 for p in trend.partial],
                         customdata=partly, hovertemplate=charts.hover(
                             period + "%{customdata}", charts.amount("count") + " new opportunities")),
                  secondary_y=False)
    fig.add_trace(go.Scatter(x=trend.period, y=trend.conversion_rate, name="CVR", mode="lines+markers",
                             line=dict(color=charts.ACTUAL), customdata=trend[["won", "closed"]].values,
                             hovertemplate=charts.hover(period, "CVR " + charts.amount("percent"),
                                                        "%{customdata[0]} of %{customdata[1]} closed deals won")),
                  secondary_y=True)
    fig.update_yaxes(title="new opportunities", secondary_y=False)
    fig.update_yaxes(tickformat=".0%", title="CVR", secondary_y=True, showgrid=False, rangemode="tozero")
    partial = trend[trend.partial]
    hint = (f"The last bar covers {int(partial.days.iloc[-1])} days only (a period in progress)."
            if not partial.empty else None)
    return charts.graph("pipeline-trend", fig, title="New opportunities and conversion rate", hint=hint)


def time_to_close(trend, grain: str) -> html.Div:
    fig = charts.figure(height=300)
    period = charts.PERIODS[grain]
    fig.add_trace(go.Scatter(x=trend.period, y=trend.days_to_close, name="All closed deals", mode="lines+markers",
                             line=dict(color=charts.ACTUAL),
                             hovertemplate=charts.hover(period, charts.amount("number") + " days, all closed deals")))
    fig.add_trace(go.Scatter(x=trend.period, y=trend.days_to_close_won, name="Won deals", mode="lines+markers",
                             line=dict(color=charts.GAIN, dash="dot"),
                             hovertemplate=charts.hover(period, charts.amount("number") + " days, won deals")))
    fig.update_yaxes(title="days from engaging to closing", rangemode="tozero")
    return charts.graph("days-to-close", fig, title="Time to close")


def movers(ctx: PageContext, dimension: str) -> html.Div:
    label, entity = MOVERS[dimension]
    table = ctx.metrics.pipeline.movers(dimension, ctx.filters, ctx.scope, basis=ctx.comparison)
    names = {"rep": ctx.metrics.catalog.reps, "product": ctx.metrics.catalog.products}.get(entity) if entity else None
    if names:
        table = table.merge(names()[[dimension, "name"]], on=dimension, how="left")
        table["label"] = table["name"].fillna(table[dimension])
    else:
        table["label"] = table[dimension]
    return grid(f"movers-{dimension}", table, [
        Column("label", label, link=bool(entity)), Column("pipeline_revenue", "Won revenue", "money"),
        Column("pipeline_revenue_prior", COMPARISONS[ctx.comparison].label, "money"),
        Column("change", "Change", "money", signed=True),
        Column("growth", "Growth", "percent", signed=True)], title=f"Biggest movers by {label.lower()}",
        entity=entity)


def render(ctx: PageContext) -> list:
    if not ctx.has("opportunities"):
        return [notices.needs("opportunities", "The pipeline page")]
    m, f, s, c = ctx.metrics, ctx.filters, ctx.scope, ctx.currency
    summary = m.pipeline.summary(f, s).iloc[0]
    before = m.pipeline.compare(ctx.comparison, f, s).set_index("measure")

    def detail(measure, higher_is_better=True):
        if measure not in before.index:
            return {}
        row = before.loc[measure]
        text = fmt.change(measure, row["change"], row["growth"], ctx.compared_with)
        if text is None:
            return {}
        return {"detail": text, "status": status_of(fmt.number(row["change"]), higher_is_better)}

    body = [kpi_row(
        kpi("won", "Won deals", fmt.count(summary.won), **detail("won")),
        kpi("pipeline_revenue", "Won revenue", fmt.money(summary.pipeline_revenue, c),
            exact=fmt.money_exact(summary.pipeline_revenue, c), **detail("pipeline_revenue")),
        kpi("conversion_rate", "Conversion rate", fmt.percent(summary.conversion_rate), **detail("conversion_rate")),
        kpi("average_sale", "Average sale", fmt.money(summary.average_sale, c), **detail("average_sale")),
        # Days, as the time-to-close chart beside it (one unit per measure between card and chart).
        kpi("days_to_close", "Days to close", fmt.decimal_number(summary.days_to_close),
            **detail("days_to_close", higher_is_better=False)),
        kpi("open", "Open deals", fmt.count(summary.open)),
    )]
    grain = grain_of(ctx)
    trend = m.pipeline.summary(f, s, grain=grain)
    body.append(html.Div([funnel(m.pipeline.funnel(f, s).iloc[0], summary), time_to_close(trend, grain)],
                         className="ms-row"))
    body.append(opportunities_and_conversion(trend, grain))
    body.append(html.Div([movers(ctx, "rep_id"), movers(ctx, "product_id")], className="ms-row"))
    body.append(movers(ctx, "industry"))
    return body


PAGE = Page(path="/pipeline", title="Pipeline", render=render)
