"""A view as PDF: the page printed by headless Chromium, exactly as the user sees it on screen.

The browser opens the dashboard on the server's own origin with a short-lived session
of the requesting user (so it sees what they see, through their scope), waits until
the page shows the view and every chart has been drawn, hides the controls (menu,
account, filter bar, buttons), and prints it on A4 landscape with a header stating the
page, its filters, the data version and the time of the export.

One browser is launched per export and closed afterwards: nothing stays in memory
between exports and one export cannot see another's cookies. The price is time: on
a 2-core machine an export takes about 10 s, most of it the fresh browser loading
and compiling Plotly (launching it takes about a second). At most
:data:`BROWSERS_AT_ONCE` print at a time; further exports wait their turn. The
browser is driven through Playwright's async API, so the server's event loop keeps
serving meanwhile, among others the browser's own requests for the page.

The page is laid out for a common laptop screen (:data:`SCREEN`) and printed scaled
down to the paper's width, so the charts keep the size they were drawn at.
"""

from __future__ import annotations

import asyncio
import html
import textwrap
import weakref
from typing import TYPE_CHECKING
from urllib.parse import quote

from marginscope.api.middleware import CSRF_COOKIE, SESSION_COOKIE
from marginscope.auth import Auth
from marginscope.export import View

if TYPE_CHECKING:
    from playwright.async_api import ViewportSize  # imported when a PDF is made

MEDIA_TYPE = "application/pdf"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
SESSION_HOURS = 0.1  # the browser's session ends with the export anyway; this bounds it if the server dies
DRAW_TIMEOUT_MS = 60_000
BROWSERS_AT_ONCE = 2
MARGIN_MM, TOP_MM, BOTTOM_MM = 8, 22, 10
A4_LANDSCAPE_MM = (297, 210)
CSS_PX_PER_MM = 96 / 25.4
SCREEN: ViewportSize = {"width": 1366, "height": 768}
SCALE = round((A4_LANDSCAPE_MM[0] - 2 * MARGIN_MM) * CSS_PX_PER_MM / SCREEN["width"], 3)
PRINT_CSS = """
#filter-bar, .ms-nav, .ms-account, .ms-grid-header button, .modebar-container, .ag-paging-page-size
  { display: none !important; }
.ms-panel, .ms-kpi, .ms-notice { break-inside: avoid; }
"""
# True once the view is on the page and drawn: no Dash loading state, every chart plotted (charts load
# lazily: a pending one has no plot yet), and the page's grids built.
DRAWN = """([view, grids]) => {
  const shown = [...document.querySelectorAll("[data-view]")].some((e) => e.getAttribute("data-view") === view);
  if (!shown || document.querySelector("._dash-loading, [data-dash-is-loading='true'], .dash-graph--pending")) {
    return false;
  }
  const plotted = [...document.querySelectorAll(".dash-graph")].every((g) => {
    const plot = g.matches(".js-plotly-plot") ? g : g.querySelector(".js-plotly-plot");
    return plot && plot._fullLayout && plot.querySelector(".main-svg");
  });
  return plotted && document.querySelectorAll(".ag-root-wrapper").length >= grids;
}"""
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
FILTERS_SHOWN = 300  # characters of the filters in the header; the Excel export lists them all


_browsers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> its semaphore


def _browser_slot() -> asyncio.Semaphore:
    """The running event loop's limit on browsers printing at once."""
    return _browsers.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(BROWSERS_AT_ONCE))


class PrintError(RuntimeError):
    """The browser could not print the page (it did not start, or the page did not load)."""


class PrintTimeout(PrintError):
    """The page did not finish drawing in time."""


def header_html(view: View) -> str:
    """The header printed on every page: title, filters, data version, user and time (HTML-escaped).

    >>> import datetime as dt
    >>> from marginscope.metrics import Filters
    >>> view = View("/", "", "<Overview>", Filters(), "ana", 3, dt.datetime(2026, 4, 2, 9, 30), [])
    >>> "&lt;Overview&gt;" in header_html(view), "2026-04-02 09:30 UTC" in header_html(view)
    (True, True)
    """
    text = html.escape
    filters = textwrap.shorten(view.filter_summary(), FILTERS_SHOWN, placeholder=" …")
    return (
        f'<div style="width: 100%; margin: 0 {MARGIN_MM}mm; font-family: Helvetica, Arial, sans-serif; '
        'font-size: 8px; color: #1d2733; line-height: 1.35;">'
        f'<div style="font-size: 11px; font-weight: bold; color: #1f4e79;">marginscope · {text(view.title)}</div>'
        f"<div>{text(filters)}</div>"
        f'<div style="color: #5b6776;">Data version {view.data_version} · exported by {text(view.username)} '
        f"on {view.exported_at:%Y-%m-%d %H:%M} UTC · {text(view.url)}</div></div>")


FOOTER = (f'<div style="width: 100%; margin: 0 {MARGIN_MM}mm; text-align: right; font-family: Helvetica, Arial, '
          'sans-serif; font-size: 8px; color: #5b6776;">page <span class="pageNumber"></span> of '
          '<span class="totalPages"></span></div>')


def browser_path(path: str) -> str:
    """A page path as the browser's address bar holds it (percent-encoded), which the page's view names.

    >>> browser_path("/customer/C 1"), browser_path("/customer/C%201")
    ('/customer/C%201', '/customer/C%201')
    """
    return quote(path, safe="/%:@!$&'()*+,;=-._~")


async def to_pdf(view: View, base_url: str, auth: Auth, executable: str) -> bytes:
    """Print ``view`` from the server at ``base_url`` as its user, with the Chromium at ``executable``.

    The browser signs in with a session of the view's user made for this export and
    ended when it is done (successful or not).
    """
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    target = f"{browser_path(view.path)}{view.search}"
    async with _browser_slot():
        token, csrf = auth.sessions.create(view.username, hours=SESSION_HOURS)
        try:
            return await _print(view, base_url.rstrip("/"), target, token, csrf, executable)
        except PlaywrightTimeout as exc:
            raise PrintTimeout(f"the page {target} did not finish drawing within {DRAW_TIMEOUT_MS // 1000} s") \
                from exc
        except PlaywrightError as exc:
            raise PrintError(f"the page {target} could not be printed: {str(exc).splitlines()[0]}") from exc
        finally:
            auth.sessions.end(token)


async def _print(view: View, base: str, target: str, token: str, csrf: str, executable: str) -> bytes:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            context = await browser.new_context(viewport=SCREEN)
            await context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": base, "httpOnly": True},
                                       {"name": CSRF_COOKIE, "value": csrf, "url": base}])
            page = await context.new_page()
            await page.emulate_media(media="screen")  # the screen's look, not a print style sheet
            await page.goto(base + target)
            await page.wait_for_function(DRAWN, arg=[target, len(view.tables)], timeout=DRAW_TIMEOUT_MS,
                                         polling=100)
            await page.add_style_tag(content=PRINT_CSS)
            await page.evaluate("document.fonts.ready.then(() => true)")
            await page.evaluate(NEXT_FRAME)  # the last plot and grid rows painted
            return await page.pdf(format="A4", landscape=True, print_background=True, scale=SCALE,
                                  display_header_footer=True, header_template=header_html(view),
                                  footer_template=FOOTER,
                                  margin={"top": f"{TOP_MM}mm", "bottom": f"{BOTTOM_MM}mm",
                                          "left": f"{MARGIN_MM}mm", "right": f"{MARGIN_MM}mm"})
        finally:
            await browser.close()
