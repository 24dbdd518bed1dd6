"""The escalation ladder's rules: the shipped default, a policy's validation, and the
planner's answer (which step, which day) in each situation the issue names. Days are worked
out by hand from the carrying invoice's due date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.debtors.model import DebtorKind
from domain.escalation.planner import PlanKind, Progress, Situation, plan
from domain.escalation.policy import (
    DEFAULT_STEPS,
    Anchor,
    Channel,
    Step,
    validate_steps,
)
from domain.letters.model import LetterKind
from domain.shared.errors import DomainValidationError

DUE = date(2026, 3, 15)
KEYS = [s.key for s in DEFAULT_STEPS]


def situation(today: date = date(2026, 3, 1), **changes: object) -> Situation:
    base = Situation(today=today, open=True, held=False, resume_on=None,
                     debtor_kind=DebtorKind.BUSINESS, outstanding=Decimal("2400.00"),
                     carrying_due_date=DUE, notice_deadline=None)
    return replace(base, **changes)  # type: ignore[arg-type]


def at(key: str) -> int:
    return KEYS.index(key)


def test_the_default_ladder_is_the_seeds() -> None:
    assert [(s.key, s.offset_days, s.channels) for s in DEFAULT_STEPS] == [
        ("pre_due_sms", -5, (Channel.SMS,)),
        ("pre_due_email", -5, (Channel.EMAIL,)),
        ("overdue_email", 1, (Channel.EMAIL,)),
        ("first_call", 5, (Channel.CALL_TASK,)),
        ("first_letter", 10, (Channel.LETTER, Channel.SMS)),
        ("second_letter", 20, (Channel.LETTER, Channel.CALL_TASK)),
        ("home_visit", 30, (Channel.VISIT_TASK,)),
        ("formal_notice", 40, (Channel.REGISTERED_LETTER,)),
        ("judicial_assessment", 8, (Channel.JUDICIAL_ASSESSMENT_TASK,)),
    ]
    notice = DEFAULT_STEPS[at("formal_notice")]
    assert notice.requires_approval and notice.manual
    assert notice.letter_kind is LetterKind.FORMAL_NOTICE
    assert DEFAULT_STEPS[-1].anchor is Anchor.NOTICE_DEADLINE
    assert not DEFAULT_STEPS[0].manual and DEFAULT_STEPS[at("first_call")].manual


@pytest.mark.parametrize(("steps", "field", "code"), [
    ((), "steps", "empty"),
    ((Step("a", 5, (Channel.EMAIL,), template="overdue_1"),
      Step("b", 1, (Channel.EMAIL,), template="overdue_1")), "steps[1].offset_days",
     "out_of_order"),
    ((Step("a", 1, (Channel.EMAIL,), template="shout"),), "steps[0].template", "unknown"),
    ((Step("a", 1, (Channel.SMS,)),), "steps[0].template", "required"),
    ((Step("a", 1, (Channel.LETTER,)),), "steps[0].letter_kind", "required"),
    ((Step("a", 1, (Channel.EMAIL,), template="overdue_1"),
      Step("a", 2, (Channel.EMAIL,), template="overdue_1")), "steps[1].key", "duplicate"),
    ((Step("n", 40, (Channel.LETTER,), letter_kind=LetterKind.FORMAL_NOTICE),),
     "steps[0].channels", "registered_required"),
    ((Step("j", 8, (Channel.JUDICIAL_ASSESSMENT_TASK,), anchor=Anchor.NOTICE_DEADLINE),),
     "steps[0].channels", "notice_first"),
])
def test_a_policy_is_refused_naming_the_step(steps: tuple[Step, ...], field: str,
                                             code: str) -> None:
    with pytest.raises(DomainValidationError) as refused:
        validate_steps(steps)
    assert (field, code) in {(e.field, e.code) for e in refused.value.errors}


def test_the_first_step_is_five_days_before_the_due_date() -> None:
    first = plan(DEFAULT_STEPS, Progress(), situation())
    assert (first.kind, first.index, first.due_on) == (PlanKind.DUE, 0, date(2026, 3, 10))
    assert not first.runs_on(date(2026, 3, 9)) and first.runs_on(date(2026, 3, 10))


def test_the_minimum_delay_after_the_last_contact_pushes_a_step() -> None:
    """first_letter: D+10 = 25 Mar, but 3 days after a contact on 24 Mar = 27 Mar."""
    progress = Progress(next_index=at("first_letter"), last_contact_on=date(2026, 3, 24))
    assert plan(DEFAULT_STEPS, progress, situation()).due_on == date(2026, 3, 27)
    early = Progress(next_index=at("first_letter"), last_contact_on=date(2026, 3, 20))
    assert plan(DEFAULT_STEPS, early, situation()).due_on == date(2026, 3, 25)


def test_a_missed_step_runs_once_late_never_skipped() -> None:
    """The trigger was lost on 16 Mar (D+1): a month later the same step is due, now."""
    progress = Progress(next_index=at("overdue_email"), last_contact_on=date(2026, 3, 10))
    late = plan(DEFAULT_STEPS, progress, situation(today=date(2026, 4, 20)))
    assert late.step is not None and late.step.key == "overdue_email"
    assert late.due_on == date(2026, 3, 16) and late.runs_on(date(2026, 4, 20))


def test_when_the_carrying_invoice_is_paid_the_next_oldest_carries_the_ladder() -> None:
    """The ladder does not go back: the next step is timed from the next oldest unpaid
    invoice (due 10 Apr), D+10 = 20 Apr, instead of 25 Mar."""
    progress = Progress(next_index=at("first_letter"))
    moved = plan(DEFAULT_STEPS, progress, situation(carrying_due_date=date(2026, 4, 10)))
    assert moved.step is not None and moved.step.key == "first_letter"
    assert moved.due_on == date(2026, 4, 20)


def test_a_step_whose_condition_excludes_the_claim_is_passed_over_and_said() -> None:
    progress = Progress(next_index=at("home_visit"), last_contact_on=date(2026, 4, 4))
    small = plan(DEFAULT_STEPS, progress, situation(outstanding=Decimal("900.00")))
    assert small.passed_over == (at("home_visit"),)
    assert small.step is not None and small.step.key == "formal_notice"
    assert small.due_on == date(2026, 4, 24)  # D+40
    big = plan(DEFAULT_STEPS, progress, situation(outstanding=Decimal("1500.00")))
    assert big.step is not None and big.step.key == "home_visit" and big.passed_over == ()
    consumer_only = (Step("c", 1, (Channel.EMAIL,), template="overdue_1",
                          debtor_kinds=(DebtorKind.CONSUMER,)),
                     Step("all", 2, (Channel.EMAIL,), template="overdue_2"))
    b2b = plan(consumer_only, Progress(), situation())
    assert b2b.step is not None and b2b.step.key == "all" and b2b.passed_over == (0,)


def test_a_manual_step_blocks_the_ladder_until_a_person_acts() -> None:
    waiting = plan(DEFAULT_STEPS, Progress(next_index=at("second_letter"),
                                           awaiting="first_call"), situation())
    assert waiting.kind is PlanKind.WAITING and "first_call" in waiting.reason


def test_the_judicial_assessment_waits_for_the_notice_then_counts_from_its_deadline() -> None:
    progress = Progress(next_index=at("judicial_assessment"))
    assert plan(DEFAULT_STEPS, progress, situation()).kind is PlanKind.WAITING
    after = plan(DEFAULT_STEPS, progress, situation(notice_deadline=date(2026, 5, 2)))
    assert after.due_on == date(2026, 5, 10)


def test_held_closed_paid_and_finished_claims_have_no_step() -> None:
    paused = plan(DEFAULT_STEPS, Progress(), situation(held=True,
                                                      resume_on=date(2026, 3, 20)))
    assert (paused.kind, paused.resume_on) == (PlanKind.PAUSED, date(2026, 3, 20))
    assert plan(DEFAULT_STEPS, Progress(), situation(open=False)).kind is PlanKind.STOPPED
    assert plan(DEFAULT_STEPS, Progress(), situation(
        carrying_due_date=None, outstanding=Decimal(0))).kind is PlanKind.STOPPED
    done = plan(DEFAULT_STEPS, Progress(next_index=len(DEFAULT_STEPS)), situation())
    assert done.kind is PlanKind.FINISHED


# ------------------------------------------------------------------ from a claim


def _claim(*invoices: tuple[str, date, str], hold: object = None) -> tuple[object, object]:
    from datetime import UTC, datetime

    from domain.amounts.account import ClaimAccount
    from domain.claims.model import Claim, Invoice, Phase

    now = datetime(2026, 4, 1, 9, tzinfo=UTC)
    claim = Claim(id="clm_1", creditor_id="cred_1", debtor_id="dbt_1", currency="EUR",
                  invoices=[Invoice(n, date(2026, 1, 1), due, Decimal(a))
                            for n, due, a in invoices],
                  phase=Phase.AMICABLE, outstanding=Decimal(0), created_at=now,
                  updated_at=now, hold=hold)  # type: ignore[arg-type]
    return claim, ClaimAccount()


def test_the_situation_of_a_claim_carries_its_oldest_unpaid_invoice() -> None:
    from datetime import UTC, datetime

    from domain.amounts.ledger import Payment
    from domain.amounts.rates import DEFAULT_RATES
    from domain.claims.model import Hold, HoldReason
    from domain.escalation.planner import situation_of

    claim, account = _claim(("F-1", date(2026, 2, 1), "100.00"),
                            ("F-2", date(2026, 2, 20), "500.00"))
    today = date(2026, 4, 1)
    seen = situation_of(claim, account, account.statement(claim, today, DEFAULT_RATES),  # type: ignore[attr-defined]
                        today, 8)
    assert seen.carrying_due_date == date(2026, 2, 1) and seen.open and not seen.held
    # F-1 paid in full (principal, interest, indemnity): F-2 carries the ladder
    account.payments.append(Payment("pay_1", Decimal("200.00"), date(2026, 3, 1),  # type: ignore[attr-defined]
                                    invoice_numbers=("F-1",)))
    paid = situation_of(claim, account, account.statement(claim, today, DEFAULT_RATES),  # type: ignore[attr-defined]
                        today, 8)
    assert paid.carrying_due_date == date(2026, 2, 20)
    account.formal_notice_on = date(2026, 3, 25)  # type: ignore[attr-defined]
    claim.hold = Hold(HoldReason.PROMISE, datetime(2026, 4, 1, tzinfo=UTC),  # type: ignore[attr-defined]
                      date(2026, 4, 13))
    held = situation_of(claim, account, account.statement(claim, today, DEFAULT_RATES),  # type: ignore[attr-defined]
                        today, 8)
    assert held.held and held.resume_on == date(2026, 4, 14)
    assert held.notice_deadline == date(2026, 4, 2)


def test_a_claim_already_overdue_when_its_ladder_starts_passes_over_the_pre_due_steps() -> None:
    from domain.escalation.planner import start_index

    assert start_index(DEFAULT_STEPS, situation(today=date(2026, 3, 1))) == 0
    assert start_index(DEFAULT_STEPS, situation(today=date(2026, 3, 15))) == 0  # due today
    late = start_index(DEFAULT_STEPS, situation(today=date(2026, 4, 30)))
    assert DEFAULT_STEPS[late].key == "overdue_email"
