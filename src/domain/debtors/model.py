"""Debtors (débiteurs) and the ways to reach them, each stored as given with what
contact validation concluded beside it. Plain dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.debtors.proceedings import CollectiveProceedings
from domain.shared.language import Language


class DebtorKind(StrEnum):
    """B2B or B2C: decides which interest regime, indemnity and prescription apply."""

    BUSINESS = "business"
    CONSUMER = "consumer"


class ContactKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"


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
    # The opening judgment of collective proceedings (sauvegarde, redressement, liquidation
    # judiciaire) against the debtor: it stops interest and holds its claims (each claim
    # keeps a copy, written in the same transaction: domain.services.proceedings).
    collective_proceedings: CollectiveProceedings | None = None
    # The day a consumer consented to receive electronic registered mail (CPCE R53-1):
    # without it, a qualified e-registered letter is refused for them.
    electronic_registered_consent_on: date | None = None

    @property
    def in_collective_proceedings(self) -> bool:
        return self.collective_proceedings is not None
