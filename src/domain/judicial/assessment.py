"""The judicial assessment: for each route, the facts that decide it and its figures.

Never a verdict: saying a claim is worth taking to court may be a legal consultation (loi
71-1130 art. 54, SOURCES.md §7), so the output lists the conditions each route sets and
whether the claim's facts meet them, the court, the lawyer and the prior amicable attempt
the rules require, the upfront costs line by line, the typical time to an enforceable
title and an expected recovery whose probability the creditor may set. Every figure is a
dated parameter (domain.judicial.parameters) read for the assessment's day; a figure the
sources do not give is shown as unknown, never guessed, and the parameters that are not
confirmed are listed per route.

Pure: facts in (`ClaimFacts`, built from the claim, its account and statement by
`claim_facts`), an `Assessment` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.amounts.ledger import Statement
from domain.amounts.promises import PaymentPromise, PromiseStatus
from domain.claims.judicial import JudicialRoute
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import (
    RELIEF_MONTHS,
    CollectiveProceedings,
    ProceedingsKind,
    relief_deadline,
)
from domain.judicial import courts, proceedings
from domain.judicial.courts import Court, CourtType, DebtorPlace
from domain.judicial.parameters import Parameter, ParameterTable, UnknownParameter
from domain.shared.dates import add_days, add_months

CENT = Decimal("0.01")
PROBABILITY_QUANTUM = Decimal("0.0001")


class CommercialSource(StrEnum):
    STATED = "stated"  # the creditor said whether both parties are commerçants
    ASSUMED_FROM_DEBTOR_KIND = "assumed_from_debtor_kind"


@dataclass(frozen=True, slots=True)
class OldestUnpaid:
    invoice_number: str
    due_date: date
    limitation_date: date
    prescribed: bool


@dataclass(frozen=True, slots=True)
class PublicAccounts:
    """The debtor's last published annual accounts, as the creditor read them (INPI RNE
    "actes et bilans", the BODACC's avis de dépôt): the financial year's closing day and
    two figures of it. Either figure may be missing: a small company may keep its income
    statement confidential, a micro-entreprise all of it (C. com. L232-25)."""

    closed_on: date
    equity: Decimal | None = None  # capitaux propres, may be negative
    net_result: Decimal | None = None  # résultat net of the year, may be negative


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the routes depend on, as known on `on`."""

    on: date
    currency: str
    debtor_kind: DebtorKind
    between_commercants: bool
    between_commercants_source: CommercialSource
    debtor_place: DebtorPlace
    principal_outstanding: Decimal
    interest_outstanding: Decimal
    indemnity_outstanding: Decimal
    disputed_claim: bool = False
    disputed_invoices: tuple[str, ...] = ()
    proceedings: CollectiveProceedings | None = None
    declaration_deadline: date | None = None
    formal_notice_on: date | None = None
    partial_payments: int = 0
    broken_promises: int = 0
    oldest_unpaid: OldestUnpaid | None = None
    # What the unpaid invoices past their limitation date still owe (principal, interest,
    # indemnity): the share a plea of prescription would defeat, not the whole claim.
    prescribed_outstanding: Decimal = Decimal(0)
    # The unpaid invoice not yet prescribed whose limitation date comes first: the day a
    # route's interrupting act must come by.
    next_limitation: OldestUnpaid | None = None
    creditor_headcount: int | None = None
    public_accounts: PublicAccounts | None = None
    # The day the insolvency watch found the company recorded as ceased (Sirene state C).
    company_ceased_on: date | None = None

    @property
    def amount_due(self) -> Decimal:
        """Principal, interest and indemnity outstanding on the day: what a title would
        order, and the amount the domestic ceilings are compared with."""
        return self.principal_outstanding + self.interest_outstanding \
            + self.indemnity_outstanding

    @property
    def in_euros(self) -> bool:
        """The ceilings, thresholds and tariffs are in EUR: a claim in another currency is
        never compared with them (no conversion rate is a fact of the claim)."""
        return self.currency == "EUR"

    @property
    def amount_due_in_euros(self) -> Decimal | None:
        """The amount to compare with a EUR threshold; None for a claim in another
        currency (the comparison cannot be made)."""
        return self.amount_due if self.in_euros else None

    @property
    def principal_and_interest(self) -> Decimal:
        return self.principal_outstanding + self.interest_outstanding

    @property
    def disputed(self) -> bool:
        return self.disputed_claim or bool(self.disputed_invoices)

    @property
    def debtor_in_eu(self) -> bool:
        return self.debtor_place.country in courts.EU_MEMBER_STATES


def claim_facts(*, on: date, currency: str, debtor_kind: DebtorKind,
                between_commercants: bool | None, debtor_place: DebtorPlace,
                statement: Statement, disputed_claim: bool, disputed_invoices: Sequence[str],
                proceedings: CollectiveProceedings | None, declaration_deadline: date | None,
                formal_notice_on: date | None, promises: Sequence[PaymentPromise],
                creditor_headcount: int | None, public_accounts: PublicAccounts | None = None,
                company_ceased_on: date | None = None) -> ClaimFacts:
    """The facts of a claim from its statement on the day (reused: amounts with interest,
    each invoice's limitation date) and its account."""
    totals = statement.totals
    unpaid = [inv for inv in statement.invoices if inv.outstanding > 0]
    oldest = min(unpaid, key=lambda inv: (inv.limitation_date, inv.number), default=None)
    running = min((inv for inv in unpaid if not inv.prescribed),
                  key=lambda inv: (inv.limitation_date, inv.number), default=None)
    if debtor_kind is DebtorKind.CONSUMER:
        commercial, source = False, CommercialSource.STATED
    elif between_commercants is None:
        commercial, source = True, CommercialSource.ASSUMED_FROM_DEBTOR_KIND
    else:
        commercial, source = between_commercants, CommercialSource.STATED
    return ClaimFacts(
        on=on, currency=currency, debtor_kind=debtor_kind, between_commercants=commercial,
        between_commercants_source=source, debtor_place=debtor_place,
        principal_outstanding=totals.principal_outstanding,
        interest_outstanding=totals.interest_outstanding,
        indemnity_outstanding=totals.indemnity_outstanding,
        disputed_claim=disputed_claim, disputed_invoices=tuple(disputed_invoices),
        proceedings=proceedings, declaration_deadline=declaration_deadline,
        formal_notice_on=formal_notice_on,
        partial_payments=sum(1 for p in statement.payments if p.amount > 0),
        broken_promises=sum(1 for p in promises if p.status is PromiseStatus.BROKEN),
        oldest_unpaid=None if oldest is None else OldestUnpaid(
            oldest.number, oldest.due_date, oldest.limitation_date, oldest.prescribed),
        next_limitation=None if running is None else OldestUnpaid(
            running.number, running.due_date, running.limitation_date, running.prescribed),
        prescribed_outstanding=sum((inv.outstanding for inv in unpaid if inv.prescribed),
                                   Decimal(0)),
        creditor_headcount=creditor_headcount, public_accounts=public_accounts,
        company_ceased_on=company_ceased_on)


# ------------------------------------------------------------------------------ output


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition a route sets, and whether the claim's facts meet it (None: the facts
    to tell are not recorded)."""

    code: str
    met: bool | None
    fact: str  # words only: the figures compared are `amount` and `limit`
    amount: Decimal | None = None  # the claim's figure compared, in the claim's currency
    limit: Decimal | None = None  # the rule's figure, in EUR
    parameter: str | None = None  # where `limit` comes from


@dataclass(frozen=True, slots=True)
class CostLine:
    item: str
    amount: Decimal | None  # None: the sources give no figure
    parameter: str | None  # the parameter the amount comes from (the first of `parameters`)
    parameters: tuple[str, ...]
    source: str
    confirmed: bool
    recoverable_from_debtor: bool | None  # None: not known; counted as irrecoverable
    amount_up_to: Decimal | None = None  # a range's top, when the rule gives two values
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Costs:
    """The totals count the known amounts only (a range by its low end): with a line
    unknown or a range, they are lower bounds, and `bound` says so."""

    lines: tuple[CostLine, ...]
    upfront_known: Decimal
    recoverable: Decimal
    irrecoverable: Decimal
    complete: bool  # every line has an amount
    bound: str = "exact"  # "exact" or "lower_bound"


@dataclass(frozen=True, slots=True)
class Representation:
    lawyer_required: bool | None  # at filing
    lawyer_required_after_opposition: bool | None  # the IP's hearing after an opposition
    threshold: Decimal | None
    parameter: str | None
    rule: str


@dataclass(frozen=True, slots=True)
class AmicableAttempt:
    required: bool | None
    rule: str
    ceiling: Decimal | None
    parameter: str | None
    formal_notice_sent_on: date | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """A step toward the title on its typical day (or a last day the rules set, in
    `TimeToTitle.deadlines`), with the parameter that counted it."""

    step: str
    on: date
    parameter: str | None = None


@dataclass(frozen=True, slots=True)
class TimeToTitle:
    typical_days: int | None
    typical_title_on: date | None
    steps: tuple[Step, ...]
    parameters: tuple[str, ...]
    confirmed: bool
    note: str | None = None
    # "lower_bound": a step has no figure and is not counted (the note names it).
    bound: str = "exact"
    deadlines: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    parameter: str
    value: Decimal
    applied: bool
    fact: str


@dataclass(frozen=True, slots=True)
class Probability:
    value: Decimal
    origin: str  # "creditor" (the query) or "derived" (the factors)
    derived_value: Decimal
    factors: tuple[Factor, ...]


@dataclass(frozen=True, slots=True)
class ExpectedRecovery:
    """The prescribed share of the amount due is weighed apart: only it is exposed to a
    plea of prescription (which the judge does not raise of his own motion, C. civ.
    2247), so its factor lowers that share, not the whole claim."""

    probability: Decimal
    amount_due: Decimal
    prescribed_amount: Decimal
    prescribed_factor: Decimal | None  # None when nothing is prescribed
    recoverable_costs: Decimal
    irrecoverable_costs: Decimal
    # None when unknown costs would move it both ways (`bound` "unknown")
    value: Decimal | None
    complete: bool  # every cost line is known
    # "exact"; "lower_bound": an unknown cost the debtor may be ordered to bear would
    # raise it; "upper_bound": an unknown cost left to the creditor (or the top of a
    # range) would lower it; "unknown": both.
    bound: str
    formula: str = ("probability x (amount_due - prescribed_amount + recoverable_costs) + "
                    "probability x prescribed_factor x prescribed_amount - "
                    "irrecoverable_costs")


@dataclass(frozen=True, slots=True)
class RoutePrescription:
    """The next limitation date of the claim (its first unpaid invoice not yet
    prescribed) beside the typical day of the route's act that interrupts or suspends
    prescription (`prescription_interrupted_by` names it). None: not known, or the act's
    day cannot be projected (it depends on the debtor, or its effect is [UNVERIFIED])."""

    limitation_date: date | None
    invoice_number: str | None
    act_typical_on: date | None
    act_before_limitation: bool | None


@dataclass(frozen=True, slots=True)
class RouteAssessment:
    route: JudicialRoute
    # True: every condition is met by the facts; False: one is not (the figures are then
    # left out); None: none is unmet but one cannot be told from the facts recorded.
    conditions_met: bool | None
    conditions: tuple[Condition, ...]
    court: Court | None = None
    officer: str | None = None
    representation: Representation | None = None
    amicable_attempt: AmicableAttempt | None = None
    costs: Costs | None = None
    time_to_title: TimeToTitle | None = None
    prescription_interrupted_by: str | None = None
    prescription: RoutePrescription | None = None
    deadline: date | None = None  # the declaration's, when known
    # The declaration route: whether `deadline` is behind the assessment's day (None: not
    # known), and the last day to ask for relief from foreclusion (L622-26).
    deadline_passed: bool | None = None
    relief_deadline: date | None = None
    expected_recovery: ExpectedRecovery | None = None
    facts: tuple[str, ...] = ()
    unconfirmed_parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    facts: ClaimFacts
    probability: Probability
    routes: tuple[RouteAssessment, ...]
    notes: tuple[str, ...]


# ------------------------------------------------------------------------- parameters


class _Params:
    """The parameters read for one route, to list those that are not confirmed."""

    def __init__(self, table: ParameterTable, on: date) -> None:
        self.table, self.on = table, on
        self.used: list[Parameter] = []

    def get(self, name: str, on: date | None = None) -> Parameter | None:
        try:
            found = self.table.at(name, on or self.on)
        except UnknownParameter:
            return None
        self.used.append(found)
        return found

    def record(self, *found: Parameter) -> None:
        """Parameters another module read for this route (the proceedings' rules)."""
        self.used.extend(found)

    def value(self, name: str, on: date | None = None) -> Decimal | None:
        found = self.get(name, on)
        return None if found is None else found.value

    def unconfirmed(self) -> tuple[str, ...]:
        return tuple(sorted({p.name for p in self.used if not p.confirmed}))


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _line(item: str, amount: Decimal | None, used: Sequence[Parameter | None], *,
          recoverable: bool | None, source: str | None = None, note: str | None = None,
          amount_up_to: Decimal | None = None) -> CostLine:
    known = [p for p in used if p is not None]
    missing = len(known) < len(used)
    return CostLine(
        item=item, amount=None if amount is None or missing else _cents(amount),
        parameter=known[0].name if known else None,
        parameters=tuple(p.name for p in known),
        source=source or (known[0].source if known else "no figure in the sources"),
        confirmed=bool(known) and not missing and all(p.confirmed for p in known),
        recoverable_from_debtor=recoverable,
        amount_up_to=None if amount_up_to is None else _cents(amount_up_to),
        note=note if note is not None else (known[0].note if known else None))


def _costs(lines: Sequence[CostLine]) -> Costs:
    known = [line for line in lines if line.amount is not None]
    total = sum((line.amount for line in known if line.amount is not None), Decimal(0))
    recoverable = sum((line.amount for line in known if line.amount is not None
                       and line.recoverable_from_debtor is True), Decimal(0))
    complete = len(known) == len(lines)
    ranged = any(line.amount_up_to is not None for line in lines)
    return Costs(lines=tuple(lines), upfront_known=_cents(total),
                 recoverable=_cents(recoverable), irrecoverable=_cents(total - recoverable),
                 complete=complete,
                 bound="exact" if complete and not ranged else "lower_bound")


def _commissaire_act(params: _Params, emolument: str, claim: Decimal | None, *,
                     banded: bool, act: str) -> list[CostLine]:
    """A commissaire's act: emolument (× the claim band's coefficient for a
    signification, C. com. A444-11), travel, VAT on both, taxe forfaitaire. Part of the
    dépens a judgment orders the debtor to bear (CPC 695)."""
    base = params.get(emolument)
    used: list[Parameter | None] = [base]
    amount = base.value if base is not None else None
    if banded:
        low, mid = (params.get("commissaire.coefficient_band_low_max"),
                    params.get("commissaire.coefficient_band_mid_max"))
        if claim is None:  # a claim in another currency: its EUR band is not known
            coefficient = None
        else:
            band = ("commissaire.coefficient_low" if low is not None and claim <= low.value
                    else "commissaire.coefficient_mid" if mid is not None
                    and claim <= mid.value else "commissaire.coefficient_high")
            coefficient = params.get(band)
        used += [coefficient, low, mid]
        amount = None if amount is None or coefficient is None else amount * coefficient.value
    travel = params.get("commissaire.travel_ht")
    vat = params.get("vat.standard_rate")
    tax = params.get("commissaire.taxe_forfaitaire")
    lines = [_line(f"commissaire emolument: {act}", amount, used, recoverable=True,
                   note="the coefficient's claim bands are in EUR: not compared with a claim "
                   "in another currency" if banded and claim is None else None),
             _line("commissaire travel", travel.value if travel else None, [travel],
                   recoverable=True)]
    vat_base = None if amount is None or travel is None else _cents(amount) + travel.value
    lines.append(_line("VAT on the commissaire's emolument and travel",
                       None if vat is None or vat_base is None
                       else vat_base * vat.value / 100, [vat, *used, travel],
                       recoverable=True))
    lines.append(_line("taxe forfaitaire on the act", tax.value if tax else None, [tax],
                       recoverable=True))
    return lines


def _lawyer_fees_line() -> CostLine:
    return _line("lawyer's fees", None, [None], recoverable=False,
                 source="agreed with the lawyer, no tariff",
                 note="the judge may order the losing party to pay part (CPC 700)")


def _tae_contribution(params: _Params, facts: ClaimFacts, court: Court) -> list[CostLine]:
    """The contribution pour la justice économique before a TAE: a claimant with at least
    250 employees, for a claim above 50,000 EUR (else irrecevable)."""
    if court.type is not CourtType.TAE:
        return []
    employees, above = (params.get("tae.contribution_employees_min"),
                        params.get("tae.contribution_claim_above"))
    if not facts.in_euros:
        return [_line("contribution pour la justice économique (TAE)", None, [None],
                      recoverable=None, source="loi 2023-1059 art. 27, décret 2024-1225",
                      note="due for a claim above a EUR threshold, a share of the claim: "
                      "not compared with a claim in another currency")]
    unknown = [_line("contribution pour la justice économique (TAE)", None, [None],
                     recoverable=None, source="loi 2023-1059 art. 27, décret 2024-1225",
                     note="its thresholds or rates have no value in force on the day")]
    if employees is None or above is None:
        return unknown
    if facts.amount_due <= above.value:
        return []
    if facts.creditor_headcount is not None and facts.creditor_headcount < employees.value:
        return []
    low, high = params.get("tae.contribution_rate_low"), params.get("tae.contribution_rate_high")
    cap_low, cap_high = (params.get("tae.contribution_cap_low"),
                         params.get("tae.contribution_cap_high"))
    if low is None or high is None or cap_low is None or cap_high is None:
        return unknown
    amount = min(facts.amount_due * low.value / 100, cap_low.value)
    top = min(facts.amount_due * high.value / 100, cap_high.value)
    note = ("a share of the claim, capped: amount at the lower rate, amount_up_to at the "
            "higher; which applies is not in the sources" +
            ("" if facts.creditor_headcount is not None else
             "; due only from tae.contribution_employees_min employees (headcount not "
             "given)"))
    return [_line("contribution pour la justice économique (TAE)", amount,
                  [low, high, cap_low, cap_high, employees, above], recoverable=None,
                  amount_up_to=top, note=note)]


# ---------------------------------------------------------------------------- rules


def _representation(params: _Params, facts: ClaimFacts, court: Court | None, *,
                    at_filing: bool, after_opposition: bool) -> Representation:
    """CPC 761 3° (TJ) and 853 (TC): a lawyer above 10,000 EUR, for a summons and the
    hearing after an opposition; never to file an injonction de payer (CPC 1407)."""
    threshold = params.get("lawyer.required_above")
    value = threshold.value if threshold else None
    due = facts.amount_due_in_euros
    above = None if value is None or due is None else due > value
    if court is not None and court.type is CourtType.FOREIGN:
        above = None
    return Representation(
        lawyer_required=above if at_filing else False,
        lawyer_required_after_opposition=above if after_opposition else None,
        threshold=value, parameter=threshold.name if threshold else None,
        rule=("CPC 761 3° and 853: a lawyer above the threshold before the TJ and the TC"
              if at_filing else
              "filed by the creditor or any mandataire (CPC 1407): no lawyer at any amount; "
              "after an opposition, a lawyer above the threshold before the TJ (CPC 761 3°) "
              "and the TC (CPC 853), appointed within the period of CPC 1418"
              if after_opposition else
              "filed by the creditor or any mandataire (CPC 1407): no lawyer at any amount"))


def _amicable(params: _Params, facts: ClaimFacts, court: Court | None, *,
              applies: bool) -> AmicableAttempt:
    """CPC 750-1: before the TJ, a claim up to 5,000 EUR first goes to conciliation,
    mediation or a procédure participative (from 01/10/2023); not the IP (Cass. avis
    25/09/2025). A formal notice is none of these, but the creditor asks whether one
    was sent."""
    ceiling = params.get("cpc_750_1.amount_ceiling")
    value = ceiling.value if ceiling else None
    note = None
    required: bool | None
    if not applies:
        required = False
    elif ceiling is None or value is None:
        required = None  # the ceiling is not known on the day: not told, not "no"
    elif court is None or court.type in (CourtType.TC, CourtType.TAE, CourtType.FOREIGN):
        required = False
    elif court.type is CourtType.TJ_CH_COM:
        required = None
        note = "whether CPC 750-1 binds the TJ's commercial chamber is [UNVERIFIED]"
    elif not facts.in_euros:
        required = None
        note = "the ceiling is in EUR: not compared with a claim in another currency"
    else:
        required = facts.amount_due <= value
    if required:
        note = ("a conciliation, mediation or procédure participative (not a formal "
                "notice); exemptions CPC 750-1 1°-5°, e.g. a failed petites-créances attempt")
    return AmicableAttempt(
        required=required,
        rule="CPC 750-1 (décret 2023-357, from 01/10/2023): TJ, claims up to the ceiling"
        if applies else "CPC 750-1 does not apply to this route",
        ceiling=value if applies else None,
        parameter=ceiling.name if ceiling and applies else None,
        formal_notice_sent_on=facts.formal_notice_on, note=note)


def _title(on: date, steps: Sequence[Step], used: Sequence[Parameter],
           note: str | None = None, *, uncounted: bool = False,
           deadlines: Sequence[Step] = ()) -> TimeToTitle:
    """The steps as counted, with the very parameters that counted them (each read for
    the day its step starts: `_chain`), not the same names read again on another day."""
    end = steps[-1].on
    return TimeToTitle(typical_days=(end - on).days, typical_title_on=end,
                       steps=tuple(steps),
                       parameters=tuple(p.name for p in used),
                       confirmed=all(p.confirmed for p in used), note=note,
                       bound="lower_bound" if uncounted else "exact",
                       deadlines=tuple(deadlines))


def _chain(params: _Params, start: date, links: Sequence[tuple[str, str]]
           ) -> tuple[list[Step], list[Parameter]] | None:
    """Steps one after the other from `start`, each period (days or months) read as in
    force on the day its step starts; None when one has no value that day."""
    steps: list[Step] = []
    used: list[Parameter] = []
    day = start
    for label, name in links:
        found = params.get(name, day)
        if found is None:
            return None
        day = (add_months(day, found.whole) if found.unit == "months"
               else add_days(day, found.whole))
        steps.append(Step(label, day, found.name))
        used.append(found)
    return steps, used


def _residence(facts: ClaimFacts) -> proceedings.Residence:
    return proceedings.residence_of(facts.debtor_place.country, facts.debtor_place.postal_code)


_TITLE_STEP = {
    "injonction_de_payer.enforce_without_notice_months":
        "enforceable: no greffe notice of opposition within the period after service",
    "injonction_de_payer.opposition_months":
        "enforceable: the opposition period is over (certificat de non-opposition)",
    "european_order_for_payment.opposition_days":
        "enforceable EU-wide: the opposition period is over (form G)",
}


def _enforceable_title(params: _Params, facts: ClaimFacts, projected: proceedings.Projection,
                       steps: list[Step], used: list[Parameter],
                       note: str | None = None, *, uncounted: bool = False,
                       deadlines: Sequence[Step] = ()) -> TimeToTitle | None:
    """The title day as the proceeding will count it (domain.judicial.proceedings): the day
    after the opposition period's last day (CPC 642), not that last day."""
    found = proceedings.enforceable_from(projected, params.table)
    if found is None:
        return None
    day, rule = found
    params.record(rule.param, *rule.extra)
    return _title(facts.on, [*steps, Step(_TITLE_STEP.get(rule.param.name, "enforceable"),
                                          day, rule.param.name)],
                  [*used, rule.param, *rule.extra], note, uncounted=uncounted,
                  deadlines=deadlines)


def _met(conditions: Sequence[Condition]) -> bool | None:
    """False when a condition is unmet; None when none is but one cannot be told (unknown
    is not unmet: the route's figures are still given); True when all are met."""
    if any(c.met is False for c in conditions):
        return False
    return None if any(c.met is None for c in conditions) else True


def _common(facts: ClaimFacts, *, needs_france: bool) -> list[Condition]:
    conditions = [_no_proceedings(facts)]
    if needs_france:
        conditions.append(Condition(
            "debtor_in_france", facts.debtor_place.in_france,
            f"the debtor's country is {facts.debtor_place.country}"))
    return conditions


def _no_proceedings(facts: ClaimFacts) -> Condition:
    p = facts.proceedings
    return Condition(
        "no_collective_proceedings", p is None,
        "no collective proceedings recorded" if p is None else
        f"{p.kind.value} opened (facts.collective_proceedings): individual actions are "
        "stopped (C. com. L622-21), only the declaration of claim is open")


def _disputed_fact(facts: ClaimFacts) -> str:
    if facts.disputed_claim:
        return "a dispute of the whole claim is recorded"
    if facts.disputed_invoices:
        return f"disputed invoices: {', '.join(facts.disputed_invoices)}"
    return "no dispute recorded"


def _prescription(facts: ClaimFacts, act_on: date | None) -> RoutePrescription:
    nxt = facts.next_limitation
    limit = None if nxt is None else nxt.limitation_date
    return RoutePrescription(
        limitation_date=limit, invoice_number=None if nxt is None else nxt.invoice_number,
        act_typical_on=act_on,
        act_before_limitation=None if act_on is None or limit is None else act_on <= limit)


def _recovery(probability: Decimal, facts: ClaimFacts, costs: Costs,
              params: _Params) -> ExpectedRecovery | None:
    """None for a claim in another currency: the costs are in EUR and cannot be added to
    it without a rate."""
    if not facts.in_euros:
        return None
    prescribed = min(facts.prescribed_outstanding, facts.amount_due)
    factor = params.value("recovery.factor_prescribed") if prescribed > 0 else None
    value = probability * (facts.amount_due - prescribed + costs.recoverable) \
        + probability * (factor or Decimal(0)) * prescribed - costs.irrecoverable
    raises = any(line.amount is None and line.recoverable_from_debtor is True
                 for line in costs.lines)
    lowers = any((line.amount is None or line.amount_up_to is not None)
                 and line.recoverable_from_debtor is not True for line in costs.lines)
    bound = ("unknown" if raises and lowers else "lower_bound" if raises
             else "upper_bound" if lowers else "exact")
    return ExpectedRecovery(probability=probability, amount_due=_cents(facts.amount_due),
                            prescribed_amount=_cents(prescribed), prescribed_factor=factor,
                            bound=bound,
                            recoverable_costs=costs.recoverable,
                            irrecoverable_costs=costs.irrecoverable,
                            value=None if bound == "unknown" else _cents(value),
                            complete=costs.complete)


# --------------------------------------------------------------------------- routes


def _injonction(table: ParameterTable, facts: ClaimFacts, p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    conditions = _common(facts, needs_france=True)
    conditions.append(Condition("fixed_contractual_amount", True,
                                "invoiced amounts: a contractual claim of a fixed amount"))
    if _met(conditions) is False:
        return RouteAssessment(JudicialRoute.INJONCTION_DE_PAYER, False, tuple(conditions))
    court = courts.domestic_court(commercial=facts.between_commercants,
                                  place=facts.debtor_place, on=facts.on, order_for_payment=True)
    commercial = court.type is not CourtType.TJ
    # The greffe fee is the commercial courts' (greffiers of the TC, a regulated tariff);
    # Alsace-Moselle has none: its commercial chamber sits in the TJ, whose greffe charges
    # no fee for an injonction de payer (judicial.md §1 Costs).
    chamber = court.type is CourtType.TJ_CH_COM
    fee = params.get("injonction_de_payer.greffe_fee_tc"
                     if court.type in (CourtType.TC, CourtType.TAE)
                     else "injonction_de_payer.greffe_fee_tj")
    lines = [_line("greffe fee", fee.value if fee else None, [fee], recoverable=True,
                   note="the commercial chamber's greffe is the TJ's; no fee for the chamber "
                   "is stated in the sources [UNVERIFIED]" if chamber else None),
             *_commissaire_act(params, "commissaire.signification_ht", facts.amount_due_in_euros,
                               banded=True, act="signification of the request and order"),
             *_tae_contribution(params, facts, court)]
    costs = _costs(lines)
    chain = _chain(params, facts.on, [
        ("order issued with the formule exécutoire",
         "injonction_de_payer.typical_order_days_tc" if commercial
         else "injonction_de_payer.typical_order_days_tj"),
        ("order served by a commissaire", "commissaire.typical_service_days")])
    title, served_on = None, None
    if chain is not None:
        steps, used = chain
        order_on, served_on = steps[0].on, steps[1].on
        service_months = params.get("injonction_de_payer.service_months", order_on)
        title = _enforceable_title(
            params, facts, proceedings.Projection(
                JudicialRoute.INJONCTION_DE_PAYER, served_on, order_on, _residence(facts)),
            steps, [*used, *([service_months] if service_months else [])],
            deadlines=() if service_months is None else (Step(
                "last day to serve the order, else it lapses (CPC 1411)",
                add_months(order_on, service_months.whole), service_months.name),))
    facts_lines = [_disputed_fact(facts) + (
        ": an opposition leads to a hearing and a judgment" if facts.disputed else "")]
    return RouteAssessment(
        JudicialRoute.INJONCTION_DE_PAYER, _met(conditions), tuple(conditions), court=court,
        representation=_representation(params, facts, court, at_filing=False,
                                       after_opposition=True),
        amicable_attempt=_amicable(params, facts, court, applies=False),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="service of the order, not the filing of the request "
        "(Cass. 1re civ. 10/07/1990 n° 89-13.345)",
        prescription=_prescription(facts, served_on),
        expected_recovery=_recovery(p, facts, costs, params), facts=tuple(facts_lines),
        unconfirmed_parameters=params.unconfirmed())


def _small_claims(table: ParameterTable, facts: ClaimFacts, p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    conditions = _common(facts, needs_france=True)
    ceiling = params.get("simplified_small_claims.ceiling")
    amount = facts.principal_and_interest
    conditions.append(Condition(
        "principal_and_interest_at_most_ceiling",
        None if ceiling is None or not facts.in_euros else amount <= ceiling.value,
        "principal and interest, the indemnity apart, against the ceiling (CPCE L125-1)" +
        (": no ceiling in force" if ceiling is None else "") +
        ("" if facts.in_euros else "; a EUR ceiling cannot be compared with this currency"),
        amount=_cents(amount), limit=None if ceiling is None else ceiling.value,
        parameter=None if ceiling is None else ceiling.name))
    if _met(conditions) is False:
        return RouteAssessment(JudicialRoute.SIMPLIFIED_SMALL_CLAIMS, False, tuple(conditions),
                               unconfirmed_parameters=params.unconfirmed())
    lines = [_line("commissaire fees for the procedure", None, [None], recoverable=False,
                   source="tariff [UNVERIFIED] (SOURCES.md §2); all costs on the creditor",
                   note="amicable: no title yet, so the costs stay with the creditor (CPCE "
                   "L111-8, L125-1)")]
    costs = _costs(lines)
    chain = _chain(params, facts.on, [
        ("the debtor accepts within the month (silence is a refusal)",
         "simplified_small_claims.answer_months")])
    title = None if chain is None else _title(
        facts.on, *chain,
        "the title needs the debtor's agreement on the amount and terms; enforcing it "
        "needs a second commissaire")
    return RouteAssessment(
        JudicialRoute.SIMPLIFIED_SMALL_CLAIMS, _met(conditions), tuple(conditions),
        officer="a commissaire de justice of the debtor's cour d'appel area",
        representation=Representation(False, None, None, None,
                                      "no lawyer: run by a commissaire de justice"),
        amicable_attempt=_amicable(params, facts, None, applies=False),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="the debtor's agreement to take part suspends it "
        "(C. civ. 2238)",
        prescription=_prescription(facts, None),
        expected_recovery=_recovery(p, facts, costs, params),
        facts=(_disputed_fact(facts),
               "a failed attempt exempts a later TJ action from CPC 750-1 (5°)"),
        unconfirmed_parameters=params.unconfirmed())


def _commercial_uncontested(table: ParameterTable, facts: ClaimFacts,
                            p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    conditions = _common(facts, needs_france=True)
    # Assumed from a business debtor, the creditor's own status is not known: a company
    # may be civil (an SCI, a liberal profession), so the condition is not told.
    assumed = facts.between_commercants_source is CommercialSource.ASSUMED_FROM_DEBTOR_KIND
    conditions.append(Condition(
        "between_commercants",
        None if assumed and facts.between_commercants else facts.between_commercants,
        "not stated by the creditor: both parties are only assumed commerçants from a "
        "business debtor (C. com. L721-3)" if assumed else
        "both parties commerçants, stated by the creditor" if facts.between_commercants
        else "the debtor is a consumer" if facts.debtor_kind is DebtorKind.CONSUMER
        else "the creditor stated the parties are not both commerçants"))
    conditions.append(Condition("not_disputed", not facts.disputed,
                                _disputed_fact(facts) + "; any contestation ends the procedure"))
    months = params.get("commercial_uncontested.pay_or_contest_months")
    if months is None:
        conditions.append(Condition(
            "in_force", False, "the loi of 23/04/2026 (CPCE L126-1 ff.) is not in force on "
            "the assessment's day (facts.on)"))
    else:
        conditions.append(Condition(
            "decree_published", None,
            "loi of 23/04/2026 (CPCE L126-1 ff.); implementing decree and tariff not "
            "published [UNVERIFIED]"))
    if _met(conditions) is False:
        return RouteAssessment(JudicialRoute.COMMERCIAL_UNCONTESTED, False, tuple(conditions),
                               unconfirmed_parameters=params.unconfirmed())
    kind, _ = courts.commercial_court_type(facts.debtor_place, facts.on)
    court = courts.domestic_court(commercial=True, place=facts.debtor_place, on=facts.on,
                                  order_for_payment=True)
    court = Court(type=kind, name=f"greffe of the {court.name}", basis=court.basis,
                  exact_court_confirmed=False, jurisdiction_clause=court.jurisdiction_clause,
                  note="which greffe makes the PV exécutoire awaits the decree [UNVERIFIED]")
    lines = [_line("commissaire: commandement de payer and procès-verbal", None, [None],
                   recoverable=None, source="tariff and who bears it not published "
                   "[UNVERIFIED] (SOURCES.md §2)"),
             _line("greffe fee for the formule exécutoire", None, [None], recoverable=None,
                   source="not published [UNVERIFIED] (SOURCES.md §2)")]
    costs = _costs(lines)
    chain = _chain(params, facts.on, [("commandement de payer served",
                                       "commissaire.typical_service_days")])
    title = None
    if months is not None and chain is not None:
        served = chain[0][0].on
        # The proceeding's own count: the 8 days from the month's last day as CPC 642
        # moves it.
        found = proceedings.non_contestation_from(proceedings.Projection(
            JudicialRoute.COMMERCIAL_UNCONTESTED, served), table)
        if found is not None:
            pv, rule = found
            params.record(rule.param, *rule.extra)
            month_end = add_days(pv, -rule.param.whole)  # the month's last day, as moved
            title = _title(facts.on, [*chain[0],
                                      Step("month to pay or contest over", month_end,
                                           rule.extra[0].name if rule.extra else None),
                                      Step("procès-verbal de non-contestation, then the "
                                           "greffier's formule exécutoire", pv,
                                           rule.param.name)],
                           [*chain[1], *rule.extra, rule.param],
                           "the greffier's delay is not known", uncounted=True)
    return RouteAssessment(
        JudicialRoute.COMMERCIAL_UNCONTESTED,
        _met(conditions), tuple(conditions), court=court,
        representation=Representation(None, None, None, None,
                                      "not stated in the sources [UNVERIFIED]"),
        amicable_attempt=_amicable(params, facts, court, applies=False),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="[UNVERIFIED]: the decree is not published",
        prescription=_prescription(facts, None),
        expected_recovery=_recovery(p, facts, costs, params),
        facts=("no judge: the debtor's silence for a month produces the title",),
        unconfirmed_parameters=params.unconfirmed())


def _summons(route: JudicialRoute, table: ParameterTable, facts: ClaimFacts,
             p: Decimal) -> RouteAssessment:
    """Référé-provision (CPC 835 al. 2, 873 al. 2) and assignation au fond: a summons
    served by a commissaire to a contradictory hearing."""
    params = _Params(table, facts.on)
    conditions = _common(facts, needs_france=False)
    refere = route is JudicialRoute.REFERE_PROVISION
    if refere:
        conditions.append(Condition(
            "not_seriously_disputable", not facts.disputed,
            _disputed_fact(facts) + ("; a serious dispute leaves no room for a référé"
                                     if facts.disputed else "")))
    if _met(conditions) is False:
        return RouteAssessment(route, False, tuple(conditions),
                               unconfirmed_parameters=params.unconfirmed())
    if facts.debtor_place.in_france:
        court = courts.domestic_court(commercial=facts.between_commercants,
                                      place=facts.debtor_place, on=facts.on,
                                      order_for_payment=False)
    else:
        court = courts.foreign_court(consumer=facts.debtor_kind is DebtorKind.CONSUMER,
                                     commercial=facts.between_commercants,
                                     place=facts.debtor_place, on=facts.on)
    representation = _representation(params, facts, court, at_filing=True,
                                     after_opposition=False)
    if court.type is CourtType.FOREIGN or not facts.debtor_place.in_france:
        # Served abroad (Reg. 2020/1784 in the EU, the Hague convention outside it) or
        # before a foreign court: the French tariff does not give the figure.
        lines = [_line("service of the summons abroad", None, [None], recoverable=True,
                       source="no figure in the sources")]
    else:
        lines = _commissaire_act(params, "commissaire.assignation_ht", facts.amount_due_in_euros,
                                 banded=False, act="assignation")
    if court.type in (CourtType.TC, CourtType.TAE, CourtType.TJ_CH_COM):
        lines.append(_line("greffe fee for enrolling the case", None, [None],
                           recoverable=True, source="no figure in the sources"))
    lines += _tae_contribution(params, facts, court)
    if representation.lawyer_required:
        lines.append(_lawyer_fees_line())
    costs = _costs(lines)
    # The summons interrupts once served by the commissaire (C. civ. 2241); abroad its
    # service has no typical day here.
    service = params.get("commissaire.typical_service_days") if facts.debtor_place.in_france \
        else None
    summons_served = None if service is None else add_days(facts.on, service.whole)
    name = ("refere_provision.typical_title_days" if refere
            else "assignation_au_fond.typical_title_days")
    chain = _chain(params, facts.on, [("ordonnance de référé, enforceable at once"
                                       if refere else "judgment", name)])
    title = None if chain is None else _title(
        facts.on, *chain,
        "provisional, no res judicata; appeal within 15 days (CPC 490) [UNVERIFIED]"
        if refere else "the losing party pays the dépens, possibly an amount under CPC 700")
    return RouteAssessment(
        route, _met(conditions), tuple(conditions), court=court, representation=representation,
        amicable_attempt=_amicable(params, facts, court, applies=True),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="the summons served by a commissaire (C. civ. 2241), "
        "until the proceedings end; void on discontinuance, lapse or final rejection (2243)",
        prescription=_prescription(facts, summons_served),
        expected_recovery=_recovery(p, facts, costs, params),
        facts=(*(() if refere else (_disputed_fact(facts),)), *_outside_eu(facts)),
        unconfirmed_parameters=params.unconfirmed())


def _outside_eu(facts: ClaimFacts) -> tuple[str, ...]:
    """A debtor outside the EU: no EU instrument serves the summons or carries the title
    there, so the facts say what takes their place (none of it in the sources)."""
    if facts.debtor_in_eu:
        return ()
    return ("the debtor is outside the EU: no EU instrument applies (Reg. 1215/2012 on "
            "jurisdiction and enforcement, 2020/1784 on service)",
            "the summons is served abroad under the Hague convention of 15/11/1965 where "
            "the debtor's state is a party, else through diplomatic channels [UNVERIFIED]",
            "a French title is enforced there only after that state's exequatur "
            "(recognition) [UNVERIFIED]")


def _cross_border(facts: ClaimFacts, excluded: frozenset[str]) -> list[Condition]:
    country = facts.debtor_place.country
    return [_no_proceedings(facts),
            Condition("debtor_in_another_member_state",
                      facts.debtor_in_eu and not facts.debtor_place.in_france,
                      f"the debtor's country is {country}" if facts.debtor_in_eu else
                      f"the debtor's country, {country}, is not an EU member state: the "
                      "European regulations (1896/2006, 861/2007) do not apply there"),
            Condition("member_state_takes_part", country not in excluded,
                      "Denmark does not take part" if country in excluded
                      else f"{country} is not excluded")]


def _european_order(table: ParameterTable, facts: ClaimFacts, p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    conditions = _cross_border(facts, courts.EOP_EXCLUDED)
    if _met(conditions) is False:
        return RouteAssessment(JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT, False,
                               tuple(conditions))
    court = courts.foreign_court(consumer=facts.debtor_kind is DebtorKind.CONSUMER,
                                 commercial=facts.between_commercants,
                                 place=facts.debtor_place, on=facts.on)
    costs = _costs([_line("court fee", None, [None], recoverable=True,
                          source="fees [UNVERIFIED] (SOURCES.md §5)")])
    chain = _chain(params, facts.on, [("order issued (form E)",
                                       "european_order_for_payment.issue_days")])
    title = None
    if chain is not None:
        issued = chain[0][0].on
        title = _enforceable_title(
            params, facts, proceedings.Projection(
                JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT, issued, issued, _residence(facts)),
            *chain,
            "plus the time to serve the order, not counted", uncounted=True)
    return RouteAssessment(
        JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT, _met(conditions), tuple(conditions), court=court,
        representation=Representation(False, None, None, None,
                                      "no lawyer (Reg. 1896/2006 art. 24)"),
        amicable_attempt=_amicable(params, facts, court, applies=False),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="[UNVERIFIED]: the law of the court seized",
        prescription=_prescription(facts, None),
        expected_recovery=_recovery(p, facts, costs, params),
        facts=(_disputed_fact(facts) + (": an opposition moves it to ordinary proceedings"
                                        if facts.disputed else ""), "no ceiling"),
        unconfirmed_parameters=params.unconfirmed())


def _european_small_claims(table: ParameterTable, facts: ClaimFacts,
                           p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    conditions = _cross_border(facts, courts.SMALL_CLAIMS_EXCLUDED)
    ceiling = params.get("european_small_claims.ceiling")
    conditions.append(Condition(
        "principal_at_most_ceiling",
        None if ceiling is None or not facts.in_euros
        else facts.principal_outstanding <= ceiling.value,
        "principal, interest and costs excluded, against the ceiling (Reg. 861/2007)" +
        (": no ceiling in force" if ceiling is None else "") +
        ("" if facts.in_euros else "; a EUR ceiling cannot be compared with this currency"),
        amount=_cents(facts.principal_outstanding),
        limit=None if ceiling is None else ceiling.value,
        parameter=None if ceiling is None else ceiling.name))
    if _met(conditions) is False:
        return RouteAssessment(JudicialRoute.EUROPEAN_SMALL_CLAIMS, False, tuple(conditions),
                               unconfirmed_parameters=params.unconfirmed())
    court = courts.foreign_court(consumer=facts.debtor_kind is DebtorKind.CONSUMER,
                                 commercial=facts.between_commercants,
                                 place=facts.debtor_place, on=facts.on)
    costs = _costs([_line("court fee", None, [None], recoverable=True,
                          source="fees [UNVERIFIED] (SOURCES.md §5)")])
    chain = _chain(params, facts.on, [
        ("claim served by the court", "european_small_claims.service_days"),
        ("answer due", "european_small_claims.answer_days"),
        ("judgment, enforceable EU-wide", "european_small_claims.judgment_days")])
    title = None if chain is None else _title(facts.on, *chain)
    return RouteAssessment(
        JudicialRoute.EUROPEAN_SMALL_CLAIMS, _met(conditions), tuple(conditions), court=court,
        representation=Representation(False, None, None, None,
                                      "no lawyer: a written procedure (Reg. 861/2007)"),
        amicable_attempt=_amicable(params, facts, court, applies=False),
        costs=costs, time_to_title=title,
        prescription_interrupted_by="[UNVERIFIED]: the law of the court seized",
        prescription=_prescription(facts, None),
        expected_recovery=_recovery(p, facts, costs, params),
        facts=(_disputed_fact(facts) + ("; the procedure allows a contested claim"
                                        if facts.disputed else ""),),
        unconfirmed_parameters=params.unconfirmed())


def _declaration(table: ParameterTable, facts: ClaimFacts, p: Decimal) -> RouteAssessment:
    params = _Params(table, facts.on)
    opened = facts.proceedings
    conditions = (Condition(
        "collective_proceedings_open", opened is not None,
        "no collective proceedings recorded" if opened is None else
        f"{opened.kind.value} opened by {opened.court} (facts.collective_proceedings)"),)
    if opened is None:
        return RouteAssessment(JudicialRoute.DECLARATION_OF_CLAIM, False, conditions)
    deadline = facts.declaration_deadline or opened.declaration_deadline()
    published = opened.bodacc_published_on
    relief_months = None if published is None else params.get(RELIEF_MONTHS, published)
    relief = None if published is None or relief_months is None else relief_deadline(
        published, parameters=table)
    passed = None if deadline is None else facts.on > deadline
    costs = _costs([_line("registered letter with acknowledgement of receipt", None, [None],
                          recoverable=False, source="postage: no parameter here")])
    if passed is None:
        timing = ("deadline unknown: the BODACC publication date is not recorded; it runs "
                  "from that publication (R622-24)")
    elif not passed:
        timing = ("deadline from the BODACC publication (R622-24), longer for a creditor "
                  "outside metropolitan France; the posting date counts")
    elif relief is not None and facts.on <= relief:
        timing = ("the declaration deadline has passed: unless the claim was declared, it "
                  "is foreclosed; next step: ask the juge-commissaire for relief from "
                  "foreclusion (relevé de forclusion, C. com. L622-26) by relief_deadline")
    else:
        timing = ("the declaration deadline has passed: unless the claim was declared, it "
                  "is foreclosed; the period to ask for relief from foreclusion (C. com. "
                  "L622-26) has passed too, or its start is not known")
    return RouteAssessment(
        JudicialRoute.DECLARATION_OF_CLAIM, True, conditions,
        court=courts.proceedings_court(opened.court),
        officer="the mandataire judiciaire (the liquidateur in a liquidation)",
        representation=Representation(False, None, None, None,
                                      "the creditor or a holder of a special written power "
                                      "(Ass. plén. 04/02/2011)"),
        amicable_attempt=None, costs=costs,
        time_to_title=TimeToTitle(None, None, (), (), False,
                                  "no title: the claim is admitted to the liabilities by the "
                                  "juge-commissaire"),
        prescription_interrupted_by="the declaration, until the proceedings close "
        "(C. com. L622-25-1) [2ary]",
        prescription=_prescription(facts, None),
        deadline=deadline, deadline_passed=passed, relief_deadline=relief,
        expected_recovery=_recovery(p, facts, costs, params),
        facts=(timing, "interest stopped at the opening judgment (L622-28)"),
        unconfirmed_parameters=params.unconfirmed())


# ---------------------------------------------------------------------- probability


_PROCEEDINGS_FACTOR = {
    ProceedingsKind.SAUVEGARDE: "recovery.factor_sauvegarde",
    ProceedingsKind.REDRESSEMENT: "recovery.factor_redressement",
    ProceedingsKind.LIQUIDATION: "recovery.factor_liquidation",
}


def recovery_probability(table: ParameterTable, facts: ClaimFacts) -> tuple[Decimal,
                                                                              list[Factor]]:
    """A probability from the facts: a base times one factor per adverse or favourable
    fact, each shown (applied or not) with its parameter; Relance's defaults, not law."""
    def at(name: str) -> Decimal:
        return table.at(name, facts.on).value

    factors: list[Factor] = []
    proceedings = facts.proceedings
    for kind, name in _PROCEEDINGS_FACTOR.items():
        applied = proceedings is not None and proceedings.kind is kind
        factors.append(Factor(f"proceedings_{kind.value}", name, at(name), applied,
                              f"debtor in {kind.value}" if applied else f"no {kind.value}"))
    factors.append(Factor("disputed", "recovery.factor_disputed", at("recovery.factor_disputed"),
                          facts.disputed, _disputed_fact(facts)))
    factors.append(Factor("debtor_abroad", "recovery.factor_abroad",
                          at("recovery.factor_abroad"), not facts.debtor_place.in_france,
                          f"the debtor's country is {facts.debtor_place.country}"))
    factors.append(Factor("partial_payments", "recovery.factor_partial_payments",
                          at("recovery.factor_partial_payments"), facts.partial_payments > 0,
                          "a payment recorded (facts.partial_payments)"
                          if facts.partial_payments else "no payment recorded"))
    counted = min(facts.broken_promises, int(at("recovery.broken_promises_counted")))
    broken = at("recovery.factor_broken_promise")
    factors.append(Factor("broken_promises", "recovery.factor_broken_promise",
                          broken ** counted if counted else broken, counted > 0,
                          "broken promises (facts.broken_promises), each counted up to "
                          "recovery.broken_promises_counted" if counted
                          else "no broken promise recorded"))
    # The prescribed invoices are weighed in the expected recovery, on their share only
    # (ExpectedRecovery): not a factor of the whole claim's probability.
    factors.extend(_accounts_factors(table, facts))
    ceased = facts.company_ceased_on
    factors.append(Factor("company_ceased", "recovery.factor_company_ceased",
                          at("recovery.factor_company_ceased"), ceased is not None,
                          "the Sirene register records the company as ceased "
                          "(facts.company_ceased_on)" if ceased is not None
                          else "not recorded as ceased"))
    value = at("recovery.base_probability")
    for factor in factors:
        if factor.applied:
            value *= factor.value
    return min(max(value, Decimal(0)), Decimal(1)).quantize(PROBABILITY_QUANTUM), factors


def _accounts_factors(table: ParameterTable, facts: ClaimFacts) -> list[Factor]:
    """Negative equity and a net loss in the last published accounts, counted only while
    those accounts are recent enough to say something (recovery.accounts_max_age_months
    from their closing day)."""
    on = facts.on
    negative = ("accounts_negative_equity", "recovery.factor_negative_equity")
    loss = ("accounts_net_loss", "recovery.factor_net_loss")
    accounts = facts.public_accounts
    if accounts is None:
        why = ("no public accounts given (a small company may keep them confidential, "
               "C. com. L232-25)")
        return [Factor(code, name, table.at(name, on).value, False, why)
                for code, name in (negative, loss)]
    max_age = table.at("recovery.accounts_max_age_months", on).whole
    fresh = add_months(accounts.closed_on, max_age) >= on
    factors = []
    for (code, name), figure, what in ((negative, accounts.equity, "equity"),
                                       (loss, accounts.net_result, "net result")):
        if figure is None:
            fact = f"the accounts given (facts.public_accounts) have no {what}"
        elif not fresh:
            fact = ("the accounts given are older than recovery.accounts_max_age_months from "
                    "their closing day: not counted")
        else:
            fact = (f"{what} {'negative' if figure < 0 else 'not negative'} in the accounts "
                    "given (facts.public_accounts)")
        factors.append(Factor(code, name, table.at(name, on).value,
                              fresh and figure is not None and figure < 0, fact))
    return factors


# --------------------------------------------------------------------------- entry


def assess(facts: ClaimFacts, table: ParameterTable,
           probability: Decimal | None = None) -> Assessment:
    """Every route with its conditions; for the routes whose conditions the facts meet,
    the figures. `probability`: the creditor's own, else derived from the facts."""
    derived, factors = recovery_probability(table, facts)
    p = derived if probability is None else probability.quantize(PROBABILITY_QUANTUM)
    routes = (
        _injonction(table, facts, p),
        _small_claims(table, facts, p),
        _commercial_uncontested(table, facts, p),
        _summons(JudicialRoute.REFERE_PROVISION, table, facts, p),
        _summons(JudicialRoute.ASSIGNATION_AU_FOND, table, facts, p),
        _european_order(table, facts, p),
        _european_small_claims(table, facts, p),
        _declaration(table, facts, p),
    )
    notes = [
        "facts and figures only: the choice of a route is the creditor's",
        "the costs of the amicable phase (letters, agency, formal notice) stay with the "
        "creditor (CPCE L111-8)",
        "costs a judgment may order the debtor to bear are counted as recoverable; a cost "
        "of unknown recoverability as irrecoverable",
    ]
    if facts.between_commercants_source is CommercialSource.ASSUMED_FROM_DEBTOR_KIND:
        notes.append("both parties are taken to be commerçants (C. com. L721-3) because the "
                     "debtor is a business: pass between_commercants=false otherwise")
    if not facts.in_euros:
        notes.append(f"the claim is in {facts.currency}: the ceilings, thresholds and tariffs "
                     "are in EUR and are not compared with it (no conversion); what depends "
                     "on them is unknown, and no expected recovery is worked out")
    return Assessment(facts=facts, probability=Probability(
        value=p, origin="derived" if probability is None else "creditor",
        derived_value=derived, factors=tuple(factors)), routes=routes, notes=tuple(notes))


__all__ = ["Assessment", "ClaimFacts", "CommercialSource", "Condition", "CostLine", "Costs",
           "DebtorPlace", "ExpectedRecovery", "Factor", "OldestUnpaid", "Probability",
           "PublicAccounts", "RouteAssessment", "Step", "assess", "claim_facts",
           "recovery_probability"]
