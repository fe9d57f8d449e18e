"""Parameters several routes share; the enumerated ones are built from the metrics layer's own lists.

A value outside a list is answered 422 with the values allowed (FastAPI checks them
before a route runs), and ``/openapi.json`` lists them. Taking the lists from the
metric modules means a dimension added there is accepted here with no change.
Parameters used the same way by several routes come ready with their description.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from fastapi import Path, Query

from marginscope.auth.audit import ACTIONS
from marginscope.metrics import budget, catalog, customers, nps, periods, pipeline, sales, semantic

# Literal[a_tuple] is Literal[*a_tuple]: each type below accepts exactly the listed strings. A type checker
# cannot read a Literal of a variable (valid-type is off for this module in pyproject.toml); TypeAlias marks
# the ones built by a call as aliases, so the routes that use them are checked.
SalesDimension = Annotated[Literal[sales.DIMENSIONS], Path(
    description="What to group by: the customer, the product, the rep on the line, or their attributes")]
Grain = Annotated[Literal[sales.GRAINS], Query(description="Length of a period")]
_BASES = "; ".join(f"{c.name}: {c.description}" for c in semantic.COMPARISONS.values())
Basis = Annotated[Literal[sales.COMPARISONS], Query(description=f"The comparison basis: {_BASES}")]
Compare = Annotated[Literal[sales.COMPARISONS], Query(
    description=f"The comparison basis, as the dashboard's compare= (default {semantic.DEFAULT_COMPARISON}): "
                f"{_BASES}")]
StatusGrain: TypeAlias = Annotated[Literal[tuple(periods.MONTHS_IN)], Query(
    description="The periods customers are counted in")]
BudgetDimension: TypeAlias = Annotated[Literal[tuple(budget.DIMENSIONS)], Path(
    description="A dimension budgets are written at")]
RetentionSegment = Annotated[Literal[customers.SEGMENTS], Path(description="The groups to compare")]
PipelineDimension = Literal[pipeline.DIMENSIONS]
PipelineMeasure = Annotated[Literal[pipeline.MEASURES], Query(description="The CRM measure whose change ranks")]
CustomerAttribute = Annotated[Literal[catalog.CUSTOMER_ATTRIBUTES], Path(description="A customer attribute")]
MarginBasis = Annotated[Literal["contribution_margin", "gross_profit"], Query(
    description="Which margin below 0 makes a customer negative-margin")]
AuditAction = Literal[ACTIONS]
TopN = Annotated[int, Query(ge=1, le=10_000, description="How many to rank")]
NpsDimension = Annotated[Literal[nps.DIMENSIONS], Path(
    description="The segments to compare: a customer attribute, the owner rep, or the RFM segment")]
