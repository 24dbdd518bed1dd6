"""Settling a claim after any change to what it owes: pure domain code.

Promises and the payment plan are resolved as of today, what is owed is recomputed, the
claim closes as paid when nothing is, and holds whose reason ended are released. A claim
never closes as paid with anything still due: a kept plan schedules no late interest
(domain.amounts.law.PLAN_KEEPS_INTEREST), so its last instalment leaves nothing due; if
something still is, the claim stays open and collection resumes on it. The API's use
cases run it today; the scheduled trigger and the sweeper will run the same function.
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
           changed: bool, quiet_if_unchanged: bool = False) -> Settlement:
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
        found.statement = account.statement(claim, today, tables)
    except RateUnknown as exc:
        # What is owed cannot be computed without the missing rate; the change itself is
        # still recorded and the timeline says why the balance was not updated.
        if changed or found.events or not quiet_if_unchanged:
            found.events.append(events.BalanceNotUpdated(reason=str(exc)))
        return found
    totals = found.statement.totals
    claim.outstanding = totals.due
    plan_done = evaluation is not None and evaluation.status is PlanStatus.COMPLETED
    if claim.phase is not Phase.CLOSED and totals.due == 0:
        claim.closed_from, claim.closed_hold, claim.phase, claim.outcome, claim.hold = (
            claim.phase, claim.hold, Phase.CLOSED, Outcome.PAID, None)
        found.events.append(events.ClaimPaid(
            reason="payment plan completed" if plan_done else "paid in full",
            due=totals.due, credit=found.statement.credit))
    elif (plan_done and claim.hold is not None
          and claim.hold.reason is HoldReason.PAYMENT_PLAN):
        # Every instalment is paid yet something is still due (an invoice added to the
        # debt after the plan, a rate published since): the plan no longer holds
        # collection of the rest.
        claim.hold = None
    return found


def still_settled(claim: Claim, account: ClaimAccount, today: date,
                  tables: RateTables) -> bool:
    """Without the payment just reversed, is nothing still due? Then that payment did not
    close the claim, and it stays closed."""
    try:
        current = account.statement(claim, today, tables)
    except RateUnknown:
        return False
    return current.totals.due == 0
