"""Overview: how we stand against budget, the trend of the last two years and this one,
who and what sells most, and where."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

import pandas as pd
from dash import html

from marginscope import formats as fmt
from marginscope.metrics import forecast as forecasting
from marginscope.metrics import semantic
from marginscope.metrics.periods import add_months
from marginscope.metrics.semantic import MEASURES
from marginscope.web.components import charts
from marginscope.web.components.cards import kpi, kpi_row, status_of
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext
from marginscope.web.pages import forecast as forecast_page

MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


def _attainment_detail(row: pd.Series | None, moved: str | None, growth: float | None) -> tuple[str, str | None]:
    parts, status = [], None
    if row is not None and fmt.number(row["attainment"]) is not None:
        parts.append(f"{fmt.percent(row['attainment'])} of budget")
        status = "good" if row["attainment"] >= 1 else "bad"
    if moved is not None:
        parts.append(moved)
        status = status or status_of(growth)
    return " · ".join(parts) or "no budget or comparison", status


def kpis(ctx: PageContext) -> html.Div:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    summary = m.sales.summary(f, s).iloc[0]
    compared = m.sales.compare(ctx.comparison, f, s).set_index("measure")
    to_date = m.budget.to_date(f, s).set_index("measure") if ctx.has("budgets") else None

    def growth(measure):
        return fmt.number(compared.loc[measure, "growth"])

    def moved(measure):
        return fmt.change(measure, compared.loc[measure, "change"], compared.loc[measure, "growth"],
                          ctx.compared_with)

    def budget_row(measure):
        return to_date.loc[measure] if to_date is not None and measure in to_date.index else None

    revenue_detail, revenue_status = _attainment_detail(budget_row("revenue"), moved("revenue"), growth("revenue"))
    profit_detail, profit_status = _attainment_detail(budget_row("gross_profit"), moved("gross_profit"),
                                                      growth("gross_profit"))
    c = ctx.currency
    return kpi_row(
        kpi("revenue", "Revenue", fmt.money(summary.revenue, c), exact=fmt.money_exact(summary.revenue, c),
            detail=revenue_detail, status=revenue_status),
        kpi("gross_profit", "Gross profit", fmt.money(summary.gross_profit, c),
            exact=fmt.money_exact(summary.gross_profit, c), detail=profit_detail, status=profit_status),
        kpi("gross_margin", "Gross margin", fmt.percent(summary.gross_margin),
            detail=moved("gross_margin"), status=status_of(fmt.number(compared.loc["gross_margin", "change"]))),
        kpi("contribution_margin", "Contribution margin", fmt.money(summary.contribution_margin, c),
            exact=fmt.money_exact(summary.contribution_margin, c),
            detail=f"{fmt.percent(summary.contribution_margin_pct)} of revenue after cost to serve",
            status="bad" if (fmt.number(summary.contribution_margin) or 0) < 0 else None),
        kpi("orders", "Orders", fmt.count(summary.orders), detail=moved("orders"), status=status_of(growth("orders"))),
        kpi("active_customers", "Active customers", fmt.count(summary.active_customers),
            detail=f"average order {fmt.money(summary.average_order_value, c)}"),
    )


def trend_by_year(ctx: PageContext, measure: str, title: str) -> html.Div:
    """The measure by month for the year of the range's end and the two years before it."""
    end = ctx.filters.end or dt.date.today()
    span = replace(ctx.filters, start=dt.date(end.year - 2, 1, 1), end=end)
    trend = ctx.metrics.sales.trend("month", span, ctx.scope)
    fig = charts.figure(height=300)
    partial = trend[trend.partial & (pd.to_datetime(trend.period).dt.year == end.year)]
    whole = trend.drop(partial.index)
    months = pd.to_datetime(whole.period).tolist()
    values = whole[measure].astype(float).tolist()
    by_month = {(month.year, month.month): value for month, value in zip(months, values)}
    label = MEASURES[measure].label
    for offset, colour in zip((2, 1, 0), charts.YEAR_COLOURS):
        year = end.year - offset
        of_year = [(month, value) for month, value in zip(months, values) if month.year == year]
        # Each month beside the same month a year before: the comparison the lines draw, in words.
        against = [fmt.change(measure, None if (prior := by_month.get((year - 1, month.month))) is None
                              else value - prior,
                              semantic.growth(value, prior), f"vs {MONTHS[month.month - 1]} {year - 1}") or ""
                   for month, value in of_year]
        fig.add_trace(dict(
            type="scatter", x=[MONTHS[month.month - 1] for month, _ in of_year], y=[value for _, value in of_year],
            name=str(year), mode="lines+markers", line=dict(color=colour, width=3 if offset == 0 else 2),
            customdata=against,
            hovertemplate=charts.hover(f"%{{x}} {year}", f"{label} {charts.amount('money', ctx.currency)}",
                                       "%{customdata}")))
    if not partial.empty:
        fig_partial(ctx, fig, measure, partial.iloc[0])
    if ctx.has("budgets"):
        year_filters = replace(ctx.filters, start=dt.date(end.year, 1, 1), end=dt.date(end.year, 12, 31))
        budget = ctx.metrics.budget.monthly_budget(year_filters, ctx.scope)
        budget = budget[budget.measure == measure]
        if not budget.empty:
            fig.add_trace(dict(type="scatter", x=[MONTHS[p.month - 1] for p in budget.period],
                               y=budget.budget.tolist(), name=f"{end.year} budget", mode="lines",
                               line=dict(color=charts.BUDGET, dash="dash"),
                               hovertemplate=charts.hover(f"%{{x}} {end.year}",
                                                          f"{label} budget {charts.amount('money', ctx.currency)}")))
    as_of = forecasting.as_of_for(ctx.filters)
    if as_of.year == end.year:
        ahead = ctx.metrics.forecast.monthly(measure, "company", filters=ctx.filters, scope=ctx.scope, as_of=as_of)
        ahead = ahead[(ahead.kind == "forecast") & (pd.to_datetime(ahead.period).dt.year == end.year)]
        if not ahead.empty:
            fig.add_trace(dict(type="scatter", x=[MONTHS[p.month - 1] for p in ahead.period],
                               y=ahead.value.tolist(), name=f"{end.year} forecast", mode="lines+markers",
                               line=dict(color=charts.FORECAST, dash="dot", width=2), marker=dict(size=5),
                               hovertemplate=charts.hover(f"%{{x}} {end.year}",
                                                          f"{label} forecast {charts.amount('money', ctx.currency)}")))
    fig.update_xaxes(categoryorder="array", categoryarray=MONTHS)
    fig.update_yaxes(tickformat="~s", title=ctx.currency)
    return charts.graph(f"trend-{measure}", fig, title=title)


def fig_partial(ctx: PageContext, fig, measure: str, month: pd.Series) -> None:
    """The month in progress, drawn apart from the whole months (a hollow point, not a fall of the line),
    beside the same days of the year before: a partial month is compared like for like."""
    first, last = month.first_day.date(), month.last_day.date()
    days = f"{first.day}–{last.day}" if first != last else f"{first.day}"
    label = MONTHS[first.month - 1]
    now = float(month[measure])
    year_before = ctx.metrics.sales.summary(
        replace(ctx.filters, start=add_months(first, -12), end=add_months(last, -12)), ctx.scope).iloc[0]
    before = float(year_before[measure])
    money = charts.amount("money", ctx.currency)
    moved = fmt.change(measure, now - before, semantic.growth(now, before), f"vs {label} {days} {first.year - 1}")
    fig.add_trace(dict(type="scatter", x=[label], y=[now], mode="markers",
                       name=f"{first.year} {label} {days} (partial)",
                       hovertemplate=charts.hover(f"{label} {days} {first.year} (partial)",
                                                  f"{MEASURES[measure].label} {money}", moved or ""),
                       marker=dict(color=charts.YEAR_COLOURS[2], size=11, symbol="circle-open", line=dict(width=3))))
    fig.add_trace(dict(type="scatter", x=[label], y=[before], mode="markers",
                       name=f"{first.year - 1} {label} {days} (same days)",
                       hovertemplate=charts.hover(f"{label} {days} {first.year - 1}",
                                                  f"{MEASURES[measure].label} {money}"),
                       marker=dict(color=charts.YEAR_COLOURS[1], size=9, symbol="diamond-open", line=dict(width=2))))


def by_region(ctx: PageContext) -> html.Div:
    # Revenue and profit only: the ranking's query, without the cost to serve and the counts of ``by``.
    regions = ctx.metrics.sales.top("region", None, ctx.filters, ctx.scope)
    labels = regions.region.fillna("(none)")
    fig = charts.figure(height=300)
    clicked = [[None if pd.isna(region) else region] for region in regions.region]
    money = charts.amount("money", ctx.currency)
    margins = [fmt.percent(margin) for margin in regions.gross_margin]
    fig.add_trace(dict(type="bar", x=labels.tolist(), y=regions.revenue.astype(float).tolist(), name="Revenue",
                       marker=dict(color=charts.ACTUAL), customdata=clicked,
                       hovertemplate=charts.hover("%{x}", f"Revenue {money}")))
    fig.add_trace(dict(type="bar", x=labels.tolist(), y=regions.gross_profit.astype(float).tolist(),
                       name="Gross profit", marker=dict(color=charts.PROFIT),
                       customdata=[[*region, margin] for region, margin in zip(clicked, margins)],
                       hovertemplate=charts.hover("%{x}", f"Gross profit {money}", "margin %{customdata[1]}")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat="~s", title=ctx.currency)
    return charts.graph("by-region", fig, clicks="region", title="Revenue and gross profit by region",
                        hint="Click a region to filter every page by it.")


def render(ctx: PageContext) -> list:
    m, f, s = ctx.metrics, ctx.filters, ctx.scope
    forecast_page.start_outlook(ctx)
    # The sections without forecasts are made first, while the forecasts are fitted; then the trends,
    # which query before they wait for their forecast (revenue's is fitted first); the outlook last.
    cards = kpis(ctx)
    top_customers = m.sales.top("customer_id", 10, f, s)
    top_products = m.sales.top("product_id", 10, f, s)
    regions = by_region(ctx)
    trends = [trend_by_year(ctx, "revenue", "Revenue by month: this year and the two before"),
              trend_by_year(ctx, "gross_profit", "Gross profit by month")]
    return [
        cards,
        forecast_page.outlook(ctx),
        html.Div(trends, className="ms-row"),
        html.Div([
            grid("top-customers", top_customers, [
                Column("customer_name", "Customer", link=True), Column("region", "Region"),
                Column("revenue", "Revenue", "money"), Column("gross_profit", "Gross profit", "money", signed=True),
                Column("gross_margin", "GM %", "percent", signed=True)], title="Top customers", entity="customer"),
            grid("top-products", top_products, [
                Column("product_name", "Product", link=True), Column("category", "Category"),
                Column("revenue", "Revenue", "money"), Column("gross_profit", "Gross profit", "money", signed=True),
                Column("gross_margin", "GM %", "percent", signed=True)], title="Top products", entity="product"),
        ], className="ms-row"),
        regions,
    ]


PAGE = Page(path="/", title="Overview", render=render)
