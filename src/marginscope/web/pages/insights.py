"""Insights: the findings of :mod:`marginscope.insights` as cards, critical first.

Each card states the finding, its numbers, a link to the page with the evidence (keeping the
URL's filters) and the customers, products or reps it names (customers open their portrait).
The page is printed to PDF like every page (the export's "PDF" on this page is the findings
report).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from marginscope import formats as fmt
from marginscope.insights import SEVERITIES, Finding
from marginscope.web.components import notices
from marginscope.web.pages import Page, PageContext

HEADINGS = {"critical": "Critical", "warning": "Warnings", "info": "For information"}
# How a number is shown, by words in its name (the first that matches); counts and text as they are.
PERCENT_WORDS = ("share", "attainment", "growth", "rate")
MONEY_WORDS = ("revenue", "change", "budget", "margin", "outlook", "sale", "actual", "variance")
HIDDEN = {"dimension", "id", "name", "quadrant"}  # said by the title already


def label(name: str) -> str:
    """``gp_share_of_top`` -> ``GP share of top``."""
    return name.replace("_", " ").replace("gp ", "GP ").replace(" gp", " GP").capitalize().replace("Gp ", "GP ")


def shown(name: str, value, currency: str) -> str:
    if value is None or isinstance(value, (str, dt.date)) or name == "year":
        return fmt.MISSING if value is None else str(value)
    if isinstance(value, int):
        return fmt.count(value)
    if "multiple" in name:
        return f"{fmt.decimal_number(value)}x"
    if any(word in name for word in PERCENT_WORDS):
        return fmt.percent(value)
    if any(word in name for word in MONEY_WORDS):
        return fmt.money(value, currency)
    return fmt.decimal_number(value, 2)


def entity(ctx: PageContext, item) -> html.Span:
    name = html.A(item.name, href=ctx.link(item.path)) if item.path else html.Strong(item.name)
    return html.Span([name, f" · {item.note}" if item.note else ""], className="ms-finding-entity")


def card(ctx: PageContext, index: int, finding: Finding) -> html.Div:
    numbers = [html.Div([html.Dt(label(name)), html.Dd(shown(name, value, ctx.currency))])
               for name, value in finding.numbers.items() if name not in HIDDEN]
    children = [
        html.Div([html.Span(finding.severity, className=f"ms-badge ms-badge-{finding.severity}"),
                  html.Span(finding.title, className="ms-finding-title")], className="ms-finding-head"),
        html.P(finding.text, className="ms-finding-text"),
        html.Dl(numbers, className="ms-finding-numbers"),
    ]
    if finding.entities:
        children.append(html.Div([entity(ctx, e) for e in finding.entities], className="ms-finding-entities"))
    children.append(dcc.Link("See the evidence →", href=ctx.link(finding.url()), className="ms-finding-link"))
    data: dict[str, Any] = {"data-kind": finding.kind}  # a data-* attribute, which Dash's types lack
    return html.Div(children, id=f"finding-{index}", className=f"ms-finding ms-finding-{finding.severity}", **data)


def render(ctx: PageContext) -> list:
    if not ctx.has("invoice_lines"):
        return [notices.needs("invoice_lines", "Insights")]
    found = ctx.metrics.insights.findings(ctx.filters, ctx.scope, currency=ctx.currency, comparison=ctx.comparison)
    if not found:
        return [notices.empty("No finding passes its threshold for this selection. Findings appear when the "
                              "data supports them: widen the date range or clear some filters.")]
    body: list[Component] = [html.P(f"{len(found)} findings for this selection, written from the figures of the "
                                    "pages they link to. Each appears only when its threshold is passed.",
                                    className="ms-subtitle")]
    index = 0
    for severity in SEVERITIES:
        group = [f for f in found if f.severity == severity]
        if not group:
            continue
        cards = []
        for finding in group:
            cards.append(card(ctx, index, finding))
            index += 1
        body.append(html.Section([html.H2(f"{HEADINGS[severity]} ({len(group)})", className="ms-finding-group"),
                                  html.Div(cards, className="ms-findings")], id=f"findings-{severity}"))
    return body


PAGE = Page(path="/insights", title="Insights", render=render)
