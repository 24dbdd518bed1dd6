"""The insolvency watch's storage: a sparse index of the open claims by debtor (so a run's
reads grow with the debtors of open claims, not with the table), and what the watch
remembers of each debtor it checked (the BODACC notices it already acted on), so that the
next day's run records nothing twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from domain.debtors.model import Debtor
    from domain.ports.repositories import Page

# The index's partitions: a claim's debtor decides its shard, so one debtor's open claims
# are read together, and the writes of a busy day spread over a few partitions.
WATCH_SHARDS = 4


@dataclass(frozen=True, slots=True)
class WatchedClaim:
    creditor_id: str
    debtor_id: str
    claim_id: str


@dataclass(frozen=True, slots=True)
class DebtorWatch:
    """What the watch acted on for one debtor of one creditor: the same SIREN under two
    creditors is two debtors, each told once."""

    creditor_id: str
    debtor_id: str
    siren: str
    seen_notices: tuple[str, ...] = ()
    ceased_noted_on: date | None = None  # the day it raised the company_ceased tasks
    checked_on: date | None = None
    # The instant of the last run that asked about it: a run that cannot ask about every
    # SIREN (the registers' quota, the Lambda's time) asks the least recently checked first.
    checked_at: datetime | None = None
    notes: tuple[str, ...] = field(default=())  # what it could not do, for the person


class WatchRepository(Protocol):
    def watched_claims(self, shard: int, limit: int,
                       cursor: str | None) -> Page[WatchedClaim]:
        """The open claims of one shard of the index, grouped by creditor then debtor (a
        closed claim is not in it: the index is written with the claim)."""
        ...

    def debtors_with_watch(self, keys: list[tuple[str, str]]
                           ) -> dict[tuple[str, str], tuple[Debtor | None, DebtorWatch | None]]:
        """Each (creditor, debtor)'s debtor and watch record, read together (BatchGetItem,
        100 keys a call)."""
        ...

    def save_watch(self, watch: DebtorWatch) -> None:
        """Staged. No version: one run a day writes it, and a repeated write is the same."""
        ...
