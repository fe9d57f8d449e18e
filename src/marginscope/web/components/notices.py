"""What a page says when it cannot show something."""

from __future__ import annotations

from dash import html

NOTHING_TO_SHOW = "Nothing to show for this selection: widen the dates or clear a filter."
"""What an empty chart or grid says in place of blank axes or an empty table."""

# table -> what it holds, in the words of the people who load it
HOLDS = {
    "budgets": "the budget (monthly revenue and gross-profit targets)",
    "opportunities": "CRM opportunities",
    "costs_to_serve": "customer costs (freight, service, sales expenses)",
    "reps": "the sales reps and their managers",
    "invoice_lines": "ERP invoice lines",
    "customers": "the customer master",
    "payments": "payments",
    "orders": "orders",
    "campaigns": "the marketing campaigns (dates, cost, target segment)",
    "nps_responses": "NPS survey answers",
}


def needs(table: str, what: str) -> html.Div:
    """A notice that ``what`` needs ``table``, with the command that loads it."""
    return html.Div(className="ms-notice", children=[
        html.Strong(f"{what} needs {HOLDS.get(table, table)}. "),
        "Nothing is loaded in ", html.Code(table), " yet. Load it with ",
        html.Code(f"marginscope load {table} FILE"), " (see ", html.Code("marginscope schema " + table),
        " for the columns).",
    ])


def empty(message: str) -> html.Div:
    return html.Div(message, className="ms-notice")


def error(message: str) -> html.Div:
    return html.Div(message, className="ms-notice ms-error")
