"""Benchmark: from a filter change to every figure of the overview page being up to date.

    .venv/bin/python benchmarks/web.py --lines 1000000 --lines 10000000

For each size the demo company is generated and loaded, then:

1. **Server side**: after the views the server warms up (the overview unfiltered and
   with one region), the overview is rendered (`app.render_page`, every metric query,
   figure and table of the page) for a series of filter states never seen before, so
   no result comes from the cache. Baseline, in the same run on the same connection:
   the same page's queries written by hand as DuckDB SQL (filter values bound as
   parameters), each state run once.
2. **In the browser**: `marginscope serve` on 127.0.0.1 (measured once it has warmed
   up, see ``/healthz``) and headless Chromium; a region is picked in the filter bar and the clock stops
   when the page shows the
   view of the new URL (its ``data-view`` attribute), i.e. after the server rendered it and the
   browser drew it.

Prints p50 and p95 in milliseconds and the ratio of marginscope to the hand-written SQL.
The sales figures come from the rollups (:mod:`marginscope.metrics.rollups`);
``--compare-lines`` also measures the server side reading the invoice lines only (the
path before the rollups, and still the fallback), on the same warehouse in the same run.
``--keep DIR`` keeps the generated warehouse in DIR and reuses it in later runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import server_memory  # noqa: E402 - the server and the sign-in both benchmarks use

AS_OF = dt.date(2026, 11, 23)

# The overview's queries, written by hand. {regions} is a list of "?" placeholders, one per value.
LINES = """
    SELECT l.*, c.region,
           CASE WHEN l.kind = 'invoice' THEN l.net_amount ELSE -l.net_amount END AS revenue_signed,
           CASE WHEN l.kind = 'invoice' THEN coalesce(l.cogs, 0) ELSE -coalesce(l.cogs, 0) END AS cogs_signed
    FROM invoice_lines l LEFT JOIN customers c USING (customer_id)
    WHERE l.invoice_date BETWEEN ? AND ? AND c.region IN ({regions})
"""
SUMMARY = f"""
    WITH lines AS ({LINES}),
    per_customer AS (SELECT customer_id, sum(revenue_signed) AS revenue FROM lines GROUP BY customer_id),
    costs AS (SELECT coalesce(sum(k.amount), 0) AS cost_to_serve FROM costs_to_serve k
              JOIN customers c USING (customer_id) WHERE k.cost_date BETWEEN ? AND ? AND c.region IN ({{regions}}))
    SELECT sum(CASE WHEN kind = 'invoice' THEN quantity * unit_price ELSE 0 END) AS gross_sales,
           sum(CASE WHEN kind = 'invoice' THEN coalesce(discount_amount, 0) ELSE 0 END) AS discount,
           sum(CASE WHEN kind = 'invoice' THEN 0 ELSE net_amount END) AS returns,
           sum(revenue_signed) AS revenue, sum(revenue_signed) - sum(cogs_signed) AS gross_profit,
           count(DISTINCT CASE WHEN kind = 'invoice' THEN coalesce(order_id, invoice_id) END) AS orders,
           (SELECT count(*) FROM per_customer WHERE revenue > 0) AS active_customers,
           (SELECT cost_to_serve FROM costs) AS cost_to_serve
    FROM lines
"""
TREND = f"""
    WITH lines AS ({LINES})
    SELECT date_trunc('month', invoice_date) AS period, sum(revenue_signed) AS revenue,
           sum(revenue_signed) - sum(cogs_signed) AS gross_profit
    FROM lines GROUP BY 1 ORDER BY 1
"""
BUDGET_BY_MONTH = """
    SELECT period, measure, sum(amount) AS budget FROM budgets
    WHERE period BETWEEN ? AND ? AND region IN ({regions}) GROUP BY 1, 2 ORDER BY 2, 1
"""
TOP = f"""
    WITH lines AS ({LINES})
    SELECT {{key}}, sum(revenue_signed) AS revenue, sum(revenue_signed) - sum(cogs_signed) AS gross_profit
    FROM lines GROUP BY 1 ORDER BY revenue DESC, 1 LIMIT {{limit}}
"""


def hand_written_overview(con, start: dt.date, end: dt.date, regions: list[str]) -> list:
    """The overview's figures for one filter state, by hand."""
    marks = ", ".join("?" for _ in regions)
    prior = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))
    three_years = (dt.date(end.year - 2, 1, 1), end)
    year = (dt.date(end.year, 1, 1), dt.date(end.year, 12, 31))

    def run(sql, *params):
        return con.execute(sql.format(regions=marks), list(params)).fetchall()

    return [
        run(SUMMARY, start, end, *regions, start, end, *regions),
        run(SUMMARY, *prior, *regions, *prior, *regions),
        run(BUDGET_BY_MONTH, start, end, *regions),
        run(TREND, *three_years, *regions),
        run(BUDGET_BY_MONTH, *year, *regions),
        run(TOP.replace("{key}", "customer_id").replace("{limit}", "10"), start, end, *regions),
        run(TOP.replace("{key}", "product_id").replace("{limit}", "10"), start, end, *regions),
        run(TOP.replace("{key}", "region").replace("{limit}", "100"), start, end, *regions),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build(folder: Path, lines: int) -> Path:
    from marginscope.demo import generate
    from marginscope.ingest import Bundle, load_bundle
    from marginscope.warehouse import Warehouse

    database = folder / "bench.duckdb"
    if database.exists():  # kept by an earlier run (--keep); opening it builds rollups it lacks
        with Warehouse.connect(f"duckdb://{database}") as wh:
            count = wh.table("invoice_lines").count().execute()
        print(f"  reused {count:,} invoice lines from {database}", flush=True)
        return database
    started = time.perf_counter()
    generate(folder / "files", lines=lines, as_of=AS_OF)
    with Warehouse.connect(f"duckdb://{database}") as wh:
        results = load_bundle(wh, Bundle.from_yaml(folder / "files" / "demo.yaml"))
        assert all(r.ok for r in results)
        count = wh.table("invoice_lines").count().execute()
    print(f"  built {count:,} invoice lines in {time.perf_counter() - started:.0f} s", flush=True)
    return database


def states(regions: list[str], count: int) -> list[tuple[dt.date, dt.date, list[str]]]:
    """Distinct filter states: a range of 3 to 12 months ending in a recent month, and a region or two.

    No state repeats, so that no measured figure comes from the cache of an earlier change.

    >>> picked = states(["North", "South", "East", "West", "Central"], 40)
    >>> len({(start, end, tuple(regions)) for start, end, regions in picked})
    40
    """
    result, seen = [], set()
    for i in range(100 * count):
        end_month = dt.date(AS_OF.year, 1 + i % 10, 1)
        months = 3 + (i * 7 + i // 10) % 10
        start = dt.date(end_month.year - (1 if end_month.month - months < 1 else 0),
                        (end_month.month - months - 1) % 12 + 1, 1)
        end = (end_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        picked = sorted({regions[i % len(regions)], *([regions[(i + 2) % len(regions)]] if i % 3 == 0 else [])})
        if (start, end, tuple(picked)) not in seen:
            seen.add((start, end, tuple(picked)))
            result.append((start, end, picked))
        if len(result) == count:
            break
    return result


def rollup_sizes(database: Path) -> str:
    from marginscope.metrics import rollups
    from marginscope.warehouse import Warehouse

    with Warehouse.connect(f"duckdb://{database}") as wh:
        return ", ".join(f"{name} {wh.table(name).count().execute():,}" for name in rollups.SCHEMAS)


def server_side(database: Path, changes: int, rollups: bool = True) -> dict:
    from marginscope.metrics import Filters, templates
    from marginscope.metrics.engine import Metrics
    from marginscope.server import create_app
    from marginscope.url_state import to_search
    from marginscope.warehouse import Warehouse
    from marginscope.web import warmup

    warehouse = Warehouse.connect(f"duckdb://{database}")
    warehouse.reads_rollups = rollups
    metrics = Metrics(warehouse)
    app = create_app(metrics)
    regions = metrics.catalog.attribute_values("region")
    months = warmup.whole_months(metrics.catalog.data_span()[1])
    with templates.eagerly():  # as the server warms up the overview: unfiltered and with one region, over the
        for path, search in warmup.views(["/"], {"region": regions[0]}, months):  # default range and whole months
            app.render_page(path, search)
    warmup.settle()  # as the server does when warmed up
    ours, baseline = [], []
    con = metrics.warehouse.con.con  # the same DuckDB connection, for the hand-written SQL
    for start, end, picked in states(regions, changes):
        search = to_search(Filters(start=start, end=end, regions=picked))
        started = time.perf_counter()
        shown = str(app.render_page("/", search))
        ours.append(time.perf_counter() - started)
        assert "could not be drawn" not in shown
        started = time.perf_counter()
        hand_written_overview(con, start, end, picked)
        baseline.append(time.perf_counter() - started)
    metrics.close()
    return {"ours": ours, "baseline": baseline, "regions": regions}


def in_browser(database: Path, regions: list[str], changes: int, port: int = 8093,
               warm_up: bool = True) -> list[float]:
    from playwright.sync_api import sync_playwright

    # Every page needs a signed-in user: the server is started with an admin of its own, in an app database
    # of its own, and the browser signs in before it is timed.
    admin = ("bench", secrets.token_urlsafe(16))
    app_db = tempfile.TemporaryDirectory(prefix="ms-web-")
    server = server_memory.serve(database, Path(app_db.name) / "app.sqlite3", port, admin, warm_up)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        # measure once the server has warmed up its common views
        while time.monotonic() < deadline and not (server_memory.health(base) or {}).get("warmed_up"):
            time.sleep(0.5)
        timings = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=server_memory.CHROMIUM_FLAGS)
            tab = browser.new_page(viewport={"width": 1366, "height": 768})
            server_memory.sign_in(tab, base, admin, timeout=120)
            for i in range(changes):
                # A fresh date range for each change, so that no figure comes from the cache.
                start, end = dt.date(2026, 1 + i % 6, 1), dt.date(2026, 7 + i % 4, 15 + i % 10)
                search = f"?start={start}&end={end}"
                tab.goto(base + "/" + search)
                tab.wait_for_selector(f'[data-view="/{search}"]', timeout=120_000)
                region = regions[i % len(regions)]
                tab.click("#f-region")
                option = tab.get_by_role("option", name=region, exact=True)
                started = time.perf_counter()
                option.click()
                tab.wait_for_selector(f'[data-view="/{search}&region={region}"]', timeout=120_000)
                timings.append(time.perf_counter() - started)
            browser.close()
        return timings
    finally:
        server.terminate()
        server.wait(timeout=30)
        app_db.cleanup()


def report(name: str, values: list[float], baseline: list[float] | None = None) -> str:
    p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
    line = f"    {name:<34} p50 {p50:8.0f} ms   p95 {p95:8.0f} ms"
    if baseline:
        b50, b95 = percentile(baseline, 0.5) * 1000, percentile(baseline, 0.95) * 1000
        line += f"   (hand-written SQL p50 {b50:.0f} ms, p95 {b95:.0f} ms; ratio {p50 / b50:.1f}x / {p95 / b95:.1f}x)"
    return line


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="invoice lines of a run (repeatable)")
    parser.add_argument("--changes", type=int, default=20, help="filter changes measured server side")
    parser.add_argument("--browser-changes", type=int, default=10, help="filter changes measured in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measurement")
    parser.add_argument("--compare-lines", action="store_true",
                        help="also measure the server side reading the invoice lines instead of the rollups")
    parser.add_argument("--port", type=int, default=8093, help="port of the server the browser measures")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) each size's warehouse in this folder")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="start the server without its warm-up (the first changes then compile queries)")
    args = parser.parse_args(argv)
    print(f"marginscope web benchmark on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    for lines in args.lines or [1_000_000]:
        print(f"\n{lines:,} invoice lines", flush=True)
        with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as scratch:
            folder = args.keep / str(lines) if args.keep else Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            database = build(folder, lines)
            print(f"  rollup rows: {rollup_sizes(database)}", flush=True)
            server = server_side(database, args.changes)
            print(report("overview, server side", server["ours"], server["baseline"]), flush=True)
            if args.compare_lines:
                lines_only = server_side(database, args.changes, rollups=False)
                print(report("overview, server side, lines only", lines_only["ours"], lines_only["baseline"]),
                      flush=True)
            if not args.no_browser:
                print(report("overview, in the browser", in_browser(database, server["regions"],
                                                                   args.browser_changes, args.port,
                                                                   not args.no_warm_up)), flush=True)


if __name__ == "__main__":
    main()
