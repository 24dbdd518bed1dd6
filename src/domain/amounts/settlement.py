"""Settling a claim after any change to what it owes: pure domain code.

Promises and the payment plan are resolved as of today, what is owed is recomputed, the
claim closes as paid when nothing is (or its kept plan is complete), and holds whose reason
ended are released. The API's use cases run it today; the scheduled trigger and the sweeper
will run the same function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.amounts.account import ClaimAccount
from domain.amounts.ledger import Statement
from domain.amounts.payment_plan import PlanStatus
from domain.amounts.promises import PromiseStatus
from domain.amounts.rates import RateTables, RateUnknown
from domain.claims import events
from domain.claims.model import Claim, HoldReason, Outcome, Phase


@dataclass(slots=True)
class Settlement:
    """What settling found: the events to record, and the statement (None when a rate is
    missing and what is owed could not be computed)."""

    events: list[events.Event] = field(default_factory=list)
    statement: Statement | None = None


def settle(claim: Claim, account: ClaimAccount, today: date, tables: RateTables, *,
           collective: bool, changed: bool, quiet_if_unchanged: bool = False) -> Settlement:
    """Bring `claim` and `account` up to date as of `today` (both are changed in place).

    `changed`: the change being settled already recorded an event. `quiet_if_unchanged`
    (review): a missing rate alone is not a change worth an event, or every review would
    append one."""
    found = Settlement()
    for promise in account.resolve_promises(today):
        kind = events.PromiseKept if promise.status is PromiseStatus.KEPT else events.PromiseBroken
        found.events.append(kind(promise_id=promise.id, amount=promise.amount,
                                 promised_on=promise.promised_on))
        if claim.hold is not None and claim.hold.reason is HoldReason.PROMISE:
            claim.hold = None
    evaluation = account.evaluate_plan(today)
    if evaluation is not None and evaluation.status is not account.plan_status:
        account.plan_status = evaluation.status
        if evaluation.status is PlanStatus.DEFAULTED:
            found.events.append(events.PaymentPlanDefaulted(
                defaulted_on=evaluation.defaulted_on, outstanding=evaluation.outstanding))
            if claim.hold is not None and claim.hold.reason is HoldReason.PAYMENT_PLAN:
                claim.hold = None
        elif evaluation.status is PlanStatus.COMPLETED:
            found.events.append(events.PaymentPlanCompleted(
                completed_on=evaluation.completed_on))
    try:
        found.statement = account.statement(claim, today, tables,
                                            in_collective_proceedings=collective)
    except RateUnknown as exc:
        # What is owed cannot be computed without the missing rate; the change itself is
        # still recorded and the timeline says why the balance was not updated.
        if changed or found.events or not quiet_if_unchanged:
            found.events.append(events.BalanceNotUpdated(reason=str(exc)))
        return found
    totals = found.statement.totals
    claim.outstanding = totals.due
    plan_done = evaluation is not None and evaluation.status is PlanStatus.COMPLETED
    if claim.phase is not Phase.CLOSED and (totals.due == 0 or plan_done):
        # The last instalment of a kept plan closes the claim: the plan was agreed as the
        # full settlement of what was due when it started.
        claim.closed_from, claim.closed_hold, claim.phase, claim.outcome, claim.hold = (
            claim.phase, claim.hold, Phase.CLOSED, Outcome.PAID, None)
        found.events.append(events.ClaimPaid(
            reason="payment plan completed" if plan_done else "paid in full",
            due=totals.due, credit=found.statement.credit))
    return found


def still_settled(claim: Claim, account: ClaimAccount, today: date, tables: RateTables, *,
                  collective: bool) -> bool:
    """Without the payment just reversed, is the claim still paid (nothing due, or its
    plan still completed)? Then that payment did not close it, and it stays closed."""
    if account.plan_status is PlanStatus.COMPLETED:
        evaluation = account.evaluate_plan(today)
        if evaluation is not None and evaluation.status is PlanStatus.COMPLETED:
            return True
    try:
        current = account.statement(claim, today, tables, in_collective_proceedings=collective)
    except RateUnknown:
        return False
    return current.totals.due == 0
