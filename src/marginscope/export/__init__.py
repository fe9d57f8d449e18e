"""Exports of the current view: a table as CSV, every table as Excel, the page as PDF.

A *view* is a page and its filters as one signed-in user sees them. :func:`capture`
draws it on the server through the dashboard's own ``render_page`` with the user's
scope and reads its tables from the component tree (:mod:`.tables`): an export holds
exactly the figures of the page, computed once by :mod:`marginscope.metrics`.

One module per format: :mod:`.csv`, :mod:`.xlsx` and :mod:`.pdf`; the routes are in
:mod:`marginscope.export.routes`.

Examples
--------
>>> import datetime as dt
>>> from marginscope.metrics import Filters
>>> view = View("/team", "?start=2026-01-01&end=2026-03-31&region=North", "Sales team",
...             Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"}), "ana", 7,
...             dt.datetime(2026, 4, 2, 9, 30, tzinfo=dt.timezone.utc), [])
>>> view.filter_items()[:4]
[('From', datetime.date(2026, 1, 1)), ('To', datetime.date(2026, 3, 31)), ('Region', 'North'), ('Industry', 'all')]
>>> view.filename("xlsx")
'marginscope-team-2026-04-02.xlsx'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from marginscope import url_state
from marginscope.auth import User
from marginscope.export.tables import Table, errors, page_title, tables
from marginscope.metrics import Filters, Scope
from marginscope.metrics.engine import Metrics
from marginscope.web.components.filter_bar import DROPDOWNS

# query parameter -> label, in the order of the filter bar
FILTER_LABELS = dict(DROPDOWNS.values())
ALL = "all"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


class PageError(Exception):
    """The page could not be drawn as asked (it shows an error instead of its figures)."""


@dataclass(frozen=True)
class View:
    """One page as one user saw it at one moment, with its tables.

    ``search`` is the page's query string with the dates it was computed for written
    out (a URL without dates means the year to date of the latest data); ``filters``
    are the same filters as values.
    """

    path: str
    search: str
    title: str
    filters: Filters
    username: str
    data_version: int
    exported_at: dt.datetime  # UTC
    tables: list[Table]

    @property
    def url(self) -> str:
        """The page's path and query string, as in the browser's address bar."""
        return f"{self.path}{self.search}"

    def filter_items(self) -> list[tuple[str, dt.date | str]]:
        """Every filter with its values, in the order of the filter bar ("all" when not set)."""
        items: list[tuple[str, dt.date | str]] = [("From", self.filters.start or ALL),
                                                   ("To", self.filters.end or ALL)]
        for parameter, label in FILTER_LABELS.items():
            values = sorted(getattr(self.filters, url_state.PARAMETERS[parameter]))
            items.append((label, ", ".join(values) or ALL))
        return items

    def filter_summary(self) -> str:
        """The dates and the filters that are set, in one line.

        >>> from marginscope.metrics import Filters
        >>> view = View("/", "", "Overview", Filters(reps={"R2", "R1"}), "ana", 1, dt.datetime(2026, 1, 1), [])
        >>> view.filter_summary()
        'Dates: all · Rep: R1, R2'
        """
        start, end = self.filters.start, self.filters.end
        parts = [f"Dates: {start or '…'} to {end or '…'}" if start or end else f"Dates: {ALL}"]
        parts += [f"{label}: {value}" for label, value in self.filter_items()[2:] if value != ALL] \
            or ["no other filters"]
        return " · ".join(parts)

    def filename(self, extension: str) -> str:
        """``marginscope-<page>-<date of export>.<extension>``, safe in a Content-Disposition header."""
        page = _slug(self.path) or _slug(self.title) or "page"  # "/" is the overview
        return f"marginscope-{page}-{self.exported_at:%Y-%m-%d}.{extension}"


RenderPage = Callable[[str, str, User, Scope], object]


def capture(render_page: RenderPage, metrics: Metrics, path: str, filters: Filters, user: User, scope: Scope,
            now: dt.datetime | None = None) -> View:
    """Draw the page at ``path`` with ``filters`` as ``user`` sees it (through ``scope``) and read its tables.

    Runs queries: call it in a worker thread, not on the event loop. Raises
    :class:`PageError` when the page reports an error instead of its figures.
    """
    with metrics.pinned():  # the page and the data version it states come from one load
        version = metrics.data_version
        first, last = metrics.catalog.data_span(scope)
        shown = url_state.with_defaults(url_state.parse(url_state.to_search(filters)), first, last)
        search = url_state.to_search(shown)
        page = render_page(path, search, user, scope)
    problems = errors(page)
    if problems:
        raise PageError(" ".join(problems))
    return View(path, search, page_title(page), shown, user.username, version,
                now or dt.datetime.now(dt.UTC), tables(page))


__all__ = ["PageError", "Table", "View", "capture"]
