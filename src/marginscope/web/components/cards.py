"""KPI cards: a label, a figure, and what it is compared with."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html


def kpi(name: str, label: str, value: str, *, exact: str | None = None, detail: str | None = None,
        status: str | None = None, notes: Sequence[str] = ()) -> html.Div:
    """One card. ``status`` ("good" or "bad") colours the detail line; ``exact`` is the hover text;
    ``notes`` are further lines under the detail (``kpi-{name}-note-{i}``)."""
    children = [html.Div(label, className="ms-kpi-label"),
                html.Div(value, className="ms-kpi-value", id=f"kpi-{name}", title=exact or value)]
    if detail:
        children.append(html.Div(detail, className=f"ms-kpi-detail ms-{status}" if status else "ms-kpi-detail",
                                 id=f"kpi-{name}-detail"))
    children += [html.Div(note, className="ms-kpi-detail", id=f"kpi-{name}-note-{index}")
                 for index, note in enumerate(notes)]
    return html.Div(children, className="ms-kpi")


def kpi_row(*cards: html.Div) -> html.Div:
    return html.Div(list(cards), className="ms-kpis")


def status_of(change: float | None, higher_is_better: bool = True) -> str | None:
    """good / bad for a signed change (None when there is nothing to compare)."""
    if change is None or change == 0:
        return None
    return "good" if (change > 0) == higher_is_better else "bad"
