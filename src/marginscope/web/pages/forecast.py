"""Forecast: monthly revenue or gross profit of the company, or of each region, category or rep,
with 80% and 95% intervals and, beside every forecast, the backtest that chose its model.

``/forecast`` shows the company's revenue; ``/forecast/<series>/<measure>`` another series
(``company``, ``region``, ``category``, ``rep_id``) or measure (``revenue``, ``gross_profit``),
so that every view has its own URL (bookmarks, exports). The forecast is made as of the end
of the date range (see :mod:`marginscope.metrics.forecast`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from marginscope import formats as fmt
from marginscope.metrics import forecast
from marginscope.metrics.forecast import MEASURES as forecast_measures
from marginscope.metrics.semantic import MEASURES
from marginscope.web.components import charts, notices
from marginscope.web.components.cards import kpi, kpi_row
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

MEASURE_NAMES = {name: MEASURES[name].label for name in forecast_measures}  # the semantic layer's labels
SERIES_NAMES = {"company": "Company", "region": "Region", "category": "Category", "rep_id": "Rep"}
CLICKS = {"region": "region", "category": "category", "rep_id": "rep"}  # a click filters by the series
HISTORY_SHOWN = 36  # months of history drawn before the forecast


def view_path(series: str, measure: str) -> str:
    return "/forecast" if (series, measure) == ("company", "revenue") else f"/forecast/{series}/{measure}"


def relative(value) -> str:
    """A model's error as a multiple of the seasonal-naive forecast's (relative MAE)."""
    value = fmt.number(value)
    return fmt.MISSING if value is None else f"{value:.2f}×"


def chooser(ctx: PageContext, series: str, measure: str) -> html.Div:
    def group(label: str, options: dict[str, str], chosen: str, path) -> html.Div:
        links = [dcc.Link(name, href=ctx.link(path(value)), id=f"choose-{value}",
                          className="ms-choice active" if value == chosen else "ms-choice")
                 for value, name in options.items()]
        return html.Div([html.Span(label), *links], className="ms-choice-group")

    return html.Div([group("Series", SERIES_NAMES, series, lambda value: view_path(value, measure)),
                     group("Measure", MEASURE_NAMES, measure, lambda value: view_path(series, value))],
                    className="ms-choices")


def series_chart(name: str, rows: pd.DataFrame, label: str, measure: str, currency: str, *, height: int,
                 clicks: str | None = None, key: str | None = None, subtitle: str | None = None,
                 legend: bool = True) -> html.Div:
    """History (navy) and forecast (dashed) with its 80% and 95% bands; a click filters by ``key``."""
    actual = rows[rows.kind == "actual"].tail(HISTORY_SHOWN)
    ahead = rows[rows.kind == "forecast"]
    fig = charts.figure(height=height)
    measure_label, money = MEASURE_NAMES[measure], charts.amount("money", currency)

    def bound(index: int) -> str:
        return charts.amount("money", currency, axis=f"customdata[{index}]")

    for level, colour in ((95, charts.BAND_95), (80, charts.BAND_80)):
        fig.add_trace(go.Scatter(x=ahead.period, y=ahead[f"hi{level}"], mode="lines", line=dict(width=0),
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=ahead.period, y=ahead[f"lo{level}"], mode="lines", line=dict(width=0),
                                 fill="tonexty", fillcolor=colour, name=f"{level}% interval", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=actual.period, y=actual.value, name="Actual", mode="lines+markers",
                             line=dict(color=charts.ACTUAL, width=2), marker=dict(size=4),
                             customdata=[[key]] * len(actual),
                             hovertemplate=charts.hover(charts.MONTH, f"{measure_label} {money}", name="actual")))
    if not ahead.empty:
        # The forecast line starts at the last actual month, so the two read as one line.
        joined = pd.concat([actual.tail(1), ahead])
        fig.add_trace(go.Scatter(
            x=joined.period, y=joined.value, name="Forecast", mode="lines+markers",
            line=dict(color=charts.FORECAST, width=2, dash="dash"), marker=dict(size=4),
            customdata=joined[["lo80", "hi80", "lo95", "hi95"]].assign(key=key)[
                ["key", "lo80", "hi80", "lo95", "hi95"]].values,
            hovertemplate=charts.hover(
                charts.MONTH, f"{measure_label} forecast {money}",
                f"80%: {bound(1)} to {bound(2)}", f"95%: {bound(3)} to {bound(4)}", name="forecast")))
    fig.update_yaxes(tickformat="~s", title=currency)
    fig.update_xaxes(tickformat="%b %y")
    if not legend:
        fig.update_layout(showlegend=False, margin=dict(t=10))
    title = f"{label}: {MEASURE_NAMES[measure].lower()} by month"
    return charts.graph(f"forecast-{name}", fig, clicks=clicks if key else None, title=title, hint=subtitle)


def backtest_facts(row: pd.Series, currency: str) -> html.Div:
    """The backtest of one series, beside its forecast."""
    if row.model is None or pd.isna(row.model):
        return html.Div([html.H3("Backtest", className="ms-grid-title"),
                         notices.empty(f"No forecast: {row.note}.")], className="ms-panel", id="panel-backtest")
    facts = [
        ("Model chosen", row.model, "forecast-model"),
        ("Backtest MAPE", fmt.percent(row.mape), "forecast-mape"),
        ("Seasonal-naive MAPE", fmt.percent(row.seasonal_naive_mape), "forecast-naive-mape"),
        ("Error vs seasonal naive (MAE ratio)", relative(row.relative_mae), "forecast-relative"),
        ("Backtest MAE", fmt.money(row.mae, currency), "forecast-mae"),
        ("Months backtested", f"last {row.backtest_months} of {row.history_months}", "forecast-months"),
        ("Origins", f"{row.first_origin:%d %b %Y} to {row.last_origin:%d %b %Y}", "forecast-origins"),
        ("Forecasts compared", fmt.count(row.forecasts), "forecast-count"),
    ]
    return html.Div([
        html.H3("Backtest", className="ms-grid-title"),
        html.Dl([part for label, value, name in facts for part in (html.Dt(label), html.Dd(value, id=name))],
                className="ms-facts"),
        html.P("Every model was fitted on the months up to each origin and forecast the months after it up to "
               "the last complete month; the lowest mean absolute error won. A ratio below 1 beats repeating "
               "last year's month.", className="ms-note"),
    ], className="ms-panel", id="panel-backtest")


def _labels(ctx: PageContext, series: str, names) -> dict[str, str]:
    if series != "rep_id":
        return {name: name for name in names}
    reps = ctx.metrics.catalog.reps().set_index("rep_id").name
    return {name: f"{reps[name]} ({name})" if name in reps.index else name for name in names}


def model_and_error(model, mape, relative_mae) -> str:
    """What made a forecast and how it did in the backtest, in one line."""
    against = (f"error {relative(relative_mae)} seasonal naive's" if fmt.number(relative_mae) is not None
               else "error vs seasonal naive n/a")
    return f"{model} · backtest MAPE {fmt.percent(mape)} · {against}"


def _small_multiple_subtitle(row: pd.Series) -> str:
    if row.model is None or pd.isna(row.model):
        return f"No forecast: {row.note}."
    return model_and_error(row.model, row.mape, row.relative_mae)


def backtest_grid(backtest: pd.DataFrame, labels: dict[str, str], header: str) -> html.Div:
    table = backtest.assign(label=backtest.series.map(labels),
                            # pandas-stubs' Sequence[Scalar] leaves out None, which a column's values may be
                            origins=[None if pd.isna(first) else f"{first:%d %b %Y} – {last:%d %b %Y}"  # type: ignore[misc]
                                     for first, last in zip(backtest.first_origin, backtest.last_origin)])
    columns = [
        Column("label", header), Column("model", "Model"),
        Column("mape", "Backtest MAPE", "percent"), Column("seasonal_naive_mape", "Seasonal-naive MAPE", "percent"),
        Column("relative_mae", "Error vs seasonal naive", "ratio"), Column("mae", "MAE", "money"),
        Column("history_months", "Months of history", "count"),
        Column("backtest_months", "Months backtested", "count"), Column("origins", "Origins", width=210)]
    if table.note.notna().any():
        columns.append(Column("note", "Why no forecast"))
    return grid("forecast-backtest", table, columns, title="Backtest: the model of each forecast and its error",
                page_size=12)


def render(ctx: PageContext) -> list:
    series = ctx.args.get("series", "company")
    measure = ctx.args.get("measure", "revenue")
    if series not in forecast.SERIES or measure not in forecast.MEASURES:
        return [chooser(ctx, "company", "revenue"),
                notices.error(f"There is no forecast of {measure} by {series}; pick one above.")]
    as_of = forecast.as_of_for(ctx.filters)
    m, f, s, c = ctx.metrics, ctx.filters, ctx.scope, ctx.currency
    monthly = m.forecast.monthly(measure, series, filters=f, scope=s, as_of=as_of)
    backtest = m.forecast.backtest(measure, series, f, s, as_of)
    last = forecast.last_complete_month(as_of)
    intro = html.P(f"As of {as_of:%d %b %Y} (the end of the date range, or today): the history is every complete "
                   f"month up to {last:%B %Y}, whatever the range's start.", className="ms-note")
    body = [chooser(ctx, series, measure), intro]
    if monthly.empty:
        return [*body, notices.empty(f"No sales in this selection up to {as_of:%d %b %Y}: nothing to forecast.")]
    labels = _labels(ctx, series, backtest.series)
    facts = backtest.set_index("series")
    if series == "company":
        row = facts.iloc[0]
        body.append(html.Div([
            series_chart("Total", monthly, "Company", measure, c, height=380,
                         subtitle=f"The last {HISTORY_SHOWN} months of history and the forecast; shaded: the 80% "
                                  "and 95% intervals."),
            backtest_facts(row, c)], className="ms-row ms-forecast-row"))
    else:
        panels = []
        for group, rows in monthly.groupby("series", sort=False):
            name = cast(str, group)
            key = None if name in (forecast.OTHER, forecast.NO_VALUE) else name
            subtitle = _small_multiple_subtitle(cast(pd.Series, facts.loc[name]))  # one row per series
            panels.append(series_chart(name, rows, labels[name], measure, c, height=230, clicks=CLICKS[series],
                                       key=key, subtitle=subtitle, legend=False))
        body.append(html.P(f"Navy: actual; dashed: forecast; shaded: its 80% and 95% intervals. Click a chart to "
                           f"filter by its {SERIES_NAMES[series].lower()}.", className="ms-note ms-legend-note"))
        body.append(html.Div(panels, className="ms-multiples"))
        if len(backtest) > forecast.DEFAULT_LIMIT:
            body.append(html.P(f"The {forecast.DEFAULT_LIMIT} {SERIES_NAMES[series].lower()}s with the most revenue "
                               "over the last 12 months are shown one by one; the rest together as Other. Filter by "
                               "one to see its own forecast.", className="ms-note"))
    if series != "company":  # the company's backtest is beside its chart
        body.append(backtest_grid(backtest, labels, SERIES_NAMES[series]))
    ahead = monthly[monthly.kind == "forecast"]
    ahead = ahead.assign(label=ahead.series.map(labels))
    body.append(grid("forecast-months", ahead, [
        Column("label", SERIES_NAMES[series]), Column("period", "Month", "date"),
        Column("value", "Forecast", "money"), Column("lo80", "80% low", "money"), Column("hi80", "80% high", "money"),
        Column("lo95", "95% low", "money"), Column("hi95", "95% high", "money"), Column("model", "Model")],
        title=f"{MEASURE_NAMES[measure]} forecast by month", page_size=12))
    candidates = m.forecast.candidates(measure, series, f, s, as_of)
    candidates = candidates.assign(label=candidates.series.map(labels))
    body.append(grid("forecast-candidates", candidates, [
        Column("label", SERIES_NAMES[series]), Column("model", "Model"), Column("chosen", "Chosen"),
        Column("mae", "MAE", "money"), Column("mape", "MAPE", "percent"),
        Column("relative_mae", "Error vs seasonal naive", "ratio"), Column("note", "Note")],
        title="Every model the backtest compared", page_size=8))
    return body


def start_outlook(ctx: PageContext) -> None:
    """Start fitting the forecasts :func:`outlook` shows, so that they are fitted while the page runs its queries."""
    as_of = forecast.as_of_for(ctx.filters)
    horizon = ctx.metrics.forecast.horizon_to(dt.date(as_of.year, 12, 1), as_of)
    for measure in MEASURE_NAMES:
        ctx.metrics.forecast.start(measure, "company", horizon, ctx.filters, ctx.scope, as_of)


def outlook(ctx: PageContext) -> html.Div:
    """The full-year outlook per measure against the full-year budget, with the forecast's backtest error."""
    as_of = forecast.as_of_for(ctx.filters)
    table = ctx.metrics.budget.full_year_outlook(as_of.year, ctx.filters, ctx.scope, as_of=as_of)
    c, cards = ctx.currency, []
    row: Any  # a named tuple of the table's columns, as untyped as they are
    for row in table.itertuples():
        name = f"{MEASURE_NAMES[row.measure]} outlook {as_of.year}"
        if pd.isna(row.outlook):
            cards.append(kpi(f"outlook-{row.measure}", name, fmt.MISSING,
                             detail=f"No forecast: {row.forecast_note}." if row.forecast_note else "No forecast."))
            continue
        attainment = fmt.number(row.outlook_attainment)
        detail = (f"{fmt.percent(attainment)} of the {fmt.money(row.full_year_budget, c)} full-year budget"
                  if attainment is not None else "no full-year budget to compare with")
        notes = [f"{fmt.money(row.actual_to_date, c)} actual to {as_of:%d %b} + {fmt.money(row.forecast_rest, c)} "
                 "forecast"]
        if row.model:
            notes.append(model_and_error(row.model, row.backtest_mape, row.relative_mae))
        cards.append(kpi(f"outlook-{row.measure}", name, fmt.money(row.outlook, c),
                         exact=fmt.money_exact(row.outlook, c), detail=detail,
                         status=None if attainment is None else ("good" if attainment >= 1 else "bad"),
                         notes=notes))
    return html.Div([html.H3(f"Full-year outlook {as_of.year}: actual to {as_of:%d %b %Y} and the forecast of the "
                             "rest of the year", className="ms-section-title"),
                     kpi_row(*cards)], id="outlook")


PAGE = Page(path="/forecast", title="Forecast", render=render)
VIEW = Page(path="/forecast/<series>/<measure>", title="Forecast", render=render, in_menu=False,
            section="/forecast")
