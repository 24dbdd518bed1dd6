"""`relance tick`'s trip (domain.services.time_travel) on the fakes: the clock moved to each
due step's instant in turn, the manual steps answered as asked, and the same ladder as the
schedules themselves would have run, at the same instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.clock import FrozenClock
from domain.escalation.tasks import TaskKind
from domain.services.caller import Caller
from domain.services.time_travel import MAX_TRIP, answer_errors, travel
from domain.shared.errors import DomainValidationError
from tests.fakes import FakeWorld, fake_ports
from tests.journeys.test_ladder import PARIS, START, answer, open_claim, open_tasks, tick

ANSWERS = {TaskKind.CALL: "no_answer", TaskKind.APPROVAL: "approved",
           TaskKind.VISIT: "absent", TaskKind.JUDICIAL_ASSESSMENT: "wait"}


def mover(world: FakeWorld) -> Any:
    def move(at: datetime) -> None:
        assert at >= world.clock.now(), "the trip moved the clock back"
        world.clock.advance(at - world.clock.now())
    return move


def ran_steps(trip: Any) -> list[tuple[str, str]]:
    return [(e.at.astimezone(PARIS).strftime("%d/%m %H:%M"), e.data["step"])
            for claim in trip.claims for e in claim.events if e.action == "step_ran"]


@pytest.fixture
def world() -> FakeWorld:
    return fake_ports(FrozenClock(START), escalation=True)


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    from domain import services
    from tests.journeys.test_ladder import CREDITOR

    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")


def test_a_trip_runs_the_steps_the_schedules_would_run_at_the_same_instants(
        caller: Caller) -> None:
    # Two identical worlds: one driven by its schedules firing (the journeys' tick), the
    # other by the trip, which reads the sweeper's index and never the scheduler.
    by_schedule = fake_ports(FrozenClock(START), escalation=True)
    by_trip = fake_ports(FrozenClock(START), escalation=True)
    from domain import services
    from tests.journeys.test_ladder import CREDITOR

    for w in (by_schedule, by_trip):
        open_claim(w, Caller(services.create_creditor(CREDITOR, w.ports).id, "erp"))
    until = datetime(2026, 3, 24, tzinfo=UTC)
    expected = [(at.strftime("%d/%m %H:%M"), key) for at, key, _ in tick(by_schedule, until)]
    trip = travel(until, by_trip.ports, mover(by_trip))
    assert expected == [("11/03 10:00", "pre_due_sms"), ("11/03 10:00", "pre_due_email"),
                        ("17/03 09:00", "overdue_email"), ("23/03 10:00", "first_call")]
    assert ran_steps(trip) == expected
    assert trip.steps_run == 4 and trip.arrived_at == until == by_trip.clock.now()
    # the same messages (but for each claim's own payment reference)
    assert len(by_trip.sms.sent) == len(by_schedule.sms.sent) == 1
    assert len(by_trip.email.sent) == len(by_schedule.email.sent) == 2


def test_the_messages_are_on_the_timeline_word_for_word(world: FakeWorld,
                                                        caller: Caller) -> None:
    open_claim(world, caller)
    trip = travel(datetime(2026, 3, 12, tzinfo=UTC), world.ports, mover(world))
    sent = [e.data for c in trip.claims for e in c.events if e.action == "message_sent"]
    assert [(d["channel"], d["step"]) for d in sent] == [("sms", "pre_due_sms"),
                                                        ("email", "pre_due_email")]
    assert sent[0]["text"] == world.sms.sent[0].text
    assert sent[1]["text"] == world.email.sent[0].text
    assert sent[1]["subject"] == world.email.sent[0].subject
    assert sent[0]["message_id"] != sent[1]["message_id"]
    # the address it went to stays on the debtor
    assert all("+33612345678" not in v and "boulangerie-martin.fr" not in v
               for d in sent for v in d.values())


def test_without_answers_a_manual_step_blocks_the_trip_at_its_task(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    trip = travel(datetime(2026, 6, 30, tzinfo=UTC), world.ports, mover(world))
    assert [key for _, key in ran_steps(trip)][-1] == "first_call"
    assert [t.kind for t in open_tasks(world, caller, claim_id)] == [TaskKind.CALL]
    assert world.clock.now() == datetime(2026, 6, 30, tzinfo=UTC)
    # a person answers; the next trip goes on from there, the missed letter once, late
    answer(world, caller, open_tasks(world, caller, claim_id)[0], "no_answer")
    world.run_letter_jobs()
    trip = travel(datetime(2026, 7, 2, tzinfo=UTC), world.ports, mover(world),
                  after_letter=lambda c, k: world.run_letter_jobs())
    assert [key for _, key in ran_steps(trip)] == ["first_letter"]


def test_answers_play_the_whole_ladder_to_the_judicial_assessment(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    letters_waited: list[str] = []

    def after_letter(creditor_id: str, claim: str) -> None:
        letters_waited.append(claim)
        world.run_letter_jobs()  # the worker renders and posts before the clock goes on

    trip = travel(datetime(2026, 6, 30, tzinfo=UTC), world.ports, mover(world),
                  answers=ANSWERS, after_letter=after_letter)
    keys = [key for _, key in ran_steps(trip)]
    # every step of the default ladder once, in order; the formal notice twice on the
    # timeline: asked for approval, then run once approved
    assert keys == ["pre_due_sms", "pre_due_email", "overdue_email", "first_call",
                    "first_letter", "second_letter", "home_visit", "formal_notice",
                    "formal_notice", "judicial_assessment"]
    instants = [e.at for c in trip.claims for e in c.events]
    assert instants == sorted(instants)
    from domain import services

    letters = services.letters.list_letters(claim_id, caller, world.ports)  # type: ignore[attr-defined]
    assert [(x.kind.value, x.dispatch.mode.value if x.dispatch else None) for x in letters] == [
        ("reminder_1", "simple"), ("reminder_2", "simple"), ("formal_notice", "registered_ar")]
    assert letters_waited and set(letters_waited) == {claim_id}
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.phase.value == "formal_notice" and claim.notice_deadline is not None
    # the assessment comes 8 days after the notice's deadline (its posting + 8 days)
    assessed = next(e for c in trip.claims for e in c.events
                if e.action == "step_ran" and e.data["step"] == "judicial_assessment")
    # (or the next business day, with the weekend between)
    assessed_on = assessed.at.astimezone(PARIS).date()
    assert timedelta(0) <= assessed_on - (claim.notice_deadline + timedelta(days=8)) <= (
        timedelta(days=2))
    completed = [e.data["kind"] for c in trip.claims for e in c.events
                 if e.action == "task_completed"]
    assert completed == ["call", "call", "visit", "approval", "judicial_assessment"]


def test_the_clock_only_goes_forward_and_not_too_far(world: FakeWorld) -> None:
    for to, code in [(START, "not_in_future"), (START - timedelta(days=1), "not_in_future"),
                     (START + MAX_TRIP + timedelta(days=1), "too_far")]:
        with pytest.raises(DomainValidationError) as raised:
            travel(to, world.ports, mover(world))
        assert [(e.field, e.code) for e in raised.value.errors] == [("to", code)]
    assert world.clock.now() == START


def test_answers_are_checked_against_the_kinds_and_their_outcomes() -> None:
    assert answer_errors({"call": "no_answer", "approval": "approved"}) == []
    errors = {e.field: e.code for e in answer_errors(
        {"call": "promise_made", "visit": "dancing", "breakfast": "eggs"})}
    assert errors == {"answers.call": "invalid_outcome", "answers.visit": "invalid_outcome",
                      "answers.breakfast": "unknown_kind"}
