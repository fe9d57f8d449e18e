"""Plotly figures with one look: colours carry meaning (actual, budget, loss), never decoration."""

from __future__ import annotations

import copy
import datetime as dt
import math
import numbers

import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from marginscope import formats as fmt
from marginscope.web.components.notices import NOTHING_TO_SHOW

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

CONFIG: dcc.Graph.Config = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


GRID = "#e9edf2"
_AXIS = dict(gridcolor=GRID, linecolor=GRID, zerolinecolor="#cfd6df", automargin=True)


def _template() -> dict:
    """The part of Plotly's default template the charts here draw with (the whole of it is a
    thousand values, copied into every figure)."""
    import plotly.io as pio

    full = pio.templates["plotly"].to_plotly_json()
    layout = {key: value for key, value in full["layout"].items()
              if key not in ("scene", "polar", "ternary", "geo", "mapbox", "map", "coloraxis")}
    return {"layout": layout, "data": {kind: full["data"][kind] for kind in ("bar", "scatter", "heatmap")}}


_TEMPLATE = _template()


def _titled(value):
    """Plotly.js reads a title as {"text": ...}; graph_objects accepted a plain string."""
    if isinstance(value, dict):
        return {key: ({"text": item} if key == "title" and isinstance(item, str) else _titled(item))
                for key, item in value.items()}
    return value


def _merge(into: dict, changes: dict) -> dict:
    for key, value in _titled(changes).items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value) if isinstance(value, dict) else value
    return into


class Figure(dict):
    """A figure as the JSON Plotly.js draws, ``{"data": [...], "layout": {...}}``, with the few methods
    of ``plotly.graph_objects.Figure`` the pages use.

    A graph_objects figure validates every setting through Plotly's property tree, about
    20 ms for this module's layout alone; a page of three charts then spends more drawing
    its figures than querying them. Most pages still build their traces with graph_objects,
    which checks them as they are made; the Overview, drawn at every filter change, gives
    plain dicts (about 2 ms a trace less). ``tests/web/test_pages.py`` has Plotly validate
    every page's figures, so a misspelt setting fails a test instead of being ignored.

    Examples
    --------
    >>> fig = Figure(layout={"height": 300})
    >>> fig.update_yaxes(tickformat="~s", title="EUR")
    >>> fig["layout"]["yaxis"]
    {'tickformat': '~s', 'title': {'text': 'EUR'}}
    >>> fig.add_hline(y=1)
    >>> fig["layout"]["shapes"][0]["y0"]
    1
    >>> axes = figure()["layout"]
    >>> axes["xaxis"] is axes["yaxis"]  # each axis its own settings
    False
    """

    def __init__(self, layout: dict | None = None):
        # The layout is the figure's own, not copied: :func:`figure` makes a fresh one each time, and
        # the template it holds is only read, so every figure may share it.
        super().__init__(data=[], layout={} if layout is None else layout)

    @property
    def data(self) -> list:
        return self["data"]

    @property
    def layout(self) -> dict:
        return self["layout"]

    def add_trace(self, trace) -> None:
        self["data"].append(trace.to_plotly_json() if hasattr(trace, "to_plotly_json") else dict(trace))

    def update_layout(self, changes: dict | None = None, **settings) -> None:
        _merge(self["layout"], {**(changes or {}), **settings})

    def update_xaxes(self, **settings) -> None:
        self.update_layout(xaxis=settings)

    def update_yaxes(self, **settings) -> None:
        self.update_layout(yaxis=settings)

    def add_hline(self, y, line: dict | None = None) -> None:
        """A line across the plot at ``y`` (the whole width, whatever the x range)."""
        self._shape(dict(xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y), line)

    def add_vline(self, x, line: dict | None = None) -> None:
        self._shape(dict(yref="y domain", y0=0, y1=1, xref="x", x0=x, x1=x), line)

    def _shape(self, position: dict, line: dict | None) -> None:
        self["layout"].setdefault("shapes", []).append({"type": "line", **position, "line": dict(line or {})})


def figure(title: str | None = None, height: int = 320) -> Figure:
    return Figure(layout=dict(
        template=_TEMPLATE, paper_bgcolor="white", plot_bgcolor="white", xaxis=dict(_AXIS), yaxis=dict(_AXIS),
        height=height, margin=dict(l=50, r=20, t=40 if title else 15, b=40),
        title=dict(text=title, x=0, font=dict(size=14)) if title else {},
        font=dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=12),
        # The legend at the top left, and the toolbar (shown on hover) upright along the right edge: across the
        # top right it covered the legend.
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), modebar=dict(orientation="v"),
        separators=".,", hoverlabel=dict(namelength=-1)))


MONTH = "%{x|%b %Y}"
"""A monthly time axis's point in a tooltip: "May 2026", not "May 1, 2026, 00:00"."""
PERIODS = {"day": "%{x|%d %b %Y}", "week": "week of %{x|%d %b %Y}", "month": MONTH, "quarter": "%{x|Q%q %Y}",
           "year": "%{x|%Y}"}
"""A point of a time axis of each grain, in a tooltip, by the period's first day."""


def amount(kind: str, currency: str | None = None, axis: str = "y") -> str:
    """A value in a tooltip (a Plotly hover template), in the unit it is shown in on the cards and grids.

    ``kind`` is a measure's format (``semantic.Measure.format``): money carries the currency's
    symbol, a rate is a percent, a count is whole.

    Examples
    --------
    >>> amount("money", "EUR"), amount("money", "USD", axis="customdata[1]")
    ('€%{y:,.0f}', '$%{customdata[1]:,.0f}')
    >>> amount("percent", axis="x"), amount("count"), amount("number")
    ('%{x:.1%}', '%{y:,.0f}', '%{y:,.1f}')
    """
    if kind == "money":
        if currency is None:
            raise ValueError("a money amount needs its currency")
        return f"{fmt.SYMBOLS.get(currency, currency + ' ')}%{{{axis}:,.0f}}"
    return "%{" + axis + {"percent": ":.1%", "count": ":,.0f", "number": ":,.1f"}[kind] + "}"


def hover(*lines: str, name: str = "") -> str:
    """A tooltip of these lines; ``name`` (a series' name) is shown beside it, or nothing.

    >>> hover(MONTH, "Revenue " + amount("money", "EUR"))
    '%{x|%b %Y}<br>Revenue €%{y:,.0f}<extra></extra>'
    """
    return "<br>".join(lines) + f"<extra>{name}</extra>"


def graph(name: str, fig: Figure | go.Figure | dict, *, clicks: str | None = None, title: str | None = None,
          hint: str | None = None) -> html.Div:
    """A chart panel. With ``clicks`` (a filter parameter such as ``region``, or ``customer``,
    ``rep``, ``product``), a click on a point filters by, or drills through to, the
    point's first ``customdata`` value."""
    graph_id = {"type": "chart", "name": name, "clicks": clicks or ""}
    if isinstance(fig, go.Figure):
        fig = fig.to_plotly_json()
    honest_axes(fig)
    children: list[Component] = []
    if title:
        children.append(html.H3(title, className="ms-grid-title"))
    if is_empty(fig):  # blank axes read as a chart of zeros; say instead that there is nothing to draw
        children.append(html.P(NOTHING_TO_SHOW, className="ms-empty-state", id=f"empty-{name}"))
    else:
        children.append(dcc.Graph(id=graph_id, figure=fig, config=CONFIG))
    if hint:
        children.append(html.P(hint, className="ms-note"))
    return html.Div(children, className="ms-panel", id=f"panel-{name}")


DATA_KEYS = ("x", "y", "z", "values", "r")


def is_empty(fig: dict) -> bool:
    """Whether ``fig`` has no point to draw (and no annotation saying why).

    >>> is_empty(Figure()), is_empty({"data": [{"type": "bar", "x": [], "y": []}], "layout": {}})
    (True, True)
    >>> is_empty({"data": [{"type": "bar", "x": ["a"], "y": [0]}], "layout": {}})
    False
    """
    if fig["layout"].get("annotations"):
        return False
    return all(len(_values(trace.get(key))) == 0 for trace in fig["data"] for key in DATA_KEYS)


FEW_MONTHS = 6  # a monthly series this short gets month ticks and room at its ends (honest_axes)


def _values(values) -> list:
    return [] if values is None else [v for v in values if v is not None and not _missing(v)]


def _missing(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def honest_axes(fig: dict) -> None:
    """Axes that read as amounts and months whatever the data's size, in place.

    A short history drew one month on a time axis of milliseconds, and amounts below 1,000 in SI units
    ("500m" for 0.5); an axis of zeros spread from -1 to 1. Here a time axis of a single point spans the
    month around it, an SI-formatted axis of small values shows plain numbers, and an axis of zeros starts at 0.

    Examples
    --------
    >>> fig = Figure(layout={"yaxis": {"tickformat": "~s"}, "xaxis": {}})
    >>> fig.add_trace({"type": "scatter", "x": ["2026-03-01"], "y": [0.5]})
    >>> honest_axes(fig)
    >>> fig.layout["yaxis"]["tickformat"], fig.layout["xaxis"]["range"], fig.layout["xaxis"]["tickformat"]
    (',.2~f', ['2026-02-14', '2026-03-16'], '%b %Y')
    """
    for key, axis in fig["layout"].items():
        # An axis over another took its ticks from the other's grid (0, 15, 29, 44% beside 0, 10, 20, 30):
        # its own round ticks instead, unless it names them.
        if key.startswith("yaxis") and isinstance(axis, dict) and axis.get("overlaying") \
                and "tickvals" not in axis:
            axis.setdefault("tickmode", "auto")
    _open_degenerate_axes(fig)
    traces = [t for t in fig["data"] if t.get("type", "scatter") in ("scatter", "bar", "scattergl")]
    main = [t for t in traces if t.get("yaxis", "y") == "y" and t.get("orientation") != "h"]
    yaxis = fig["layout"].setdefault("yaxis", {})
    if yaxis.get("tickformat") == "~s" and main:
        values = [abs(float(v)) for t in main for v in _values(t.get("y")) if isinstance(v, numbers.Real)]
        largest = max(values, default=0.0)
        if largest == 0:
            yaxis.update(rangemode="tozero", range=[0, 10], tickformat=",.0f")
        elif largest < 1000:
            yaxis["tickformat"] = ",.0f" if largest >= 10 else ",.2~f"
    xs = {str(v)[:10] for t in main for v in _values(t.get("x"))}
    days = sorted(dt.date.fromisoformat(x) for x in xs) if xs and all(map(_is_day, xs)) else []
    # A few points of a monthly series: Plotly picks ticks of days or milliseconds and a bar as wide as
    # its gaps; ticks of months and half a month of room on each side read as the months they are.
    if days and (len(days) == 1 or (len(days) <= FEW_MONTHS and all(day.day == 1 for day in days))):
        xaxis = fig["layout"].setdefault("xaxis", {})
        xaxis.update(range=[(days[0] - dt.timedelta(days=15)).isoformat(),
                            (days[-1] + dt.timedelta(days=15)).isoformat()],
                     tickformat="%b %Y", dtick="M1", type="date")


NARROW = 0.01  # an axis whose values span less than this share of their size reads as one value


def _open_degenerate_axes(fig: dict) -> None:
    """A scatter's amount axis over (nearly) one value, from 0, in place.

    A rep who sees only their own deals has one point: Plotly spread its axis over the digits of that one value
    (33.915k to 33.917k) and a rate of 100% over 50% to 150%. Such an axis starts at 0 instead and ends a
    quarter above the value; a rate's ends at 100%. The lines drawn on the axis (a company average) count as
    values, and an axis with a range of its own is left alone.

    >>> fig = Figure(layout={"xaxis": {"tickformat": ".0%"}, "yaxis": {}})
    >>> fig.add_trace({"type": "scatter", "x": [1.0], "y": [33916.0], "mode": "markers"})
    >>> fig.add_hline(y=33916.0)
    >>> _open_degenerate_axes(fig)
    >>> fig.layout["xaxis"]["range"], fig.layout["yaxis"]["range"]
    ([0, 1.05], [0, 42395.0])
    """
    layout = fig["layout"]
    values: dict[str, list[float]] = {}
    for trace in fig["data"]:
        if trace.get("type", "scatter") not in ("scatter", "scattergl"):
            continue
        for letter in ("x", "y"):
            key = _axis_key(trace.get(f"{letter}axis", letter))
            values.setdefault(key, []).extend(
                float(v) for v in _values(trace.get(letter)) if isinstance(v, numbers.Real) and not isinstance(v, bool))
    for shape in layout.get("shapes", []):
        for letter in ("x", "y"):
            reference = shape.get(f"{letter}ref", letter)
            if not reference.endswith("domain") and _axis_key(reference) in values:
                values[_axis_key(reference)] += [float(shape[f"{letter}0"]), float(shape[f"{letter}1"])]
    for key, numbers_on_axis in values.items():
        axis = layout.setdefault(key, {})
        if not numbers_on_axis or "range" in axis:
            continue
        low, high = min(numbers_on_axis), max(numbers_on_axis)
        if high - low > NARROW * max(abs(low), abs(high)) and high > low:
            continue
        if "%" in str(axis.get("tickformat", "")) and low >= 0 and high <= 1:
            axis["range"] = [0, 1.05]
        elif low >= 0:
            axis["range"] = [0, 1.25 * high if high > 0 else 1]
        elif high <= 0:
            axis["range"] = [1.25 * low, 0]


def _axis_key(reference: str) -> str:
    """The layout key of an axis a trace or shape names: "x" -> "xaxis", "y2" -> "yaxis2"."""
    return f"{reference[0]}axis{reference[1:]}"


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def colours_by_sign(values, positive: str = ACTUAL, negative: str = LOSS) -> list[str]:
    return [negative if (v is not None and v < 0) else positive for v in values]
