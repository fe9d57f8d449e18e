"""SQL injection through the filter parameters of every endpoint: a filter value is data, never SQL.

Each GET of the REST API is called with injection attempts in two of its filter
parameters (taken in turn, so that every parameter is tried on a quarter of the
endpoints: each endpoint compiles a query per filter shape, and all eight on each would
take minutes), and again with a harmless value that matches nothing; page exports get
every parameter. The two
answers must be the same (the attempt was just a value that matched nothing), no call
may fail with a server error, and the warehouse must hold what it held before.
"""

from __future__ import annotations

import pytest

from marginscope.schema import TABLES
from tests.api.sweep import requests_of

PAYLOADS = ["' OR '1'='1", "North'); DROP TABLE customers; --", '" OR 1=1 --', "%' OR 1=1 --",
            "1; SELECT pg_sleep(5) --", "C1' UNION SELECT username, password_hash FROM users --"]
NOTHING = "matches-nothing"
# Answers that change between two calls by themselves: the audit log records every call, a token its last use.
CHANGING = ("/api/v1/audit", "/api/v1/tokens")
FILTER_PARAMETERS = ("region", "industry", "rep", "tier", "type", "category", "customer", "product")


def _rows(metrics) -> dict[str, int]:
    return {table: metrics.warehouse.table(table).count().execute() for table in TABLES}


def _same(injected, literal, payload: str):
    """``injected`` equals ``literal`` once the payload's echo (a filter shown back) reads as the literal."""
    if isinstance(injected, dict):
        return injected.keys() == literal.keys() and all(_same(injected[k], literal[k], payload) for k in injected)
    if isinstance(injected, list):
        return len(injected) == len(literal) and all(_same(a, b, payload) for a, b in zip(injected, literal))
    if isinstance(injected, str):
        return injected.replace(payload, NOTHING) == literal
    return injected == literal


def test_filter_values_are_never_sql(served):
    before = _rows(served.metrics)
    admin = served.as_user("boss")
    calls = 0
    for number, (url, params) in enumerate(requests_of(admin.get("/openapi.json").json(), variants_too=False)):
        for offset in (0, 1):
            parameter = FILTER_PARAMETERS[(2 * number + offset) % len(FILTER_PARAMETERS)]
            payload = PAYLOADS[(number + offset) % len(PAYLOADS)]
            injected = admin.get(url, params={**params, parameter: payload})
            literal = admin.get(url, params={**params, parameter: NOTHING})
            assert injected.status_code == literal.status_code, (url, parameter, payload, injected.text)
            assert injected.status_code < 500, (url, parameter, payload, injected.text)
            if injected.status_code == 200 and not url.startswith(CHANGING):
                assert _same(injected.json(), literal.json(), payload), (url, parameter, payload)
            calls += 1
    assert calls > 100  # every endpoint, two filters each
    assert _rows(served.metrics) == before


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_dates_that_are_not_dates_are_refused(served, payload):
    answer = served.as_user("boss").get("/api/v1/sales/summary", params={"start": f"2026-01-01{payload}"})
    assert answer.status_code == 422 and "start" in answer.text


@pytest.mark.parametrize("page", ["/", "/customers"])
def test_exports_take_filter_values_as_data(served, page):
    admin = served.as_user("boss")
    for parameter in FILTER_PARAMETERS:
        injected = admin.get("/export/csv", params={"page": page, parameter: PAYLOADS[1]})
        literal = admin.get("/export/csv", params={"page": page, parameter: NOTHING})
        assert injected.status_code == literal.status_code and injected.status_code < 500, (page, parameter)
