"""Benchmark: every dashboard page's metric queries, against hand-written DuckDB SQL and pandas.

    .venv/bin/python benchmarks/pages.py --lines 1000000
    .venv/bin/python benchmarks/pages.py --customers 100000 --lines 4000000 --page segments --page profitability

For each size the demo company is generated and loaded (or ``--warehouse`` is reused),
then for each page (Overview, Budget, Segments, Profitability, Customers, Sales team,
Pipeline, Products, Campaigns, Insights) its figures are computed three ways over the
same warehouse, for several filter states (a date range of 3 to 12 months and none, one
or two regions):

1. **marginscope**: the :class:`~marginscope.metrics.engine.Metrics` calls the page makes,
   with the result cache emptied before each page (compiled query templates are kept,
   as in a running server; so are fitted forecasts, which the baselines do not make);
2. **hand SQL**: the same figures written by hand as DuckDB SQL (``hand_sql.py``), on
   the same connection, filter values bound as parameters;
3. **pandas**: the same figures from DataFrames of the warehouse's tables, read once
   beforehand and not timed (``hand_pandas.py``).

Before anything is timed, and again for every timed state, the three answers are
checked to agree (money to the cent, counts exactly, ratios to 1e-9; see
``figures.compare``): the script stops at the first disagreement. What each page's
figures are, and what is left out (fitted models, NPS), is in ``figures.py``.

Prints, per page, the median time over the filter states of each way and the ratios
of marginscope to each baseline.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures
from figures import Selection

AS_OF = figures.Selection.__dataclass_fields__["as_of"].default


@dataclass
class PageTimes:
    page: str
    engine: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    pandas: list[float] = field(default_factory=list)


def selections(regions: list[str], count: int, as_of=AS_OF) -> list[Selection]:
    """Distinct filter states: 3 to 12 months ending in a month of the as-of year; every region, one or two."""
    import datetime as dt

    from dateutil.relativedelta import relativedelta

    states = []
    for i in range(count):
        end = dt.date(as_of.year, 1 + (i * 3 + 5) % 10, 1) + relativedelta(months=1) - dt.timedelta(days=1)
        start = (end + dt.timedelta(days=1)) - relativedelta(months=3 + (i * 5) % 10)
        picked = () if i % 3 == 0 or not regions else tuple(sorted(
            {regions[i % len(regions)], *([regions[(i + 2) % len(regions)]] if i % 3 == 2 else [])}))
        states.append(Selection(start, end, picked, as_of,
                                label=f"{start:%Y-%m-%d}..{end:%Y-%m-%d} {', '.join(picked) or 'all regions'}"))
    return states


def clear_results(metrics) -> None:
    """Empty the engine's result cache but keep fitted forecasts (the baselines fit no model)."""
    with metrics.cache.lock:
        for key in list(metrics.cache.entries):
            if not str(key[0][0]).startswith("forecast."):
                del metrics.cache.entries[key]


def prepare(metrics, page: str, s: Selection) -> None:
    """Untimed work a page needs that is no query: fit the insights' forecast for this state."""
    if page == "insights":
        metrics.budget.full_year_outlook(s.as_of.year, s.filters(), as_of=s.as_of)


def timed(compute, *args):
    started = time.perf_counter()
    answer = compute(*args)
    return time.perf_counter() - started, answer


def check(page: str, s: Selection, engine: dict, baselines: dict[str, dict]) -> None:
    for name, frame in engine.items():
        for baseline, answer in baselines.items():
            figures.compare(page, f"{name}", frame, answer[name], baseline)


def run_pages(metrics, con, pages: list[str], states: list[Selection], use_pandas: bool, progress=None,
              log=print, warm_up: bool = True) -> list[PageTimes]:
    """Check and time every page over every state; returns the times per page."""
    from hand_pandas import HandPandas
    from hand_sql import HandSQL

    sql = HandSQL(con)
    frames = None
    if use_pandas:
        log("reading the tables into pandas (not timed)")
        started = time.perf_counter()
        frames = HandPandas.read(con)
        log(f"  read {len(frames.t['invoice_lines']):,} invoice lines in {time.perf_counter() - started:.1f} s")
    results = []
    shapes = len({bool(s.regions) for s in states}) if warm_up else 0
    task = progress.add_task("pages", total=len(pages) * (len(states) + shapes)) if progress else None
    for page in pages:
        times = PageTimes(page)
        # First untimed runs, checked: they compile the engine's query templates for each filter shape
        # (every region, some regions), as a running server has, and prove that the answers agree.
        shapes = list({bool(s.regions): s for s in states}.values()) if warm_up else []
        for index, s in enumerate([*shapes, *states]):
            prepare(metrics, page, s)
            clear_results(metrics)
            seconds_engine, engine = timed(figures.ENGINE[page], metrics, s)
            seconds_sql, by_sql = timed(figures.PAGES[page], sql, s)
            answers = {"hand SQL": by_sql}
            if frames is not None:
                seconds_pandas, answers["pandas"] = timed(figures.PAGES[page], frames, s)
            check(page, s, engine, answers)
            if index >= len(shapes):
                times.engine.append(seconds_engine)
                times.sql.append(seconds_sql)
                if frames is not None:
                    times.pandas.append(seconds_pandas)
            if progress:
                progress.update(task, advance=1, description=f"{page}: {s.label}")
        results.append(times)
        log(page_line(times))
    return results


def page_line(times: PageTimes) -> str:
    def ms(values):
        return f"{statistics.median(values) * 1000:,.0f} ms" if values else "-"

    return f"  {times.page}: marginscope {ms(times.engine)}, hand SQL {ms(times.sql)}, pandas {ms(times.pandas)}"


def table_text(results: list[PageTimes], title: str) -> str:
    """The results as plain text (for RESULTS.md)."""
    def ms(values):
        return statistics.median(values) * 1000 if values else None

    lines = [title, f"{'page':<14} {'marginscope':>12} {'hand SQL':>10} {'pandas':>10} {'vs SQL':>8} {'vs pandas':>10}"]
    totals = [0.0, 0.0, 0.0]
    for r in results:
        engine, sql, pandas = ms(r.engine), ms(r.sql), ms(r.pandas)
        totals = [totals[0] + engine, totals[1] + sql, totals[2] + (pandas or 0)]
        lines.append(f"{r.page:<14} {engine:>9.0f} ms {sql:>7.0f} ms "
                     + (f"{pandas:>7.0f} ms" if pandas is not None else f"{'-':>10}")
                     + f" {engine / sql:>7.1f}x " + (f"{engine / pandas:>9.1f}x" if pandas else f"{'-':>10}"))
    has_pandas = all(r.pandas for r in results)
    lines.append(f"{'all pages':<14} {totals[0]:>9.0f} ms {totals[1]:>7.0f} ms "
                 + (f"{totals[2]:>7.0f} ms" if has_pandas else f"{'-':>10}")
                 + f" {totals[0] / totals[1]:>7.1f}x " + (f"{totals[0] / totals[2]:>9.1f}x" if has_pandas else ""))
    return "\n".join(lines)


def limit_memory(con, limit: str) -> None:
    """Cap DuckDB's memory (it spills to disk beyond it): the machine is shared."""
    import re

    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit):
        raise SystemExit(f"--duckdb-memory {limit!r}: give a size such as 8GB")
    con.execute(f"SET memory_limit = '{limit}'")


def machine() -> str:
    import duckdb
    import pandas as pd
    import psutil

    return (f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pd.__version__}")


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="invoice lines of a run (repeatable; 1,000,000)")
    parser.add_argument("--customers", type=int, help="customers of the demo company (default: the generator's)")
    parser.add_argument("--page", action="append", choices=list(figures.PAGES), help="a page to run (repeatable; all)")
    parser.add_argument("--states", type=int, default=5, help="filter states timed per page (5)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--pandas-max-lines", type=int, default=20_000_000,
                        help="skip pandas above this many lines (its DataFrames need ~1 GB per 2M lines)")
    parser.add_argument("--warehouse", type=Path, help="an already loaded demo warehouse to use instead of building")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder, deleted)")
    parser.add_argument("--chunk-lines", type=int, default=10_000_000, help="largest single load (10,000,000)")
    parser.add_argument("--duckdb-memory", default="8GB", help="DuckDB's memory limit (8GB; it spills beyond)")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="time from the first state on (templates compiled while timed; for quick checks)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    import warehouses
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from marginscope.metrics.engine import Metrics
    from marginscope.warehouse import Warehouse

    args = parse(argv)
    console = Console(highlight=False, width=120)
    pages = args.page or list(figures.PAGES)
    console.print(f"marginscope pages benchmark, {time.strftime('%Y-%m-%d')}: {machine()}")
    for lines in ([None] if args.warehouse else args.lines or [1_000_000]):
        with tempfile.TemporaryDirectory(prefix="ms-pages-", dir=args.workdir) as folder:
            if args.warehouse:
                database = args.warehouse
            else:
                console.print(f"\nbuilding the demo company: {lines:,} invoice lines"
                              + (f", {args.customers:,} customers" if args.customers else ""))
                built = warehouses.build(Path(folder), lines, args.customers, args.chunk_lines,
                                         progress=lambda m: console.print(f"  {m}"))
                warehouses.delete_sources(built)
                database = built.database
            metrics = Metrics(Warehouse.connect(f"duckdb://{database}"))
            con = metrics.warehouse.con.con  # the engine's own DuckDB connection, for the baselines too
            limit_memory(con, args.duckdb_memory)
            count, customers = con.execute("SELECT (SELECT count(*) FROM invoice_lines), "
                                           "(SELECT count(*) FROM customers)").fetchone()
            regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM customers WHERE region IS NOT NULL "
                                                 "ORDER BY 1").fetchall()]
            states = selections(regions, args.states)
            use_pandas = not args.no_pandas and count <= args.pandas_max_lines
            console.print(f"{count:,} invoice lines, {customers:,} customers; {len(states)} filter states per page")
            with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TimeElapsedColumn(), console=console, transient=True) as progress:
                results = run_pages(metrics, con, pages, states, use_pandas, progress, log=console.print,
                                    warm_up=not args.no_warm_up)
            metrics.close()
            title = (f"{count:,} invoice lines, {customers:,} customers: median over {len(states)} filter states "
                     "(the three answers agreed on every state)")
            console.print()
            console.print(table_text(results, title))


if __name__ == "__main__":
    main()
