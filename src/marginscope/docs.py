"""Documentation generated from code, so that it cannot drift from it.

``docs/data-contract.md`` and ``docs/metrics.md`` are this module's output; a test
fails when they differ. Regenerate both with ``python -m marginscope.docs``.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

from marginscope.config import Settings
from marginscope.ingest.validate import LINE_AMOUNT_LIMIT, PLANNING_YEARS
from marginscope.schema import TABLES, Column, Kind

METRIC_MODULES = ("semantic", "filters", "rollups", "sales", "budget", "forecast", "products", "customers",
                  "receivables", "portrait", "rfm", "profitability", "churn", "clv", "pipeline", "team", "campaigns",
                  "nps", "catalog")
"""The modules of :mod:`marginscope.metrics` whose definitions docs/metrics.md holds, in its order; the
findings written over them (:mod:`marginscope.insights`) follow."""


def _column_notes(column: Column) -> str:
    notes = [column.description] if column.description else []
    if column.allowed:
        notes.append("one of: " + ", ".join(column.allowed))
    if column.minimum is not None:
        notes.append(f"at least {column.minimum:g}")
    if column.maximum is not None:
        notes.append(f"at most {column.maximum:g}")
    if column.references:
        notes.append(f"references {column.references}")
    if column.kind is Kind.DATE:
        horizon = Settings.model_fields["date_horizon_days"].default
        notes.append("from 1900; " + (f"at most {PLANNING_YEARS} years ahead" if column.planned
                                      else f"at most date_horizon_days ({horizon}) after the load"))
    return "; ".join(notes)


def data_contract_markdown(tables: list[str] | None = None) -> str:
    """The canonical tables as Markdown.

    Examples
    --------
    >>> print(data_contract_markdown(["reps"]).splitlines()[0])
    ## reps
    """
    parts = []
    for name in tables or list(TABLES):
        table = TABLES[name]
        parts.append(f"## {name}\n")
        need = "required" if table.required else "optional"
        parts.append(f"{table.grain.capitalize()}; {need} table; key: {', '.join(table.key)}.\n")
        parts.append("| column | type | required | notes |\n|---|---|---|---|")
        for column in table.columns:
            parts.append(f"| {column.name} | {column.kind.ibis_type} | {'yes' if column.required else ''} | "
                         f"{_column_notes(column)} |")
        parts.append("")
    return "\n".join(parts)


LOAD_CHECKS = f"""\
Beyond each column's type, a load refuses (naming the file, row, column and reason):

- a line whose `currency` is not an ISO 4217 code, or not the reporting currency (the `currency`
  setting, default EUR): amounts in different currencies are never summed, and none are converted yet;
  an amount marked with another currency than its line's (`200.00 USD` on a EUR line);
- a date before 1900, a date of something that has happened more than `date_horizon_days` after the
  load, a planned date (due, promised, expected close, budget month, campaign) more than {PLANNING_YEARS} years
  ahead, and a time of day that is none (`2024-03-01 99:99`);
- an invoice line whose `net_amount` is not `quantity * unit_price - discount_amount` within
  `net_amount_tolerance` (default 0.01) plus the unit price's rounding (`quantity * 0.00005`), and an
  invoice line whose amounts reach {LINE_AMOUNT_LIMIT:,} (the limit of the sales queries' decimals);
- a number with more digits before the decimal point than its column holds. Numbers are read exactly,
  without floating point, and rounded half away from zero to the column's decimals.
"""


def data_contract_document() -> str:
    return ("# Data contract\n\nGenerated from `marginscope.schema`; do not edit by hand.\n\n" + LOAD_CHECKS + "\n"
            + data_contract_markdown())


def metrics_document() -> str:
    """Every metric module's definitions, as written in its docstring."""
    parts = ["# Metric definitions\n",
             "Generated from the docstrings of `marginscope.metrics`; do not edit by hand. "
             "Every figure in marginscope is computed as written here.\n"]
    for name in (*METRIC_MODULES, "insights"):
        path = "marginscope.insights" if name == "insights" else f"marginscope.metrics.{name}"
        module = importlib.import_module(path)
        doc = inspect.getdoc(module)
        assert doc is not None, f"marginscope.metrics.{name} has no docstring"
        title, _, body = doc.partition("\n")
        parts.append(f"## {name}: {title}\n\n{body.strip()}\n")
        if name == "semantic":
            parts.append(registry_markdown())
    return "\n".join(parts)


def registry_markdown() -> str:
    """The semantic layer's declarations as tables: every measure and every filter dimension.

    Examples
    --------
    >>> print(registry_markdown().splitlines()[0])
    ### Measures
    """
    from marginscope.metrics.semantic import COMPARISONS, DIMENSIONS, MEASURES

    lines = ["### Measures\n", "| measure | label | unit | definition |", "|---|---|---|---|"]
    lines += [f"| {m.name} | {m.label} | {m.unit.value} | {m.description} |" for m in MEASURES.values()]
    lines += ["", "### Filter dimensions\n", "| column | label | URL and API parameter | attribute of | name column |",
              "|---|---|---|---|---|"]
    lines += [f"| {d.column} | {d.label} | {d.parameter} | {d.entity.value} | {d.label_column or ''} |"
              for d in DIMENSIONS]
    lines += ["", "### Comparisons\n", "| compare= | label | prior period |", "|---|---|---|"]
    lines += [f"| {c.name} | {c.label} | {c.description} |" for c in COMPARISONS.values()]
    return "\n".join(lines) + "\n"


DOCUMENTS = {"data-contract.md": data_contract_document, "metrics.md": metrics_document}


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")
    for filename, render in DOCUMENTS.items():
        (folder / filename).write_text(render())
        print(f"wrote {folder / filename}")
