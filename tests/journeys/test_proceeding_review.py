"""Proceedings against what a reviewer tried: rules not yet in force, acts before the debt,
an earlier interruption outliving a later withdrawal, collective proceedings stopping
enforcement, a claim given up, names left blank. On the fakes, on the fake clock."""

from __future__ import annotations

from datetime import date

import pytest

from domain import services
from domain.claims.judicial import JudicialRoute
from domain.escalation.tasks import TaskKind, TaskStatus
from domain.judicial.proceedings import Court, Proceeding, Residence, Status
from domain.services import judicial_proceedings as jps
from domain.services.caller import Caller
from domain.services.proceedings import ProceedingsDraft, record_proceedings
from domain.shared.errors import ActionNotAllowed, DomainValidationError
from tests.fakes import FakeWorld
from tests.journeys import test_proceeding as journey
from tests.journeys.test_proceeding import event, on, open_claim, start_judicial, tasks

# The proceeding journeys' world and creditor (a fixed clock on 1 July 2026, in Lyon).
world = journey.world
caller = journey.caller

LYON = Court("Tribunal judiciaire de Lyon", "TJ", Residence.METROPOLITAN)


def _order_served(world: FakeWorld, caller: Caller, *, in_person: bool | None = None) -> str:
    """An injonction de payer filed on 1 July 2026, its order of 10 July served on the
    14th."""
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    event(world, caller, claim_id, "served", date(2026, 7, 14), in_person=in_person)
    return claim_id


def _refere_heard_on_9_july(world: FakeWorld, caller: Caller, claim_id: str) -> None:
    """A référé-provision before the TJ of Lyon: summons served on 1 July 2026, the hearing
    set for the 9th."""
    start_judicial(world, caller, claim_id, JudicialRoute.REFERE_PROVISION)
    event(world, caller, claim_id, "summons_served", date(2026, 7, 1), court=LYON)
    event(world, caller, claim_id, "hearing_set", date(2026, 7, 2), hearing_on=date(2026, 7, 9))


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
    claim_id = _order_served(world, caller)
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
    _refere_heard_on_9_july(world, caller, claim_id)
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
    # Left at the address, not to the debtor in person (à domicile).
    claim_id = _order_served(world, caller, in_person=False)
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
    claim_id = _order_served(world, caller, in_person=True)
    view = event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    assert "opposed" not in view.allowed_events
    assert next(d for d in view.deadlines if d.what == "opposition").status is Status.MISSED
    with pytest.raises(ActionNotAllowed):
        event(world, caller, claim_id, "opposed", date(2026, 8, 18))


def _claim_of(world: FakeWorld, caller: Caller, number: str, issued: date, due: date,
              amount: str = "6000.00") -> str:
    return open_claim(world, caller, number=number, amount=amount, issued=issued, due=due)


def test_a_judgment_of_2019_is_recorded_and_read_with_that_year_s_last_resort(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _claim_of(world, caller, "H-1", date(2019, 1, 15), date(2019, 2, 14))
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.REFERE_PROVISION)
    event(world, caller, claim_id, "summons_served", date(2019, 5, 1), court=LYON)
    event(world, caller, claim_id, "hearing_set", date(2019, 5, 2), hearing_on=date(2019, 5, 9))
    view = event(world, caller, claim_id, "judgment", date(2019, 5, 10), amount="6000.00")
    # 6,000 is above 2019's 4,000 EUR last resort: appealable (its own parameter row).
    assert "appealed" in view.allowed_events
    assert jps.get_judicial(claim_id, caller, world.ports).proceeding.state == "judgment"


def test_ending_the_individual_action_leaves_the_task_to_declare(
        world: FakeWorld, caller: Caller) -> None:
    from domain.escalation.tasks import Task

    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    claim = services.get_claim(claim_id, caller, world.ports)
    on(world, date(2026, 7, 8))
    record_proceedings(claim.debtor_id, ProceedingsDraft(
        "redressement_judiciaire", date(2026, 7, 6), "TAE de Lyon", date(2026, 7, 8)),
        caller, world.ports)
    from datetime import UTC, datetime

    with world.ports.unit_of_work() as uow:  # as the insolvency watch opens it
        uow.tasks.add_task(Task(
            id="tsk_declare", creditor_id=caller.creditor_id, claim_id=claim_id,
            debtor_id=claim.debtor_id, kind=TaskKind.DECLARE_CLAIM, status=TaskStatus.OPEN,
            created_at=datetime(2026, 7, 8, tzinfo=UTC),
            due_at=datetime(2026, 9, 8, 7, tzinfo=UTC), title="Declare the claim"))
        uow.commit()
    with pytest.raises(DomainValidationError) as early:
        event(world, caller, claim_id, "stayed", date(2026, 7, 5))
    assert field_of(early) == ("occurred_on", "before_opening")
    with pytest.raises(ActionNotAllowed) as barred:  # L622-21 I: no action either
        event(world, caller, claim_id, "order_granted", date(2026, 7, 9), amount="2400.00")
    assert "stayed" in barred.value.allowed and "order_granted" not in barred.value.allowed
    event(world, caller, claim_id, "stayed", date(2026, 7, 9))
    declare = next(t for t in tasks(world, caller, claim_id) if t.id == "tsk_declare")
    assert isinstance(declare, Task) and declare.status is TaskStatus.OPEN


def test_a_claim_written_off_then_reopened_gets_its_proceeding_s_tasks_back(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    services.apply_action(claim_id, services.ActionRequest("write_off", reason="lost hope"),
                          caller, world.ports)
    serve = next(t for t in tasks(world, caller, claim_id) if t.kind is TaskKind.SERVE_ORDER)
    assert serve.status is TaskStatus.SKIPPED
    with pytest.raises(ActionNotAllowed):  # closed: nothing that opens the next act
        event(world, caller, claim_id, "served", date(2026, 7, 14))
    services.apply_action(claim_id, services.ActionRequest("reopen", reason="debtor found"),
                          caller, world.ports)
    serve = next(t for t in tasks(world, caller, claim_id) if t.kind is TaskKind.SERVE_ORDER)
    assert (serve.status, serve.note) == (TaskStatus.OPEN, None)


def test_an_appeal_opens_no_second_enforcement_task_and_an_arret_replaces_the_old_ones(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _claim_of(world, caller, "A-1", date(2026, 2, 14), date(2026, 3, 16))
    on(world, date(2026, 7, 1))
    _refere_heard_on_9_july(world, caller, claim_id)
    event(world, caller, claim_id, "judgment", date(2026, 7, 9), amount="6000.00")
    event(world, caller, claim_id, "judgment_served", date(2026, 7, 13))
    event(world, caller, claim_id, "appealed", date(2026, 7, 20), appellant="debtor")

    def open_of(kind: TaskKind) -> int:
        return sum(1 for t in tasks(world, caller, claim_id)
                   if t.kind is kind and t.status is TaskStatus.OPEN)

    assert open_of(TaskKind.INSTRUCT_ENFORCEMENT) == 1
    event(world, caller, claim_id, "appeal_decided", date(2026, 12, 1), amount="4000.00")
    assert (open_of(TaskKind.INSTRUCT_ENFORCEMENT), open_of(TaskKind.SERVE_JUDGMENT)) == (0, 1)


def test_a_referee_appeal_gives_the_appellant_a_month_for_its_conclusions(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _claim_of(world, caller, "R-1", date(2026, 2, 14), date(2026, 3, 16))
    on(world, date(2026, 7, 1))
    _refere_heard_on_9_july(world, caller, claim_id)
    event(world, caller, claim_id, "rejected", date(2026, 7, 9))
    event(world, caller, claim_id, "appealed", date(2026, 7, 15), appellant="creditor")
    # The short procedure (CPC 905-2): a month, to Saturday 15 August (a holiday too),
    # so Monday 17 August.
    lawyer = next(t for t in tasks(world, caller, claim_id)
                  if t.kind is TaskKind.INSTRUCT_LAWYER)
    assert lawyer.due_at.date() == date(2026, 8, 17)


def test_a_late_opposition_from_abroad_has_its_distance_months_too(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 7, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    with world.ports.unit_of_work() as uow:  # the debtor lives in Berlin
        p = uow.proceedings.current_proceeding(caller.creditor_id, claim_id)
        assert p is not None
        uow.proceedings.save_proceeding(
            replace_residence(p, Residence.ABROAD), p.version)
        uow.commit()
    event(world, caller, claim_id, "filed", date(2026, 7, 1))
    event(world, caller, claim_id, "order_granted", date(2026, 7, 10), amount="2400.00")
    event(world, caller, claim_id, "served", date(2026, 7, 14), in_person=False)
    event(world, caller, claim_id, "enforceable", date(2026, 10, 15))  # 1 + 2 months
    view = event(world, caller, claim_id, "enforcement_step", date(2026, 10, 19), step="saisie")
    late = next(d for d in view.deadlines if d.what == "late_opposition")
    assert late.due == date(2027, 1, 19)  # a month + two for a debtor abroad (CPC 643)


def replace_residence(p: Proceeding, residence: Residence) -> Proceeding:
    from dataclasses import replace

    return replace(p, debtor_residence=residence, version=p.version + 1)


def test_a_postal_code_in_other_digits_is_refused() -> None:
    from domain.judicial.proceedings import court_of

    with pytest.raises(DomainValidationError) as wide:
        court_of("Tribunal judiciaire de Strasbourg", "TJ", postal_code="６７０００")
    assert field_of(wide) == ("court.postal_code", "invalid")


def test_a_late_opposition_before_any_enforcement_step_is_met_not_missed(
        world: FakeWorld, caller: Caller) -> None:
    # Left at the address, not to the debtor in person (à domicile).
    claim_id = _order_served(world, caller, in_person=False)
    event(world, caller, claim_id, "enforceable", date(2026, 8, 17))
    view = event(world, caller, claim_id, "opposed", date(2026, 8, 24))  # past the month
    opposition = next(d for d in view.deadlines if d.what == "opposition")
    assert (opposition.last_day, opposition.status) == (date(2026, 8, 14), Status.MET)


def test_a_title_set_aside_on_appeal_asks_for_what_its_enforcement_collected_back(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _claim_of(world, caller, "B-1", date(2026, 2, 14), date(2026, 3, 16))
    _refere_heard_on_9_july(world, caller, claim_id)
    event(world, caller, claim_id, "judgment", date(2026, 7, 9), amount="6000.00")
    event(world, caller, claim_id, "judgment_served", date(2026, 7, 13))
    event(world, caller, claim_id, "appealed", date(2026, 7, 20), appellant="debtor")
    event(world, caller, claim_id, "commissaire_payment", date(2026, 8, 3), amount="1500.00")
    event(world, caller, claim_id, "appeal_decided", date(2026, 12, 1), amount="0.00")
    back = next(t for t in tasks(world, caller, claim_id)
                if t.kind is TaskKind.RETURN_COLLECTED)
    assert back.status is TaskStatus.OPEN and "1500.00 EUR" in back.title
    event(world, caller, claim_id, "closed", date(2026, 12, 2))  # the creditor gives up
    back = next(t for t in tasks(world, caller, claim_id)
                if t.kind is TaskKind.RETURN_COLLECTED)
    assert back.status is TaskStatus.OPEN  # still owed to the debtor
