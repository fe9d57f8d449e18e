"""What every load must guarantee, whatever it is given: shared by the fuzz tests of the readers and of the
ingest API.

A load either refuses the input with an :class:`~marginscope.ingest.errors.IngestError` that names the
source, and changes nothing at all (not even the load log), or validates it: a rejected load leaves every
canonical table and the quarantine as they were and adds one ``rejected`` entry to the load log (naming its
first problems), and every problem names a row of the source, a column and a reason.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings

from marginscope.schema import TABLES
from marginscope.warehouse import LOAD_LOG, QUARANTINE, Warehouse

# Moderate example counts, so that the whole reliability suite runs in about two minutes: a load that
# validates rows costs a few tenths of a second, a refusal much less.
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
          HealthCheck.large_base_example]
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=_QUIET)
FUZZ_LOADS = settings(max_examples=12, deadline=None, suppress_health_check=_QUIET)


def snapshot(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every row of every canonical table, of the load log and of the quarantine, in a stable order."""
    state = {}
    for name in (*TABLES, LOAD_LOG, QUARANTINE):
        # Straight to DuckDB: through Ibis each table costs a schema lookup and a compile (a hundred times slower).
        cursor = warehouse.con.con.execute(f"SELECT * FROM {warehouse.quote(name)}")
        columns = [d[0] for d in cursor.description]
        state[name] = sorted((tuple(zip(columns, row)) for row in cursor.fetchall()), key=repr)
    return state


def assert_refused_cleanly(message: str, source: str, before: dict, after: dict) -> None:
    """A refusal names its source, says why, and leaves the warehouse exactly as it was."""
    assert message.startswith(f"{source}: "), message
    assert len(message) > len(source) + 10, message  # a reason follows the name
    assert "Traceback" not in message
    assert after == before


def assert_validated_cleanly(report: dict, rows_in_source: int, first_row: int, before: dict, after: dict) -> None:
    """Rows read add up; problems point at real rows; a rejected load changes no canonical table and only
    logs itself. ``report`` holds a load's status, row counts, load id and problems (a list of dicts)."""
    assert report["rows_read"] == rows_in_source
    assert report["rows_read"] == report["rows_loaded"] + report["rows_rejected"]
    for problem in report["problems"]:
        assert first_row <= problem["row"] < first_row + rows_in_source, problem
        assert problem["column"] and problem["reason"], problem
    new_log = [row for row in after[LOAD_LOG] if row not in before[LOAD_LOG]]
    assert len(after[LOAD_LOG]) == len(before[LOAD_LOG]) + 1 and len(new_log) == 1
    logged = dict(new_log[0])
    assert (logged["status"], logged["rows_read"], logged["rows_loaded"]) == (
        report["status"], report["rows_read"], report["rows_loaded"])
    kept = [dict(row) for row in after[QUARANTINE] if row not in before[QUARANTINE]]
    assert {row["load_id"] for row in kept} <= {report["load_id"]}
    # The quarantine keeps the rows with problems of a load that happened; of a rejected file, nothing.
    quarantined = set() if report["status"] == "rejected" else {p["row"] for p in report["problems"]}
    assert sorted(row["row_number"] for row in kept) == sorted(quarantined)
    if report["status"] == "rejected":
        assert logged["message"].startswith(f"{len(report['problems'])} problems; file rejected: row ")
        assert report["rows_loaded"] == 0
        assert {name: after[name] for name in TABLES} == {name: before[name] for name in TABLES}
        assert logged["data_version"] == max([0, *(dict(r)["data_version"] for r in before[LOAD_LOG])])


def report_of(result) -> dict:
    """A loader's result as the fields :func:`assert_validated_cleanly` reads."""
    return {"status": result.status, "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
            "rows_rejected": result.rows_rejected, "load_id": result.load_id, "problems": result.problems.to_pylist()}


ROW_IN_MESSAGE = re.compile(r"\brow (\d+)\b")


def row_named(message: str) -> int | None:
    found = ROW_IN_MESSAGE.search(message)
    return int(found.group(1)) if found else None
