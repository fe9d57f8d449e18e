"""Every GET of the REST API, with its parameters filled in, for tests that sweep the whole API."""

from __future__ import annotations

import re

from tests.api.conftest import Q1

# Who owns which customer (tests/api/conftest.py): C1 is Ann's (R1); C2 and C3 Bob's (R2), so Mia's team
# (R1 and R2) has C1 to C3; C4 is Cy's (R3).
CUSTOMER_NAMES = {"C1": "Acme", "C2": "Globex", "C3": "Initech", "C4": "Umbrella"}
SEES = {"ann": {"C1"}, "cy": {"C4"}, "mia": {"C1", "C2", "C3"}}
# Links back to the dashboard carry the caller's own filters (customer=C2): an echo, not a leak.
ECHOED_FILTER = re.compile(r"[?&]customer=[^&\"]*")


def outside_scope(username: str) -> re.Pattern:
    """The ids and names of the customers ``username`` (a manager or a rep) may not see, as whole words."""
    hidden = sorted(set(CUSTOMER_NAMES) - SEES[username])
    return re.compile(r"\b(" + "|".join(hidden + [CUSTOMER_NAMES[c] for c in hidden]) + r")\b")


FILTERS = {"start", "end", "region", "industry", "rep", "tier", "type", "category", "customer", "product", "limit",
           "offset"}
# The filters that point at another rep's customer: C2 by id, and R1's own sale to C2 (line I5) by rep.
TOWARDS_C2 = {"customer": ["C1", "C2"], "rep": "R1"}


def requests_of(openapi: dict, variants_too: bool = True):
    """Every GET of /api/v1 over Q1: as is, filtered towards C2, and with each value of each of its own
    parameters (every value of an enumeration; a boolean true, a number, a date; ids and texts "C2"),
    one at a time."""
    for path, operations in openapi["paths"].items():
        if not path.startswith("/api/v1") or "get" not in operations:
            continue
        own = [p for p in operations["get"].get("parameters", []) if p["name"] not in FILTERS]
        required = {p["name"]: _choices(p)[0] for p in own if p.get("required")}
        variants = [{}, TOWARDS_C2, *({p["name"]: value} for p in own for value in _choices(p))] \
            if variants_too else [{}]
        for variant in variants:
            values = {**Q1, **required, **variant}
            yield path.format(**{name: values.pop(name) for name in re.findall(r"{(\w+)}", path)}), values


def _choices(parameter: dict) -> list:
    schema = parameter["schema"]
    enumerated = next((option["enum"] for option in [schema, *schema.get("anyOf", [])] if "enum" in option), None)
    if enumerated:
        return enumerated
    kinds = {option.get("format", option.get("type")) for option in [schema, *schema.get("anyOf", [])]}
    for kind, value in (("boolean", "true"), ("integer", 2026), ("number", 0.5), ("date", "2026-03-15")):
        if kind in kinds:
            return [value]
    return ["C2"]
