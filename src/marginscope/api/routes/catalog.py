"""What there is to filter by, from :class:`~marginscope.metrics.engine.CatalogMetrics`.

Customer lists and values are those of the caller's scope. Products, categories and
reps are the same for everyone (the filter bar offers them to every user). Which
customers each rep owns, and how many rows each table holds, describe the whole
warehouse: admins and analysts only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from marginscope.api.deps import FOR_EVERYTHING_ROLES, CurrentScope, MetricsDep, require_everything
from marginscope.api.params import CustomerAttribute
from marginscope.api.results import MAX_LIMIT, MetricErrors, MetricPage, Page, PageDep
from marginscope.metrics.catalog import SEARCH_LIMIT

router = APIRouter(prefix="/catalog", tags=["catalog"], dependencies=[MetricErrors])
WHOLE_WAREHOUSE = [Depends(require_everything)]


class DataSpan(BaseModel):
    first: dt.date | None
    last: dt.date | None


@router.get("/attributes/{attribute}", summary="The values of a customer attribute")
def attribute_values(attribute: CustomerAttribute, metrics: MetricsDep, scope: CurrentScope,
                     page: PageDep) -> Page[str]:
    """Distinct values among the customers you may see, sorted."""
    return page.of(metrics.catalog.attribute_values(attribute, scope))


@router.get("/categories", summary="Product categories")
def categories(metrics: MetricsDep, page: PageDep) -> Page[str]:
    return page.of(metrics.catalog.categories())


@router.get("/reps", summary="Reps by name")
def reps(metrics: MetricsDep, page: PageDep) -> MetricPage:
    """``rep_id`` and ``name``; reps known only from invoice lines have their id as name."""
    return page.of(metrics.catalog.reps())


@router.get("/products", summary="Products by name")
def products(metrics: MetricsDep, page: PageDep) -> MetricPage:
    return page.of(metrics.catalog.products())


@router.get("/customers", summary="Find customers by id or name")
def find_customers(metrics: MetricsDep, scope: CurrentScope, page: PageDep,
                   text: Annotated[str, Query(description="Part of the id or name, any case; empty: all")] = "",
                   matches: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most matches to find")]
                   = SEARCH_LIMIT) -> MetricPage:
    """``customer_id`` and ``name`` of the matching customers you may see, by name."""
    return page.of(metrics.catalog.find_customers(text, scope, limit=matches))


@router.get("/customer-names", summary="The names of given customers")
def customer_names(customer_id: Annotated[list[str], Query(description="Customer id (repeatable)")],
                   metrics: MetricsDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """``customer_id`` and ``name`` of those of the given customers you may see."""
    return page.of(metrics.catalog.customer_names(customer_id, scope))


@router.get("/data-span", summary="The first and last invoice date")
def data_span(metrics: MetricsDep, scope: CurrentScope) -> DataSpan:
    """Over the invoice lines of the customers you may see; both null when there are none."""
    first, last = metrics.catalog.data_span(scope)
    return DataSpan(first=first, last=last)


@router.get("/owned-customers", summary="The customers owned by reps or by a manager's team",
            dependencies=WHOLE_WAREHOUSE, responses=FOR_EVERYTHING_ROLES)
def owned_customers(metrics: MetricsDep, page: PageDep,
                    owner_rep: Annotated[list[str], Query(description="Owner rep id (repeatable)")] = [],  # noqa: B006
                    manager: Annotated[str | None, Query(description="Or: the reps of this manager")] = None,
                    ) -> Page[str]:
    """Customer ids, sorted: the scope a rep or manager user with these values would get."""
    return page.of(sorted(metrics.catalog.owned_customers(reps=owner_rep, manager=manager)))


@router.get("/table-counts", summary="Rows per warehouse table", dependencies=WHOLE_WAREHOUSE,
            responses=FOR_EVERYTHING_ROLES)
def table_counts(metrics: MetricsDep) -> dict[str, int]:
    return metrics.catalog.table_counts()
