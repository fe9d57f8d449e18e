"""Forecasts fitted in the worker process are the ones fitted in this process, and a worker that
dies on the way costs a fit here, never a forecast."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from marginscope.metrics import Filters, Metrics, fitting
from marginscope.metrics.periods import add_months

CUSTOMERS = "customer_id,name,region,tier\nC1,Acme,North,Gold\nC2,Globex,South,Bronze\n"
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\n"
REPS = "rep_id,name\nR1,Ann\n"
SEASON = [100, 120, 90, 150, 130, 110, 160, 170, 140, 120, 180, 200]
AS_OF = dt.date(2026, 12, 31)
NORTH = Filters(regions={"North"})


def lines() -> str:
    """Three years of a growing, seasonal, slightly irregular series for C1 and a flat one for C2."""
    rows = ["invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,"
            "net_amount,cogs"]
    for index in range(36):
        day = add_months(dt.date(2024, 1, 1), index).replace(day=10)
        north = round(SEASON[index % 12] * (1 + 0.02 * index) + (7 if index % 5 == 0 else -3), 2)
        for customer, amount in (("C1", north), ("C2", 50.0)):
            key = f"I-{customer}-{index}"
            rows.append(f"{key},1,invoice,{day},{key},{customer},P1,R1,1,{amount},{amount},{round(amount * 0.4, 2)}")
    return "\n".join(rows) + "\n"


@pytest.fixture
def apart_and_here(company):
    """The company with forecasts fitted in the worker process, and the same warehouse fitting here."""
    apart = company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=lines())
    apart.fits_apart = True
    here = Metrics(apart.warehouse)
    assert not here.fits_apart
    return apart, here


def forecasts(ms: Metrics) -> list[pd.DataFrame]:
    return [ms.forecast.monthly(measure, "company", 12, NORTH, as_of=AS_OF) for measure in ("revenue", "gross_profit")]


def backtests(ms: Metrics) -> list[pd.DataFrame]:
    return [table for measure in ("revenue", "gross_profit")
            for table in (ms.forecast.candidates(measure, "company", NORTH, as_of=AS_OF),
                          ms.forecast.backtest(measure, "company", NORTH, as_of=AS_OF))]


def test_a_forecast_fitted_apart_is_the_one_fitted_here(apart_and_here):
    apart, here = apart_and_here
    for measure in ("revenue", "gross_profit"):
        apart.forecast.start(measure, "company", 12, NORTH, as_of=AS_OF)
    assert len(apart.forecast._pending) == 6  # candidates, their summary and forecast of each measure, being fitted
    workers = fitting._pool._processes
    assert workers and all(pid != os.getpid() for pid in workers)
    for fitted_apart, fitted_here in zip(forecasts(apart), forecasts(here)):
        pd.testing.assert_frame_equal(fitted_apart, fitted_here, check_exact=True)
    # Collected once, by the first table asked for: the fit's other tables were cached with it.
    assert not apart.forecast._pending
    hits = apart.cache.hits
    for fitted_apart, fitted_here in zip(backtests(apart), backtests(here)):
        pd.testing.assert_frame_equal(fitted_apart, fitted_here, check_exact=True)
    assert apart.cache.hits - hits == 4
    # Asked without a start, a fit is sent to the worker too.
    south = Filters(regions={"South"})
    pd.testing.assert_frame_equal(apart.forecast.monthly("revenue", "company", 12, south, as_of=AS_OF),
                                  here.forecast.monthly("revenue", "company", 12, south, as_of=AS_OF),
                                  check_exact=True)


def test_a_fit_whose_worker_died_is_made_here(apart_and_here):
    apart, here = apart_and_here
    apart.forecast.start("revenue", "company", 12, NORTH, as_of=AS_OF)
    for pid in list(fitting._pool._processes):
        os.kill(pid, signal.SIGKILL)
    pd.testing.assert_frame_equal(apart.forecast.monthly("revenue", "company", 12, NORTH, as_of=AS_OF),
                                  here.forecast.monthly("revenue", "company", 12, NORTH, as_of=AS_OF),
                                  check_exact=True)
    # The next fit gets a new worker.
    apart.forecast.start("gross_profit", "company", 12, NORTH, as_of=AS_OF)
    assert all(pid != os.getpid() for pid in fitting._pool._processes)
    pd.testing.assert_frame_equal(apart.forecast.monthly("gross_profit", "company", 12, NORTH, as_of=AS_OF),
                                  here.forecast.monthly("gross_profit", "company", 12, NORTH, as_of=AS_OF),
                                  check_exact=True)


def test_the_worker_leaves_when_its_process_ends_without_shutting_it_down(tmp_path):
    """A test runner's worker, or a killed server, ends without shutting its pool down."""
    script = ("import os\nfrom marginscope.metrics import fitting\n"
              "print(fitting.submit(True, os.getpid).result(), flush=True)\nos._exit(0)\n")
    started = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    worker = int(started.stdout.strip())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and running(worker):
        time.sleep(0.2)
    assert not running(worker)


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (an exited one not yet reaped by init is a zombie: not live)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
