"""The REST API against its own OpenAPI spec, fuzzed by Schemathesis as every role.

Every operation of ``/openapi.json`` is called with requests Schemathesis generates from
the spec (well-formed ones, and a malformed one), in process, as a user of each role of the
small company: the admin and the manager signed in by session cookie (with the CSRF header
the dashboard sends), the analyst and a rep by API token. Each answer must

- not be a server error;
- have a status code, content type, headers and body the spec documents for it;
- for a well-formed request, be accepted, unless the API refuses in words values that
  parse but make no sense together (a start after the end): such a 422 says why in one
  sentence, while a 422 listing parameter problems would mean FastAPI rejected what the
  spec allows;
- for a malformed request, be refused;
- be refused without the caller's credential and with a wrong one (Schemathesis's
  ignored-auth check, from the security schemes the spec states);
- for a manager or a rep, name no customer outside their scope (by id or name), unless
  the request itself named it (an echo, as in the links that keep the caller's filters).

Cost: every metric compiles its SQL once per filter shape (which filters are set, see
``marginscope.metrics.templates``), about a second each, so the shared filter parameters
of well-formed requests are pinned to the first quarter: their values are swept by
``test_metrics`` and ``test_injection``. All other parameters and bodies are generated.
The roles share one warehouse, so their queries compile once, and each has its own
application database, so the views, rules and tokens one makes never show in another's
answers. Failures are not shrunk (a slow metric would take minutes): each is reported as
found, with a curl command that reproduces it.
"""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.auths import AuthStorage
from schemathesis.specs.openapi.checks import positive_data_acceptance

import marginscope
from marginscope.api.middleware import SESSION_COOKIE
from marginscope.auth import Auth
from marginscope.config import get_settings
from marginscope.export.xlsx import MEDIA_TYPE as XLSX
from marginscope.export.xlsx import VIEW_SHEET
from marginscope.server import create_app
from tests.api.conftest import BASE_URL, Q1
from tests.api.sweep import ECHOED_FILTER, FILTERS, SEES, outside_scope
from tests.auth.conftest import sign_in

EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}  # per operation and caller
PINNED = FILTERS - {"limit", "offset"}
# Each call prints the page with a fresh Chromium (about 10 s) from the server's own address, which an
# in-process client has not got: tests/export/test_pdf.py prints through a real server, and
# tests/api/test_routes.py checks who may call it.
NOT_FUZZED = {("GET", "/export/pdf")}
# Every role, two by session cookie and two by API token. Ann is the rep whose scope has traps (her sale and
# deal on Bob's customer C2).
CALLERS = [("boss", "session"), ("ada", "token"), ("mia", "session"), ("ann", "token")]


@pytest.fixture(scope="module")
def shared_metrics(company_files, tmp_path_factory):
    """One copy of the company's warehouse for every caller, so each query compiles once."""
    folder = tmp_path_factory.mktemp("fuzzed")
    shutil.copy(company_files / "small.duckdb", folder / "small.duckdb")
    metrics = marginscope.open(f"duckdb://{folder / 'small.duckdb'}")
    yield metrics
    metrics.close()


@pytest.fixture
def caller(request, shared_metrics, company_files, tmp_path, monkeypatch):
    """(username, a client of the app, the credential it signs every request with) over the shared warehouse."""
    username, credential = request.param
    monkeypatch.setenv("MARGINSCOPE_WARM_UP", "false")
    # Rules the fuzz makes must not post anywhere: no webhook host is allowed, and no SMTP server is set.
    monkeypatch.setenv("MARGINSCOPE_ALERT_WEBHOOK_HOSTS", "[]")
    monkeypatch.delenv("MARGINSCOPE_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    shutil.copy(company_files / "app.sqlite3", tmp_path / "app.sqlite3")
    app = create_app(shared_metrics, Auth(tmp_path / "app.sqlite3"))
    with TestClient(app.server, base_url=BASE_URL) as client:
        if credential == "token":
            signed = {"headers": {"Authorization": f"Bearer {app.server.state.auth.tokens.create(username, 'fuzz')[1]}"}}
        else:
            assert sign_in(client, username).status_code == 303
            signed = {"headers": {"X-CSRFToken": client.cookies["_csrf_token"]},
                      "cookies": {SESSION_COOKIE: client.cookies[SESSION_COOKIE]}}
            client.cookies.clear()  # each request carries the session the case was signed with, and only it
        yield username, client, signed


def signing_with(signed: dict) -> AuthStorage:
    """Schemathesis's auth for the caller's credential: set on every case as the configured auth, so that the
    spec's security schemes generate no random credentials, and the ignored-auth check also calls each
    operation without it and with a wrong one (both must be refused)."""

    class Credential:
        def get(self, case, context):
            return signed

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), **data["headers"]}
            if "cookies" in data:
                case.cookies = {**(case.cookies or {}), **data["cookies"]}

    storage = AuthStorage()
    storage.auth()(Credential)
    return storage


def accepted_unless_refused_in_words(ctx, response, case):
    """Schemathesis's positive-data check, but a 422 that says why in one sentence is a refusal of values
    that parse and make no sense together (the spec documents it), not a disagreement with the spec."""
    if response.status_code == 422 and isinstance(response.json().get("detail"), str):
        return None
    return positive_data_acceptance(ctx, response, case)


def nothing_outside_scope_of(username: str):
    hidden = outside_scope(username)

    def nothing_outside_scope(ctx, response, case):
        """No customer outside the caller's scope is named, but for echoes of what the request named."""
        asked = " ".join(map(str, [case.path_parameters, case.query, case.body]))
        shown = {name for name in hidden.findall(ECHOED_FILTER.sub("", shown_text(response))) if name not in asked}
        assert not shown, f"{username} was shown {sorted(shown)}, outside their scope"

    return nothing_outside_scope


def shown_text(response) -> str:
    """What an answer shows, as text: a workbook's cells but its View sheet (which repeats the request)."""
    if response.headers.get("content-type", [""])[0].startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return " ".join(str(value) for sheet in book if sheet.title != VIEW_SHEET
                        for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    return response.content.decode("utf-8", errors="replace")


def pinned_filters(operation) -> dict:
    """The shared filter parameters of a well-formed request to ``operation``: the first quarter, nothing else
    (an empty list sends no value)."""
    declared = {p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "query"}
    return {name: Q1.get(name, []) for name in declared & PINNED}


@pytest.mark.parametrize("caller", CALLERS, indirect=True, ids=[f"{u}-{c}" for u, c in CALLERS])
@pytest.mark.filterwarnings("ignore:Setting per-request cookies:DeprecationWarning")  # the session cookie
def test_every_operation_answers_as_its_spec_says(caller):
    username, client, signed = caller
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json", **signed).json())
    schema.app = client.app  # the ignored-auth check's calls without the credential go to the app in process
    auth = signing_with(signed)
    checks = [accepted_unless_refused_in_words] + ([nothing_outside_scope_of(username)] if username in SEES else [])
    failures, fuzzed = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in NOT_FUZZED:
            continue
        for mode, examples in EXAMPLES.items():

            fixed = pinned_filters(operation) if mode is GenerationMode.POSITIVE else None
            @given(case=operation.as_strategy(generation_mode=mode, auth_storage=auth, query=fixed))
            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def call(case):
                response = client.request(**case.as_transport_kwargs(base_url=BASE_URL))
                case.validate_response(response, excluded_checks=[positive_data_acceptance],
                                       additional_checks=checks)

            try:
                call()
            except (Exception, BaseExceptionGroup) as failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
        fuzzed += 1
    assert fuzzed > 80  # every metric, token, view, audit, alert, ingest and export operation
    assert not failures, "\n\n".join(failures)
