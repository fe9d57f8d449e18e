"""Data status and quality: what is loaded, how fresh it is, and what in it needs a look.

Definitions
-----------
- A table's span is the first and last value of its main date column (invoice date,
  order date, payment date, cost date, engage date, interaction date, budget period,
  campaign start, response date); its freshness is the start of its last successful load.
- Orphans are rows whose key points at nothing: invoice lines whose customer, product
  or rep is not in its master table (rep only when the line names one), and
  opportunities whose account is not a customer.
- An invoice without cost is an invoice line (not a credit note) whose ``cogs`` is
  missing: its gross profit would be overstated.
- A line with a negative margin beyond the threshold is an invoice line whose gross
  margin, (net amount - cogs) / net amount, is below ``-threshold`` (default 10%).
- Duplicate customers are customers whose names are equal once case, spaces and
  punctuation are ignored ("ACME GmbH" and "Acme G.m.b.H.").
- Missing budget months are the months of each year that has budget cells, for a
  measure budgeted in that year, without any cell.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from marginscope.schema import TABLES
from marginscope.warehouse import LOAD_LOG, Warehouse

NEGATIVE_MARGIN_THRESHOLD = 0.10
DATE_COLUMNS = {"invoice_lines": "invoice_date", "orders": "order_date", "payments": "paid_date",
                "costs_to_serve": "cost_date", "opportunities": "engage_date", "interactions": "interaction_date",
                "budgets": "period", "campaigns": "start_date", "nps_responses": "response_date",
                "customers": "created_date"}


def tables(wh: Warehouse) -> pd.DataFrame:
    """One row per canonical table: rows, first and last date, last load, its rows loaded."""
    log = wh.table(LOAD_LOG)
    log = log.filter(log.status == "loaded")
    loaded = log.group_by("table_name").aggregate(last_load=log.started_at.max(), loads=log.count()) \
        .execute().set_index("table_name")
    rows = []
    for name in TABLES:
        t = wh.table(name)
        row = {"table_name": name, "rows": int(t.count().execute()), "first_date": None, "last_date": None}
        column = DATE_COLUMNS.get(name)
        if column:
            span = t.aggregate(first=t[column].min(), last=t[column].max()).execute().iloc[0]
            row["first_date"] = None if pd.isna(span["first"]) else pd.Timestamp(span["first"]).date()
            row["last_date"] = None if pd.isna(span["last"]) else pd.Timestamp(span["last"]).date()
        row["last_load"] = loaded.last_load.get(name)
        row["loads"] = int(loaded.loads.get(name, 0))
        rows.append(row)
    return pd.DataFrame(rows)


def _orphans(wh: Warehouse) -> list[dict]:
    lines = wh.table("invoice_lines")
    found = []
    for column, master in (("customer_id", "customers"), ("product_id", "products"), ("rep_id", "reps")):
        keys = wh.table(master).select(column)
        named = lines.filter(lines[column].notnull())
        missing = named.anti_join(keys, column)
        found.append({"check": f"invoice lines without their {master[:-1]}", "rows": int(missing.count().execute()),
                      "examples": ", ".join(sorted(missing.select(column).distinct().limit(5).execute()[column]))})
    deals = wh.table("opportunities")
    accounts = wh.table("customers").select("customer_id")
    missing = deals.filter(deals.customer_id.notnull()).anti_join(accounts, "customer_id")
    found.append({"check": "opportunities without their customer", "rows": int(missing.count().execute()),
                  "examples": ", ".join(sorted(missing.select("customer_id").distinct().limit(5)
                                               .execute()["customer_id"]))})
    return found


def _without_cost(wh: Warehouse) -> dict:
    lines = wh.table("invoice_lines")
    missing = lines.filter((lines.kind == "invoice") & lines.cogs.isnull())
    examples = missing.select("invoice_id").distinct().order_by("invoice_id").limit(5).execute()["invoice_id"]
    return {"check": "invoice lines without a cost (cogs)", "rows": int(missing.count().execute()),
            "examples": ", ".join(examples)}


def _negative_margins(wh: Warehouse, threshold: float) -> dict:
    lines = wh.table("invoice_lines")
    invoices = lines.filter((lines.kind == "invoice") & lines.cogs.notnull() & (lines.net_amount > 0))
    margin = (invoices.net_amount - invoices.cogs).cast("float64") / invoices.net_amount.cast("float64")
    losing = invoices.filter(margin < -threshold)
    examples = losing.select("invoice_id").distinct().order_by("invoice_id").limit(5).execute()["invoice_id"]
    return {"check": f"invoice lines with a gross margin below -{threshold:.0%}", "rows": int(losing.count().execute()),
            "examples": ", ".join(examples)}


def name_key(name: str) -> str:
    """A customer name with case, spaces and punctuation left out.

    >>> name_key("ACME G.m.b.H. ") == name_key("Acme GmbH")
    True
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def duplicate_customers(wh: Warehouse) -> pd.DataFrame:
    """Customers sharing a name once case, spaces and punctuation are ignored, by name."""
    customers = wh.table("customers").select("customer_id", "name").execute()
    customers["name_key"] = customers["name"].fillna("").map(name_key)
    customers = customers[customers.name_key != ""]
    shared = customers[customers.duplicated("name_key", keep=False)]
    return shared.sort_values(["name_key", "customer_id"]).drop(columns="name_key").reset_index(drop=True)


def missing_budget_months(wh: Warehouse) -> pd.DataFrame:
    """(measure, month) of each budgeted year with no budget cell."""
    b = wh.table("budgets")
    cells = b.group_by(["measure", "period"]).aggregate(cells=b.count()).execute()
    if cells.empty:
        return pd.DataFrame(columns=["measure", "month"])
    cells["period"] = pd.to_datetime(cells["period"]).dt.date
    missing = []
    for measure, rows in cells.groupby("measure"):
        present = set(rows.period)
        for year in sorted({p.year for p in present}):
            missing += [{"measure": measure, "month": dt.date(year, m, 1)} for m in range(1, 13)
                        if dt.date(year, m, 1) not in present]
    return pd.DataFrame(missing, columns=["measure", "month"])


def checks(wh: Warehouse, threshold: float = NEGATIVE_MARGIN_THRESHOLD) -> pd.DataFrame:
    """Every quality check: what it looks for, how many rows it found, a few examples."""
    found = _orphans(wh) + [_without_cost(wh), _negative_margins(wh, threshold)]
    duplicates = duplicate_customers(wh)
    found.append({"check": "customers whose names differ only in case, spaces or punctuation",
                  "rows": len(duplicates), "examples": ", ".join(duplicates.customer_id.head(5))})
    if int(wh.table("budgets").count().execute()):
        months = missing_budget_months(wh)
        found.append({"check": "budget months without a budget", "rows": len(months),
                      "examples": ", ".join(f"{r.measure} {r.month:%Y-%m}" for r in months.head(5).itertuples())})
    table = pd.DataFrame(found)
    table["status"] = ["ok" if rows == 0 else "check" for rows in table["rows"]]
    return table
