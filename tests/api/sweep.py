"""Every GET of the REST API, with its parameters filled in, for tests that sweep the whole API."""

from __future__ import annotations

import re

from tests.api.conftest import Q1

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
