"""Mandates on the table: one item per mandate in its own partition
(`T#<creditor>#MANDATE#<id>`, `META`), and one small link per claim it covers in the
claim's partition (`MANDATE#<id>`), so a claim's mandates are one Query away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import claim_pk, mandate_link_sk, mandate_pk
from adapters.dynamodb.unit_of_work import Write
from domain.judicial.handoff import Mandate
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoMandates:
    """Implements domain.ports.handoff.MandateRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, mandate: Mandate) -> dict[str, Any]:
        return {"PK": s(mandate_pk(mandate.creditor_id, mandate.id)), "SK": s("META"),
                "entity": s("mandate"), "version": n(mandate.version), "data": data(mandate)}

    def _link(self, creditor_id: str, mandate_id: str, claim_id: str) -> Write:
        item = {"PK": s(claim_pk(creditor_id, claim_id)), "SK": s(mandate_link_sk(mandate_id)),
                "entity": s("mandate_link"), "mandate_id": s(mandate_id)}
        # A claim handed off twice under one mandate keeps its one link: no condition.
        return Write({"Put": {"TableName": self.table.name, "Item": item}}, None, "claim_id")

    def get_mandate(self, creditor_id: str, mandate_id: str) -> Mandate | None:
        item = self.table.get(mandate_pk(creditor_id, mandate_id), "META")
        return decode(item, Mandate) if item else None

    def add_mandate(self, mandate: Mandate) -> None:
        self.uow.stage(
            Write(put(self.table, self._item(mandate), "attribute_not_exists(PK)"),
                  lambda: Conflict("mandate id collision; retry"), "mandate"),
            *(self._link(mandate.creditor_id, mandate.id, c)
              for c in dict.fromkeys(c.claim_id for c in mandate.claims)))

    def save_mandate(self, mandate: Mandate, expected_version: int) -> None:
        self.uow.stage(Write(put(self.table, self._item(mandate), "version = :v",
                                 {":v": n(expected_version)}),
                             lambda: StaleVersion("mandate changed since it was read"),
                             "mandate"))

    def link_claim(self, creditor_id: str, mandate_id: str, claim_id: str) -> None:
        self.uow.stage(self._link(creditor_id, mandate_id, claim_id))

    def mandates_of_claim(self, creditor_id: str, claim_id: str) -> list[Mandate]:
        links = self.table.query_all(claim_pk(creditor_id, claim_id), "MANDATE#")
        if not links:
            return []
        found = self.table.batch_get([(mandate_pk(creditor_id, link["mandate_id"]["S"]), "META")
                                      for link in links])
        mandates = [decode(item, Mandate) for item in found.values()]
        return sorted(mandates, key=lambda m: (m.created_at, m.id))
