"""Alert rules and the history of alerts (see :mod:`marginscope.alerts`).

Everyone manages their own rules and sees their own alerts; an admin sees everyone's.
A rule runs as its owner, so it only ever finds what its owner may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeAlias

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, Field

from marginscope.alerts import KINDS, AlertEvaluator, Channels, RuleError
from marginscope.alerts.store import NAME_LENGTH, AlertEvent, Rule
from marginscope.api.deps import FOR_ADMINS, AdminUser, CurrentUser
from marginscope.api.results import MAX_ROW_NUMBER
from marginscope.api.routes.audit import record
from marginscope.url_state import parse, to_search

router = APIRouter(prefix="/alerts", tags=["alerts"])

RuleId = Annotated[int, Path(ge=1, le=MAX_ROW_NUMBER, description="The rule's id")]
# A Literal built from the registry's names, which a type checker cannot read (FastAPI and pydantic can).
KindName: TypeAlias = Literal[tuple(KINDS)]  # type: ignore[valid-type]


def get_evaluator(request: Request) -> AlertEvaluator:
    return request.app.state.alerts


EvaluatorDep = Annotated[AlertEvaluator, Depends(get_evaluator)]


class RuleOut(BaseModel):
    rule_id: int
    owner: str
    name: str
    kind: str
    description: str = Field(description="What the rule watches, in words")
    params: dict[str, Any]
    search: str = Field(description="The filters it watches, as a dashboard query string")
    emails: list[str]
    slack: str | None
    teams: str | None
    enabled: bool
    created_at: str

    @classmethod
    def of(cls, rule: Rule) -> RuleOut:
        return cls(rule_id=rule.rule_id, owner=rule.owner, name=rule.name, kind=rule.kind,
                   description=rule.description, params=rule.params, search=rule.search,
                   emails=list(rule.channels.emails), slack=rule.channels.slack, teams=rule.channels.teams,
                   enabled=rule.enabled, created_at=rule.created_at)


class NewRule(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    kind: KindName = Field(description="What to watch: " + "; ".join(f"{k.name}: {k.title}" for k in KINDS.values()))
    params: dict[str, Any] = Field(default_factory=dict, description="The kind's parameters (see GET /alerts/kinds)")
    search: str = Field("", description="Filters to watch, as a dashboard query string; dates are ignored",
                        examples=["?region=North&tier=Gold"])
    emails: list[str] = Field(default_factory=list, max_length=20)
    slack: str | None = Field(None, description="A Slack incoming-webhook URL")
    teams: str | None = Field(None, description="A Microsoft Teams incoming-webhook URL")


class RuleChange(BaseModel):
    enabled: bool


class ConditionOut(BaseModel):
    key: str
    subject: str
    message: str
    path: str
    values: dict[str, Any]


class Evaluation(BaseModel):
    rule_id: int
    name: str
    conditions: int
    fired: int
    cleared: int
    delivery: dict[str, str]
    error: str | None


def _found(evaluator: AlertEvaluator, user, rule_id: int) -> Rule:
    try:
        return evaluator.store.get(user, rule_id)
    except RuleError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/kinds", summary="The kinds of rule and their parameters")
def kinds() -> list[dict[str, Any]]:
    return [{"kind": k.name, "title": k.title, "params": k.params.model_json_schema()} for k in KINDS.values()]


@router.get("/rules", summary="Your rules (an admin's: everyone's)")
def list_rules(user: CurrentUser, evaluator: EvaluatorDep) -> list[RuleOut]:
    return [RuleOut.of(rule) for rule in evaluator.store.rules(user)]


@router.post("/rules", status_code=status.HTTP_201_CREATED, summary="Make a rule")
def create_rule(body: NewRule, user: CurrentUser, evaluator: EvaluatorDep, request: Request) -> RuleOut:
    """The rule is checked (parameters, email addresses, webhook hosts); a problem is a 422 naming the field."""
    filters = parse(body.search).filters.with_range(None, None)
    try:
        rule = evaluator.store.add(user, body.name, body.kind, body.params, to_search(filters),
                                   Channels(emails=tuple(body.emails), slack=body.slack, teams=body.teams))
    except RuleError as exc:
        raise HTTPException(422, str(exc)) from None
    record(request, "alert_rule_saved", user.username, rule_id=rule.rule_id, kind=rule.kind, name=rule.name)
    return RuleOut.of(rule)


@router.get("/rules/{rule_id}", summary="One rule", responses={404: {"description": "No such rule for you"}})
def get_rule(rule_id: RuleId, user: CurrentUser, evaluator: EvaluatorDep) -> RuleOut:
    return RuleOut.of(_found(evaluator, user, rule_id))


@router.patch("/rules/{rule_id}", summary="Pause or resume a rule",
              responses={404: {"description": "No such rule for you"}})
def change_rule(rule_id: RuleId, body: RuleChange, user: CurrentUser, evaluator: EvaluatorDep) -> RuleOut:
    _found(evaluator, user, rule_id)
    return RuleOut.of(evaluator.store.set_enabled(user, rule_id, body.enabled))


@router.delete("/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a rule and its history",
               responses={404: {"description": "No such rule for you"}})
def delete_rule(rule_id: RuleId, user: CurrentUser, evaluator: EvaluatorDep, request: Request) -> None:
    _found(evaluator, user, rule_id)
    evaluator.store.delete(user, rule_id)
    record(request, "alert_rule_deleted", user.username, rule_id=rule_id)


@router.get("/rules/{rule_id}/conditions", summary="What the rule finds now (nothing is sent)",
            responses={404: {"description": "No such rule for you"}})
def rule_conditions(rule_id: RuleId, user: CurrentUser, evaluator: EvaluatorDep,
                    as_of: Annotated[dt.date | None, Query(description="Default: the latest invoice date")] = None,
                    ) -> list[ConditionOut]:
    rule = _found(evaluator, user, rule_id)
    as_of = as_of or evaluator.as_of()
    if as_of is None:
        return []
    return [ConditionOut(**vars(c)) for c in evaluator.evaluate_rule(rule, as_of)]


@router.get("/events", summary="Alerts sent, newest first (yours; an admin's: everyone's)")
def list_events(user: CurrentUser, evaluator: EvaluatorDep,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                offset: Annotated[int, Query(ge=0, le=MAX_ROW_NUMBER)] = 0) -> list[AlertEvent]:
    return evaluator.store.events(user, limit, offset)


@router.post("/run", summary="Evaluate every rule now (admins)", responses=FOR_ADMINS)
def run_now(_admin: AdminUser, evaluator: EvaluatorDep,
            as_of: Annotated[dt.date | None, Query(description="Default: the latest invoice date")] = None,
            ) -> list[Evaluation]:
    """As after a load: new conditions are sent and recorded once."""
    return [Evaluation(rule_id=o.rule.rule_id, name=o.rule.name, conditions=o.conditions, fired=len(o.fired),
                       cleared=o.cleared, delivery=o.delivery, error=o.error)
            for o in evaluator.run("api", as_of)]
