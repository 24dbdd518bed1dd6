"""Use case: the judicial assessment of a claim (GET /v1/claims/{id}/judicial-assessment).

A read: it changes nothing and writes no event. It gathers the facts (the statement on the
creditor's today, with interest and each invoice's limitation date; the account's promises
and payments; the debtor's place and proceedings) and hands them to the pure assessment
(domain.judicial.assessment).

A closed claim (paid, written off, cancelled, transferred) answers 409: nothing is left
to take to court, and a transferred one is the mandate holder's to judge. A claim already
in the judicial phase is assessed like an open one (another route may be chosen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.amounts.promises import resolve_promise
from domain.claims import lifecycle
from domain.claims.model import Claim, HoldReason, Phase
from domain.debtors.model import ContactKind, Debtor, DebtorKind
from domain.judicial.assessment import Assessment, PublicAccounts, assess, claim_facts
from domain.judicial.courts import DebtorPlace
from domain.judicial.parameters import judicial_parameters
from domain.services.caller import Caller, Ports
from domain.shared.errors import ActionNotAllowed, DomainValidationError, FieldError, NotFound


@dataclass(frozen=True, slots=True)
class AssessmentOptions:
    """What the creditor may state or tune (query parameters)."""

    recovery_probability: str | None = None  # a decimal string in [0, 1]
    between_commercants: bool | None = None  # default: assumed for a business debtor
    creditor_headcount: int | None = None  # for the TAE contribution (250 employees)
    # The debtor's last published accounts, as read by the creditor: decimal strings.
    accounts_closed_on: date | None = None
    equity: str | None = None
    net_result: str | None = None


_AMOUNT_LIMIT = Decimal(10) ** 15  # the API's amounts have at most 15 integer digits


def _amount(text: str) -> Decimal | None:
    """An amount in cents, or None. A huge exponent (1E+99) is a finite Decimal that
    quantize cannot hold in the context's precision: it raises InvalidOperation too."""
    try:
        value = Decimal(text.strip())
        if not value.is_finite() or abs(value) >= _AMOUNT_LIMIT \
                or value != value.quantize(Decimal("0.01")):
            return None
    except InvalidOperation:
        return None
    return value


def parse_accounts(options: AssessmentOptions, today: date,
                   debtor: Debtor | None) -> tuple[PublicAccounts | None, list[FieldError]]:
    """The accounts the creditor gave, or the fields that are wrong: a figure needs the
    closing day of its year, which is not in the future; a consumer publishes none."""
    errors: list[FieldError] = []
    figures: dict[str, Decimal | None] = {}
    for name in ("equity", "net_result"):
        text = getattr(options, name)
        if text is None:
            figures[name] = None
            continue
        value = _amount(text)
        if value is None:
            errors.append(FieldError(name, "an amount in euros with at most 2 decimals and "
                                     "15 integer digits, e.g. -12500.00", "invalid"))
        figures[name] = value
    closed_on = options.accounts_closed_on
    given = any(getattr(options, n) is not None for n in ("equity", "net_result"))
    if closed_on is None:
        if given:
            errors.append(FieldError("accounts_closed_on", "the closing day of the financial "
                                     "year the figures come from", "required"))
        return None, errors
    if closed_on > today:
        errors.append(FieldError("accounts_closed_on", "a year not yet closed has no accounts",
                                 "in_future"))
    if debtor is not None and debtor.kind is DebtorKind.CONSUMER:
        errors.append(FieldError("accounts_closed_on", "a consumer publishes no accounts",
                                 "invalid"))
    if errors:
        return None, errors
    return PublicAccounts(closed_on, figures["equity"], figures["net_result"]), []


def parse_probability(text: str | None) -> Decimal | None:
    """The creditor's probability: a plain decimal from 0 to 1 (never a float)."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise DomainValidationError("recovery_probability",
                                    "a decimal number from 0 to 1, e.g. 0.6", code="out_of_range")
    return value


def debtor_place(debtor: Debtor | None) -> DebtorPlace:
    """The debtor's country and, from its first usable postal address in that country, the
    postal code and city (the court is named after the city)."""
    if debtor is None:
        return DebtorPlace(country="FR")
    for point in debtor.contact_points:
        address = point.address
        if point.kind is not ContactKind.POSTAL_ADDRESS or address is None:
            continue
        if point.validation is not None and point.validation.status == "invalid":
            continue
        if address.country == debtor.country:
            return DebtorPlace(debtor.country, address.postal_code, address.city)
    return DebtorPlace(debtor.country)


def assess_claim(claim_id: str, options: AssessmentOptions, caller: Caller,
                 ports: Ports) -> tuple[Claim, Assessment]:
    probability = parse_probability(options.recovery_probability)
    errors: list[FieldError] = []
    if options.creditor_headcount is not None and options.creditor_headcount < 0:
        errors.append(FieldError("creditor_headcount", "a count of employees, 0 or more",
                                 "out_of_range"))
    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    if claim.phase is Phase.CLOSED:
        raise ActionNotAllowed("judicial_assessment", lifecycle.describe_state(claim),
                               lifecycle.allowed_actions(claim),
                               "a closed claim has nothing left to take to court")
    # The debtor and what the insolvency watch noted of it, in one read.
    debtor, watch = uow.watch.debtors_with_watch(
        [(caller.creditor_id, claim.debtor_id)])[(caller.creditor_id, claim.debtor_id)]
    if options.between_commercants and debtor is not None \
            and debtor.kind is DebtorKind.CONSUMER:
        errors.append(FieldError("between_commercants",
                                 "the debtor is a consumer, not a commerçant", "invalid"))
    today = claim.today(ports.clock.now())
    accounts, wrong = parse_accounts(options, today, debtor)
    errors += wrong
    if errors:
        raise DomainValidationError.many(errors)
    statement = account.statement(claim, today, ports.rates.rate_tables())
    facts = claim_facts(
        on=today, currency=claim.currency, debtor_kind=claim.debtor_kind,
        between_commercants=options.between_commercants, debtor_place=debtor_place(debtor),
        statement=statement,
        disputed_claim=claim.hold is not None and claim.hold.reason is HoldReason.DISPUTE,
        disputed_invoices=claim.disputed_invoices, proceedings=claim.proceedings,
        declaration_deadline=claim.declaration_deadline,
        formal_notice_on=account.formal_notice_on,
        promises=[resolve_promise(p, account.payments, today) for p in account.promises],
        creditor_headcount=options.creditor_headcount, public_accounts=accounts,
        company_ceased_on=watch.ceased_noted_on if watch is not None else None)
    return claim, assess(facts, judicial_parameters(), probability)
