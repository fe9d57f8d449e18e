"""The executor is the one way metric queries reach the database."""

import ast
import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from marginscope.metrics import Filters, pipeline, sales
from marginscope.metrics.executor import query_key

METRICS = Path(__file__).parents[2] / "src" / "marginscope" / "metrics"
EXECUTOR = {"executor.py", "templates.py"}  # the lock and execution; the compiled templates it runs
RUNNERS = {"raw_sql", "sql"}  # on a connection
EXPRESSION_RUNNERS = {"to_pyarrow", "to_pandas", "to_pyarrow_batches", "to_polars"}  # on an expression


def _runs_a_query(node: ast.AST) -> bool:
    """``expr.execute()``, ``con.raw_sql(...)`` and the like: a call that sends SQL to an engine."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr == "execute" and not node.args and not node.keywords:
        return True  # an Ibis expression's execute(), not a function named execute taking arguments
    if node.func.attr in EXPRESSION_RUNNERS:
        return True
    return node.func.attr in RUNNERS and "con" in ast.unparse(node.func.value)


def test_no_metric_module_runs_a_query_but_through_the_executor():
    found = [f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}"
             for path in sorted(METRICS.glob("*.py")) if path.name not in EXECUTOR
             for node in ast.walk(ast.parse(path.read_text())) if _runs_a_query(node)]
    assert found == []


def test_the_check_finds_a_query_run_directly():
    sample = ast.parse("wh.table('x').count().execute()\nwh.con.raw_sql('SELECT 1')\nexecute(wh, expr)\n"
                       "t.aggregate(n=t.count()).to_pyarrow()")
    assert [_runs_a_query(node) for node in ast.walk(sample) if isinstance(node, ast.Call)].count(True) == 3


HAND_KEYED = {"_cached", "_computed", "_run", "_cached_as", "_cached_computed", "run"}


def test_no_cache_or_template_key_is_written_by_hand():
    """Every metric names its query by the function (or facade method) it runs; the key is derived from it
    and its arguments (executor.query_key), so no two queries can be given the same key by mistake."""
    written = []
    for path in sorted(METRICS.glob("*.py")):
        if path.name in EXECUTOR:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in HAND_KEYED
                    and any(isinstance(argument, ast.Tuple) for argument in node.args[:2])):
                written.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert written == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["region", "tier", "customer_id"]), st.sampled_from(["region", "tier", "customer_id"]),
       st.one_of(st.none(), st.integers(1, 3)), st.one_of(st.none(), st.integers(1, 3)), st.booleans(), st.booleans())
def test_two_different_calls_never_share_a_key(first, second, limit, other_limit, labelled, other_labelled):
    one = query_key(sales.by_expr, {"dimension": first, "limit": limit, "labelled": labelled})
    two = query_key(sales.by_expr, {"dimension": second, "limit": other_limit, "labelled": other_labelled})
    assert (one == two) == ((first, limit, labelled) == (second, other_limit, other_labelled))
    # Another query with the same arguments is another key.
    assert query_key(sales.top_expr, {"dimension": first, "n": limit}) != query_key(
        pipeline.summary_expr, {"dimension": first})
    assert hash(one) == hash(query_key(sales.by_expr, {"dimension": first, "labelled": labelled, "limit": limit}))


def test_the_engine_caches_each_call_under_its_own_key(ms):
    q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    calls = [lambda: ms.sales.by("region", q1), lambda: ms.sales.by("tier", q1),
             lambda: ms.sales.by("region", q1, labelled=True), lambda: ms.sales.top("region", 1, q1),
             lambda: ms.sales.top("region", 2, q1), lambda: ms.sales.compare("yoy", q1),
             lambda: ms.sales.compare("previous", q1), lambda: ms.customers.status("month", q1),
             lambda: ms.customers.status("quarter", q1), lambda: ms.customers.status("month", q1, window=30),
             lambda: ms.budget.to_date(q1, as_of=dt.date(2026, 2, 1)),
             lambda: ms.budget.to_date(q1, as_of=dt.date(2026, 3, 1))]
    keys = []
    for call in calls:
        before = set(ms.cache.entries)
        call()
        keys.append(set(ms.cache.entries) - before)
    assert all(keys), "every call computes something of its own"
    for index, made in enumerate(keys):
        for other in keys[index + 1:]:
            assert not made & other
    hits = ms.cache.hits
    calls[0]()
    assert ms.cache.hits == hits + 1  # the same call again: the same key
