"""Plotly figures with one look: colours carry meaning (actual, budget, loss), never decoration."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

ACTUAL = "#1f4e79"
PROFIT = "#2a9d8f"
BUDGET = "#8d99ae"
LOSS = "#c0392b"
GAIN = "#2e7d32"
MUTED = "#b8c4d6"
YEAR_COLOURS = ["#b8c4d6", "#6c8ebf", "#1f4e79"]  # oldest to current year
FORECAST = "#6c8ebf"  # the actuals' navy, lightened: what is expected, not yet what happened
BAND_80 = "rgba(108, 142, 191, 0.35)"
BAND_95 = "rgba(108, 142, 191, 0.16)"
SEQUENTIAL = "Blues"

CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


GRID = "#e9edf2"
# Plotly's named templates cost ~10 ms of validation per figure; these few settings give the same look.
_AXIS = dict(gridcolor=GRID, linecolor=GRID, zerolinecolor="#cfd6df", automargin=True)


def figure(title: str | None = None, height: int = 320) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white", xaxis=_AXIS, yaxis=_AXIS,
                      height=height, margin=dict(l=50, r=20, t=40 if title else 15, b=40),
                      title=dict(text=title, x=0, font=dict(size=14)) if title else None,
                      font=dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=12),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
                      separators=".,", hoverlabel=dict(namelength=-1))
    return fig


def graph(name: str, fig: go.Figure, *, clicks: str | None = None, title: str | None = None,
          hint: str | None = None) -> html.Div:
    """A chart panel. With ``clicks`` (a filter parameter such as ``region``, or ``customer``,
    ``rep``, ``product``), a click on a point filters by, or drills through to, the
    point's first ``customdata`` value."""
    graph_id = {"type": "chart", "name": name, "clicks": clicks or ""}
    children = []
    if title:
        children.append(html.H3(title, className="ms-grid-title"))
    children.append(dcc.Graph(id=graph_id, figure=fig, config=CONFIG))
    if hint:
        children.append(html.P(hint, className="ms-note"))
    return html.Div(children, className="ms-panel", id=f"panel-{name}")


def colours_by_sign(values, positive: str = ACTUAL, negative: str = LOSS) -> list[str]:
    return [negative if (v is not None and v < 0) else positive for v in values]
