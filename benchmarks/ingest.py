"""Benchmark: demo generation and validated loading, against DuckDB's own CSV import.

    .venv/bin/python benchmarks/ingest.py --lines 1000000 --lines 10000000

For each size: generate the demo company (timed), load its invoice-lines export
through marginscope (read, map, validate, upsert, log; timed) and, as the baseline
measured in the same run on the same file, DuckDB's own ``read_csv`` into a table
(type sniffing, no validation, no mapping). Each step runs in a fresh process so
its peak memory is its own. Prints seconds, lines per second, the ratio to the
baseline and peak RSS. "of which rollups" rebuilds the rollups of the loaded warehouse
once more on their own: the part of the load's time that keeps them.

Then a push (``--push``, default 1,000 lines; 0 skips it): a file of lines loaded into the
loaded warehouse, as the ingest API's REST push loads them. Half are new lines of new
invoices on the last day of the data (lines of existing invoices copied under new keys
and orders), half re-load existing lines picked at random over the whole history with one
more unit (an update: the replaced lines' cells change too). It is loaded twice, each time
into a fresh copy of the warehouse: with the rollups refreshed for the cells it touched
(the loader's own choice), and, as the baseline of the same run, with every rollup rebuilt
whole (what every load did before the refresh).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

STEP = textwrap.dedent("""
    import json, resource, sys, time
    step, out = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    if step == "generate":
        import datetime
        from marginscope.demo import generate
        size = {"customers": int(sys.argv[4])} if len(sys.argv) > 4 else {}
        generate(__import__("pathlib").Path(out), lines=int(sys.argv[3]), as_of=datetime.date(2026, 11, 23), **size)
    elif step == "masters":
        from marginscope.ingest import Bundle, load_file
        from marginscope.warehouse import Warehouse
        bundle = Bundle.from_yaml(out + "/demo.yaml")
        with Warehouse.connect("duckdb://" + out + "/ms.duckdb") as wh:
            for item in bundle.loads:
                if item.mapping.table in ("reps", "customers", "products"):
                    assert load_file(wh, item.mapping.table, item.file, item.mapping).ok
    elif step == "load":
        from marginscope.ingest import Bundle, load_file
        from marginscope.warehouse import Warehouse
        item = next(i for i in Bundle.from_yaml(out + "/demo.yaml").loads if i.mapping.table == "invoice_lines")
        source = sys.argv[3] if len(sys.argv) > 3 else item.file  # a copy of the export, for chunked loads
        with Warehouse.connect("duckdb://" + out + "/ms.duckdb") as wh:
            result = load_file(wh, "invoice_lines", source, item.mapping)
            assert result.ok, result.problems.slice(0, 5).to_pylist()
    elif step == "rest":
        from marginscope.ingest import Bundle, load_file
        from marginscope.warehouse import Warehouse
        done = ("reps", "customers", "products", "invoice_lines")
        with Warehouse.connect("duckdb://" + out + "/ms.duckdb") as wh:
            for item in Bundle.from_yaml(out + "/demo.yaml").loads:
                if item.mapping.table not in done:
                    result = load_file(wh, item.mapping.table, item.file, item.mapping)
                    assert result.ok, (item.mapping.table, result.problems.slice(0, 5).to_pylist())
    elif step == "push_file":  # the push of the module docstring, written from the loaded warehouse
        import duckdb
        half = int(sys.argv[3]) // 2
        con = duckdb.connect(out + "/ms.duckdb", read_only=True)
        last = con.execute("SELECT max(invoice_date) FROM invoice_lines").fetchone()[0]
        sample = "(SELECT * FROM invoice_lines USING SAMPLE reservoir(%d ROWS) REPEATABLE (%d))"
        con.execute(
            "COPY (SELECT * REPLACE ('PUSH-' || invoice_id AS invoice_id, ? AS invoice_date, ? AS due_date, "
            "'PUSH-' || order_id AS order_id) FROM " + sample % (half, 1) + " UNION ALL "
            "SELECT * REPLACE (quantity + 1 AS quantity, net_amount + unit_price AS net_amount) FROM "
            + sample % (half, 2) + ") TO '" + out + "/push.csv' (HEADER)", [last, last])
    elif step == "push":  # load the push into a copy of the loaded warehouse
        from marginscope.ingest import load_file
        from marginscope.metrics import rollups
        from marginscope.warehouse import Warehouse
        # "rebuild" forces the full rebuild, "refresh" the refresh however many lines it touches (to choose
        # rollups.FULL_REBUILD_SHARE); "auto" lets the loader choose.
        if sys.argv[4] != "auto":
            rollups.FULL_REBUILD_SHARE = {"rebuild": 0.0, "refresh": float("inf")}[sys.argv[4]]
        with Warehouse.connect("duckdb://" + sys.argv[3]) as wh:
            started = time.perf_counter()  # a server's warehouse is open already
            result = load_file(wh, "invoice_lines", out + "/push.csv")
            assert result.ok and result.rows_inserted and result.rows_updated, result.problems.slice(0, 5).to_pylist()
    elif step == "rollups":  # the part of the load that rebuilds the rollups, again on its own
        from marginscope.metrics import rollups
        from marginscope.warehouse import Warehouse
        with Warehouse.connect("duckdb://" + out + "/ms.duckdb") as wh, wh.transaction():
            rollups.rebuild(wh)
    elif step == "duckdb":
        import duckdb
        from marginscope.ingest import Bundle
        item = next(i for i in Bundle.from_yaml(out + "/demo.yaml").loads if i.mapping.table == "invoice_lines")
        files = sys.argv[3:] or [str(item.file)]  # every chunk of a chunked load, read as one table
        con = duckdb.connect(out + "/baseline.duckdb")
        con.execute("CREATE TABLE lines AS SELECT * FROM read_csv(?)", [files])
        con.close()
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def run_step(step: str, folder: Path, *extra: str) -> dict:
    done = subprocess.run([sys.executable, "-c", STEP, step, str(folder), *extra], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count_lines(folder: Path) -> int:
    import duckdb

    from marginscope.ingest import Bundle

    item = next(i for i in Bundle.from_yaml(folder / "demo.yaml").loads if i.mapping.table == "invoice_lines")
    return duckdb.sql("SELECT count(*) FROM read_csv(?)", params=[str(item.file)]).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="invoice lines to generate (repeatable)")
    parser.add_argument("--push", type=int, default=1_000, help="lines of the push into the loaded warehouse (0: none)")
    args = parser.parse_args()
    sizes = args.lines or [1_000_000]
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    print(f"{'target':>12} {'lines':>12} {'step':>22} {'seconds':>9} {'lines/s':>12} {'vs duckdb':>10} {'peak MB':>9}")
    pushes = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="ms-bench-") as tmp:
            folder = Path(tmp)
            generated = run_step("generate", folder, str(size))
            lines = count_lines(folder)
            run_step("masters", folder)
            loaded = run_step("load", folder)
            rebuilt = run_step("rollups", folder)
            baseline = run_step("duckdb", folder)
            for name, step in (("generate demo", generated), ("marginscope load", loaded),
                               ("of which rollups", rebuilt), ("duckdb read_csv (base)", baseline)):
                ratio = step["seconds"] / baseline["seconds"]
                print(f"{size:>12,} {lines:>12,} {name:>22} {step['seconds']:>9.1f} "
                      f"{lines / step['seconds']:>12,.0f} {ratio:>9.1f}x {step['peak_rss_mb']:>9,.0f}")
            if args.push:
                pushes.append((size, lines, push(folder, args.push)))
    if pushes:
        print(f"push of {args.push:,} lines (half new, half updated) into the loaded warehouse; baseline: the same "
              "push with every rollup rebuilt")
        print(f"{'target':>12} {'lines':>12} {'step':>22} {'seconds':>9} {'vs rebuilt':>11} {'peak MB':>9}")
    for size, lines, (refreshed, rebuilt) in pushes:
        for name, step in (("push, loader's choice", refreshed), ("push, rebuilt (base)", rebuilt)):
            print(f"{size:>12,} {lines:>12,} {name:>22} {step['seconds']:>9.2f} "
                  f"{step['seconds'] / rebuilt['seconds']:>10.2f}x {step['peak_rss_mb']:>9,.0f}")


def push(folder: Path, lines: int) -> tuple[dict, dict]:
    """Time the push into two copies of the loaded warehouse: refreshed, then rebuilt (the baseline)."""
    import shutil

    run_step("push_file", folder, str(lines))
    timed = []
    for mode in ("auto", "rebuild"):
        copy = folder / f"push-{mode}.duckdb"
        shutil.copy(folder / "ms.duckdb", copy)
        timed.append(run_step("push", folder, str(copy), mode))
        copy.unlink()
    return timed[0], timed[1]


if __name__ == "__main__":
    main()
