"""More journeys through the ladder on the fakes, with the clock moved by the local
scheduler (see test_ladder.py): what a plan's default, a partial payment, the oldest
invoice paid, a reopening and a judicial start do to the steps, and the calls cap shared
by a debtor's claims. Every expected instant is worked out from the policy's offsets, the
contact windows (calls and SMS from 10:00, e-mails from 09:00, letters 09:00-18:00, Monday
to Friday) and the calendar: Easter Monday is 6 April 2026; Paris is UTC+1 until 29 March,
UTC+2 after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.escalation.planner import PlanKind
from domain.escalation.policy import Channel, Step
from domain.escalation.tasks import TaskKind
from domain.services import amounts, escalation
from domain.services.caller import Caller
from tests.fakes import FakeWorld, fake_ports
from tests.journeys.test_ladder import CREDITOR, START, answer, open_tasks, tick


@pytest.fixture
def world() -> FakeWorld:
    return fake_ports(FrozenClock(START), escalation=True)


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")


def new_debtor(world: FakeWorld, caller: Caller) -> str:
    return services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[
            services.ContactPointDraft(ContactKind.EMAIL, value="compta@boulangerie-martin.fr"),
            services.ContactPointDraft(ContactKind.PHONE, value="06 12 34 56 78"),
            services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Boulangerie Martin SAS", ("12 rue de la République",), "69002", "Lyon",
                "FR"))]), caller, world.ports).id


def new_claim(world: FakeWorld, caller: Caller, debtor_id: str,
              *invoices: tuple[str, date, str]) -> str:
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[
            services.InvoiceDraft(number, date(2026, 2, 14), due, amount)
            for number, due, amount in invoices]), caller, world.ports)
    return claim.id


def one_invoice_claim(world: FakeWorld, caller: Caller) -> str:
    """2,400.00 EUR due Monday 16 March, as in test_ladder.py."""
    return new_claim(world, caller, new_debtor(world, caller),
                     ("F-1", date(2026, 3, 16), "2400.00"))


def steps(ran: list[tuple[datetime, str, Any]]) -> list[tuple[str, str, str]]:
    return [(at.strftime("%a %d/%m %H:%M"), key, run.outcome) for at, key, run in ran]


# The default ladder on the claim due 16 March up to the overdue e-mail: D-5 is Wednesday
# 11 March (the SMS window opens at 10:00, the e-mail follows at once), D+1 Tuesday 17.
FIRST_THREE = [("Wed 11/03 10:00", "pre_due_sms", "ran"),
               ("Wed 11/03 10:00", "pre_due_email", "ran"),
               ("Tue 17/03 09:00", "overdue_email", "ran")]


def test_a_defaulted_payment_plan_resumes_the_ladder_at_the_step_not_yet_run(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = one_invoice_claim(world, caller)
    assert steps(tick(world, datetime(2026, 3, 18, 9, 0, tzinfo=UTC))) == FIRST_THREE
    amounts.start_payment_plan(claim_id, amounts.PlanDraft(
        count=2, first_due_on=date(2026, 3, 25)), caller, world.ports)
    held = services.get_claim(claim_id, caller, world.ports)
    assert held.hold is not None and held.hold.reason.value == "payment_plan"
    # Held until the last instalment (25 April): only the wake-up the morning after.
    assert [w.wakeup.step_key for w in world.scheduler.pending().values()] == ["resume"]
    # Nothing is paid: the first instalment (25 March) is missed once its 5 days of grace
    # end (30 March). The daily review finds it on Tuesday 31 March, 09:00 in Paris.
    assert tick(world, datetime(2026, 3, 31, 7, 0, tzinfo=UTC)) == []
    amounts.review(claim_id, caller, world.ports)
    resumed = services.get_claim(claim_id, caller, world.ports)
    assert resumed.hold is None and resumed.step_index == 3
    # The first call (D+5, long past) runs once, late, in that day's call window; the
    # overdue e-mail, already sent, is not sent again.
    ran = tick(world, datetime(2026, 4, 1, tzinfo=UTC))
    assert steps(ran) == [("Tue 31/03 10:00", "first_call", "ran")]
    assert len(world.email.sent) == 2 and len(world.sms.sent) == 1
    assert [t.kind for t in open_tasks(world, caller, claim_id)] == [TaskKind.CALL]


def test_a_partial_payment_neither_skips_nor_repeats_a_step(world: FakeWorld,
                                                            caller: Caller) -> None:
    claim_id = one_invoice_claim(world, caller)
    ran = tick(world, datetime(2026, 3, 18, 10, 0, tzinfo=UTC))
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="500.00", received_on=date(2026, 3, 18)), caller, world.ports)
    ran += tick(world, datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    (call,) = open_tasks(world, caller, claim_id)
    answer(world, caller, call, "reached")  # Monday 23 March, 10:00 in Paris
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="300.00", received_on=date(2026, 3, 23)), caller, world.ports)
    ran += tick(world, datetime(2026, 4, 8, tzinfo=UTC))
    # The same invoice carries the ladder throughout: each step once, on the day its
    # offset and its delay since the last contact give.
    assert steps(ran) == [
        *FIRST_THREE,
        ("Mon 23/03 10:00", "first_call", "ran"),  # D+5 is Saturday 21
        # D+10, and 3 days after the call that reached the debtor: Thursday 26, from 10:00
        # for its SMS
        ("Thu 26/03 10:00", "first_letter", "ran"),
        # D+20 is Sunday 5 April (5 days after the letter's contact: 31 March), Easter
        # Monday: Tuesday 7, from 10:00 for its call
        ("Tue 07/04 10:00", "second_letter", "ran"),
    ]
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.outstanding > 1500  # still above the visit's threshold: nothing passed over
    assert [t.step_key for t in open_tasks(world, caller, claim_id)] == ["second_letter"]


def test_paying_the_oldest_invoice_moves_the_ladder_to_the_next_without_going_back(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = new_claim(world, caller, new_debtor(world, caller),
                         ("F-1", date(2026, 3, 16), "1000.00"),
                         ("F-2", date(2026, 3, 30), "1400.00"))
    ran = tick(world, datetime(2026, 3, 16, 11, 0, tzinfo=UTC))
    assert steps(ran) == FIRST_THREE[:2]  # F-1 carries the ladder: D-5 is 11 March
    # F-1 paid on its due date: no interest, no indemnity, settled in full.
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="1000.00", received_on=date(2026, 3, 16)), caller, world.ports)
    ran = tick(world, datetime(2026, 4, 8, tzinfo=UTC))
    # F-2 (due Monday 30 March) carries it on from the overdue e-mail: its own pre-due
    # steps (25 March) are not run again. D+1: Tuesday 31, 09:00 in Paris; D+5 is
    # Saturday 4 April, then Easter Monday: Tuesday 7, from 10:00.
    assert steps(ran) == [("Tue 31/03 09:00", "overdue_email", "ran"),
                          ("Tue 07/04 10:00", "first_call", "ran")]
    assert len(world.sms.sent) == 1 and len(world.email.sent) == 2
    overdue = world.email.sent[1].text
    assert "F-2" in overdue and "F-1" not in overdue


def test_reopening_a_written_off_claim_plans_its_ladder_again(world: FakeWorld,
                                                              caller: Caller) -> None:
    claim_id = one_invoice_claim(world, caller)
    assert steps(tick(world, datetime(2026, 3, 18, 9, 0, tzinfo=UTC))) == FIRST_THREE
    services.apply_action(claim_id, services.ActionRequest("write_off", "not worth it"),
                          caller, world.ports)
    assert world.scheduler.pending() == {}
    assert tick(world, datetime(2026, 3, 25, 8, 30, tzinfo=UTC)) == []
    claim, entry = services.apply_action(claim_id, services.ActionRequest(
        "reopen", "the debtor called back"), caller, world.ports)
    # Opened before its due date, it fell due meanwhile: amicable now.
    assert claim.phase.value == "amicable" and entry.data["from"] == "closed (written_off)"
    # Wednesday 25 March, 09:30 in Paris: the first call (D+5, past) at 10:00 that day;
    # what ran before the write-off does not run again.
    assert steps(tick(world, datetime(2026, 3, 26, tzinfo=UTC))) == [
        ("Wed 25/03 10:00", "first_call", "ran")]
    assert len(world.email.sent) == 2 and len(world.sms.sent) == 1


def test_start_judicial_stops_the_ladder(world: FakeWorld, caller: Caller) -> None:
    claim_id = one_invoice_claim(world, caller)
    assert steps(tick(world, datetime(2026, 3, 18, 9, 0, tzinfo=UTC))) == FIRST_THREE
    assert [w.wakeup.step_key for w in world.scheduler.pending().values()] == ["first_call"]
    claim, entry = services.apply_action(claim_id, services.ActionRequest(
        "start_judicial", "no answer", route="injonction_de_payer"), caller, world.ports)
    assert (claim.phase.value, entry.data) == ("judicial", {
        "from": "amicable", "to": "judicial", "route": "injonction_de_payer"})
    assert world.scheduler.pending() == {}
    stored = services.get_claim(claim_id, caller, world.ports)
    assert stored.next_step is None and stored.schedule_name is None
    view = escalation.ladder(claim_id, caller, world.ports)
    assert view.plan.kind is PlanKind.STOPPED and view.at is None
    assert tick(world, datetime(2026, 6, 30, tzinfo=UTC)) == []
    assert len(world.email.sent) == 2 and open_tasks(world, caller, claim_id) == []
    refused = escalation.sweep(world.ports)  # nothing due for the sweeper either
    assert refused == 0


CALLS_ONLY = (Step("call_1", 1, (Channel.CALL_TASK,)), Step("call_2", 2, (Channel.CALL_TASK,)),
              Step("call_3", 3, (Channel.CALL_TASK,)))


def test_a_debtors_claims_share_the_cap_of_four_calls_in_thirty_days(
        world: FakeWorld, caller: Caller) -> None:
    """Two claims of one debtor, each due Monday 16 March, on a ladder of three calls (D+1,
    D+2, D+3). Each claim alone makes two calls before its third, under the cap; the
    debtor receives four: the third calls wait until the first two leave the 30 days, on
    Thursday 16 April at the instant they were made (09:00 UTC, 11:00 in Paris)."""
    from domain.services.policies import PolicyDraft, put_policy

    put_policy("calls", PolicyDraft(CALLS_ONLY, default=True), None, caller, world.ports)
    debtor_id = new_debtor(world, caller)
    claims = [new_claim(world, caller, debtor_id, (number, date(2026, 3, 16), "900.00"))
              for number in ("F-1", "F-2")]
    ran = []
    for day in (17, 18):  # Tuesday and Wednesday, 10:00 in Paris: both claims call
        ran += tick(world, datetime(2026, 3, day, 9, 0, tzinfo=UTC))
        for claim_id in claims:
            (call,) = open_tasks(world, caller, claim_id)
            answer(world, caller, call, "no_answer")
    ran += tick(world, datetime(2026, 4, 30, tzinfo=UTC))
    assert steps(ran) == [
        ("Tue 17/03 10:00", "call_1", "ran"), ("Tue 17/03 10:00", "call_1", "ran"),
        ("Wed 18/03 10:00", "call_2", "ran"), ("Wed 18/03 10:00", "call_2", "ran"),
        ("Thu 16/04 11:00", "call_3", "ran"), ("Thu 16/04 11:00", "call_3", "ran")]
    calls = world.ports.unit_of_work().tasks.calls_of_debtor(
        caller.creditor_id, debtor_id, datetime(2026, 3, 1, tzinfo=UTC))
    assert calls == [datetime(2026, 3, day, 9, 0, tzinfo=UTC) for day in (17, 17, 18, 18)] + [
        datetime(2026, 4, 16, 9, 0, tzinfo=UTC)] * 2  # the last two still open
