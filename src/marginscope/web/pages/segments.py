"""Segments: RFM scores, the recency x frequency matrix, segment values and migration."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html
from plotly.subplots import make_subplots

from marginscope.metrics.rfm import WINDOW_MONTHS
from marginscope.web.components import charts, notices
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext


def heatmap(matrix, currency: str) -> html.Div:
    counts = matrix.pivot(index="f_score", columns="r_score", values="customers").sort_index()
    money = matrix.pivot(index="f_score", columns="r_score", values="monetary").reindex_like(counts)
    fig = charts.figure(height=340)
    fig.add_trace(go.Heatmap(z=counts.values, x=[f"R{r}" for r in counts.columns], y=[f"F{f}" for f in counts.index],
                             customdata=money.values, colorscale=charts.SEQUENTIAL, texttemplate="%{z}",
                             hovertemplate=charts.hover("%{x} %{y}: %{z} customers",
                                                        "revenue " + charts.amount("money", currency, "customdata")),
                             colorbar=dict(title="customers")))
    fig.update_xaxes(title="recency score (5 = most recent)")
    fig.update_yaxes(title="frequency score (5 = most often)")
    return charts.graph("rfm-matrix", fig, title="Customers by recency and frequency score")


def migration_chart(moves) -> html.Div:
    labels = sorted(set(moves.segment_before) | set(moves.segment_now))
    left = {name: i for i, name in enumerate(labels)}
    right = {name: i + len(labels) for i, name in enumerate(labels)}
    fig = charts.figure(height=380)
    fig.add_trace(go.Sankey(
        node=dict(label=[f"{n} (before)" for n in labels] + [f"{n} (now)" for n in labels], pad=12,
                  color=charts.MUTED),
        link=dict(source=[left[s] for s in moves.segment_before], target=[right[t] for t in moves.segment_now],
                  value=moves.customers.tolist(),
                  color=["rgba(192,57,43,.45)" if t == "At-Risk" and s != t else "rgba(31,78,121,.25)"
                         for s, t in zip(moves.segment_before, moves.segment_now)])))
    return charts.graph("rfm-migration", fig, title="Segment moves over the last quarter",
                        hint="Red flows lead into At-Risk.")


def nps_section(ctx: PageContext) -> html.Div:
    """NPS per RFM segment beside the segment's revenue and contribution per customer."""
    if not ctx.has("nps_responses"):
        return html.Div(notices.needs("nps_responses", "NPS by segment"), id="section-nps")
    table = ctx.metrics.nps.by("rfm_segment", ctx.filters, ctx.scope)
    answered = table[table.respondents > 0]
    labels = answered.rfm_segment.tolist()
    # Upright labels, a long name over two lines: turned labels of seven segments ran into each other.
    named = [f"{name.replace(' ', '<br>') if len(name) > 10 else name}<br>n={n}"
             for name, n in zip(labels, answered.respondents)]
    value = make_subplots(specs=[[{"secondary_y": True}]])
    value.update_layout(charts.figure(height=340).layout)
    value.add_trace(go.Bar(x=named, y=answered.nps, name="NPS", marker_color=charts.colours_by_sign(answered.nps),
                           hovertemplate="%{x}: NPS %{y:+.1f}<extra></extra>"), secondary_y=False)
    value.add_trace(go.Scatter(x=named, y=answered.contribution_margin_per_customer.astype(float),
                               name="Contribution per customer", mode="markers",
                               marker=dict(symbol="diamond", size=11, color=charts.PROFIT),
                               hovertemplate=charts.hover(
                                   "%{x}", charts.amount("money", ctx.currency) + " contribution per customer")),
                  secondary_y=True)
    low, high = -110, 120
    value.update_yaxes(title="NPS", range=[low, high], secondary_y=False)
    # Both axes put 0 at the same height, so a diamond below the NPS zero line means a loss per customer.
    margins = answered.contribution_margin_per_customer.astype(float)
    top = 1.1 * max(margins.max(), -margins.min() * high / -low, 1.0) if len(margins) else 1.0
    value.update_yaxes(title=f"contribution per customer, {ctx.currency}", tickformat="~s", showgrid=False,
                       range=[top * low / high, top], tickmode="auto", nticks=7, secondary_y=True)
    value.update_xaxes(tickangle=0)
    shares = charts.figure(height=340)
    for name, column, colour in (("Promoters", "promoter_share", charts.GAIN), ("Passives", "passive_share",
                                                                              charts.MUTED),
                                 ("Detractors", "detractor_share", charts.LOSS)):
        shares.add_trace(go.Bar(y=labels, x=answered[column], name=name, orientation="h", marker_color=colour,
                                hovertemplate="%{y}: %{x:.0%} " + name.lower() + "<extra></extra>"))
    shares.update_layout(barmode="stack", legend=dict(traceorder="normal"))
    shares.update_xaxes(tickformat=".0%", range=[0, 1])
    shares.update_yaxes(autorange="reversed")
    return html.Div([
        html.Div([charts.graph("nps-value", value, title="NPS and contribution per customer by RFM segment",
                               hint="n: customers answering; each counts with their latest answer in the date range. "
                                    "Contribution covers the date range."),
                  charts.graph("nps-shares", shares, title="Promoters, passives and detractors by RFM segment",
                               hint="Promoters score 9-10, passives 7-8, detractors 0-6; NPS = promoters % - "
                                    "detractors %.")], className="ms-row"),
        grid("nps-segments", table, [
            Column("rfm_segment", "Segment"), Column("respondents", "Respondents", "count", width=140),
            Column("average_score", "Avg score", "number", width=115),
            Column("promoter_share", "Promoters", "percent", width=115),
            Column("detractor_share", "Detractors", "percent", width=115),
            Column("nps", "NPS", "number", signed=True, width=85), Column("customers", "Customers", "count", width=130),
            Column("revenue_per_customer", "Revenue / customer", "money", width=185),
            Column("contribution_margin_per_customer", "Contribution / customer", "money", signed=True, width=215)],
            title="NPS by segment beside its value"),
    ], id="section-nps")


def lifetime_value(ctx: PageContext) -> html.Div:
    """CLV per segment (BG/NBD + Gamma-Gamma), or why there is none."""
    values = ctx.metrics.clv.by_segment(ctx.filters, ctx.scope)
    if values.attrs.get("reason"):
        return notices.empty(f"No lifetime value for this selection: {values.attrs['reason']}.")
    months = values.attrs["horizon_months"]
    terms = (f"Expected contribution margin of the next {months} months, discounted at "
             f"{values.attrs['annual_discount_rate']:.0%} a year (BG/NBD and Gamma-Gamma, as of "
             f"{values.attrs['as_of']:%d %b %Y}). P(alive): the mean probability that a customer still buys; "
             f"purchases expected in {months} months, per customer. CLV / acquisition cost over the customers "
             "with a known acquisition cost.")
    return grid("clv-segments", values, [
        Column("segment", "Segment"), Column("customers", "Customers", "count"),
        Column("clv", "Lifetime value", "money", signed=True),
        Column("clv_per_customer", "Per customer", "money", signed=True),
        Column("p_alive", "P(alive)", "percent"),
        Column("expected_purchases", f"Purchases, {values.attrs['horizon_months']} mo", "number"),
        Column("clv_to_cac", "CLV / acquisition cost", "number", signed=True)],
        title="Lifetime value by segment", note=terms)


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    scores = m.rfm.scores(f, s)
    if scores.empty:
        return [notices.empty("No customer bought in this selection, so there is nothing to segment.")]
    segments = m.rfm.segments(f, s)
    moves, slipping = m.rfm.migration(f, s)
    names = m.catalog.customer_names(scores.customer_id.tolist(), s).rename(columns={"name": "customer_name"})
    scores = scores.merge(names, on="customer_id", how="left")
    slipping = slipping.merge(names, on="customer_id", how="left")
    window = notices.empty(f"Scores and segment figures cover the {WINDOW_MONTHS} months up to {f.end:%d %b %Y}, "
                           "not only the date range: a customer's value shows over more than one season.")
    return [
        window,
        html.Div([heatmap(m.rfm.matrix(f, s), ctx.currency), migration_chart(moves)], className="ms-row"),
        grid("rfm-segments", segments, [
            Column("segment", "Segment"), Column("customers", "Customers", "count"),
            Column("revenue", f"Revenue, {WINDOW_MONTHS} mo", "money"),
            Column("gross_profit", f"Gross profit, {WINDOW_MONTHS} mo", "money", signed=True),
            Column("contribution_margin", f"Contribution, {WINDOW_MONTHS} mo", "money", signed=True),
            Column("revenue_per_customer", f"Revenue per customer, {WINDOW_MONTHS} mo", "money"),
            Column("share_of_gross_profit", "Share of GP", "percent"),
            Column("share_of_contribution_margin", "Share of contribution", "percent")],
             title=f"Segments over the {WINDOW_MONTHS} months to {f.end:%d %b %Y}"),
        lifetime_value(ctx),
        nps_section(ctx),
        grid("rfm-slipping", slipping, [
            Column("customer_name", "Customer", link=True), Column("segment_before", "Was"),
            Column("segment_now", "Now")], title="Slipping: Champions and Loyal customers now At-Risk",
             entity="customer"),
        grid("rfm-customers", scores, [
            Column("customer_name", "Customer", link=True), Column("segment", "Segment"),
            Column("recency", "Days since last purchase", "count"), Column("frequency", "Orders", "count"),
            Column("monetary", f"Revenue, {WINDOW_MONTHS} mo", "money"), Column("r_score", "R", "count", width=70),
            Column("f_score", "F", "count", width=70), Column("m_score", "M", "count", width=70)],
             title="Customers and their scores", entity="customer"),
    ]


PAGE = Page(path="/segments", title="Segments", render=render)
