"""FastAPI dependencies shared by every router: who asks, what they see, which filters.

In the style of the full-stack FastAPI template: routes declare
``user: CurrentUser``, ``scope: CurrentScope``, ``filters: FiltersDep`` and get them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, create_model

from marginscope.api.results import Refusal
from marginscope.auth import Auth, User
from marginscope.auth.principal import Principal, current
from marginscope.metrics.engine import Metrics
from marginscope.metrics.filters import Filters, Scope, text_value
from marginscope.metrics.semantic import DIMENSIONS
from marginscope.schema import FIRST_DAY, LAST_DAY


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


def get_auth(request: Request) -> Auth:
    return request.app.state.auth


def get_principal() -> Principal:
    principal = current.get()
    if principal is None:  # the middleware refuses such requests; this guards a route mounted elsewhere
        raise HTTPException(401, "sign in first", headers={"WWW-Authenticate": "Bearer"})
    return principal


def get_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    return principal.user


def get_scope(principal: Annotated[Principal, Depends(get_principal)],
              metrics: Annotated[Metrics, Depends(get_metrics)]) -> Scope:
    return principal.scope(metrics)


def refused(reason: str) -> dict[int | str, dict]:
    """The 403 of a route that refuses some roles, for its ``responses`` (so the spec lists it)."""
    return {403: {"model": Refusal, "description": reason}}


FOR_LOADERS = refused("A manager or a rep: loading data is for admins and analysts")
FOR_EVERYTHING_ROLES = refused("A manager or a rep: this shows the whole warehouse, for admins and analysts")
FOR_ADMINS = refused("Not an admin: this is for admins")


def require_loader(user: Annotated[User, Depends(get_user)]) -> User:
    if not user.can_load:
        raise HTTPException(403, f"a {user.role.value} may not load data; ask an admin or an analyst")
    return user


def require_everything(user: Annotated[User, Depends(get_user)]) -> User:
    if not user.sees_everything:
        raise HTTPException(403, "this needs the admin or analyst role: it shows the whole warehouse")
    return user


def require_admin(user: Annotated[User, Depends(get_user)]) -> User:
    if not user.is_admin:
        raise HTTPException(403, "this is for admins")
    return user


def _filter_parameters() -> type[BaseModel]:
    """The global filters as one query-parameter model, derived from the semantic layer's dimensions
    (so the API's parameters are the dashboard's URL parameters, and OpenAPI documents each)."""
    fields: dict = {
        "start": (dt.date | None, Field(None, description="First day (YYYY-MM-DD), invoice date")),
        "end": (dt.date | None, Field(None, description="Last day (YYYY-MM-DD), included")),
    }
    for dimension in DIMENSIONS:
        fields[dimension.parameter] = (list[str], Field(default_factory=list,
                                                        description=f"{dimension.description} (repeatable)"))
    return create_model("FilterParameters", __doc__="The global filters of every page, API call and export.",
                        **fields)


FilterParameters = _filter_parameters()


def get_filters(parameters: Annotated[FilterParameters, Query()]) -> Filters:  # type: ignore[valid-type]
    """The global filters, with the same parameter names as the dashboard's URLs."""
    start, end = parameters.start, parameters.end  # type: ignore[attr-defined]  # fields made at run time
    for name, day in (("start", start), ("end", end)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise HTTPException(422, f"{name} ({day}) is outside {FIRST_DAY} to {LAST_DAY}")
    if start and end and start > end:
        raise HTTPException(422, f"start ({start}) is after end ({end})")
    values = {dimension.filter_field: getattr(parameters, dimension.parameter) for dimension in DIMENSIONS}
    try:
        for dimension in DIMENSIONS:  # refused by Filters too; here the message names the parameter
            for value in values[dimension.filter_field]:
                text_value(value, dimension.parameter)
    except ValueError as problem:
        raise HTTPException(422, str(problem)) from None
    return Filters(start=start, end=end, **values)


MetricsDep = Annotated[Metrics, Depends(get_metrics)]
AuthDep = Annotated[Auth, Depends(get_auth)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
CurrentUser = Annotated[User, Depends(get_user)]
CurrentScope = Annotated[Scope, Depends(get_scope)]
LoaderUser = Annotated[User, Depends(require_loader)]
AdminUser = Annotated[User, Depends(require_admin)]
EverythingUser = Annotated[User, Depends(require_everything)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
