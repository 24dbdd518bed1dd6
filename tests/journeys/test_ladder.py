"""Journeys through the default ladder on the fakes, with the clock moved by the local
scheduler: each wake-up fires at its instant, as EventBridge Scheduler would, and the test
reads what was sent, posted and asked of a person, and when.

The claim: 2,400.00 EUR due Monday 16 March 2026, a business in Lyon with an e-mail, a
mobile and a postal address. Paris is UTC+1 until 29 March, UTC+2 after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.creditors.model import Address
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.escalation.tasks import TaskKind
from domain.services import amounts, escalation
from domain.services.caller import Caller
from tests.fakes import FakeWorld, fake_ports

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March, 09:00 in Paris
CREDITOR = services.CreditorDraft(
    legal_name="Menuiserie Leroy SARL", siren="732829320",
    address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
    iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR")


@pytest.fixture
def world() -> FakeWorld:
    return fake_ports(FrozenClock(START), escalation=True)


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")


def open_claim(world: FakeWorld, caller: Caller, amount: str = "2400.00") -> str:
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[
            services.ContactPointDraft(ContactKind.EMAIL, value="compta@boulangerie-martin.fr"),
            services.ContactPointDraft(ContactKind.PHONE, value="06 12 34 56 78"),
            services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Boulangerie Martin SAS", ("12 rue de la République",), "69002", "Lyon",
                "FR"))]), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-1", date(2026, 2, 14), date(2026, 3, 16), amount)]), caller, world.ports)
    return claim.id


def tick(world: FakeWorld, until: datetime) -> list[tuple[datetime, str, Any]]:
    """Fire every wake-up up to `until`, moving the clock to each one's instant; render the
    letters the steps asked for. Returns (local instant, step, outcome) in order."""
    ran = []
    while True:
        pending = world.scheduler.pending()
        nxt = min((w.at for w in pending.values()), default=None)
        if nxt is None or nxt > until:
            break
        if nxt > world.clock.now():
            world.clock.advance(nxt - world.clock.now())
        for wakeup in world.scheduler.due():
            run = escalation.run_step(wakeup, world.ports, fired=True)
            ran.append((world.clock.now().astimezone(PARIS), wakeup.step_key, run))
        world.run_letter_jobs()
    if until > world.clock.now():
        world.clock.advance(until - world.clock.now())
    return ran


def open_tasks(world: FakeWorld, caller: Caller, claim_id: str) -> list[Any]:
    return world.ports.unit_of_work().tasks.open_tasks_of_claim(caller.creditor_id, claim_id)


def answer(world: FakeWorld, caller: Caller, task: Any, outcome: str) -> None:
    """A person completes the task through the worklist, which hands a step's task to the
    ladder after its commit."""
    from domain.services import tasks

    tasks.complete_task(task.id, tasks.TaskCompletion(outcome), caller, world.ports)


def test_the_default_ladder_runs_each_step_once_on_business_days_in_its_windows(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    ran = tick(world, datetime(2026, 3, 24, tzinfo=UTC))
    steps = [(at.strftime("%a %d %H:%M"), key, run.outcome) for at, key, run in ran]
    assert steps == [
        ("Wed 11 10:00", "pre_due_sms", "ran"),  # D-5, the SMS window opens at 10:00
        ("Wed 11 10:00", "pre_due_email", "ran"),
        ("Tue 17 09:00", "overdue_email", "ran"),  # D+1, e-mails from 09:00
        ("Mon 23 10:00", "first_call", "ran"),  # D+5 is Saturday 21: Monday's window
    ]
    assert [m.to for m in world.sms.sent] == ["+33612345678"]
    assert len(world.email.sent) == 2 and "F-1" in world.email.sent[1].text
    call = open_tasks(world, caller, claim_id)
    assert [(t.kind, t.step_key) for t in call] == [(TaskKind.CALL, "first_call")]
    # the call blocks the ladder: nothing more until a person answers
    assert tick(world, datetime(2026, 4, 30, tzinfo=UTC)) == []
    answer(world, caller, call[0], "reached")
    ran = tick(world, datetime(2026, 5, 5, tzinfo=UTC))
    # D+10 is long past: it runs once, late, but 3 days after the call that reached the
    # debtor on Thursday 30 April: Sunday 3 May, so Monday's window
    assert [(at.strftime("%a %d/%m %H:%M"), key) for at, key, _ in ran] == [
        ("Mon 04/05 10:00", "first_letter")]
    letters = services.letters.list_letters(claim_id, caller, world.ports)  # type: ignore[attr-defined]
    assert [(x.kind.value, x.status.value, x.dispatch.mode.value if x.dispatch else None)
            for x in letters] == [("reminder_1", "ready", "simple")]


def test_no_reminder_after_a_payment_in_full(world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller, "1000.00")
    tick(world, datetime(2026, 3, 12, tzinfo=UTC))
    assert len(world.sms.sent) == 1
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="1000.00", received_on=date(2026, 3, 12)), caller, world.ports)
    assert world.scheduler.pending() == {}  # closed: its schedule is gone
    assert tick(world, datetime(2026, 6, 1, tzinfo=UTC)) == []
    assert len(world.email.sent) == 1 and len(world.sms.sent) == 1


def test_a_wake_up_delivered_three_times_runs_its_step_once(world: FakeWorld,
                                                           caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    pending = list(world.scheduler.pending().values())
    assert [p.wakeup.step_key for p in pending] == ["pre_due_sms"]
    world.clock.advance(pending[0].at - world.clock.now())
    runs = [escalation.run_step(pending[0].wakeup, world.ports) for _ in range(3)]
    assert [r.outcome for r in runs] == ["ran", "stale", "stale"]
    assert len(world.sms.sent) == 1
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.step_index == 1 and claim.next_step == "pre_due_email"


def test_a_lost_schedule_is_run_once_by_the_sweeper(world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    lost = list(world.scheduler.pending())
    for name in lost:
        world.scheduler.cancel(name)  # EventBridge lost it
    # 11:30 in Paris on the SMS's day: 90 minutes late, inside its window
    world.clock.advance(datetime(2026, 3, 11, 10, 30, tzinfo=UTC) - world.clock.now())
    assert escalation.sweep(world.ports) == 1
    assert len(world.sms.sent) == 1
    # the e-mail that follows was scheduled at once: not the sweeper's until it is late
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.next_step == "pre_due_email" and claim.schedule_name in (
        world.scheduler.pending())
    assert escalation.sweep(world.ports) == 0


def test_a_promise_pauses_the_ladder_and_a_broken_one_resumes_it(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    tick(world, datetime(2026, 3, 12, tzinfo=UTC))
    amounts.record_promise(claim_id, amounts.PromiseDraft(
        amount="2400.00", promised_on=date(2026, 3, 20), channel="phone"), caller, world.ports)
    # held: only a wake-up the morning after the promise's deadline (20 Mar + 3 days)
    assert [(w.wakeup.step_key, w.at) for w in world.scheduler.pending().values()] == [
        ("resume", datetime(2026, 3, 24, 7, 0, tzinfo=UTC))]
    assert tick(world, datetime(2026, 3, 23, 23, tzinfo=UTC)) == []  # kept till then
    ran = tick(world, datetime(2026, 3, 25, tzinfo=UTC))
    # nothing was paid: broken, the hold lifted; the overdue e-mail and the call missed
    # while held run late, once each, in their windows
    assert [(at.strftime("%d %H:%M"), key, run.outcome) for at, key, run in ran] == [
        ("24 08:00", "resume", "not_due"), ("24 09:00", "overdue_email", "ran"),
        ("24 10:00", "first_call", "ran")]
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.hold is None and len(world.email.sent) == 2


def test_skip_step_passes_over_the_next_step(world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    services.apply_action(claim_id, services.ActionRequest("skip_step", "no SMS for them"),
                          caller, world.ports)
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.step_index == 1 and claim.next_step == "pre_due_email"
    ran = tick(world, datetime(2026, 3, 12, tzinfo=UTC))
    assert [key for _, key, _ in ran] == ["pre_due_email"] and world.sms.sent == []


def test_the_ladder_is_readable_with_its_next_instant(world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    view = escalation.ladder(claim_id, caller, world.ports)
    assert view.policy_id == "default" and view.policy_version == 1
    assert view.plan.step is not None and view.plan.step.key == "pre_due_sms"
    assert view.at == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    assert timedelta(0) < view.at - START


def test_the_formal_notice_waits_for_approval_then_goes_by_lrar_and_the_assessment_follows(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    with world.ports.unit_of_work() as uow:  # the ladder is at its formal notice
        claim = uow.claims.get_claim(caller.creditor_id, claim_id)
        assert claim is not None
        claim.step_index, claim.last_contact_on = 7, date(2026, 4, 15)
        uow.claims.save_claim(claim, [], claim.version)
        uow.commit()
    escalation.reschedule(caller.creditor_id, claim_id, world.ports)
    ran = tick(world, datetime(2026, 4, 30, tzinfo=UTC))
    # D+40 = Sat 25 Apr: Monday 27, from 09:00; an approval first, nothing posted
    assert [(at.strftime("%a %d %H:%M"), key, run.outcome) for at, key, run in ran] == [
        ("Mon 27 09:00", "formal_notice", "approval_requested")]
    assert services.letters.list_letters(claim_id, caller, world.ports) == []  # type: ignore[attr-defined]
    (approval,) = open_tasks(world, caller, claim_id)
    assert (approval.kind, approval.step_key) == (TaskKind.APPROVAL, "formal_notice")
    answer(world, caller, approval, "approved")
    world.run_letter_jobs()
    (notice,) = services.letters.list_letters(claim_id, caller, world.ports)  # type: ignore[attr-defined]
    assert notice.kind.value == "formal_notice" and notice.dispatch is not None
    assert notice.dispatch.mode.value == "registered_ar"
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.phase.value == "formal_notice" and claim.notice_deadline == notice.deadline
    assert notice.deadline == date(2026, 5, 8)  # 30 Apr + 8 days
    # the judicial assessment: the deadline + 8 days = Sat 16 May: Monday 18, 09:00
    ran = tick(world, datetime(2026, 5, 20, tzinfo=UTC))
    assert [(at.strftime("%a %d/%m %H:%M"), key) for at, key, _ in ran] == [
        ("Mon 18/05 09:00", "judicial_assessment")]
    assert [t.kind for t in open_tasks(world, caller, claim_id)] == [
        TaskKind.JUDICIAL_ASSESSMENT]


def _called(world: FakeWorld, caller: Caller, debtor_id: str, at: datetime, n: int) -> None:
    """A call task of another claim of the debtor, done at `at`."""
    from domain.escalation.tasks import Task, TaskStatus

    with world.ports.unit_of_work() as uow:
        uow.tasks.add_task(Task(
            id=f"tsk_call{n}", creditor_id=caller.creditor_id, claim_id="clm_other",
            debtor_id=debtor_id, kind=TaskKind.CALL, status=TaskStatus.DONE, created_at=at,
            due_at=at, title="Call the debtor", step_key="first_call", outcome="no_answer",
            completed_at=at))
        uow.commit()


def test_a_fifth_call_in_thirty_days_waits_for_the_oldest_to_leave_the_count(
        world: FakeWorld, caller: Caller) -> None:
    """Calls to the debtor (about another of its claims) on 2, 3, 4 and 5 March at 09:00
    UTC (10:00 in Paris): the ladder's next call, due on 23 March, waits until the first
    leaves the count, 30 days later: 1 April 09:00 UTC, 11:00 in Paris once summer time
    began, inside the window (D223-9's cap, applied conservatively)."""
    claim_id = open_claim(world, caller)
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with world.ports.unit_of_work() as uow:
        claim = uow.claims.get_claim(caller.creditor_id, claim_id)
        assert claim is not None
        claim.step_index = 3  # at the first call (D+5, Saturday 21: Monday 23)
        uow.claims.save_claim(claim, [], claim.version)
        uow.commit()
    for n in range(3):
        _called(world, caller, claim.debtor_id, first + timedelta(days=n), n)
    view = escalation.ladder(claim_id, caller, world.ports)  # three in the period: no wait
    assert view.plan.step is not None and view.plan.step.key == "first_call"
    assert view.at == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    _called(world, caller, claim.debtor_id, first + timedelta(days=3), 3)
    view = escalation.ladder(claim_id, caller, world.ports)
    assert view.at == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_a_call_answered_counts_as_an_attempt(world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    tick(world, datetime(2026, 3, 24, tzinfo=UTC))
    (call,) = open_tasks(world, caller, claim_id)
    answer(world, caller, call, "no_answer")
    claim = services.get_claim(claim_id, caller, world.ports)
    assert world.ports.unit_of_work().tasks.calls_of_debtor(
        caller.creditor_id, claim.debtor_id, START) == [world.clock.now()]
    assert claim.last_contact_on == date(2026, 3, 17)  # no answer: not a contact


def test_a_step_whose_run_died_after_its_claim_is_run_once_by_the_sweeper(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    (scheduled,) = world.scheduler.pending().values()
    world.clock.advance(scheduled.at - world.clock.now())
    world.scheduler.cancel(next(iter(world.scheduler.pending())))  # it fired
    claimed = escalation._claim_step(scheduled.wakeup, world.ports, approved=False)
    assert not isinstance(claimed, escalation.StepRun)  # claimed, then the process died
    world.clock.advance(timedelta(minutes=5))
    assert escalation.sweep(world.ports) == 0  # still under way, as far as anyone knows
    world.clock.advance(timedelta(minutes=15))
    assert escalation.sweep(world.ports) == 1
    assert len(world.sms.sent) == 1
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.running_step is None and claim.next_step == "pre_due_email"
    from domain.ports import PageRequest
    from domain.services import queries

    entries = [e for e in queries.claim_events(claim_id, PageRequest(100), caller,
                                               world.ports).items
               if e.action == "step_started"]
    assert [e.data.get("recovered") for e in entries] == [None, "True"]


def test_a_dispute_on_one_invoice_leaves_the_ladder_chasing_the_others(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)  # F-1 due 16 March
    debtor_id = services.get_claim(claim_id, caller, world.ports).debtor_id
    second, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[
            services.InvoiceDraft("F-2", date(2026, 2, 14), date(2026, 3, 16), "500.00"),
            services.InvoiceDraft("F-3", date(2026, 3, 1), date(2026, 4, 10), "700.00")]),
        caller, world.ports)
    services.apply_action(second.id, services.ActionRequest(
        "open_dispute", "F-2 delivered damaged", invoices=("F-2",)), caller, world.ports)
    held = services.get_claim(second.id, caller, world.ports)
    assert held.hold is None and held.disputed_invoices == ("F-2",)
    view = escalation.ladder(second.id, caller, world.ports)
    # F-3 carries the ladder: D-5 = Sunday 5 April, Easter Monday 6: Tuesday 7, 10:00 Paris
    assert view.plan.step is not None and view.plan.step.key == "pre_due_sms"
    assert view.at == datetime(2026, 4, 7, 8, 0, tzinfo=UTC)
    from domain.letters.model import LetterKind
    from domain.services import letters

    letter = letters.request_letter(second.id, letters.LetterDraft(LetterKind.REMINDER_1),
                                    caller, world.ports)
    said = letters.get_letter(second.id, letter.id, caller, world.ports).content
    assert [i.number for i in said.invoices] == ["F-3"]  # the disputed one is not chased
    services.apply_action(second.id, services.ActionRequest("resolve_dispute"), caller,
                          world.ports)
    assert services.get_claim(second.id, caller, world.ports).disputed_invoices == ()
    view = escalation.ladder(second.id, caller, world.ports)
    assert view.plan.due_on == date(2026, 3, 11)  # F-2 carries it again


def _feedback(world: FakeWorld, kind: str) -> None:
    """The provider's word on the first e-mail sent, as SES reports it (recipient in
    another case, tags as sent)."""
    from domain.ports.escalation import DeliveryEvent
    from domain.services.email_feedback import record_email_feedback

    sent = world.email.sent[0]
    event = DeliveryEvent("ses-0001", kind, True, (sent.to.upper(),),  # type: ignore[arg-type]
                          sent.idempotency_key, sent.creditor_id, sent.claim_id)
    assert [r.outcome for r in record_email_feedback([event], world.ports)] == ["applied"]


def test_after_a_hard_bounce_the_next_e_mail_step_asks_for_an_address_on_time(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = open_claim(world, caller)
    tick(world, datetime(2026, 3, 12, tzinfo=UTC))  # pre_due_sms, pre_due_email
    assert len(world.email.sent) == 1
    _feedback(world, "bounce")  # minutes after the send, the next step already scheduled
    ran = tick(world, datetime(2026, 3, 18, tzinfo=UTC))
    # The step still runs at its instant (its wake-up followed the claim's new version),
    # without e-mail: none is valid now.
    assert [(at.strftime("%a %d %H:%M"), key, run.outcome, run.skipped, run.tasks)
            for at, key, run in ran] == [
        ("Tue 17 09:00", "overdue_email", "ran", (("email", "no_email"),),
         ("verify_contact",))]
    assert len(world.email.sent) == 1
    kinds = [t.kind for t in open_tasks(world, caller, claim_id)]
    assert kinds == [TaskKind.VERIFY_CONTACT, TaskKind.VERIFY_CONTACT]  # the bounce's, the step's


def test_after_a_complaint_the_ladder_never_e_mails_the_address_again(
        world: FakeWorld, caller: Caller) -> None:
    open_claim(world, caller)
    tick(world, datetime(2026, 3, 12, tzinfo=UTC))
    _feedback(world, "complaint")
    ran = tick(world, datetime(2026, 3, 18, tzinfo=UTC))
    assert [(key, run.skipped) for _, key, run in ran] == [
        ("overdue_email", (("email", "no_email"),))]
    assert len(world.email.sent) == 1
