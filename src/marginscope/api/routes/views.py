"""Saved views: a page and its filters under a name (see :mod:`marginscope.auth.saved_views`).

Everyone sees their own views and the views others shared; only the owner changes or
deletes a view. Whoever opens a shared view sees it through their own scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from marginscope.api.deps import AuthDep, CurrentUser
from marginscope.api.results import MAX_ROW_NUMBER
from marginscope.api.routes.audit import record
from marginscope.auth import Auth, SavedView, User, ViewError
from marginscope.auth.saved_views import MAX_NAME, MAX_SEARCH_BYTES

router = APIRouter(prefix="/views", tags=["saved views"])

ViewId = Annotated[int, Path(ge=1, le=MAX_ROW_NUMBER, description="The view's id")]
NOT_YOURS: dict[int | str, dict[str, Any]] = {403: {"description": "The view is someone else's (shared with you)"},
                                              404: {"description": "There is no such view for you"}}


class View(BaseModel):
    view_id: int
    owner: str
    name: str
    path: str
    search: str
    url: str = Field(description="path and search: where the view opens")
    shared: bool
    is_default: bool = Field(description="It is your default view: you land on it when you open the dashboard "
                                         "(never true of a view someone else shared)")

    @classmethod
    def of(cls, view: SavedView, user: User) -> View:
        """``view`` as ``user`` sees it: another user's default is theirs, not the reader's."""
        return cls(**{**vars(view), "is_default": view.is_default and view.owner == user.username}, url=view.url)


class NewView(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    path: str = Field(description="A page of the dashboard, e.g. /customers", examples=["/"])
    search: str = Field("", description=f"Its query string of filters, at most {MAX_SEARCH_BYTES:,} bytes (longer "
                                        "is refused with 422)", examples=["?region=North&start=2026-01-01"])
    shared: bool = False


class ViewChange(BaseModel):
    """Only the fields given change; a field it does not know is refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    shared: bool | None = None
    is_default: bool | None = Field(None, validation_alias=AliasChoices("is_default", "default"),
                                    description="true: make it your default view; false: no default view "
                                                "(the dashboard opens on the Overview). Also read as `default`.")


@router.get("", summary="Your views, then those others shared")
def list_views(user: CurrentUser, auth: AuthDep) -> list[View]:
    return [View.of(view, user) for view in auth.views.visible(user)]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Save a view")
def save(body: NewView, user: CurrentUser, auth: AuthDep, request: Request) -> View:
    try:
        view = auth.views.save(user, body.name, body.path, body.search, shared=body.shared)
    except ViewError as refused:
        raise HTTPException(422, str(refused)) from None
    record(request, "view_saved", user.username, view_id=view.view_id, url=view.url)
    return View.of(view, user)


@router.patch("/{view_id}", summary="Rename, share or unshare one of your views, or make it your default",
              responses=NOT_YOURS)
def change(view_id: ViewId, body: ViewChange, user: CurrentUser, auth: AuthDep) -> View:
    view = _own_view(auth, user, view_id)
    try:
        if body.name is not None:
            auth.views.rename(user, view_id, body.name)
        if body.shared is not None:
            auth.views.share(user, view_id, body.shared)
    except ViewError as refused:
        raise HTTPException(422, str(refused)) from None
    if body.is_default is not None and body.is_default != view.is_default:
        auth.views.set_default(user, view_id if body.is_default else None)
    return View.of(auth.views.get(user, view_id), user)


@router.delete("/{view_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete one of your views",
               responses=NOT_YOURS)
def delete(view_id: ViewId, user: CurrentUser, auth: AuthDep, request: Request) -> None:
    _own_view(auth, user, view_id)
    auth.views.delete(user, view_id)
    record(request, "view_deleted", user.username, view_id=view_id)


def _own_view(auth: Auth, user: User, view_id: int) -> SavedView:
    """The user's own view; 404 when they cannot see it, 403 when it is someone else's shared view."""
    try:
        view = auth.views.get(user, view_id)
    except ViewError:
        raise HTTPException(404, "there is no such view for you") from None
    if view.owner != user.username:
        raise HTTPException(403, f"the view is {view.owner}'s: only its owner can change it")
    return view
