"""API tokens: a user's keys to the REST API, scoped exactly like the user (see :mod:`marginscope.auth.tokens`).

Use one as ``Authorization: Bearer ms_...``. A token is shown once, when it is made;
a revoked token is refused from the next request on. Making a token needs a signed-in
browser session: a token cannot make tokens, so a leaked one does not outlive its revocation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from marginscope.api.deps import AuthDep, CurrentPrincipal, CurrentUser, refused
from marginscope.api.routes.audit import record

router = APIRouter(prefix="/tokens", tags=["tokens"])


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=80, description="What the token is for, e.g. 'finance notebook'")


class Token(BaseModel):
    token_id: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class NewToken(Token):
    token: str = Field(description="The token itself: shown only now, only its hash is kept")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Make an API token (shown once)",
             responses=refused("Asked with an API token: a token cannot make tokens"))
def create(body: TokenRequest, principal: CurrentPrincipal, auth: AuthDep, request: Request) -> NewToken:
    if principal.token_id is not None:
        raise HTTPException(403, "sign in with your password to make a token: a token cannot make tokens")
    info, token = auth.tokens.create(principal.user.username, body.name)
    record(request, "token_created", principal.user.username, token_id=info.token_id, name=info.name)
    return NewToken(**vars(info), token=token)


@router.get("", summary="Your API tokens (never their secret)")
def list_tokens(user: CurrentUser, auth: AuthDep) -> list[Token]:
    """Live and revoked, oldest first."""
    return [Token(**vars(info)) for info in auth.tokens.list(user.username)]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke one of your API tokens",
               responses={404: {"description": "You have no live token with this id"}})
def revoke(token_id: Annotated[str, Path(description="The token's id")], user: CurrentUser, auth: AuthDep,
           request: Request) -> None:
    if not auth.tokens.revoke(user.username, token_id):
        raise HTTPException(404, "you have no live token with this id")
    record(request, "token_revoked", user.username, token_id=token_id)
