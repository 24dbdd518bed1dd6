"""Proceedings against what a reviewer tried: rules not yet in force, acts before the debt,
an earlier interruption outliving a later withdrawal, collective proceedings stopping
enforcement, a claim given up, names left blank. On the fakes, on the fake clock."""

from __future__ import annotations

from datetime import date

import pytest

from domain import services
from domain.claims.judicial import JudicialRoute
from domain.escalation.tasks import TaskKind, TaskStatus
from domain.judicial.proceedings import Court, Residence, Status
from domain.services import judicial_proceedings as jps
from domain.services.caller import Caller
from domain.services.proceedings import ProceedingsDraft, record_proceedings
from domain.shared.errors import ActionNotAllowed, DomainValidationError
from tests.fakes import FakeWorld
from tests.journeys.test_proceeding import CREDITOR, event, on, open_claim, start_judicial, tasks


@pytest.fixture
def world() -> FakeWorld:
    from datetime import UTC, datetime

    from adapters.clock import FrozenClock
    from tests.fakes import fake_ports

    return fake_ports(FrozenClock(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)))


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")

LYON = Court("Tribunal judiciaire de Lyon", "TJ", Residence.METROPOLITAN)


def field_of(error: pytest.ExceptionInfo[DomainValidationError]) -> tuple[str, str]:
    return error.value.errors[0].field, error.value.errors[0].code


def test_an_order_from_before_the_rules_data_is_a_422_naming_its_date(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)  # invoiced 14 February 2026
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    with pytest.raises(DomainValidationError) as early:
        event(world, caller, claim_id, "filed", date(2021, 10, 1))
    assert field_of(early) == ("occurred_on", "before_claim")
    event(world, caller, claim_id, "filed", date(2026, 3, 1))
    with pytest.raises(DomainValidationError) as order:
        event(world, caller, claim_id, "order_granted", date(2026, 3, 5),
              order_date=date(2026, 2, 1), amount="2400.00")
    assert field_of(order) == ("order_date", "before_claim")


def test_the_l126_procedure_starts_only_once_its_law_is_in_force(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 4, 1))
    with pytest.raises(DomainValidationError) as early:
        start_judicial(world, caller, claim_id, JudicialRoute.COMMERCIAL_UNCONTESTED)
    assert field_of(early) == ("route", "not_in_force")
    assert "2026-04-23" in early.value.errors[0].message
    on(world, date(2026, 5, 4))
    assert start_judicial(world, caller, claim_id,
                          JudicialRoute.COMMERCIAL_UNCONTESTED).proceeding.state == "draft"


def _interrupted(world: FakeWorld, caller: Caller, claim_id: str) -> date | None:
    found = world.ports.unit_of_work().claims.get_claim_account(caller.creditor_id, claim_id)
    assert found is not None
    return found[1].prescription_interrupted_on


def test_a_withdrawn_fond_leaves_the_earlier_order_s_interruption(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    event(world, caller, claim_id, "served", date(2026, 7, 14))  # interrupts (C. civ. 2241)
    event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    event(world, caller, claim_id, "closed", date(2026, 8, 20))  # enforced, still owed
    start_judicial(world, caller, claim_id, JudicialRoute.ASSIGNATION_AU_FOND)
    event(world, caller, claim_id, "summons_served", date(2026, 9, 1), court=LYON)
    assert _interrupted(world, caller, claim_id) == date(2026, 9, 1)
    # C. civ. 2243 voids the withdrawn demand's interruption, not the served order's.
    event(world, caller, claim_id, "withdrawn", date(2026, 9, 2))
    assert _interrupted(world, caller, claim_id) == date(2026, 7, 14)


def test_collective_proceedings_stop_enforcement_and_the_action_gives_way_to_a_declaration(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    event(world, caller, claim_id, "served", date(2026, 7, 14))
    view = event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    assert "stayed" not in view.allowed_events
    claim = services.get_claim(claim_id, caller, world.ports)
    on(world, date(2026, 9, 3))
    record_proceedings(claim.debtor_id, ProceedingsDraft(
        "redressement_judiciaire", date(2026, 9, 1), "TAE de Lyon", date(2026, 9, 3)),
        caller, world.ports)
    with pytest.raises(ActionNotAllowed) as stopped:
        event(world, caller, claim_id, "enforcement_step", date(2026, 9, 4),
              step="saisie-attribution")
    assert "L622-21" in str(stopped.value) and "stayed" in stopped.value.allowed
    assert not [t for t in tasks(world, caller, claim_id)
                if t.kind is TaskKind.INSTRUCT_ENFORCEMENT and t.status is TaskStatus.OPEN
                and t.created_at.date() >= date(2026, 9, 3)]
    view = event(world, caller, claim_id, "stayed", date(2026, 9, 4))
    # Ended without a discontinuance: the service of the order still interrupts.
    assert (view.proceeding.state, view.proceeding.prescription_interrupted_on) == (
        "stayed", date(2026, 7, 14))
    assert _interrupted(world, caller, claim_id) == date(2026, 7, 14)
    declared = start_judicial(world, caller, claim_id, JudicialRoute.DECLARATION_OF_CLAIM)
    assert declared.proceeding.number == 2 and "declared" in declared.allowed_events


def test_a_claim_given_up_closes_its_proceeding_s_tasks(world: FakeWorld,
                                                         caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.REFERE_PROVISION)
    event(world, caller, claim_id, "summons_served", date(2026, 7, 1), court=LYON)
    event(world, caller, claim_id, "hearing_set", date(2026, 7, 2), hearing_on=date(2026, 7, 9))
    assert any(t.kind is TaskKind.ATTEND_HEARING and t.status is TaskStatus.OPEN
               for t in tasks(world, caller, claim_id))
    services.apply_action(claim_id, services.ActionRequest("cancel", reason="settled aside"),
                          caller, world.ports)
    hearing = next(t for t in tasks(world, caller, claim_id)
                   if t.kind is TaskKind.ATTEND_HEARING)
    assert (hearing.status, hearing.note) == (TaskStatus.SKIPPED, "claim cancel")


def test_a_blank_court_or_a_nameless_document_is_refused(world: FakeWorld,
                                                         caller: Caller) -> None:
    from domain.judicial.proceedings import court_of

    with pytest.raises(DomainValidationError) as blank:
        court_of("   ")
    assert field_of(blank) == ("court.name", "required")
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    with pytest.raises(DomainValidationError) as nameless:
        event(world, caller, claim_id, "filed", date(2026, 7, 1), document_sha256="a" * 64)
    assert field_of(nameless) == ("document.name", "required")
    assert jps.get_judicial(claim_id, caller, world.ports).proceeding.state == "draft"


def test_an_order_not_served_in_person_may_be_opposed_after_enforcement(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    # Left at the address, not to the debtor in person (à domicile).
    event(world, caller, claim_id, "served", date(2026, 7, 14), in_person=False)
    view = event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    # The month from service passed, but it does not close the opposition (CPC 1416 al. 2).
    opposition = next(d for d in view.deadlines if d.what == "opposition")
    assert (opposition.last_day, opposition.status) == (date(2026, 8, 14), Status.OPEN)
    assert "opposed" in view.allowed_events
    view = event(world, caller, claim_id, "enforcement_step", date(2026, 9, 7),
                 step="saisie-attribution")
    # A month after the first measure: Wednesday 7 October.
    late = next(d for d in view.deadlines if d.what == "late_opposition")
    assert (late.due, late.last_day, late.status) == (date(2026, 10, 7), date(2026, 10, 7),
                                                      Status.OPEN)
    assert next(d for d in view.deadlines if d.what == "opposition").status is Status.MOOT
    judgment = world.ports.unit_of_work().claims.get_claim_account(
        caller.creditor_id, claim_id)[1].judgment  # type: ignore[index]
    assert judgment is not None  # the unopposed order, a judgment for the account (1422)
    with pytest.raises(DomainValidationError) as too_late:
        event(world, caller, claim_id, "opposed", date(2026, 10, 8))
    assert field_of(too_late) == ("occurred_on", "after_opposition_deadline")
    view = event(world, caller, claim_id, "opposed", date(2026, 10, 5))
    assert (view.proceeding.state, view.proceeding.enforceable_on) == ("opposed", None)
    assert next(d for d in view.deadlines if d.what == "late_opposition").status is Status.MET
    account = world.ports.unit_of_work().claims.get_claim_account(caller.creditor_id, claim_id)
    assert account is not None and account[1].judgment is None  # no title until the judgment
    assert not [t for t in tasks(world, caller, claim_id)
                if t.kind is TaskKind.INSTRUCT_ENFORCEMENT and t.status is TaskStatus.OPEN]


def test_an_order_served_in_person_is_opposed_only_within_the_month(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    event(world, caller, claim_id, "served", date(2026, 7, 14), in_person=True)
    view = event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    assert "opposed" not in view.allowed_events
    assert next(d for d in view.deadlines if d.what == "opposition").status is Status.MISSED
    with pytest.raises(ActionNotAllowed):
        event(world, caller, claim_id, "opposed", date(2026, 8, 18))
