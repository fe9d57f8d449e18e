"""The tables of a rendered page, read from its Dash component tree.

An export is made of what the page itself shows: the grids drawn by
:func:`marginscope.web.components.grid.grid`, with their titles, on-screen column
headers and raw row values (``rowData``). Nothing is computed again here, so an
export holds exactly the figures of the page.

Examples
--------
>>> import pandas as pd
>>> from dash import html
>>> from marginscope.web.components.grid import Column, grid
>>> frame = pd.DataFrame({"name": ["Acme"], "revenue": [1234.5], "margin": [0.25]})
>>> page = html.Div([html.Div(html.H1("Overview"), className="ms-title"),
...                  grid("top", frame, [Column("name", "Customer"), Column("revenue", "Revenue", "money"),
...                                      Column("margin", "GM %", "percent")], title="Top customers")])
>>> page_title(page)
'Overview'
>>> [(t.name, t.title, [c.kind for c in t.columns], t.rows) for t in tables(page)]
[('top', 'Top customers', ['text', 'money', 'percent'], [['Acme', 1234.5, 0.25]])]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import dash_ag_grid as dag
from dash import html
from dash.development.base_component import Component

from marginscope.web.components.grid import Column

# The kinds of grid column (see grid.Column); each is recognised by what Column.definition() writes for it.
KINDS = ("text", "date", "money", "money_exact", "percent", "count", "number")


def _signature(definition: dict) -> tuple:
    """What tells a column's kind apart: its value formatter and its filter."""
    return (definition.get("valueFormatter", {}).get("function"), definition.get("filter"))


_KIND_OF = {_signature(Column("field", "header", kind).definition()): kind for kind in KINDS}


@dataclass(frozen=True)
class TableColumn:
    """One column as the page shows it: ``field`` in the rows, ``header`` on screen, ``kind`` of value."""

    field: str
    header: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """One grid of a page.

    ``rows`` hold the grid's raw values (numbers unformatted, dates as ISO text, missing
    as ``None``) in the order of ``columns``; ``note`` is what the page says under the grid
    (that only the first rows are shown), if anything.
    """

    name: str
    title: str
    columns: list[TableColumn]
    rows: list[list]
    note: str | None = None

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


class TableChoiceError(LookupError):
    """The table asked for is not on the page, or there are several and none was named."""


def text_of(component) -> str:
    """The text a component shows (its children's strings, joined).

    >>> text_of(html.Div(["Top ", html.B("customers")]))
    'Top customers'
    """
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(text_of(child) for child in component)
    return text_of(getattr(component, "children", None))


def _children(component) -> list:
    children = getattr(component, "children", None) if isinstance(component, Component) else component
    if children is None or isinstance(children, str | int | float):
        return []
    return list(children) if isinstance(children, list | tuple) else [children]


def walk(component) -> Iterator[Component]:
    """Every component of a tree, in page (document) order."""
    if isinstance(component, Component):
        yield component
    for child in _children(component):
        yield from walk(child)


def _classes(component: Component) -> set[str]:
    return set((getattr(component, "className", None) or "").split())


def _column(definition: dict) -> TableColumn:
    field = definition["field"]
    return TableColumn(field, definition.get("headerName") or field, _KIND_OF.get(_signature(definition), "text"))


def _table(panel: Component | None, table: dag.AgGrid) -> Table:
    inside = list(walk(panel)) if panel is not None else []
    title = next((text_of(c) for c in inside if isinstance(c, html.H3)), "")
    note = next((text_of(c) for c in inside if isinstance(c, html.P) and "ms-note" in _classes(c)), None)
    columns = [_column(d) for d in table.columnDefs or [] if "field" in d]
    rows = [[row.get(c.field) for c in columns] for row in table.rowData or []]
    name = table.id["name"] if isinstance(table.id, dict) else str(table.id)
    return Table(name, title or name, columns, rows, note)


def tables(page) -> list[Table]:
    """The grids of a rendered page, in page order, each with the title of its panel."""
    found: list[Table] = []

    def visit(component, panel: Component | None) -> None:
        if isinstance(component, Component) and "ms-panel" in _classes(component):
            panel = component
        if isinstance(component, dag.AgGrid):
            found.append(_table(panel, component))
            return
        for child in _children(component):
            visit(child, panel)

    visit(page, None)
    return found


def page_title(page) -> str:
    """The page's heading (its first ``H1``)."""
    return next((text_of(c) for c in walk(page) if isinstance(c, html.H1)), "")


def errors(page) -> list[str]:
    """What the page reports as errors (a page that could not be drawn, an unknown customer)."""
    return [text_of(c) for c in walk(page) if "ms-error" in _classes(c)]


def choose(found: list[Table], name: str | None) -> Table:
    """The table called ``name``; without a name, the page's only table.

    >>> choose([Table("a", "A", [], [])], None).name
    'a'
    >>> choose([Table("a", "A", [], []), Table("b", "B", [], [])], None)
    Traceback (most recent call last):
    ...
    marginscope.export.tables.TableChoiceError: this page has 2 tables; name one with table=: a, b
    """
    names = ", ".join(t.name for t in found)
    if name is None:
        if len(found) == 1:
            return found[0]
        if not found:
            raise TableChoiceError("this page has no tables")
        raise TableChoiceError(f"this page has {len(found)} tables; name one with table=: {names}")
    for table in found:
        if table.name == name:
            return table
    raise TableChoiceError(f"this page has no table {name!r}; its tables: {names or 'none'}")
