"""Who the caller is and what they may see."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from marginscope.api.deps import CurrentPrincipal, CurrentScope

router = APIRouter(prefix="/me", tags=["me"])


class Me(BaseModel):
    username: str
    role: str
    rep_id: str | None
    manager: str | None
    sees_everything: bool
    customers_in_scope: int | None  # None: every customer
    via_token: bool


@router.get("", response_model=Me, summary="The signed-in user, their role and scope")
def me(principal: CurrentPrincipal, scope: CurrentScope) -> Me:
    user = principal.user
    return Me(username=user.username, role=user.role.value, rep_id=user.rep_id, manager=user.manager,
              sees_everything=user.sees_everything,
              customers_in_scope=None if scope.customers is None else len(scope.customers),
              via_token=principal.token_id is not None)
