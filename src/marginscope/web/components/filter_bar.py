"""The global filter bar: the same controls on every page, their values mirrored in the URL."""

from __future__ import annotations

from dash import dcc, html

from marginscope.metrics import Scope
from marginscope.metrics.engine import Metrics

# control id -> (query parameter, label)
DROPDOWNS = {
    "f-region": ("region", "Region"),
    "f-industry": ("industry", "Industry"),
    "f-rep": ("rep", "Rep"),
    "f-tier": ("tier", "Tier"),
    "f-type": ("type", "Customer type"),
    "f-category": ("category", "Product category"),
    "f-product": ("product", "Product"),
    "f-customer": ("customer", "Customer"),
}


def _options(values: list[str]) -> list[dict]:
    return [{"label": v, "value": v} for v in values]


def options(metrics: Metrics, scope: Scope) -> dict[str, list[dict]]:
    """The choices of every dropdown but the customer one (which is searched as you type)."""
    catalog = metrics.catalog
    reps = catalog.reps()
    products = catalog.products()
    return {
        "f-region": _options(catalog.attribute_values("region", scope)),
        "f-industry": _options(catalog.attribute_values("industry", scope)),
        "f-rep": [{"label": f"{r.name} ({r.rep_id})", "value": r.rep_id} for r in reps.itertuples()],
        "f-tier": _options(catalog.attribute_values("tier", scope)),
        "f-type": _options(catalog.attribute_values("customer_type", scope)),
        "f-category": _options(catalog.categories()),
        "f-product": [{"label": f"{p.name} ({p.product_id})", "value": p.product_id} for p in products.itertuples()],
        "f-customer": [],
    }


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
    return result


def filter_bar() -> html.Div:
    """The controls, without choices: the app fills them from the metrics layer in a callback."""
    controls = [html.Div([html.Label("Dates", htmlFor="f-dates"),
                          dcc.DatePickerRange(id="f-dates", display_format="YYYY-MM-DD", first_day_of_week=1,
                                              minimum_nights=0, clearable=True, updatemode="bothdates")],
                         className="ms-filter ms-filter-dates")]
    for control, (_, label) in DROPDOWNS.items():
        controls.append(html.Div([
            html.Label(label, htmlFor=control),
            dcc.Dropdown(id=control, options=[], multi=True, placeholder="All",
                         searchable=True, clearable=True, optionHeight=30),
        ], className="ms-filter"))
    controls.append(html.Div(html.Button("Clear filters", id="f-clear", className="ms-button", n_clicks=0),
                             className="ms-filter ms-filter-action"))
    return html.Div(controls, className="ms-filter-bar", id="filter-bar")
