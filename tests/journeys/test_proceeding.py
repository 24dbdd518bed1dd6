"""An injonction de payer played to its end on the fake clock, and one that lapses: each
deadline and task checked against dates worked out by hand from the rules.

The claim: 2,400.00 EUR due Monday 16 March 2026, owed by a business in Lyon (five years'
prescription, C. com. L110-4: last day 16 March 2031 before any interruption).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.amounts import deadlines as limits
from domain.claims import lifecycle
from domain.claims.judicial import JudicialRoute
from domain.creditors.model import Address
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.judicial.proceedings import Court, Residence, Status
from domain.ports.repositories import PageRequest
from domain.ports.tasks import TaskFilter
from domain.services import judicial_proceedings as jps
from domain.services.caller import Caller
from domain.shared.errors import ActionNotAllowed, DomainValidationError
from tests.fakes import FakeWorld, fake_ports

PARIS = ZoneInfo("Europe/Paris")
CREDITOR = services.CreditorDraft(
    legal_name="Menuiserie Leroy SARL", siren="732829320",
    address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
    iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR")


@pytest.fixture
def world() -> FakeWorld:
    return fake_ports(FrozenClock(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)))


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")


def open_claim(world: FakeWorld, caller: Caller, *, number: str = "F-1",
               amount: str = "2400.00", issued: date = date(2026, 2, 14),
               due: date = date(2026, 3, 16)) -> str:
    """A claim of one invoice on a new debtor in Lyon."""
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[services.ContactPointDraft(
            ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Boulangerie Martin SAS", ("12 rue de la République",), "69002", "Lyon",
                "FR"))]), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            number, issued, due, amount)]), caller, world.ports)
    return claim.id


def start_judicial(world: FakeWorld, caller: Caller, claim_id: str,
                   route: JudicialRoute) -> jps.JudicialView:
    """The real start: the lifecycle's action, which opens the proceeding in its write."""
    services.apply_action(claim_id, services.ActionRequest("start_judicial", route=route.value),
                          caller, world.ports)
    return jps.get_judicial(claim_id, caller, world.ports)


def on(world: FakeWorld, day: date) -> None:
    """Ten in the morning in Paris on `day`."""
    world.clock.at = datetime(day.year, day.month, day.day, 10, tzinfo=PARIS).astimezone(UTC)


def event(world: FakeWorld, caller: Caller, claim_id: str, type: str, day: date,
          **fields: object) -> jps.JudicialView:
    on(world, day)
    return jps.record_event(claim_id, jps.EventDraft(type=type, occurred_on=day,
                                                     **fields),  # type: ignore[arg-type]
                            None, caller, world.ports)


def deadline(view: jps.JudicialView, what: str) -> tuple[date, date, Status]:
    found = next(d for d in view.deadlines if d.what == what)
    return found.due, found.last_day, found.status


def tasks(world: FakeWorld, caller: Caller, claim_id: str) -> list[Task]:
    uow = world.ports.unit_of_work()
    found = [t for status in TaskStatus for t in uow.tasks.list_tasks(
        caller.creditor_id, TaskFilter(status, claim_id=claim_id),
        PageRequest(100)).items]
    return sorted(found, key=lambda t: t.created_at)


def open_kinds(world: FakeWorld, caller: Caller, claim_id: str) -> dict[TaskKind, date]:
    return {t.kind: t.due_at.astimezone(PARIS).date()
            for t in tasks(world, caller, claim_id) if t.status is TaskStatus.OPEN}


def test_an_order_of_15_september_2026_is_served_then_enforced_and_closed(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 9, 1))
    view = start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    assert view.proceeding.state == "draft" and view.deadlines == []
    assert view.proceeding.debtor_residence is Residence.METROPOLITAN  # Lyon
    with pytest.raises(ActionNotAllowed) as refused:
        event(world, caller, claim_id, "served", date(2026, 9, 1))
    assert refused.value.allowed == ["filed", "withdrawn", "cost", "document"]

    view = event(world, caller, claim_id, "filed", date(2026, 9, 1),
                 cost=jps.CostDraft("greffe", "33.47"),
                 court=Court("Tribunal de commerce de Lyon", "TC"))
    assert view.proceeding.court == Court("Tribunal de commerce de Lyon", "TC")
    # Filing does not interrupt prescription (Cass. 1re civ. 10/07/1990).
    assert view.proceeding.prescription_interrupted_on is None

    # Received on the 18th, dated the 15th: from 1 September 2026, 3 months from the
    # ORDER's date (décret 2026-96): 15 December 2026, a Tuesday.
    view = event(world, caller, claim_id, "order_granted", date(2026, 9, 18),
                 order_date=date(2026, 9, 15), amount="2400.00")
    assert deadline(view, "serve_order") == (date(2026, 12, 15), date(2026, 12, 15),
                                             Status.OPEN)
    rule = next(d for d in view.deadlines if d.what == "serve_order")
    assert (rule.rule, rule.effective_from) == ("injonction_de_payer.service_months",
                                                date(2026, 9, 1))
    assert open_kinds(world, caller, claim_id) == {TaskKind.SERVE_ORDER: date(2026, 12, 15)}

    with pytest.raises(DomainValidationError) as early:
        event(world, caller, claim_id, "served", date(2026, 9, 17))
    assert early.value.errors[0].code == "before_previous_event"

    # Served Thursday 1 October. Opposition: a month, to Sunday 1 November (All Saints),
    # so to Monday 2 November (CPC 642). Without a greffe notice within 2 months of
    # service (1 December) the creditor may enforce: from 2 December.
    view = event(world, caller, claim_id, "served", date(2026, 10, 1), in_person=True,
                 document_name="acte de signification", document_sha256="a" * 64)
    assert deadline(view, "serve_order")[2] is Status.MET
    assert deadline(view, "opposition") == (date(2026, 11, 1), date(2026, 11, 2), Status.OPEN)
    assert deadline(view, "enforce_from")[:2] == (date(2026, 12, 2), date(2026, 12, 2))
    assert view.proceeding.prescription_interrupted_on == date(2026, 10, 1)
    assert open_kinds(world, caller, claim_id) == {TaskKind.WATCH_OPPOSITION: date(2026, 12, 2)}
    # The service interrupted prescription: a new 5 years from 1 October 2026.
    claim = world.ports.unit_of_work().claims.get_claim(caller.creditor_id, claim_id)
    assert claim is not None and date(2026, 10, 1) in claim.acknowledged
    assert limits.limitation_date(date(2026, 3, 16), claim.debtor_kind,
                                  claim.acknowledged) == date(2031, 10, 1)

    with pytest.raises(DomainValidationError) as too_soon:
        event(world, caller, claim_id, "enforceable", date(2026, 12, 1))
    assert (too_soon.value.errors[0].field, too_soon.value.errors[0].code) == (
        "occurred_on", "too_early")

    view = event(world, caller, claim_id, "enforceable", date(2026, 12, 2))
    assert deadline(view, "opposition")[2] is Status.MISSED  # the debtor did not oppose
    assert deadline(view, "enforce_from")[2] is Status.MET
    assert view.title_enforceable_until == date(2036, 12, 2)  # CPCE L111-4: 10 years
    assert open_kinds(world, caller, claim_id) == {
        TaskKind.INSTRUCT_ENFORCEMENT: date(2026, 12, 2)}
    # The unopposed order is a judgment for the account (CPC 1422): pronounced on its date.
    _, account = world.ports.unit_of_work().claims.get_claim_account(caller.creditor_id,
                                                                      claim_id) or (None, None)
    assert account is not None and account.judgment is not None
    assert (account.judgment.pronounced_on, account.judgment.amount_awarded,
            account.judgment.enforceable_on) == (date(2026, 9, 15), Decimal("2400.00"),
                                                 date(2026, 12, 2))

    view = event(world, caller, claim_id, "enforcement_step", date(2026, 12, 10),
                 step="saisie-attribution",
                 cost=jps.CostDraft("commissaire", "120.00", "24.00"))
    assert view.proceeding.state == "enforcement"
    assert open_kinds(world, caller, claim_id) == {}

    view = event(world, caller, claim_id, "commissaire_payment", date(2027, 1, 15),
                 amount="1500.00")
    _, account = world.ports.unit_of_work().claims.get_claim_account(caller.creditor_id,
                                                                      claim_id) or (None, None)
    assert account is not None
    assert [(p.amount, p.received_on) for p in account.payments] == [
        (Decimal("1500.00"), date(2027, 1, 15))]

    view = event(world, caller, claim_id, "closed", date(2027, 1, 20))
    assert view.proceeding.state == "closed"
    # Dépens: the greffe fee and the commissaire's 120 + 24 VAT, 177.47 in all.
    assert jps.costs_summary(view.proceeding) == (Decimal("177.47"), Decimal("0"))
    assert [e.type.value for e in view.proceeding.events] == [
        "filed", "order_granted", "served", "enforceable", "enforcement_step",
        "commissaire_payment", "closed"]
    timeline = [e.action for e in world.ports.unit_of_work().claims.list_events(
        caller.creditor_id, claim_id, PageRequest(100)).items]
    assert timeline.count("judicial_event") == 7 and "proceeding_started" in timeline
    assert "record_judgment" in timeline and "record_payment" in timeline


def test_an_order_of_20_august_2026_not_served_within_6_months_lapses(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 8, 3))
    start_judicial(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    event(world, caller, claim_id, "filed", date(2026, 8, 3))
    # Dated before 1 September 2026: 6 months (CPC 1411), to Saturday 20 February 2027,
    # so Monday 22 February (CPC 642).
    view = event(world, caller, claim_id, "order_granted", date(2026, 8, 25),
                 order_date=date(2026, 8, 20), amount="2400.00")
    assert deadline(view, "serve_order") == (date(2027, 2, 20), date(2027, 2, 22),
                                             Status.OPEN)
    rule = next(d for d in view.deadlines if d.what == "serve_order")
    assert rule.effective_from == date(2022, 3, 1)
    assert open_kinds(world, caller, claim_id) == {TaskKind.SERVE_ORDER: date(2027, 2, 22)}

    on(world, date(2027, 2, 23))
    assert deadline(jps.get_judicial(claim_id, caller, world.ports), "serve_order")[2] \
        is Status.MISSED
    with pytest.raises(DomainValidationError) as late:
        event(world, caller, claim_id, "served", date(2027, 2, 23))
    assert late.value.errors[0].code == "after_service_deadline"

    view = event(world, caller, claim_id, "lapsed", date(2027, 2, 23))
    assert view.proceeding.state == "lapsed"
    assert view.proceeding.prescription_interrupted_on is None
    assert [(t.kind, t.status) for t in tasks(world, caller, claim_id)] == [
        (TaskKind.SERVE_ORDER, TaskStatus.SKIPPED)]
    # The claim is still owed: another route may start, as the proceeding's second.
    stored = services.get_claim(claim_id, caller, world.ports)
    assert stored.proceeding_ended_on == date(2027, 2, 23)
    assert "start_judicial" in lifecycle.allowed_actions(stored, date(2027, 2, 23))
    second = start_judicial(world, caller, claim_id, JudicialRoute.ASSIGNATION_AU_FOND)
    assert (second.proceeding.number, second.proceeding.state) == (2, "draft")
    stored = services.get_claim(claim_id, caller, world.ports)
    assert (stored.judicial_route, stored.proceeding_ended_on) == (
        JudicialRoute.ASSIGNATION_AU_FOND, None)
    # ... and never two at once.
    with pytest.raises(ActionNotAllowed):
        start_judicial(world, caller, claim_id, JudicialRoute.REFERE_PROVISION)


def test_an_assignation_against_a_debtor_in_la_reunion_before_a_court_in_lyon(
        world: FakeWorld, caller: Caller) -> None:
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Pâtisserie Hoarau SARL", country="FR",
        contact_points=[services.ContactPointDraft(
            ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Pâtisserie Hoarau SARL", ("3 rue de Paris",), "97400", "Saint-Denis",
                "FR"))]), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-2", date(2026, 2, 14), date(2026, 3, 16), "6000.00")]), caller, world.ports)
    on(world, date(2026, 9, 1))
    view = start_judicial(world, caller, claim.id, JudicialRoute.ASSIGNATION_AU_FOND)
    # Read from the debtor's address when the proceeding starts.
    assert view.proceeding.debtor_residence is Residence.OVERSEAS
    lyon = Court("Tribunal judiciaire de Lyon", "TJ", Residence.METROPOLITAN)
    event(world, caller, claim.id, "summons_served", date(2026, 9, 1), court=lyon)
    # Hearing Monday 2 November 2026: before the TJ the assignation is placed 15 days
    # before, Sunday 18 October, so Friday 16 October (counted back).
    view = event(world, caller, claim.id, "hearing_set", date(2026, 9, 2),
                 hearing_on=date(2026, 11, 2))
    assert deadline(view, "place_summons") == (date(2026, 10, 18), date(2026, 10, 16),
                                               Status.OPEN)
    assert open_kinds(world, caller, claim.id) == {
        TaskKind.ATTEND_HEARING: date(2026, 11, 2), TaskKind.PLACE_SUMMONS: date(2026, 10, 16)}
    view = event(world, caller, claim.id, "summons_placed", date(2026, 10, 5))
    assert deadline(view, "place_summons")[2] is Status.MET
    assert open_kinds(world, caller, claim.id) == {TaskKind.ATTEND_HEARING: date(2026, 11, 2)}
    event(world, caller, claim.id, "judgment", date(2026, 11, 20), amount="6000.00")
    # Served Monday 30 November: a month to appeal (CPC 538), a month more for a debtor
    # overseas before a court in metropolitan France (CPC 643 1°): Saturday 30 January
    # 2027, so Monday 1 February.
    view = event(world, caller, claim.id, "judgment_served", date(2026, 11, 30))
    appeal = next(d for d in view.deadlines if d.what == "appeal")
    assert (appeal.due, appeal.last_day, appeal.party.value, appeal.confirmed) == (
        date(2027, 1, 30), date(2027, 2, 1), "debtor", False)


def test_an_adjourned_hearing_moves_the_placement_task_instead_of_adding_one(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    on(world, date(2026, 9, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.ASSIGNATION_AU_FOND)
    lyon = Court("Tribunal judiciaire de Lyon", "TJ", Residence.METROPOLITAN)
    event(world, caller, claim_id, "summons_served", date(2026, 9, 1), court=lyon)
    event(world, caller, claim_id, "hearing_set", date(2026, 9, 2),
          hearing_on=date(2026, 11, 2))
    # Adjourned before the assignation was placed: Monday 7 December, so 15 days before
    # is Sunday 22 November, counted back to Friday 20 November.
    view = event(world, caller, claim_id, "hearing_set", date(2026, 9, 20),
                 hearing_on=date(2026, 12, 7))
    assert deadline(view, "place_summons")[1] == date(2026, 11, 20)
    placement = [t for t in tasks(world, caller, claim_id)
                 if t.kind is TaskKind.PLACE_SUMMONS]
    assert sorted((t.status, t.due_at.astimezone(PARIS).date()) for t in placement) == [
        (TaskStatus.OPEN, date(2026, 11, 20)), (TaskStatus.SKIPPED, date(2026, 10, 16))]
    assert next(t for t in placement if t.status is TaskStatus.SKIPPED).note == (
        "judicial event hearing_set (replaced)")
    assert open_kinds(world, caller, claim_id) == {
        TaskKind.ATTEND_HEARING: date(2026, 12, 7), TaskKind.PLACE_SUMMONS: date(2026, 11, 20)}


def _judged(world: FakeWorld, caller: Caller, amount: str = "6000.00",
            number: str = "F-9") -> str:
    """A claim of 6,000 EUR (above the last resort: appealable) taken to the TJ of Lyon on
    the merits, the hearing set for Monday 2 November 2026."""
    claim_id = open_claim(world, caller, number=number, amount=amount)
    on(world, date(2026, 9, 1))
    start_judicial(world, caller, claim_id, JudicialRoute.ASSIGNATION_AU_FOND)
    event(world, caller, claim_id, "summons_served", date(2026, 9, 1),
          court=Court("Tribunal judiciaire de Lyon", "TJ", Residence.METROPOLITAN))
    event(world, caller, claim_id, "hearing_set", date(2026, 9, 2),
          hearing_on=date(2026, 11, 2))
    event(world, caller, claim_id, "summons_placed", date(2026, 10, 5))
    return claim_id


def judgment_of(world: FakeWorld, caller: Caller, claim_id: str) -> object:
    found = world.ports.unit_of_work().claims.get_claim_account(caller.creditor_id, claim_id)
    assert found is not None
    return found[1].judgment


def test_the_debtor_appeals_enforcement_goes_on_and_the_arret_lowers_the_award(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _judged(world, caller)
    event(world, caller, claim_id, "judgment", date(2026, 11, 20), amount="6000.00")
    view = event(world, caller, claim_id, "judgment_served", date(2026, 11, 30))
    assert "appealed" in jp_events(view)
    # Served Monday 30 November: a month to appeal, to Wednesday 30 December (CPC 538).
    with pytest.raises(DomainValidationError) as nobody:
        event(world, caller, claim_id, "appealed", date(2026, 12, 15))
    assert nobody.value.errors[0].field == "appellant"
    view = event(world, caller, claim_id, "appealed", date(2026, 12, 15), appellant="debtor")
    # The decision stays enforceable (CPC 514): the same state, enforcement goes on.
    assert view.proceeding.state == "enforceable"
    assert deadline(view, "appeal") == (date(2026, 12, 30), date(2026, 12, 30), Status.MET)
    assert "appealed" not in jp_events(view) and "appeal_decided" in jp_events(view)
    # A lawyer before the cour d'appel within the month (CPC 902): Friday 15 January.
    lawyer = next(t for t in tasks(world, caller, claim_id)
                  if t.kind is TaskKind.INSTRUCT_LAWYER)
    assert (lawyer.status, lawyer.due_at.astimezone(PARIS).date()) == (
        TaskStatus.OPEN, date(2027, 1, 15))
    assert "cour d'appel" in lawyer.title
    view = event(world, caller, claim_id, "enforcement_step", date(2027, 1, 5),
                 step="saisie-attribution")
    assert view.proceeding.state == "enforcement"

    with pytest.raises(DomainValidationError) as missing:
        event(world, caller, claim_id, "appeal_decided", date(2027, 6, 10))
    assert missing.value.errors[0].field == "amount"
    # The arrêt awards 4,000: it is the title now, to be served; no second appeal.
    view = event(world, caller, claim_id, "appeal_decided", date(2027, 6, 10),
                 amount="4000.00", pronounced_on=date(2027, 6, 8))
    assert view.proceeding.state == "judgment"
    judgment = judgment_of(world, caller, claim_id)
    assert (judgment.pronounced_on, judgment.amount_awarded) == (  # type: ignore[attr-defined]
        date(2027, 6, 8), Decimal("4000.00"))
    assert open_kinds(world, caller, claim_id) == {TaskKind.SERVE_JUDGMENT: date(2027, 6, 10)}
    lawyer = next(t for t in tasks(world, caller, claim_id)
                  if t.kind is TaskKind.INSTRUCT_LAWYER)
    assert lawyer.status is TaskStatus.DONE
    view = event(world, caller, claim_id, "judgment_served", date(2027, 6, 20))
    assert view.proceeding.state == "enforceable"
    assert not any(d.what == "appeal" for d in view.deadlines)
    assert "appealed" not in jp_events(view)
    timeline = [e.data.get("type") for e in world.ports.unit_of_work().claims.list_events(
        caller.creditor_id, claim_id, PageRequest(100)).items]
    assert ["appealed", "appeal_decided"] == [t for t in timeline
                                              if t in ("appealed", "appeal_decided")]


def test_the_arret_that_confirms_leaves_the_title_and_its_enforcement(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = _judged(world, caller)
    event(world, caller, claim_id, "judgment", date(2026, 11, 20), amount="6000.00")
    event(world, caller, claim_id, "judgment_served", date(2026, 11, 30))
    event(world, caller, claim_id, "appealed", date(2026, 12, 15), appellant="debtor")
    event(world, caller, claim_id, "enforcement_step", date(2027, 1, 5), step="saisie-vente")
    view = event(world, caller, claim_id, "appeal_decided", date(2027, 6, 10),
                 amount="6000.00")
    assert view.proceeding.state == "enforcement"
    assert judgment_of(world, caller, claim_id).pronounced_on == date(  # type: ignore[attr-defined]
        2026, 11, 20)


def test_the_creditor_appeals_a_dismissal_and_wins_or_loses(
        world: FakeWorld, caller: Caller) -> None:
    won = _judged(world, caller)
    view = event(world, caller, won, "rejected", date(2026, 11, 20))
    with pytest.raises(DomainValidationError):  # the debtor has nothing to appeal
        event(world, caller, won, "appealed", date(2026, 12, 1), appellant="debtor")
    view = event(world, caller, won, "appealed", date(2026, 12, 1), appellant="creditor")
    assert view.proceeding.state == "rejected"
    # CPC 908: the appellant's conclusions within 3 months, Monday 1 March 2027.
    assert open_kinds(world, caller, won) == {TaskKind.INSTRUCT_LAWYER: date(2027, 3, 1)}
    view = event(world, caller, won, "appeal_decided", date(2027, 9, 1), amount="6000.00")
    assert (view.proceeding.state, view.proceeding.judgment_amount) == (
        "judgment", Decimal("6000.00"))
    assert view.proceeding.prescription_interrupted_on == date(2026, 9, 1)

    lost = _judged(world, caller, number="F-10")
    event(world, caller, lost, "judgment", date(2026, 11, 20), amount="6000.00")
    event(world, caller, lost, "judgment_served", date(2026, 11, 30))
    event(world, caller, lost, "appealed", date(2026, 12, 15), appellant="debtor")
    view = event(world, caller, lost, "appeal_decided", date(2027, 6, 10), amount="0.00")
    assert view.proceeding.state == "rejected"
    assert judgment_of(world, caller, lost) is None  # no title left to run interest on
    view = event(world, caller, lost, "closed", date(2027, 6, 11))
    assert view.proceeding.prescription_interrupted_on is None  # C. civ. 2243


def test_a_decision_in_last_resort_takes_no_appeal(world: FakeWorld, caller: Caller) -> None:
    claim_id = _judged(world, caller, amount="4800.00")
    event(world, caller, claim_id, "judgment", date(2026, 11, 20), amount="4800.00")
    view = event(world, caller, claim_id, "judgment_served", date(2026, 11, 30))
    assert "appealed" not in jp_events(view)
    with pytest.raises(ActionNotAllowed):
        event(world, caller, claim_id, "appealed", date(2026, 12, 15), appellant="debtor")


def jp_events(view: jps.JudicialView) -> list[str]:
    from domain.judicial.parameters import judicial_parameters
    from domain.judicial.proceedings import proceeding_events

    return proceeding_events(view.proceeding, judicial_parameters())
