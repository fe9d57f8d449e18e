"""Benchmark: concurrent clients reading at once, and a data push among them.

    .venv/bin/python benchmarks/concurrency.py --clients 10 --clients 50
    .venv/bin/python benchmarks/concurrency.py --clients 50 --push-every 5

The demo company (``--customers``, 200 by default; ``marginscope demo``) is built in a temporary
folder (or ``--warehouse`` is copied and used; ``--keep DIR`` keeps the built one for later runs),
`marginscope serve` starts on 127.0.0.1 on a free port and warms up, and then, for each
``--clients`` count, that many clients work at once, each signed in with a session of its own
(and an API token), each sending ``--requests`` requests one after the other, all stopped after
``--seconds`` (a request under way is finished). Each request is, at random:

- 60% **api**: a metric endpoint of ``/api/v1`` (bearer token);
- 10% **shell**: a page's HTML (what a browser fetches first);
- 30% **render**: the Dash callback that draws a page (``/_dash-update-component`` for the page's
  ``page.children``, built from the app's ``/_dash-dependencies`` as the browser builds it);

each over a filter state picked at random (a date range, one or two regions, sometimes a tier),
so that most answers are computed, not cached. An error is any answer that is not 2xx, a failed
connection, or a page drawn with an error notice or for another view.

With ``--push-every S`` a writer pushes one invoice line through ``POST /api/v1/ingest/invoice_lines``
every S seconds during each run (a load: one transaction, a new data version). The report then
adds the pushes' latency and the reads' worst stall: the longest read that was in flight while a
push ran, beside the reads' p95 overall.

Prints, per run, p50/p95/p99 per kind of request and overall, requests per second and errors.
The clients are the users of ``benchmarks/load.py`` (its sign-in and callback requests).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import os
import platform
import random
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # the sign-in, callbacks and server of the crowd benchmark

KINDS = {"api": 0.6, "shell": 0.1, "render": 0.3}
DATES = [("2026-01-01", "2026-06-30"), ("2025-01-01", "2025-12-31"), ("2025-07-01", "2026-06-30"),
         ("2026-04-01", "2026-06-30"), ("2024-07-01", "2026-06-30"), ("2025-10-01", "2026-03-31")]
TIERS = ["A", "B", "C"]


@dataclasses.dataclass
class Timed:
    """One request: its kind, when it started and ended (``time.monotonic``), and its error if any."""

    client: int
    kind: str
    started: float
    ended: float
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclasses.dataclass
class Run:
    clients: int
    seconds: float
    reads: list[Timed]
    pushes: list[Timed]

    def errors(self) -> list[Timed]:
        return [r for r in self.reads + self.pushes if r.error]

    def latencies(self, kind: str | None = None) -> list[float]:
        return [r.seconds for r in self.reads if not r.error and kind in (None, r.kind)]

    def stalled_reads(self) -> list[Timed]:
        """The reads in flight while a push ran (started before it ended, ended after it started)."""
        return [r for r in self.reads
                if any(r.started < push.ended and r.ended > push.started for push in self.pushes)]


class Client(load.DashboardUser):
    """A signed-in person who also holds an API token, sending one request after the other."""

    def __init__(self, number: int, base: str, rng: random.Random, account: tuple[str, str], token: str,
                 regions: list[str]):
        super().__init__(number, base, [], rng, account[0], account[1], regions)
        self.token = token
        self.timed: list[Timed] = []

    def search(self) -> str:
        """A filter state's query string as the server writes it (values sorted, so the drawn view matches)."""
        from marginscope.metrics import Filters
        from marginscope.url_state import to_search

        start, end = self.rng.choice(DATES)
        tiers = {self.rng.choice(TIERS)} if self.rng.random() < 0.25 else set()
        return to_search(Filters(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end),
                                 regions=frozenset(self.rng.sample(self.regions, k=self.rng.randint(1, 2))),
                                 tiers=frozenset(tiers)))

    async def one(self, kind: str) -> None:
        """Send one request of ``kind`` and time it."""
        before = len(self.samples)
        started = time.monotonic()
        search = self.search()
        if kind == "api":
            path = self.rng.choice(load.API)
            params = [pair.split("=", 1) for pair in search.lstrip("?").split("&")]
            params += list(load.API_EXTRA.get(path, {}).items())
            await self.request(kind, "GET", path, params=params, headers={"Authorization": f"Bearer {self.token}"})
        elif kind == "shell":
            await self.request(kind, "GET", self.rng.choice(load.PAGES) + search, headers={"accept": "text/html"})
        else:
            path = self.rng.choice(load.PAGES)
            await self.callback(kind, "..page.children", {"url.pathname": path, "url.search": search,
                                                           "page-version.data": None}, ["url.search"],
                                check=self.page_drawn(path, search))
        (sample,) = self.samples[before:]
        self.timed.append(Timed(self.number, kind, started, time.monotonic(), sample.error))

    async def work(self, requests: int, deadline: float) -> None:
        kinds, weights = list(KINDS), list(KINDS.values())
        for _ in range(requests):
            if time.monotonic() >= deadline:
                break
            await self.one(self.rng.choices(kinds, weights)[0])


async def push_every(base: str, token: str, every: float, stop: asyncio.Event, customer: str, product: str,
                     pushes: list[Timed]) -> None:
    """One invoice line pushed through the API every ``every`` seconds until ``stop`` (each a load)."""
    import httpx2

    async with httpx2.AsyncClient(base_url=base, timeout=300, headers={"Authorization": f"Bearer {token}"}) as http:
        number = 0
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
                break
            except TimeoutError:
                pass
            number += 1
            line = {"invoice_id": f"BENCH-PUSH-{os.getpid()}-{time.time_ns()}", "line_no": 1, "kind": "invoice",
                    "invoice_date": "2026-06-30", "customer_id": customer, "product_id": product, "quantity": 1,
                    "unit_price": "10.00", "discount_amount": "0", "net_amount": "10.00", "cogs": "6.00"}
            started = time.monotonic()
            error = None
            try:
                answer = await http.post("/api/v1/ingest/invoice_lines", json={"rows": [line]})
                if answer.status_code != 200:
                    error = f"push {number}: {answer.status_code} {answer.text[:300]}"
            except httpx2.HTTPError as exc:
                error = f"push {number}: {type(exc).__name__} {exc}"
            pushes.append(Timed(-1, "push", started, time.monotonic(), error))


async def run_clients(base: str, clients: int, requests: int, seconds: float, accounts, tokens, regions,
                      push: float | None = None, pushed: tuple[str, str] = ("", ""), seed: int = 7) -> Run:
    """``clients`` clients at once, each sending up to ``requests`` requests, stopped after ``seconds``."""
    rng = random.Random(seed)
    people = [Client(n, base, random.Random(rng.random()), accounts[n % len(accounts)], tokens[n % len(tokens)],
                     regions) for n in range(clients)]
    pushes: list[Timed] = []
    try:
        await asyncio.gather(*(person.sign_in() for person in people))
        started = time.monotonic()
        stop = asyncio.Event()
        writer = (asyncio.create_task(push_every(base, tokens[0], push, stop, *pushed, pushes))
                  if push else None)
        await asyncio.gather(*(person.work(requests, started + seconds) for person in people))
        elapsed = time.monotonic() - started
        stop.set()
        if writer is not None:
            await writer
    finally:
        await asyncio.gather(*(person.close() for person in people))
    return Run(clients, elapsed, [t for person in people for t in person.timed], pushes)


def milliseconds(values: list[float], share: float) -> str:
    return f"{load.percentile(values, share) * 1000:7.0f}" if values else "      -"


def report(run: Run) -> str:
    """p50/p95/p99 per kind and overall, throughput, errors and (with pushes) the reads' worst stall."""
    done = len(run.reads)
    lines = [f"{run.clients} clients: {done} requests in {run.seconds:.1f} s ({done / run.seconds:.1f}/s), "
             f"{len(run.errors())} errors"]
    for kind in [*KINDS, None]:
        values = run.latencies(kind)
        lines.append(f"  {kind or 'all':8} n={len(values):5}  p50 {milliseconds(values, .5)} ms  "
                     f"p95 {milliseconds(values, .95)} ms  p99 {milliseconds(values, .99)} ms")
    if run.pushes:
        pushes = [p.seconds for p in run.pushes if not p.error]
        stalled = [r.seconds for r in run.stalled_reads() if not r.error]
        lines.append(f"  pushes   n={len(pushes):5}  p50 {milliseconds(pushes, .5)} ms  "
                     f"max {milliseconds(pushes, 1)} ms")
        lines.append(f"  reads during a push: n={len(stalled)}, worst {milliseconds(stalled, 1).strip()} ms "
                     f"(p95 {milliseconds(stalled, .95).strip()} ms; every read's p95 "
                     f"{milliseconds(run.latencies(), .95).strip()} ms)")
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pushed_line_keys(database: Path) -> tuple[str, str]:
    """A customer and a product of the warehouse, for the pushed invoice lines."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        customer = con.execute("SELECT min(customer_id) FROM customers").fetchone()[0]
        product = con.execute("SELECT min(product_id) FROM products").fetchone()[0]
    finally:
        con.close()
    return customer, product


def warehouse_for(folder: Path, args) -> Path:
    """The warehouse to serve: a copy of ``--warehouse``, the one kept in ``--keep``, or a new demo company."""
    database = folder / "demo.duckdb"
    if args.warehouse:
        shutil.copy(args.warehouse, database)
        return database
    kept = args.keep / f"demo-{args.customers}.duckdb" if args.keep else None
    if kept is not None and kept.exists():
        shutil.copy(kept, database)
        print(f"reused the demo company of {args.customers} customers kept in {kept}", flush=True)
        return database
    started = time.perf_counter()
    load.demo(folder, args.customers)
    print(f"demo company of {args.customers} customers built in {time.perf_counter() - started:.0f} s", flush=True)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(database, kept)
    return database


def main(argv=None) -> list[Run]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, action="append", help="clients at once in a run (repeatable)")
    parser.add_argument("--requests", type=int, default=40, help="requests per client in a run")
    parser.add_argument("--seconds", type=float, default=120, help="a run stops after this many seconds")
    parser.add_argument("--customers", type=int, default=200, help="size of the demo company")
    parser.add_argument("--warehouse", type=Path, help="serve a copy of this DuckDB warehouse instead of a demo")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built demo company in this folder")
    parser.add_argument("--push-every", type=float, help="push one invoice line through the API every S seconds")
    parser.add_argument("--no-warm-up", action="store_true", help="start the server without its warm-up")
    parser.add_argument("--port", type=int, help="the server's port (default: a free one)")
    args = parser.parse_args(argv)
    print(f"marginscope concurrency benchmark on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {dt.date.today()}", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="marginscope-concurrency-") as scratch:
        folder = Path(scratch)
        database = warehouse_for(folder, args)
        pushed = pushed_line_keys(database)
        app_db = folder / "app.sqlite3"
        accounts, tokens, regions = load.accounts_for(app_db, database)
        process, base = load.serve(database, app_db, args.port or free_port(), warm_up=not args.no_warm_up)
        try:
            for clients in args.clients or [10, 50]:
                run = asyncio.run(run_clients(base, clients, args.requests, args.seconds, accounts, tokens,
                                              regions, args.push_every, pushed))
                print(report(run), flush=True)
                for timed in run.errors()[:10]:
                    print("  error:", timed.error, flush=True)
                runs.append(run)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return runs


if __name__ == "__main__":
    main()
