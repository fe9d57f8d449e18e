"""Build the demo company's warehouse for a benchmark, in fresh processes, timing every step.

Shared by ``pages.py``, ``server_memory.py`` and ``scale.py``; the steps themselves are
those of ``ingest.py`` (:func:`ingest.run_step`), so a load here is the same
``marginscope load`` path that benchmark measures.

Sizes above ``chunk_lines`` are loaded in chunks, since one load of 50M lines would need
about 25 GB (the loader peaks at ~5 GB per 10M lines): the demo company is generated at
``lines / chunks`` lines and its invoice-lines export is loaded ``chunks`` times, copy k
with its invoice and order numbers suffixed ``-k`` so that every copy adds new lines.
The warehouse then holds ``chunks`` times the lines of the same customers, products and
dates: the shape of a larger company's data, each chunk its own load.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest import run_step

AS_OF = dt.date(2026, 11, 23)
"""The demo's "today": fixed, so that every run of a benchmark reads the same company."""

DEFAULT_CHUNK_LINES = 10_000_000


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mb: float


@dataclass
class Built:
    """A loaded warehouse and how it was made."""

    database: Path
    folder: Path
    chunks: int
    steps: list[Step] = field(default_factory=list)
    lines: int = 0

    @property
    def chunk_files(self) -> list[Path]:
        return [invoice_lines_file(self.folder)] + [self.folder / f"invoice_lines-{k}.csv"
                                                    for k in range(2, self.chunks + 1)]

    def seconds(self, prefix: str) -> float:
        return sum(step.seconds for step in self.steps if step.name.startswith(prefix))

    def peak_mb(self, prefix: str) -> float:
        return max((step.peak_rss_mb for step in self.steps if step.name.startswith(prefix)), default=0.0)


def invoice_lines_file(folder: Path) -> Path:
    from marginscope.ingest import Bundle

    return Path(next(i for i in Bundle.from_yaml(folder / "demo.yaml").loads
                     if i.mapping.table == "invoice_lines").file)


def copy_with_new_ids(source: Path, target: Path, suffix: str) -> None:
    """The export ``source`` with its document and order numbers suffixed, as text (formats kept)."""
    import duckdb

    con = duckdb.connect()
    reader = "read_csv(?, delim=';', header=true, all_varchar=true)"
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}", [str(source)]).fetchall()]
    document, order = "Document No", "Order No"
    assert document in columns and order in columns, columns
    replaced = ", ".join(f'"{c}" || ? AS "{c}"' for c in (document, order))
    con.sql(f"SELECT * REPLACE ({replaced}) FROM {reader}", params=[suffix, suffix, str(source)]) \
        .write_csv(str(target), sep=";", header=True)
    con.close()


def build(folder: Path, lines: int, customers: int | None = None, chunk_lines: int = DEFAULT_CHUNK_LINES,
          progress: Callable[[str], None] = lambda message: None) -> Built:
    """Generate the demo company and load it into ``folder/ms.duckdb``.

    Parameters
    ----------
    folder
        An empty folder for the source files and the warehouse.
    lines
        Invoice lines wanted (the generator hits it within a few percent).
    customers
        Customers of the company (the generator raises it when ``lines`` needs more).
    chunk_lines
        The largest single load; above it the lines are loaded in chunks (module docstring).
    progress
        Called with a message before each step.
    """
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    chunks = max(1, math.ceil(lines / chunk_lines))
    built = Built(database=folder / "ms.duckdb", folder=folder, chunks=chunks)

    def step(name: str, *args: str) -> None:
        progress(name)
        result = run_step(*args)
        built.steps.append(Step(name, result["seconds"], result["peak_rss_mb"]))

    size = [str(customers)] if customers else []
    step("generate", "generate", folder, str(lines // chunks), *size)
    step("load masters", "masters", folder)
    source = invoice_lines_file(folder)
    for k in range(1, chunks + 1):
        if k > 1:
            progress(f"copy {k} of the invoice lines")
            copy_with_new_ids(source, folder / f"invoice_lines-{k}.csv", f"-{k}")
        step(f"load invoice lines {k}/{chunks}", "load", folder, *([] if k == 1 else
                                                                    [str(folder / f"invoice_lines-{k}.csv")]))
    step("load the other tables", "rest", folder)
    con = duckdb.connect(str(built.database), read_only=True)
    built.lines = con.execute("SELECT count(*) FROM invoice_lines").fetchone()[0]
    con.close()
    return built


def baseline_load(built: Built) -> Step:
    """DuckDB's own ``read_csv`` of every chunk file into one table (ingest.py's baseline)."""
    result = run_step("duckdb", built.folder, *[str(f) for f in built.chunk_files])
    (built.folder / "baseline.duckdb").unlink(missing_ok=True)
    return Step("duckdb read_csv", result["seconds"], result["peak_rss_mb"])


def delete_sources(built: Built) -> None:
    """Remove the generated files and chunk copies, keeping the warehouse (they are large)."""
    import shutil

    for path in built.folder.iterdir():
        if path != built.database and not path.name.startswith("ms.duckdb"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
