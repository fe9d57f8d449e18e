"""Fixtures of the tests that need a running server (the dashboard, exports to PDF): a demo
company built by the project's own CLI, a copy of it for computing expected figures, a
real `marginscope serve` on 127.0.0.1 whose admin is created from the environment, as an
installer would, and headless Chromium signed in to it.

They are registered in ``tests/conftest.py``, so one server serves the whole session."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

import marginscope
from marginscope.config import get_settings
from marginscope.export.pdf import FLAGS as CHROMIUM_FLAGS
from tests.kept import kept

CHROMIUM = get_settings().chromium
DEMO_AS_OF = "2026-06-30"
BIN = Path(sys.executable).parent
ADMIN = ("admin", secrets.token_urlsafe(16))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory, request) -> Path:
    """A small demo company (300 customers, 3 years to 30 June 2026) loaded by `marginscope demo`,
    once per test process (see :mod:`tests.kept`)."""
    @contextmanager
    def build() -> Iterator[Path]:
        folder = tmp_path_factory.mktemp("web-demo")
        database = folder / "demo.duckdb"
        subprocess.run([BIN / "marginscope", "demo", "--out", str(folder / "files"), "--customers", "300",
                        "--as-of", DEMO_AS_OF, "--warehouse", f"duckdb://{database}"],
                       check=True, capture_output=True, cwd=folder)
        yield database

    return kept(request, "demo_warehouse", build)


@pytest.fixture(scope="session")
def expected(demo_warehouse, tmp_path_factory):
    """The metrics layer over a copy of the demo warehouse (the server holds the original's lock)."""
    copy = tmp_path_factory.mktemp("expected") / "copy.duckdb"
    shutil.copy(demo_warehouse, copy)
    metrics = marginscope.open(f"duckdb://{copy}")
    yield metrics
    metrics.close()


@pytest.fixture(scope="session")
def app_db(tmp_path_factory, request) -> Path:
    """The server's application database (users, sessions, tokens, saved views, audit log)."""
    return kept(request, "app_db", lambda: nullcontext(tmp_path_factory.mktemp("app-db") / "app.sqlite3"))


@contextmanager
def serving(database: Path, app_db: Path, **settings: str) -> Iterator[str]:
    """`marginscope serve` of ``database`` on a free port of 127.0.0.1 with an admin (:data:`ADMIN`);
    yields its base URL once it has warmed up. ``settings`` are extra MARGINSCOPE_* environment variables."""
    port = free_port()
    process = subprocess.Popen(
        [BIN / "marginscope", "serve", "--host", "127.0.0.1", "--port", str(port), "--warehouse",
         f"duckdb://{database}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "MARGINSCOPE_CURRENCY": "EUR", "MARGINSCOPE_APP_DB": str(app_db),
             "MARGINSCOPE_ADMIN_USER": ADMIN[0], "MARGINSCOPE_ADMIN_PASSWORD": ADMIN[1],
             **{f"MARGINSCOPE_{name.upper()}": value for name, value in settings.items()}})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the server did not start:\n{process.stdout.read().decode()}") from None
            time.sleep(0.2)
    try:
        wait_until_warmed_up(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_warmed_up(base: str, seconds: float = 180) -> None:
    """Wait until ``/healthz`` says the server's warm-up is done (pages drawn during it wait for the
    warm-up's queries, which on a busy two-core test machine took close to the browser's timeout)."""
    deadline = time.monotonic() + seconds
    while not json.load(urllib.request.urlopen(base + "/healthz", timeout=5))["warmed_up"]:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not finish warming up in {seconds:.0f} s")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def server(demo_warehouse, app_db, request):
    """The demo company served for the whole run of the test process, warmed up; its base URL."""
    return kept(request, "server", lambda: serving(demo_warehouse, app_db))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A browser tab on the dashboard that records console errors and waits for rendered views."""

    def __init__(self, tab, base: str):
        self.tab, self.base, self.errors = tab, base, []
        tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str) -> None:
        self.tab.goto(self.base + path)
        self.wait_for_view(path)

    def wait_for_view(self, path: str) -> None:
        """Wait until the page shows the view of ``path`` (its path and query string)."""
        self.tab.wait_for_selector(f'[data-view="{path}"]', timeout=30_000)

    def text(self, selector: str) -> str:
        return self.tab.inner_text(selector).strip()

    def row_text(self, panel: str, index: int | None = None, has_text: str | None = None) -> str:
        """The text of a grid row in ``panel``, by its index or by a text it holds: a grid with a pinned
        column draws each row in two parts (pinned and scrolling), joined here in that order."""
        if index is None:
            found = self.tab.locator(f"{panel} .ag-row", has_text=has_text).first
            index = int(found.get_attribute("row-index") or 0)
        row = self.tab.locator(f"{panel} .ag-row[row-index='{index}']")
        row.first.wait_for()  # the grid draws its rows after the page's view is in place
        return " ".join(row.all_inner_texts())

    def row_count(self, panel: str) -> int:
        """The rows a grid in ``panel`` draws (each once, however many parts it is drawn in)."""
        return self.tab.locator(f"{panel} .ag-center-cols-container .ag-row").count()


def sign_in(browser, base: str, username: str, password: str) -> dict:
    """Sign in through the sign-in form; returns the browser state (cookies) to start tabs from."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(base + "/login")
    tab.fill("#username", username)
    tab.fill("#password", password)
    tab.click("button[type=submit]")
    tab.wait_for_url(lambda url: "/login" not in url, timeout=30_000)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def admin_state(browser, server) -> dict:
    return sign_in(browser, server, *ADMIN)


@pytest.fixture
def page(browser, server, admin_state):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                  storage_state=admin_state)
    tab = context.new_page()
    yield Page(tab, server)
    context.close()
