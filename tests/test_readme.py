"""The README's examples run as written, against a small demo company."""

import datetime as dt
import re
from pathlib import Path

from marginscope.config import get_settings
from marginscope.demo import generate
from marginscope.ingest import Bundle, load_bundle
from marginscope.warehouse import Warehouse

README = Path(__file__).resolve().parents[1] / "README.md"


def python_block(heading: str) -> str:
    section = README.read_text().split(heading, 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_metrics_example_runs(tmp_path, monkeypatch):
    url = f"duckdb://{tmp_path / 'readme.duckdb'}"
    bundle = generate(tmp_path / "demo", customers=60, seed=2, as_of=dt.date(2026, 11, 23))
    with Warehouse.connect(url) as wh:
        assert all(result.ok for result in load_bundle(wh, Bundle.from_yaml(bundle)))
    monkeypatch.setenv("MARGINSCOPE_WAREHOUSE", url)
    get_settings.cache_clear()
    try:
        namespace: dict = {}
        exec(python_block("### Metrics (Python)"), namespace)
        assert namespace["ms"].sales.summary(namespace["q3"]).revenue.iloc[0] > 0
    finally:
        get_settings.cache_clear()
