"""Fifty people at once on the dashboard and the API of a real `marginscope serve`, for a bounded time:
every request answers 2xx (no page drawn with an error notice) and every user gets through requests.
The p50 and p95 latencies are printed, not asserted: speed is measured by ``benchmarks/load.py``."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.live_server import free_port

pytestmark = pytest.mark.slow
USERS = 50
SECONDS = 10


def load_benchmark():
    """The load generator of ``benchmarks/load.py``, so the test and the benchmark run the same users."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"
    spec = importlib.util.spec_from_file_location("marginscope_load_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_fifty_users_on_the_dashboard_and_the_api_meet_no_error(demo_warehouse, tmp_path, capsys):
    load = load_benchmark()
    database = tmp_path / "crowd.duckdb"
    shutil.copy(demo_warehouse, database)
    accounts, tokens, regions = load.accounts_for(tmp_path / "app.sqlite3", database)
    process, base = load.serve(database, tmp_path / "app.sqlite3", free_port(), warm_up=False)
    try:
        # A thread of its own: a session-wide Playwright of the browser tests keeps an event loop
        # running in this worker's main thread, where asyncio.run would refuse to start.
        with ThreadPoolExecutor(max_workers=1) as thread:
            crowd = thread.submit(asyncio.run, load.run_crowd(base, USERS, SECONDS, accounts, tokens, regions)).result()
    finally:
        process.terminate()
        process.wait(timeout=30)
    with capsys.disabled():
        print("\n" + load.report(crowd))
    assert [sample.error for sample in crowd.errors] == []
    done = crowd.requests_per_user()
    assert all(done[user] > 0 for user in range(USERS)), done
    dashboard_users = {s.user for s in crowd.samples if s.kind == "callback: page"}
    api_users = {s.user for s in crowd.samples if s.kind == "api metric"}
    assert len(dashboard_users) + len(api_users) == USERS  # every dashboard user drew pages, every API user asked
