"""The collection domain: creditors (tenants), debtors, claims and their invoices.

Plain dataclasses, no I/O. Adapters persist them; the API maps them to and from JSON.
Names follow the glossary in DESIGN.md (créancier = Creditor, débiteur = Debtor,
créance/dossier = Claim, facture = Invoice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class DebtorKind(StrEnum):
    """B2B or B2C: decides which interest regime, indemnity and prescription apply."""

    BUSINESS = "business"
    CONSUMER = "consumer"


class ContactKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"


class Phase(StrEnum):
    PRE_DUE = "pre_due"
    AMICABLE = "amicable"
    FORMAL_NOTICE = "formal_notice"
    JUDICIAL = "judicial"
    CLOSED = "closed"


class Outcome(StrEnum):
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"


class HoldReason(StrEnum):
    DISPUTE = "dispute"
    PROMISE = "promise"
    PAYMENT_PLAN = "payment_plan"
    MANUAL = "manual"
    INSOLVENCY = "insolvency"


@dataclass(frozen=True, slots=True)
class PostalAddress:
    recipient: str
    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class ContactValidation:
    """What contact validation concluded about one contact point, kept beside the original."""

    status: str  # valid | invalid | risky | unverified
    normalized: str | tuple[str, ...] | None
    reasons: tuple[str, ...]
    message: str
    validated_at: datetime
    line_type: str | None = None
    channels: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()  # what normalisation changed in the input, and why


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """One way to reach a debtor, stored exactly as given: `value` for an e-mail or phone,
    `address` for a postal address."""

    id: str
    kind: ContactKind
    value: str | None = None
    address: PostalAddress | None = None
    label: str | None = None
    validation: ContactValidation | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address given by a creditor about itself (letterhead, legal mentions)."""

    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str


@dataclass(slots=True)
class Creditor:
    id: str
    legal_name: str
    siren: str
    address: Address
    iban: str | None
    bic: str | None
    time_zone: str = "Europe/Paris"
    language: Language = Language.FR
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # A contractual late-interest rate (percent per year) agreed in the creditor's terms;
    # None means the statutory default applies.
    contractual_rate: Decimal | None = None


@dataclass(slots=True)
class Debtor:
    id: str
    creditor_id: str
    kind: DebtorKind
    name: str
    country: str
    language: Language
    contact_points: list[ContactPoint] = field(default_factory=list)
    siren: str | None = None
    external_reference: str | None = None
    version: int = 1
    vat_number: str | None = None  # intra-EU VAT number, e.g. FR40303265045
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Collective proceedings (sauvegarde, redressement, liquidation judiciaire) opened
    # against the debtor: the 40 EUR indemnity is not claimed then (see domain.law).
    in_collective_proceedings: bool = False


# A claim is opened in one atomic write (DynamoDB transactions take 100 items: the claim,
# its first event, its account, its external reference and one uniqueness item per invoice
# number), so the limit is stated here once and every layer uses it.
MAX_INVOICES_PER_CLAIM = 96


@dataclass(frozen=True, slots=True)
class Invoice:
    number: str
    issue_date: date
    due_date: date
    amount: Decimal  # including tax (TTC): late interest runs on the TTC amount


@dataclass(frozen=True, slots=True)
class Hold:
    reason: HoldReason
    since: datetime
    until: date | None = None
    note: str | None = None


@dataclass(slots=True)
class Claim:
    id: str
    creditor_id: str
    debtor_id: str
    currency: str
    invoices: list[Invoice]
    phase: Phase
    outstanding: Decimal
    created_at: datetime
    updated_at: datetime
    step_index: int = 0
    hold: Hold | None = None
    outcome: Outcome | None = None
    external_reference: str | None = None
    version: int = 1
    debtor_kind: DebtorKind = DebtorKind.BUSINESS
    # How many events the timeline holds: the next event's sequence number, known without
    # reading the timeline (one change may append several events).
    event_count: int = 0
    # The creditor's time zone when the claim was opened: it decides what "today" is for
    # due dates, interest and promises without reading the creditor on every change.
    time_zone: str = "Europe/Paris"
    # The open phase a claim was in when it closed, to reopen it if the payment that
    # closed it bounces.
    closed_from: Phase | None = None

    def today(self, now: datetime) -> date:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo(self.time_zone)).date()

    def next_event_seq(self) -> int:
        self.event_count += 1
        return self.event_count

    @property
    def earliest_due_date(self) -> date:
        return min(inv.due_date for inv in self.invoices)

    @property
    def total_invoiced(self) -> Decimal:
        return sum((inv.amount for inv in self.invoices), Decimal(0))


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """One immutable line of a claim's timeline: who did what, when and why. This is the
    legal trace the seeds ask for ("the phone leaves no trace of commitments")."""

    claim_id: str
    seq: int
    at: datetime
    action: str
    actor: str
    reason: str | None = None
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key as stored: only the SHA-256 of the secret is kept."""

    id: str
    creditor_id: str
    secret_hash: str
    scopes: tuple[str, ...]
    name: str
    prefix: str  # the first characters of the secret, to recognise a key in a list
    created_at: datetime
    revoked_at: datetime | None = None
