"""The tasks' repository promises, on the fake, moto and DynamoDB Local alike: a task is
read back whole, saved only from the version read, listed by status the earliest due
first (then by id) with paging and each filter, found by claim, and never across tenants.
And the claim's latest timeline entries, newest first, that a task's view shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from domain.claims.model import Claim, ClaimEvent, Invoice, Phase
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.ports.repositories import InvalidCursor, PageRequest
from domain.ports.tasks import TaskFilter
from domain.shared.errors import Conflict, StaleVersion

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def task(n: int, *, due: datetime | None = None, creditor: str = "cred_a",
         claim: str = "clm_1", kind: TaskKind = TaskKind.CALL,
         status: TaskStatus = TaskStatus.OPEN, assignee: str | None = None) -> Task:
    return Task(id=f"tsk_{n:03d}", creditor_id=creditor, claim_id=claim, debtor_id="dbt_1",
                kind=kind, status=status, created_at=NOW,
                due_at=due if due is not None else NOW + timedelta(hours=n),
                title=f"Call about claim {claim}", step_key="call_1" if n % 2 else None,
                policy_version=1, contact_point_id="cp_1", assignee=assignee)


def add(units: Any, *tasks: Task) -> None:
    with units() as uow:
        for t in tasks:
            uow.tasks.add_task(t)
        uow.commit()


def ids(tasks: list[Task]) -> list[str]:
    return [t.id for t in tasks]


def listed(units: Any, creditor: str = "cred_a", **filters: Any) -> list[str]:
    """Every page, followed to the end (a filtered page may come back short)."""
    found: list[Task] = []
    cursor = None
    while True:
        page = units().tasks.list_tasks(creditor, TaskFilter(**filters),
                                        PageRequest(2, cursor))
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return ids(found)


def test_a_task_is_read_back_whole_and_its_id_is_taken_once(units: Any) -> None:
    add(units, task(1, assignee="alice"))
    assert units().tasks.get_task("cred_a", "tsk_001") == task(1, assignee="alice")
    assert units().tasks.get_task("cred_a", "tsk_404") is None
    with pytest.raises(Conflict):
        add(units, task(1))


def test_open_tasks_are_listed_the_earliest_due_first_page_by_page(units: Any) -> None:
    # Added out of order; two due at the same instant sort by id; one due in another
    # offset sorts by its instant, not its text.
    paris = timezone(timedelta(hours=1))
    add(units, task(3), task(1), task(5, due=NOW + timedelta(hours=1)),
        task(2, due=datetime(2026, 3, 10, 12, 0, tzinfo=paris)),  # 11:00 UTC
        task(4, status=TaskStatus.DONE))
    first = units().tasks.list_tasks("cred_a", TaskFilter(), PageRequest(2))
    assert ids(first.items) == ["tsk_001", "tsk_005"] and first.next_cursor
    second = units().tasks.list_tasks("cred_a", TaskFilter(),
                                      PageRequest(2, first.next_cursor))
    assert ids(second.items) == ["tsk_002", "tsk_003"]
    assert listed(units) == ["tsk_001", "tsk_005", "tsk_002", "tsk_003"]
    assert listed(units, status=TaskStatus.DONE) == ["tsk_004"]


def test_each_filter_narrows_the_list(units: Any) -> None:
    add(units, task(1, kind=TaskKind.APPROVAL), task(2, assignee="alice"),
        task(3, claim="clm_2", assignee="alice"), task(4, kind=TaskKind.APPROVAL,
                                                        claim="clm_2"),
        task(5, status=TaskStatus.DONE, claim="clm_2"))
    assert listed(units, kind=TaskKind.APPROVAL) == ["tsk_001", "tsk_004"]
    assert listed(units, assignee="alice") == ["tsk_002", "tsk_003"]
    assert listed(units, claim_id="clm_2") == ["tsk_003", "tsk_004"]
    assert listed(units, claim_id="clm_2", status=TaskStatus.DONE) == ["tsk_005"]
    assert listed(units, claim_id="clm_2", kind=TaskKind.APPROVAL) == ["tsk_004"]
    # Strictly before: the task due at 12:30 (tsk_003) is not before 12:30.
    assert listed(units, due_before=NOW + timedelta(hours=3)) == ["tsk_001", "tsk_002"]
    assert listed(units, due_before=NOW + timedelta(hours=3), assignee="alice") == [
        "tsk_002"]
    assert listed(units, claim_id="clm_2", due_before=NOW + timedelta(hours=4)) == [
        "tsk_003"]
    assert listed(units, due_before=NOW) == []


def test_a_cursor_from_another_list_or_past_the_range_is_refused(units: Any) -> None:
    add(units, task(1), task(2), task(3), task(4, status=TaskStatus.DONE),
        task(5, status=TaskStatus.DONE))
    page = units().tasks.list_tasks("cred_a", TaskFilter(), PageRequest(1))
    assert page.next_cursor
    for creditor, filter in [("cred_b", TaskFilter()),
                             ("cred_a", TaskFilter(TaskStatus.DONE)),
                             ("cred_a", TaskFilter(claim_id="clm_1")),
                             ("cred_a", TaskFilter(due_before=NOW))]:
        with pytest.raises(InvalidCursor):
            units().tasks.list_tasks(creditor, filter, PageRequest(1, page.next_cursor))
    with pytest.raises(InvalidCursor):
        units().tasks.list_tasks("cred_a", TaskFilter(), PageRequest(1, "bm90IGEgY3Vyc29y"))


def test_the_open_tasks_of_a_claim(units: Any) -> None:
    add(units, task(3), task(1), task(2, claim="clm_2"), task(4, status=TaskStatus.DONE))
    assert ids(units().tasks.open_tasks_of_claim("cred_a", "clm_1")) == ["tsk_001", "tsk_003"]
    assert units().tasks.open_tasks_of_claim("cred_a", "clm_9") == []


def test_a_task_is_saved_only_from_the_version_read_and_moves_list(units: Any) -> None:
    add(units, task(1), task(2))
    done = replace(task(1), status=TaskStatus.DONE, outcome="reached", note="spoke to her",
                   completed_at=NOW, completed_by="key_1", version=2)
    with units() as uow:
        uow.tasks.save_task(done, expected_version=1)
        uow.commit()
    assert units().tasks.get_task("cred_a", "tsk_001") == done
    assert listed(units) == ["tsk_002"]
    assert listed(units, status=TaskStatus.DONE) == ["tsk_001"]
    assert units().tasks.open_tasks_of_claim("cred_a", "clm_1") == [task(2)]
    with pytest.raises(StaleVersion), units() as uow:
        uow.tasks.save_task(replace(done, version=3), expected_version=1)
        uow.commit()
    assert units().tasks.get_task("cred_a", "tsk_001") == done


def test_tasks_never_cross_tenants(units: Any) -> None:
    add(units, task(1), task(2, creditor="cred_b"))
    assert units().tasks.get_task("cred_b", "tsk_001") is None
    assert listed(units, creditor="cred_b") == ["tsk_002"]
    assert units().tasks.open_tasks_of_claim("cred_b", "clm_1") == [task(2, creditor="cred_b")]
    with pytest.raises(StaleVersion), units() as uow:  # no save reaches another's task
        uow.tasks.save_task(replace(task(1, creditor="cred_b"), version=2), 1)
        uow.commit()


def test_a_debtors_calls_on_all_its_claims_from_a_day(units: Any) -> None:
    """Done calls count at their completion, open ones at their due instant, skipped ones
    and other kinds never; another debtor's or another tenant's never; the earliest first,
    from `since` on (inclusive). Sixty calls page through."""
    at = NOW - timedelta(days=20)

    def call(n: int, *, claim: str = "clm_1", status: TaskStatus = TaskStatus.DONE,
             done: datetime | None = None, debtor: str = "dbt_1", creditor: str = "cred_a",
             kind: TaskKind = TaskKind.CALL, due: datetime = at) -> Task:
        return replace(task(n, due=due, claim=claim, status=status, kind=kind,
                            creditor=creditor), debtor_id=debtor, completed_at=done)

    add(units, call(1, done=at + timedelta(days=2)),
        call(2, claim="clm_2", done=at + timedelta(days=1)),
        call(3, claim="clm_2", status=TaskStatus.OPEN, due=at + timedelta(days=3)),
        call(4, status=TaskStatus.SKIPPED),
        call(5, kind=TaskKind.VISIT, done=at), call(6, debtor="dbt_2", done=at),
        call(7, creditor="cred_b", done=at),
        call(8, done=at - timedelta(days=40)))  # before `since`
    since = NOW - timedelta(days=30)
    assert units().tasks.calls_of_debtor("cred_a", "dbt_1", since) == [
        at + timedelta(days=1), at + timedelta(days=2), at + timedelta(days=3)]
    assert units().tasks.calls_of_debtor("cred_a", "dbt_1", at + timedelta(days=2)) == [
        at + timedelta(days=2), at + timedelta(days=3)]
    assert units().tasks.calls_of_debtor("cred_b", "dbt_1", since) == [at]
    assert units().tasks.calls_of_debtor("cred_a", "dbt_3", since) == []
    # Completed, an open call moves to its completion; skipped, it leaves the count.
    with units() as uow:
        uow.tasks.save_task(replace(call(3, claim="clm_2", done=at + timedelta(days=4)),
                                    version=2), 1)
        uow.tasks.save_task(replace(call(1, status=TaskStatus.SKIPPED), version=2), 1)
        uow.commit()
    assert units().tasks.calls_of_debtor("cred_a", "dbt_1", since) == [
        at + timedelta(days=1), at + timedelta(days=4)]
    many = [call(100 + n, claim=f"clm_{n}", done=at + timedelta(minutes=n)) for n in range(60)]
    for chunk in (many[:30], many[30:]):
        add(units, *chunk)
    assert len(units().tasks.calls_of_debtor("cred_a", "dbt_1", since)) == 62


def test_the_latest_events_of_a_claim_newest_first(units: Any) -> None:
    claim = Claim(id="clm_1", creditor_id="cred_a", debtor_id="dbt_1", currency="EUR",
                  invoices=[Invoice("F-1", NOW.date(), NOW.date(), Decimal("100.00"))],
                  phase=Phase.AMICABLE, outstanding=Decimal("100.00"), created_at=NOW,
                  updated_at=NOW, event_count=1)
    events = [ClaimEvent("clm_1", seq, NOW + timedelta(minutes=seq), f"act_{seq}", "test")
              for seq in range(1, 13)]
    with units() as uow:
        uow.claims.add_claim(claim, events[0])
        uow.commit()
    with units() as uow:
        uow.claims.save_claim(replace(claim, version=2, event_count=12), events[1:], 1)
        uow.commit()
    assert [e.seq for e in units().claims.latest_events("cred_a", "clm_1", 10)] == list(
        range(12, 2, -1))
    assert units().claims.latest_events("cred_a", "clm_1", 1) == [events[-1]]
    assert units().claims.latest_events("cred_b", "clm_1", 10) == []
