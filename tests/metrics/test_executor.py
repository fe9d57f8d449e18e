"""The executor is the one way metric queries reach the database."""

import ast
from pathlib import Path

METRICS = Path(__file__).parents[2] / "src" / "marginscope" / "metrics"
EXECUTOR = {"executor.py", "templates.py"}  # the lock and execution; the compiled templates it runs
RUNNERS = {"execute", "raw_sql", "sql", "to_pyarrow", "to_pandas", "to_pyarrow_batches"}


def _runs_a_query(node: ast.AST) -> bool:
    """``expr.execute()``, ``con.raw_sql(...)`` and the like: a call that sends SQL to an engine."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr == "execute" and not node.args and not node.keywords:
        return True  # an Ibis expression's execute(), not a function named execute taking arguments
    return node.func.attr in RUNNERS - {"execute"} and "con" in ast.unparse(node.func.value)


def test_no_metric_module_runs_a_query_but_through_the_executor():
    found = [f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}"
             for path in sorted(METRICS.glob("*.py")) if path.name not in EXECUTOR
             for node in ast.walk(ast.parse(path.read_text())) if _runs_a_query(node)]
    assert found == []


def test_the_check_finds_a_query_run_directly():
    sample = ast.parse("wh.table('x').count().execute()\nwh.con.raw_sql('SELECT 1')\nexecute(wh, expr)")
    assert [_runs_a_query(node) for node in ast.walk(sample) if isinstance(node, ast.Call)].count(True) == 2
