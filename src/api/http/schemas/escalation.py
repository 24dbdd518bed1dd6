"""The JSON shape of a claim's escalation ladder: its policy, where it is, what is next."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import Output

if TYPE_CHECKING:
    from domain.escalation.policy import Step
    from domain.services.escalation import LadderView


StepState = Literal["done", "next", "to_come", "passed_over"]


class LadderStepOut(Output):
    key: str
    offset_days: int
    anchor: str
    channels: list[str]
    manual: bool
    state: Annotated[StepState, Meta(
        description="`done`: ran, was skipped or passed over before; `next`: the step the "
                    "ladder waits for; `passed_over`: its conditions exclude this claim "
                    "(the debtor's kind, a minimum outstanding)")]


class NextStepOut(Output):
    kind: Annotated[Literal["due", "waiting", "paused", "stopped", "finished"], Meta(
        description="`due`: `step` runs on `due_on`, at `at` (business days, contact "
                    "windows); `waiting`: a manual step waits for a person, or the formal "
                    "notice was not sent; `paused`: held (until `resume_on` when the hold ends "
                    "by itself); `stopped`: closed or nothing unpaid; `finished`")]
    step: str | None
    due_on: date | None
    at: Annotated[datetime | None, Meta(description="UTC")]
    overdue: Annotated[bool, Meta(description="Its day has passed: it runs once, late")]
    resume_on: date | None
    reason: str


class LadderOut(Output):
    claim_id: str
    policy_id: str
    policy_version: int
    holiday_region: Annotated[str | None, Meta(
        description="The debtor's public-holiday region (e.g. `57`, `6AE`, `974`), from its "
                    "postal address; none: metropolitan France's national list")]
    last_contact_on: date | None
    awaiting_step: str | None
    next: NextStepOut
    steps: list[LadderStepOut]

    @classmethod
    def of(cls, claim_id: str, view: LadderView) -> LadderOut:
        plan, today = view.plan, view.today

        def state(i: int) -> StepState:
            if i < view.progress.next_index:
                return "done"
            if i in plan.passed_over:
                return "passed_over"
            return "next" if i == plan.index else "to_come"

        return cls(
            claim_id=claim_id, policy_id=view.policy_id, policy_version=view.policy_version,
            holiday_region=view.region, last_contact_on=view.progress.last_contact_on,
            awaiting_step=view.progress.awaiting,
            next=NextStepOut(
                kind=plan.kind.value,
                step=plan.step.key if plan.step else None, due_on=plan.due_on, at=view.at,
                overdue=plan.due_on is not None and plan.due_on < today,
                resume_on=plan.resume_on, reason=plan.reason),
            steps=[_step(s, state(i)) for i, s in enumerate(view.steps)])


def _step(step: Step, state: StepState) -> LadderStepOut:
    return LadderStepOut(key=step.key, offset_days=step.offset_days, anchor=step.anchor.value,
                         channels=[c.value for c in step.channels], manual=step.manual,
                         state=state)
