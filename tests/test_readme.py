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


def test_every_setting_the_readme_names_exists():
    from marginscope.config import Settings

    named = set(re.findall(r"MARGINSCOPE_([A-Z_]+)", README.read_text()))
    assert named, "the README names no settings"
    assert {name.lower() for name in named} <= set(Settings.model_fields)


def test_the_readme_role_table_lists_every_role():
    from marginscope.auth import Role

    table = README.read_text().split("| role | sees |", 1)[1].split("\n\n", 1)[0]
    assert sorted(re.findall(r"^\| (\w+) \|", table, re.M)) == sorted(role.value for role in Role)
