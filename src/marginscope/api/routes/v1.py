"""``/api/v1``: every router of the REST API."""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.routes import me


def router() -> APIRouter:
    v1 = APIRouter()
    for module in (me,):
        v1.include_router(module.router)
    return v1
