"""Data status: what is loaded and how fresh, the load log, quarantined rows and quality checks.

This page shows the warehouse as a whole; the filter bar does not apply to it.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from marginscope import formats as fmt
from marginscope.web.components import notices
from marginscope.web.components.cards import kpi, kpi_row
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

MONEY = {"net_amount", "cogs"}


def _minutes(stamps: pd.Series) -> pd.Series:
    """Load times to the minute, as the log is read by people."""
    return pd.to_datetime(stamps).dt.strftime("%Y-%m-%d %H:%M")


def render(ctx: PageContext) -> list:
    quality = ctx.metrics.quality
    tables = quality.tables()
    checks = quality.checks()
    log = quality.load_log()
    quarantined = quality.quarantine()
    tables = tables.assign(last_load=_minutes(tables.last_load))
    log = log.assign(started_at=_minutes(log.started_at))
    to_look_at = checks[checks.status != "ok"]
    last_load = log.started_at.iloc[0] if not log.empty else "never"
    body = [
        notices.empty("The filters do not apply here: this page shows the whole warehouse."),
        kpi_row(
            kpi("data_version", "Data version", fmt.count(ctx.metrics.data_version)),
            kpi("tables_loaded", "Tables with data", f"{int((tables.rows > 0).sum())} of {len(tables)}"),
            kpi("last_load", "Last load", last_load),
            kpi("quarantined", "Rows in quarantine", fmt.count(len(quarantined)),
                status="bad" if len(quarantined) else None),
            kpi("checks", "Checks to look at", fmt.count(len(to_look_at)), status="bad" if len(to_look_at) else "good",
                detail=f"of {len(checks)} checks"),
        ),
        grid("data-checks", checks, [
            Column("check", "Check"), Column("rows", "Rows found", "count", alert="params.value > 0", width=130),
            Column("examples", "Examples"), Column("status", "Status", alert="params.value !== 'ok'", width=100)],
            title="Quality checks", page_size=10),
        grid("data-tables", tables, [
            Column("table_name", "Table"), Column("rows", "Rows", "count"), Column("first_date", "First date", "date"),
            Column("last_date", "Last date", "date"), Column("last_load", "Last loaded (UTC)"),
            Column("hours_since_load", "Hours since", "number"),
            Column("refresh_overdue", "Refresh overdue", alert="params.value === true"),
            Column("loads", "Loads", "count")], title="Tables", page_size=12),
        grid("data-load-log", log, [
            Column("load_id", "Load", "count", width=90), Column("started_at", "Started"),
            Column("table_name", "Table"), Column("source", "Source"), Column("status", "Status",
                                                                             alert="params.value !== 'loaded'"),
            Column("rows_read", "Read", "count"), Column("rows_loaded", "Loaded", "count"),
            Column("rows_rejected", "Rejected", "count", alert="params.value > 0"),
            Column("rows_inserted", "New", "count"), Column("rows_updated", "Updated", "count"),
            Column("user_name", "By"), Column("message", "Message")], title="Load log (latest 50)"),
        grid("data-quarantine", quarantined, [
            Column("load_id", "Load", "count", width=90), Column("table_name", "Table"), Column("source", "Source"),
            Column("row_number", "Row", "count", width=90), Column("problems", "Problems"),
            Column("record", "Row as read")], title="Quarantined rows: download them, fix them, load them again"),
    ]
    for number, check in enumerate(to_look_at.check):
        rows = quality.check_rows(check)
        columns = [Column(name, name.replace("_", " ").capitalize(),
                          "percent" if name == "gross_margin" else "money_exact" if name in MONEY else
                          "date" if name.endswith(("_date", "month")) else "text",
                          link=name == "customer_id" and "customer_id" in rows)
                   for name in rows.columns]
        body.append(grid(f"data-check-{number}", rows, columns, title=f"Rows behind: {check}",
                         entity="customer" if "customer_id" in rows else None))
    return [html.Div(body)]


PAGE = Page(path="/data", title="Data", render=render, whole_warehouse=True)
