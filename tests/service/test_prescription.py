"""Prescription interrupted by the debtor's acknowledgement (C. civ. 2240, 2231): a partial
payment, a promise or a plan starts a new period of the same length; a reversed payment
does not count; an acknowledgement after expiry revives nothing and is flagged. The period
starts at the performance date when given (Cass. com. 26 Feb 2020 n° 18-25.036), the due
date otherwise (C. civ. 2233); a promise counts from the day it was made (`made_on`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.amounts import deadlines
from domain.debtors.model import DebtorKind
from domain.services import amounts
from domain.services.caller import Caller
from domain.shared.errors import DomainValidationError
from tests.fakes import FakeWorld
from tests.service.conftest import open_claim

B2C = DebtorKind.CONSUMER  # two years (C. conso. L218-2)


def test_an_acknowledgement_starts_a_new_period_of_the_same_length() -> None:
    due = date(2024, 1, 10)
    assert deadlines.limitation_date(due, B2C) == date(2026, 1, 10)
    assert deadlines.limitation_date(due, B2C, [date(2025, 6, 1)]) == date(2027, 6, 1)
    # A second one inside the new period moves it again; order of input does not matter.
    both = [date(2027, 5, 1), date(2025, 6, 1)]
    assert deadlines.limitation_date(due, B2C, both) == date(2029, 5, 1)
    assert deadlines.late_acknowledgements(
        deadlines.limitation_date(due, B2C, both), both) == []


def test_an_acknowledgement_after_expiry_revives_nothing_and_is_reported() -> None:
    due = date(2020, 1, 10)
    late = [date(2023, 3, 1)]
    assert deadlines.limitation_date(due, B2C, late) == date(2022, 1, 10)
    assert deadlines.late_acknowledgements(
        deadlines.limitation_date(due, B2C, late), late) == [date(2023, 3, 1)]
    # Five years between merchants: the same day is then in time.
    assert deadlines.limitation_date(due, DebtorKind.BUSINESS, late) == date(2028, 3, 1)


@pytest.fixture
def old_consumer_claim(world: FakeWorld, caller: Caller) -> str:
    """300.00 due 2024-03-15 from a consumer: time-barred on 2026-03-15 without more."""
    return open_claim(world, caller, amount="300.00", due=date(2024, 3, 15), kind=B2C).id


def test_a_partial_payment_moves_the_limitation_date_and_its_reversal_undoes_it(
        world: FakeWorld, caller: Caller, old_consumer_claim: str) -> None:
    claim_id = old_consumer_claim
    before = amounts.statement(claim_id, None, caller, world.ports)[1]
    assert before.invoices[0].limitation_date == date(2026, 3, 15)
    assert before.invoices[0].prescription_warning
    _, payment = amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="50.00", received_on=date(2026, 3, 2)), caller, world.ports)
    after = amounts.statement(claim_id, None, caller, world.ports)[1]
    assert after.invoices[0].limitation_date == date(2028, 3, 2)
    assert not after.invoices[0].prescription_warning
    assert services.get_claim(claim_id, caller, world.ports).acknowledged == (date(2026, 3, 2),)
    amounts.reverse_payment(claim_id, payment.id, "bounced", caller, world.ports)
    undone = amounts.statement(claim_id, None, caller, world.ports)[1]
    assert undone.invoices[0].limitation_date == date(2026, 3, 15)
    assert services.get_claim(claim_id, caller, world.ports).acknowledged == ()


def test_a_promise_is_an_acknowledgement(world: FakeWorld, caller: Caller,
                                         old_consumer_claim: str) -> None:
    amounts.record_promise(old_consumer_claim, amounts.PromiseDraft(
        amount="300.00", promised_on=date(2026, 3, 20), channel="phone"), caller, world.ports)
    stated = amounts.statement(old_consumer_claim, None, caller, world.ports)[1]
    assert stated.invoices[0].limitation_date == date(2028, 3, 10)  # the day it was made


def test_a_payment_after_expiry_is_flagged_for_a_person(world: FakeWorld, caller: Caller,
                                                        clock: FrozenClock,
                                                        old_consumer_claim: str) -> None:
    clock.advance(timedelta(days=30))  # 2026-04-09: time-barred since 2026-03-15
    amounts.record_payment(old_consumer_claim, amounts.PaymentDraft(
        amount="50.00", received_on=date(2026, 4, 9)), caller, world.ports)
    stated = amounts.statement(old_consumer_claim, None, caller, world.ports)[1]
    assert stated.invoices[0].limitation_date == date(2026, 3, 15)
    assert stated.invoices[0].prescribed
    codes = {f.code for f in stated.flags}
    assert {"acknowledged_after_prescription", "prescribed"} <= codes


def test_a_payment_reversed_on_the_banks_return_date_is_ignored_from_that_day(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    """An ERP's history: the transfer of 1 March came back on 5 March, imported on the 10th."""
    claim = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15))
    _, payment = amounts.record_payment(claim.id, amounts.PaymentDraft(
        amount="200.00", received_on=date(2026, 3, 1)), caller, world.ports)
    change, reversed_payment = amounts.reverse_payment(
        claim.id, payment.id, "returned by the bank", caller, world.ports,
        reversed_on=date(2026, 3, 5))
    assert reversed_payment.reversed_on == date(2026, 3, 5)
    assert change.entries[0].data["reversed_on"] == "2026-03-05"
    on_the_4th = amounts.statement(claim.id, date(2026, 3, 4), caller, world.ports)[1]
    on_the_5th = amounts.statement(claim.id, date(2026, 3, 5), caller, world.ports)[1]
    assert on_the_4th.totals.paid == 200 and on_the_5th.totals.paid == 0


@pytest.mark.parametrize(("day", "code"), [(date(2026, 2, 28), "before_payment"),
                                           (date(2026, 3, 11), "in_future")])
def test_a_reversal_date_before_the_payment_or_in_the_future_is_refused(
        world: FakeWorld, caller: Caller, day: date, code: str) -> None:
    claim = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15))
    _, payment = amounts.record_payment(claim.id, amounts.PaymentDraft(
        amount="200.00", received_on=date(2026, 3, 1)), caller, world.ports)
    commits = world.db.commits
    with pytest.raises(DomainValidationError) as refused:
        amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports,
                                reversed_on=day)
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == ("reversed_on", code)
    assert world.db.commits == commits


# ------------------------------------------------------------------------ performance date


def _invoices(*performed: date | None) -> list[services.InvoiceDraft]:
    return [services.InvoiceDraft(f"F-{i + 1}", date(2024, 3, 1), date(2024, 3, 31), "100.00",
                                  performed_on)
            for i, performed_on in enumerate(performed)]


def _consumer(world: FakeWorld, caller: Caller) -> str:
    return services.create_debtor(services.DebtorDraft(
        kind=B2C, name="Jeanne Martin", country="FR"), caller, world.ports).id


def test_prescription_runs_from_the_performance_date_when_given(
        world: FakeWorld, caller: Caller) -> None:
    """Cass. 3e civ. 1 Mar 2023 n° 21-23.176 (C. conso. L218-2): works completed on 20 Jan
    2024, invoice due 31 Mar 2024: time-barred after 20 Jan 2026, not 31 Mar 2026; works
    completed after the due date (1 Jul 2024) start it then (C. civ. 2224); without a
    performance date, the due date (C. civ. 2233)."""
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=_consumer(world, caller), currency="EUR",
        invoices=_invoices(date(2024, 1, 20), date(2024, 7, 1), None)), caller, world.ports)
    stored_claim = services.get_claim(claim.id, caller, world.ports)
    assert [i.performed_on for i in stored_claim.invoices] == [
        date(2024, 1, 20), date(2024, 7, 1), None]
    stated = amounts.statement(claim.id, None, caller, world.ports)[1]
    assert [(s.limitation_date, s.prescribed, s.prescription_warning)
            for s in stated.invoices] == [(date(2026, 1, 20), True, False),
                                          (date(2026, 7, 1), False, False),
                                          (date(2026, 3, 31), False, True)]
    assert {(f.code, f.subject) for f in stated.flags} >= {("prescribed", "F-1"),
                                                           ("prescription_near", "F-3")}


@pytest.mark.parametrize(("performed_on", "code"), [(date(2026, 3, 11), "in_future"),
                                                    (date(1900, 1, 1), "date_out_of_range")])
def test_a_performance_date_in_the_future_or_out_of_range_is_refused(
        world: FakeWorld, caller: Caller, performed_on: date, code: str) -> None:
    debtor_id = _consumer(world, caller)
    commits = world.db.commits
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(services.ClaimDraft(
            debtor_id=debtor_id, currency="EUR",
            invoices=_invoices(None, date(2024, 1, 20), performed_on)), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("invoices[2].performed_on", code)]
    assert world.db.commits == commits


def test_a_performance_date_is_in_the_future_by_the_creditors_calendar(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    """At 23:30 UTC on 10 March it is already 11 March in Paris, the creditor's zone."""
    clock.at = clock.at.replace(hour=23, minute=30)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=_consumer(world, caller), currency="EUR",
        invoices=_invoices(date(2026, 3, 11))), caller, world.ports)
    assert claim.invoices[0].performed_on == date(2026, 3, 11)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(services.ClaimDraft(
            debtor_id=_consumer(world, caller), currency="EUR",
            invoices=[services.InvoiceDraft("F-9", date(2026, 3, 1), date(2026, 3, 31),
                                            "100.00", date(2026, 3, 12))]),
            caller, world.ports)
    assert refused.value.errors[0].field == "invoices[0].performed_on"


# ------------------------------------------------------------------------ promise's day


def test_a_promise_made_on_a_past_day_acknowledges_the_debt_that_day(
        world: FakeWorld, caller: Caller, old_consumer_claim: str) -> None:
    """C. civ. 2240: the promise of 1 March 2026, imported on the 10th, starts two new years
    from 1 March (C. conso. L218-2, 2231), not from the day it was recorded."""
    change, promise = amounts.record_promise(old_consumer_claim, amounts.PromiseDraft(
        amount="300.00", promised_on=date(2026, 3, 20), channel="phone",
        made_on=date(2026, 3, 1)), caller, world.ports)
    assert (promise.made_on, promise.made_at) == (date(2026, 3, 1), change.claim.updated_at)
    assert change.entries[0].data["made_on"] == "2026-03-01"
    assert services.get_claim(old_consumer_claim, caller,
                              world.ports).acknowledged == (date(2026, 3, 1),)
    stated = amounts.statement(old_consumer_claim, None, caller, world.ports)[1]
    assert stated.invoices[0].limitation_date == date(2028, 3, 1)
    # As known on 28 February, it had not been made yet.
    before = amounts.statement(old_consumer_claim, date(2026, 2, 28), caller, world.ports)[1]
    assert before.invoices[0].limitation_date == date(2026, 3, 15)


def test_a_promise_made_after_expiry_revives_nothing(world: FakeWorld, caller: Caller,
                                                     clock: FrozenClock,
                                                     old_consumer_claim: str) -> None:
    """C. civ. 2250: imported on 10 April, a promise made on 1 April, after the debt was
    time-barred on 15 March, leaves the limitation date where it was and is flagged."""
    clock.advance(timedelta(days=31))
    amounts.record_promise(old_consumer_claim, amounts.PromiseDraft(
        amount="300.00", promised_on=date(2026, 4, 20), channel="letter",
        made_on=date(2026, 4, 1)), caller, world.ports)
    stated = amounts.statement(old_consumer_claim, None, caller, world.ports)[1]
    assert stated.invoices[0].limitation_date == date(2026, 3, 15)
    assert "acknowledged_after_prescription" in {f.code for f in stated.flags}
