"""``/export/csv``, ``/export/xlsx`` and ``/export/pdf``: the current view as a file.

Each takes the page's path (``page=/team``) and the same filter parameters as the
page's URL, draws the page as the signed-in user (through their scope: a rep's
export holds only their customers) and answers with an attachment named
``marginscope-<page>-<date>.<ext>``. Every export is written to the audit log.

- A CSV of a page with several tables and no ``table=`` is a ZIP of one CSV per table, as the
  header's CSV link asks for it; ``table=`` names one of them.
- 404: no page at that path; 403: a page that shows the whole warehouse, asked
  for by a user who is neither admin nor analyst; 422: a ``table=`` the page does not have
  (the answer lists its tables), a page without tables, or a page that could not be drawn.
- The PDF is printed by a headless Chromium (see :mod:`marginscope.export.pdf`);
  504 when the page did not finish drawing in time, 503 when the browser failed.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from marginscope.api.deps import AuthDep, CurrentPrincipal, FiltersDep, MetricsDep
from marginscope.api.middleware import client_address
from marginscope.api.results import Refusal
from marginscope.auth import Auth
from marginscope.auth.principal import Principal
from marginscope.config import get_settings
from marginscope.export import PageError, View, capture
from marginscope.export import csv as csv_export
from marginscope.export import pdf as pdf_export
from marginscope.export import xlsx as xlsx_export
from marginscope.export.tables import TableChoiceError, choose
from marginscope.metrics import Filters
from marginscope.metrics.engine import Metrics
from marginscope.web.pages import all_pages, resolve

router = APIRouter(prefix="/export", tags=["export"], responses={
    403: {"model": Refusal, "description": "A page of the whole warehouse, asked for by a manager or a rep"},
    404: {"model": Refusal, "description": "There is no page at this path"},
    422: {"model": Refusal, "description": "A parameter is not valid, or the page could not be drawn"}})
PAGES = all_pages()
PageParam = Annotated[str, Query(description="The page's path, as in the browser: /, /team, /customer/C000042",
                                  examples=["/team"])]


async def _view(request: Request, principal: Principal, metrics: Metrics, page: str, filters: Filters) -> View:
    """The page drawn as ``principal`` sees it, off the event loop; 404, 403 or 422 when it cannot be."""
    found = resolve(page, PAGES)
    if found is None:
        raise HTTPException(404, f"there is no page at {page}")
    user = principal.user
    if found[0].whole_warehouse and not user.sees_everything:
        raise HTTPException(403, f"{found[0].title} shows the whole warehouse; it needs the admin or analyst role")

    def draw() -> View:
        return capture(request.app.state.render_page, metrics, page, filters, user, principal.scope(metrics))

    try:
        return await anyio.to_thread.run_sync(draw)
    except PageError as exc:
        raise HTTPException(422, f"the page could not be exported: {exc}") from None


def _file(media_type: str, what: str) -> dict:
    """The 200 of an export: a file of ``media_type``."""
    return {200: {"description": f"{what}, as an attachment",
                  "content": {media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}}}}


def _attachment(request: Request, auth: Auth, view: View, content: bytes, media_type: str, extension: str,
                **detail) -> Response:
    auth.audit.record("export", view.username, client_address(request),
                      format=extension, page=view.path, filters=view.search, data_version=view.data_version,
                      **detail)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{view.filename(extension)}"'})


def own_address(request: Request) -> str:
    """Where the printing browser reaches this server: the address the request came in on.

    Never the request's ``Host`` header, which the client writes: a browser sent to it would carry the
    user's session to any server the client names, and print what that server shows. ``marginscope serve``
    speaks plain HTTP (TLS ends at a proxy in front of it), so the browser does too.

    Examples
    --------
    >>> from starlette.requests import Request
    >>> own_address(Request({"type": "http", "server": ("10.0.0.5", 8050), "headers": [(b"host", b"evil.example")]}))
    'http://10.0.0.5:8050'
    >>> own_address(Request({"type": "http", "server": ("::1", 8050), "headers": []}))
    'http://[::1]:8050'
    """
    host, port = request.scope["server"]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@router.get("/csv", summary="A page's tables as CSV (headers as on screen, raw numbers); several tables as a ZIP",
            response_class=Response,
            responses={200: {"description": "The table as CSV, or for a page of several tables without table=, "
                                            "a ZIP of one CSV per table, as an attachment",
                             "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}},
                                         csv_export.ZIP_MEDIA_TYPE: {"schema": {"type": "string",
                                                                                "format": "binary"}}}},
                       422: {"model": Refusal, "description": "A parameter is not valid, the page could not be "
                                                              "drawn or has no tables, or table= names none of its "
                                                              "tables (the answer lists them)"}})
async def export_csv(request: Request, principal: CurrentPrincipal, metrics: MetricsDep, auth: AuthDep,
                     filters: FiltersDep, page: PageParam = "/",
                     table: Annotated[str | None, Query(description="One grid's name; without it, a page of "
                                                                    "several grids answers a ZIP of them all")]
                     = None) -> Response:
    view = await _view(request, principal, metrics, page, filters)
    if table is None and len(view.tables) > 1:
        return _attachment(request, auth, view, csv_export.to_zip(view.tables), csv_export.ZIP_MEDIA_TYPE, "zip",
                           tables=[t.name for t in view.tables])
    try:
        chosen = choose(view.tables, table)
    except TableChoiceError as exc:
        raise HTTPException(422, str(exc)) from None
    return _attachment(request, auth, view, csv_export.to_csv(chosen), csv_export.MEDIA_TYPE, "csv",
                       table=chosen.name)


@router.get("/xlsx", summary="Every table of a page as an Excel workbook, with a sheet describing the view",
            response_class=Response, responses=_file(xlsx_export.MEDIA_TYPE, "The workbook"))
async def export_xlsx(request: Request, principal: CurrentPrincipal, metrics: MetricsDep, auth: AuthDep,
                      filters: FiltersDep, page: PageParam = "/") -> Response:
    view = await _view(request, principal, metrics, page, filters)
    content = await anyio.to_thread.run_sync(xlsx_export.to_xlsx, view)
    return _attachment(request, auth, view, content, xlsx_export.MEDIA_TYPE, "xlsx")


@router.get("/pdf", summary="A page printed as PDF (A4 landscape), exactly as on screen", response_class=Response,
            responses={**_file(pdf_export.MEDIA_TYPE, "The printed page"),
                       503: {"model": Refusal, "description": "The browser that prints failed"},
                       504: {"model": Refusal, "description": "The page did not finish drawing in time"}})
async def export_pdf(request: Request, principal: CurrentPrincipal, metrics: MetricsDep, auth: AuthDep,
                     filters: FiltersDep, page: PageParam = "/") -> Response:
    view = await _view(request, principal, metrics, page, filters)
    try:
        content = await pdf_export.to_pdf(view, own_address(request), auth, get_settings().chromium)
    except pdf_export.PrintError as exc:
        raise HTTPException(504 if isinstance(exc, pdf_export.PrintTimeout) else 503, str(exc)) from None
    return _attachment(request, auth, view, content, pdf_export.MEDIA_TYPE, "pdf")
