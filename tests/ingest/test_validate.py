"""Each validation rule, on a small file whose problems are listed by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from marginscope.ingest import IngestError, Mapping, Policy, load_file
from tests.conftest import INVOICE_HEADER, problems_of, rows_of


def lines(*rows: str) -> str:
    return INVOICE_HEADER + "\n" + "\n".join(rows) + "\n"


GOOD = "I1,1,invoice,2024-03-01,C1,P1,R1,2,10.00,1.00,19.00,12.00"


def load_lines(masters, write, text, **kwargs):
    return load_file(masters, "invoice_lines", write("lines.csv", text), **kwargs)


def test_a_clean_file_loads_with_exact_values(masters, write):
    result = load_lines(masters, write, lines(GOOD))
    assert result.ok and result.problems.num_rows == 0
    (row,) = rows_of(masters, "invoice_lines")
    assert row["net_amount"] == Decimal("19.00") and row["quantity"] == Decimal("2.0000")
    assert row["invoice_date"] == dt.date(2024, 3, 1)


def test_missing_required_columns_name_them(masters, write):
    text = "invoice_id,line_no,kind\nI1,1,invoice\n"
    with pytest.raises(IngestError, match=r"lines.csv: missing required columns for invoice_lines: "
                                          r"invoice_date, customer_id, product_id, quantity, unit_price, net_amount"):
        load_lines(masters, write, text)


def test_a_mapping_naming_an_absent_column_is_reported(masters, write):
    mapping = Mapping.from_dict({"table": "products", "columns": {"category": "Cat"}})
    with pytest.raises(IngestError, match=r"category \(mapped from 'Cat'\)"):
        load_file(masters, "products", write("p.csv", "product_id,name\nP9,x\n"), mapping)


def test_a_hand_written_mapping_may_allow_absent_optional_columns(masters, write):
    mapping = Mapping.from_dict({"table": "products", "missing_optional": "ignore", "columns": {"category": "Cat"}})
    result = load_file(masters, "products", write("p.csv", "product_id,name\nP9,x\n"), mapping)
    assert result.ok and result.notes == ["'Cat' is not in the file, so category is left empty"]


def test_every_problem_is_reported_with_row_column_and_reason(masters, write):
    text = lines(
        GOOD,
        "I1,2,invoice,2024-02-30,C1,P1,R1,two,10.00,,20.00,12",  # impossible date, quantity not a number
        "I1,3,refund,2024-03-01,C1,P1,R1,1,10.00,,10.00,6",  # kind not allowed
        "I1,4,invoice,2024-03-01,C1,P1,R1,-1,10.00,,-10.00,-6",  # negative quantity on an invoice
        "I2,1,invoice,2024-03-01,C9,P1,R7,1,10.00,,10.00,6",  # unknown customer and rep
        "I2,2,invoice,,C1,P9,R1,1,10.00,,10.00,6",  # missing date, unknown product
    )
    result = load_lines(masters, write, text)
    assert result.status == "rejected"
    assert problems_of(result) == [
        (3, "invoice_date", "not a date in the format YYYY-MM-DD"),
        (3, "quantity", "not a number"),
        (4, "kind", "not one of: invoice, credit_note"),
        (5, "quantity", "negative quantity on an invoice (a return is a line of kind credit_note)"),
        (6, "customer_id", "unknown customer_id: not in customers"),
        (6, "rep_id", "unknown rep_id: not in reps"),
        (7, "invoice_date", "missing value"),
        (7, "product_id", "unknown product_id: not in products"),
    ]
    assert [p["value"] for p in result.problems.to_pylist()][:2] == ["2024-02-30", "two"]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 0, 6)
    assert masters.row_counts()["invoice_lines"] == 0


def test_duplicate_keys_point_at_each_other(masters, write):
    result = load_lines(masters, write, lines(GOOD, GOOD.replace(",1,invoice", ",2,invoice"), GOOD))
    assert problems_of(result) == [
        (2, "invoice_id, line_no", "duplicate key: 2 rows share it, the first is row 2"),
        (4, "invoice_id, line_no", "duplicate key: 2 rows share it, the first is row 2"),
    ]
    assert result.problems["value"].to_pylist() == ["I1 | 1", "I1 | 1"]


def test_quarantine_loads_the_good_rows_and_keeps_the_bad(masters, write):
    text = lines(GOOD, "I1,2,invoice,2024-03-01,C9,P1,R1,1,10.00,,10.00,6")
    result = load_lines(masters, write, text, policy=Policy.QUARANTINE)
    assert result.ok
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    kept = masters.quarantine(result.load_id)
    assert kept.row_number.tolist() == [3]
    assert kept.problems.tolist() == ["customer_id: unknown customer_id: not in customers"]
    assert '"customer_id": "C9"' in kept.record.iloc[0]


def test_mapping_renames_constants_value_maps_and_formats(masters, write):
    text = ("Doc;Ln;Typ;Datum;Kunde;Artikel;Menge;Preis;Rabatt;Betrag;Kosten\n"
            "R-1;1;RE;31.03.2024;C1;P1;1.000;1,2345;34,50;1.200,00;EUR 700,00\n"
            "G-1;1;GS;02.04.2024;C1;P1;-2;10,00;;-20,00;-12,00\n")
    mapping = Mapping.from_dict({
        "table": "invoice_lines", "delimiter": ";", "date_format": "%d.%m.%Y", "decimal": ",", "thousands": ".",
        "columns": {"invoice_id": "Doc", "line_no": "Ln", "kind": {"source": "Typ", "values": {"RE": "invoice",
                    "GS": "credit_note"}}, "invoice_date": "Datum", "customer_id": "Kunde", "product_id": "Artikel",
                    "quantity": "Menge", "unit_price": "Preis", "discount_amount": "Rabatt", "net_amount": "Betrag",
                    "cogs": "Kosten", "currency": {"value": "EUR"}},
    })
    result = load_file(masters, "invoice_lines", write("erp.csv", text), mapping)
    assert result.ok, result.problems.to_pylist()
    credit, invoice = rows_of(masters, "invoice_lines", "invoice_id")
    assert (invoice["kind"], invoice["invoice_date"], invoice["quantity"]) == ("invoice", dt.date(2024, 3, 31), 1000)
    assert (invoice["unit_price"], invoice["discount_amount"]) == (Decimal("1.2345"), Decimal("34.50"))
    assert (invoice["net_amount"], invoice["cogs"], invoice["currency"]) == (Decimal("1200.00"), 700, "EUR")
    assert (credit["kind"], credit["quantity"], credit["net_amount"], credit["discount_amount"]) == (
        "credit_note", 2, 20, None)


def test_credit_notes_are_stored_with_positive_amounts(masters, write):
    text = lines("CN1,1,credit_note,2024-03-05,C1,P1,R1,-2,10.00,-1.00,-19.00,-12.00")
    assert load_lines(masters, write, text).ok
    (row,) = rows_of(masters, "invoice_lines")
    assert (row["quantity"], row["discount_amount"], row["net_amount"], row["cogs"]) == (2, 1, 19, 12)


def test_numbers_with_currency_signs_and_separators(masters, write):
    text = ("product_id,name,list_price,standard_cost\n"
            'P7,a,"$1,299.99",(5.00)\n'
            "P8,b,€ 12,x12\n")
    result = load_file(masters, "products", write("p.csv", text))
    assert problems_of(result) == [(2, "standard_cost", "negative value"), (3, "standard_cost", "not a number")]


def test_unpadded_and_impossible_dates_with_a_custom_format(masters, write):
    mapping = Mapping.from_dict({"table": "reps", "date_format": "%d.%m.%Y"})
    text = "rep_id,name,hire_date,end_date\nR5,Eve,1.2.2024,31.02.2024\nR6,Max,2024-05-06,\n"
    result = load_file(masters, "reps", write("r.csv", text), mapping)
    assert problems_of(result) == [(2, "end_date", "not a date in the format %d.%m.%Y")]
    result = load_file(masters, "reps", write("r.csv", text.replace("31.02.2024", "29.02.2024")), mapping)
    assert result.ok
    new = [r for r in rows_of(masters, "reps", "rep_id") if r["rep_id"] in ("R5", "R6")]
    assert [(r["hire_date"], r["end_date"]) for r in new] == [(dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
                                                               (dt.date(2024, 5, 6), None)]


def test_iso_dates_are_strict_but_accept_a_timestamp(masters, write):
    text = "rep_id,name,hire_date\nR5,Eve,2024-01-01garbage\nR6,Max,2024-05-06 00:00:00\nR7,Ida,2024-5-6\n"
    result = load_file(masters, "reps", write("r.csv", text))
    assert problems_of(result) == [(2, "hire_date", "not a date in the format YYYY-MM-DD"),
                                   (4, "hire_date", "not a date in the format YYYY-MM-DD")]


def test_budget_period_must_be_a_month_start(masters, write):
    text = "period,measure,amount,region\n2026-01-01,revenue,100,North\n2026-01-15,revenue,100,South\n"
    result = load_file(masters, "budgets", write("b.csv", text))
    assert problems_of(result) == [(3, "period", "a budget period must be the first day of a month")]


def test_budget_cells_with_empty_dimensions_upsert_by_their_whole_key(masters, write):
    text = "period,measure,amount,region\n2026-01-01,revenue,100,\n2026-01-01,revenue,40,North\n"
    assert load_file(masters, "budgets", write("b.csv", text)).rows_inserted == 2
    again = load_file(masters, "budgets", write("b.csv", text.replace("100,", "120,")))
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert sorted(masters.table("budgets").amount.execute().tolist()) == [40, 120]


def test_nps_score_bounds(masters, write):
    text = "customer_id,response_date,score\nC1,2024-01-01,11\nC2,2024-01-01,9\n"
    result = load_file(masters, "nps_responses", write("n.csv", text))
    assert problems_of(result) == [(2, "score", "above the maximum of 10")]


def test_references_into_an_empty_optional_table_are_noted_not_rejected(warehouse, write):
    result = load_file(warehouse, "customers", write("c.csv", "customer_id,name,owner_rep_id\nC1,Acme,R404\n"))
    assert result.ok
    assert result.notes == ["reps is empty, so owner_rep_id references were not checked"]


def test_parent_may_arrive_in_the_same_file(warehouse, write):
    text = "customer_id,name,parent_id\nC2,Sub,C1\nC1,Parent,\nC3,Orphan,C404\n"
    result = load_file(warehouse, "customers", write("c.csv", text))
    assert problems_of(result) == [(4, "parent_id", "unknown customer_id: not in customers")]
