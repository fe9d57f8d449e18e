"""RFM on five customers worked out by hand, as of 30 June 2026 (window 31 Dec 2024 - 30 Jun 2026).

            purchases in the window (each its own order)         R days  F  M     first ever
  C1: 2025-09-01, 2026-03-01, 2026-05-01, 2026-06-20 (100 each)     10   4  400   2023-01-01
  C2: 2026-06-25 (500)                                               5   1  500   2026-06-25
  C3: 2025-11-10, 2025-12-10, 2026-01-10 (50 each)                 171   3  150
  C4: 2025-03-01, 2025-04-01 (300 each)                            455   2  600
  C5: 2025-06-01 (20)                                              394   1   20
Score = floor(5 * customers ranked strictly below / 5) + 1:
  R (fewer days is better): C4 1, C5 2, C3 3, C1 4, C2 5
  F: C2 and C5 tie at 1 -> 1; C4 3; C3 4; C1 5          M: C5 1, C3 2, C1 3, C2 4, C4 5
Default segments: C1 (4,5,3) Loyal; C2 (5,1,4) New (first bought 5 days ago); C3 (3,4,2) Loyal;
C4 (1,3,5) At-Risk; C5 (2,1,1) Low Value.
"""

import datetime as dt

import pytest

from marginscope.metrics import Filters, rfm
from tests.metrics.conftest import PRODUCTS

CUSTOMERS = "customer_id,name,tier\n" + "".join(f"C{i},Customer {i},Gold\n" for i in range(1, 6))
PURCHASES = [("C1", "2023-01-01", 50), ("C1", "2025-09-01", 100), ("C1", "2026-03-01", 100),
             ("C1", "2026-05-01", 100), ("C1", "2026-06-20", 100), ("C2", "2026-06-25", 500),
             ("C3", "2025-11-10", 50), ("C3", "2025-12-10", 50), ("C3", "2026-01-10", 50),
             ("C4", "2025-03-01", 300), ("C4", "2025-04-01", 300), ("C5", "2025-06-01", 20)]
LINES = "invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,quantity,unit_price,net_amount,cogs\n" + \
    "".join(f"I{i},1,invoice,{day},O{i},{c},P1,1,{amount},{amount},{amount / 2}\n"
            for i, (c, day, amount) in enumerate(PURCHASES))
AS_OF = Filters(end=dt.date(2026, 6, 30))


@pytest.fixture
def ms(company):
    return company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)


def test_scores_and_default_segments(ms):
    table = rfm.scores(ms.warehouse, AS_OF).set_index("customer_id")
    assert table.attrs["window_start"] == dt.date(2024, 12, 31)
    assert table[["recency", "frequency", "monetary"]].values.tolist() == [
        [10, 4, 400], [5, 1, 500], [171, 3, 150], [455, 2, 600], [394, 1, 20]]
    assert table[["r_score", "f_score", "m_score"]].values.tolist() == [
        [4, 5, 3], [5, 1, 4], [3, 4, 2], [1, 3, 5], [2, 1, 1]]
    assert table.segment.to_dict() == {"C1": "Loyal", "C2": "New", "C3": "Loyal", "C4": "At-Risk",
                                       "C5": "Low Value"}


def test_segment_summary_and_matrix(ms):
    summary = rfm.segment_summary(ms.warehouse, AS_OF).set_index("segment")
    # Loyal: C1 400 + C3 150 in the window; gross profit is half of revenue for every line.
    assert (summary.loc["Loyal", "customers"], summary.loc["Loyal", "revenue"]) == (2, 550)
    assert summary.loc["Loyal", "revenue_per_customer"] == 275
    assert summary.loc["Loyal", "share_of_gross_profit"] == pytest.approx(275 / 835)  # of 1670 / 2
    matrix = rfm.rf_matrix(rfm.scores(ms.warehouse, AS_OF))
    assert matrix.values.tolist() == [[1, 3, 1, 600], [2, 1, 1, 20], [3, 4, 1, 150], [4, 5, 1, 400], [5, 1, 1, 500]]


def test_migration_and_slipping_customers_with_custom_rules(ms, tmp_path):
    # A quarter earlier (30 March; window from 1 Oct 2024) C2 had not bought yet, and the others scored
    # (R, F, M): C1 (4, 2, 3), C3 (3, 4, 2), C4 (1, 2, 4), C5 (2, 1, 1).
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("segments:\n  - {name: Champions, when: {M: '>=4', F: '<=2'}}\n"
                          "  - {name: At-Risk, when: {R: '<=2'}}\n  - {name: Other, when: {}}\n")
    counts, slipping = rfm.migration(ms.warehouse, AS_OF, rules=rfm.load_rules(rules_file))
    assert slipping.customer_id.tolist() == ["C4"]  # Champions (M 4, F 2) then At-Risk (R 1, F 3)
    moves = {(a, b): n for a, b, n in counts.values.tolist()}
    # Now C2 (R 5, F 1, M 4) is a new "Champion" under these rules; C1 and C3 stay Other, C5 At-Risk.
    assert moves == {("(none)", "Champions"): 1, ("At-Risk", "At-Risk"): 1, ("Champions", "At-Risk"): 1,
                     ("Other", "Other"): 2}


def test_bad_rules_are_explained(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("segments:\n  - {name: X, when: {Q: '>=4'}}\n")
    with pytest.raises(ValueError, match="unknown field 'Q'"):
        rfm.load_rules(rules_file)


def test_the_python_api(ms):
    assert ms.rfm.scores(AS_OF).segment.tolist() == ["Loyal", "New", "Loyal", "At-Risk", "Low Value"]
    assert ms.rfm.matrix(AS_OF).customers.sum() == 5
