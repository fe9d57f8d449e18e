"""Column mappings: how a source file's columns become a canonical table's columns.

A mapping is YAML. Only what differs from the canonical table needs saying: a
canonical column with no entry is read from a source column of the same name, if
there is one.

.. code-block:: yaml

    table: invoice_lines
    delimiter: ";"               # CSV only; default ","
    encoding: latin-1            # CSV only; default utf-8 (a BOM is accepted)
    sheet: Lines                 # Excel only; default the first sheet
    date_format: "%d.%m.%Y"      # default for every date column; default ISO 8601
    missing_optional: ignore     # optional columns named below may be absent (default: error)
    decimal: ","                 # number format default: "." decimal, "," thousands
    thousands: "."
    columns:
      invoice_id: Invoice No                 # rename
      kind:
        source: Type
        values: {INV: invoice, CN: credit_note}   # value map (exact, after trimming)
      invoice_date: {source: Inv. Date, date_format: "%d/%m/%Y"}
      currency: {value: EUR}                 # a constant for every row

Values are trimmed; an empty cell is a missing value. A value a map does not name
passes through unchanged, so validation reports it rather than hiding it.

A *bundle* loads several files with their mappings in one command (the demo data
and the CRM sample ship as bundles):

.. code-block:: yaml

    name: maven_crm
    description: CRM sales opportunities sample
    loads:
      - file: accounts.csv              # relative to the bundle's data directory
        mapping: {table: customers, columns: {customer_id: account}}
      - file: sales_pipeline.csv
        mapping: opportunities.yaml     # or a path, relative to the bundle file
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from marginscope.schema import TABLES, Table
from marginscope.schema import table as canonical_table

ISO_DATES = "ISO8601"


class MappingError(ValueError):
    """A mapping or bundle file that cannot be used, with where and why."""


@dataclass(frozen=True)
class ColumnRule:
    """Where one canonical column's values come from."""

    target: str
    source: str | None = None
    value: str | None = None
    values: dict[str, str] | None = None
    date_format: str | None = None
    decimal: str | None = None
    thousands: str | None = None


_FILE_OPTIONS = ("delimiter", "encoding", "sheet", "date_format", "decimal", "thousands", "missing_optional")
_COLUMN_OPTIONS = ("source", "value", "values", "date_format", "decimal", "thousands")


@dataclass(frozen=True)
class Mapping:
    """How one source file maps onto one canonical table.

    Examples
    --------
    >>> m = Mapping.from_dict({"table": "reps", "columns": {"rep_id": "Agent", "name": "Agent"}})
    >>> m.rule("rep_id").source, m.rule("manager").source
    ('Agent', 'manager')
    """

    table: str
    columns: dict[str, ColumnRule] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str = "utf-8"
    sheet: str | int | None = None
    date_format: str = ISO_DATES
    decimal: str = "."
    thousands: str = ","
    origin: str = "<mapping>"
    description: str = ""
    missing_optional: str = "error"
    """What to do when an optional column the mapping names is not in the file: ``error``
    (a hand-written mapping naming a missing column is usually a typo) or ``ignore``
    (presets: users choose which columns their reports export), which leaves it empty."""

    @property
    def schema(self) -> Table:
        return canonical_table(self.table)

    def rule(self, column: str) -> ColumnRule:
        """The rule for a canonical column (identity when the mapping is silent)."""
        return self.columns.get(column) or ColumnRule(target=column, source=column)

    def date_format_for(self, column: str) -> str:
        return self.rule(column).date_format or self.date_format

    def number_format_for(self, column: str) -> tuple[str, str]:
        rule = self.rule(column)
        return rule.decimal or self.decimal, rule.thousands or self.thousands

    @classmethod
    def identity(cls, table: str) -> Mapping:
        canonical_table(table)
        return cls(table=table, origin="<default mapping>")

    @classmethod
    def from_dict(cls, raw: Any, origin: str = "<mapping>") -> Mapping:
        if not isinstance(raw, dict):
            raise MappingError(f"{origin}: a mapping must be a YAML mapping, got {type(raw).__name__}")
        unknown = set(raw) - {"table", "columns", "description", *_FILE_OPTIONS}
        if unknown:
            raise MappingError(f"{origin}: unknown keys {sorted(unknown)}")
        name = raw.get("table")
        if name not in TABLES:
            raise MappingError(f"{origin}: 'table' must be one of {', '.join(TABLES)}; got {name!r}")
        schema = TABLES[name]
        columns = {}
        for target, spec in (raw.get("columns") or {}).items():
            if not schema.has_column(target):
                raise MappingError(
                    f"{origin}: {target!r} is not a column of {name}; "
                    f"its columns are {', '.join(schema.column_names)}"
                )
            columns[target] = _column_rule(target, spec, origin)
        options = {k: raw[k] for k in _FILE_OPTIONS if k in raw}
        for key in ("delimiter", "decimal", "thousands"):
            if key in options and not isinstance(options[key], str):
                raise MappingError(f"{origin}: {key!r} must be a string")
        if options.get("missing_optional", "error") not in ("error", "ignore"):
            raise MappingError(f"{origin}: 'missing_optional' must be error or ignore")
        return cls(table=name, columns=columns, origin=origin, description=str(raw.get("description", "")).strip(),
                   **options)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Mapping:
        path = Path(path)
        return cls.from_dict(_read_yaml(path), origin=str(path))


def _column_rule(target: str, spec: Any, origin: str) -> ColumnRule:
    where = f"{origin}: column {target!r}"
    if isinstance(spec, str):
        return ColumnRule(target=target, source=spec)
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected a source column name or a mapping, got {spec!r}")
    unknown = set(spec) - set(_COLUMN_OPTIONS)
    if unknown:
        raise MappingError(f"{where}: unknown keys {sorted(unknown)}; allowed: {', '.join(_COLUMN_OPTIONS)}")
    if "source" in spec and "value" in spec:
        raise MappingError(f"{where}: give either 'source' or 'value', not both")
    values = spec.get("values")
    if values is not None and not isinstance(values, dict):
        raise MappingError(f"{where}: 'values' must map source values to canonical values")
    return ColumnRule(
        target=target,
        source=None if "value" in spec else str(spec.get("source", target)),
        value=None if spec.get("value") is None else str(spec["value"]),
        values=None if values is None else {str(k): str(v) for k, v in values.items()},
        date_format=spec.get("date_format"),
        decimal=spec.get("decimal"),
        thousands=spec.get("thousands"),
    )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MappingError(f"{path}: is a directory, not a YAML file") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML: {exc}") from None


@dataclass(frozen=True)
class BundleLoad:
    file: Path
    mapping: Mapping


@dataclass(frozen=True)
class Bundle:
    """Several files, each with its mapping, loaded together in table order."""

    name: str
    description: str
    loads: tuple[BundleLoad, ...]

    @classmethod
    def from_yaml(cls, path: str | Path, data_dir: str | Path | None = None) -> Bundle:
        path = Path(path)
        raw = _read_yaml(path)
        if not isinstance(raw, dict) or not isinstance(raw.get("loads"), list):
            raise MappingError(f"{path}: a bundle needs a 'loads' list")
        base = Path(data_dir) if data_dir is not None else path.parent
        loads = []
        for i, entry in enumerate(raw["loads"], start=1):
            where = f"{path}: load {i}"
            if not isinstance(entry, dict) or "file" not in entry or "mapping" not in entry:
                raise MappingError(f"{where}: needs 'file' and 'mapping'")
            spec = entry["mapping"]
            if isinstance(spec, str):
                mapping = Mapping.from_yaml(path.parent / spec)
            else:
                mapping = Mapping.from_dict(spec, origin=f"{where} ({entry['file']})")
            loads.append(BundleLoad(file=base / entry["file"], mapping=mapping))
        order = list(TABLES)
        loads.sort(key=lambda load: order.index(load.mapping.table))
        return cls(name=str(raw.get("name", path.stem)), description=str(raw.get("description", "")),
                   loads=tuple(loads))
