"""Request bodies are bounded before they are read, against a real `marginscope serve` (issue 28, item 6).

A 200 MB ``POST /login`` raised the server's memory by about 1 GB and stalled ``/healthz``; a 50 MB ingest
push came back as a 45.8 MB 422. Limits here are set to 1 MB so that the bodies stay small.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from marginscope.auth import Auth
from tests.conftest import open_with
from tests.live_server import ADMIN, serving
from tests.metrics.conftest import CUSTOMERS, LINES, PRODUCTS

MB = 1 << 20


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A small company served with 1 MB limits; (its base URL, an admin's API token)."""
    folder = tmp_path_factory.mktemp("limits")
    open_with(folder, {"customers": CUSTOMERS, "products": PRODUCTS, "invoice_lines": LINES}).close()
    app_db = folder / "app.sqlite3"
    with serving(Path(folder / "small.duckdb"), app_db, ingest_max_mb="1", request_max_mb="1",
                 warm_up="false") as base:
        token = Auth.open(str(app_db)).tokens.create(ADMIN[0], "limits")[1]
        yield base, token


def test_a_large_sign_in_form_is_refused_before_it_is_read(server):
    base, _ = server
    with httpx2.Client(base_url=base, timeout=30) as client:
        started = time.perf_counter()
        answer = client.post("/login", content=b"username=" + b"a" * (5 * MB),
                             headers={"content-type": "application/x-www-form-urlencoded"})
        took = time.perf_counter() - started
        assert answer.status_code == 413 and "larger than 16 KB" in answer.json()["detail"]
        assert len(answer.content) < 200 and took < 5
        assert client.get("/healthz").status_code == 200


def chunks(total: int, size: int = 64 << 10) -> Iterator[bytes]:
    yield b'{"rows": [{"payment_id": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}]}'


def test_a_chunked_push_is_counted_and_refused_as_it_arrives(server):
    """Without a Content-Length the body is counted chunk by chunk and refused past the limit."""
    base, token = server
    with httpx2.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.post("/api/v1/ingest/payments", content=chunks(3 * MB),
                             headers={"content-type": "application/json"})
        assert answer.status_code == 413 and "larger than 1 MB" in answer.json()["detail"]
        assert client.get("/api/v1/me").status_code == 200  # the server goes on


def test_a_refused_push_does_not_repeat_its_values(server):
    """A 422 names each problem's place and reason; it does not echo the values sent."""
    base, token = server
    huge = "y" * 300_000
    rows = [{"payment_id": "P1", "invoice_id": [huge], "paid_date": {"day": huge}, "amount": "1.00"}]
    with httpx2.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.post("/api/v1/ingest/payments", json={"rows": rows})
    assert answer.status_code == 422, answer.text[:300]
    assert len(answer.content) < 5_000 and "yyyy" not in answer.text
    assert any("invoice_id" in problem["loc"] for problem in answer.json()["detail"])
