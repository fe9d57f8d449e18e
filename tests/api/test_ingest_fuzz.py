"""Fuzzing the ingest endpoint: any body, any rows, any values answer 200, or 422 (400 for a body that is
not JSON at all), never a 500, and a refused push changes nothing (every table compared in full before and
after; a validated rejection only adds its entry to the load log)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marginscope.schema import TABLES
from tests.api.test_ingest import LINE
from tests.ingest.reliability import FUZZ, FUZZ_LOADS, assert_validated_cleanly, snapshot

PUSHED = "invoice_lines"
COLUMNS = [column.name for column in TABLES[PUSHED].columns]

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
                | st.text(max_size=30) | st.sampled_from(["", " ", "1,234.50", "12,50", "(5.00)", "1e400", "2026-02-30",
                                                          "31/03/2026", "=1+1", "=cmd|' /C calc'!A0", "\x00", "é" * 5,
                                                          "99999999999999999999", "x" * 100_000]))


def column_names():
    return st.sampled_from(COLUMNS) | st.text(max_size=12)


@st.composite
def pushed_rows(draw) -> list[dict]:
    """Rows that start from a good line and have some of their cells replaced, dropped or added."""
    rows = []
    for number in range(draw(st.integers(1, 4))):
        row = {**LINE, "invoice_id": f"F{number}"}
        for _ in range(draw(st.integers(0, 3))):
            action = draw(st.sampled_from(["replace", "drop", "add"]))
            if action == "drop" and row:
                row.pop(draw(st.sampled_from(sorted(row))))
            else:
                row[draw(column_names()) if action == "add" else draw(st.sampled_from(COLUMNS))] = draw(JSON_SCALARS)
        rows.append(row)
    return rows


def state(served) -> dict:
    with served.metrics.lock:  # the app's one connection: not while a background job of the app uses it
        return snapshot(served.metrics.warehouse)


def push(served, client, body: bytes | dict, content_type="application/json"):
    """Push a body; check the answer is a load report or a refusal that changed nothing; return the answer."""
    before = state(served)
    content = body if isinstance(body, bytes) else json.dumps(body, allow_nan=True).encode()
    answer = client.post(f"/api/v1/ingest/{PUSHED}", content=content, headers={"content-type": content_type})
    assert answer.status_code in (200, 400, 422), answer.text
    after = state(served)
    report = answer.json()
    if answer.status_code == 400:
        assert report["detail"] == "There was an error parsing the body" and after == before
        with pytest.raises(ValueError):  # only a body that is not JSON text at all may be answered so
            json.loads(content)
    if "status" not in report:  # refused before any row was read: the body, a column name, a missing column
        assert report["detail"], report
        assert after == before
        return answer
    assert (answer.status_code == 200) == (report["status"] == "loaded")
    rows = len(body["rows"]) if isinstance(body, dict) else report["rows_read"]
    assert_validated_cleanly(report, rows, 1, before, after)
    return answer


@FUZZ_LOADS
@given(rows=pushed_rows(), policy=st.sampled_from(["reject", "quarantine"]))
def test_any_rows_are_loaded_or_refused_never_a_500_nor_half_loaded(served, rows, policy):
    admin = served.as_user("boss")
    answer = push(served, admin, {"rows": rows, "policy": policy})
    if answer.status_code == 200:  # the good rows are stored as pushed
        bad = {p["row"] for p in answer.json()["problems"]}
        stored = {(r["invoice_id"], r["line_no"]): r for r in served.metrics.warehouse.table(PUSHED).to_pyarrow()
                  .to_pylist()}
        for number, row in enumerate(rows, start=1):
            if number in bad or (row.get("invoice_id"), row.get("line_no")) != (f"F{number - 1}", 1):
                continue  # a row whose key the fuzzing changed is checked by the report's counts only
            kept = stored[(f"F{number - 1}", 1)]
            for column in ("kind", "customer_id", "product_id", "rep_id"):
                if isinstance(row.get(column), str):
                    assert kept[column] == row[column].strip()


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=8).map(lambda value: json.dumps({"rows": value}).encode()))
def test_any_body_is_refused_with_a_4xx_never_a_500(served, body):
    push(served, served.as_user("boss"), body)


def test_a_number_too_large_for_its_column_is_a_problem_not_a_500(served):
    """line_no beyond 64 bits and a net amount beyond decimal(18,2) crashed the push with a 500."""
    rows = [{**LINE, "line_no": 10**20}, {**LINE, "line_no": 2, "net_amount": 1e17}, {**LINE, "line_no": 3,
                                                                                     "net_amount": "1e400"}]
    answer = push(served, served.as_user("boss"), {"rows": rows})
    assert answer.status_code == 422
    assert [(p["row"], p["column"], p["reason"].split(":")[0]) for p in answer.json()["problems"]] == [
        (1, "line_no", "too large"), (2, "net_amount", "too large"), (3, "net_amount", "too large")]


def test_a_body_that_is_not_utf8_json_is_a_400(served):
    answer = push(served, served.as_user("boss"), '{"rows": [{"invoice_id": "é"}]}'.encode("latin-1"))
    assert answer.status_code == 400
