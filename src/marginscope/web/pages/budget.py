"""Budget: actual against budget by month and by every dimension the budget was written at."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from marginscope import formats as fmt
from marginscope.metrics.budget import MEASURES as budget_measures
from marginscope.metrics.semantic import MEASURES
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext
from marginscope.web.pages import forecast as forecast_page

MEASURE_NAMES = {name: MEASURES[name].label for name in budget_measures}  # the semantic layer's labels
DIMENSION_NAMES = {"region": "Region", "product_category": "Product category", "rep_id": "Rep",
                   "customer_tier": "Customer tier"}


def monthly_chart(months, measure: str, currency: str) -> html.Div:
    rows = months[months.measure == measure]
    fig = charts.figure(height=300)
    elapsed = rows[~rows.future.astype(bool)]
    below = (elapsed.actual < elapsed.budget).tolist()
    money = charts.amount("money", currency)
    against = [[f"{fmt.money(variance, currency)} against budget ({fmt.percent(attainment)})"
                if fmt.number(attainment) is not None else "no budget this month",
                " (partial month, budget prorated)" if partial else ""]
               for variance, attainment, partial in zip(elapsed.variance, elapsed.attainment, elapsed.partial)]
    fig.add_trace(go.Bar(x=elapsed.period, y=elapsed.actual, name="Actual",
                         marker_color=[charts.LOSS if b else charts.ACTUAL for b in below], customdata=against,
                         hovertemplate=charts.hover(charts.MONTH + "%{customdata[1]}", f"Actual {money}",
                                                    "%{customdata[0]}")))
    fig.add_trace(go.Scatter(x=rows.period, y=rows.budget, name="Budget", mode="lines+markers",
                             line=dict(color=charts.BUDGET, dash="dash"),
                             hovertemplate=charts.hover(charts.MONTH, f"Budget {money}")))
    fig.update_yaxes(tickformat="~s", title=currency)
    fig.update_xaxes(dtick="M1", tickformat="%b %y")
    return charts.graph(f"budget-{measure}", fig, title=f"{MEASURE_NAMES[measure]}: actual against budget",
                        hint="Bars are red in months below budget; partial months compare with a prorated budget.")


def dimension_grid(ctx: PageContext, dimension: str) -> html.Div | None:
    table = ctx.metrics.budget.by_dimension(dimension, ctx.filters, ctx.scope)
    table = table.dropna(subset=[dimension])
    if table.empty or table.budget.isna().all():
        return None  # the budget was not written at this grain
    wide = table.pivot(index=dimension, columns="measure", values=["budget", "actual", "variance", "attainment"])
    wide.columns = [f"{measure}_{value}" for value, measure in wide.columns]  # type: ignore[str-unpack]  # pairs
    wide = wide.reset_index()
    columns = [Column(dimension, DIMENSION_NAMES[dimension])]
    for measure in ("revenue", "gross_profit"):
        if f"{measure}_budget" in wide:
            name = MEASURE_NAMES[measure]
            columns += [Column(f"{measure}_budget", f"{name} budget", "money"),
                        Column(f"{measure}_actual", f"{name} actual", "money"),
                        Column(f"{measure}_variance", f"{name} variance", "money", signed=True),
                        Column(f"{measure}_attainment", f"{name} attainment", "percent")]
    return grid(f"budget-by-{dimension}", wide, columns, title=f"By {DIMENSION_NAMES[dimension].lower()}")


def _whose(ctx: PageContext, reps: frozenset[str]) -> str:
    """Whose budget a restricted scope compares with, in a sentence."""
    names = ctx.rep_names()
    named = ", ".join(f"{names.get(rep, rep)} ({rep})" for rep in sorted(reps))
    return (f"The budget of {named}, against {'their' if len(reps) > 1 else 'the'} lines on the customers you "
            "see; a sale to another rep's customer is not counted.")


def render(ctx: PageContext) -> list:
    if not ctx.has("budgets"):
        return [notices.needs("budgets", "The budget page")]
    basis = ctx.metrics.budget.basis(ctx.filters, ctx.scope)
    if not basis.comparable:
        return [notices.empty(basis.reason)]
    m, f, s, c = ctx.metrics, ctx.filters, ctx.scope, ctx.currency
    whose = [] if basis.reps is None else [notices.empty(_whose(ctx, basis.reps))]
    totals = m.budget.to_date(f, s).set_index("measure")
    cards = []
    for measure in ("revenue", "gross_profit"):
        row = totals.loc[measure]
        attainment = fmt.number(row.attainment)
        cards += [
            kpi(f"{measure}_budget", f"{MEASURE_NAMES[measure]} budget to date", fmt.money(row.budget, c),
                exact=fmt.money_exact(row.budget, c)),
            kpi(f"{measure}_actual", f"{MEASURE_NAMES[measure]} actual", fmt.money(row.actual, c),
                exact=fmt.money_exact(row.actual, c),
                detail=f"{fmt.percent(attainment)} attainment, {fmt.money(row.variance, c)} variance"
                if attainment is not None else "no budget for this range",
                status=None if attainment is None else ("good" if attainment >= 1 else "bad")),
        ]
    months = m.budget.by_month(f, s)
    body = [*whose, kpi_row(*cards), forecast_page.outlook(ctx),
            html.Div([monthly_chart(months, "revenue", c), monthly_chart(months, "gross_profit", c)],
                     className="ms-row")]
    body += [g for g in (dimension_grid(ctx, d) for d in DIMENSION_NAMES) if g is not None]
    month_table = months.assign(measure=months.measure.map(MEASURE_NAMES))
    body.append(grid("budget-by-month", month_table, [
        Column("period", "Month", "date"), Column("measure", "Measure"), Column("budget", "Budget", "money"),
        Column("actual", "Actual", "money"), Column("variance", "Variance", "money", signed=True),
        Column("attainment", "Attainment", "percent"), Column("partial", "Partial month"),
        Column("future", "Future")], title="By month", page_size=12))
    return body


PAGE = Page(path="/budget", title="Budget", render=render)
