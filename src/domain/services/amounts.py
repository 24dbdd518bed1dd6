"""Use cases on what is owed: statements, payments and their reversal, promises to pay and
payment plans. Each is a lifecycle action (domain.lifecycle) that appends its events to the
timeline in the same atomic write as the change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from domain.amounts.account import ClaimAccount
from domain.amounts.ledger import Payment, PaymentMethod, Statement
from domain.amounts.payment_plan import (
    Instalment,
    PaymentPlan,
    PlanStatus,
    equal_monthly_instalments,
    validate_plan,
)
from domain.amounts.promises import DEFAULT_GRACE_DAYS, PaymentPromise
from domain.amounts.rates import RateTables, RateUnknown
from domain.claims import lifecycle
from domain.claims.model import Claim, ClaimEvent, Hold, HoldReason, Outcome, Phase
from domain.ports import Clock, Repository
from domain.shared.dates import outside_window
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.money import format_amount, parse_amount
from domain.shared.retry import retry_on_stale


class RateSource(Protocol):
    def rate_tables(self) -> RateTables:
        """The rate tables in force: the shipped data plus what the operator published."""
        ...


@dataclass
class Change:
    """A claim being changed: the new state and the events that explain it."""

    claim: Claim
    account: ClaimAccount
    events: list[ClaimEvent]
    expected_version: int
    today: date
    actor: str
    statement: Statement | None = None
    # The claim as read, before any change: what a change that is not saved answers with.
    loaded: Claim | None = None
    # Whether the debtor is in collective proceedings, read once per change.
    collective: bool | None = None

    def in_collective_proceedings(self, repo: Repository) -> bool:
        if self.collective is None:
            self.collective = _in_collective_proceedings(repo, self.claim)
        return self.collective

    def record(self, action: str, reason: str | None = None, **data: str) -> None:
        self.events.append(
            ClaimEvent(
                claim_id=self.claim.id,
                seq=self.claim.next_event_seq(),
                at=self.claim.updated_at,
                action=action,
                actor=self.actor,
                reason=reason,
                data=data,
            )
        )


def _load(repo: Repository, clock: Clock, creditor_id: str, claim_id: str, actor: str) -> Change:
    found = repo.get_claim_account(creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    now = clock.now()
    expected = claim.version
    changed = replace(claim, version=claim.version + 1, updated_at=now)
    return Change(changed, account, [], expected, claim.today(now), actor, loaded=claim)


def _in_collective_proceedings(repo: Repository, claim: Claim) -> bool:
    debtor = repo.get_debtor(claim.creditor_id, claim.debtor_id)
    return bool(debtor and debtor.in_collective_proceedings)


def _amounts(claim: Claim, statement: Statement) -> dict[str, str]:
    t = statement.totals
    return {
        "due": format_amount(t.due, claim.currency),
        "credit": format_amount(statement.credit, claim.currency),
    }


def _settle(
    change: Change, repo: Repository, rates: RateSource, *, quiet_if_unchanged: bool = False
) -> None:
    """After any change to the account: resolve promises and the plan as of today, recompute
    what is owed, close the claim when nothing is, and release holds whose reason ended.
    `quiet_if_unchanged` (review): a missing rate alone is not a change worth an event, or
    every review would append one."""
    claim, account = change.claim, change.account
    for promise in account.resolve_promises(change.today):
        change.record(
            f"promise_{promise.status.value}",
            promise_id=promise.id,
            amount=format_amount(promise.amount, claim.currency),
            promised_on=promise.promised_on.isoformat(),
        )
        if claim.hold is not None and claim.hold.reason is HoldReason.PROMISE:
            claim.hold = None
    evaluation = account.evaluate_plan(change.today)
    if evaluation is not None and evaluation.status is not account.plan_status:
        account.plan_status = evaluation.status
        if evaluation.status is PlanStatus.DEFAULTED:
            change.record(
                "payment_plan_defaulted",
                defaulted_on=str(evaluation.defaulted_on),
                outstanding=format_amount(evaluation.outstanding, claim.currency),
            )
            if claim.hold is not None and claim.hold.reason is HoldReason.PAYMENT_PLAN:
                claim.hold = None
        elif evaluation.status is PlanStatus.COMPLETED:
            change.record("payment_plan_completed", completed_on=str(evaluation.completed_on))
    try:
        change.statement = account.statement(
            claim,
            change.today,
            rates.rate_tables(),
            in_collective_proceedings=change.in_collective_proceedings(repo),
        )
    except RateUnknown as exc:
        # What is owed cannot be computed without the missing rate; the change itself is
        # still recorded and the timeline says why the balance was not updated.
        if change.events or not quiet_if_unchanged:
            change.record("balance_not_updated", reason=str(exc))
        return
    claim.outstanding = change.statement.totals.due
    plan_done = evaluation is not None and evaluation.status is PlanStatus.COMPLETED
    if claim.phase is not Phase.CLOSED and (change.statement.totals.due == 0 or plan_done):
        # The last instalment of a kept plan closes the claim: the plan was agreed as the
        # full settlement of what was due when it started.
        claim.closed_from, claim.phase, claim.outcome, claim.hold = (
            claim.phase,
            Phase.CLOSED,
            Outcome.PAID,
            None,
        )
        change.record(
            "close",
            reason="payment plan completed" if plan_done else "paid in full",
            outcome="paid",
            **_amounts(claim, change.statement),
        )


def _save(repo: Repository, change: Change) -> None:
    repo.save_claim(change.claim, change.events, change.expected_version, change.account)


# ------------------------------------------------------------------------ statement


def statement(
    repo: Repository,
    clock: Clock,
    rates: RateSource,
    creditor_id: str,
    claim_id: str,
    at: date | None,
) -> tuple[Claim, Statement]:
    found = repo.get_claim_account(creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    today = claim.today(clock.now())
    if (error := outside_window(at, today, "at")) is not None:
        raise DomainValidationError.many([error])
    day = at or today
    return claim, account.statement(
        claim,
        day,
        rates.rate_tables(),
        in_collective_proceedings=_in_collective_proceedings(repo, claim),
    )


# ------------------------------------------------------------------------ payments


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    amount: str
    received_on: date
    method: str = PaymentMethod.TRANSFER
    reference: str | None = None
    invoice_numbers: tuple[str, ...] = ()


@retry_on_stale
def record_payment(
    repo: Repository,
    clock: Clock,
    rates: RateSource,
    creditor_id: str,
    claim_id: str,
    draft: PaymentDraft,
    actor: str,
) -> tuple[Change, Payment]:
    change = _load(repo, clock, creditor_id, claim_id, actor)
    claim = change.claim
    lifecycle.ensure_allowed(claim, "record_payment")
    errors: list[FieldError] = []
    if (too_old := outside_window(draft.received_on, change.today, "received_on")) is not None:
        errors.append(too_old)
    elif draft.received_on > change.today:
        errors.append(
            FieldError("received_on", "a payment cannot be received in the future", "in_future")
        )
    numbers = {inv.number for inv in claim.invoices}
    errors += [
        FieldError(f"invoice_numbers[{i}]", f"no invoice {n!r} in this claim", "unknown_invoice")
        for i, n in enumerate(draft.invoice_numbers)
        if n not in numbers
    ]
    try:
        amount = parse_amount(draft.amount, claim.currency, "amount")
    except DomainValidationError as exc:
        errors += exc.errors
    if errors:
        raise DomainValidationError.many(errors)
    if any(
        p.reference and p.reference == draft.reference
        for p in change.account.payments
        if draft.reference and p.reversed_on is None
    ):
        raise DomainValidationError(
            "reference",
            f"a payment with reference {draft.reference!r} is already recorded",
            code="duplicate_payment",
        )
    payment = Payment(
        id=new_id("pay"),
        amount=amount,
        received_on=draft.received_on,
        method=draft.method,
        reference=draft.reference,
        invoice_numbers=tuple(draft.invoice_numbers),
    )
    change.account.payments.append(payment)
    event_index = len(change.events)
    change.record(
        "record_payment",
        payment_id=payment.id,
        amount=format_amount(amount, claim.currency),
        method=str(payment.method),
        received_on=payment.received_on.isoformat(),
    )
    _settle(change, repo, rates)
    if change.statement is not None:
        split = next((s for s in change.statement.payments if s.payment_id == payment.id), None)
        if split is not None:
            event = change.events[event_index]
            change.events[event_index] = replace(
                event,
                data={
                    **event.data,
                    "to_interest": format_amount(split.to_interest, claim.currency),
                    "to_principal": format_amount(split.to_principal, claim.currency),
                    "to_indemnity": format_amount(split.to_indemnity, claim.currency),
                    "to_credit": format_amount(split.to_credit, claim.currency),
                },
            )
    _save(repo, change)
    return change, payment


def _still_settled(change: Change, repo: Repository, rates: RateSource) -> bool:
    """Without the reversed payment, is the claim still paid (nothing due, or its plan
    still completed)? Then the payment did not close it, and it stays closed."""
    account, claim = change.account, change.claim
    if account.plan_status is PlanStatus.COMPLETED:
        evaluation = account.evaluate_plan(change.today)
        if evaluation is not None and evaluation.status is PlanStatus.COMPLETED:
            return True
    try:
        current = account.statement(
            claim,
            change.today,
            rates.rate_tables(),
            in_collective_proceedings=change.in_collective_proceedings(repo),
        )
    except RateUnknown:
        return False
    return current.totals.due == 0


@retry_on_stale
def reverse_payment(
    repo: Repository,
    clock: Clock,
    rates: RateSource,
    creditor_id: str,
    claim_id: str,
    payment_id: str,
    reason: str | None,
    actor: str,
) -> tuple[Change, Payment]:
    """A bounced transfer or a rejected cheque: the payment stays on record, marked
    reversed, and everything is recomputed as if it had never been received. A claim that
    this payment had closed reopens in the phase it was in."""
    change = _load(repo, clock, creditor_id, claim_id, actor)
    claim = change.claim
    lifecycle.ensure_allowed(claim, "reverse_payment")
    payment = change.account.payment(payment_id)
    if payment is None:
        raise NotFound("payment", payment_id)
    if payment.reversed_on is not None:
        raise DomainValidationError(
            "payment_id", "this payment is already reversed", code="already_reversed"
        )
    change.account = change.account.with_payment_reversed(payment_id, change.today, reason)
    change.record(
        "reverse_payment",
        reason=reason,
        payment_id=payment_id,
        amount=format_amount(payment.amount, claim.currency),
    )
    if (
        claim.phase is Phase.CLOSED
        and claim.outcome is Outcome.PAID
        and not _still_settled(change, repo, rates)
    ):
        phase = claim.closed_from or Phase.AMICABLE
        if phase is Phase.PRE_DUE:  # it may have fallen due since it closed
            phase = lifecycle.initial_phase(claim.earliest_due_date, change.today)
        claim.phase, claim.outcome = phase, None
        if change.account.plan_status is PlanStatus.COMPLETED:
            # Only a completed plan is undone; a defaulted one stays defaulted (its event
            # is already in the timeline).
            change.account.plan_status = None
        change.record(
            "reopen",
            reason="the payment that settled the claim was reversed",
            phase=claim.phase.value,
        )
    _settle(change, repo, rates)
    plan = change.account.plan
    if (claim.phase is not Phase.CLOSED and claim.hold is None and plan is not None
            and change.account.plan_status is PlanStatus.ACTIVE):
        # The plan runs again: escalation pauses again while it is kept.
        claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at,
                          plan.instalments[-1].due_on, None)
    _save(repo, change)
    reversed_payment = change.account.payment(payment_id)
    assert reversed_payment is not None
    return change, reversed_payment


# ------------------------------------------------------------------------ promises


@dataclass(frozen=True, slots=True)
class PromiseDraft:
    amount: str
    promised_on: date
    channel: str
    note: str | None = None


@retry_on_stale
def record_promise(
    repo: Repository,
    clock: Clock,
    rates: RateSource,
    creditor_id: str,
    claim_id: str,
    draft: PromiseDraft,
    actor: str,
) -> tuple[Change, PaymentPromise]:
    """The seeds: ask the debtor to commit to a precise date, and keep a trace of it.
    Escalation holds until the date plus the grace period."""
    change = _load(repo, clock, creditor_id, claim_id, actor)
    claim = change.claim
    lifecycle.ensure_allowed(claim, "record_promise")
    amount = parse_amount(draft.amount, claim.currency, "amount")
    if draft.promised_on < change.today:
        raise DomainValidationError(
            "promised_on", "a promise falls due today or later", code="in_past"
        )
    if draft.promised_on > change.today + timedelta(days=366):
        raise DomainValidationError(
            "promised_on", "more than a year ahead: agree a payment plan instead", code="too_far"
        )
    promise = PaymentPromise(
        id=new_id("prm"),
        amount=amount,
        promised_on=draft.promised_on,
        channel=draft.channel,
        note=draft.note,
        made_at=claim.updated_at,
    )
    change.account.promises.append(promise)
    until = promise.deadline(DEFAULT_GRACE_DAYS)
    claim.hold = Hold(HoldReason.PROMISE, claim.updated_at, until, draft.note)
    change.record(
        "record_promise",
        reason=draft.note,
        promise_id=promise.id,
        amount=format_amount(amount, claim.currency),
        promised_on=promise.promised_on.isoformat(),
        channel=draft.channel,
        hold_until=until.isoformat(),
    )
    _settle(change, repo, rates)
    _save(repo, change)
    return change, promise


# ------------------------------------------------------------------------ payment plans


@dataclass(frozen=True, slots=True)
class PlanDraft:
    instalments: list[tuple[date, str]] | None = None
    count: int | None = None
    first_due_on: date | None = None
    grace_days: int = 5


@retry_on_stale
def start_payment_plan(
    repo: Repository,
    clock: Clock,
    rates: RateSource,
    creditor_id: str,
    claim_id: str,
    draft: PlanDraft,
    actor: str,
) -> tuple[Change, PaymentPlan]:
    """An échéancier for a debtor in good faith: instalments that cover exactly what is due
    today; escalation holds while it is kept."""
    change = _load(repo, clock, creditor_id, claim_id, actor)
    claim, account = change.claim, change.account
    lifecycle.ensure_allowed(claim, "start_payment_plan")
    if account.plan is not None and account.plan_status in (None, PlanStatus.ACTIVE):
        raise DomainValidationError(
            "instalments", "the claim already has an active payment plan", code="plan_active"
        )
    current = account.statement(
        claim,
        change.today,
        rates.rate_tables(),
        in_collective_proceedings=change.in_collective_proceedings(repo),
    )
    due = current.totals.due
    if due <= 0:
        raise DomainValidationError("instalments", "nothing is due", code="nothing_due")
    out_of_range = [
        e for e in [outside_window(draft.first_due_on, change.today, "first_due_on")]
        + [outside_window(due_on, change.today, f"instalments[{i}].due_on")
           for i, (due_on, _) in enumerate(draft.instalments or [])]
        if e is not None]
    if out_of_range:
        raise DomainValidationError.many(out_of_range)
    if draft.instalments is not None:
        errors: list[FieldError] = []
        instalments: list[Instalment] = []
        for i, (due_on, text) in enumerate(draft.instalments):
            try:
                instalments.append(
                    Instalment(
                        due_on, parse_amount(text, claim.currency, f"instalments[{i}].amount")
                    )
                )
            except DomainValidationError as exc:
                errors += exc.errors
        if errors:
            raise DomainValidationError.many(errors)
    elif draft.count is not None and draft.first_due_on is not None:
        instalments = list(
            equal_monthly_instalments(due, draft.count, draft.first_due_on, claim.currency)
        )
    else:
        raise DomainValidationError(
            "instalments", "give `instalments`, or `count` and `first_due_on`", code="required"
        )
    validate_plan(instalments, due, currency=claim.currency, starts_on=change.today)
    plan = PaymentPlan(
        id=new_id("pln"),
        starts_on=change.today,
        currency=claim.currency,
        instalments=tuple(instalments),
        grace_days=draft.grace_days,
    )
    account.plan, account.plan_status = plan, PlanStatus.ACTIVE
    claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at, instalments[-1].due_on, None)
    change.record(
        "start_payment_plan",
        plan_id=plan.id,
        total=format_amount(due, claim.currency),
        instalments=str(len(instalments)),
        last_due_on=instalments[-1].due_on.isoformat(),
    )
    _settle(change, repo, rates)
    _save(repo, change)
    return change, plan


# ------------------------------------------------------------------------ review


@retry_on_stale
def review(
    repo: Repository, clock: Clock, rates: RateSource, creditor_id: str, claim_id: str, actor: str
) -> Change:
    """Bring promises and the plan up to date with the calendar (a promise whose grace
    period ended unpaid is broken; a missed instalment past its grace defaults the plan).
    The scheduled trigger runs this; it is idempotent, and saves only when something
    changed."""
    change = _load(repo, clock, creditor_id, claim_id, actor)
    lifecycle.ensure_allowed(change.claim, "review")
    before = (change.claim.outstanding, change.claim.phase, change.claim.hold)
    _settle(change, repo, rates, quiet_if_unchanged=True)
    after = (change.claim.outstanding, change.claim.phase, change.claim.hold)
    if change.events or before != after:
        _save(repo, change)
    elif change.loaded is not None:
        # Nothing changed, nothing saved: answer with the claim as stored (its version and
        # updated_at), not with the unsaved copy.
        change.claim = change.loaded
    return change
