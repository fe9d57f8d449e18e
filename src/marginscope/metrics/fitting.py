"""Forecasts fitted in a worker process, in parallel with the rest of a page.

Choosing and fitting a forecast (:mod:`marginscope.metrics.forecast`) is Python and
numerical work that holds the interpreter's lock for a hundred milliseconds or more per
measure, while a page's queries run in DuckDB without it. Fitted in this process, the
forecast and the queries take turns on one core; fitted in a worker process, they run
side by side on two. A page that shows forecasts starts them first
(:meth:`marginscope.metrics.engine.ForecastMetrics.start`) and collects them when it
draws them; every other fit is sent to the worker too, and waited for.

The web app fits apart (:attr:`marginscope.metrics.engine.Metrics.fits_apart`; the
setting ``MARGINSCOPE_FORECAST_PROCESS=false`` turns it off); scripts and notebooks fit
in their own process, because a worker process starts by importing the script that
started it. There are two workers (:data:`WORKERS`), as the outlooks of the Overview and
Budget pages fit two forecasts, revenue and gross profit, side by side. They are started
on first use (by ``spawn``: a fork of a process running DuckDB's threads could inherit a
lock held by one of them) and shared by every warehouse of the process. A fit whose
worker died is made in this process, and new workers are started for the next one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from threading import Lock
from typing import TypeVar

import pandas as pd

from marginscope.metrics import forecast as forecasting

T = TypeVar("T")
WORKERS = 2
"""Worker processes: one per forecast of an outlook (a third process beside the server's on two cores
still ended the 10M overview sooner, as the fits wait less for each other)."""
PARENT_CHECK_SECONDS = 1.0
_pool: ProcessPoolExecutor | None = None
_pool_lock = Lock()


def fit(history: pd.DataFrame, measure: str, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The backtest of every candidate model (:func:`forecasting.evaluate`), its summary per series
    (:func:`forecasting.summarise`) and the forecast of the model chosen (:func:`forecasting.predict`),
    for ``history`` from :func:`forecasting.monthly_history`.

    Examples
    --------
    >>> import datetime as dt
    >>> months = [dt.date(2024 + m // 12, m % 12 + 1, 1) for m in range(24)]
    >>> history = pd.DataFrame({"series": "Total", "period": months, "revenue": [float(m % 12) for m in range(24)],
    ...                         "gross_profit": 0.0})
    >>> candidates, summary, monthly = fit(history, "revenue", 3)
    >>> summary.model.tolist()
    ['seasonal naive']
    >>> monthly[monthly.kind == "forecast"].value.round(6).tolist()  # the seasonal-naive forecast is exact
    [0.0, 1.0, 2.0]
    """
    candidates = forecasting.evaluate(history, measure)
    summary = forecasting.summarise(candidates)
    return candidates, summary, forecasting.predict(history, summary, measure, horizon)


def _worker() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_leave_with, initargs=(os.getpid(),))
        return _pool


def _leave_with(parent: int) -> None:
    """Make the worker leave when the process that started it is gone.

    A process that ends without shutting its pool down (killed, or ended by ``os._exit``
    as test runners' workers are) would otherwise leave the worker waiting for work for
    ever: it holds both ends of its own queue, so it never reads an end of file.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="marginscope-parent-watch", daemon=True).start()


def _forget(pool: ProcessPoolExecutor) -> None:
    """Stop using a broken ``pool`` (the next fit starts a new one); its fits have failed already."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False)


def submit(apart: bool, function: Callable[..., T], *args) -> Future:
    """Start ``function(*args)`` (a function of this package, such as :func:`fit`) in the worker
    process when ``apart``; otherwise in this one, done at once."""
    if apart:
        pool = _worker()
        try:
            future = pool.submit(function, *args)
        except (BrokenProcessPool, RuntimeError):  # the worker died, or is shutting down with the process
            _forget(pool)
        else:
            # the pool to forget if this fit finds it broken, not one started since
            future.pool = pool  # type: ignore[attr-defined]
            return future
    done: Future = Future()
    done.set_result(function(*args))
    return done


def result(future: Future, function: Callable[..., T], *args) -> T:
    """What ``future`` from ``submit(function, *args)`` computed; computed here if its worker died on the way."""
    try:
        return future.result()
    except BrokenProcessPool:
        _forget(future.pool)  # type: ignore[attr-defined]  # set by submit
        return function(*args)


def run(apart: bool, function: Callable[..., T], *args) -> T:
    """``function(*args)``, computed in the worker process when ``apart`` and waited for (the interpreter's
    lock is free meanwhile)."""
    return result(submit(apart, function, *args), function, *args)
