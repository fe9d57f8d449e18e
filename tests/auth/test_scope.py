"""Each role's scope, worked out by hand from the ownership in conftest."""

from __future__ import annotations

import pytest

from marginscope.auth import scope_for


@pytest.mark.parametrize("username, customers", [
    ("boss", None), ("ada", None),
    ("mia", {"C1", "C2", "C3"}),  # Ann's and Bob's customers
    ("ann", {"C1", "C3"}), ("cy", {"C4"}),
])
def test_each_role_sees_its_customers(auth, owned, username, customers):
    scope = scope_for(auth.users.get(username), owned)
    assert scope.customers == (None if customers is None else frozenset(customers))


def test_a_reps_figures_are_their_customers_figures(auth, owned):
    scope = scope_for(auth.users.get("ann"), owned)
    # C1 100.00 + C3 20.00 of revenue; C2 and C4 are not Ann's
    assert float(owned.sales.summary(scope=scope).revenue.iloc[0]) == 120.00
    assert set(owned.sales.by("customer_id", scope=scope).customer_id) == {"C1", "C3"}
    assert owned.catalog.find_customers("", scope).customer_id.tolist() == ["C1", "C3"]


def test_a_rep_sees_how_many_of_their_customers_each_rep_owns(auth, owned):
    import datetime as dt

    from marginscope.metrics import Filters

    scope = scope_for(auth.users.get("ann"), owned)
    reps = owned.team.reps(Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)), scope)
    assert dict(zip(reps.rep_id, reps.customers_owned)) == {"R1": 2, "R2": 0, "R3": 0}
