"""Which package may import which: the layers of DESIGN.md, checked on the imports themselves."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "marginscope"

# package -> packages it must never import (directly or inside a function)
FORBIDDEN = {
    "web": ("marginscope.api", "marginscope.export", "marginscope.server"),
    "api": ("marginscope.web", "marginscope.export", "marginscope.server"),
    # The metrics' one reference to the insights above them is Metrics.insights, imported when asked for.
    "metrics": ("marginscope.web", "marginscope.api", "marginscope.export", "marginscope.alerts",
                "marginscope.server", "marginscope.ingest"),
    "auth": ("marginscope.web", "marginscope.api", "marginscope.server"),
    # The loader keeps the rollups through the warehouse's one hook (Warehouse.rollups_kept), never directly.
    "ingest": ("marginscope.metrics", "marginscope.web", "marginscope.api", "marginscope.server"),
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_it_must_not(package):
    found = [f"{path.relative_to(SRC)} imports {name}" for path in sorted((SRC / package).rglob("*.py"))
             for name in sorted(imported(path)) if name.startswith(FORBIDDEN[package])]
    assert found == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from marginscope.api import install\n")
    assert "marginscope.api.install" in imported(sample)
