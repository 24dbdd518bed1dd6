"""Uploaded documents' records on the table: one item per document in its claim's
partition (`T#<creditor>#CLAIM#<claim>`, `DOC#<id>`), so a claim's documents are one
Query and never reach another tenant's partition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import claim_pk, document_sk
from adapters.dynamodb.unit_of_work import Write
from domain.judicial.documents import UploadedDocument
from domain.shared.errors import Conflict

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoDocuments:
    """Implements domain.ports.documents.UploadedDocumentRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def get_document(self, creditor_id: str, claim_id: str,
                     document_id: str) -> UploadedDocument | None:
        item = self.table.get(claim_pk(creditor_id, claim_id), document_sk(document_id))
        return decode(item, UploadedDocument) if item else None

    def list_documents(self, creditor_id: str, claim_id: str) -> list[UploadedDocument]:
        items = self.table.query_all(claim_pk(creditor_id, claim_id), "DOC#")
        found = [decode(item, UploadedDocument) for item in items]
        return sorted(found, key=lambda d: (d.uploaded_at, d.id))

    def add_document(self, document: UploadedDocument) -> None:
        item: dict[str, Any] = {
            "PK": s(claim_pk(document.creditor_id, document.claim_id)),
            "SK": s(document_sk(document.id)), "entity": s("document"),
            "data": data(document)}
        self.uow.stage(Write(put(self.table, item, "attribute_not_exists(PK)"),
                             lambda: Conflict("document id collision; retry"), "document"))
