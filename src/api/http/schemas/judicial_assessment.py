"""The JSON shape of a claim's judicial assessment: facts and figures per route, never a
verdict. Amounts and probabilities are decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Output
from domain.shared.money import format_amount

if TYPE_CHECKING:
    from domain.judicial.assessment import (
        AmicableAttempt,
        Assessment,
        ClaimFacts,
        Condition,
        CostLine,
        Costs,
        ExpectedRecovery,
        Factor,
        Probability,
        Representation,
        RouteAssessment,
        RoutePrescription,
        Step,
        TimeToTitle,
    )
    from domain.judicial.courts import Court

SignedDecimalString = Annotated[str, Meta(
    pattern=r"^-?[0-9]{1,15}(\.[0-9]{1,4})?$", examples=["-12.50"],
    description="An exact amount as a decimal string, negative when the costs left to the "
    "creditor exceed what is expected back")]
ProbabilityString = Annotated[str, Meta(
    pattern=r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", examples=["0.6000"],
    description="A probability from 0 to 1 as a decimal string")]
CoefficientString = Annotated[str, Meta(pattern=r"^[0-9]{1,3}(\.[0-9]{1,4})?$",
                                        examples=["0.8500"])]
RouteName = Literal["injonction_de_payer", "simplified_small_claims", "commercial_uncontested",
                    "refere_provision", "assignation_au_fond", "european_order_for_payment",
                    "european_small_claims", "declaration_of_claim"]
CourtTypeName = Literal["TJ", "JCP", "TC", "TAE", "TJ_CH_COM", "FOREIGN"]

_Q = Decimal("0.0001")
TotalBound = Annotated[Literal["exact", "lower_bound"], Meta(description=(
    "`lower_bound`: a part has no figure (or is a range, counted by its low end) and is "
    "left out of the total"))]
# The tariffs, fees and thresholds are French law's, in euros, whatever the claim's currency.
TARIFF_CURRENCY = "EUR"


def _p(value: Decimal) -> str:
    return f"{value.quantize(_Q):f}"


def _m(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else format_amount(amount, currency)


class ConditionOut(Output):
    code: str
    met: Annotated[bool | None, Meta(description="null: the facts recorded cannot tell")]
    fact: Annotated[str, Meta(description="Words only: the figures are `amount` and `limit`")]
    amount: Annotated[DecimalString | None, Meta(description=(
        "The claim's figure the condition compares, in the claim's currency"))]
    limit: Annotated[DecimalString | None, Meta(description=(
        "The rule's figure, in EUR; null: none in force, or no figure compared"))]
    parameter: Annotated[str | None, Meta(description="The parameter `limit` comes from")]

    @classmethod
    def of(cls, c: Condition, currency: str) -> ConditionOut:
        return cls(code=c.code, met=c.met, fact=c.fact, amount=_m(c.amount, currency),
                   limit=_m(c.limit, TARIFF_CURRENCY), parameter=c.parameter)


class CourtOut(Output):
    type: Annotated[CourtTypeName | None, Meta(description=(
        "null: the court that opened the collective proceedings, as recorded"))]
    name: Annotated[str, Meta(description='"<type> of <the debtor\'s city>" unless known')]
    basis: list[str]
    exact_court_confirmed: Annotated[bool, Meta(description=(
        "false: the court whose area covers the debtor's domicile, which Relance cannot map"))]
    jurisdiction_clause: Literal["void", "may_designate_another_court", "not_relevant"]
    note: str | None

    @classmethod
    def of(cls, c: Court) -> CourtOut:
        return cls(type=None if c.type is None else c.type.value, name=c.name,
                   basis=[b.value for b in c.basis], exact_court_confirmed=c.exact_court_confirmed,
                   jurisdiction_clause=c.jurisdiction_clause.value, note=c.note)


class RepresentationOut(Output):
    lawyer_required: Annotated[bool | None, Meta(description="At filing; null: not known")]
    lawyer_required_after_opposition: Annotated[bool | None, Meta(description=(
        "The hearing after an opposition to an injonction de payer; null: not this route"))]
    threshold: DecimalString | None
    parameter: str | None
    rule: str

    @classmethod
    def of(cls, r: Representation, currency: str) -> RepresentationOut:
        return cls(lawyer_required=r.lawyer_required,
                   lawyer_required_after_opposition=r.lawyer_required_after_opposition,
                   threshold=_m(r.threshold, TARIFF_CURRENCY), parameter=r.parameter,
                   rule=r.rule)


class AmicableAttemptOut(Output):
    required: Annotated[bool | None, Meta(description=(
        "CPC 750-1 prior conciliation, mediation or procédure participative; null: unsettled"))]
    rule: str
    ceiling: DecimalString | None
    parameter: str | None
    formal_notice_sent_on: date | None
    note: str | None

    @classmethod
    def of(cls, a: AmicableAttempt, currency: str) -> AmicableAttemptOut:
        return cls(required=a.required, rule=a.rule, ceiling=_m(a.ceiling, TARIFF_CURRENCY),
                   parameter=a.parameter, formal_notice_sent_on=a.formal_notice_sent_on,
                   note=a.note)


class CostLineOut(Output):
    item: str
    amount: Annotated[DecimalString | None, Meta(description="null: no figure in the sources")]
    amount_up_to: DecimalString | None
    parameter: str | None
    parameters: list[str]
    source: str
    confirmed: bool
    recoverable_from_debtor: Annotated[bool | None, Meta(description=(
        "true: a judgment may order the debtor to bear it (dépens); null: not known"))]
    note: str | None

    @classmethod
    def of(cls, line: CostLine, currency: str) -> CostLineOut:
        return cls(item=line.item, amount=_m(line.amount, TARIFF_CURRENCY),
                   amount_up_to=_m(line.amount_up_to, TARIFF_CURRENCY),
                   parameter=line.parameter,
                   parameters=list(line.parameters), source=line.source,
                   confirmed=line.confirmed,
                   recoverable_from_debtor=line.recoverable_from_debtor, note=line.note)


class CostsOut(Output):
    currency: Annotated[Literal["EUR"], Meta(description=(
        "The costs' currency, the French tariffs', whatever the claim's"))]
    lines: list[CostLineOut]
    upfront_known: DecimalString
    recoverable: DecimalString
    irrecoverable: DecimalString
    complete: Annotated[bool, Meta(description="false: some line has no figure")]
    bound: TotalBound

    @classmethod
    def of(cls, c: Costs, currency: str) -> CostsOut:
        return cls(currency="EUR", lines=[CostLineOut.of(line, currency) for line in c.lines],
                   upfront_known=format_amount(c.upfront_known, TARIFF_CURRENCY),
                   recoverable=format_amount(c.recoverable, TARIFF_CURRENCY),
                   irrecoverable=format_amount(c.irrecoverable, TARIFF_CURRENCY),
                   complete=c.complete, bound="exact" if c.bound == "exact" else "lower_bound")


class StepOut(Output):
    step: str
    on: date
    parameter: Annotated[str | None, Meta(description="The parameter that set this day")]

    @classmethod
    def of(cls, s: Step) -> StepOut:
        return cls(step=s.step, on=s.on, parameter=s.parameter)


class TimeToTitleOut(Output):
    typical_days: int | None
    typical_title_on: date | None
    steps: Annotated[list[StepOut], Meta(description=(
        "Each step on its typical day; the last is typical_title_on"))]
    deadlines: Annotated[list[StepOut], Meta(description=(
        "Last days the rules set on the way (e.g. to serve the order before it lapses)"))]
    parameters: list[str]
    confirmed: bool
    note: str | None
    bound: TotalBound

    @classmethod
    def of(cls, t: TimeToTitle) -> TimeToTitleOut:
        return cls(typical_days=t.typical_days, typical_title_on=t.typical_title_on,
                   steps=[StepOut.of(x) for x in t.steps],
                   deadlines=[StepOut.of(x) for x in t.deadlines],
                   parameters=list(t.parameters), confirmed=t.confirmed,
                   note=t.note, bound="exact" if t.bound == "exact" else "lower_bound")


class ExpectedRecoveryOut(Output):
    probability: ProbabilityString
    amount_due: DecimalString
    prescribed_amount: Annotated[DecimalString, Meta(description=(
        "What the unpaid invoices past their limitation date owe: weighed apart, by "
        "prescribed_factor"))]
    prescribed_factor: Annotated[CoefficientString | None, Meta(description=(
        "recovery.factor_prescribed, on the prescribed share only; null: none prescribed"))]
    recoverable_costs: DecimalString
    irrecoverable_costs: DecimalString
    value: Annotated[SignedDecimalString | None, Meta(description=(
        "null when costs without a figure would move it either way (bound `unknown`)"))]
    complete: Annotated[bool, Meta(description="false: some cost has no figure")]
    bound: Annotated[Literal["exact", "lower_bound", "upper_bound", "unknown"], Meta(
        description="`lower_bound`: a cost without a figure that the debtor may be "
        "ordered to bear would raise it; `upper_bound`: one left to the creditor (or a "
        "range's top) would lower it; `unknown`: both, so no value")]
    formula: str

    @classmethod
    def of(cls, e: ExpectedRecovery, currency: str) -> ExpectedRecoveryOut:
        return cls(probability=_p(e.probability), amount_due=format_amount(e.amount_due, currency),
                   prescribed_amount=format_amount(e.prescribed_amount, currency),
                   prescribed_factor=None if e.prescribed_factor is None
                   else _p(e.prescribed_factor),
                   recoverable_costs=format_amount(e.recoverable_costs, currency),
                   irrecoverable_costs=format_amount(e.irrecoverable_costs, currency),
                   value=_m(e.value, currency), complete=e.complete,
                   bound="exact" if e.bound == "exact" else "lower_bound"
                   if e.bound == "lower_bound" else "upper_bound"
                   if e.bound == "upper_bound" else "unknown",
                   formula=e.formula)


class RoutePrescriptionOut(Output):
    limitation_date: Annotated[date | None, Meta(description=(
        "The first limitation date among the unpaid invoices not yet prescribed; null: "
        "none left"))]
    invoice_number: str | None
    act_typical_on: Annotated[date | None, Meta(description=(
        "The typical day of this route's act that interrupts prescription "
        "(prescription_interrupted_by), from the same parameters as time_to_title; null: "
        "it cannot be projected"))]
    act_before_limitation: Annotated[bool | None, Meta(description=(
        "Whether that typical day is on or before limitation_date; null: not known"))]

    @classmethod
    def of(cls, r: RoutePrescription) -> RoutePrescriptionOut:
        return cls(limitation_date=r.limitation_date, invoice_number=r.invoice_number,
                   act_typical_on=r.act_typical_on,
                   act_before_limitation=r.act_before_limitation)


class RouteOut(Output):
    route: RouteName
    conditions_met: Annotated[bool | None, Meta(description=(
        "true: the facts meet every condition listed; false: one is not met (the figures "
        "are then null); null: none is unmet but one cannot be told"))]
    conditions: list[ConditionOut]
    court: CourtOut | None
    officer: str | None
    representation: RepresentationOut | None
    amicable_attempt: AmicableAttemptOut | None
    costs: CostsOut | None
    time_to_title: TimeToTitleOut | None
    prescription_interrupted_by: str | None
    prescription: RoutePrescriptionOut | None
    deadline: Annotated[date | None, Meta(description="The declaration's last day, when known")]
    deadline_passed: Annotated[bool | None, Meta(description=(
        "The declaration route: true when `deadline` is before the assessment's day; null: "
        "not known or not this route"))]
    relief_deadline: Annotated[date | None, Meta(description=(
        "The declaration route: the last day to ask the juge-commissaire for relief from "
        "foreclusion (relevé de forclusion, C. com. L622-26), when the publication is known"))]
    expected_recovery: Annotated[ExpectedRecoveryOut | None, Meta(description=(
        "null when the conditions are not met, or for a claim in another currency than "
        "the costs' EUR (no rate to add them)"))]
    facts: list[str]
    unconfirmed_parameters: list[str]

    @classmethod
    def of(cls, r: RouteAssessment, currency: str) -> RouteOut:
        return cls(
            route=r.route.value, conditions_met=r.conditions_met,
            conditions=[ConditionOut.of(c, currency) for c in r.conditions],
            court=None if r.court is None else CourtOut.of(r.court), officer=r.officer,
            representation=None if r.representation is None
            else RepresentationOut.of(r.representation, currency),
            amicable_attempt=None if r.amicable_attempt is None
            else AmicableAttemptOut.of(r.amicable_attempt, currency),
            costs=None if r.costs is None else CostsOut.of(r.costs, currency),
            time_to_title=None if r.time_to_title is None else TimeToTitleOut.of(r.time_to_title),
            prescription_interrupted_by=r.prescription_interrupted_by,
            prescription=None if r.prescription is None
            else RoutePrescriptionOut.of(r.prescription), deadline=r.deadline,
            deadline_passed=r.deadline_passed, relief_deadline=r.relief_deadline,
            expected_recovery=None if r.expected_recovery is None
            else ExpectedRecoveryOut.of(r.expected_recovery, currency),
            facts=list(r.facts), unconfirmed_parameters=list(r.unconfirmed_parameters))


class FactorOut(Output):
    code: str
    parameter: str
    value: CoefficientString
    applied: bool
    fact: str

    @classmethod
    def of(cls, f: Factor) -> FactorOut:
        return cls(code=f.code, parameter=f.parameter, value=_p(f.value), applied=f.applied,
                   fact=f.fact)


class ProbabilityOut(Output):
    value: ProbabilityString
    origin: Annotated[Literal["creditor", "derived"], Meta(description=(
        "`creditor`: the recovery_probability given; `derived`: the base times the factors "
        "applied"))]
    derived_value: ProbabilityString
    factors: list[FactorOut]

    @classmethod
    def of(cls, p: Probability) -> ProbabilityOut:
        return cls(value=_p(p.value), origin="creditor" if p.origin == "creditor" else "derived",
                   derived_value=_p(p.derived_value),
                   factors=[FactorOut.of(f) for f in p.factors])


class PrescriptionOut(Output):
    invoice_number: str
    due_date: date
    limitation_date: date
    prescribed: bool


class ProceedingsFactOut(Output):
    kind: str
    opened_on: date
    court: str
    declaration_deadline: date | None


class PublicAccountsOut(Output):
    closed_on: date
    equity: str | None
    net_result: str | None


class FactsOut(Output):
    on: date
    currency: str
    debtor_kind: Literal["business", "consumer"]
    between_commercants: bool
    between_commercants_source: Literal["stated", "assumed_from_debtor_kind"]
    debtor_country: str
    debtor_postal_code: str | None
    debtor_city: str | None
    debtor_in_eu: bool
    amount_due: Annotated[DecimalString, Meta(description=(
        "Principal, interest and indemnity outstanding on `on`, from the statement"))]
    principal_outstanding: DecimalString
    interest_outstanding: DecimalString
    indemnity_outstanding: DecimalString
    disputed_claim: bool
    disputed_invoices: list[str]
    collective_proceedings: ProceedingsFactOut | None
    formal_notice_sent_on: date | None
    partial_payments: int
    broken_promises: int
    oldest_unpaid_invoice: Annotated[PrescriptionOut | None, Meta(description=(
        "The unpaid invoice whose limitation date comes first (acknowledgements counted)"))]
    creditor_headcount: int | None
    public_accounts: Annotated[PublicAccountsOut | None, Meta(description=(
        "The debtor's last published accounts as given in the query; null when not given"))]
    company_ceased_on: Annotated[date | None, Meta(description=(
        "The day the insolvency watch found the company recorded as ceased in Sirene"))]

    @classmethod
    def of(cls, f: ClaimFacts) -> FactsOut:
        c, p, o, a = f.currency, f.proceedings, f.oldest_unpaid, f.public_accounts
        return cls(
            on=f.on, currency=c, debtor_kind="consumer" if f.debtor_kind.value == "consumer"
            else "business", between_commercants=f.between_commercants,
            between_commercants_source="stated" if f.between_commercants_source.value
            == "stated" else "assumed_from_debtor_kind",
            debtor_country=f.debtor_place.country, debtor_postal_code=f.debtor_place.postal_code,
            debtor_city=f.debtor_place.city, debtor_in_eu=f.debtor_in_eu,
            amount_due=format_amount(f.amount_due, c),
            principal_outstanding=format_amount(f.principal_outstanding, c),
            interest_outstanding=format_amount(f.interest_outstanding, c),
            indemnity_outstanding=format_amount(f.indemnity_outstanding, c),
            disputed_claim=f.disputed_claim, disputed_invoices=list(f.disputed_invoices),
            collective_proceedings=None if p is None else ProceedingsFactOut(
                kind=p.kind.value, opened_on=p.opened_on, court=p.court,
                declaration_deadline=f.declaration_deadline or p.declaration_deadline()),
            formal_notice_sent_on=f.formal_notice_on, partial_payments=f.partial_payments,
            broken_promises=f.broken_promises,
            oldest_unpaid_invoice=None if o is None else PrescriptionOut(
                invoice_number=o.invoice_number, due_date=o.due_date,
                limitation_date=o.limitation_date, prescribed=o.prescribed),
            creditor_headcount=f.creditor_headcount,
            public_accounts=None if a is None else PublicAccountsOut(
                closed_on=a.closed_on,
                equity=None if a.equity is None else format_amount(a.equity, "EUR"),
                net_result=None if a.net_result is None else format_amount(a.net_result, "EUR")),
            company_ceased_on=f.company_ceased_on)


class JudicialAssessmentOut(Output):
    claim_id: str
    facts: FactsOut
    probability: ProbabilityOut
    routes: Annotated[list[RouteOut], Meta(description=(
        "Every route, in a fixed order; those whose conditions are not met carry only "
        "their conditions"))]
    notes: list[str]

    @classmethod
    def of(cls, claim_id: str, a: Assessment) -> JudicialAssessmentOut:
        currency = a.facts.currency
        return cls(claim_id=claim_id, facts=FactsOut.of(a.facts),
                   probability=ProbabilityOut.of(a.probability),
                   routes=[RouteOut.of(r, currency) for r in a.routes], notes=list(a.notes))
