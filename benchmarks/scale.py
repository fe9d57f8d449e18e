"""Benchmark: how load and page times grow from 1M to 10M to 50M invoice lines.

    .venv/bin/python benchmarks/scale.py --lines 1000000 --lines 10000000 --lines 50000000

For each size the demo company is built as in ``warehouses.py``: up to ``--chunk-lines``
(10M) lines in one load; above it in chunks, the company generated at size / chunks lines
and its invoice-lines export loaded once per chunk (copy k with its invoice and order
numbers suffixed ``-k``), each chunk its own ``marginscope load`` in a fresh process, so
that no load holds more than 10M lines (the loader peaks at ~5 GB per 10M). Timed: the
loads of the invoice lines (their sum), against DuckDB's own ``read_csv`` of the same
file(s) into one table; then every page's figures as in ``pages.py`` (checked to agree,
then timed over ``--states`` filter states): marginscope and hand SQL at every size,
pandas up to ``--pandas-max-lines``.

Prints a table per size and, at the end, each time as a multiple of the smallest size's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures
import pages
import warehouses


def run_size(lines: int, folder: Path, args, log) -> dict:
    from marginscope.metrics.engine import Metrics
    from marginscope.warehouse import Warehouse

    built = warehouses.build(folder, lines, args.customers, args.chunk_lines, progress=lambda m: log(f"  {m}"))
    log("  duckdb read_csv of the same file(s)")
    baseline = warehouses.baseline_load(built)
    warehouses.delete_sources(built)
    loads = [s for s in built.steps if s.name.startswith("load invoice lines")]
    result = {"lines": built.lines, "chunks": built.chunks, "load_s": sum(s.seconds for s in loads),
              "load_peak_mb": max(s.peak_rss_mb for s in loads), "duckdb_s": baseline.seconds,
              "duckdb_peak_mb": baseline.peak_rss_mb, "database": built.database,
              "size_gib": sum(f.stat().st_size for f in folder.glob("ms.duckdb*")) / 2**30}
    log(f"  {built.lines:,} lines loaded in {result['load_s']:.0f} s ({built.chunks} load(s), peak "
        f"{result['load_peak_mb']:,.0f} MB); duckdb read_csv {baseline.seconds:.0f} s")
    metrics = Metrics(Warehouse.connect(f"duckdb://{built.database}"))
    con = metrics.warehouse.con.con
    pages.limit_memory(con, args.duckdb_memory)
    regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM customers ORDER BY 1").fetchall()]
    use_pandas = not args.no_pandas and built.lines <= args.pandas_max_lines
    result["pages"] = pages.run_pages(metrics, con, args.page or list(figures.PAGES),
                                      pages.selections(regions, args.states), use_pandas, log=log)
    metrics.close()
    return result


def size_text(result: dict) -> str:
    ratio = result["load_s"] / result["duckdb_s"]
    head = (f"{result['lines']:,} invoice lines ({result['chunks']} load(s)); warehouse {result['size_gib']:.2f} GiB\n"
            f"  load: marginscope {result['load_s']:.1f} s (peak {result['load_peak_mb']:,.0f} MB), duckdb read_csv "
            f"{result['duckdb_s']:.1f} s (peak {result['duckdb_peak_mb']:,.0f} MB): {ratio:.1f}x")
    return head + "\n" + pages.table_text(result["pages"], "  pages, median over the filter states:")


def growth_text(results: list[dict]) -> str:
    """Every time as a multiple of the smallest size's (lines grow by the factor in the first column)."""
    first = results[0]

    def median(values):
        return statistics.median(values) if values else None

    names = [p.page for p in first["pages"]]
    header = f"{'lines':>12} {'x lines':>8} {'load':>7} {'duckdb':>7} " + " ".join(f"{n[:9]:>9}" for n in names)
    title = ("growth against the smallest size (marginscope's time / its time there; hand SQL in brackets "
             "for all pages)")
    rows = [title, header]
    for r in results:
        cells = []
        for page, base in zip(r["pages"], first["pages"]):
            cells.append(f"{median(page.engine) / median(base.engine):>8.1f}x")
        total = sum(median(p.engine) for p in r["pages"]) / sum(median(p.engine) for p in first["pages"])
        total_sql = sum(median(p.sql) for p in r["pages"]) / sum(median(p.sql) for p in first["pages"])
        rows.append(f"{r['lines']:>12,} {r['lines'] / first['lines']:>7.1f}x {r['load_s'] / first['load_s']:>6.1f}x "
                    f"{r['duckdb_s'] / first['duckdb_s']:>6.1f}x " + " ".join(cells)
                    + f"   all pages {total:.1f}x ({total_sql:.1f}x)")
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="a size (repeatable; 1M, 10M and 50M)")
    parser.add_argument("--customers", type=int, help="customers of the demo company (default: the generator's)")
    parser.add_argument("--page", action="append", choices=list(figures.PAGES), help="a page (repeatable; all)")
    parser.add_argument("--states", type=int, default=2, help="filter states timed per page (2)")
    parser.add_argument("--chunk-lines", type=int, default=warehouses.DEFAULT_CHUNK_LINES,
                        help="largest single load (10,000,000)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--pandas-max-lines", type=int, default=10_000_000, help="skip pandas above (10,000,000)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--duckdb-memory", default="8GB", help="DuckDB's memory limit (8GB; it spills beyond)")
    parser.add_argument("--keep", type=Path, help="keep each size's warehouse in KEEP/<lines>/ (default: delete)")
    args = parser.parse_args(argv)
    sizes = sorted(args.lines or [1_000_000, 10_000_000, 50_000_000])

    def log(message: str) -> None:
        print(message, flush=True)

    log(f"marginscope scale benchmark, {time.strftime('%Y-%m-%d')}: {pages.machine()}")
    results = []
    for lines in sizes:
        log(f"\n{lines:,} invoice lines")
        with tempfile.TemporaryDirectory(prefix="ms-scale-", dir=args.workdir) as folder:
            result = run_size(lines, Path(folder), args, log)
            if args.keep:
                target = args.keep / str(lines)
                target.mkdir(parents=True, exist_ok=True)
                shutil.move(str(result["database"]), target / "ms.duckdb")
        results.append(result)
        log("\n" + size_text(result))
    log("\n" + growth_text(results))


if __name__ == "__main__":
    main()
