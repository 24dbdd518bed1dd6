"""What is owed, at the service level: statements, payments and their reversal, promises,
payment plans and tenant isolation, asserted on what the in-memory fake stores.

Figures as in tests/api/test_statement.py: `amount × days × rate / 36500`, half-up to the
cent; B2B 2026 S1 rate ECB 2.15 + 10 = 12.15, legal rate "autres cas" 2026 S1 = 2.62.
The clock is 2026-03-10; a 1200.00 invoice due 2026-01-15 is 54 days late.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.amounts.ledger import Payment
from domain.amounts.payment_plan import PlanStatus
from domain.amounts.promises import PromiseStatus
from domain.claims import lifecycle
from domain.claims.model import Claim, ClaimEvent, HoldReason, Outcome, Phase
from domain.debtors.model import DebtorKind
from domain.ports.repositories import PageRequest
from domain.services import amounts, queries
from domain.services.caller import Caller
from domain.shared.errors import ActionNotAllowed, DomainValidationError, NotFound
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, open_claim

CENT = Decimal("0.01")
B2B_2026_S1 = Decimal("12.15")
LEGAL_AUTRES_2026_S1 = Decimal("2.62")
# 1200.00 × 54 × 12.15 / 36500 = 21.569… → 21.57; plus the 40 EUR indemnity (D441-5).
LATE_INTEREST = Decimal("21.57")
DUE_TODAY = Decimal("1261.57")

Rows = dict[tuple[str, str], bytes]
Stored = tuple[Rows, Rows, dict[tuple[str, str, int], bytes], int]


def interest(amount: str, days: int, rate: Decimal) -> Decimal:
    return (Decimal(amount) * days * rate / Decimal(36500)).quantize(CENT, ROUND_HALF_UP)


def stored(world: FakeWorld) -> Stored:
    db = world.db
    return dict(db.claims), dict(db.accounts), dict(db.events), db.commits


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[ClaimEvent]:
    return queries.claim_events(claim_id, PageRequest(limit=100), caller, world.ports).items


def late_claim(world: FakeWorld, caller: Caller, *, kind: DebtorKind = DebtorKind.BUSINESS,
               debtor_id: str | None = None, formal_notice_on: date | None = None) -> Claim:
    """1200.00 due 2026-01-15 (issued 2026-01-01): 54 days late today."""
    return open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), kind=kind,
                      debtor_id=debtor_id, formal_notice_on=formal_notice_on)


def pay(world: FakeWorld, caller: Caller, claim_id: str, amount: str,
        received_on: date = date(2026, 3, 10),
        reference: str | None = None) -> tuple[amounts.Change, Payment]:
    return amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount=amount, received_on=received_on, reference=reference), caller, world.ports)


def set_day(clock: FrozenClock, day: date) -> None:
    clock.advance(timedelta(days=(day - clock.now().date()).days))


# ------------------------------------------------------------------------ statements


def test_a_late_business_claim_owes_ecb_plus_ten_and_the_40_euro_indemnity(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    read, statement = amounts.statement(claim.id, None, caller, world.ports)
    assert statement.at == date(2026, 3, 10)  # the creditor's today by default
    assert interest("1200.00", 54, B2B_2026_S1) == LATE_INTEREST
    [inv] = statement.invoices
    [line] = inv.interest_lines
    assert (line.start, line.end, line.days, line.rate, line.base, line.amount, line.basis) == (
        date(2026, 1, 16), date(2026, 3, 10), 54, B2B_2026_S1, Decimal("1200.00"),
        LATE_INTEREST, "ecb_plus_10")
    assert inv.indemnity.amount == Decimal("40.00")
    totals = statement.totals
    assert (totals.principal_outstanding, totals.interest, totals.indemnity) == (
        Decimal("1200.00"), LATE_INTEREST, Decimal("40.00"))
    assert totals.due == DUE_TODAY and totals.paid == 0 and statement.credit == 0
    assert inv.limitation_date == date(2031, 1, 15)  # 5 years B2B (C. com. L110-4)
    assert read.id == claim.id


def test_a_statement_on_an_earlier_date_counts_fewer_days(world: FakeWorld,
                                                          caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, statement = amounts.statement(claim.id, date(2026, 2, 20), caller, world.ports)
    expected = interest("1200.00", 36, B2B_2026_S1)  # 2026-01-16..02-20
    assert statement.totals.interest == expected == Decimal("14.38")
    assert statement.totals.due == Decimal("1240.00") + expected


def test_a_consumer_owes_the_legal_rate_from_the_formal_notice_and_no_indemnity(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER,
                       formal_notice_on=date(2026, 2, 1))
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    [inv] = statement.invoices
    [line] = inv.interest_lines
    expected = interest("1200.00", 37, LEGAL_AUTRES_2026_S1)  # 2026-02-02..03-10
    assert expected == Decimal("3.19")
    assert (line.start, line.days, line.rate, line.basis) == (
        date(2026, 2, 2), 37, LEGAL_AUTRES_2026_S1, "legal_autres_cas")
    assert inv.indemnity.amount == 0
    assert statement.totals.due == Decimal("1200.00") + expected
    assert inv.limitation_date == date(2028, 1, 15)  # 2 years B2C (C. consom. L218-2)


def test_a_consumer_without_formal_notice_owes_only_the_principal(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER)
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    assert statement.totals.interest == 0 and statement.totals.indemnity == 0
    assert statement.totals.due == Decimal("1200.00")
    assert "no_formal_notice" in [f.code for f in statement.flags]


# ------------------------------------------------------------------------ interest settings


def set_interest_settings(world: FakeWorld, caller: Caller, **settings: str) -> None:
    services.update_creditor(caller.creditor_id, None, dict(settings), world.ports)


def test_a_consumer_claim_keeps_the_day_count_its_creditor_had_when_it_was_opened(
        world: FakeWorld, caller: Caller) -> None:
    """C. civ. 1231-6 says interest runs "à compter de" the formal notice, not whether that
    day counts: the creditor's `interest_day_count` decides, fixed on the claim at opening."""
    set_interest_settings(world, caller, interest_day_count="inclusive")
    inclusive = late_claim(world, caller, kind=DebtorKind.CONSUMER,
                           formal_notice_on=date(2026, 2, 1))
    assert inclusive.interest_day_count == "inclusive"
    set_interest_settings(world, caller, interest_day_count="date_difference")
    later = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), number="F-2",
                       kind=DebtorKind.CONSUMER, formal_notice_on=date(2026, 2, 1))
    assert later.interest_day_count == "date_difference"
    # 2026-02-01..03-10 = 38 days with the notice day, 37 from the day after
    for claim, first, days in ((inclusive, date(2026, 2, 1), 38), (later, date(2026, 2, 2), 37)):
        read, statement = amounts.statement(claim.id, None, caller, world.ports)
        assert read.interest_day_count == claim.interest_day_count  # as stored
        [line] = statement.invoices[0].interest_lines
        assert (line.start, line.days) == (first, days)
        assert statement.totals.interest == interest("1200.00", days, LEGAL_AUTRES_2026_S1)
    assert interest("1200.00", 38, LEGAL_AUTRES_2026_S1) == Decimal("3.27")


def test_a_business_claim_runs_from_the_day_after_the_due_date_whatever_the_day_count(
        world: FakeWorld, caller: Caller) -> None:
    """C. com. L441-10 II: penalties are due from "le jour suivant" the due date."""
    set_interest_settings(world, caller, interest_day_count="inclusive")
    claim = late_claim(world, caller)
    assert claim.interest_day_count == "date_difference"
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    [line] = statement.invoices[0].interest_lines
    assert (line.start, line.days) == (date(2026, 1, 16), 54)
    assert statement.totals.interest == LATE_INTEREST


def test_the_below_floor_policy_a_claim_was_opened_with_decides_what_runs_under_the_floor(
        world: FakeWorld, caller: Caller) -> None:
    """C. com. L441-10 II: a 12 % clause, above the 2023 S1 floor (3 × 2.06 = 6.18 %), is
    below the 2023 S2 one (3 × 4.22 = 12.66 %): what runs there is the creditor's choice,
    the ECB rate of 1 July 2023 + 10 = 14.00 % under `statutory_default`."""
    set_interest_settings(world, caller, below_floor_policy="statutory_default")
    statutory = open_claim(world, caller, amount="1000.00", due=date(2023, 3, 15),
                           contractual_rate="12")
    set_interest_settings(world, caller, below_floor_policy="floor")
    floor = open_claim(world, caller, amount="1000.00", due=date(2023, 3, 15), number="F-2",
                       contractual_rate="12")
    assert (statutory.below_floor_policy, floor.below_floor_policy) == (
        "statutory_default", "floor")
    expected = {statutory.id: (Decimal("14.00"), "ecb_plus_10"),
                floor.id: (Decimal("12.66"), "floor_3x_legal")}
    for claim_id, (rate, basis) in expected.items():
        _, statement = amounts.statement(claim_id, date(2023, 7, 31), caller, world.ports)
        s1, s2 = statement.invoices[0].interest_lines
        assert (s1.rate, s1.basis) == (Decimal("12"), "contractual")
        assert (s2.start, s2.days, s2.rate, s2.basis) == (date(2023, 7, 1), 31, rate, basis)
        assert s2.amount == interest("1000.00", 31, rate)
        assert [(f.code, f.subject) for f in statement.flags
                if f.code == "contractual_below_floor"] == [("contractual_below_floor",
                                                             "2023-S2")]


# ------------------------------------------------------------------------ payments


def test_a_partial_payment_goes_to_interest_first_and_lowers_what_is_outstanding(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    change, payment = pay(world, caller, claim.id, "500.00", date(2026, 3, 1),
                          reference="VIR-1")
    to_interest = interest("1200.00", 45, B2B_2026_S1)  # 2026-01-16..03-01
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.outstanding == statement.totals.due < DUE_TODAY - Decimal("400.00")
    assert read.phase is Phase.AMICABLE and read.version == 2
    assert statement.totals.paid == Decimal("500.00")
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [(p.id, p.amount, p.reference) for p in account.payments] == [
        (payment.id, Decimal("500.00"), "VIR-1")]
    [entry] = change.entries
    assert entry == timeline(world, caller, claim.id)[-1]
    assert entry.action == "record_payment" and entry.actor == "erp"
    assert entry.data["to_interest"] == f"{to_interest:f}" == "17.98"
    # The rest goes to what the invoice owes besides interest; nothing is lost as credit.
    parts = [Decimal(entry.data[k]) for k in ("to_interest", "to_principal", "to_indemnity")]
    assert sum(parts, Decimal(0)) == Decimal("500.00") and entry.data["to_credit"] == "0.00"


def test_a_full_payment_closes_the_claim_as_paid(world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    change, _ = pay(world, caller, claim.id, f"{DUE_TODAY:f}")
    read = services.get_claim(claim.id, caller, world.ports)
    assert (read.phase, read.outcome, read.outstanding) == (Phase.CLOSED, Outcome.PAID,
                                                            Decimal("0.00"))
    assert read.closed_from is Phase.AMICABLE
    assert lifecycle.allowed_actions(read) == ["reverse_payment"]
    events = timeline(world, caller, claim.id)
    assert [e.action for e in events] == ["open", "record_payment", "close"]
    assert events[1].data | {"payment_id": ""} == {
        "payment_id": "", "amount": "1261.57", "method": "transfer", "received_on": "2026-03-10",
        "to_interest": "21.57", "to_principal": "1200.00", "to_indemnity": "40.00",
        "to_credit": "0.00"}
    assert events[2].data == {"outcome": "paid", "due": "0.00", "credit": "0.00"}
    assert events[2].reason == "paid in full"
    assert change.entries == events[1:]


@pytest.mark.parametrize("hold", ["hold", "open_dispute"])
def test_a_full_payment_releases_the_hold(world: FakeWorld, caller: Caller,
                                          hold: str) -> None:
    claim = late_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest(hold), caller, world.ports)
    pay(world, caller, claim.id, f"{DUE_TODAY:f}")
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.phase is Phase.CLOSED and read.hold is None


def test_a_partial_payment_keeps_a_dispute_hold(world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("open_dispute"), caller, world.ports)
    change, _ = pay(world, caller, claim.id, "100.00")
    assert change.claim.hold is not None and change.claim.hold.reason is HoldReason.DISPUTE
    assert services.get_claim(claim.id, caller, world.ports).hold == change.claim.hold


def test_an_overpayment_closes_the_claim_and_is_kept_as_credit(world: FakeWorld,
                                                               caller: Caller) -> None:
    claim = late_claim(world, caller)
    change, _ = pay(world, caller, claim.id, "1300.00")
    credit = Decimal("1300.00") - DUE_TODAY
    assert credit == Decimal("38.43")
    assert change.claim.phase is Phase.CLOSED and change.claim.outcome is Outcome.PAID
    assert change.entries[0].data["to_credit"] == "38.43"
    assert change.entries[-1].data == {"outcome": "paid", "due": "0.00", "credit": "38.43"}
    # Never lost: still owed to the debtor on a later date.
    _, later = amounts.statement(claim.id, date(2026, 6, 30), caller, world.ports)
    assert later.credit == credit and later.totals.due == 0
    assert later.totals.paid == Decimal("1300.00")


@pytest.mark.parametrize(("amount", "code"), [
    ("1e3", "invalid_amount"),  # float syntax is not an amount
    ("10.", "invalid_amount"),
    (".5", "invalid_amount"),
    ("0010.00", "invalid_amount"),
    (" 10.00", "invalid_amount"),
    ("10.123", "too_many_decimals"),
    ("-5.00", "not_positive"),
    ("0.00", "not_positive"),
])
def test_a_payment_amount_that_is_not_a_plain_decimal_is_refused_and_nothing_stored(
        world: FakeWorld, caller: Caller, amount: str, code: str) -> None:
    claim = late_claim(world, caller)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        pay(world, caller, claim.id, amount, date(2026, 3, 1))
    assert [(e.field, e.code) for e in refused.value.errors] == [("amount", code)]
    assert stored(world) == before


def test_a_payment_with_one_decimal_is_accepted_in_cents(world: FakeWorld,
                                                         caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, payment = pay(world, caller, claim.id, "10.5", date(2026, 3, 1))
    assert str(payment.amount) == "10.50"
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [str(p.amount) for p in account.payments] == ["10.50"]


def test_a_payment_received_tomorrow_or_with_a_known_reference_is_refused(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    pay(world, caller, claim.id, "100.00", date(2026, 3, 1), reference="VIR-1")
    before = stored(world)
    with pytest.raises(DomainValidationError) as future:
        pay(world, caller, claim.id, "100.00", date(2026, 3, 11))
    assert [(e.field, e.code) for e in future.value.errors] == [("received_on", "in_future")]
    with pytest.raises(DomainValidationError) as duplicate:
        pay(world, caller, claim.id, "100.00", date(2026, 3, 2), reference="VIR-1")
    assert [(e.field, e.code) for e in duplicate.value.errors] == [
        ("reference", "duplicate_payment")]
    assert stored(world) == before


def test_a_payment_on_a_cancelled_claim_is_not_allowed(world: FakeWorld,
                                                       caller: Caller) -> None:
    claim = late_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("cancel"), caller, world.ports)
    before = stored(world)
    with pytest.raises(ActionNotAllowed) as refused:
        pay(world, caller, claim.id, "100.00")
    assert refused.value.action == "record_payment" and refused.value.allowed == ["reopen"]
    assert stored(world) == before


# ------------------------------------------------------------------------ reversal


def test_reversing_a_partial_payment_restores_the_statement(world: FakeWorld,
                                                            caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, before = amounts.statement(claim.id, None, caller, world.ports)
    _, payment = pay(world, caller, claim.id, "500.00", date(2026, 3, 1))
    change, reversed_payment = amounts.reverse_payment(claim.id, payment.id, "cheque bounced",
                                                       caller, world.ports)
    assert (reversed_payment.reversed_on, reversed_payment.reversal_reason) == (
        date(2026, 3, 10), "cheque bounced")
    _, after = amounts.statement(claim.id, None, caller, world.ports)
    assert after.totals == before.totals and after.invoices == before.invoices
    assert [(i.payment_id, i.reason) for i in after.ignored_payments] == [
        (payment.id, "reversed")]
    assert services.get_claim(claim.id, caller, world.ports).outstanding == DUE_TODAY
    [entry] = change.entries
    assert (entry.action, entry.reason, entry.data) == (
        "reverse_payment", "cheque bounced", {"payment_id": payment.id, "amount": "500.00",
                                              "reversed_on": "2026-03-10"})


def test_reversing_the_closing_payment_reopens_the_claim_in_its_former_phase(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, payment = pay(world, caller, claim.id, f"{DUE_TODAY:f}")
    amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert (read.phase, read.outcome, read.outstanding) == (Phase.AMICABLE, None, DUE_TODAY)
    assert "record_payment" in lifecycle.allowed_actions(read)
    events = timeline(world, caller, claim.id)
    assert [e.action for e in events] == [
        "open", "record_payment", "close", "reverse_payment", "reopen"]
    assert events[-1].data == {"from": "closed (paid)", "to": "amicable", "phase": "amicable"}
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("action", "reason"), [("open_dispute", HoldReason.DISPUTE),
                                                ("hold", HoldReason.MANUAL)])
def test_a_bounced_payment_brings_back_the_hold_it_cleared(
        world: FakeWorld, caller: Caller, action: str, reason: HoldReason) -> None:
    """Money coming in closed a disputed claim; the money bounced, the dispute did not end:
    the claim reopens still held, so escalation does not resume on a contested debt."""
    claim = late_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest(action), caller, world.ports)
    _, payment = pay(world, caller, claim.id, f"{DUE_TODAY:f}")
    assert services.get_claim(claim.id, caller, world.ports).hold is None
    amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.phase is Phase.AMICABLE
    assert read.hold is not None and read.hold.reason is reason
    assert read.closed_hold is None


@pytest.mark.parametrize(("days_later", "phase"), [(0, Phase.PRE_DUE), (30, Phase.AMICABLE)])
def test_a_pre_due_claim_reopens_late_if_it_fell_due_meanwhile(
        world: FakeWorld, caller: Caller, clock: FrozenClock, days_later: int,
        phase: Phase) -> None:
    claim = open_claim(world, caller, amount="300.00", due=date(2026, 3, 31))
    assert claim.phase is Phase.PRE_DUE
    _, payment = pay(world, caller, claim.id, "300.00")
    clock.advance(timedelta(days=days_later))
    change, _ = amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports)
    assert change.claim.phase is phase
    assert services.get_claim(claim.id, caller, world.ports).phase is phase


def test_a_payment_is_reversed_once_only(world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, payment = pay(world, caller, claim.id, "100.00")
    amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports)
    before = stored(world)
    with pytest.raises(DomainValidationError) as again:
        amounts.reverse_payment(claim.id, payment.id, None, caller, world.ports)
    assert [(e.field, e.code) for e in again.value.errors] == [("payment_id", "already_reversed")]
    with pytest.raises(NotFound):
        amounts.reverse_payment(claim.id, "pay_nope", None, caller, world.ports)
    assert stored(world) == before


# ------------------------------------------------------------------------ promises


def test_a_promise_holds_the_claim_until_the_promised_date_plus_grace(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    change, promise = amounts.record_promise(claim.id, amounts.PromiseDraft(
        "500.00", date(2026, 3, 20), "phone", "will pay by transfer"), caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is not None
    assert (read.hold.reason, read.hold.until, read.hold.note) == (
        HoldReason.PROMISE, date(2026, 3, 23), "will pay by transfer")  # 3 days' grace
    assert "record_promise" not in lifecycle.allowed_actions(read)
    assert "record_payment" in lifecycle.allowed_actions(read)
    [entry] = change.entries
    assert (entry.action, entry.reason) == ("record_promise", "will pay by transfer")
    assert entry.data == {"promise_id": promise.id, "amount": "500.00",
                          "promised_on": "2026-03-20", "made_on": "2026-03-10",
                          "channel": "phone", "hold_until": "2026-03-23"}


def test_a_review_after_the_grace_period_breaks_the_promise_and_releases_the_hold(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    claim = late_claim(world, caller)
    _, promise = amounts.record_promise(claim.id, amounts.PromiseDraft(
        "500.00", date(2026, 3, 20), "phone"), caller, world.ports)
    set_day(clock, date(2026, 3, 23))  # the last day of grace: not broken yet
    amounts.review(claim.id, caller, world.ports)
    held = services.get_claim(claim.id, caller, world.ports)
    assert held.hold is not None and held.hold.reason is HoldReason.PROMISE
    assert "promise_broken" not in [e.action for e in timeline(world, caller, claim.id)]
    set_day(clock, date(2026, 3, 24))
    change = amounts.review(claim.id, caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is None and read == change.claim
    assert "record_promise" in lifecycle.allowed_actions(read)
    last = timeline(world, caller, claim.id)[-1]
    assert (last.action, last.actor) == ("promise_broken", "erp")
    assert last.data == {"promise_id": promise.id, "amount": "500.00",
                         "promised_on": "2026-03-20"}
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [(p.status, p.resolved_on) for p in account.promises] == [
        (PromiseStatus.BROKEN, date(2026, 3, 24))]


def test_a_payment_reaching_the_promised_amount_keeps_the_promise(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    claim = late_claim(world, caller)
    amounts.record_promise(claim.id, amounts.PromiseDraft(
        "500.00", date(2026, 3, 20), "phone"), caller, world.ports)
    set_day(clock, date(2026, 3, 19))
    change, _ = pay(world, caller, claim.id, "500.00", date(2026, 3, 19))
    assert change.claim.hold is None
    assert [e.action for e in change.entries] == ["record_payment", "promise_kept"]
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [p.status for p in account.promises] == [PromiseStatus.KEPT]


def test_a_promise_in_the_past_is_refused_and_nothing_stored(world: FakeWorld,
                                                             caller: Caller) -> None:
    claim = late_claim(world, caller)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_promise(claim.id, amounts.PromiseDraft(
            "500.00", date(2026, 3, 9), "phone"), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("promised_on", "in_past")]
    assert stored(world) == before


@pytest.mark.parametrize(("paid_on", "status", "resolved_on", "then"), [
    (date(2026, 2, 5), PromiseStatus.KEPT, date(2026, 2, 5), "promise_kept"),
    (date(2026, 1, 30), PromiseStatus.BROKEN, date(2026, 2, 14), "promise_broken"),
])
def test_a_promise_from_the_past_is_settled_at_once_from_the_payments_on_record(
        world: FakeWorld, caller: Caller, paid_on: date, status: PromiseStatus,
        resolved_on: date, then: str) -> None:
    """Made on 1 Feb for 10 Feb (deadline 13 Feb), imported on 10 Mar: a payment of 5 Feb
    keeps it; one of 30 Jan, before it was made, does not count, so it is broken the day
    after its deadline. Either way no promise hold is left."""
    claim = late_claim(world, caller)
    pay(world, caller, claim.id, "500.00", paid_on)
    change, promise = amounts.record_promise(claim.id, amounts.PromiseDraft(
        "500.00", date(2026, 2, 10), "phone", made_on=date(2026, 2, 1)), caller, world.ports)
    assert [e.action for e in change.entries] == ["record_promise", then]
    assert change.entries[0].data["hold_until"] == "2026-02-13"
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is None and "record_promise" in lifecycle.allowed_actions(read)
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [(p.id, p.made_on, p.status, p.resolved_on) for p in account.promises] == [
        (promise.id, date(2026, 2, 1), status, resolved_on)]


@pytest.mark.parametrize(("made_on", "promised_on", "field", "code"), [
    (date(2026, 3, 11), date(2026, 3, 20), "made_on", "in_future"),
    (date(1920, 1, 1), date(1920, 1, 2), "made_on", "date_out_of_range"),
    (date(2026, 3, 1), date(2026, 2, 28), "promised_on", "before_made"),
    (date(2026, 3, 1), date(2027, 3, 3), "promised_on", "too_far"),
])
def test_a_promise_with_an_impossible_day_is_refused_and_nothing_stored(
        world: FakeWorld, caller: Caller, made_on: date, promised_on: date, field: str,
        code: str) -> None:
    claim = late_claim(world, caller)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_promise(claim.id, amounts.PromiseDraft(
            "500.00", promised_on, "phone", made_on=made_on), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
    assert stored(world) == before


def test_a_promise_made_on_the_creditors_today_is_not_in_the_future(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    """At 23:30 UTC on 10 March it is 11 March in Paris: a promise made then is today's."""
    claim = late_claim(world, caller)
    clock.at = clock.at.replace(hour=23, minute=30)
    _, promise = amounts.record_promise(claim.id, amounts.PromiseDraft(
        "500.00", date(2026, 3, 11), "phone", made_on=date(2026, 3, 11)), caller, world.ports)
    assert promise.made_on == date(2026, 3, 11)
    assert promise.made_at.date() == date(2026, 3, 10)


# ------------------------------------------------------------------------ payment plans


def test_a_payment_plan_splits_what_is_due_into_instalments(world: FakeWorld,
                                                            caller: Caller) -> None:
    claim = late_claim(world, caller)
    change, plan = amounts.start_payment_plan(claim.id, amounts.PlanDraft(
        count=3, first_due_on=date(2026, 4, 10)), caller, world.ports)
    # 1261.57 / 3 = 420.523…: two shares rounded down, the remainder on the last.
    assert [(i.due_on, i.amount) for i in plan.instalments] == [
        (date(2026, 4, 10), Decimal("420.52")), (date(2026, 5, 10), Decimal("420.52")),
        (date(2026, 6, 10), Decimal("420.53"))]
    assert sum((i.amount for i in plan.instalments), Decimal(0)) == DUE_TODAY
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is not None
    assert (read.hold.reason, read.hold.until) == (HoldReason.PAYMENT_PLAN, date(2026, 6, 10))
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert account.plan == plan and account.plan_status is PlanStatus.ACTIVE
    [entry] = change.entries
    assert entry.data == {"plan_id": plan.id, "total": "1261.57", "instalments": "3",
                          "last_due_on": "2026-06-10", "agreed_on": "2026-03-10"}


def test_instalments_that_do_not_add_up_to_what_is_due_are_refused(world: FakeWorld,
                                                                   caller: Caller) -> None:
    claim = open_claim(world, caller, amount="1000.00", due=date(2026, 3, 10))
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        amounts.start_payment_plan(claim.id, amounts.PlanDraft(instalments=[
            (date(2026, 4, 10), "500.00"), (date(2026, 5, 10), "499.99")]),
            caller, world.ports)
    assert refused.value.errors[0].field == "instalments"
    assert stored(world) == before


# ------------------------------------------------------------------------ tenancy


def test_another_creditors_claim_is_not_found_by_every_use_case(world: FakeWorld,
                                                                caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, payment = pay(world, caller, claim.id, "100.00", date(2026, 3, 1))
    other = Caller(services.create_creditor(LEROY, world.ports).id, "erp")
    before = stored(world)
    with pytest.raises(NotFound):
        amounts.statement(claim.id, None, other, world.ports)
    with pytest.raises(NotFound):
        pay(world, other, claim.id, "10.00")
    with pytest.raises(NotFound):
        amounts.reverse_payment(claim.id, payment.id, None, other, world.ports)
    with pytest.raises(NotFound):
        amounts.record_promise(claim.id, amounts.PromiseDraft(
            "10.00", date(2026, 3, 20), "phone"), other, world.ports)
    with pytest.raises(NotFound):
        amounts.start_payment_plan(claim.id, amounts.PlanDraft(
            count=2, first_due_on=date(2026, 4, 10)), other, world.ports)
    with pytest.raises(NotFound):
        amounts.review(claim.id, other, world.ports)
    with pytest.raises(NotFound):
        queries.claim_account(claim.id, other, world.ports)
    assert stored(world) == before
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert [(p.id, p.reversed_on) for p in account.payments] == [(payment.id, None)]
