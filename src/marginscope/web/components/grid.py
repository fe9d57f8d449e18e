"""Tables: dash-ag-grid, sortable, filterable, paged, with formatted numbers and a CSV download.

A grid whose rows are customers, reps or products drills through on a click on
its linked columns: the click is read by the app's navigation callback, which
finds the entity and its key in the grid's id and row id.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_ag_grid as dag
import pandas as pd
from dash import html

from marginscope.formats import records
from marginscope.metrics.semantic import measure_of_column
from marginscope.web.components.notices import NOTHING_TO_SHOW

MAX_ROWS = 5000  # rows sent to the browser; the note under the grid says when there are more

# Column widths from their text (see Column.fitting_width), measured in Chromium on the quartz theme: a cell's
# character averages 8 px (digits and capitals of ids: "INV-0000052"), a header's (semi-bold) 8.2 px; a cell
# is padded 16 px each side; a header carries a filter and a sort icon.
CHAR_PX, HEADER_CHAR_PX, CELL_PADDING_PX, HEADER_ICONS_PX, MAX_CELL_CHARS = 8.0, 8.2, 32, 34, 40
PINNED_FROM_PX = 1100  # a grid whose columns need more than this keeps its first column pinned as it scrolls

# entity -> the column holding its key
ENTITY_KEYS = {"customer": "customer_id", "rep": "rep_id", "product": "product_id", "campaign": "campaign_id"}

ROW_ID = "_row_id"


def row_key(row_id: str) -> str:
    """The entity key of a grid row id.

    >>> row_key("12:C000003")
    'C000003'
    """
    return row_id.split(":", 1)[1]


_FORMATTERS = {
    "money": "MS.money(params.value)",
    "money_exact": "MS.moneyExact(params.value)",
    "percent": "MS.percent(params.value)",
    "count": "MS.count(params.value)",
    "number": "MS.number(params.value)",
    "ratio": "MS.ratio(params.value)",
}


@dataclass(frozen=True)
class Column:
    """One column of a grid.

    ``kind`` is text, date, money, money_exact, percent, count, number or ratio (0.85×); left out,
    it is the format the semantic layer declares for the measure the field holds (by its name,
    see :func:`marginscope.metrics.semantic.measure_of_column`), and text for anything else.
    ``header`` left out is the measure's label. ``link`` makes its cells drill through to the
    grid's entity; ``signed`` colours negative values red, ``alert`` the values it holds true for.

    >>> Column("gross_margin").kind, Column("gross_margin").header, Column("customer_name", "Customer").kind
    ('percent', 'Gross margin %', 'text')
    """

    field: str
    header: str | None = None
    kind: str | None = None
    link: bool = False
    signed: bool = False
    width: int | None = None
    alert: str | None = None  # a JavaScript condition on params.value that colours the cell red

    def __post_init__(self) -> None:
        measure = measure_of_column(self.field)
        if self.kind is None:
            object.__setattr__(self, "kind", measure.format if measure else "text")
        if self.header is None:
            object.__setattr__(self, "header", measure.label if measure else self.field)

    def definition(self, content_width: int | None = None) -> dict:
        """The AG Grid column definition; ``content_width`` (px) is the least width that shows it uncut."""
        spec: dict = {"field": self.field, "headerName": self.header, "headerTooltip": self.header}
        if self.kind in _FORMATTERS:
            spec |= {"type": "rightAligned", "filter": "agNumberColumnFilter",
                     "valueFormatter": {"function": _FORMATTERS[self.kind]}}
        elif self.kind == "date":
            spec |= {"filter": "agDateColumnFilter", "filterParams": {"comparator": {"function": "MS.compareDates"}}}
        else:
            spec |= {"filter": "agTextColumnFilter", "tooltipField": self.field}  # long names and advice
        classes = {}
        if self.signed:
            classes["ms-negative"] = "params.value < 0"
        if self.alert:
            classes["ms-negative"] = self.alert
        if classes:
            spec["cellClassRules"] = classes
        if self.link:
            spec["cellClass"] = "ms-link"
        if self.width:
            spec["width"] = self.width
        else:
            wide = self.kind == "text" and self.link  # names: give them the room
            spec["flex"] = 2 if wide else 1
            spec["minWidth"] = content_width or (170 if wide else 100)
        return spec

    def fitting_width(self, values: pd.Series | None) -> int:
        """The narrowest width (px) that shows the header's longest word and the column's values uncut.

        AG Grid can measure its own cells (``autoSizeStrategy: fitCellContents``), but a grid sized so keeps
        no flex and leaves the rest of the panel empty; and the header's words, not its whole text, are what
        must fit once headers wrap. So the width is estimated from the characters, at the theme's 13 px font.

        >>> Column("customer_name", "Customer").fitting_width(pd.Series(["Nova Maintenance Plan 310"]))
        232
        >>> Column("revenue").fitting_width(pd.Series([1234567.0]))
        123
        """
        return self.width_for(self.cell_chars(values))

    def cell_chars(self, values: pd.Series | None) -> int:
        """The characters of the column's widest cell: its longest text or date, or the formats' widest number."""
        if values is None or values.empty:
            return 0
        if self.kind == "text" or self.kind == "date":
            return _longest(values)
        return 11  # "€1,234,567", "-12.3%", "1.23M": the formats' widest usual text

    def width_for(self, cells: int) -> int:
        """The width (px) of :meth:`fitting_width` for a widest cell of ``cells`` characters."""
        header = max((len(word) for word in (self.header or "").split()), default=0)
        return round(max(header * HEADER_CHAR_PX + HEADER_ICONS_PX, min(cells, MAX_CELL_CHARS) * CHAR_PX)
                     + CELL_PADDING_PX)


def _longest(values: pd.Series) -> int:
    """The number of characters of the longest value, 0 when there are none (or all are missing).

    >>> _longest(pd.Series(["ab", None, "abcd"])), _longest(pd.Series([None, None])), _longest(pd.Series([]))
    (4, 0, 0)
    """
    longest = values.astype("string").str.len().max(skipna=True)
    return 0 if pd.isna(longest) else int(longest)


def grid(name: str, frame: pd.DataFrame, columns: list[Column], *, title: str | None = None,
         entity: str | None = None, page_size: int = 10, note: str | None = None) -> html.Div:
    """A titled grid of ``frame``'s ``columns`` with a CSV download button.

    ``entity`` (customer, rep, product or campaign) names what a click on a linked column opens;
    ``note`` is a line under the table saying what its figures are.
    """
    shown = frame.head(MAX_ROWS)
    fields = [c.field for c in columns]
    sizes = sorted({page_size, 10, 25, 50, 100})
    options = {"pagination": True, "paginationPageSize": page_size, "paginationPageSizeSelector": sizes,
               "domLayout": "autoHeight", "suppressCellFocus": False, "animateRows": False,
               # Every column drawn, also those scrolled out of a wide grid: a dozen columns cost nothing, and
               # a printed PDF or a find in the page then holds the whole row.
               # Plain text (an overlay template is HTML, which dash-ag-grid refuses as a risk of XSS).
               "suppressColumnVirtualisation": True, "localeText": {"noRowsToShow": NOTHING_TO_SHOW}}
    links = ",".join(c.field for c in columns if c.link)
    grid_id = {"type": "grid", "name": name, "entity": entity or "", "links": links}
    extra = {}
    rows = records(shown[[f for f in fields if f in shown.columns]])
    if entity:
        # Row ids must be unique (a customer can appear in several periods), so the key is
        # prefixed with the row's position; row_key() takes it off again.
        key = ENTITY_KEYS[entity]
        for position, (row, value) in enumerate(zip(rows, shown[key])):
            row[ROW_ID] = f"{position}:{value}"
        extra["getRowId"] = f"params.data.{ROW_ID}"
    # Each column's values measured once: for its width, and for whether its text wraps.
    chars = [c.cell_chars(shown[c.field] if c.field in shown.columns else None) for c in columns]
    widths = [c.width or c.width_for(n) for c, n in zip(columns, chars)]
    definitions = [c.definition(width) for c, width in zip(columns, widths)]
    for column, definition, n in zip(columns, definitions, chars):
        if column.kind == "text" and n > MAX_CELL_CHARS:
            definition |= {"wrapText": True, "autoHeight": True}  # advice, paths: shown whole, on more lines
    if sum(widths) > PINNED_FROM_PX:  # wider than a 1366 px screen's panel: it scrolls, its names stay
        first_text = next((i for i, c in enumerate(columns[:2]) if c.kind == "text"), 0)  # after a "#" column
        for definition in definitions[:first_text + 1]:
            definition["pinned"] = "left"
    table = dag.AgGrid(
        id=grid_id,
        rowData=rows,
        columnDefs=definitions,
        # exports carry the raw numbers (12345.67), not the display format (12,346); headers wrap rather than
        # being cut to "Contri…"
        defaultColDef={"sortable": True, "resizable": True, "filter": True, "useValueFormatterForExport": False,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions=options,
        csvExportParams={"fileName": f"{name}.csv", "columnKeys": [c.field for c in columns]},
        className="ag-theme-quartz ms-grid",
        style={"width": "100%"},
        **extra,
    )
    header = html.Div(className="ms-grid-header", children=[
        html.H3(title or "", className="ms-grid-title"),
        html.Button("Download CSV", id={**grid_id, "type": "csv"},
                    className="ms-button ms-small", n_clicks=0),
    ])
    children = [header, table]
    if note:
        children.append(html.P(note, className="ms-note"))
    if len(frame) > MAX_ROWS:
        children.append(html.P(f"Showing the first {MAX_ROWS:,} of {len(frame):,} rows; narrow the filters to see the "
                               "rest.", className="ms-note"))
    return html.Div(children, className="ms-panel", id=f"panel-{name}")
