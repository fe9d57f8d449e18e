"""Propose a mapping for a file from its header and sample values, for a person to review.

Each canonical column is matched to the source column whose name is closest to its
own name or a known synonym (``Customer No.``, ``Account ID`` ... for customer_id),
weighed by whether the sample values fit (dates parse, numbers are numbers, enum
values are allowed, perhaps in another case). Matches are taken best first, one
source column per canonical column. The result is a mapping dict plus what could
not be matched; nothing is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from marginscope.ingest.mapping import Mapping
from marginscope.ingest.readers import read_source
from marginscope.schema import Column, Kind
from marginscope.schema import table as canonical_table

SYNONYMS = {
    "customer_id": ["customer no", "customer number", "customer", "account id", "account number", "account",
                    "client id", "debtor no", "sold to"],
    "product_id": ["item no", "item number", "item", "sku", "product no", "product code", "material", "article"],
    "rep_id": ["salesperson", "sales rep", "owner", "account owner", "deal owner", "sales agent", "agent"],
    "owner_rep_id": ["account owner", "owner", "salesperson", "sales rep", "company owner"],
    "invoice_id": ["invoice no", "invoice number", "document no", "document number", "doc no", "invoice"],
    "line_no": ["line", "line number", "ln", "pos", "position", "item line"],
    "kind": ["type", "document type", "doc type"],
    "invoice_date": ["posting date", "date", "document date", "billing date"],
    "quantity": ["qty", "units", "amount units"],
    "unit_price": ["price", "unit cost price", "sales price"],
    "discount_amount": ["discount", "line discount"],
    "net_amount": ["amount", "line amount", "net", "net value", "sales amount"],
    "cogs": ["cost", "cost amount", "cost of sales"],
    "name": ["company name", "account name", "customer name", "description", "title"],
    "opportunity_id": ["deal id", "record id", "opportunity"],
    "stage": ["deal stage", "status", "phase"],
    "engage_date": ["created date", "create date", "start date"],
    "close_value": ["amount", "value", "deal value"],
    "order_id": ["order no", "order number", "sales order"],
    "period": ["month"],
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d")
THRESHOLD = 0.6


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _name_score(column: str, source: str) -> float:
    wanted = [column.replace("_", " "), *SYNONYMS.get(column, [])]
    source = _normal(source)
    return max(1.0 if source == _normal(w) else SequenceMatcher(None, source, _normal(w)).ratio() for w in wanted)


def _date_format(values: pd.Series) -> tuple[str | None, float]:
    best, rate = None, 0.0
    for fmt in DATE_FORMATS:
        head = values.str.slice(0, 10) if fmt == "%Y-%m-%d" else values
        parsed = pd.to_datetime(head, format=fmt, errors="coerce").notna().mean()
        if parsed > rate:
            best, rate = fmt, parsed
    return best, rate


def _fit(column: Column, values: pd.Series) -> tuple[float, dict]:
    """How well sample values fit a canonical column (0-1), and the rule options that make them fit."""
    if values.empty:
        return 0.5, {}
    if column.kind is Kind.DATE:
        fmt, rate = _date_format(values)
        return rate, ({"date_format": fmt} if fmt and fmt != "%Y-%m-%d" else {})
    if column.kind.is_numeric:
        cleaned = values.str.replace(r"[\s$€£]|[A-Z]{3}", "", regex=True).str.replace(",", "")
        return float(cleaned.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)").mean()), {}
    if column.allowed:
        by_lower = {a.lower(): a for a in column.allowed}
        distinct = values.unique()
        known = [v for v in distinct if v.lower() in by_lower]
        value_map = {v: by_lower[v.lower()] for v in known if v not in column.allowed}
        return len(known) / len(distinct), ({"values": value_map} if value_map else {})
    return 1.0, {}


@dataclass
class Suggestion:
    """A proposed mapping and what it could not decide."""

    mapping: dict
    unmatched_required: list[str] = field(default_factory=list)
    unused_sources: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        import yaml

        text = yaml.safe_dump(self.mapping, sort_keys=False, allow_unicode=True)
        notes = [f"# REVIEW: no column found for required {c}" for c in self.unmatched_required]
        notes += [f"# unused source column: {c}" for c in self.unused_sources]
        return text + ("\n".join(notes) + "\n" if notes else "")


def suggest(path: str | Path, table: str, delimiter: str = ",", sample: int = 500) -> Suggestion:
    """Propose a mapping of the file at ``path`` onto ``table``."""
    schema = canonical_table(table)
    probe = Mapping.from_dict({"table": table, "delimiter": delimiter})
    data = read_source(path, probe).data.slice(0, sample)
    samples = {name: pd.Series(pc.utf8_trim_whitespace(data.column(name)).to_pylist(), dtype=object)
               for name in data.column_names}
    samples = {name: values[values.notna() & (values != "")].astype(str) for name, values in samples.items()}
    candidates = []
    for wanted in schema.columns:
        for source, values in samples.items():
            fit, options = _fit(wanted, values)
            score = _name_score(wanted.name, source) * (0.5 + 0.5 * fit)
            candidates.append((score, wanted.name, source, options))
    chosen: dict[str, tuple[str, dict]] = {}
    used: set[str] = set()
    for score, column, source, options in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if score >= THRESHOLD and column not in chosen and source not in used:
            chosen[column] = (source, options)
            used.add(source)
    columns = {}
    for column in schema.column_names:  # in the contract's order, so the YAML reads like the docs
        if column in chosen:
            source, options = chosen[column]
            columns[column] = {"source": source, **options} if options else source
    mapping = {"table": table, **({"delimiter": delimiter} if delimiter != "," else {}), "columns": columns}
    return Suggestion(
        mapping=mapping,
        unmatched_required=[c.name for c in schema.required_columns if c.name not in chosen],
        unused_sources=[s for s in data.column_names if s not in used],
    )
