"""Documentation generated from code, so that it cannot drift from it.

``docs/data-contract.md`` is this module's output; a test fails when they differ
(regenerate with ``python -m marginscope.docs > docs/data-contract.md``).
"""

from __future__ import annotations

from marginscope.schema import TABLES, Column


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


if __name__ == "__main__":
    print("# Data contract\n\nGenerated from `marginscope.schema`; do not edit by hand.\n")
    print(data_contract_markdown(), end="")
