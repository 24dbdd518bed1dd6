"""Proceedings on the table: one item per proceeding in its claim's partition
(`T#<creditor>#CLAIM#<id>`, `JUDICIAL#<n>`); the current one is the last of that prefix,
one Query of one item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import PROCEEDING_PREFIX, claim_pk, proceeding_sk
from adapters.dynamodb.unit_of_work import Write
from domain.judicial.proceedings import Proceeding
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoProceedings:
    """Implements domain.ports.proceedings.ProceedingRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, p: Proceeding) -> dict[str, Any]:
        return {"PK": s(claim_pk(p.creditor_id, p.claim_id)), "SK": s(proceeding_sk(p.number)),
                "entity": s("proceeding"), "version": n(p.version), "data": data(p)}

    def current_proceeding(self, creditor_id: str, claim_id: str) -> Proceeding | None:
        items, _ = self.table.query(index=None, pk_name="PK", pk=claim_pk(creditor_id, claim_id),
                                    sk_name="SK", sk_prefix=PROCEEDING_PREFIX, limit=1,
                                    cursor=None, forward=False)
        return decode(items[0], Proceeding) if items else None

    def list_proceedings(self, creditor_id: str, claim_id: str) -> list[Proceeding]:
        return [decode(item, Proceeding) for item in
                self.table.query_all(claim_pk(creditor_id, claim_id), PROCEEDING_PREFIX)]

    def add_proceeding(self, proceeding: Proceeding) -> None:
        self.uow.stage(Write(put(self.table, self._item(proceeding),
                                 "attribute_not_exists(PK)"),
                             lambda: Conflict("a proceeding was started meanwhile; retry"),
                             "proceeding"))

    def save_proceeding(self, proceeding: Proceeding, expected_version: int) -> None:
        self.uow.stage(Write(put(self.table, self._item(proceeding), "version = :v",
                                 {":v": n(expected_version)}),
                             lambda: StaleVersion("proceeding changed since it was read"),
                             "proceeding"))
