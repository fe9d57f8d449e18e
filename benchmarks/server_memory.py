"""Benchmark: the peak memory of ``marginscope serve`` while every page is drawn.

    .venv/bin/python benchmarks/server_memory.py --lines 10000000

The demo company is generated and loaded (or ``--warehouse`` is reused), then
``marginscope serve`` runs on 127.0.0.1 with an admin created from the environment, as
an installer would start it. Headless Chromium signs in and opens every page of the
menu, a customer's portrait, a forecast view and a campaign, each for several filter
states (date ranges and regions), waiting until the page shows the view of its URL
(every callback answered and drawn). A thread samples the resident memory (RSS) of
the server process and its children with psutil every 50 ms.

Prints the RSS after start-up and after the warm-up, the peak while each page was
drawn, the overall peak, the seconds per view, and the warehouse file's size for
context.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


class Sampler(threading.Thread):
    """Samples the RSS of a process and its children; keeps the overall peak and the current phase's peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        import psutil

        self.process, self.interval = psutil.Process(pid), interval
        self.peak = self.phase_peak = self.last = 0
        self.running = True

    def rss(self) -> int:
        import psutil

        total = 0
        with contextlib.suppress(psutil.NoSuchProcess):  # the server, or a child, may end while it is measured
            for process in [self.process, *self.process.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += process.memory_info().rss
        return total

    def run(self) -> None:
        while self.running:
            self.last = self.rss()
            self.peak = max(self.peak, self.last)
            self.phase_peak = max(self.phase_peak, self.last)
            time.sleep(self.interval)

    def new_phase(self) -> None:
        self.phase_peak = self.rss()


def views(database: Path, states: int, only: list[str] | None = None) -> list[str]:
    """Every page to open: the menu's pages under each filter state, and one portrait, forecast and campaign."""
    import duckdb

    from marginscope.web.pages import all_pages

    con = duckdb.connect(str(database), read_only=True)
    last = con.execute("SELECT max(invoice_date) FROM invoice_lines").fetchone()[0]
    regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM customers ORDER BY 1").fetchall()]
    customer = con.execute("SELECT customer_id FROM invoice_lines GROUP BY 1 ORDER BY count(*) DESC, 1 "
                           "LIMIT 1").fetchone()[0]
    campaign = con.execute("SELECT campaign_id FROM campaigns ORDER BY end_date DESC, 1 LIMIT 1").fetchone()
    con.close()
    searches = []
    for i in range(states):
        end = last.replace(day=1) - __import__("datetime").timedelta(days=1 + 31 * i)
        start = end.replace(year=end.year - 1, day=1) if i % 2 else end.replace(month=1, day=1)
        search = f"?start={start}&end={end}"
        searches.append(search + (f"&region={regions[i % len(regions)]}" if i % 3 == 1 else ""))
    paths = [page.path for page in all_pages() if page.in_menu]
    paths += [f"/customer/{customer}", "/forecast/region/revenue"] + ([f"/campaigns/{campaign[0]}"] if campaign else [])
    paths = [p for p in paths if not only or p in only or p.rsplit("/", 1)[0] in only]
    return [path + search for path in paths for search in searches]


def serve(database: Path, app_db: Path, port: int, admin: tuple[str, str], warm_up: bool) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "marginscope"), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--warehouse", f"duckdb://{database}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "MARGINSCOPE_APP_DB": str(app_db), "MARGINSCOPE_ADMIN_USER": admin[0],
             "MARGINSCOPE_ADMIN_PASSWORD": admin[1], "MARGINSCOPE_WARM_UP": "true" if warm_up else "false"})


def sign_in(tab, base: str, account: tuple[str, str], timeout: float) -> None:
    """Sign ``account`` (username, password) in on the browser ``tab``: every page needs a user."""
    tab.goto(base + "/login")
    tab.fill("#username", account[0])
    tab.fill("#password", account[1])
    tab.click("button[type=submit]")
    tab.wait_for_url(lambda url: "/login" not in url, timeout=timeout * 1000)


def health(base: str) -> dict | None:
    try:
        return json.load(urllib.request.urlopen(base + "/healthz", timeout=2))
    except OSError:
        return None


def measure(database: Path, port: int, states: int, timeout: float, warm_up: bool = True, log=print,
            only: list[str] | None = None) -> dict:
    """Serve ``database``, draw every view, and return the memory and timings."""
    from playwright.sync_api import sync_playwright

    admin = ("bench", secrets.token_urlsafe(16))
    all_views = views(database, states, only)
    with tempfile.TemporaryDirectory(prefix="ms-serve-") as folder:
        server = serve(database, Path(folder) / "app.sqlite3", port, admin, warm_up)
        sampler = Sampler(server.pid)
        sampler.start()
        base = f"http://127.0.0.1:{port}"
        result = {"views": {}, "peaks": {}}
        try:
            deadline = time.monotonic() + timeout
            while health(base) is None:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
            result["started_mb"] = sampler.rss() / 2**20
            log(f"  server up, RSS {result['started_mb']:,.0f} MB; warming up")
            while not (health(base) or {}).get("warmed_up"):
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not warm up")
                time.sleep(0.5)
            result["warmed_mb"], result["warm_up_peak_mb"] = sampler.rss() / 2**20, sampler.peak / 2**20
            log(f"  warmed up, RSS {result['warmed_mb']:,.0f} MB (peak so far {result['warm_up_peak_mb']:,.0f} MB)")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
                tab = browser.new_page(viewport={"width": 1366, "height": 768})
                sign_in(tab, base, admin, timeout)
                for number, view in enumerate(all_views, 1):
                    path = view.split("?")[0]
                    sampler.new_phase()
                    started = time.perf_counter()
                    tab.goto(base + view)
                    tab.wait_for_selector(f'[data-view="{view}"]', timeout=timeout * 1000)
                    seconds = time.perf_counter() - started
                    if tab.locator("text=could not be drawn").count():
                        raise RuntimeError(f"{view}: the page says it could not be drawn")
                    result["views"].setdefault(path, []).append(seconds)
                    result["peaks"][path] = max(result["peaks"].get(path, 0), sampler.phase_peak / 2**20)
                    log(f"  [{number}/{len(all_views)}] {view}: {seconds:.1f} s, "
                        f"RSS peak {sampler.phase_peak / 2**20:,.0f} MB")
                browser.close()
            result["peak_mb"] = sampler.peak / 2**20
            result["end_mb"] = sampler.rss() / 2**20
        finally:
            sampler.running = False
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return result


def report(result: dict, database: Path, lines: int) -> str:
    size = sum(f.stat().st_size for f in database.parent.glob(database.name + "*"))
    rows = [f"{lines:,} invoice lines; warehouse file {size / 2**30:.2f} GiB",
            (f"  server RSS after start {result['started_mb']:,.0f} MB, after warm-up {result['warmed_mb']:,.0f} MB "
             f"(warm-up peak {result['warm_up_peak_mb']:,.0f} MB)"),
            f"  {'page':<34} {'views':>5} {'median s':>9} {'max s':>7} {'peak RSS MB':>12}"]
    for path, seconds in result["views"].items():
        rows.append(f"  {path:<34} {len(seconds):>5} {statistics.median(seconds):>9.1f} {max(seconds):>7.1f} "
                    f"{result['peaks'][path]:>12,.0f}")
    rows.append(f"  overall peak RSS {result['peak_mb']:,.0f} MB; RSS at the end {result['end_mb']:,.0f} MB")
    return "\n".join(rows)


def main(argv=None) -> None:
    import duckdb
    import psutil
    import warehouses

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000_000, help="invoice lines (10,000,000)")
    parser.add_argument("--warehouse", type=Path, help="an already loaded demo warehouse to use instead of building")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder, deleted)")
    parser.add_argument("--states", type=int, default=3, help="filter states per page (3)")
    parser.add_argument("--port", type=int, default=18250, help="port on 127.0.0.1 (18250)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the server or a page")
    parser.add_argument("--no-warm-up", action="store_true", help="start the server without its warm-up")
    parser.add_argument("--page", action="append", help="only this page's path, e.g. /products (repeatable; all)")
    args = parser.parse_args(argv)
    print(f"marginscope server memory benchmark, {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
          f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}, DuckDB {duckdb.__version__}", flush=True)
    with tempfile.TemporaryDirectory(prefix="ms-memory-", dir=args.workdir) as folder:
        database = args.warehouse
        if database is None:
            print(f"building the demo company: {args.lines:,} invoice lines", flush=True)
            built = warehouses.build(Path(folder), args.lines, progress=lambda m: print(f"  {m}", flush=True))
            warehouses.delete_sources(built)
            database = built.database
        con = duckdb.connect(str(database), read_only=True)
        lines = con.execute("SELECT count(*) FROM invoice_lines").fetchone()[0]
        con.close()
        result = measure(database, args.port, args.states, args.timeout, not args.no_warm_up,
                         log=lambda m: print(m, flush=True), only=args.page)
        print()
        print(report(result, database, lines))


if __name__ == "__main__":
    main()
