"""Every metric gives the same answer on every engine: DuckDB (the reference), PostgreSQL and Spark.

The methods come from the facade itself (:func:`tests.backends.calls.public_methods`), so a new
metric is covered by adding its arguments to ``CALLS``, or this suite fails naming it. Each
result is compared with DuckDB's by :mod:`tests.backends.compare`: money to the cent (exactly,
as decimals), ratios within 1e-9, the same rows in the same order.

PostgreSQL runs every variant of every call under the first selection (a year) and the main
variant under the others (a region; a rep's scope with a product category). Spark, slow per
query (most of a second, however small the data), runs the main variant of every method under
the rep's scope with the category. Each engine runs within one data version, so that results
shared between methods are read once, as a page reads them. Most of the suite's time is Ibis
compiling the expressions (about half a second of CPU per call), so the plans are kept lean.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from decimal import Decimal

import pytest

from tests.backends.calls import CALLS, SELECTIONS, Planned, calls_for, public_methods
from tests.backends.company import Q1
from tests.backends.compare import compare
from tests.kept import kept

# What each engine runs: (selections, every variant under the first selection or only the main one).
PLANS = {
    "duckdb": (SELECTIONS, True),
    "postgres": (SELECTIONS, True),
    "spark": ((SELECTIONS[2],), False),
}


def test_every_public_method_of_the_facade_has_its_arguments(duckdb_metrics):
    methods = set(public_methods(duckdb_metrics))
    assert len(methods) > 60  # the enumeration finds the facade's methods, not an empty list
    assert not methods - set(CALLS), f"give these methods their arguments in tests/backends/calls.py: " \
                                     f"{sorted(methods - set(CALLS))}"
    assert not set(CALLS) - methods, f"no such methods: {sorted(set(CALLS) - methods)}"


def test_hand_worked_figures_on_every_engine(backend):
    """Q1 2026 of the parity company (tests/backends/company.py), by hand.

    The API tests' company: invoices I1 95.00 + 200.00, I2 50.00, I3 18.00, I5 400.00, I6 30.00
    (793.00) less credit notes CN1 9.50 and CN2 200.00: revenue 583.50; COGS 60 + 40 + 30 + 12
    + 80 + 18 = 240.00 less 6 + 40: 194.00.
    The churn company's purchases in Q1 2026 (customer n of a group pays 90 + 10n, COGS 60% of it):
    S1-S8 monthly, 3 x (8 x 90 + 10 x 36) = 3,240.00; F1-F6 on 15 Feb, 6 x 90 + 10 x 21 = 750.00;
    L1-L6 on 15 Feb, 750.00; K1-K2 on 10 Mar, 100 + 110 = 210.00: 4,950.00, COGS 2,970.00.
    Revenue 5,533.50; COGS 3,164.00; gross profit 2,369.50.
    Orders: O1, O2, I3 (no order: the invoice), O5, O6 and 24 + 6 + 6 + 2 of the churn company: 43.
    Cost to serve in Q1: K1 30.00, K2 100.00, K3 10.00, K5 12.34, K6 7.77, K7 0.01 = 160.12.
    """
    with backend.metrics.pinned():
        q1 = backend.metrics.sales.summary(Q1).iloc[0]
    assert (q1.revenue, q1.cogs, q1.gross_profit) == (Decimal("5533.50"), Decimal("3164.00"), Decimal("2369.50"))
    assert (q1.cost_to_serve, q1.contribution_margin) == (Decimal("160.12"), Decimal("2209.38"))
    assert q1.orders == 43 and q1.gross_margin == pytest.approx(2369.50 / 5533.50, rel=1e-12)


@pytest.fixture(scope="session")
def reference(duckdb_metrics, request):
    """DuckDB's result (or exception) of each call, computed once and shared by the engines' tests."""
    results: dict[str, object] = kept(request, "parity-reference", lambda: nullcontext({}))

    def result(label: str, call) -> object:
        if label not in results:
            with duckdb_metrics.pinned():
                try:
                    results[label] = call(duckdb_metrics)
                except Exception as raised:  # compared with the other engine's: the same error is parity
                    results[label] = raised
        return results[label]

    return result


def planned(engine: str) -> list[Planned]:
    selections, every_variant = PLANS[engine]
    return list(calls_for(selections, every_variant))


@pytest.mark.parametrize("backend", ["postgres", "spark"], indirect=True)
def test_every_metric_matches_duckdb(backend, reference):
    problems = []
    with backend.metrics.pinned():
        for item in planned(backend.name):
            label = item.label
            expected = reference(label, item.call)
            try:
                actual = item.call(backend.metrics)
            except Exception as raised:
                same = isinstance(expected, Exception) and type(raised) is type(expected) \
                    and str(raised) == str(expected)
                if not same:
                    problems.append(f"{label}: raised {raised!r}")
                continue
            if isinstance(expected, Exception):
                problems.append(f"{label}: answered where DuckDB raised {expected!r}")
                continue
            problems += compare(expected, actual, label, item.entry.ordered, item.entry.ignore)
    assert not problems, f"{len(problems)} differences from DuckDB:\n" + "\n".join(problems)


def test_the_engine_tests_run_on_one_worker(request):
    """Under ``make test`` (pytest-xdist, ``--dist loadgroup``) this suite is one group, so that one worker
    starts Spark and PostgreSQL and loads their warehouses; a pytest that xdist cannot tag (9.2) spread it."""
    if request.config.getoption("loadgroup", False):  # set on pytest-xdist workers only
        assert request.node.nodeid.endswith("@engines"), request.node.nodeid


def test_every_method_runs_on_every_engine_plan():
    """Each engine's plan calls every method at least once (Spark's too, though it skips variants)."""
    for engine in PLANS:
        called = {item.method for item in planned(engine)}
        assert called == set(CALLS), (engine, sorted(set(CALLS) - called))
    assert dt.date(2026, 3, 31) == Q1.end  # the selections end where the hand-worked figures do
