"""Debtors on the table: one item each (contact points inside), listed through GSI1, and
one uniqueness item per external reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import debtor_pk, tenant, uniq_pk
from adapters.dynamodb.unit_of_work import Write
from domain.creditors.model import Creditor
from domain.debtors.model import Debtor
from domain.ports.repositories import Page, PageRequest, debtor_reference_taken
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoDebtors:
    """Implements domain.ports.DebtorRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, debtor: Debtor) -> dict[str, Any]:
        created = debtor.created_at.isoformat() if debtor.created_at else ""
        return {
            "PK": s(debtor_pk(debtor.creditor_id, debtor.id)), "SK": s("META"),
            "entity": s("debtor"), "version": n(debtor.version),
            "GSI1PK": s(f"{tenant(debtor.creditor_id)}#DEBTORS"),
            "GSI1SK": s(f"{created}#{debtor.id}"), "data": data(debtor),
        }

    def _reference(self, debtor: Debtor) -> Write:
        reference = debtor.external_reference
        assert reference is not None
        item = {"PK": s(uniq_pk(debtor.creditor_id, "DEBTORREF", reference)), "SK": s("UNIQ"),
                "entity": s("uniqueness"), "owner": s(debtor.id)}
        return Write(put(self.table, item, "attribute_not_exists(PK)"),
                     lambda: debtor_reference_taken(reference), "external_reference")

    def get_debtor(self, creditor_id: str, debtor_id: str) -> Debtor | None:
        item = self.table.get(debtor_pk(creditor_id, debtor_id), "META")
        return decode(item, Debtor) if item else None

    def get_debtor_with_creditor(self, creditor_id: str,
                                 debtor_id: str) -> tuple[Debtor | None, Creditor | None]:
        """Both in one BatchGetItem: opening a claim needs the debtor (it must exist in this
        tenant) and the creditor (its time zone decides whether the claim is pre-due)."""
        debtor_key = (debtor_pk(creditor_id, debtor_id), "META")
        creditor_key = (tenant(creditor_id), "CREDITOR")
        found = self.table.batch_get([debtor_key, creditor_key])
        debtor, creditor = found.get(debtor_key), found.get(creditor_key)
        return (decode(debtor, Debtor) if debtor else None,
                decode(creditor, Creditor) if creditor else None)

    def add_debtor(self, debtor: Debtor) -> None:
        writes = [Write(put(self.table, self._item(debtor), "attribute_not_exists(PK)"),
                        lambda: Conflict("debtor id collision; retry"), "contact_points")]
        if debtor.external_reference:
            writes.append(self._reference(debtor))
        self.uow.stage(*writes)

    def save_debtor(self, debtor: Debtor, expected_version: int,
                    previous_reference: str | None) -> None:
        writes = [Write(put(self.table, self._item(debtor), "version = :v",
                            {":v": n(expected_version)}),
                        lambda: StaleVersion("debtor changed since it was read"),
                        "contact_points")]
        if debtor.external_reference != previous_reference:
            if debtor.external_reference:
                writes.append(self._reference(debtor))
            if previous_reference:
                writes.append(Write({"Delete": {"TableName": self.table.name, "Key": {
                    "PK": s(uniq_pk(debtor.creditor_id, "DEBTORREF", previous_reference)),
                    "SK": s("UNIQ")}}}))
        self.uow.stage(*writes)

    def list_debtors(self, creditor_id: str, page: PageRequest) -> Page[Debtor]:
        items, cursor = self.table.query(index="GSI1", pk_name="GSI1PK",
                                         pk=f"{tenant(creditor_id)}#DEBTORS",
                                         limit=page.limit, cursor=page.cursor)
        return Page([decode(item, Debtor) for item in items], cursor)
