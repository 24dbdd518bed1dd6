"""The worklist through its use cases, on the fakes: a task's view (today's figures, the
last entries, the promises, the number to call), each outcome's effect stored in the same
write as the task and its timeline entry, the escalation hook after the commit only, and
the batch approval, every task or none.

Tasks are added straight to the repository: the ladder that creates them is escalation's.
Figures: B2B 2026 S1 = ECB 2.15 + 10 = 12.15 %; the clock is 2026-03-10 09:30 UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain import services
from domain.claims.model import HoldReason
from domain.creditors.model import Address
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.ports.repositories import PageRequest
from domain.ports.tasks import TaskFilter
from domain.services import amounts, escalation_hooks, queries, tasks
from domain.services.caller import Caller
from domain.services.tasks import PromiseTaken, TaskCompletion
from domain.shared.errors import ActionNotAllowed, Conflict, DomainValidationError, NotFound
from tests.fakes import FakeWorld
from tests.service.conftest import NOW
from tests.service.test_amounts import B2B_2026_S1, interest, timeline

ADDRESS = PostalAddress("Boulangerie Martin SAS", ("12 rue de la Paix",), "75002", "Paris",
                        "FR")


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What escalation was handed: (task id, outcome), in order."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(escalation_hooks, "step_task_completed",
                        lambda task, outcome, caller, ports: calls.append((task.id, outcome)))
    return calls


def claim_on_debtor(world: FakeWorld, caller: Caller, *, phones: int = 1,
                    addresses: int = 1, number: str = "F-1") -> tuple[str, str]:
    points = [services.ContactPointDraft(ContactKind.EMAIL, value="compta@martin.fr")]
    points += [services.ContactPointDraft(ContactKind.PHONE, value=f"06 12 34 56 7{n}")
               for n in range(phones)]
    points += [services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=ADDRESS)
               for _ in range(addresses)]
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=points), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            number, date(2026, 1, 15), date(2026, 2, 15), "5000.00")]), caller, world.ports)
    return claim.id, debtor.id


def point(world: FakeWorld, caller: Caller, debtor_id: str, kind: ContactKind,
          n: int = 0) -> Any:
    found = [p for p in services.get_debtor(debtor_id, caller, world.ports).contact_points
             if p.kind is kind]
    return found[n]


def add_task(world: FakeWorld, caller: Caller, claim_id: str, debtor_id: str, *,
             n: int = 1, kind: TaskKind = TaskKind.CALL, step_key: str | None = "call_1",
             contact_point_id: str | None = None, due: datetime = NOW,
             assignee: str | None = None) -> Task:
    task = Task(id=f"tsk_{n}", creditor_id=caller.creditor_id, claim_id=claim_id,
                debtor_id=debtor_id, kind=kind, status=TaskStatus.OPEN, created_at=NOW,
                due_at=due, title="Call the debtor about the overdue invoice",
                step_key=step_key, policy_version=1, contact_point_id=contact_point_id,
                assignee=assignee)
    with world.ports.unit_of_work() as uow:
        uow.tasks.add_task(task)
        uow.commit()
    return task


def stored(world: FakeWorld, caller: Caller, task_id: str) -> Task:
    task = world.ports.unit_of_work().tasks.get_task(caller.creditor_id, task_id)
    assert task is not None
    return task


def complete(world: FakeWorld, caller: Caller, task_id: str, outcome: str,
             **extra: Any) -> tasks.Completed:
    return tasks.complete_task(task_id, TaskCompletion(outcome, **extra), caller, world.ports)


def open_tasks(world: FakeWorld, caller: Caller, **filters: Any) -> list[Task]:
    return tasks.list_tasks(TaskFilter(**filters), PageRequest(100), caller,
                            world.ports).items


# ------------------------------------------------------------------------ the view


def test_a_call_shows_todays_figures_the_last_entries_the_promises_and_the_phone(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller, phones=2)
    for n in range(10):  # with the opening and the promise: past the last ten
        services.apply_action(claim_id, services.ActionRequest(
            "resume" if n % 2 else "hold", reason=f"step {n}"), caller, world.ports)
    amounts.record_promise(claim_id, amounts.PromiseDraft(
        "1000.00", date(2026, 3, 20), "email"), caller, world.ports)
    second_phone = point(world, caller, debtor_id, ContactKind.PHONE, 1)
    task = add_task(world, caller, claim_id, debtor_id, contact_point_id=second_phone.id)
    view = tasks.get_task(task.id, caller, world.ports)
    assert view.task == task
    assert view.claim.id == claim_id and view.today == date(2026, 3, 10)
    late = interest("5000.00", 23, B2B_2026_S1)  # 16 Feb - 10 Mar
    assert view.statement is not None
    totals = view.statement.totals
    assert (totals.principal, totals.interest, totals.indemnity) == (
        Decimal("5000.00"), late, Decimal("40.00"))
    assert totals.due == Decimal("5040.00") + late
    whole = timeline(world, caller, claim_id)
    assert len(whole) > 10
    assert view.timeline == whole[::-1][:10]  # the last ten, newest first
    assert view.timeline[0].action == "record_promise"
    assert [(p.amount, p.status.value) for p in view.promises] == [
        (Decimal("1000.00"), "pending")]
    assert view.phone == second_phone  # the task's own number, not the first
    assert [p.kind for p in view.contact_points] == [
        ContactKind.EMAIL, ContactKind.PHONE, ContactKind.PHONE, ContactKind.POSTAL_ADDRESS]


def test_a_call_naming_no_number_dials_the_first_phone_not_known_wrong(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller, phones=2)
    first = add_task(world, caller, claim_id, debtor_id, n=1)
    complete(world, caller, first.id, "wrong_number")
    second = add_task(world, caller, claim_id, debtor_id, n=2)
    assert tasks.get_task(second.id, caller, world.ports).phone == point(
        world, caller, debtor_id, ContactKind.PHONE, 1)


def test_a_visit_has_no_phone_and_another_tenants_task_is_not_found(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id, kind=TaskKind.VISIT)
    assert tasks.get_task(task.id, caller, world.ports).phone is None
    other = Caller(services.create_creditor(services.CreditorDraft(
        legal_name="Autre SARL", siren="552100554",
        address=Address(("1 rue",), "75001", "Paris", "FR")), world.ports).id, "erp")
    with pytest.raises(NotFound):
        tasks.get_task(task.id, other, world.ports)
    with pytest.raises(NotFound):
        complete(world, other, task.id, "met")
    assert stored(world, caller, task.id).status is TaskStatus.OPEN


# ------------------------------------------------------------------------ outcomes


def test_a_call_reached_is_recorded_on_the_task_and_the_timeline_in_one_write(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    commits = world.db.commits
    done = complete(world, caller, task.id, "reached", note="will call back Friday").task
    assert world.db.commits == commits + 1
    assert stored(world, caller, task.id) == done
    assert (done.status, done.outcome, done.note, done.completed_by, done.completed_at,
            done.version) == (TaskStatus.DONE, "reached", "will call back Friday", "erp",
                              NOW, 2)
    last = timeline(world, caller, claim_id)[-1]
    assert (last.action, last.reason, last.data) == (
        "task_completed", "will call back Friday",
        {"task_id": task.id, "kind": "call", "outcome": "reached", "step_key": "call_1"})
    assert hooks == [(task.id, "reached")]
    assert open_tasks(world, caller) == []


def test_an_outcome_of_another_kind_is_refused_and_nothing_is_stored(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    commits = world.db.commits
    with pytest.raises(DomainValidationError) as refused:
        complete(world, caller, task.id, "approved")
    assert [(e.field, e.code) for e in refused.value.errors] == [("outcome", "invalid_outcome")]
    with pytest.raises(DomainValidationError) as refused:
        complete(world, caller, task.id, "reached", promise=PromiseTaken("10.00",
                                                                         date(2026, 3, 20)))
    assert [e.field for e in refused.value.errors] == ["promise"]
    assert world.db.commits == commits and hooks == []
    assert stored(world, caller, task.id) == task


def test_a_task_is_completed_once(world: FakeWorld, caller: Caller,
                                  hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    complete(world, caller, task.id, "no_answer")
    with pytest.raises(Conflict):
        complete(world, caller, task.id, "reached")
    assert stored(world, caller, task.id).outcome == "no_answer"
    assert [e.action for e in timeline(world, caller, claim_id)].count("task_completed") == 1
    assert hooks == [(task.id, "no_answer")]


def test_a_completion_racing_another_finds_the_task_done(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    world.race_once(lambda: complete(world, caller, task.id, "reached"))
    with pytest.raises(Conflict):  # replayed on the stale version, then refused
        complete(world, caller, task.id, "no_answer")
    assert stored(world, caller, task.id).outcome == "reached"
    assert hooks == [(task.id, "reached")]


def test_a_promise_made_on_the_call_is_recorded_and_holds_the_claim(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    with pytest.raises(DomainValidationError) as refused:
        complete(world, caller, task.id, "promise_made")
    assert [(e.field, e.code) for e in refused.value.errors] == [("promise", "required")]
    with pytest.raises(DomainValidationError) as refused:
        complete(world, caller, task.id, "promise_made",
                 promise=PromiseTaken("1000.00", date(2026, 3, 9)))
    assert [e.field for e in refused.value.errors] == ["promise.promised_on"]
    with pytest.raises(DomainValidationError) as refused:
        complete(world, caller, task.id, "promise_made",
                 promise=PromiseTaken("-5", date(2026, 3, 20)))
    assert [e.field for e in refused.value.errors] == ["promise.amount"]
    done = complete(world, caller, task.id, "promise_made", note="pays on the 20th",
                    promise=PromiseTaken("1000.00", date(2026, 3, 20)))
    assert done.promise is not None
    claim, account = queries.claim_account(claim_id, caller, world.ports)
    assert [(p.id, p.amount, p.promised_on, p.channel, p.note) for p in account.promises] == [
        (done.promise.id, Decimal("1000.00"), date(2026, 3, 20), "phone", "pays on the 20th")]
    assert claim.hold is not None and claim.hold.reason is HoldReason.PROMISE
    assert claim.hold.until == date(2026, 3, 23)  # the promised day and 3 days' grace
    assert [e.action for e in timeline(world, caller, claim_id)][-2:] == [
        "task_completed", "record_promise"]
    assert stored(world, caller, task.id).status is TaskStatus.DONE


def test_a_promise_on_a_closed_claim_is_refused_and_the_task_stays_open(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id)
    services.apply_action(claim_id, services.ActionRequest("cancel"), caller, world.ports)
    with pytest.raises(ActionNotAllowed):
        complete(world, caller, task.id, "promise_made",
                 promise=PromiseTaken("1000.00", date(2026, 3, 20)))
    assert stored(world, caller, task.id).status is TaskStatus.OPEN


def test_a_dispute_raised_on_the_call_opens_it(world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    first = add_task(world, caller, claim_id, debtor_id, n=1)
    complete(world, caller, first.id, "dispute_raised", dispute_reason="goods not delivered")
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.hold is not None and claim.hold.reason is HoldReason.DISPUTE
    assert claim.hold.note == "goods not delivered"
    entries = timeline(world, caller, claim_id)
    assert [e.action for e in entries][-2:] == ["task_completed", "open_dispute"]
    # Said again on a later call: still disputed, the completion is the trace.
    second = add_task(world, caller, claim_id, debtor_id, n=2)
    complete(world, caller, second.id, "dispute_raised")
    assert [e.action for e in timeline(world, caller, claim_id)][len(entries):] == [
        "task_completed"]


def test_a_wrong_number_marks_the_phone_invalid_and_asks_for_the_right_one(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller, phones=2)
    phone = point(world, caller, debtor_id, ContactKind.PHONE, 1)
    task = add_task(world, caller, claim_id, debtor_id, contact_point_id=phone.id,
                    assignee="alice")
    commits = world.db.commits
    follow_up = complete(world, caller, task.id, "wrong_number").follow_up
    assert world.db.commits == commits + 1
    marked = point(world, caller, debtor_id, ContactKind.PHONE, 1)
    assert marked.validation is not None
    assert (marked.validation.status, marked.validation.reasons) == ("invalid",
                                                                     ("wrong_number",))
    assert marked.value == phone.value  # kept as given
    other = point(world, caller, debtor_id, ContactKind.PHONE, 0)
    assert other.validation is not None and other.validation.status != "invalid"
    assert follow_up is not None
    assert [(t.id, t.kind, t.contact_point_id, t.assignee, t.step_key, t.due_at)
            for t in open_tasks(world, caller)] == [
        (follow_up.id, TaskKind.VERIFY_CONTACT, phone.id, "alice", None, NOW)]
    last = timeline(world, caller, claim_id)[-1]
    assert (last.action, last.data) == ("verify_contact", {
        "contact_point_id": phone.id, "channel": "call", "cause": "wrong_number"})


def test_a_visit_finding_the_debtor_moved_marks_the_addresses_invalid(
        world: FakeWorld, caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller, addresses=2)
    task = add_task(world, caller, claim_id, debtor_id, kind=TaskKind.VISIT, step_key=None)
    follow_up = complete(world, caller, task.id, "moved").follow_up
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    assert [(p.kind, p.validation.status if p.validation else None,
             p.validation.reasons if p.validation else None)
            for p in debtor.contact_points if p.kind is ContactKind.POSTAL_ADDRESS] == [
        (ContactKind.POSTAL_ADDRESS, "invalid", ("moved",)),
        (ContactKind.POSTAL_ADDRESS, "invalid", ("moved",))]
    assert all(p.validation is None or p.validation.status != "invalid"
               for p in debtor.contact_points if p.kind is not ContactKind.POSTAL_ADDRESS)
    assert follow_up is not None and follow_up.kind is TaskKind.VERIFY_CONTACT
    assert [t.id for t in open_tasks(world, caller, kind=TaskKind.VERIFY_CONTACT)] == [
        follow_up.id]


def test_a_visit_to_one_address_marks_only_that_one(world: FakeWorld,
                                                    caller: Caller) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller, addresses=2)
    visited = point(world, caller, debtor_id, ContactKind.POSTAL_ADDRESS, 1)
    task = add_task(world, caller, claim_id, debtor_id, kind=TaskKind.VISIT,
                    contact_point_id=visited.id)
    complete(world, caller, task.id, "moved")
    statuses = [p.validation.status if p.validation else None for p in services.get_debtor(
        debtor_id, caller, world.ports).contact_points if p.kind is ContactKind.POSTAL_ADDRESS]
    assert statuses[1] == "invalid" and statuses[0] != "invalid"


@pytest.mark.parametrize(("kind", "outcome"), [
    (TaskKind.APPROVAL, "rejected"), (TaskKind.JUDICIAL_ASSESSMENT, "hand_off"),
    (TaskKind.VERIFY_CONTACT, "corrected"), (TaskKind.VISIT, "absent")])
def test_other_outcomes_are_recorded_and_change_nothing_else(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]], kind: TaskKind,
        outcome: str) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    before_claim = services.get_claim(claim_id, caller, world.ports)
    before_debtor = services.get_debtor(debtor_id, caller, world.ports)
    task = add_task(world, caller, claim_id, debtor_id, kind=kind, step_key="step_x")
    complete(world, caller, task.id, outcome)
    after = services.get_claim(claim_id, caller, world.ports)
    assert (after.hold, after.phase, after.outstanding) == (
        before_claim.hold, before_claim.phase, before_claim.outstanding)
    assert services.get_debtor(debtor_id, caller, world.ports) == before_debtor
    assert timeline(world, caller, claim_id)[-1].data["outcome"] == outcome
    assert hooks == [(task.id, outcome)]


def test_a_task_that_is_not_a_step_is_not_handed_to_escalation(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    task = add_task(world, caller, claim_id, debtor_id, step_key=None)
    complete(world, caller, task.id, "reached")
    assert "step_key" not in timeline(world, caller, claim_id)[-1].data
    assert hooks == []


# ------------------------------------------------------------------------ batch approval


def test_approvals_are_approved_together(world: FakeWorld, caller: Caller,
                                         hooks: list[tuple[str, str]]) -> None:
    claim_a, debtor_a = claim_on_debtor(world, caller)
    claim_b, debtor_b = claim_on_debtor(world, caller, number="F-2")
    one = add_task(world, caller, claim_a, debtor_a, n=1, kind=TaskKind.APPROVAL,
                   step_key="formal_notice")
    two = add_task(world, caller, claim_a, debtor_a, n=2, kind=TaskKind.APPROVAL,
                   step_key=None)
    three = add_task(world, caller, claim_b, debtor_b, n=3, kind=TaskKind.APPROVAL,
                     step_key="formal_notice")
    commits = world.db.commits
    approved = tasks.approve_tasks([three.id, one.id, two.id], caller, world.ports)
    assert world.db.commits == commits + 1
    assert [(t.id, t.status, t.outcome) for t in approved] == [
        (i, TaskStatus.DONE, "approved") for i in (three.id, one.id, two.id)]
    assert [stored(world, caller, t.id) for t in approved] == approved
    assert [(e.data["task_id"], e.data["outcome"])
            for e in timeline(world, caller, claim_a) if e.action == "task_completed"] == [
        (one.id, "approved"), (two.id, "approved")]
    assert hooks == [(three.id, "approved"), (one.id, "approved")]


def test_a_batch_with_one_task_it_cannot_approve_approves_none(
        world: FakeWorld, caller: Caller, hooks: list[tuple[str, str]]) -> None:
    claim_id, debtor_id = claim_on_debtor(world, caller)
    good = add_task(world, caller, claim_id, debtor_id, n=1, kind=TaskKind.APPROVAL)
    call = add_task(world, caller, claim_id, debtor_id, n=2, kind=TaskKind.CALL)
    done = add_task(world, caller, claim_id, debtor_id, n=3, kind=TaskKind.APPROVAL)
    complete(world, caller, done.id, "rejected")
    hooks.clear()
    with pytest.raises(DomainValidationError) as refused:
        tasks.approve_tasks([good.id, call.id, done.id, "tsk_nope", good.id], caller,
                            world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("task_ids[1]", "not_an_approval"), ("task_ids[2]", "not_open"),
        ("task_ids[3]", "unknown_task"), ("task_ids[4]", "duplicate")]
    assert stored(world, caller, good.id).status is TaskStatus.OPEN
    assert hooks == []
    with pytest.raises(DomainValidationError) as refused:
        tasks.approve_tasks([f"tsk_{n}" for n in range(tasks.MAX_APPROVALS + 1)], caller,
                            world.ports)
    assert refused.value.errors[0].code == "too_many"


# ------------------------------------------------------------------------ the list


def test_the_list_refuses_an_instant_without_its_offset(world: FakeWorld,
                                                        caller: Caller) -> None:
    with pytest.raises(DomainValidationError) as refused:
        open_tasks(world, caller, due_before=datetime(2026, 3, 11, 18, 0))
    assert refused.value.errors[0].field == "due_before"
    with pytest.raises(DomainValidationError):
        open_tasks(world, caller, due_before=datetime(1, 1, 1, tzinfo=NOW.tzinfo))
