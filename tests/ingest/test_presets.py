"""Each shipped preset loads a small file written the way its system exports it."""

import datetime as dt
from decimal import Decimal as D

import pytest

from marginscope.ingest import MappingError, load_file
from marginscope.ingest.presets import catalogue, preset, preset_names
from tests.conftest import CUSTOMERS_CSV, PRODUCTS_CSV, REPS_CSV, problems_of, rows_of


def test_the_catalogue_lists_presets_and_bundles():
    names = {(e["name"], e["kind"], e["tables"]) for e in catalogue()}
    assert ("salesforce_opportunities", "preset", "opportunities") in names
    assert ("maven_crm", "bundle", "customers, products, reps, opportunities") in names
    assert preset_names() == ["erp_invoice_lines", "hubspot_companies", "hubspot_deals", "salesforce_accounts",
                              "salesforce_opportunities"]
    with pytest.raises(MappingError, match="no preset 'sap'; the presets are: erp_invoice_lines"):
        preset("sap")


def test_salesforce_accounts_then_opportunities(warehouse, write):
    accounts = ('"Account ID","Account Name","Industry","Billing State/Province","Billing Country","Billing City",'
                '"Type","Account Owner","Parent Account ID","Created Date"\n'
                '"0015g00000AbCdEAAV","Acme Corp","Manufacturing","CA","United States","San Jose",'
                '"Customer - Direct","Ann","","3/5/2023"\n'
                '"0015g00000XyZ12AAB","Acme EMEA","Manufacturing","","Germany","Berlin",'
                '"Customer - Channel","Bob","0015g00000AbCdEAAV","11/20/2023"\n')
    assert load_file(warehouse, "reps", write("reps.csv", "rep_id,name\nAnn,Ann\nBob,Bob\n")).ok
    result = load_file(warehouse, "customers", write("accounts.csv", accounts), preset("salesforce_accounts"))
    assert result.ok, result.problems.to_pylist()
    acme, emea = rows_of(warehouse, "customers", "customer_id")
    assert (acme["created_date"], acme["customer_type"], acme["region"]) == (dt.date(2023, 3, 5), "end customer", "CA")
    assert (emea["parent_id"], emea["customer_type"]) == ("0015g00000AbCdEAAV", "reseller")

    deals = ('"Opportunity ID","Opportunity Name","Account ID","Opportunity Owner","Product Name","Stage",'
             '"Created Date","Close Date","Amount","Primary Campaign Source"\n'
             '"0065g000001","Acme renewal","0015g00000AbCdEAAV","Ann","","Closed Won","1/9/2024","3/15/2024",'
             '"USD 12,500.00",""\n'
             '"0065g000002","EMEA pilot","0015g00000XyZ12AAB","Bob","","Proposal/Price Quote","2/1/2024",'
             '"6/30/2024","USD 4,000.00",""\n'
             '"0065g000003","Lost one","0015g00000XyZ12AAB","Bob","","Closed Lost","2/2/2024","2/28/2024",'
             '"USD 900.50",""\n')
    result = load_file(warehouse, "opportunities", write("opps.csv", deals), preset("salesforce_opportunities"))
    assert result.ok, result.problems.to_pylist()
    won, engaging, lost = rows_of(warehouse, "opportunities", "opportunity_id")
    assert (won["stage"], won["close_value"], won["close_date"]) == ("won", D("12500.00"), dt.date(2024, 3, 15))
    assert (engaging["stage"], lost["stage"], lost["close_value"]) == ("engaging", "lost", D("900.50"))


def test_hubspot_companies_then_deals(warehouse, write):
    companies = ("Record ID,Company name,Industry,State/Region,Country/Region,City,Type,Company owner,Create Date\n"
                 "9012345678,Globex,COMPUTER_SOFTWARE,Bavaria,Germany,Munich,RESELLER,Ann,2023-05-02 14:12\n")
    assert load_file(warehouse, "reps", write("reps.csv", "rep_id,name\nAnn,Ann\n")).ok
    result = load_file(warehouse, "customers", write("companies.csv", companies), preset("hubspot_companies"))
    assert result.ok, result.problems.to_pylist()
    (globex,) = rows_of(warehouse, "customers")
    assert (globex["created_date"], globex["customer_type"]) == (dt.date(2023, 5, 2), "reseller")
    deals = ("Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,"
             "Associated Company IDs (Primary)\n"
             "15501,Globex expansion,Closed Won,7200,2024-04-30 17:00,2024-02-01 09:30,Ann,9012345678\n"
             "15502,Globex add-on,Contract Sent,1500.5,,2024-03-03 10:00,Ann,9012345678\n"
             "15503,Cold lead,Appointment Scheduled,,,2024-03-10 08:00,Ann,\n")
    result = load_file(warehouse, "opportunities", write("deals.csv", deals), preset("hubspot_deals"))
    assert result.ok, result.problems.to_pylist()
    stages = [(r["opportunity_id"], r["stage"], r["close_value"]) for r in rows_of(warehouse, "opportunities",
                                                                                  "opportunity_id")]
    assert stages == [("15501", "won", D("7200.00")), ("15502", "engaging", D("1500.50")),
                      ("15503", "prospecting", None)]


def test_hubspot_stage_it_does_not_know_is_reported(warehouse, write):
    load_file(warehouse, "reps", write("reps.csv", "rep_id,name\nAnn,Ann\n"))
    deals = ("Record ID,Deal Stage,Deal owner\n1,Demo Booked,Ann\n")
    result = load_file(warehouse, "opportunities", write("deals.csv", deals), preset("hubspot_deals"))
    assert problems_of(result) == [(2, "Deal Stage (stage)", "not one of: prospecting, engaging, won, lost")]
    # The export left out optional columns (users choose a report's columns): they are empty, and said so.
    assert "'Amount' is not in the file, so close_value is left empty" in result.notes


def test_generic_erp_invoice_lines(warehouse, write):
    for table, text in (("reps", REPS_CSV), ("customers", CUSTOMERS_CSV), ("products", PRODUCTS_CSV)):
        assert load_file(warehouse, table, write(f"{table}.csv", text)).ok
    export = ("Invoice No;Line;Type;Invoice Date;Due Date;Order No;Customer No;Item No;Salesperson;Quantity;"
              "Unit Price;Discount;Amount;Cost;Currency\n"
              "INV-1001;1;Invoice;31.03.2024;30.04.2024;SO-1;C1;P1;R1;1.200;10,50;600,00;12.000,00;7.200,00;EUR\n"
              "CM-0007;1;Credit Memo;05.04.2024;;SO-1;C1;P1;R1;-10;10,50;0,00;-105,00;-60,00;EUR\n")
    result = load_file(warehouse, "invoice_lines", write("erp.csv", export), preset("erp_invoice_lines"))
    assert result.ok, result.problems.to_pylist()
    credit, invoice = rows_of(warehouse, "invoice_lines", "invoice_id")
    assert (invoice["quantity"], invoice["unit_price"], invoice["net_amount"]) == (1200, D("10.5"), D("12000.00"))
    assert (invoice["invoice_date"], invoice["due_date"]) == (dt.date(2024, 3, 31), dt.date(2024, 4, 30))
    assert (credit["kind"], credit["quantity"], credit["net_amount"]) == ("credit_note", 10, D("105.00"))


RENAMED = """Invoice Number,Line No.,Kind,Invoice Date,Customer Number,Item No.,Salesperson,Qty,Unit Price,Net Amount,Cost,Remarks
R-1,1,Invoice,31.03.2024,C1,P1,R1,2,10.00,20.00,12.00,first
G-1,1,Credit_Note,02.04.2024,C1,P1,R1,1,10.00,10.00,6.00,
"""


def test_the_suggester_maps_a_renamed_header_and_its_mapping_loads(warehouse, write):
    from marginscope.ingest.mapping import Mapping
    from marginscope.ingest.suggest import suggest

    path = write("renamed.csv", RENAMED)
    suggestion = suggest(path, "invoice_lines")
    assert suggestion.mapping["columns"] == {
        "invoice_id": "Invoice Number", "line_no": "Line No.",
        "kind": {"source": "Kind", "values": {"Invoice": "invoice", "Credit_Note": "credit_note"}},
        "invoice_date": {"source": "Invoice Date", "date_format": "%d.%m.%Y"},
        "customer_id": "Customer Number", "product_id": "Item No.", "rep_id": "Salesperson", "quantity": "Qty",
        "unit_price": "Unit Price", "net_amount": "Net Amount", "cogs": "Cost"}
    assert suggestion.unused_sources == ["Remarks"] and suggestion.unmatched_required == []
    for table, text in (("reps", REPS_CSV), ("customers", CUSTOMERS_CSV), ("products", PRODUCTS_CSV)):
        load_file(warehouse, table, write(f"{table}.csv", text))
    result = load_file(warehouse, "invoice_lines", path, Mapping.from_dict(suggestion.mapping))
    assert result.ok and result.rows_loaded == 2


def test_the_suggester_says_what_it_could_not_find(write):
    from marginscope.ingest.suggest import suggest

    suggestion = suggest(write("thin.csv", "Ref,Whatever\nA,1\n"), "customers")
    assert suggestion.unmatched_required == ["customer_id", "name"]
    assert "# REVIEW: no column found for required customer_id" in suggestion.to_yaml()
