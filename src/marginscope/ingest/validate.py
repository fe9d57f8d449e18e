"""Turn a source file's text into typed canonical rows, reporting every problem.

Each check is vectorised over the whole file (Arrow compute), so validating ten
million lines costs seconds, and each finds *all* of its problems, not the first:
a user fixes a file once, not once per error.

A problem is reported as (row, column, value, reason): ``row`` is the row number as
the user sees it in the file (the header is row 1 in CSV and Excel), ``column`` is
the source file's column name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from marginscope.ingest.errors import IngestError
from marginscope.ingest.mapping import ISO_DATES, Mapping
from marginscope.ingest.readers import EXCEL_ERRORS, SourceTable
from marginscope.schema import Column, Kind, Table

KnownKeys = Callable[[str, str], pa.Array | None]
"""``known_keys(table, column)``: the values the warehouse holds there, or ``None``
when that table is empty and optional (its references are then not checked)."""

PROBLEM_SCHEMA = pa.schema(
    [("row", pa.int64()), ("column", pa.string()), ("value", pa.string()), ("reason", pa.string())]
)

_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"  # a date, or a timestamp's date
_CURRENCY_NOISE = r"[$€£¥]|^[A-Z]{3}|[A-Z]{3}$"  # symbols and ISO codes such as "EUR 12.00"
_MAX_INTEGER_DIGITS = 18  # int64 holds every whole number of 18 digits
_TOO_MANY_DIGITS = r"^[+-]?0*\d{19,}$"


@dataclass
class Validated:
    """The outcome of validating one file.

    ``rows`` has the canonical columns, typed, for every source row; ``bad`` marks
    the rows with at least one problem; ``problems`` lists them all.
    """

    rows: pa.Table
    bad: np.ndarray
    problems: pa.Table
    notes: list[str] = field(default_factory=list)

    @property
    def good_rows(self) -> pa.Table:
        return self.rows.filter(pa.array(~self.bad))

    @property
    def bad_indices(self) -> np.ndarray:
        return np.flatnonzero(self.bad)


class _Problems:
    """Collects problems as Arrow columns, one vectorised batch per check."""

    def __init__(self, source: SourceTable, n_rows: int):
        self.source = source
        self.bad = np.zeros(n_rows, dtype=bool)
        self.batches: list[pa.Table] = []

    def add(self, mask, column: str, values: pa.Array | pa.ChunkedArray, reason) -> None:
        """Record a problem on every row where ``mask`` is true.

        ``reason`` is one string for all those rows, or an array with one per
        selected row, in row order.
        """
        mask = _as_bool_numpy(mask)
        indices = np.flatnonzero(mask)
        if not len(indices):
            return
        self.bad[indices] = True
        taken = pa.array(indices)
        shown = pc.cast(pc.take(values, taken), pa.string())
        reasons = pa.array([reason] * len(indices)) if isinstance(reason, str) else reason
        self.batches.append(
            pa.table(
                [self.source.row_numbers(indices), pa.array([column] * len(indices)), shown, reasons],
                schema=PROBLEM_SCHEMA,
            )
        )

    def table(self) -> pa.Table:
        if not self.batches:
            return PROBLEM_SCHEMA.empty_table()
        return pa.concat_tables(self.batches).sort_by([("row", "ascending"), ("column", "ascending")])


def _as_bool_numpy(mask) -> np.ndarray:
    if isinstance(mask, np.ndarray):
        return mask
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks() if mask.num_chunks != 1 else mask.chunk(0)
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def validate(source: SourceTable, mapping: Mapping, known_keys: KnownKeys) -> Validated:
    """Map, parse and check a source file against its canonical table.

    Raises
    ------
    IngestError
        When the file cannot be validated row by row at all: required columns are
        missing, or a column the mapping names is not in the file.
    """
    schema = mapping.schema
    notes: list[str] = []
    raw = _mapped_text(source, mapping, schema, notes)
    problems = _Problems(source, source.data.num_rows)
    source_name = {c.name: _source_label(mapping, c.name) for c in schema.columns}
    readable = _without_excel_errors(raw, problems, source_name)

    typed: dict[str, pa.Array] = {}
    for column in schema.columns:
        typed[column.name] = _parse(readable[column.name], column, mapping, problems, source_name[column.name])

    _normalise_credit_notes(schema, typed)
    for column in schema.columns:
        _check_values(column, raw[column.name], typed[column.name], problems, source_name[column.name])
    _check_table_rules(schema, typed, raw, problems, source_name)
    _check_duplicate_keys(schema, typed, raw, problems, source_name)
    notes += _check_references(schema, typed, raw, problems, source_name, known_keys)

    rows = pa.table({c.name: typed[c.name] for c in schema.columns})
    return Validated(rows=rows, bad=problems.bad, problems=problems.table(), notes=notes)


def _source_label(mapping: Mapping, column: str) -> str:
    rule = mapping.rule(column)
    if rule.value is not None:
        return f"{column} (constant)"
    return rule.source if rule.source == column else f"{rule.source} ({column})"


def _mapped_text(source: SourceTable, mapping: Mapping, schema: Table,
                 notes: list[str]) -> dict[str, pa.Array]:
    """Each canonical column as trimmed text with empty cells as nulls, value maps applied."""
    n = source.data.num_rows
    present = set(source.data.column_names)
    missing = []
    columns: dict[str, pa.Array] = {}
    for column in schema.columns:
        rule = mapping.rule(column.name)
        if rule.value is not None:
            columns[column.name] = pa.array([rule.value] * n, pa.string())
            continue
        if rule.source not in present:
            explicit = column.name in mapping.columns
            if column.required or (explicit and mapping.missing_optional == "error"):
                missing.append((column.name, rule.source, explicit))
            elif explicit:
                notes.append(f"{rule.source!r} is not in the file, so {column.name} is left empty")
            columns[column.name] = pa.nulls(n, pa.string())
            continue
        text = source.data.column(rule.source).combine_chunks()
        text = pc.utf8_trim_whitespace(text)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        if rule.values:
            keys = pa.array(list(rule.values), pa.string())
            mapped = pc.take(pa.array(list(rule.values.values()), pa.string()), pc.index_in(text, value_set=keys))
            text = pc.coalesce(mapped, text)
        columns[column.name] = text
    if missing:
        details = ", ".join(
            f"{target} (mapped from {src!r})" if explicit else target for target, src, explicit in missing
        )
        raise IngestError(
            f"{source.path}: missing required columns for {schema.name}: {details}. "
            f"The file's columns are: {', '.join(source.data.column_names)}"
        )
    return columns


def _without_excel_errors(raw: dict[str, pa.Array], problems: _Problems, labels) -> dict[str, pa.Array]:
    """Report each Excel error cell (#REF!, #N/A, ...) and leave it out of parsing, so that its one problem
    is the error, not also "not a number" (``raw`` keeps the code: it is not a missing value either)."""
    codes = pa.array(sorted(EXCEL_ERRORS), pa.string())
    readable = {}
    for name, text in raw.items():
        is_error = pc.is_in(text, value_set=codes)
        if pc.any(is_error).as_py():
            reasons = pc.binary_join_element_wise("Excel error cell ", pc.filter(text, is_error),
                                                  ": fix the formula, or clear the cell", "")
            problems.add(is_error, labels[name], text, reasons)
            text = pc.if_else(is_error, pa.scalar(None, pa.string()), text)
        readable[name] = text
    return readable


def _parse(text: pa.Array, column: Column, mapping: Mapping, problems: _Problems, label: str) -> pa.Array:
    kind = column.kind
    if kind is Kind.STRING:
        return text
    if kind is Kind.DATE:
        parsed = _parse_dates(text, mapping.date_format_for(column.name))
        fmt = mapping.date_format_for(column.name)
        problems.add(pc.and_(pc.is_valid(text), pc.is_null(parsed)), label, text,
                     f"not a date in the format {'YYYY-MM-DD' if fmt == ISO_DATES else fmt}")
        return parsed
    decimal, thousands = mapping.number_format_for(column.name)
    pattern = _INTEGER if kind is Kind.INTEGER else _NUMBER
    cleaned = _clean_number(text, decimal, thousands, pattern)
    ok = pc.match_substring_regex(cleaned, pattern)
    problems.add(pc.and_(pc.is_valid(text), pc.invert(ok)), label, text,
                 "not a whole number" if kind is Kind.INTEGER else "not a number")
    usable = pc.if_else(ok, cleaned, pa.scalar(None, pa.string()))
    if kind is Kind.INTEGER:
        too_large = pc.match_substring_regex(usable, _TOO_MANY_DIGITS)
        problems.add(too_large, label, text, f"too large: at most {_MAX_INTEGER_DIGITS} digits")
        return pc.cast(pc.if_else(pc.fill_null(too_large, False), pa.scalar(None, pa.string()), usable), pa.int64())
    assert kind.scale is not None  # a decimal kind: the others are parsed above
    value = pc.round(pc.cast(usable, pa.float64()), kind.scale)
    # The column is decimal(18, scale): a larger value (or one beyond a float: infinity) cannot be stored.
    whole_digits = 18 - kind.scale
    too_large = pc.greater_equal(pc.abs(value), 10.0**whole_digits)
    problems.add(too_large, label, text, f"too large: at most {whole_digits} digits before the decimal point")
    value = pc.if_else(pc.fill_null(too_large, False), pa.scalar(None, pa.float64()), value)
    # Arrow turns the float into the column's decimal exactly; DuckDB's own cast scales in floating point
    # and would store 99999999999999.5 as 99999999999999.5008.
    return pc.cast(value, pa.decimal128(18, kind.scale))


def _clean_number(text: pa.Array, decimal: str, thousands: str, pattern: str) -> pa.Array:
    """Normalise accounting formats: currency signs, thousands separators, (123) and 123- negatives.

    Most exports hold plain numbers, so with "." as the decimal mark the values that
    already are plain numbers are left alone and only the others are cleaned (with
    another decimal mark, "1.234" means 1234 and every value must be rewritten).
    """
    if decimal != ".":
        return _rewrite_number(text, decimal, thousands)
    plain = pc.fill_null(pc.match_substring_regex(text, pattern), True)
    if pc.all(plain).as_py():
        return text
    needs_work = pc.invert(plain)
    return pc.replace_with_mask(text, needs_work, _rewrite_number(pc.filter(text, needs_work), decimal, thousands))


def _rewrite_number(text: pa.Array, decimal: str, thousands: str) -> pa.Array:
    """Plain numbers from accounting text; text whose separators do not group thousands becomes "" (not a
    number): dropping the separator of "12,50" would make it 1250, a hundred times the amount meant."""
    cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _CURRENCY_NOISE, ""))
    if thousands:
        # Spaces between digits group thousands too ("1 234,50"), whatever separator the mapping names; both
        # become one mark, so that a wrong grouping ("12 50") is caught whichever was used.
        if thousands.strip():
            cleaned = pc.replace_substring(cleaned, thousands, _GROUP)
        for _ in range(2):  # a digit closes one match and opens the next: two passes reach every gap
            cleaned = pc.replace_substring_regex(cleaned, r"(\d)\s+(\d)", rf"\1{_GROUP}\2")
    cleaned = pc.replace_substring_regex(cleaned, r"\s", "")
    if thousands:
        grouped = pc.fill_null(pc.match_substring_regex(cleaned, _grouping(decimal)), False)
        has_group = pc.fill_null(pc.match_substring(cleaned, _GROUP), False)
        cleaned = pc.if_else(pc.and_(has_group, pc.invert(grouped)), "", pc.replace_substring(cleaned, _GROUP, ""))
    if decimal != ".":
        cleaned = pc.replace_substring(cleaned, decimal, ".")
    cleaned = pc.replace_substring_regex(cleaned, r"^\((.*)\)$", r"-\1")
    return pc.replace_substring_regex(cleaned, r"^([^-].*)-$", r"-\1")


_GROUP = "\x1f"  # stands for a thousands separator while a number is checked; no number holds it


def _grouping(decimal: str) -> str:
    """A number whose whole part is grouped (by :data:`_GROUP`) in threes (1,234,567) or the Indian way
    (12,34,567), with an optional sign, parentheses or trailing minus."""
    sep, point = _GROUP, re.escape(decimal)
    return (rf"^[(+-]?(\d{{1,3}}({sep}\d{{3}})+|\d{{1,2}}({sep}\d{{2}})*{sep}\d{{3}})"
            rf"({point}\d*)?([eE][+-]?\d+)?[)-]?$")


def _parse_dates(text: pa.Array, fmt: str) -> pa.Array:
    """Parse dates strictly: 31.02.2024 is an error, not 2 March.

    Arrow's strptime is fast but rolls impossible days over, so its answers are
    checked by formatting them back; values that do not round-trip (impossible
    dates, or unpadded days such as 1.2.2024) are parsed again strictly by pandas.
    Real date cells from Excel arrive as ISO text and are accepted whatever the format.
    """
    # A file has few distinct dates (a few thousand days), so each is parsed once.
    encoded = pc.dictionary_encode(text)
    return pc.take(_parse_distinct_dates(encoded.dictionary, fmt), encoded.indices)


def _parse_distinct_dates(text: pa.Array, fmt: str) -> pa.Array:
    iso = pc.fill_null(pc.match_substring_regex(text, _ISO_DATE), False)
    no_text = pa.scalar(None, pa.string())
    iso_dates = _strict_strptime(pc.if_else(iso, pc.utf8_slice_codeunits(text, 0, 10), no_text), "%Y-%m-%d")
    if fmt == ISO_DATES:
        return iso_dates
    return pc.coalesce(iso_dates, _strict_strptime(pc.if_else(iso, no_text, text), fmt))


def _strict_strptime(text: pa.Array, fmt: str) -> pa.Array:
    stamps = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    round_trip = pc.fill_null(pc.equal(pc.strftime(stamps, format=fmt), text), False)
    doubtful = pc.and_(pc.is_valid(text), pc.invert(round_trip))
    dates = pc.cast(stamps, pa.date32())
    if not pc.any(doubtful).as_py():
        return dates
    retry = pc.filter(text, doubtful).to_pandas()
    strict = pd.to_datetime(retry.astype(object), format=fmt, errors="coerce")
    return pc.replace_with_mask(dates, doubtful, pa.Array.from_pandas(strict).cast(pa.date32()))


def _check_values(column: Column, text: pa.Array, value: pa.Array, problems: _Problems, label: str) -> None:
    if column.required:
        problems.add(pc.is_null(text), label, text, "missing value")
    if column.allowed:
        allowed = pa.array(column.allowed, pa.string())
        problems.add(pc.and_(pc.is_valid(value), pc.invert(pc.is_in(value, value_set=allowed))), label, text,
                     f"not one of: {', '.join(column.allowed)}")
    if column.minimum is not None and column.kind.is_numeric:
        problems.add(pc.less(value, column.minimum), label, text, _below_minimum_reason(column))
    if column.maximum is not None and column.kind.is_numeric:
        problems.add(pc.greater(value, column.maximum), label, text, f"above the maximum of {column.maximum:g}")


def _below_minimum_reason(column: Column) -> str:
    if column.name == "quantity":
        return "negative quantity on an invoice (a return is a line of kind credit_note)"
    return "negative value" if column.minimum == 0 else f"below the minimum of {column.minimum:g}"


def _normalise_credit_notes(schema: Table, typed: dict[str, pa.Array]) -> None:
    """Store credit-note lines with positive amounts, however the ERP signs them.

    ERPs differ: some export a credit note's quantities and amounts as negatives,
    some as positives. The canonical table keeps magnitudes and lets ``kind``
    carry the sign, so metrics never depend on the source system's convention.
    """
    if schema.name != "invoice_lines":
        return
    is_credit = pc.fill_null(pc.equal(typed["kind"], "credit_note"), False)
    for name in ("quantity", "discount_amount", "net_amount", "cogs"):
        typed[name] = pc.if_else(is_credit, pc.abs(typed[name]), typed[name])


def _check_table_rules(schema, typed, raw, problems: _Problems, labels) -> None:
    if schema.name == "budgets":
        period = typed["period"]
        not_first = pc.and_(pc.is_valid(period), pc.not_equal(pc.day(period), 1))
        problems.add(not_first, labels["period"], raw["period"], "a budget period must be the first day of a month")
    if schema.name == "campaigns":
        problems.add(pc.less(typed["end_date"], typed["start_date"]), labels["end_date"], raw["end_date"],
                     "ends before it starts")


def _check_duplicate_keys(schema: Table, typed, raw, problems: _Problems, labels) -> None:
    keys = pd.DataFrame({k: pa.chunked_array([typed[k]]).to_pandas() for k in schema.key})
    duplicated = keys.duplicated(keep=False).to_numpy()
    if not duplicated.any():
        return
    indices = np.flatnonzero(duplicated)
    dupes = keys.iloc[indices].astype(str).assign(_row=problems.source.row_numbers(indices).to_numpy())
    rows = dupes.groupby(list(schema.key), dropna=False)["_row"]
    reasons = ("duplicate key: " + rows.transform("size").astype(str) + " rows share it, the first is row "
               + rows.transform("min").astype(str))
    problems.add(duplicated, ", ".join(labels[k] for k in schema.key), _key_text(schema, raw),
                 pa.array(reasons.to_numpy(dtype=object), pa.string()))


def _key_text(schema: Table, raw) -> pa.Array:
    if len(schema.key) == 1:
        return raw[schema.key[0]]
    parts = [pc.fill_null(raw[k], "") for k in schema.key]
    return pc.binary_join_element_wise(*parts, " | ")


def _check_references(schema: Table, typed, raw, problems: _Problems, labels, known_keys: KnownKeys) -> list[str]:
    notes = []
    for column in schema.columns:
        if not column.references:
            continue
        ref_table, ref_column = column.references.split(".")
        known = known_keys(ref_table, ref_column)
        if known is None:
            notes.append(f"{ref_table} is empty, so {column.name} references were not checked")
            continue
        if ref_table == schema.name:
            # A parent may arrive in the same file as its subsidiaries.
            known = pa.concat_arrays([known.cast(pa.string()), typed[ref_column].cast(pa.string())])
        value = typed[column.name]
        unknown = pc.and_(pc.is_valid(value), pc.invert(pc.is_in(value, value_set=known)))
        problems.add(unknown, labels[column.name], raw[column.name], f"unknown {ref_column}: not in {ref_table}")
    return notes
