"""Use cases of the collector's worklist: list the tasks, read one with what a person needs
on the phone (the statement, the last contacts, the promises, the number to call), complete
one with its outcome, and approve the day's approvals at once.

Completing a task is one atomic write: the task, the claim with a `task_completed` entry on
its timeline, and what the outcome does (a promise recorded, a dispute opened, a phone or
an address marked invalid with a task to find the right one). A task that stands for a
ladder step then hands over to escalation, after the commit (escalation_hooks): the ladder
moves on, or runs the approved step, only once the outcome is stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.claims import events, lifecycle
from domain.claims.model import Claim, ClaimEvent, HoldReason
from domain.debtors.model import ContactKind, ContactPoint, Debtor
from domain.debtors.validation import marked_invalid
from domain.escalation.tasks import OUTCOMES, Task, TaskKind, TaskStatus
from domain.ports.repositories import Page, PageRequest
from domain.ports.tasks import TaskFilter
from domain.ports.unit_of_work import UnitOfWork
from domain.services import escalation_hooks
from domain.services.caller import Caller, Ports
from domain.shared.dates import outside_window
from domain.shared.errors import (
    Conflict,
    DomainValidationError,
    FieldError,
    NotFound,
    RateUnknown,
)
from domain.shared.ids import new_id
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if

if TYPE_CHECKING:  # the ledger and the promises: loaded by the use cases that need them
    from domain.amounts.ledger import Statement
    from domain.amounts.promises import PaymentPromise
    from domain.services.amounts import Change

# What a collector glances at before a call: the claim's last entries, newest first.
TIMELINE_ENTRIES = 10
# One batch approval is one atomic write: per task its save and its timeline entry, and
# the claim once: 30 tasks on 30 claims take 90 of the 100 actions a transaction allows.
MAX_APPROVALS = 30


# ---------------------------------------------------------------------------- list

def list_tasks(filter: TaskFilter, page: PageRequest, caller: Caller,
               ports: Ports) -> Page[Task]:
    """The worklist: tasks of one status (open by default), the earliest due first.

    Raises DomainValidationError: `due_before` without its offset, or out of range."""
    if filter.due_before is not None:
        if filter.due_before.tzinfo is None or filter.due_before.utcoffset() is None:
            raise DomainValidationError("due_before", "give the instant with its offset "
                                        "(e.g. 2026-03-10T18:00:00+01:00)", code="no_offset")
        # Before any arithmetic on it: 0001-01-01T00:00+01:00 has no UTC instant.
        if (error := outside_window(filter.due_before.date(), ports.clock.now().date(),
                                    "due_before")) is not None:
            raise DomainValidationError.many([error])
    return ports.unit_of_work().tasks.list_tasks(caller.creditor_id, filter, page)


# ---------------------------------------------------------------------------- read

@dataclass(frozen=True, slots=True)
class TaskView:
    """A task with what its claim and debtor say today."""

    task: Task
    claim: Claim
    today: date  # in the claim's time zone
    statement: Statement | None  # None while a rate it needs is not published
    timeline: list[ClaimEvent]  # the last entries, newest first
    promises: list[PaymentPromise]  # each with its status as of today
    contact_points: list[ContactPoint]
    phone: ContactPoint | None  # for a call: the number to dial


def get_task(task_id: str, caller: Caller, ports: Ports) -> TaskView:
    """Raises NotFound (no such task, or its claim or debtor is gone)."""
    from domain.amounts.promises import resolve_promise

    uow = ports.unit_of_work()
    task = _task(uow, caller, task_id)
    found = uow.claims.get_claim_account(caller.creditor_id, task.claim_id)
    if found is None:
        raise NotFound("claim", task.claim_id)
    claim, account = found
    debtor = uow.debtors.get_debtor(caller.creditor_id, claim.debtor_id)
    if debtor is None:
        raise NotFound("debtor", claim.debtor_id)
    today = claim.today(ports.clock.now())
    statement: Statement | None
    try:
        statement = account.statement(claim, today, ports.rates.rate_tables())
    except RateUnknown:
        # The call still has to be made: the worklist shows the claim without the figures
        # until the operator publishes the rate (GET …/statement says which).
        statement = None
    return TaskView(
        task=task, claim=claim, today=today, statement=statement,
        timeline=uow.claims.latest_events(caller.creditor_id, claim.id, TIMELINE_ENTRIES),
        promises=[resolve_promise(p, account.payments, today) for p in account.promises],
        contact_points=list(debtor.contact_points),
        phone=phone_to_call(task, debtor) if task.kind is TaskKind.CALL else None)


def phone_to_call(task: Task, debtor: Debtor) -> ContactPoint | None:
    """The task's number; a task that names none calls the debtor's first phone not known
    to be wrong."""
    phones = [p for p in debtor.contact_points if p.kind is ContactKind.PHONE]
    if task.contact_point_id is not None:
        return next((p for p in phones if p.id == task.contact_point_id), None)
    return next((p for p in phones if not _invalid(p)), None)


def _task(uow: UnitOfWork, caller: Caller, task_id: str) -> Task:
    task = uow.tasks.get_task(caller.creditor_id, task_id)
    if task is None:
        raise NotFound("task", task_id)
    return task


# ---------------------------------------------------------------------------- complete

@dataclass(frozen=True, slots=True)
class PromiseTaken:
    """A promise the debtor made on the call: recorded as POST …/promises records one."""

    amount: str
    promised_on: date


@dataclass(frozen=True, slots=True)
class TaskCompletion:
    outcome: str
    note: str | None = None
    promise: PromiseTaken | None = None  # for `promise_made`, and only for it
    dispute_reason: str | None = None  # for `dispute_raised`, and only for it


@dataclass(frozen=True, slots=True)
class Completed:
    task: Task
    follow_up: Task | None = None  # the verify_contact task a wrong number or a move raised
    promise: PaymentPromise | None = None
    claim: Claim | None = None


def _completion_errors(task: Task, completion: TaskCompletion) -> list[FieldError]:
    allowed = OUTCOMES[task.kind]
    if completion.outcome not in allowed:
        return [FieldError("outcome", f"a {task.kind.value} task ends with one of "
                           f"{', '.join(sorted(allowed))}", "invalid_outcome")]
    errors = []
    promised = completion.outcome == "promise_made"
    if promised and completion.promise is None:
        errors.append(FieldError("promise", "a promise made needs its amount and date",
                                 "required"))
    elif not promised and completion.promise is not None:
        errors.append(FieldError("promise", "only with the outcome promise_made",
                                 "not_allowed"))
    if completion.dispute_reason is not None and completion.outcome != "dispute_raised":
        errors.append(FieldError("dispute_reason", "only with the outcome dispute_raised",
                                 "not_allowed"))
    return errors


@retry_on_stale
def complete_task(task_id: str, completion: TaskCompletion, caller: Caller,
                  ports: Ports) -> Completed:
    """Record what came of a task, and do what the outcome says, in one atomic write.

    Raises
    ------
    NotFound
        No such task (or its claim) for this creditor.
    DomainValidationError
        The outcome is not one of the task's kind (`outcome`); a promise missing, or given
        for another outcome (`promise`, `promise.amount`, `promise.promised_on`).
    Conflict
        The task is not open (completed or skipped already).
    ActionNotAllowed
        The claim's state refuses what the outcome does (a promise on a closed claim).
    """
    from domain.services.amounts import _load

    with ports.unit_of_work() as uow:
        task = _task(uow, caller, task_id)
        raise_if(_completion_errors(task, completion))
        if task.status is not TaskStatus.OPEN:
            raise Conflict(f"task {task.id} is {task.status.value}: it was completed already"
                           if task.status is TaskStatus.DONE
                           else f"task {task.id} is {task.status.value}: it cannot be "
                           "completed")
        change = _load(uow, ports, caller, task.claim_id)
        done = _done(task, completion.outcome, completion.note, caller,
                     change.claim.updated_at)
        uow.tasks.save_task(done, task.version)
        change.record(events.TaskCompleted(
            reason=completion.note, task_id=task.id, kind=task.kind.value,
            outcome=completion.outcome, step_key=task.step_key))
        follow_up, promise = None, None
        with_account = False
        match (task.kind, completion.outcome):
            case (TaskKind.CALL, "promise_made"):
                promise = _promise(change, completion, ports)
                with_account = True
            case (TaskKind.CALL, "dispute_raised"):
                _dispute(change, completion)
            case (TaskKind.CALL, "wrong_number"):
                follow_up = _contact_failed(uow, change, task, "call")
            case (TaskKind.VISIT, "moved"):
                follow_up = _contact_failed(uow, change, task, "visit")
            case _:
                pass  # recorded: the ladder (the hook below) does the rest, if anything
        if with_account:
            from domain.services.amounts import stage_change

            stage_change(uow, change)
        else:  # the account did not change: not rewritten
            uow.claims.save_claim(change.claim, change.entries, change.expected_version)
        _hand_over(uow, [done], caller, ports)
        uow.commit()
    return Completed(done, follow_up, promise, change.claim)


def _done(task: Task, outcome: str, note: str | None, caller: Caller, at: datetime) -> Task:
    return replace(task, status=TaskStatus.DONE, outcome=outcome, note=note,
                   completed_at=at, completed_by=caller.actor, version=task.version + 1)


def _hand_over(uow: UnitOfWork, done: list[Task], caller: Caller, ports: Ports) -> None:
    """Each step's task goes to escalation once the commit succeeded: never for an outcome
    that was not stored."""
    for task in done:
        if task.step_key is not None:
            uow.after_commit(_hook(task, caller, ports))


def _hook(task: Task, caller: Caller, ports: Ports) -> Callable[[], None]:
    outcome = task.outcome or ""
    return lambda: escalation_hooks.step_task_completed(task, outcome, caller, ports)


def _promise(change: Change, completion: TaskCompletion, ports: Ports) -> PaymentPromise:
    from domain.services.amounts import PromiseDraft, _settle, apply_promise

    taken = completion.promise
    assert taken is not None  # _completion_errors
    try:
        promise = apply_promise(change, PromiseDraft(
            amount=taken.amount, promised_on=taken.promised_on, channel="phone",
            note=completion.note))
    except DomainValidationError as exc:
        raise exc.prefixed("promise") from None
    _settle(change, ports)
    return promise


def _dispute(change: Change, completion: TaskCompletion) -> None:
    """Opens the dispute, as POST …/actions/open_dispute does; a claim already disputed
    stays so (the debtor said it again: the completion is the trace)."""
    claim = change.claim
    if claim.hold is not None and claim.hold.reason is HoldReason.DISPUTE:
        return
    change.record(lifecycle.apply_manual(claim, "open_dispute", claim.updated_at,
                                         completion.dispute_reason or completion.note))


_FAILED = {
    # channel: (contact kind, reason, message, follow-up task title)
    "call": (ContactKind.PHONE, "wrong_number",
             "A collector called this number: it is not the debtor's.",
             "Find the debtor's right phone number"),
    "visit": (ContactKind.POSTAL_ADDRESS, "moved",
              "A collector visited: the debtor no longer lives or works here.",
              "Find the debtor's new postal address"),
}


def _contact_failed(uow: UnitOfWork, change: Change, task: Task, channel: str) -> Task:
    """The call reached someone else, or the debtor moved: the contact point is marked
    invalid on the debtor (no channel uses it again), and a person is asked to find the
    right one (a verify_contact task).

    Which points: the task's own; a task that names none, for a call the number it offered
    (phone_to_call), for a visit every postal address not already invalid."""
    kind, reason, message, title = _FAILED[channel]
    claim = change.claim
    now = claim.updated_at
    debtor = uow.debtors.get_debtor(claim.creditor_id, claim.debtor_id)
    failed: list[str] = []
    if debtor is not None:
        if kind is ContactKind.PHONE:
            phone = phone_to_call(task, debtor)
            failed = [phone.id] if phone is not None else []
        else:
            failed = [p.id for p in debtor.contact_points if p.kind is kind
                      and (p.id == task.contact_point_id if task.contact_point_id
                           else not _invalid(p))]
        if failed:
            expected = debtor.version
            points = [marked_invalid(p, reason, message, now) if p.id in failed else p
                      for p in debtor.contact_points]
            uow.debtors.save_debtor(replace(debtor, contact_points=points,
                                            version=debtor.version + 1, updated_at=now),
                                    expected, debtor.external_reference)
    for point_id in failed:
        change.record(events.ContactToVerify(contact_point_id=point_id, channel=channel,
                                             cause=reason))
    follow_up = Task(
        id=new_id("tsk"), creditor_id=task.creditor_id, claim_id=task.claim_id,
        debtor_id=task.debtor_id, kind=TaskKind.VERIFY_CONTACT, status=TaskStatus.OPEN,
        created_at=now, due_at=now, title=title,
        contact_point_id=failed[0] if failed else task.contact_point_id,
        assignee=task.assignee)
    uow.tasks.add_task(follow_up)
    return follow_up


def _invalid(point: ContactPoint) -> bool:
    return point.validation is not None and point.validation.status == "invalid"


# ---------------------------------------------------------------------------- approve

@retry_on_stale
def approve_tasks(task_ids: list[str], caller: Caller, ports: Ports) -> list[Task]:
    """Approve many approval tasks at once (the day's formal notices): every one or none.

    Raises DomainValidationError naming each refused id (`task_ids[i]`: unknown, not an
    approval, not open, listed twice) without approving any."""
    from domain.services.amounts import _load

    if not task_ids:
        raise DomainValidationError("task_ids", "name at least one task", code="required")
    if len(task_ids) > MAX_APPROVALS:
        raise DomainValidationError("task_ids", f"at most {MAX_APPROVALS} tasks at once",
                                    code="too_many")
    with ports.unit_of_work() as uow:
        errors: list[FieldError] = []
        tasks: list[Task] = []
        seen: dict[str, int] = {}
        for i, task_id in enumerate(task_ids):
            path = f"task_ids[{i}]"
            if task_id in seen:
                errors.append(FieldError(path, f"already listed at task_ids[{seen[task_id]}]",
                                         "duplicate"))
                continue
            seen[task_id] = i
            task = uow.tasks.get_task(caller.creditor_id, task_id)
            if task is None:
                errors.append(FieldError(path, f"no task {task_id!r}", "unknown_task"))
            elif task.kind is not TaskKind.APPROVAL:
                errors.append(FieldError(path, f"task {task_id} is a {task.kind.value} task, "
                                         "not an approval", "not_an_approval"))
            elif task.status is not TaskStatus.OPEN:
                errors.append(FieldError(path, f"task {task_id} is {task.status.value}",
                                         "not_open"))
            else:
                tasks.append(task)
        raise_if(errors)
        changes: dict[str, Change] = {}
        approved: list[Task] = []
        for task in tasks:
            change = changes.get(task.claim_id) or _load(uow, ports, caller, task.claim_id)
            changes[task.claim_id] = change
            done = _done(task, "approved", None, caller, change.claim.updated_at)
            uow.tasks.save_task(done, task.version)
            change.record(events.TaskCompleted(task_id=task.id, kind=task.kind.value,
                                               outcome="approved", step_key=task.step_key))
            approved.append(done)
        for change in changes.values():
            uow.claims.save_claim(change.claim, change.entries, change.expected_version)
        _hand_over(uow, approved, caller, ports)
        uow.commit()
    return approved


__all__ = ["Completed", "PromiseTaken", "TaskCompletion", "TaskView", "approve_tasks",
           "complete_task", "get_task", "list_tasks", "phone_to_call"]
