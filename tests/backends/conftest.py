"""One warehouse per engine, loaded once per test session with the company of
tests/backends/company.py, and the ``backend`` fixture that runs a test on each.

- DuckDB and PostgreSQL are loaded through the real loader, from the same files.
- Spark (PySpark in local mode, one session for the whole test session) cannot be loaded by
  marginscope (its loads are refused: Spark runs no transactions), so its tables are created
  by ``Warehouse.connect`` from the data contract and filled with DuckDB's rows by Spark
  itself, as a Spark job of the user's would load them.

To run the suite against another Ibis engine, add a fixture here that opens it by URL and
fills it, and add its name to ``ENGINES``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from marginscope.metrics.engine import Metrics
from marginscope.schema import TABLES
from marginscope.warehouse import LOAD_LOG, QUARANTINE, Warehouse
from tests.backends import company
from tests.kept import kept

ENGINES = ("duckdb", "postgres", "spark")

# The data is tiny and Spark's cost is per query, stage and task: one thread and one shuffle
# partition; no adaptive re-planning and no code generation (compiling Java for every query
# costs more than interpreting it over a few hundred rows; together they halve the suite's time).
SPARK_SETTINGS = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.ui.enabled": "false",
    "spark.log.level": "ERROR",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the test ids
def pytest_collection_modifyitems(items):
    """One pytest-xdist worker runs every engine test (``make test`` distributes by group), so the
    Spark session and the engines' warehouses are started and loaded once, not once per worker."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("engines"))


@dataclass
class Backend:
    """An engine's name and the metrics over its warehouse."""

    name: str
    metrics: Metrics


@pytest.fixture(scope="session")
def company_files(tmp_path_factory, request) -> list[tuple[str, Path]]:
    """The company's CSV files, written once so that every engine loads the very same files."""
    return kept(request, "parity-files",
                lambda: nullcontext(company.write_files(tmp_path_factory.mktemp("parity-company"))))


@contextmanager
def _loaded(url: str, files: list[tuple[str, Path]]) -> Iterator[Metrics]:
    metrics = Metrics(Warehouse.connect(url))
    company.load(metrics.warehouse, files)
    try:
        yield metrics
    finally:
        metrics.close()


@pytest.fixture(scope="session")
def duckdb_metrics(company_files, tmp_path_factory, request):
    return kept(request, "parity-duckdb", lambda: _loaded(
        f"duckdb://{tmp_path_factory.mktemp('parity-duckdb') / 'company.duckdb'}", company_files))


@pytest.fixture(scope="session")
def postgres_metrics(company_files, postgres_url, request):
    return kept(request, "parity-postgres", lambda: _loaded(postgres_url, company_files))


def spark_url(folder: Path) -> str:
    """A local-mode URL with the suite's settings; tables are written under ``folder``."""
    settings = {**SPARK_SETTINGS, "spark.sql.warehouse.dir": str(folder / "tables")}
    return "spark://local[1]?" + "&".join(f"{key}={value}" for key, value in settings.items())


@pytest.fixture(scope="session")
def spark_metrics(duckdb_metrics, tmp_path_factory, request):
    """Spark's warehouse, filled with DuckDB's rows; made once per process (half a minute; see tests/kept.py)."""
    @contextmanager
    def filled() -> Iterator[Metrics]:
        warehouse = Warehouse.connect(spark_url(tmp_path_factory.mktemp("parity-spark")))
        session = warehouse.con._session
        source = duckdb_metrics.warehouse
        for name in [*TABLES, LOAD_LOG, QUARANTINE]:
            rows = source.table(name).to_pyarrow()
            if rows.num_rows:
                target = session.table(name)
                session.createDataFrame(rows, schema=target.schema).write.insertInto(name)
        metrics = Metrics(warehouse)
        try:
            yield metrics
        finally:
            metrics.close()

    return kept(request, "parity-spark", filled)


@pytest.fixture(scope="session")
def duckdb_untemplated(duckdb_metrics):
    """DuckDB without query templates: every query built and compiled afresh, as other engines run them."""
    warehouse = duckdb_metrics.warehouse
    plain = Warehouse(warehouse.con, warehouse.url,
                      dataclasses.replace(warehouse.capabilities, query_templates=False))
    return Metrics(plain)


@pytest.fixture(scope="session", params=ENGINES)
def backend(request) -> Backend:
    """Each engine in turn (DuckDB as it runs without templates; the reference runs with them)."""
    name = request.param
    fixture = "duckdb_untemplated" if name == "duckdb" else f"{name}_metrics"
    return Backend(name, request.getfixturevalue(fixture))
