"""Who may export what: signed-in users only, each through their own scope, pages they may see."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from starlette.testclient import TestClient

from tests.export.conftest import Q1, sheet_rows, workbook

FORMATS = ["csv", "xlsx", "pdf"]


@pytest.mark.parametrize("kind", FORMATS)
def test_an_anonymous_export_is_refused(app, kind):
    with TestClient(app.server, base_url="http://127.0.0.1") as anonymous:
        answer = anonymous.get(f"/export/{kind}?page=/", headers={"accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 401
    assert "sign in" in answer.json()["detail"]


def test_a_reps_export_holds_only_their_customers(signed_in):
    ann, bob = signed_in("ann"), signed_in("bob")
    ann_book = workbook(ann.get(f"/export/xlsx?page=/&{Q1}"))
    ann_cells = {str(v) for sheet in ann_book for row in sheet_rows(sheet) for v in row}
    assert "Acme" in ann_cells and not {"Globex", "Initech"} & ann_cells
    ann_csv = ann.get(f"/export/csv?page=/profitability&{Q1}&table=customer-margins").text
    assert "Acme" in ann_csv and "Globex" not in ann_csv and "Initech" not in ann_csv
    bob_csv = bob.get(f"/export/csv?page=/&{Q1}&table=top-customers").text
    assert "Globex" in bob_csv and "Acme" not in bob_csv


def test_a_page_of_the_whole_warehouse_is_refused_to_a_rep(signed_in):
    assert signed_in("ann").get("/export/xlsx?page=/data").status_code == 403
    assert signed_in("admin").get("/export/xlsx?page=/data").status_code == 200


def test_unknown_pages_tables_and_bad_filters(signed_in):
    admin = signed_in("admin")
    assert admin.get("/export/csv?page=/nowhere").status_code == 404
    unknown = admin.get(f"/export/csv?page=/&{Q1}&table=nope")
    assert unknown.status_code == 422 and "top-customers, top-products" in unknown.json()["detail"]
    assert admin.get("/export/xlsx?page=/&start=2026-03-01&end=2026-01-01").status_code == 422
    missing = admin.get("/export/xlsx?page=/customer/C9")
    assert missing.status_code == 422 and "No customer C9" in missing.json()["detail"]


def test_an_export_is_an_attachment_and_is_audited(signed_in, auth):
    answer = signed_in("bob").get(f"/export/csv?page=/products&{Q1}&region=South")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    today = dt.datetime.now(dt.UTC).date()
    assert answer.headers["content-disposition"] == f'attachment; filename="marginscope-products-{today}.csv"'
    event = auth.audit.events(action="export", username="bob", limit=1)[0]
    assert event["detail"] == {"format": "csv", "page": "/products", "filters": f"?{Q1}&region=South",
                               "table": "products", "data_version": event["detail"]["data_version"]}
    book = signed_in("admin").get(f"/export/xlsx?page=/&{Q1}")
    assert book.headers["content-disposition"] == f'attachment; filename="marginscope-overview-{today}.xlsx"'


def test_the_csv_of_a_page_of_several_tables_is_a_zip_of_each_tables_csv(signed_in, auth):
    """The header's CSV link names no table: a page of several answers every one of them, each as its own
    CSV export would, and a rep's archive holds only their customers."""
    ann = signed_in("ann")
    answer = ann.get(f"/export/csv?page=/&{Q1}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert archive.namelist()[:2] == ["top-customers.csv", "top-products.csv"]
    for name in archive.namelist():
        alone = ann.get(f"/export/csv?page=/&{Q1}&table={name.removesuffix('.csv')}")
        assert archive.read(name) == alone.content
    text = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8-sig")
    assert "Acme" in text and "Globex" not in text and "Initech" not in text
    event = auth.audit.events(action="export", username="ann", limit=10)
    assert any(e["detail"]["format"] == "zip" and e["detail"]["tables"] == [n.removesuffix(".csv")
                                                                            for n in archive.namelist()]
               for e in event)
