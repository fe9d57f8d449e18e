"""The Dash app: the page shell, the filter bar and the callbacks that tie them to the URL.

Three callbacks carry the whole interaction:

- ``sync_filters`` keeps the filter bar and the URL's query string equal, whichever
  of the two changed (a reload, a shared link, the back button, or a control);
- ``follow_click`` turns a click on a chart point or a linked grid cell into a
  cross-filter (the URL gains a filter) or a drill-through (a new path);
- ``show_page`` renders the page for the URL, in a worker thread, so a slow query
  never blocks the server's event loop.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from dash import ALL, MATCH, Dash, Input, NoUpdate, Output, State, ctx, dcc, html, no_update

from marginscope import url_state
from marginscope.alerts import AlertEvaluator
from marginscope.auth import Auth, User
from marginscope.auth import principal as who
from marginscope.config import get_settings
from marginscope.metrics import EVERYTHING, Filters, Scope
from marginscope.metrics.engine import Metrics
from marginscope.metrics.portrait import CustomerNotFound
from marginscope.web.components import account_menu, filter_bar, notices
from marginscope.web.components.grid import row_key
from marginscope.web.pages import PageContext, all_pages, resolve
from marginscope.web.pages import alerts as alerts_page
from marginscope.web.warmup import WarmUp

log = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "assets"
DROPDOWNS = list(filter_bar.DROPDOWNS)
DATA_POLL_SECONDS = 5  # how soon an open page notices new data


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _span_text(filters: Filters) -> str:
    if not (filters.start and filters.end):
        return "all dates"
    return f"{filters.start:%d %b %Y} – {filters.end:%d %b %Y}"


def drill(entity: str, key: str, search: str) -> tuple[str, str]:
    """(path, query string) of an entity's detail view.

    A customer opens its portrait, a campaign its detail; a rep, the overview filtered to
    the rep's sales; a product, the products page filtered to it.

    Examples
    --------
    >>> drill("customer", "C 1", "?start=2026-01-01")
    ('/customer/C%201', '?start=2026-01-01')
    >>> drill("rep", "SP001", "?region=North")
    ('/', '?region=North&rep=SP001')
    >>> drill("campaign", "CMP-001", "?start=2026-01-01")
    ('/campaigns/CMP-001', '?start=2026-01-01')
    """
    if entity == "customer":
        return f"/customer/{quote(key, safe='')}", search
    if entity == "campaign":
        return f"/campaigns/{quote(key, safe='')}", search
    state = url_state.parse(search)
    parameter, path = {"rep": ("rep", "/"), "product": ("product", "/products")}[entity]
    return path, url_state.to_search(url_state.set_values(state.filters, parameter, [key]), state.comparison)


def _principal() -> who.Principal:
    """The signed-in user of the callback's request (the middleware refused anyone else)."""
    return who.require()


def create_dashboard(metrics: Metrics, auth: Auth, alerts: AlertEvaluator, currency: str = "EUR") -> Dash:
    """The dashboard over ``metrics``, each user seeing what their scope allows (the app factory,
    :func:`marginscope.server.create_app`, puts the API, the exports and the scheduler beside it).

    ``auth`` holds the users and their saved views; ``alerts`` evaluates the rules the Alerts page
    edits. ``app.render_page(path, search, user, scope)`` draws a page server side (exports, the
    warm-up and tests use it); ``app.warm_up`` renders the common views in the background.
    """
    metrics.fits_apart = get_settings().forecast_process
    pages = all_pages()
    app = Dash(__name__, backend="fastapi", title="marginscope", assets_folder=str(ASSETS),
               suppress_callback_exceptions=True, update_title=None)  # type: ignore[arg-type]  # None: documented

    def in_thread(function, *args):
        return anyio.to_thread.run_sync(partial(function, *args))

    def signed_in(function, *args):
        """Run ``function(principal, *args)`` in a worker thread for the request's user."""
        principal = _principal()
        return in_thread(function, principal, *args)

    def visible(page, user: User | None) -> bool:
        return not page.whole_warehouse or user is None or user.sees_everything

    def shell():
        principal = who.current.get()
        user = principal.user if principal else None
        nav = [dcc.Link(page.title, href=page.path, id=f"nav-{index}",
                        style=None if visible(page, user) else {"display": "none"})
               for index, page in enumerate(pages) if page.in_menu]
        return html.Div([
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Interval(id="data-poll", interval=DATA_POLL_SECONDS * 1000),
            dcc.Store(id="data-version"), dcc.Store(id="page-version"),
            # The logo navigates within the page, as the menu does: a full load of the bare / lands on the
            # user's default view, and the logo then never reached the Overview.
            html.Header([dcc.Link("marginscope", href="/", className="ms-brand"), html.Nav(nav, className="ms-nav"),
                         account_menu.menu(principal)], className="ms-header"),
            filter_bar.filter_bar(),  # choices arrive with the first sync_filters, off the event loop
            html.Main(dcc.Loading(html.Div(id="page"), delay_show=400, type="dot",
                                  overlay_style={"visibility": "visible", "opacity": 0.55}), className="ms-main"),
        ])

    app.layout = shell
    menu = [(index, page) for index, page in enumerate(pages) if page.in_menu]

    # --- the URL and the filter bar -------------------------------------------------
    def default_dates(state: url_state.PageState, scope: Scope) -> tuple[dt.date | None, dt.date | None]:
        first, last = metrics.catalog.data_span(scope)
        filters = url_state.with_defaults(state, first, last)
        return filters.start, filters.end

    def bar_from_url(search: str, scope: Scope) -> list:
        """Dates, dropdown values and dropdown choices for a query string."""
        state = url_state.parse(search)
        start, end = default_dates(state, scope)
        selected = [sorted(getattr(state.filters, url_state.PARAMETERS[filter_bar.DROPDOWNS[c][0]]))
                    for c in DROPDOWNS]
        choices = filter_bar.options(metrics, scope)
        customers = selected[DROPDOWNS.index("f-customer")]
        choices["f-customer"] = filter_bar.customer_options(metrics, scope, "", customers) if customers else []
        for control, values in zip(DROPDOWNS, selected):
            choices[control] = filter_bar.keeping_selected(choices[control], values)
        return [start and start.isoformat(), end and end.isoformat(), state.comparison, *selected,
                *[choices[c] for c in DROPDOWNS]]

    def url_from_bar(search: str, start: str | None, end: str | None, comparison: str | None, values,
                     scope: Scope) -> str | NoUpdate:
        start_day, end_day = _day(start), _day(end)
        if start_day and end_day and start_day > end_day:
            return no_update  # the date picker is half-way through a change
        if (start_day, end_day) == default_dates(url_state.parse(""), scope):
            start_day = end_day = None  # the default range stays out of the URL, so links stay short
        chosen: dict[str, Any] = {url_state.PARAMETERS[filter_bar.DROPDOWNS[c][0]]: v or []
                                  for c, v in zip(DROPDOWNS, values)}
        new_search = url_state.to_search(Filters(start=start_day, end=end_day, **chosen), comparison)
        return new_search if new_search != (search or "") else no_update

    def sync(principal, trigger, search, start, end, comparison, values) -> list:
        with metrics.pinned():  # the bar's lookups read the data version once, not once each
            scope = principal.scope(metrics)
            if trigger == "f-clear":
                return ["", *bar_from_url("", scope)]
            if trigger in (None, "url"):
                return [no_update, *bar_from_url(search, scope)]
            return [url_from_bar(search, start, end, comparison, values, scope),
                    *[no_update] * (2 * len(DROPDOWNS) + 3)]

    compare = filter_bar.COMPARISON_CONTROL

    @app.callback(
        Output("url", "search"), Output("f-dates", "start_date"), Output("f-dates", "end_date"),
        Output(compare, "value"),
        *[Output(c, "value") for c in DROPDOWNS], *[Output(c, "options") for c in DROPDOWNS],
        Input("url", "search"), Input("f-dates", "start_date"), Input("f-dates", "end_date"),
        Input(compare, "value"), *[Input(c, "value") for c in DROPDOWNS], Input("f-clear", "n_clicks"),
    )
    async def sync_filters(search, start, end, comparison, *values_and_clear):
        return await signed_in(sync, ctx.triggered_id, search, start, end, comparison, values_and_clear[:-1])

    @app.callback(Output("f-customer", "options", allow_duplicate=True), Input("f-customer", "search_value"),
                  State("f-customer", "value"), prevent_initial_call=True)
    async def search_customers(text, selected):
        if text is None:
            return no_update
        return await signed_in(lambda principal: filter_bar.customer_options(
            metrics, principal.scope(metrics), text, selected or []))

    # --- clicks: cross-filter and drill-through ---------------------------------------
    @app.callback(
        Output("url", "pathname", allow_duplicate=True), Output("url", "search", allow_duplicate=True),
        Input({"type": "grid", "name": ALL, "entity": ALL, "links": ALL}, "cellClicked"),
        Input({"type": "chart", "name": ALL, "clicks": ALL}, "clickData"),
        State("url", "search"), prevent_initial_call=True,
    )
    def follow_click(_cells, _points, search):
        trigger, value = ctx.triggered_id, (ctx.triggered[0]["value"] if ctx.triggered else None)
        if not trigger or not value:
            return no_update, no_update
        search = search or ""
        if trigger["type"] == "grid":
            if not trigger["entity"] or value.get("colId") not in trigger["links"].split(",") \
                    or not value.get("rowId"):
                return no_update, no_update
            return drill(trigger["entity"], row_key(value["rowId"]), search)
        point = (value.get("points") or [{}])[0]
        data = point.get("customdata")
        key = data[0] if isinstance(data, list) and data else data
        if key is None or key == "":
            return no_update, no_update
        clicks = trigger["clicks"]
        if clicks in ("customer", "rep", "product", "campaign"):
            return drill(clicks, str(key), search)
        if clicks in url_state.PARAMETERS:
            state = url_state.parse(search)
            filters = url_state.set_values(state.filters, clicks, [str(key)])
            return no_update, url_state.to_search(filters, state.comparison)
        return no_update, no_update

    @app.callback(Output({"type": "grid", "name": MATCH, "entity": MATCH, "links": MATCH}, "exportDataAsCsv"),
                  Input({"type": "csv", "name": MATCH, "entity": MATCH, "links": MATCH}, "n_clicks"),
                  prevent_initial_call=True)
    def download_csv(clicks):
        return bool(clicks)

    # --- the menu keeps the filters ---------------------------------------------------
    @app.callback(*[Output(f"nav-{index}", "href") for index, _ in menu],
                  *[Output(f"nav-{index}", "className") for index, _ in menu],
                  Input("url", "pathname"), Input("url", "search"))
    def menu_links(pathname, search):
        current = resolve(pathname or "/", pages)
        hrefs = [f"{page.path}{search or ''}" for _, page in menu]
        classes = ["active" if current and (current[0] is page or current[0].section == page.path) else ""
                   for _, page in menu]
        return *hrefs, *classes

    # --- the page -----------------------------------------------------------------------
    def render(pathname: str | None, search: str | None, user: User | None = None, scope: Scope = EVERYTHING):
        """The page at ``pathname?search`` as ``user`` sees it (``None``: the whole warehouse, for
        the warm-up, the benchmark and tests)."""
        pathname, search = pathname or "/", search or ""
        found = resolve(pathname, pages)
        view: dict[str, Any] = {"data-view": f"{pathname}{search}"}  # a data-* attribute, which Dash's types lack
        if found is None:
            return html.Div([html.Div(html.H1("Page not found"), className="ms-title"),
                             notices.error(f"There is no page at {pathname}; pick one from the menu.")], **view)
        page, args = found
        if not visible(page, user):
            return html.Div([html.Div(html.H1(page.title), className="ms-title"),
                             notices.error(f"{page.title} shows the whole warehouse; it needs the admin or analyst "
                                           "role.")], **view)
        state = url_state.parse(search)
        with metrics.pinned():
            first, last = metrics.catalog.data_span(scope)
            counts = metrics.catalog.table_counts()
            filters = url_state.with_defaults(state, first, last)
            context = PageContext(metrics, filters, scope, search, counts, currency, args, user, alerts,
                                  state.comparison)
            if not counts.get("invoice_lines"):
                body = [notices.needs("invoice_lines", page.title)]
            else:
                try:
                    body = page.render(context)
                except CustomerNotFound as exc:
                    body = [notices.error(f"No customer {exc} here: it does not exist or is outside what you may "
                                          "see.")]
                except Exception:  # a page that fails says so instead of leaving a blank screen
                    log.exception("rendering %s%s failed", pathname, search)
                    body = [notices.error(f"{page.title} could not be drawn for these filters. The error is in the "
                                          "server log.")]
        title = html.Div([html.H1(page.title), html.Span(_span_text(filters), className="ms-subtitle")],
                         className="ms-title")
        warnings = [notices.error(text) for text in state.notices]
        return html.Div([title, *warnings, *body], **view)

    drawing = {"pages": 0}  # users' pages being drawn; the warm-up waits while there are any
    counting = threading.Lock()

    def render_for_user(principal: who.Principal, pathname, search):
        with counting:
            drawing["pages"] += 1
        try:
            with metrics.pinned():
                version = metrics.data_version
                return render(pathname, search, principal.user, principal.scope(metrics)), version
        finally:
            with counting:
                drawing["pages"] -= 1

    @app.callback(Output("page", "children"), Output("page-version", "data"),
                  Input("url", "pathname"), Input("url", "search"), Input("data-version", "data"),
                  State("page-version", "data"))
    async def show_page(pathname, search, data_version, page_version):
        if ctx.triggered_id == "data-version" and data_version == page_version:
            return no_update, no_update  # the page is drawn from this data already
        return await signed_in(render_for_user, pathname, search)

    # --- new data: a load (or an ingest through the API) redraws open pages ------------
    def current_version(_principal) -> int:
        return metrics.data_version

    @app.callback(Output("data-version", "data"), Input("data-poll", "n_intervals"), State("page-version", "data"),
                  prevent_initial_call=True)
    async def poll_data_version(_ticks, drawn_from):
        # Only a version newer than the page's may trigger a redraw: Dash drops the result of a
        # page callback still running when the callback fires again.
        if drawn_from is None:
            return no_update
        version = await signed_in(current_version)
        return version if version != drawn_from else no_update

    account_menu.register(app, auth, signed_in)
    alerts_page.register(app, alerts, signed_in)

    # Dash's FastAPI backend prepares the asset links on the first request to "/" only: a
    # first visit to a deep link (/customer/C1) would come without CSS. Prepare them now.
    app._setup_server()
    # Dash declares none of these attributes (it reads unknown ones, so their readers type check).
    app.render_page = render  # type: ignore[attr-defined]  # the benchmark, exports and tests render through it
    app.warm_up = WarmUp(  # type: ignore[attr-defined]
        render, metrics, [page.path for _, page in menu], users_waiting=lambda: drawing["pages"] > 0)
    return app
