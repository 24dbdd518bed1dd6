"""The JSON shapes of the collector's worklist: a task, a task with what the collector needs
on the phone, a completion with its outcome, and the batch approval."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Output
from api.http.schemas.amounts import Note, PromiseOut
from api.http.schemas.claims import EventOut, HoldOut
from api.http.schemas.debtors import ContactPointOut
from domain.shared.money import format_amount

if TYPE_CHECKING:
    from domain.escalation.tasks import Task
    from domain.services.tasks import Completed, TaskView

MAX_APPROVALS = 30  # domain.services.tasks.MAX_APPROVALS, not imported at cold start

TaskKindName = Annotated[
    Literal["call", "visit", "approval", "judicial_assessment", "verify_contact",
            "check_pass_back", "serve_order", "watch_opposition", "instruct_lawyer",
            "attend_hearing", "serve_judgment", "instruct_enforcement", "declare_claim",
            "company_ceased", "place_summons", "return_collected"],
    Meta(description="`approval`: a ladder step a person approves before it runs; "
                     "`verify_contact`: a channel had no valid contact point, or failed; "
                     "`check_pass_back`: a payment a mandate's recipient collected is due "
                     "to you by then (CPCE R124-6); `declare_claim`: declare the claim to "
                     "the mandataire judiciaire before the deadline; `company_ceased`: Sirene "
                     "records the debtor as ceased; `return_collected`: the title was set "
                     "aside on appeal, give back what its enforcement collected; the "
                     "others: a judicial proceeding's next "
                     "act, opened and closed by its events (POST …/judicial/events)")]
TaskStatusName = Literal["open", "done", "skipped"]
TaskId = Annotated[str, Meta(min_length=1, max_length=64)]


class TaskOut(Output):
    id: str
    claim_id: str
    debtor_id: str
    kind: TaskKindName
    status: TaskStatusName
    title: str
    created_at: datetime
    due_at: Annotated[datetime, Meta(description="When it should be done")]
    step_key: Annotated[str | None, Meta(description=(
        "The ladder step it stands for: completing it moves the claim's ladder on (an "
        "approved step runs)"))]
    policy_version: int | None
    contact_point_id: Annotated[str | None, Meta(description=(
        "The debtor's contact point to use: the number to call, the address to visit or "
        "to check"))]
    assignee: str | None
    outcome: str | None
    note: str | None
    completed_at: datetime | None
    completed_by: str | None
    version: int

    @classmethod
    def of(cls, t: Task) -> TaskOut:
        return cls(
            id=t.id, claim_id=t.claim_id, debtor_id=t.debtor_id, kind=t.kind.value,
            status=t.status.value, title=t.title, created_at=t.created_at,
            due_at=t.due_at, step_key=t.step_key, policy_version=t.policy_version,
            contact_point_id=t.contact_point_id, assignee=t.assignee, outcome=t.outcome,
            note=t.note, completed_at=t.completed_at, completed_by=t.completed_by,
            version=t.version)


class TaskPage(Output):
    items: list[TaskOut]
    next_cursor: str | None


class TaskClaimOut(Output):
    id: str
    currency: str
    phase: str
    outcome: str | None
    hold: HoldOut | None
    outstanding: Annotated[str, Meta(description="What the debtor owed at the claim's last "
                                                 "change; today's figures are in `statement`")]
    version: int


class TaskStatementOut(Output):
    """Today's figures, what is left to pay of each part."""

    at: date
    currency: str
    principal: str
    interest: str
    indemnity: str
    due: Annotated[str, Meta(description="principal + interest + indemnity outstanding")]


class TaskViewOut(Output):
    task: TaskOut
    claim: TaskClaimOut
    statement: Annotated[TaskStatementOut | None, Meta(description=(
        "null while a rate the statement needs is not published (GET "
        "/v1/claims/{id}/statement says which)"))]
    timeline: Annotated[list[EventOut], Meta(description=(
        "The claim's last 10 timeline entries, newest first: the last contacts"))]
    promises: Annotated[list[PromiseOut], Meta(description="Each with its status today")]
    contact_points: list[ContactPointOut]
    phone: Annotated[ContactPointOut | None, Meta(description=(
        "For a call: the number to dial (the task's, or the debtor's first phone not known "
        "to be wrong)"))]

    @classmethod
    def of(cls, view: TaskView) -> TaskViewOut:
        c, s = view.claim, view.statement
        statement = None
        if s is not None:
            t = s.totals
            statement = TaskStatementOut(
                at=s.at, currency=s.currency,
                principal=format_amount(t.principal_outstanding, s.currency),
                interest=format_amount(t.interest_outstanding, s.currency),
                indemnity=format_amount(t.indemnity_outstanding, s.currency),
                due=format_amount(t.due, s.currency))
        return cls(
            task=TaskOut.of(view.task),
            claim=TaskClaimOut(id=c.id, currency=c.currency, phase=c.phase.value,
                               outcome=c.outcome.value if c.outcome else None,
                               hold=HoldOut.of(c.hold) if c.hold else None,
                               outstanding=format_amount(c.outstanding, c.currency),
                               version=c.version),
            statement=statement,
            timeline=[EventOut.of(e) for e in view.timeline],
            promises=[PromiseOut.of(p, c.currency) for p in view.promises],
            contact_points=[ContactPointOut.of(p) for p in view.contact_points],
            phone=ContactPointOut.of(view.phone) if view.phone else None)


class PromiseTakenBody(Input):
    amount: DecimalString
    promised_on: Annotated[date, Meta(description="Today or later, within a year")]


class TaskCompletion(Input):
    __multiline__: ClassVar[frozenset[str]] = frozenset({"note", "dispute_reason"})

    outcome: Annotated[str, Meta(min_length=1, max_length=40, description=(
        "What came of it, one of its kind's: call `reached`, `no_answer`, `wrong_number` "
        "(the phone is marked invalid, a verify_contact task is raised), `promise_made` "
        "(with `promise`: recorded, the claim held until its date), `dispute_raised` (the "
        "dispute opens); visit `met`, `absent`, `moved` (the address is marked invalid, a "
        "verify_contact task is raised); approval `approved`, `rejected`; "
        "judicial_assessment `go_to_court`, `hand_off`, `wait`, `write_off`; "
        "verify_contact `corrected`, `unreachable`; check_pass_back `passed_back`, "
        "`not_passed_back`; declare_claim `declared`, `not_declared`; company_ceased "
        "`noted`, `wrong`; a proceeding's task `done`. Another is refused (422)."))]
    note: Note | None = None
    promise: Annotated[PromiseTakenBody, Meta(description=(
        "The promise the debtor made: required with `promise_made`, refused otherwise"
    ))] | None = None
    dispute_reason: Annotated[str, Meta(max_length=2000, description=(
        "With `dispute_raised` only; default: the note"))] | None = None


class CompletionOut(Output):
    task: TaskOut
    follow_up: Annotated[TaskOut | None, Meta(description=(
        "The verify_contact task a wrong number or a move raised"))]
    promise: PromiseOut | None

    @classmethod
    def of(cls, done: Completed) -> CompletionOut:
        currency = done.claim.currency if done.claim else "EUR"
        return cls(task=TaskOut.of(done.task),
                   follow_up=TaskOut.of(done.follow_up) if done.follow_up else None,
                   promise=PromiseOut.of(done.promise, currency) if done.promise else None)


class ApprovalsBody(Input):
    task_ids: Annotated[list[TaskId], Meta(min_length=1, max_length=MAX_APPROVALS, description=(
        "Open approval tasks: every one is approved, or none (each refused one named in "
        "`errors`)"))]


class ApprovalsOut(Output):
    items: list[TaskOut]
