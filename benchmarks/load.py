"""Benchmark: many people using the dashboard and the API at once.

    .venv/bin/python benchmarks/load.py --customers 1500 --users 50 --duration 60

A demo company is generated and loaded (`marginscope demo`), `marginscope serve` starts on 127.0.0.1,
and simulated users work against it for ``--duration`` seconds, each with a client of their own:

- **dashboard users** (signed in through the sign-in form, by session cookie and CSRF header, as a
  browser is) load a page as Chromium does (the HTML, the Dash layout and dependencies, then the
  callbacks the page fires: the filter bar, the menu, the export links and the page itself), change a
  filter (the filter bar's callback, then the page, menu and export links for the new URL), poll the
  data version, and export the page as CSV or Excel;
- **API users** (an API token) ask the metric endpoints with filters.

The callback requests are built from the app's own ``/_dash-dependencies``, as Dash's renderer builds them.
An error is any answer that is not 2xx, a failed connection, or a page drawn with an error notice. The
baseline, measured in the same run, is one user doing the same alone: the report gives the p50 and p95
latency of each kind of request alone and under load, their ratio, and the throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl

import httpx2

BIN = Path(sys.executable).parent
PAGES = ["/", "/products", "/profitability", "/team", "/segments", "/customers", "/budget", "/pipeline"]
API = ["/api/v1/sales/summary", "/api/v1/sales/by/region", "/api/v1/sales/trend", "/api/v1/profitability/customers",
       "/api/v1/products/performance", "/api/v1/rfm/segments", "/api/v1/pipeline/summary", "/api/v1/budget/by-month",
       "/api/v1/customers/status", "/api/v1/profitability/whale-curve"]
API_EXTRA = {"/api/v1/customers/status": {"grain": "quarter"}}
EXPORTS = [("csv", "/products", "products"), ("csv", "/", "top-customers"),
           ("csv", "/profitability", "customer-margins"),
           ("xlsx", "/team", None), ("xlsx", "/", None)]
ERROR_NOTICE = "ms-notice ms-error"
DATES = [("2026-01-01", "2026-06-30"), ("2025-01-01", "2025-12-31"), ("2025-07-01", "2026-06-30")]


@dataclasses.dataclass
class Sample:
    user: int
    kind: str
    seconds: float
    error: str | None = None


@dataclasses.dataclass
class Crowd:
    """What a crowd of users did: every request, with its kind, latency and error if any."""

    samples: list[Sample]
    users: int
    seconds: float

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.error]

    def requests_per_user(self) -> dict[int, int]:
        counts = dict.fromkeys(range(self.users), 0)
        for sample in self.samples:
            counts[sample.user] += 1
        return counts

    def latencies(self, kind: str | None = None) -> list[float]:
        return [s.seconds for s in self.samples if not s.error and (kind is None or s.kind == kind)]

    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.samples})


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


class Callbacks:
    """Dash callback requests as the renderer builds them, from the app's ``/_dash-dependencies``."""

    def __init__(self, dependencies: list[dict]):
        self.by_output = {d["output"]: d for d in dependencies}

    def find(self, marker: str) -> dict:
        (found,) = [d for d in self.by_output.values() if d["output"].startswith(marker)]
        return found

    def payload(self, marker: str, values: dict[str, object], changed: list[str]) -> dict:
        spec = self.find(marker)
        outputs = [dict(zip(("id", "property"), part.rsplit(".", 1)))
                   for part in spec["output"].strip(".").split("...")]

        def filled(items):
            return [{**item, "value": values.get(f"{item['id']}.{item['property']}")} for item in items]

        return {"output": spec["output"], "outputs": outputs if spec["output"].startswith("..") else outputs[0],
                "inputs": filled(spec["inputs"]), "changedPropIds": changed, "parsedChangedPropsIds": changed,
                "state": filled(spec.get("state", []))}


class User:
    """One simulated person, with a client (and so a session) of their own."""

    def __init__(self, number: int, base: str, samples: list[Sample], rng: random.Random):
        self.number, self.base, self.samples, self.rng = number, base, samples, rng
        self.client = httpx2.AsyncClient(base_url=base, timeout=300, follow_redirects=False)

    async def request(self, kind: str, method: str, path: str, check=None, **kwargs) -> httpx2.Response | None:
        started = time.perf_counter()
        error = None
        response = None
        try:
            response = await self.client.request(method, path, **kwargs)
            if not 200 <= response.status_code < 300:
                error = f"{method} {path}: {response.status_code} {response.text[:300]}"
            elif check is not None:
                error = check(response)
        except httpx2.HTTPError as exc:
            error = f"{method} {path}: {type(exc).__name__} {exc}"
        self.samples.append(Sample(self.number, kind, time.perf_counter() - started, error))
        return None if error else response

    async def close(self) -> None:
        await self.client.aclose()


class DashboardUser(User):
    def __init__(self, number, base, samples, rng, username: str, password: str, regions: list[str]):
        super().__init__(number, base, samples, rng)
        self.username, self.password, self.regions = username, password, regions
        self.callbacks: Callbacks | None = None
        self.version = None

    async def sign_in(self) -> None:
        await self.client.get("/login")
        answer = await self.client.post("/login", data={"username": self.username, "password": self.password,
                                                         "next": "/", "csrf_token": self.client.cookies["_csrf_token"]})
        if answer.status_code != 303:
            raise RuntimeError(f"{self.username} could not sign in: {answer.status_code} {answer.text[:200]}")
        self.callbacks = Callbacks((await self.client.get("/_dash-dependencies")).json())

    async def callback(self, kind: str, marker: str, values: dict, changed: list[str], check=None):
        payload = self.callbacks.payload(marker, values, changed)
        response = await self.request(kind, "POST", "/_dash-update-component", check=check, json=payload,
                                      headers={"X-CSRFToken": self.client.cookies["_csrf_token"]})
        return response.json()["response"] if response is not None else None

    def page_drawn(self, path: str, search: str):
        def check(response) -> str | None:
            page = response.json()["response"]["page"]["children"]
            drawn = page.get("props", {}).get("data-view")
            if drawn != f"{path}{search}":
                return f"the page callback drew {drawn!r}, not {path}{search}"
            text = json.dumps(page)
            if ERROR_NOTICE in text:
                return f"{path}{search} was drawn with an error notice: {text[text.find(ERROR_NOTICE) - 300:][:700]}"
            return None
        return check

    async def open_page(self, path: str, search: str) -> None:
        """What a browser asks when it opens a page: HTML, layout, dependencies, then the first callbacks."""
        await self.request("page html", "GET", path + search, headers={"accept": "text/html"})
        await self.request("dash layout", "GET", "/_dash-layout")
        await self.request("dash dependencies", "GET", "/_dash-dependencies")
        values = {"url.pathname": path, "url.search": search}
        await self.callback("callback: filter bar", "..url.search...f-dates", values, [])
        await self.redraw(path, search, ["url.pathname"])

    async def redraw(self, path: str, search: str, changed: list[str]) -> None:
        values = {"url.pathname": path, "url.search": search, "page-version.data": self.version}
        await self.callback("callback: menu", "..nav-0.href", values, changed)
        await self.callback("callback: export links", "..export-pdf.href", values, changed)
        drawn = await self.callback("callback: page", "..page.children", values, changed,
                                    check=self.page_drawn(path, search))
        if drawn is not None:
            self.version = drawn["page-version"]["data"]

    async def change_filter(self, path: str, search: str) -> str:
        """Pick a region and dates in the filter bar; the bar's callback answers the new URL, which redraws."""
        start, end = self.rng.choice(DATES)
        region = self.rng.sample(self.regions, k=self.rng.randint(1, 2))
        values = {"url.search": search, "f-dates.start_date": start, "f-dates.end_date": end, "f-region.value": region}
        for name in ("industry", "rep", "tier", "type", "category", "product", "customer"):
            values[f"f-{name}.value"] = []
        answer = await self.callback("callback: filter bar", "..url.search...f-dates", values, ["f-region.value"])
        new_search = (answer or {}).get("url", {}).get("search", search)
        await self.redraw(path, new_search, ["url.search"])
        return new_search

    async def poll(self) -> None:
        await self.callback("callback: data version", "data-version.data",
                            {"data-poll.n_intervals": self.rng.randint(1, 100), "page-version.data": self.version},
                            ["data-poll.n_intervals"])

    async def export(self, search: str) -> None:
        fmt, page, table = self.rng.choice(EXPORTS)
        filters = parse_qsl(search.lstrip("?"))
        chosen = [("table", table)] if table else []
        await self.request(f"export {fmt}", "GET", f"/api/v1/export/{fmt}", params=[("page", page), *filters, *chosen])

    async def session(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            path = self.rng.choice(PAGES)
            search = ""
            await self.open_page(path, search)
            for _ in range(2):
                if time.monotonic() >= deadline:
                    break
                search = await self.change_filter(path, search)
                await self.poll()
            if time.monotonic() < deadline:
                await self.export(search)


class ApiUser(User):
    def __init__(self, number, base, samples, rng, token: str, regions: list[str]):
        super().__init__(number, base, samples, rng)
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.regions = regions

    async def session(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            start, end = self.rng.choice(DATES)
            params = {"start": start, "end": end, "region": self.rng.sample(self.regions, k=self.rng.randint(1, 2))}
            path = self.rng.choice(API)
            await self.request("api metric", "GET", path, params={**params, **API_EXTRA.get(path, {})})


async def run_crowd(base: str, users: int, seconds: float, accounts: list[tuple[str, str]], tokens: list[str],
                    regions: list[str], api_share: float = 0.4, seed: int = 7) -> Crowd:
    """``users`` people for ``seconds`` (a user finishes the request under way): dashboard users signed in
    as ``accounts`` (taken in turn), API users with ``tokens`` (in turn)."""
    samples: list[Sample] = []
    rng = random.Random(seed)
    api_users = round(users * api_share)
    people: list[User] = []
    for number in range(users):
        person_rng = random.Random(rng.random())
        if number < api_users:
            people.append(ApiUser(number, base, samples, person_rng, tokens[number % len(tokens)], regions))
        else:
            username, password = accounts[number % len(accounts)]
            people.append(DashboardUser(number, base, samples, person_rng, username, password, regions))
    try:
        await asyncio.gather(*(p.sign_in() for p in people if isinstance(p, DashboardUser)))
        started = time.monotonic()
        await asyncio.gather(*(p.session(started + seconds) for p in people))
        elapsed = time.monotonic() - started
    finally:
        await asyncio.gather(*(p.close() for p in people))
    return Crowd(samples, users, elapsed)


def report(crowd: Crowd, alone: Crowd | None = None) -> str:
    """p50 and p95 per kind of request (and against one user alone), throughput and errors."""
    lines = [(f"{crowd.users} users for {crowd.seconds:.0f} s: {len(crowd.samples)} requests "
              f"({len(crowd.samples) / crowd.seconds:.1f}/s), {len(crowd.errors)} errors")]
    for kind in [None, *crowd.kinds()]:
        values = crowd.latencies(kind)
        line = f"  {kind or 'all':24} n={len(values):5}  p50 {percentile(values, .5) * 1000:7.0f} ms  " \
               f"p95 {percentile(values, .95) * 1000:7.0f} ms"
        if alone is not None and alone.latencies(kind):
            base50, base95 = percentile(alone.latencies(kind), .5), percentile(alone.latencies(kind), .95)
            line += f"   alone: p50 {base50 * 1000:6.0f} ms  p95 {base95 * 1000:6.0f} ms" \
                    f"   ratio p95/p95 alone {percentile(values, .95) / base95:5.1f}"
        lines.append(line)
    return "\n".join(lines)


def demo(folder: Path, customers: int) -> Path:
    database = folder / "demo.duckdb"
    subprocess.run([BIN / "marginscope", "demo", "--out", str(folder / "files"), "--customers", str(customers),
                    "--as-of", "2026-06-30", "--warehouse", f"duckdb://{database}"], check=True, capture_output=True,
                   cwd=folder)
    return database


def accounts_for(app_db: Path, database: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Users of each role that sees pages (admin, analyst, a rep), an API token of each, and the regions."""
    from marginscope.auth import Auth
    from marginscope.warehouse import Warehouse

    with Warehouse.connect(f"duckdb://{database}") as wh:
        customers = wh.table("customers").to_pandas()
    rep_id = customers.owner_rep_id.dropna().min()
    regions = sorted(customers.region.dropna().unique())
    auth = Auth(app_db)
    password = secrets.token_urlsafe(16)
    accounts = []
    roles = [("load-admin", "admin", {}), ("load-analyst", "analyst", {}), ("load-rep", "rep", {"rep_id": rep_id})]
    for username, role, extra in roles:
        auth.users.add(username, password, role, **extra)
        accounts.append((username, password))
    tokens = [auth.tokens.create(username, "load test")[1] for username, _ in accounts]
    return accounts, tokens, list(regions)


def serve(database: Path, app_db: Path, port: int, warm_up: bool = True) -> tuple[subprocess.Popen, str]:
    """`marginscope serve` on 127.0.0.1 (its output in ``server.log`` beside the database); returns it and its
    base URL once it answers (and, with ``warm_up``, once it has compiled its common views, as users meet it)."""
    log = (database.parent / "server.log").open("wb")
    process = subprocess.Popen([BIN / "marginscope", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--warehouse", f"duckdb://{database}"], stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "MARGINSCOPE_APP_DB": str(app_db),
                                    "MARGINSCOPE_WARM_UP": "true" if warm_up else "false"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                if json.load(answer)["warmed_up"] or not warm_up:
                    return process, base
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server did not start in time: {(database.parent / 'server.log').read_text()}")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1500, help="size of the demo company")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--baseline", type=float, default=20, help="seconds of one user alone")
    parser.add_argument("--port", type=int, default=18310)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marginscope-load-") as folder:
        started = time.perf_counter()
        database = demo(Path(folder), args.customers)
        print(f"demo company of {args.customers} customers built in {time.perf_counter() - started:.0f} s", flush=True)
        app_db = Path(folder) / "app.sqlite3"
        accounts, tokens, regions = accounts_for(app_db, database)
        process, base = serve(database, app_db, args.port)
        try:
            alone = asyncio.run(run_crowd(base, 1, args.baseline, accounts, tokens, regions, api_share=0))
            alone_api = asyncio.run(run_crowd(base, 1, args.baseline / 2, accounts, tokens, regions, api_share=1))
            alone.samples += alone_api.samples
            crowd = asyncio.run(run_crowd(base, args.users, args.duration, accounts, tokens, regions))
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(report(crowd, alone))
    for sample in crowd.errors[:10]:
        print("error:", sample.error)


if __name__ == "__main__":
    main()
