"""The law's inputs reachable through the use cases (issue 8): collective proceedings, a
mise en demeure, a judgment, a payment plan agreed on a past day, and what a kept plan does
to interest. Asserted on what the in-memory fake stores.

Figures: B2B 2026 S1 = ECB 2.15 + 10 = 12.15 %; legal rate "autres cas" 2026 S1 = 2.62 %;
`amount × days × rate / 36500`, half-up to the cent. The clock is 2026-03-10.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.claims.model import HoldReason, Outcome, Phase
from domain.debtors.model import DebtorKind
from domain.services import amounts, proceedings, queries
from domain.services.caller import Caller
from domain.shared.errors import DomainValidationError
from tests.fakes import FakeWorld
from tests.service.conftest import open_claim
from tests.service.test_amounts import (
    B2B_2026_S1,
    LEGAL_AUTRES_2026_S1,
    interest,
    late_claim,
    pay,
    set_day,
    stored,
    timeline,
)

REDRESSEMENT = proceedings.ProceedingsDraft(
    kind="redressement_judiciaire", opened_on=date(2026, 2, 1), court="TAE de Lyon",
    bodacc_published_on=date(2026, 2, 12))


# ------------------------------------------------------------------------ proceedings


def test_proceedings_stop_interest_hold_every_open_claim_and_note_it(world: FakeWorld,
                                                                      caller: Caller) -> None:
    """C. com. L622-28 (interest stops), L622-21 (held), R622-24 (2 months from BODACC)."""
    first = late_claim(world, caller)
    second = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), number="F-2",
                        debtor_id=first.debtor_id)
    services.apply_action(second.id, services.ActionRequest("open_dispute", "quality"),
                          caller, world.ports)
    debtor = proceedings.record_proceedings(first.debtor_id, REDRESSEMENT, caller, world.ports)
    assert debtor.collective_proceedings is not None
    assert debtor.collective_proceedings.recorded_on == date(2026, 3, 10)
    held = services.get_claim(first.id, caller, world.ports)
    assert held.hold is not None and held.hold.reason is HoldReason.INSOLVENCY
    assert held.declaration_deadline == date(2026, 4, 12)
    stopped = interest("1200.00", 16, B2B_2026_S1)  # 16-31 Jan
    assert held.outstanding == Decimal("1240.00") + stopped
    disputed = services.get_claim(second.id, caller, world.ports)
    assert disputed.hold is not None and disputed.hold.reason is HoldReason.DISPUTE
    assert disputed.proceedings == debtor.collective_proceedings
    for claim_id in (first.id, second.id):
        assert timeline(world, caller, claim_id)[-1].action == "collective_proceedings_opened"
    _, statement = amounts.statement(first.id, None, caller, world.ports)
    assert statement.totals.interest == stopped and statement.totals.indemnity == 40


def test_a_claim_opened_later_starts_held_and_a_creditor_abroad_gets_two_more_months(
        world: FakeWorld, caller: Caller) -> None:
    first = late_claim(world, caller)
    proceedings.record_proceedings(first.debtor_id, REDRESSEMENT, caller, world.ports)
    later = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), number="F-2",
                       debtor_id=first.debtor_id)
    assert later.hold is not None and later.hold.reason is HoldReason.INSOLVENCY
    assert later.declaration_deadline == date(2026, 4, 12)
    assert proceedings.creditor_abroad(None) is False


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"kind": "faillite"}, "kind", "invalid"),
    ({"opened_on": date(2026, 3, 11), "bodacc_published_on": None}, "opened_on", "in_future"),
    ({"bodacc_published_on": date(2026, 1, 20)}, "bodacc_published_on", "before_opening"),
    ({"court": "  "}, "court", "required"),
])
def test_bad_proceedings_are_refused_naming_the_field_and_nothing_stored(
        world: FakeWorld, caller: Caller, change: dict[str, object], field: str,
        code: str) -> None:
    claim = late_claim(world, caller)
    before = (stored(world), dict(world.db.debtors))
    draft = replace(REDRESSEMENT, **change)  # type: ignore[arg-type]
    with pytest.raises(DomainValidationError) as refused:
        proceedings.record_proceedings(claim.debtor_id, draft, caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
    assert (stored(world), dict(world.db.debtors)) == before


def test_withdrawn_proceedings_release_their_holds_and_restore_the_statement(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller)
    _, before = amounts.statement(claim.id, None, caller, world.ports)
    proceedings.record_proceedings(claim.debtor_id, REDRESSEMENT, caller, world.ports)
    proceedings.withdraw_proceedings(claim.debtor_id, caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is None and read.proceedings is None
    _, after = amounts.statement(claim.id, None, caller, world.ports)
    assert after.totals == before.totals
    with pytest.raises(DomainValidationError):
        proceedings.withdraw_proceedings(claim.debtor_id, caller, world.ports)


# ------------------------------------------------------------------------ formal notice


def test_a_formal_notice_starts_consumer_interest_and_moves_the_phase(world: FakeWorld,
                                                                      caller: Caller) -> None:
    """C. civ. 1231-6: consumer interest at the legal rate from the mise en demeure."""
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER)
    change = amounts.record_formal_notice(claim.id, amounts.FormalNoticeDraft(
        sent_on=date(2026, 2, 1), reference="1A23456789"), caller, world.ports)
    assert change.claim.phase is Phase.FORMAL_NOTICE
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    # 2 Feb - 10 Mar = 37 days at the legal rate "autres cas"
    assert statement.totals.interest == interest("1200.00", 37, LEGAL_AUTRES_2026_S1)
    assert timeline(world, caller, claim.id)[-1].data["sent_on"] == "2026-02-01"
    # A later notice does not move the start of interest.
    amounts.record_formal_notice(claim.id, amounts.FormalNoticeDraft(
        sent_on=date(2026, 3, 1)), caller, world.ports)
    _, again = amounts.statement(claim.id, None, caller, world.ports)
    assert again.totals.interest == statement.totals.interest


@pytest.mark.parametrize(("sent_on", "code"), [(date(2026, 3, 11), "in_future"),
                                               (date(2025, 12, 31), "before_invoice")])
def test_a_formal_notice_in_the_future_or_before_the_invoice_is_refused(
        world: FakeWorld, caller: Caller, sent_on: date, code: str) -> None:
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_formal_notice(claim.id, amounts.FormalNoticeDraft(sent_on=sent_on),
                                     caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("sent_on", code)]
    assert stored(world) == before


# ------------------------------------------------------------------------ judgment


def test_a_judgment_starts_consumer_interest_and_makes_the_claim_judicial(
        world: FakeWorld, caller: Caller) -> None:
    """C. civ. 1231-7: interest from the pronouncement when no notice came first."""
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER)
    change = amounts.record_judgment(claim.id, amounts.JudgmentDraft(
        pronounced_on=date(2026, 2, 20), court="Tribunal judiciaire de Lyon",
        amount_awarded="1200.00", enforceable_on=date(2026, 3, 5)), caller, world.ports)
    assert change.claim.phase is Phase.JUDICIAL
    _, account = queries.claim_account(claim.id, caller, world.ports)
    assert account.judgment is not None and account.judgment.amount_awarded == Decimal("1200.00")
    _, statement = amounts.statement(claim.id, None, caller, world.ports)
    assert statement.totals.interest == interest("1200.00", 18, LEGAL_AUTRES_2026_S1)


def test_a_judgment_before_the_invoice_or_enforceable_before_it_is_pronounced_is_refused(
        world: FakeWorld, caller: Caller) -> None:
    claim = late_claim(world, caller, kind=DebtorKind.CONSUMER)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_judgment(claim.id, amounts.JudgmentDraft(
            pronounced_on=date(2025, 12, 1), court="TJ Lyon", amount_awarded="0"),
            caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("pronounced_on", "before_invoice"), ("amount_awarded", "not_positive")]
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_judgment(claim.id, amounts.JudgmentDraft(
            pronounced_on=date(2026, 2, 20), court="TJ Lyon", amount_awarded="1200.00",
            enforceable_on=date(2026, 2, 19)), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("enforceable_on", "before_judgment")]
    assert stored(world) == before


# ------------------------------------------------------------------------ plans


def test_a_kept_plan_closes_the_claim_with_nothing_due(world: FakeWorld, caller: Caller,
                                                       clock: FrozenClock) -> None:
    """Issue 8.6: late interest no longer runs on what a kept plan schedules, so its last
    instalment leaves nothing due, and the claim closes as paid only then."""
    claim = late_claim(world, caller)
    _, plan = amounts.start_payment_plan(claim.id, amounts.PlanDraft(
        count=2, first_due_on=date(2026, 4, 10)), caller, world.ports)
    for instalment in plan.instalments:
        set_day(clock, instalment.due_on)
        change, _ = pay(world, caller, claim.id, str(instalment.amount), instalment.due_on)
    assert change.claim.phase is Phase.CLOSED and change.claim.outcome is Outcome.PAID
    assert change.statement is not None and change.statement.totals.due == 0
    assert change.claim.outstanding == 0


def test_a_plan_agreed_on_a_past_day_covers_what_was_due_that_day(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim = late_claim(world, caller)
    due_then = Decimal("1240.00") + interest("1200.00", 16, B2B_2026_S1)  # on 2026-01-31
    change, plan = amounts.start_payment_plan(claim.id, amounts.PlanDraft(
        instalments=[(date(2026, 3, 31), str(due_then))], agreed_on=date(2026, 1, 31)),
        caller, world.ports)
    assert plan.starts_on == date(2026, 1, 31)
    assert change.statement is not None and change.statement.totals.due == due_then
    with pytest.raises(DomainValidationError) as refused:
        amounts.start_payment_plan(open_claim(world, caller, number="F-2").id, amounts.PlanDraft(
            count=2, first_due_on=date(2026, 4, 10), agreed_on=date(2026, 3, 11)),
            caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("agreed_on", "in_future")]
