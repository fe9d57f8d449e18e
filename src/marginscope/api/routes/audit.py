"""The audit log: admins read it here; the API's own events are written through :func:`record`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel

from marginscope.api.deps import FOR_ADMINS, AuthDep, CurrentUser
from marginscope.api.middleware import client_address
from marginscope.api.params import AuditAction
from marginscope.api.results import Page, PageDep
from marginscope.auth import Auth, User

router = APIRouter(prefix="/audit", tags=["audit"], responses=FOR_ADMINS)


class AuditEvent(BaseModel):
    event_id: int
    at: str
    username: str | None
    action: str
    detail: dict[str, Any]
    client: str | None


def record(request: Request, action: str, username: str, **detail: Any) -> None:
    """Write an event of the API to the audit log, with the caller's address."""
    auth: Auth = request.app.state.auth
    auth.audit.record(action, username, client_address(request), **detail)


def require_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise HTTPException(403, "the audit log is for admins")
    return user


@router.get("", dependencies=[Depends(require_admin)], summary="Audit events, latest first (admins only)")
def events(auth: AuthDep, page: PageDep,
           action: Annotated[AuditAction | None, Query(description="Only events of this kind")] = None,
           username: Annotated[str | None, Query(description="Only events of this user")] = None,
           ) -> Page[AuditEvent]:
    """Sign-ins and failures, sign-outs, exports, API use, tokens made and revoked, loads, users and views."""
    return page.page(auth.audit.events(page.limit, action, username, page.offset), auth.audit.count(action, username))
