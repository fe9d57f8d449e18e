"""The global filter bar: the same controls on every page, their values mirrored in the URL."""

from __future__ import annotations

from dash import dcc, html

from marginscope.metrics import Scope
from marginscope.metrics.engine import Metrics
from marginscope.metrics.semantic import COMPARISONS, DEFAULT_COMPARISON, DIMENSIONS, Choices

DROPDOWNS = {d.control: (d.parameter, d.label) for d in DIMENSIONS}
"""Control id -> (query parameter, label), from the semantic layer's dimensions."""
COMPARISON_CONTROL = "f-compare"


def _options(values: list[str]) -> list[dict]:
    return [{"label": v, "value": v} for v in values]


def _named(frame, key: str) -> list[dict]:
    return [{"label": f"{name} ({value})", "value": value} for value, name in zip(frame[key], frame["name"])]


def options(metrics: Metrics, scope: Scope) -> dict[str, list[dict]]:
    """The choices of every dropdown; a searched one (customers) starts empty and is filled as the user types."""
    catalog = metrics.catalog
    choices: dict[str, list[dict]] = {}
    for dimension in DIMENSIONS:
        if dimension.choices is Choices.SEARCHED:
            choices[dimension.control] = []
        elif dimension.column == "rep_id":
            choices[dimension.control] = _named(catalog.reps(), "rep_id")
        elif dimension.column == "product_id":
            choices[dimension.control] = _named(catalog.products(), "product_id")
        elif dimension.column == "category":
            choices[dimension.control] = _options(catalog.categories())
        else:
            choices[dimension.control] = _options(catalog.attribute_values(dimension.column, scope))
    return choices


def customer_options(metrics: Metrics, scope: Scope, text: str, selected: list[str]) -> list[dict]:
    """The customers matching ``text``, after the ones already selected (so they stay shown)."""
    chosen = metrics.catalog.customer_names(selected, scope) if selected else None
    found = metrics.catalog.find_customers(text or "", scope)
    rows = ([] if chosen is None else list(chosen.itertuples())) + list(found.itertuples())
    seen, result = set(), []
    for row in rows:
        if row.customer_id not in seen:
            seen.add(row.customer_id)
            result.append({"label": f"{row.name} ({row.customer_id})", "value": row.customer_id})
    return keeping_selected(result, selected)


def keeping_selected(options: list[dict], selected: list[str]) -> list[dict]:
    """``options`` with every selected value among them: a value the data lacks (a link to a customer since
    removed, or outside the user's scope) stays selected and says so. A dropdown drops a value that is not
    among its options, and the URL then lost the filter: the page showed everything instead of nothing.

    >>> keeping_selected([{"label": "North", "value": "North"}], ["North", "Nowhere"])[1]
    {'label': 'Nowhere (not in the data)', 'value': 'Nowhere'}
    """
    known = {option["value"] for option in options}
    return options + [{"label": f"{value} (not in the data)", "value": value} for value in selected
                      if value not in known]


def filter_bar() -> html.Div:
    """The controls, without choices: the app fills them from the metrics layer in a callback."""
    controls = [html.Div([html.Label("Dates", htmlFor="f-dates"),
                          dcc.DatePickerRange(id="f-dates", display_format="YYYY-MM-DD", first_day_of_week=1,
                                              minimum_nights=0, clearable=True, updatemode="bothdates")],
                         className="ms-filter ms-filter-dates")]
    for dimension in DIMENSIONS:
        # A searched dropdown lists nothing until the user types: its placeholder says so.
        searched = dimension.choices is Choices.SEARCHED
        controls.append(html.Div([
            html.Label(dimension.label, htmlFor=dimension.control),
            dcc.Dropdown(id=dimension.control, options=[], multi=True,
                         placeholder="Type to search" if searched else "All",
                         searchable=True, clearable=True, optionHeight=30),
        ], className="ms-filter"))
    controls.append(html.Div([
        html.Label("Compare with", htmlFor=COMPARISON_CONTROL),
        dcc.Dropdown(id=COMPARISON_CONTROL, value=DEFAULT_COMPARISON, clearable=False, searchable=False,
                     options=[{"label": c.label, "value": c.name} for c in COMPARISONS.values()]),
    ], className="ms-filter ms-filter-compare"))
    controls.append(html.Div(html.Button("Clear filters", id="f-clear", className="ms-button", n_clicks=0),
                             className="ms-filter ms-filter-action"))
    return html.Div(controls, className="ms-filter-bar", id="filter-bar")
