"""Campaigns: what each campaign brought in, how its target segment moved against the baseline, and its ROI;
and one campaign's detail, day by day against its baseline, with the customers it reached."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from marginscope import formats as fmt
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row, status_of
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

HOW = ("Attributed (Attr.) sales are the invoice lines and won deals carrying the campaign's id (credit notes "
       "net off). Lift compares the target segment's revenue during the campaign with the same number of days "
       "just before it; incremental (Incr.) gross profit is the same comparison of gross profit, and ROI = "
       "(incremental GP - cost) / cost.")
PARTIAL = ("*: the loaded invoices do not cover the campaign and its baseline from start to end, so its lift is "
           "not comparable.")


def _needs_campaigns() -> list:
    return [notices.needs("campaigns", "The campaigns page"), notices.empty(
        "Sales and deals count for a campaign when their campaign_id column names it: fill campaign_id in the "
        "invoice lines and opportunities you load.")]


def _cost_note(ctx: PageContext) -> str | None:
    f = ctx.filters
    customer_filters = (f.regions, f.industries, f.tiers, f.customer_types, f.customers)
    if ctx.scope.customers is None and not any(customer_filters):
        return None
    return ("The figures cover the customers in this selection; its cost is the campaign's cost split over the "
            "target customers, in proportion to those in the selection.")


def roi_chart(table: pd.DataFrame, currency: str) -> html.Div:
    roi = table.roi.astype(float)
    # A missing ROI stands at 0 with its "n/a", so that no campaign silently drops out of the chart.
    shown = roi.fillna(0)
    fig = charts.figure(height=320)
    fig.add_trace(go.Bar(
        x=table.campaign_id, y=shown, marker_color=charts.colours_by_sign(shown, positive=charts.GAIN),
        customdata=list(zip(table.campaign_id, table.incremental_gross_profit.astype(float),
                            table.cost_in_selection.astype(float), table["name"])),
        text=[fmt.percent(v, 0) for v in roi], textposition="outside", cliponaxis=False, name="ROI",
        hovertemplate=charts.hover("%{customdata[3]}", "ROI %{text}",
                                   "incremental GP " + charts.amount("money", currency, "customdata[1]"),
                                   "cost " + charts.amount("money", currency, "customdata[2]"))))
    fig.add_hline(y=0, line=dict(color=charts.BUDGET))
    fig.update_yaxes(tickformat=".0%", title="ROI")
    _name_ticks(fig, table)
    return charts.graph("campaign-roi", fig, clicks="campaign", title="Return on each campaign",
                        hint="Red: the extra gross profit of the target segment did not pay back the cost. "
                             "n/a: no cost to divide by. Click a bar for the campaign's detail.")


def _name_ticks(fig: go.Figure, table: pd.DataFrame) -> None:
    """Bars stand at campaign ids (two campaigns may share a name) and are labelled with the names."""
    fig.update_xaxes(tickangle=-20, tickvals=table.campaign_id.tolist(), ticktext=table["name"].tolist())


def lift_chart(table: pd.DataFrame, currency: str) -> html.Div:
    fig = charts.figure(height=320)
    ids = table[["campaign_id", "name"]].values
    money = charts.amount("money", currency)
    fig.add_trace(go.Bar(x=table.campaign_id, y=table.baseline_revenue.astype(float), name="Baseline",
                         marker_color=charts.MUTED, customdata=ids,
                         hovertemplate=charts.hover("%{customdata[1]}", f"baseline {money}")))
    fig.add_trace(go.Bar(x=table.campaign_id, y=table.target_revenue.astype(float), name="During",
                         marker_color=charts.ACTUAL, customdata=ids,
                         hovertemplate=charts.hover("%{customdata[1]}", f"during the campaign {money}")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat="~s", title=currency)
    _name_ticks(fig, table)
    return charts.graph("campaign-lift", fig, clicks="campaign", title="Target segment revenue: during and before",
                        hint="The same number of days before each campaign is its baseline.")


# Widths that keep every header readable on a 1366-pixel screen; "Attr." and "Incr." are explained beneath.
COLUMNS = [
    Column("name", "Campaign", link=True), Column("runs", "Runs", width=185),
    Column("target", "Target", width=120),
    Column("attributed_revenue", "Attr. revenue", "money", width=130),
    Column("attributed_gross_profit", "Attr. GP", "money", signed=True, width=105),
    Column("won_deals", "Won deals", "count", width=115),
    Column("lift_pct", "Lift %", "percent", signed=True, width=95),
    Column("incremental_gross_profit", "Incr. GP", "money", signed=True, width=105),
    Column("cost_in_selection", "Cost", "money", width=95), Column("roi", "ROI", "percent", signed=True, width=95),
]


def _runs(start, end, complete) -> str:
    first = f"{start:%d %b}" if start.year == end.year else f"{start:%d %b %Y}"
    text = f"{first} – {end:%d %b %Y}"
    return text if bool(complete) else f"{text} *"


def _target(segment, attribute) -> str:
    return f"{segment or '(none)'}: all customers" if attribute == "all customers" else f"{segment} ({attribute})"


def _for_grid(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(
        runs=[_runs(a, b, c) for a, b, c in zip(table.start_date, table.end_date, table.complete)],
        target=[_target(segment, attribute) for segment, attribute in zip(table.target_segment,
                                                                           table.target_attribute)])


def render(ctx: PageContext) -> list:
    if not ctx.has("campaigns"):
        return _needs_campaigns()
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    table = m.campaigns.summary(f, s)
    if table.empty:
        return [notices.empty("No campaign ran in this date range: widen the range to see earlier or later "
                              "campaigns.")]
    charts_row = html.Div([roi_chart(table, ctx.currency), lift_chart(table, ctx.currency)], className="ms-row")
    body: list[Component] = [charts_row, grid("campaigns", _for_grid(table), COLUMNS,
                                              title="Campaigns overlapping the date range", entity="campaign",
                                              page_size=25)]
    note = " ".join(filter(None, [HOW, _cost_note(ctx), PARTIAL]))
    body.append(html.P(note, className="ms-note"))
    return body


# --- one campaign -------------------------------------------------------------------------------------------


def facts(row: pd.Series) -> html.Div:
    items = []
    for label, value in (
            ("Channel", row.channel),
            ("Runs", f"{row.start_date:%d %b %Y} – {row.end_date:%d %b %Y} ({row.days} days)"),
            ("Baseline", f"{row.baseline_start:%d %b %Y} – {row.baseline_end:%d %b %Y}"),
            ("Target", _target(row.target_segment, row.target_attribute)),
            ("Target customers in view", fmt.count(row.target_customers)),
            ("Customers reached", fmt.count(row.customers_reached)),
            ("Attributed orders", fmt.count(row.attributed_orders))):
        items += [html.Dt(label), html.Dd(str(value) if value is not None and not pd.isna(value) else "n/a")]
    return html.Div(html.Dl(items, className="ms-facts"), className="ms-panel", id="campaign-facts")


def kpis(row: pd.Series, currency: str) -> html.Div:
    c = currency
    roi, lift_pct = fmt.number(row.roi), fmt.number(row.lift_pct)
    return kpi_row(
        kpi("attributed_revenue", "Attributed revenue", fmt.money(row.attributed_revenue, c),
            exact=fmt.money_exact(row.attributed_revenue, c),
            detail=f"gross profit {fmt.money(row.attributed_gross_profit, c)}"),
        kpi("won_deals", "Won deals", fmt.count(row.won_deals), detail=f"worth {fmt.money(row.won_value, c)}"),
        kpi("lift", "Lift of the target segment", fmt.money(row.lift, c), exact=fmt.money_exact(row.lift, c),
            detail="no baseline revenue" if lift_pct is None else f"{fmt.percent(lift_pct)} against the baseline",
            status=status_of(fmt.number(row.lift))),
        kpi("incremental_gross_profit", "Incremental gross profit", fmt.money(row.incremental_gross_profit, c),
            exact=fmt.money_exact(row.incremental_gross_profit, c),
            status="bad" if (fmt.number(row.incremental_gross_profit) or 0) < 0 else None),
        kpi("cost", "Cost", fmt.money(row.cost_in_selection, c), exact=fmt.money_exact(row.cost_in_selection, c),
            detail=None if row.cost_in_selection == row.cost else f"of {fmt.money(row.cost, c)} in all"),
        kpi("roi", "ROI", fmt.percent(roi), detail="(incremental GP - cost) / cost" if roi is not None
            else "no cost to divide by", status=None if roi is None else "bad" if roi < 0 else "good"),
    )


def day_chart(days: pd.DataFrame, currency: str) -> html.Div:
    fig = charts.figure(height=320)
    dates = [f"{d:%d %b}" for d in days.date]
    before = [f"{d:%d %b}" for d in days.baseline_date]
    fig.add_trace(go.Scatter(x=days.day, y=days.cumulative_baseline_revenue, name="Baseline", mode="lines",
                             line=dict(color=charts.BUDGET, width=2, dash="dot"), customdata=before,
                             hovertemplate=charts.hover("day %{x} (%{customdata})",
                                                        "baseline " + charts.amount("money", currency) + " so far")))
    fig.add_trace(go.Scatter(x=days.day, y=days.cumulative_revenue, name="During the campaign", mode="lines",
                             line=dict(color=charts.ACTUAL, width=3), customdata=dates,
                             hovertemplate=charts.hover("day %{x} (%{customdata})",
                                                        "campaign " + charts.amount("money", currency) + " so far")))
    fig.update_xaxes(title="day of the campaign")
    fig.update_yaxes(tickformat="~s", title=f"cumulative revenue, {currency}")
    return charts.graph("campaign-days", fig,
                        title="Target segment revenue, running total: campaign against baseline",
                        hint="Each day of the campaign beside the same day of the baseline (as many days just "
                             "before it).")


def render_one(ctx: PageContext) -> list:
    if not ctx.has("campaigns"):
        return _needs_campaigns()
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    campaign_id = ctx.args["campaign_id"]
    found = m.campaigns.campaign(campaign_id, f, s)
    if found.empty:
        return [notices.error(f"There is no campaign {campaign_id}; pick one on the Campaigns page.")]
    row = found.iloc[0]
    back = dcc.Link("← All campaigns", href=ctx.link("/campaigns"), className="ms-note")
    body: list[Component] = [html.Div([html.H2(row["name"], className="ms-grid-title", id="campaign-name"), back],
                     className="ms-grid-header"), facts(row), kpis(row, ctx.currency)]
    if not bool(row.complete):
        body.append(notices.empty("The loaded invoices do not cover this campaign and its baseline from start to "
                                  "end: the comparison is partial."))
    body.append(day_chart(m.campaigns.by_day(campaign_id, f, s), ctx.currency))
    reached = m.campaigns.customers(campaign_id, f, s)
    reached = reached.assign(in_target=reached.in_target.map({True: "yes", False: "no"}))
    body.append(grid("campaign-customers", reached,
                     [Column("customer_name", "Customer", link=True), Column("tier", "Tier", width=120),
                      Column("region", "Region", width=120), Column("in_target", "In target", width=115),
                      Column("attributed_revenue", "Attr. revenue", "money", width=140),
                      Column("attributed_gross_profit", "Attr. GP", "money", signed=True, width=120),
                      Column("attributed_orders", "Orders", "count", width=105),
                      Column("won_deals", "Won deals", "count", width=120),
                      Column("won_value", "Won value", "money", width=125)],
                     title="Customers the campaign reached", entity="customer"))
    body.append(html.P(HOW + " The campaign's figures cover its own dates, whatever the date range.",
                       className="ms-note"))
    return body


PAGE = Page(path="/campaigns", title="Campaigns", render=render)
DETAIL = Page(path="/campaigns/<campaign_id>", title="Campaign", render=render_one, in_menu=False)
