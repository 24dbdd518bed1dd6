"""The hand-off: a written mandate (mandat de recouvrement) given to a collection agency, a
commissaire de justice or a lawyer to collect amicably on the creditor's behalf.

The creditor keeps the claim (this is not the `transfer` action, which closes it): its
own chasing pauses while the mandate runs (the claim is held for `mandate`), and the
recipient works the handed-off claims with an API key scoped to them. The law (CPCE,
reference/french-law.md §4, SOURCES.md §8):

- R124-3: the mandate is written before the collector acts; it states the basis and amount
  of the debt, the collector's professional-liability insurance, its fee (paid by the
  creditor, L111-8) and how the funds are passed back. Relance records the mandate's
  reference, the document that bears it (an uploaded document's id or its SHA-256), the
  insurance and the commission terms; it does not hold the signed text.
- R124-4: every letter the collector sends carries the collector's name and address with a
  statement that it carries on an amicable collection activity, the creditor's name and
  address, the basis and amount of principal, interest and accessories each apart (never
  the fees L111-8 leaves to the creditor), the demand to pay with the ways to pay, and
  L111-8 paragraphs 2 and 3 word for word. Later contacts recall the first letter's
  reference and date. `letter_mentions` builds that block; the letter composes the rest.
- R124-5/R124-6: the collector reports every payment and proposal; the funds go back to
  the creditor within a month of their receipt (a dated parameter,
  `handoff.pass_back_months`): each payment collected records the day it is due back.
- R124-7: omitting a mention is a 5th-class contravention, hence one block in one place.

One mandate may cover several claims of the same creditor (an agency takes a batch): each
claim is added to it by its own hand-off, and withdrawn or closed on its own. Plain
dataclasses and checks, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.claims.judicial import TransferTarget
from domain.creditors.model import Address
from domain.judicial.parameters import ParameterTable
from domain.shared.dates import add_months, not_past
from domain.shared.errors import DomainValidationError, FieldError
from domain.shared.money import parse_amount

if TYPE_CHECKING:  # the letter's content is heavy to import; only a letter needs it
    from domain.letters.content import MandateMentions

# CPCE L111-8, paragraphs 2 and 3, as R124-4 5° requires them reproduced: word for word,
# so they are text here and never re-worded by a template
# (https://www.doctrine.fr/l/texts/codes/LEGITEXT000025024948/articles/LEGIARTI000025025657).
L111_8_PARAGRAPHS = (
    "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du "
    "créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi "
    "au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition "
    "législative contraire.",
    "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises "
    "pour recouvrer sa créance peut demander au juge de l'exécution de laisser tout ou partie "
    "des frais ainsi exposés à la charge du débiteur de mauvaise foi.",
)

# R124-4 1°: the collector states that it carries on an amicable collection activity.
ACTIVITY_STATEMENT = {
    TransferTarget.AGENCY: "exerce une activité de recouvrement amiable de créances pour le "
                           "compte d'autrui",
    TransferTarget.COMMISSAIRE_DE_JUSTICE: "commissaire de justice, agit au titre d'une "
                                           "activité de recouvrement amiable de créances",
    TransferTarget.LAWYER: "avocat, agit au titre d'une activité de recouvrement amiable de "
                           "créances",
}

# A hand-off writes the claim, its account, its timeline entry, the mandate and the key's
# two items in one transaction; a mandate covering many claims rewrites its key at each
# change, so it stays small enough to read whole. Not law: a size the storage keeps easy.
MAX_CLAIMS_PER_MANDATE = 200

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PLAIN_RATE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,4})?$")
_DOCUMENT_ID = re.compile(r"^doc_[A-Za-z0-9_-]{1,60}$")


class MandateStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # the creditor took the claim back
    CLOSED = "closed"  # the recipient returned it, with an outcome


class CloseOutcome(StrEnum):
    """What the recipient says when it returns a claim."""

    RECOVERED = "recovered"  # everything due was collected
    PARTLY_RECOVERED = "partly_recovered"
    UNRECOVERABLE = "unrecoverable"  # the debtor cannot be found or cannot pay
    DISPUTED = "disputed"  # the debtor contests: amicable collection stops there
    RETURNED = "returned"  # the recipient gives the claim back for another reason


@dataclass(frozen=True, slots=True)
class Recipient:
    kind: TransferTarget
    name: str
    address: Address  # R124-4 1°: on every letter
    siren: str | None = None


@dataclass(frozen=True, slots=True)
class Commission:
    """The recipient's fee, paid by the creditor (L111-8): a rate of the sums recovered
    (percent, a decimal), a fixed fee, or both. Never added to what the debtor owes."""

    currency: str
    rate: Decimal | None = None
    fixed_fee: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MandatedClaim:
    claim_id: str
    status: MandateStatus
    since: datetime
    ended_at: datetime | None = None
    outcome: CloseOutcome | None = None
    # R124-4: later contacts recall the first letter the recipient sent (its reference and
    # date); the first letter requested with the recipient's key sets them.
    first_letter_id: str | None = None
    first_letter_on: date | None = None


@dataclass(frozen=True, slots=True)
class Collection:
    """A payment the recipient collected, and the last day it is due to the creditor."""

    claim_id: str
    payment_id: str
    amount: Decimal
    received_on: date
    pass_back_by: date
    task_id: str


@dataclass(frozen=True, slots=True)
class Mandate:
    id: str
    creditor_id: str
    recipient: Recipient
    reference: str  # the mandate's own reference, as written on it
    document: str  # the written mandate (R124-3): a document id or its SHA-256
    insurance: str  # the recipient's professional-liability insurer and policy (R124-3)
    commission: Commission
    signed_on: date
    key_id: str  # the recipient's API key, scoped to the active claims
    claims: tuple[MandatedClaim, ...]
    created_at: datetime
    updated_at: datetime
    collections: tuple[Collection, ...] = ()
    version: int = 1

    @property
    def status(self) -> MandateStatus:
        """Active while one claim is; otherwise closed if the recipient returned any."""
        statuses = {c.status for c in self.claims}
        if MandateStatus.ACTIVE in statuses:
            return MandateStatus.ACTIVE
        return MandateStatus.CLOSED if MandateStatus.CLOSED in statuses else \
            MandateStatus.WITHDRAWN

    @property
    def active_claim_ids(self) -> tuple[str, ...]:
        return tuple(c.claim_id for c in self.claims if c.status is MandateStatus.ACTIVE)

    def entry(self, claim_id: str) -> MandatedClaim | None:
        """The claim's latest entry (a claim withdrawn and handed off again has two)."""
        return next((c for c in reversed(self.claims) if c.claim_id == claim_id), None)

    def covers(self, claim_id: str) -> bool:
        entry = self.entry(claim_id)
        return entry is not None and entry.status is MandateStatus.ACTIVE

    def with_claim(self, claim_id: str, at: datetime) -> Mandate:
        return replace(self, claims=(*self.claims, MandatedClaim(
            claim_id, MandateStatus.ACTIVE, at)), updated_at=at, version=self.version + 1)

    def ended(self, claim_id: str, status: MandateStatus, at: datetime,
              outcome: CloseOutcome | None = None) -> Mandate:
        """The claim's active entry ended (withdrawn or closed)."""
        claims = tuple(replace(c, status=status, ended_at=at, outcome=outcome)
                       if c.claim_id == claim_id and c.status is MandateStatus.ACTIVE else c
                       for c in self.claims)
        return replace(self, claims=claims, updated_at=at, version=self.version + 1)

    def with_first_letter(self, claim_id: str, letter_id: str, on: date,
                          at: datetime) -> Mandate:
        claims = tuple(replace(c, first_letter_id=letter_id, first_letter_on=on)
                       if c.claim_id == claim_id and c.status is MandateStatus.ACTIVE
                       and c.first_letter_id is None else c for c in self.claims)
        return replace(self, claims=claims, updated_at=at, version=self.version + 1)

    def with_collection(self, collection: Collection, at: datetime) -> Mandate:
        return replace(self, collections=(*self.collections, collection), updated_at=at,
                       version=self.version + 1)


# ---------------------------------------------------------------------------- checks

@dataclass(frozen=True, slots=True)
class MandateTerms:
    """What the creditor states about a new mandate, as received (checked by `check`)."""

    recipient_kind: str
    recipient_name: str
    recipient_address: Address
    reference: str
    document: str
    insurance: str
    signed_on: date
    currency: str = "EUR"
    commission_rate: str | None = None
    fixed_fee: str | None = None
    recipient_siren: str | None = None


def check_terms(terms: MandateTerms, today: date, errors: list[FieldError]) -> Commission:
    """The commission terms parsed; every other rule of a new mandate added to `errors`
    (paths as the API names them)."""
    if terms.recipient_kind not in set(TransferTarget):
        errors.append(FieldError("recipient.kind", "one of "
                                 f"{[t.value for t in TransferTarget]}", "invalid_choice"))
    for path, value, most in (("recipient.name", terms.recipient_name, 200),
                              ("reference", terms.reference, 100),
                              ("insurance", terms.insurance, 300)):
        if not value.strip():
            errors.append(FieldError(path, "must not be empty", "required"))
        elif len(value) > most:
            errors.append(FieldError(path, f"{most} characters at most", "too_long"))
    if not terms.recipient_address.lines or not terms.recipient_address.city.strip():
        errors.append(FieldError("recipient.address", "the recipient's address goes on "
                                 "every letter it sends (R124-4)", "required"))
    if not (_SHA256.match(terms.document) or _DOCUMENT_ID.match(terms.document)):
        errors.append(FieldError(
            "document", "the written mandate (R124-3): an uploaded document's id (doc_…) or "
            "the SHA-256 of the signed mandate (64 lowercase hex digits)", "invalid_document"))
    if (error := not_past(terms.signed_on, today, "signed_on",
                          "a mandate is signed before the recipient acts")) is not None:
        errors.append(error)
    rate = _rate(terms.commission_rate, errors)
    fee = None
    if terms.fixed_fee is not None:
        try:
            fee = parse_amount(terms.fixed_fee, terms.currency, "commission.fixed_fee")
        except DomainValidationError as exc:
            errors += exc.errors
    if terms.commission_rate is None and terms.fixed_fee is None:
        errors.append(FieldError("commission", "state the recipient's fee (R124-3): a rate "
                                 "of the sums recovered, a fixed fee, or both", "required"))
    return Commission(terms.currency, rate, fee)


def _rate(value: str | None, errors: list[FieldError]) -> Decimal | None:
    if value is None:
        return None
    try:  # a plain decimal string, as amounts are: no exponent, no sign
        rate = Decimal(value) if _PLAIN_RATE.match(value) else Decimal("NaN")
    except (InvalidOperation, TypeError):
        rate = Decimal("NaN")
    if not rate.is_finite() or not 0 < rate <= 100 or rate != rate.quantize(Decimal("1E-4")):
        errors.append(FieldError("commission.rate", "a percentage of the sums recovered "
                                 "such as \"15\" (above 0, at most 100, 4 decimals at most)",
                                 "invalid_rate"))
        return None
    return rate


def pass_back_by(received_on: date, parameters: ParameterTable) -> date:
    """The last day a payment the recipient received is due to the creditor (R124-6):
    the months in force on the day it was received."""
    months = parameters.at("handoff.pass_back_months", received_on).whole
    return add_months(received_on, months)


# ---------------------------------------------------------------------------- letters

def letter_mentions(mandate: Mandate, claim_id: str) -> MandateMentions:
    """The block a letter the recipient sends about `claim_id` carries (R124-4)."""
    from domain.letters.content import MandateMentions

    recipient = mandate.recipient
    address = recipient.address
    entry = mandate.entry(claim_id)
    return MandateMentions(
        collector_name=recipient.name,
        collector_address=(*address.lines, f"{address.postal_code} {address.city}".strip()),
        collector_siren=recipient.siren,
        activity=ACTIVITY_STATEMENT[recipient.kind],
        mandate_reference=mandate.reference,
        l111_8=L111_8_PARAGRAPHS,
        first_letter_id=entry.first_letter_id if entry else None,
        first_letter_on=entry.first_letter_on if entry else None,
    )
