"""A claim's account: the payments received, the promises made and the payment plan agreed.

Kept beside the claim (its own item in storage, written in the same transaction as the claim)
because it grows with the claim's life while the claim itself stays small enough to list.
What is owed is never stored: `statement()` recomputes it, for any date, from the invoices,
this account and the law (domain.ledger), so a correction to a payment or a rate table can
never leave a stale figure behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from domain.amounts import law
from domain.amounts.interest import DayCount
from domain.amounts.ledger import Payment, Statement, compute_statement
from domain.amounts.payment_plan import PaymentPlan, PlanEvaluation, PlanStatus, evaluate_plan
from domain.amounts.promises import PaymentPromise, PromiseStatus, resolve_promise
from domain.amounts.rates import RateTables
from domain.claims.model import Claim


@dataclass(frozen=True, slots=True)
class Judgment:
    """A judgment ordering the debtor to pay: it makes interest run from its pronouncement
    (C. civ. 1231-7) and, two months after it became enforceable, raises the legal rate by
    5 points (C. monét. fin. L313-3)."""

    pronounced_on: date
    court: str
    amount_awarded: Decimal
    enforceable_on: date | None = None
    reference: str | None = None  # the court's case number


@dataclass(slots=True)
class ClaimAccount:
    payments: list[Payment] = field(default_factory=list)
    promises: list[PaymentPromise] = field(default_factory=list)
    plan: PaymentPlan | None = None
    # Plans agreed before the current one (each defaulted): the days they were kept stay
    # free of late interest, and each acknowledged the debt.
    earlier_plans: list[PaymentPlan] = field(default_factory=list)
    # The plan's last status as recorded in the timeline (evaluations that change it are
    # events: defaulted, completed).
    plan_status: PlanStatus | None = None
    # Interest terms fixed for this claim.
    contractual_rate: Decimal | None = None
    formal_notice_on: date | None = None
    judgment: Judgment | None = None
    # The day a court step interrupted prescription (C. civ. 2241: the service of an
    # injonction de payer's order or of an assignation, a declaration of claim; never the
    # filing of a request: Cass. 1re civ. 10/07/1990, n° 89-13.345), set by the proceeding
    # (domain.judicial.proceedings.INTERRUPTING) and cleared when the interruption is void
    # (C. civ. 2243: discontinuance, lapse).
    prescription_interrupted_on: date | None = None

    def terms(self, claim: Claim, at: date) -> law.InterestTerms:
        """The interest terms of `claim` as known on `at`: a payment plan is kept (no late
        interest on what it schedules) until the day it defaults."""
        proceedings = claim.proceedings
        plans_kept = tuple(
            law.plan_kept_period(plan.starts_on, evaluate_plan(plan, self.payments, at)
                                 .defaulted_on)
            for plan in self.plans() if plan.starts_on <= at)
        return law.InterestTerms(
            debtor_kind=claim.debtor_kind,
            contractual_rate=self.contractual_rate,
            formal_notice_on=self.formal_notice_on,
            proceedings_opened_on=proceedings.opened_on if proceedings else None,
            proceedings_recorded_on=proceedings.recorded_on if proceedings else None,
            judgment_on=self.judgment.pronounced_on if self.judgment else None,
            judgment_enforceable_on=self.judgment.enforceable_on if self.judgment else None,
            plans_kept=plans_kept,
            day_count=DayCount(claim.interest_day_count),
            below_floor_policy=law.BelowFloorPolicy(claim.below_floor_policy),
        )

    def statement(self, claim: Claim, at: date, rates: RateTables) -> Statement:
        return compute_statement(
            invoices=claim.invoices,
            currency=claim.currency,
            terms=self.terms(claim, at),
            payments=self.payments,
            at=at,
            rates=rates,
            acknowledged=self.acknowledgements(at),
        )

    def acknowledgements(self, through: date | None = None) -> list[date]:
        """The days that interrupt prescription: the debtor acknowledged the debt (C. civ.
        2240) by each payment that counts (a reversed one does not), each promise, and the
        plan (the day it was agreed).
        `through`: as known on that day; None: as known now."""
        days = [p.received_on for p in self.payments
                if (p.reversed_on is None if through is None else p.counts_at(through))]
        days += [p.made_on for p in self.promises]
        days += [plan.starts_on for plan in self.plans()]
        # The one place a court step joins them: like an acknowledgement, it starts a new
        # period of the same length (C. civ. 2231, 2241). Counting it from the act is the
        # cautious reading: the interruption lasts until the proceedings end (2242).
        if self.prescription_interrupted_on is not None:
            days.append(self.prescription_interrupted_on)
        return sorted({d for d in days if through is None or d <= through})

    def plans(self) -> list[PaymentPlan]:
        """Every plan agreed, the earliest first."""
        return [*self.earlier_plans, *([self.plan] if self.plan is not None else [])]

    def payment(self, payment_id: str) -> Payment | None:
        return next((p for p in self.payments if p.id == payment_id), None)

    def with_payment_reversed(self, payment_id: str, on: date, reason: str | None) -> ClaimAccount:
        payments = [
            replace(p, reversed_on=on, reversal_reason=reason) if p.id == payment_id else p
            for p in self.payments
        ]
        return replace(self, payments=payments)

    def pending_promise(self) -> PaymentPromise | None:
        return next((p for p in self.promises if p.status is PromiseStatus.PENDING), None)

    def resolve_promises(self, today: date) -> list[PaymentPromise]:
        """Bring pending promises up to date; return those that changed status."""
        changed = []
        for i, promise in enumerate(self.promises):
            if promise.status is not PromiseStatus.PENDING:
                continue
            resolved = resolve_promise(promise, self.payments, today)
            if resolved.status is not PromiseStatus.PENDING:
                self.promises[i] = resolved
                changed.append(resolved)
        return changed

    def evaluate_plan(self, today: date) -> PlanEvaluation | None:
        if self.plan is None:
            return None
        return evaluate_plan(self.plan, self.payments, today)
