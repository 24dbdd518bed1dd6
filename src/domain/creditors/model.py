"""Creditors (créanciers): the tenants, their letterhead facts and their API keys.

Plain dataclasses, no I/O. Names follow the glossary (créancier = Creditor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.shared.language import Language


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
    # How interest from a formal notice or a judgment counts its first day, and what runs
    # where an agreed B2B rate is below the legal floor: values of
    # domain.amounts.interest.DayCount and domain.amounts.law.BelowFloorPolicy, kept as
    # strings because creditors do not build on amounts (the use cases check them). A
    # creditor stored before these settings existed reads with these defaults.
    interest_day_count: str = "date_difference"
    below_floor_policy: str = "floor"
    # The days a mise en demeure gives the debtor to pay: "un délai précis et raisonnable",
    # 8 or 15 days in practice (domain.letters.content checks the bounds).
    formal_notice_days: int = 8
    # The first part of every letter's closing: who signs for the creditor.
    signatory: str | None = None
    # When the ladder may call, text, e-mail and post (domain.escalation.calendar's
    # JSON-shaped setting, checked by the use cases); None: the conservative default.
    contact_windows: dict[str, object] | None = None


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
    # A mandate's recipient's key (domain.judicial.handoff): it reaches only these claims
    # of the creditor, and only what api.http.mandate_access lets a recipient do. None: a
    # creditor's own key, over the whole tenant.
    mandate_id: str | None = None
    claim_ids: tuple[str, ...] | None = None
    # Bumped by every rewrite (a recipient's rescope, a revocation), which is made only from
    # the version read: a rescope racing a revocation must not put back a revoked key.
    version: int = 0
