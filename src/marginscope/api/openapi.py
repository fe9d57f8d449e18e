"""What ``/openapi.json`` says about the answers every route shares, stated where they come from.

The routes document their own answers (their models, a 404 for something not found,
a 403 for a role that may not call them). Four answers come from elsewhere and hold
for every route, so they are added here, once, to every operation of the spec:

- **401** from the authentication middleware: no session cookie and no API token, or
  one that is unknown, expired or revoked.
- **403** on every state-changing method, also from the middleware: a request signed in
  by cookie without the session's CSRF token in ``X-CSRFToken``.
- **400** from FastAPI, for a body that is not JSON at all.
- **422** in the shape the API really answers: ``detail`` is one sentence when a route
  refuses values that parse but make no sense together (a start after the end, a
  comparison without a date range), and FastAPI's list of parameter problems when a
  value does not parse at all. FastAPI documents only the second.

The two ways to sign in are stated as security schemes, so clients and API tools know
to send a token.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from marginscope.api.middleware import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE
from marginscope.api.results import Refusal

SIGNED_OUT = "Not signed in: no session cookie and no API token, or one that is unknown, expired or revoked"
NO_CSRF_TOKEN = ("Signed in by cookie without the session's CSRF token in the X-CSRFToken header "
                 "(API tokens need none)")
NOT_JSON = "The body is not JSON"
REFUSED_VALUES = ("A parameter or the body is not valid: FastAPI's list of each problem, or one sentence saying "
                  "why values that parse cannot be answered (a start after the end, a comparison without dates)")
SECURITY_SCHEMES = {
    "apiToken": {"type": "http", "scheme": "bearer",
                 "description": "An API token (ms_...): `marginscope tokens create` or POST /api/v1/tokens"},
    "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                "description": "The dashboard's sign-in session; state-changing requests also need the "
                               f"session's CSRF token in the {CSRF_HEADER} header"},
}


REFUSAL = {"$ref": "#/components/schemas/Refusal"}
FASTAPI_422 = {"$ref": "#/components/schemas/HTTPValidationError"}


def _refusal(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": REFUSAL}}}


def _merge(responses: dict[str, Any], status: str, description: str) -> None:
    """Document ``status`` with ``description``, beside what the route itself says about it."""
    if status not in responses:
        responses[status] = _refusal(description)
        return
    response = responses[status]
    if description not in response.get("description", ""):
        response["description"] = f"{response['description']}. Or: {description}"
    _also_refusal(response)


def _also_refusal(response: dict[str, Any]) -> None:
    """The response's body may be a :class:`Refusal` too, beside any model the route gave it."""
    content = response.setdefault("content", {}).setdefault("application/json", {})
    schema = content.get("schema")
    if schema is None or schema in (REFUSAL, FASTAPI_422):
        content["schema"] = REFUSAL
    elif REFUSAL not in schema.get("anyOf", []):
        content["schema"] = {"anyOf": [schema, REFUSAL]}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (FastAPI's) with the shared answers and the security schemes added to every operation."""
    refusal = Refusal.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(refusal.pop("$defs", {}))
    schemas["Refusal"] = refusal
    spec["components"]["securitySchemes"] = SECURITY_SCHEMES
    spec["security"] = [{"apiToken": []}, {"session": []}]
    for operations in spec.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            _merge(responses, "401", SIGNED_OUT)
            if method.upper() not in SAFE_METHODS:
                _merge(responses, "403", NO_CSRF_TOKEN)
            if "requestBody" in operation:
                _merge(responses, "400", NOT_JSON)
            if "422" in responses:
                if responses["422"].get("description") == "Validation Error":  # FastAPI's own wording
                    responses["422"]["description"] = REFUSED_VALUES
                _also_refusal(responses["422"])
    return spec


def install(server: FastAPI) -> None:
    """Make ``server``'s ``/openapi.json`` the completed spec (built once, on first request)."""
    build = server.openapi

    def openapi() -> dict[str, Any]:
        if server.openapi_schema is None:
            server.openapi_schema = complete(build())
        return server.openapi_schema

    server.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the spec
