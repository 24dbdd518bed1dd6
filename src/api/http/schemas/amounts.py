"""The JSON shapes of what is owed: statements, payments, promises, payment plans, rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Output, Reference
from api.http.schemas.claims import ClaimOut
from domain.claims.model import MAX_INVOICES_PER_CLAIM
from domain.shared.money import format_amount

if TYPE_CHECKING:  # only named in the mappers' signatures: kept off the cold-start path
    from domain.amounts import deadlines
    from domain.amounts.ledger import InvoiceStatement, Payment, PaymentSplit, Statement
    from domain.amounts.payment_plan import PaymentPlan, PlanEvaluation
    from domain.amounts.promises import PaymentPromise
    from domain.judicial.statement import CostLine, JudicialStatement

Note = Annotated[str, Meta(max_length=2000)]
PaymentMethodName = Literal["transfer", "card", "cheque", "cash", "direct_debit", "other"]


def _m(amount: Decimal, currency: str) -> str:
    return format_amount(amount, currency)


class FlagOut(Output):
    code: str
    message: str
    subject: str | None

    @classmethod
    def of(cls, flag: deadlines.Flag) -> FlagOut:
        return cls(code=flag.code, message=flag.message, subject=flag.subject)


# ------------------------------------------------------------------------ statement


class InterestLineOut(Output):
    start: date
    end: date
    days: int
    rate: str
    base: str
    amount: str
    basis: str


class ApplicationOut(Output):
    payment_id: str
    received_on: date
    to_interest: str
    to_principal: str
    to_indemnity: str


class IndemnityOut(Output):
    amount: str
    paid: str
    outstanding: str


class InvoiceStatementOut(Output):
    number: str
    issue_date: date
    due_date: date
    principal: str
    principal_paid: str
    principal_outstanding: str
    interest: str
    interest_paid: str
    interest_outstanding: str
    interest_lines: list[InterestLineOut]
    indemnity: IndemnityOut
    limitation_date: date
    prescription_warning: bool
    prescribed: bool
    flags: list[FlagOut]
    applications: list[ApplicationOut]

    @classmethod
    def of(cls, s: InvoiceStatement, c: str) -> InvoiceStatementOut:
        return cls(
            number=s.number,
            issue_date=s.issue_date,
            due_date=s.due_date,
            principal=_m(s.principal, c),
            principal_paid=_m(s.principal_paid, c),
            principal_outstanding=_m(s.principal_outstanding, c),
            interest=_m(s.interest_accrued, c),
            interest_paid=_m(s.interest_paid, c),
            interest_outstanding=_m(s.interest_outstanding, c),
            interest_lines=[
                InterestLineOut(
                    start=line.start,
                    end=line.end,
                    days=line.days,
                    rate=f"{line.rate:f}",
                    base=_m(line.base, c),
                    amount=_m(line.amount, c),
                    basis=str(line.basis),
                )
                for line in s.interest_lines
            ],
            indemnity=IndemnityOut(
                amount=_m(s.indemnity.amount, c),
                paid=_m(s.indemnity.paid, c),
                outstanding=_m(s.indemnity.outstanding, c),
            ),
            limitation_date=s.limitation_date,
            prescription_warning=s.prescription_warning,
            prescribed=s.prescribed,
            flags=[FlagOut.of(f) for f in s.flags],
            applications=[
                ApplicationOut(
                    payment_id=a.payment_id,
                    received_on=a.received_on,
                    to_interest=_m(a.to_interest, c),
                    to_principal=_m(a.to_principal, c),
                    to_indemnity=_m(a.to_indemnity, c),
                )
                for a in s.applications
            ],
        )


class PaymentSplitOut(Output):
    payment_id: str
    received_on: date
    amount: str
    to_interest: str
    to_principal: str
    to_indemnity: str
    to_credit: str

    @classmethod
    def of(cls, s: PaymentSplit, c: str) -> PaymentSplitOut:
        return cls(
            payment_id=s.payment_id,
            received_on=s.received_on,
            amount=_m(s.amount, c),
            to_interest=_m(s.to_interest, c),
            to_principal=_m(s.to_principal, c),
            to_indemnity=_m(s.to_indemnity, c),
            to_credit=_m(s.to_credit, c),
        )


class TotalsOut(Output):
    principal: str
    principal_paid: str
    principal_outstanding: str
    interest: str
    interest_paid: str
    interest_outstanding: str
    indemnity: str
    indemnity_paid: str
    indemnity_outstanding: str
    paid: str
    due: str
    not_yet_due: str
    credit: str


class JudgmentInterestOut(Output):
    pronounced_on: date
    amount_awarded: str
    enforceable_on: date | None
    majoration_from: Annotated[date, Meta(description=(
        "The first day of the +5 points (C. monét. fin. L313-3: two months after the "
        "judgment became enforceable); only for a consumer's claim at the legal rate"))] | None
    interest_since: Annotated[str, Meta(description=(
        "Interest accrued from the pronouncement through the statement's day (C. civ. "
        "1231-7), included in totals.interest"))]
    majorated: Annotated[str, Meta(description="The part of it at the majorated rate")]


class StatementCostOut(Output):
    kind: str
    incurred_on: date
    amount: Annotated[str, Meta(description="Excluding VAT")]
    vat: str
    total: str
    bearer: Annotated[Literal["debtor_if_ordered", "creditor"], Meta(description=(
        "debtor_if_ordered: dépens a court may put on the debtor (CPC 695-696); creditor: "
        "left to the creditor (CPCE L111-8 al. 2, CPC 700 beyond what a judge awards)"))]
    basis: str
    note: str | None

    @classmethod
    def of(cls, line: CostLine, c: str) -> StatementCostOut:
        cost = line.cost
        return cls(kind=cost.kind.value, incurred_on=cost.incurred_on,
                   amount=_m(cost.amount, c), vat=_m(cost.vat, c), total=_m(cost.total, c),
                   bearer=line.bearer.value,
                   basis=line.basis, note=cost.note)


class JudicialStatementOut(Output):
    proceeding_id: str | None
    route: str | None
    state: str | None
    judgment: JudgmentInterestOut | None
    costs: Annotated[list[StatementCostOut], Meta(description=(
        "The proceeding's costs incurred by the statement's day. Never added to totals.due: "
        "the debtor owes dépens only once a court orders it"))]
    costs_debtor_may_bear: str
    costs_left_to_creditor: Annotated[str, Meta(description=(
        "Not claimable from the debtor (CPCE L111-8 al. 2, al. 3 aside)"))]
    due_with_costs: Annotated[str, Meta(description=(
        "totals.due plus the costs the debtor may be ordered to bear"))]

    @classmethod
    def of(cls, j: JudicialStatement, due: Decimal, c: str) -> JudicialStatementOut:
        p, g = j.proceeding, j.judgment
        return cls(
            proceeding_id=p.id if p else None, route=p.route.value if p else None,
            state=p.state.value if p else None,
            judgment=JudgmentInterestOut(
                pronounced_on=g.pronounced_on, amount_awarded=_m(g.amount_awarded, c),
                enforceable_on=g.enforceable_on, majoration_from=g.majoration_from,
                interest_since=_m(g.interest_since, c), majorated=_m(g.majorated, c),
            ) if g else None,
            costs=[StatementCostOut.of(line, c) for line in j.costs],
            costs_debtor_may_bear=_m(j.costs_debtor_may_bear, c),
            costs_left_to_creditor=_m(j.costs_left_to_creditor, c),
            due_with_costs=_m(due + j.costs_debtor_may_bear, c))


class StatementOut(Output):
    claim_id: str
    at: date
    currency: str
    invoices: list[InvoiceStatementOut]
    payments: list[PaymentSplitOut]
    ignored_payments: list[dict[str, str]]
    totals: TotalsOut
    flags: list[FlagOut]
    judicial: Annotated[JudicialStatementOut, Meta(description=(
        "What a judgment and a judicial proceeding add: the interest since the judgment and "
        "the proceeding's costs by who bears them; null before either"))] | None

    @classmethod
    def of(cls, claim_id: str, s: Statement,
           judicial: JudicialStatement | None = None) -> StatementOut:
        c, t = s.currency, s.totals
        return cls(
            judicial=(JudicialStatementOut.of(judicial, t.due, c)
                      if judicial is not None else None),
            claim_id=claim_id,
            at=s.at,
            currency=c,
            invoices=[InvoiceStatementOut.of(i, c) for i in s.invoices],
            payments=[PaymentSplitOut.of(p, c) for p in s.payments],
            ignored_payments=[
                {"payment_id": p.payment_id, "reason": p.reason} for p in s.ignored_payments
            ],
            totals=TotalsOut(
                principal=_m(t.principal, c),
                principal_paid=_m(t.principal_paid, c),
                principal_outstanding=_m(t.principal_outstanding, c),
                interest=_m(t.interest, c),
                interest_paid=_m(t.interest_paid, c),
                interest_outstanding=_m(t.interest_outstanding, c),
                indemnity=_m(t.indemnity, c),
                indemnity_paid=_m(t.indemnity_paid, c),
                indemnity_outstanding=_m(t.indemnity_outstanding, c),
                paid=_m(t.paid, c),
                due=_m(t.due, c),
                not_yet_due=_m(t.not_yet_due, c),
                credit=_m(s.credit, c),
            ),
            flags=[FlagOut.of(f) for f in s.flags],
        )


# ------------------------------------------------------------------------ payments


class PaymentCreate(Input):
    amount: DecimalString
    received_on: date
    method: PaymentMethodName = "transfer"
    reference: Annotated[str, Meta(min_length=1, max_length=140)] | None = None
    invoice_numbers: Annotated[
        list[Annotated[str, Meta(max_length=64)]], Meta(max_length=MAX_INVOICES_PER_CLAIM)
    ] = []


class ReversalCreate(Input):
    reason: Note | None = None
    reversed_on: Annotated[date, Meta(description=(
        "The day the bank returned the payment (an ERP's history imported later); not before "
        "it was received, not in the future. Default: today. Statements from that day on "
        "ignore the payment, and it no longer interrupts prescription."))] | None = None


class PaymentOut(Output):
    id: str
    amount: str
    received_on: date
    method: str
    reference: str | None
    invoice_numbers: list[str]
    reversed_on: date | None
    reversal_reason: str | None

    @classmethod
    def of(cls, p: Payment, c: str) -> PaymentOut:
        return cls(
            id=p.id,
            amount=_m(p.amount, c),
            received_on=p.received_on,
            method=str(p.method),
            reference=p.reference,
            invoice_numbers=list(p.invoice_numbers),
            reversed_on=p.reversed_on,
            reversal_reason=p.reversal_reason,
        )


class PaymentResult(Output):
    payment: PaymentOut
    split: PaymentSplitOut | None
    claim: ClaimOut


class PaymentList(Output):
    items: list[PaymentOut]


# ------------------------------------------------------------------------ promises


class PromiseCreate(Input):
    amount: DecimalString
    promised_on: date
    channel: Literal["phone", "email", "sms", "letter", "visit", "portal", "other"]
    note: Note | None = None
    made_on: Annotated[date, Meta(description=(
        "The day the debtor made the promise (an ERP's history imported later); not in the "
        "future. Default: today. promised_on must be on or after it. It acknowledges the "
        "debt (C. civ. 2240) and opens the window in which payments count."))] | None = None


class PromiseOut(Output):
    id: str
    amount: str
    promised_on: date
    deadline: date
    channel: str
    note: str | None
    made_on: date
    made_at: Annotated[datetime, Meta(description="When the promise was recorded")]
    status: str
    resolved_on: date | None

    @classmethod
    def of(cls, p: PaymentPromise, c: str) -> PromiseOut:
        return cls(
            id=p.id,
            amount=_m(p.amount, c),
            promised_on=p.promised_on,
            deadline=p.deadline(),
            channel=p.channel,
            note=p.note,
            made_on=p.made_on,
            made_at=p.made_at,
            status=p.status.value,
            resolved_on=p.resolved_on,
        )


class PromiseResult(Output):
    promise: PromiseOut
    claim: ClaimOut


class PromiseList(Output):
    items: list[PromiseOut]


# ------------------------------------------------------------------------ payment plans


class InstalmentBody(Input):
    due_on: date
    amount: DecimalString


class PlanCreate(Input):
    instalments: Annotated[list[InstalmentBody], Meta(min_length=1, max_length=60)] | None = None
    count: Annotated[int, Meta(ge=1, le=60)] | None = None
    first_due_on: date | None = None
    grace_days: Annotated[int, Meta(ge=0, le=30)] = 5
    agreed_on: Annotated[date, Meta(description=(
        "The day the debtor agreed the plan (an ERP's history imported later); not in the "
        "future. Default: today. The instalments must add up to what was due that day; "
        "what they schedule bears no late interest while the plan is kept."))] | None = None


FormalNoticeChannel = Literal["registered_letter", "letter", "email", "bailiff", "other"]


class FormalNoticeCreate(Input):
    sent_on: Annotated[date, Meta(description=(
        "The day the mise en demeure was sent: consumer interest runs from it (C. civ. "
        "1231-6); not in the future, not before the invoices."))]
    channel: FormalNoticeChannel = "registered_letter"
    reference: Reference | None = None
    note: Note | None = None


class JudgmentCreate(Input):
    pronounced_on: Annotated[date, Meta(description=(
        "The day the judgment was pronounced: interest runs from it at the latest (C. civ. "
        "1231-7); not in the future, not before the invoices."))]
    court: Annotated[str, Meta(min_length=1, max_length=200)]
    amount_awarded: DecimalString
    enforceable_on: Annotated[date, Meta(description=(
        "The day it became enforceable: the legal rate gains 5 points two months later "
        "(C. monét. fin. L313-3); not before the pronouncement."))] | None = None
    reference: Reference | None = None
    note: Note | None = None


class InstalmentOut(Output):
    index: int
    due_on: date
    amount: str
    paid: str
    outstanding: str
    status: str
    paid_on: date | None


class PlanOut(Output):
    id: str
    starts_on: date
    grace_days: int
    status: str
    total: str
    paid: str
    outstanding: str
    defaulted_on: date | None
    completed_on: date | None
    instalments: list[InstalmentOut]

    @classmethod
    def of(cls, plan: PaymentPlan, ev: PlanEvaluation) -> PlanOut:
        c = plan.currency
        return cls(
            id=plan.id,
            starts_on=plan.starts_on,
            grace_days=plan.grace_days,
            status=ev.status.value,
            total=_m(sum((i.amount for i in plan.instalments), Decimal(0)), c),
            paid=_m(ev.paid, c),
            outstanding=_m(ev.outstanding, c),
            defaulted_on=ev.defaulted_on,
            completed_on=ev.completed_on,
            instalments=[
                InstalmentOut(
                    index=s.index,
                    due_on=s.due_on,
                    amount=_m(s.amount, c),
                    paid=_m(s.paid, c),
                    outstanding=_m(s.outstanding, c),
                    status=s.status.value,
                    paid_on=s.paid_on,
                )
                for s in ev.instalments
            ],
        )


class PlanResult(Output):
    plan: PlanOut
    claim: ClaimOut


# ------------------------------------------------------------------------ rates


class LegalRateBody(Input):
    half_year: Annotated[str, Meta(pattern=r"^[0-9]{4}-S[12]$", examples=["2026-S2"])]
    particulier: DecimalString
    autres_cas: DecimalString
    source: Annotated[str, Meta(min_length=1, max_length=500)]


class EcbChangeBody(Input):
    effective_on: date
    rate: DecimalString
    source: Annotated[str, Meta(min_length=1, max_length=500)]


class RatesPublish(Input):
    legal_rates: list[LegalRateBody] = []
    ecb_changes: list[EcbChangeBody] = []
    ecb_known_through: date | None = None
