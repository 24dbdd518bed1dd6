"""The insolvency watch's storage (domain.ports.watch) on the single table.

The index is GSI5, sparse and KEYS_ONLY: a claim item carries `GSI5PK = WATCH#<shard>`
and `GSI5SK = <creditor>#<debtor>#<claim>` while it is open (DynamoClaims writes them with
the claim, and drops them when it closes), so the watch reads only open claims, one
debtor's side by side. What the watch remembers of a debtor sits in the debtor's own
partition (`SK = WATCH`), read with the debtor in one BatchGetItem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, s
from adapters.dynamodb.keys import WATCH_SK, debtor_pk, watch_pk
from adapters.dynamodb.unit_of_work import Write
from domain.debtors.model import Debtor
from domain.ports.repositories import Page
from domain.ports.watch import DebtorWatch, WatchedClaim

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork

BATCH_KEYS = 100  # BatchGetItem's limit


class DynamoWatch:
    """Implements domain.ports.watch.WatchRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def watched_claims(self, shard: int, limit: int,
                       cursor: str | None) -> Page[WatchedClaim]:
        items, next_cursor = self.table.query(index="GSI5", pk_name="GSI5PK",
                                              pk=watch_pk(shard), limit=limit, cursor=cursor)
        found = []
        for item in items:
            creditor_id, debtor_id, claim_id = item["GSI5SK"]["S"].split("#", 2)
            found.append(WatchedClaim(creditor_id, debtor_id, claim_id))
        return Page(found, next_cursor)

    def debtors_with_watch(self, keys: list[tuple[str, str]]
                           ) -> dict[tuple[str, str], tuple[Debtor | None, DebtorWatch | None]]:
        wanted = [(debtor_pk(c, d), sk) for c, d in keys for sk in ("META", WATCH_SK)]
        items: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(wanted), BATCH_KEYS):
            items.update(self.table.batch_get(wanted[start:start + BATCH_KEYS]))
        found = {}
        for creditor_id, debtor_id in keys:
            pk = debtor_pk(creditor_id, debtor_id)
            debtor, watch = items.get((pk, "META")), items.get((pk, WATCH_SK))
            found[(creditor_id, debtor_id)] = (
                decode(debtor, Debtor) if debtor else None,
                decode(watch, DebtorWatch) if watch else None)
        return found

    def save_watch(self, watch: DebtorWatch) -> None:
        item = {"PK": s(debtor_pk(watch.creditor_id, watch.debtor_id)), "SK": s(WATCH_SK),
                "entity": s("debtor_watch"), "data": data(watch)}
        self.uow.stage(Write({"Put": {"TableName": self.table.name, "Item": item}}))
