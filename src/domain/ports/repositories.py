"""Repositories: one per aggregate, reached through the unit of work.

Reads answer at once; writes (`add_*`, `save_*`, `revoke_*`) are staged on the unit of work
and happen at its commit. Every method takes the creditor id first: tenancy is part of
every key, so no call can reach another creditor's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from domain.claims.model import Claim, ClaimEvent, Phase
from domain.creditors.model import ApiKey, Creditor
from domain.debtors.model import Debtor
from domain.shared.errors import Conflict, DomainValidationError

if TYPE_CHECKING:  # the account pulls in the ledger and rate tables: not needed at run time
    from domain.amounts.account import ClaimAccount

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    phase: Phase | None = None
    debtor_id: str | None = None
    due_before: date | None = None  # earliest due date strictly before
    due_after: date | None = None  # earliest due date strictly after


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = 50
    cursor: str | None = None


class InvalidCursor(DomainValidationError):
    """A list was given a cursor it did not return (forged, from another tenant or another
    filter, or past the range asked for): refused as input, never followed."""

    def __init__(self) -> None:
        super().__init__("cursor", "not a cursor this list returned", code="invalid_cursor")


# The uniqueness conflicts every repository raises, with the field the caller sent, so that
# each implementation (DynamoDB, the in-memory fake) answers the same words.
def invoice_number_taken(number: str, index: int) -> Conflict:
    return Conflict(f"invoice number {number!r} is already in another claim",
                    field_path=f"invoices[{index}].number")


def claim_reference_taken(reference: str) -> Conflict:
    return Conflict(f"external reference {reference!r} is already used",
                    field_path="external_reference")


def debtor_reference_taken(reference: str | None) -> Conflict:
    return Conflict(f"external reference {reference!r} is already used by another debtor",
                    field_path="external_reference")


# The sweeper's index spreads claims with a next action over this many partitions, so a
# burst of due claims does not heat one (adapters.dynamodb.keys.due_shard).
DUE_SHARDS = 8


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class CreditorRepository(Protocol):
    def get_creditor(self, creditor_id: str) -> Creditor | None: ...

    def add_creditor(self, creditor: Creditor) -> None: ...

    def save_creditor(self, creditor: Creditor, expected_version: int) -> None:
        """Raises StaleVersion when the stored version is not `expected_version`."""
        ...


class ApiKeyRepository(Protocol):
    def add_api_key(self, key: ApiKey) -> None: ...

    def find_api_key(self, secret_hash: str) -> ApiKey | None: ...

    def list_api_keys(self, creditor_id: str) -> list[ApiKey]: ...

    def revoke_api_key(self, creditor_id: str, key_id: str, at: datetime) -> ApiKey | None:
        """Staged from the key as read now (None: no such key; a revoked key as it is);
        StaleVersion at commit when the key changed meanwhile."""
        ...

    def save_api_key(self, key: ApiKey, expected_version: int) -> None:
        """Staged: the key as given replaces the stored one (a recipient's key whose claims
        changed); StaleVersion when the key is gone or not at `expected_version` (it was
        revoked or rescoped meanwhile)."""
        ...


class DebtorRepository(Protocol):
    def get_debtor(self, creditor_id: str, debtor_id: str) -> Debtor | None: ...

    def get_debtor_with_creditor(self, creditor_id: str,
                                 debtor_id: str) -> tuple[Debtor | None, Creditor | None]:
        """The debtor and its creditor in one round trip."""
        ...

    def add_debtor(self, debtor: Debtor) -> None:
        """Raises Conflict when the external reference is taken for this creditor."""
        ...

    def save_debtor(self, debtor: Debtor, expected_version: int,
                    previous_reference: str | None) -> None: ...

    def list_debtors(self, creditor_id: str, page: PageRequest) -> Page[Debtor]: ...


class ClaimRepository(Protocol):
    def get_claim(self, creditor_id: str, claim_id: str) -> Claim | None: ...

    def add_claim(self, claim: Claim, event: ClaimEvent,
                  account: ClaimAccount | None = None) -> None:
        """Stages the claim and its first event (one atomic commit). Conflict when an invoice
        number or the external reference is already used by this creditor."""
        ...

    def get_claim_account(self, creditor_id: str,
                          claim_id: str) -> tuple[Claim, ClaimAccount] | None:
        """The claim with its account (payments, promises, plan), in one round trip."""
        ...

    def save_claim(self, claim: Claim, events: list[ClaimEvent], expected_version: int,
                   account: ClaimAccount | None = None) -> None:
        """Stores the changed claim, its new events and (if given) its account atomically,
        only if the stored claim is still at `expected_version` (else StaleVersion)."""
        ...

    def list_claims(self, creditor_id: str, filters: ClaimFilter,
                    page: PageRequest) -> Page[Claim]: ...

    def list_events(self, creditor_id: str, claim_id: str,
                    page: PageRequest) -> Page[ClaimEvent]: ...

    def latest_events(self, creditor_id: str, claim_id: str, limit: int) -> list[ClaimEvent]:
        """The last `limit` entries of the timeline, the newest first, in one read: what a
        collector glances at before a call (domain.services.tasks)."""
        ...

    def claims_of_debtor(self, creditor_id: str, debtor_id: str) -> list[Claim]: ...

    def get_claim_context(self, creditor_id: str, claim_id: str, debtor_id: str
                          ) -> tuple[Claim, ClaimAccount, Debtor | None, Creditor | None] | None:
        """The claim, its account, its debtor and the creditor in one round trip (the
        ladder's trigger: the debtor's id travels in the wake-up)."""
        ...

    def claims_due(self, shard: int, before: datetime, limit: int,
                   cursor: str | None) -> Page[tuple[str, str]]:
        """(creditor, claim) of the claims whose next action is before `before`, in one
        shard of the sweeper's sparse index (domain.services.escalation.SHARDS of them):
        reads grow with the claims due, not with the table."""
        ...
