"""Write the demo company's data the way its ERP, CRM and finance team would export it.

The demo goes through the real loading path: :func:`generate` writes source-style
files (their own headers, codes, date formats, an Excel sheet or two) plus a bundle
``demo.yaml`` whose inline mappings turn each file back into its canonical table.

Each file is described once, by a :class:`SourceFile`; the same description drives
both the writer (canonical -> source) and the mapping (source -> canonical), so the
two cannot drift apart.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter
import yaml

from marginscope.demo import canonical
from marginscope.demo.generator import Progress, simulate
from marginscope.demo.timeline import EPOCH
from marginscope.schema import TABLES, Kind

BUNDLE_NAME = "demo.yaml"
EXCEL_EPOCH_OFFSET = (EPOCH - datetime.date(1899, 12, 30)).days  # Excel serial of 1970-01-01


@dataclass(frozen=True)
class Field:
    """One canonical column as it appears in a source file.

    ``labels`` maps canonical values to the source system's codes (e.g. ``invoice`` ->
    ``INV``); the mapping gets the reverse. ``date_format`` overrides the file's.
    """

    column: str
    header: str
    labels: tuple[tuple[str, str], ...] = ()
    date_format: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """A source file: where it goes, which table it feeds and how it is laid out.

    ``date_format`` is the strftime format of dates in a CSV (``None``: ISO 8601);
    Excel files hold real dates. ``bom`` starts a CSV with a UTF-8 byte-order mark,
    as files saved from Excel do.
    """

    path: str
    table: str
    fields: tuple[Field, ...]
    delimiter: str = ","
    date_format: str | None = None
    sheet: str | None = None
    bom: bool = False

    @property
    def is_excel(self) -> bool:
        return self.path.endswith(".xlsx")

    def mapping(self) -> dict:
        """The YAML mapping (as a dict) that reads this file into its canonical table."""
        out: dict = {"table": self.table}
        if self.is_excel:
            out["sheet"] = self.sheet
        else:
            if self.delimiter != ",":
                out["delimiter"] = self.delimiter
            if self.date_format:
                out["date_format"] = self.date_format
        columns: dict = {}
        for f in self.fields:
            rule: dict = {}
            if f.labels:
                rule["values"] = {source: canon for canon, source in f.labels}
            if f.date_format and not self.is_excel:
                rule["date_format"] = f.date_format
            columns[f.column] = {"source": f.header, **rule} if rule else f.header
        out["columns"] = columns
        return out


def _labels(*pairs: str) -> tuple[tuple[str, str], ...]:
    """``_labels("a", "A", "b", "B")`` -> (("a", "A"), ("b", "B"))."""
    return tuple(zip(pairs[::2], pairs[1::2]))


def source_files(budget_year: int) -> tuple[SourceFile, ...]:
    """The exports of the demo company, in the order they are written."""
    F = Field
    return (
        SourceFile("erp/customers.xlsx", "customers", sheet="Customers", fields=(
            F("customer_id", "Customer No"), F("name", "Customer Name"), F("industry", "Industry"),
            F("region", "Sales Region"), F("country", "Country"), F("city", "City"), F("tier", "Tier"),
            F("customer_type", "Customer Type", _labels(
                "distributor", "Distributor", "reseller", "Reseller", "end customer", "End Customer")),
            F("owner_rep_id", "Account Owner"), F("parent_id", "Parent Customer No"),
            F("created_date", "Customer Since"), F("acquisition_channel", "Lead Source"),
            F("acquisition_cost", "Acquisition Cost"),
        )),
        SourceFile("erp/products.csv", "products", fields=(
            F("product_id", "Item No"), F("name", "Description"), F("category", "Item Category"),
            F("subcategory", "Product Group"), F("series", "Series"), F("list_price", "Unit Price"),
            F("standard_cost", "Unit Cost"),
        )),
        SourceFile("erp/sales_reps.csv", "reps", date_format="%d.%m.%Y", fields=(
            F("rep_id", "Code"), F("name", "Name"), F("manager", "Sales Manager"), F("team", "Team"),
            F("regional_office", "Office"), F("region", "Region"), F("hire_date", "Employment Date"),
            F("end_date", "Termination Date"),
        )),
        SourceFile("erp/invoice_lines.csv", "invoice_lines", delimiter=";", date_format="%d.%m.%Y", fields=(
            F("invoice_id", "Document No"), F("line_no", "Line"),
            F("kind", "Doc Type", _labels("invoice", "INV", "credit_note", "CN")),
            F("invoice_date", "Posting Date"), F("due_date", "Due Date"), F("order_id", "Order No"),
            F("customer_id", "Customer No"), F("product_id", "Item No"), F("rep_id", "Salesperson"),
            F("quantity", "Qty"), F("unit_price", "Unit Price"), F("discount_amount", "Line Discount"),
            F("net_amount", "Line Amount"), F("cogs", "Cost Amount"), F("currency", "Currency"),
            F("campaign_id", "Campaign"),
        )),
        SourceFile("erp/orders.csv", "orders", date_format="%d.%m.%Y", fields=(
            F("order_id", "Order No"), F("customer_id", "Customer No"), F("order_date", "Order Date"),
            F("status", "Status", _labels(
                "open", "Open", "shipped", "Shipped", "delivered", "Delivered", "cancelled", "Cancelled")),
            F("promised_date", "Promised Delivery"), F("shipped_date", "Shipment Date"),
            F("delivered_date", "Delivery Date"),
        )),
        SourceFile("erp/payments.csv", "payments", fields=(
            F("payment_id", "Payment No"), F("invoice_id", "Applied Doc No"), F("paid_date", "Payment Date"),
            F("amount", "Amount"),
        )),
        SourceFile("finance/gl_customer_costs.csv", "costs_to_serve", fields=(
            F("cost_id", "Entry No"), F("cost_date", "Posting Date"),
            F("category", "G/L Account", _labels(
                "freight", "6100 Freight Out", "service", "6200 Customer Service",
                "sales_expense", "6300 Travel & Entertainment", "marketing", "6400 Marketing Programs",
                "other", "6900 Other Customer Costs")),
            F("customer_id", "Customer No"), F("amount", "Amount"),
        ), date_format="%d/%m/%Y", bom=True),
        SourceFile("crm/opportunities.csv", "opportunities", fields=(
            F("opportunity_id", "Opportunity ID"), F("customer_id", "Account ID"), F("rep_id", "Owner ID"),
            F("product_id", "Product Code"),
            F("stage", "Stage", _labels(
                "prospecting", "Prospecting", "engaging", "Engaging",
                "won", "Closed Won", "lost", "Closed Lost")),
            F("engage_date", "Engage Date"), F("close_date", "Close Date"), F("close_value", "Close Value"),
            F("campaign_id", "Primary Campaign"),
        )),
        SourceFile("crm/activities.csv", "interactions", date_format="%m/%d/%Y", fields=(
            F("interaction_id", "Activity ID"), F("customer_id", "Account ID"), F("rep_id", "Assigned To"),
            F("interaction_date", "Activity Date"),
            F("type", "Activity Type", _labels("call", "Call", "email", "Email", "meeting", "Meeting",
                                               "other", "Task")),
        )),
        SourceFile("crm/campaigns.csv", "campaigns", fields=(
            F("campaign_id", "Campaign ID"), F("name", "Campaign Name"), F("channel", "Channel"),
            F("start_date", "Start Date"), F("end_date", "End Date"), F("cost", "Actual Cost"),
            F("target_segment", "Target Segment"),
        )),
        SourceFile("crm/nps_survey.csv", "nps_responses", fields=(
            F("customer_id", "Account ID"), F("response_date", "Response Date"),
            F("score", "Likelihood to Recommend (0-10)"), F("comment", "Comment"),
        )),
        SourceFile(f"finance/budget_{budget_year}.xlsx", "budgets", sheet="Budget", fields=(
            F("period", "Month"),
            F("measure", "Measure", _labels("revenue", "Revenue", "gross_profit", "Gross Profit")),
            F("region", "Region"), F("product_category", "Product Category"), F("amount", "Amount"),
        )),
    )


# ---------------------------------------------------------------------------
# Rendering canonical columns as the source system shows them
# ---------------------------------------------------------------------------


def _relabel(column: pa.Array, labels: tuple[tuple[str, str], ...]) -> pa.Array:
    canon = pa.array([c for c, _ in labels])
    source = pa.array([s for _, s in labels])
    return source.take(pc.index_in(column, value_set=canon))


def format_dates(column: pa.Array, fmt: str) -> pa.Array:
    """Dates as text in ``fmt``: each distinct day is formatted once, then looked up."""
    days = column.cast(pa.int32())
    bounds = pc.min_max(days).as_py()
    if bounds["min"] is None:
        return pa.nulls(len(column), pa.string())
    lo, hi = bounds["min"], bounds["max"]
    texts = pa.array([(EPOCH + datetime.timedelta(days=d)).strftime(fmt) for d in range(lo, hi + 1)])
    return texts.take(pc.subtract(days, lo))


def _render_csv_column(column: pa.Array, spec: SourceFile, field: Field) -> pa.Array:
    kind = TABLES[spec.table].column(field.column).kind
    if field.labels:
        return _relabel(column, field.labels)
    if kind == Kind.DATE:
        fmt = field.date_format or spec.date_format
        return format_dates(column, fmt) if fmt else column
    if kind == Kind.PRICE:
        return column.cast(pa.decimal128(18, 2))  # the demo's prices are whole cents
    if kind == Kind.QUANTITY:
        return column.cast(pa.int64())  # and its quantities whole units
    return column


def render_csv(table: pa.Table, spec: SourceFile) -> pa.Table:
    """``table``'s columns of ``spec`` as the source system writes them, under its headers."""
    columns = [_render_csv_column(table[f.column].combine_chunks(), spec, f) for f in spec.fields]
    return pa.Table.from_arrays(columns, names=[f.header for f in spec.fields])


def write_csv(batches: Iterable[pa.Table], spec: SourceFile, path: Path) -> None:
    """Write canonical ``batches`` (pieces of one table, in order) as the CSV of ``spec``."""
    options = pacsv.WriteOptions(delimiter=spec.delimiter, quoting_style="needed")
    writer = None
    with path.open("wb") as handle:
        if spec.bom:
            handle.write(b"\xef\xbb\xbf")
        for batch in batches:
            out = render_csv(batch, spec)
            if writer is None:
                writer = pacsv.CSVWriter(handle, out.schema, write_options=options)
            writer.write_table(out)
        if writer is not None:
            writer.close()


def write_excel(table: pa.Table, spec: SourceFile, path: Path, created: datetime.datetime) -> None:
    """Write ``table``'s columns of ``spec`` to one sheet, with real Excel dates.

    ``constant_memory`` streams rows to disk; the document's creation time is fixed
    (``created``) so the same data gives the same bytes.
    """
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": created})
    sheet = workbook.add_worksheet(spec.sheet)
    header = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_format = workbook.add_format({"num_format": "#,##0.00"})

    writers = []
    for c, f in enumerate(spec.fields):
        column = table[f.column].combine_chunks()
        kind = TABLES[spec.table].column(f.column).kind
        if f.labels:
            column = _relabel(column, f.labels)
        if kind == Kind.DATE:
            serial = pc.add(column.cast(pa.int32()), EXCEL_EPOCH_OFFSET)
            writers.append((sheet.write_number, serial.to_pylist(), date_format))
            sheet.set_column(c, c, 12)
        elif kind.is_numeric:
            fmt = money_format if kind in (Kind.MONEY, Kind.PRICE) else None
            writers.append((sheet.write_number, column.cast(pa.float64()).to_pylist(), fmt))
            sheet.set_column(c, c, 14)
        else:
            writers.append((sheet.write_string, column.to_pylist(), None))
            sheet.set_column(c, c, 18)
    sheet.write_row(0, 0, [f.header for f in spec.fields], header)
    for r in range(table.num_rows):
        row = r + 1
        for c, (write, values, fmt) in enumerate(writers):
            value = values[r]
            if value is not None:  # an empty cell is a missing value
                write(row, c, value, fmt)
    workbook.close()


def write_bundle(files: tuple[SourceFile, ...], path: Path, description: str) -> None:
    """The bundle file: every source file with its inline mapping."""
    bundle = {
        "name": "demo",
        "description": description,
        "loads": [{"file": f.path, "mapping": f.mapping()} for f in files],
    }
    path.write_text(yaml.safe_dump(bundle, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


def generate(out_dir: Path, *, seed: int = 7, customers: int = 1500, years: int = 3, lines: int | None = None,
             as_of: datetime.date | None = None, progress: Progress | None = None) -> Path:
    """Write the demo company's source files and their bundle ``out_dir/demo.yaml``.

    Parameters are those of :func:`marginscope.demo.build`; ``progress(stage, fraction)``
    is called as the work advances (fraction from 0 to 1).

    Returns
    -------
    pathlib.Path
        The bundle file, ready for ``Bundle.from_yaml`` and the loader.
    """
    report = progress or (lambda stage, fraction: None)
    as_of = as_of or datetime.date.today()
    out_dir = Path(out_dir)
    world = simulate(seed=seed, customers=customers, years=years, lines=lines, as_of=as_of, progress=report)
    ids = canonical.Ids.of(world)
    files = source_files(as_of.year)
    created = datetime.datetime(as_of.year, as_of.month, as_of.day)
    # Progress by rows: the invoice lines dominate the writing time.
    rows = np.array([canonical.row_count(world, f.table) + 1000 for f in files], dtype=float)
    done = 0.45 + 0.55 * np.concatenate([[0.0], np.cumsum(rows) / rows.sum()])
    for k, spec in enumerate(files):
        report(f"writing {spec.path}", float(done[k]))
        path = out_dir / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        batches = canonical.iter_table(world, spec.table, ids=ids)
        if spec.is_excel:
            write_excel(pa.concat_tables(batches), spec, path, created)
        else:
            write_csv(batches, spec, path)
    bundle = out_dir / BUNDLE_NAME
    write_bundle(files, bundle, f"Synthetic B2B company: seed {seed}, {world.customers.count} customers, "
                                f"{years} years up to {as_of.isoformat()}")
    report("done", 1.0)
    return bundle
