"""The port of the documents a creditor uploads for a claim: their records on the table.
The bytes live in the document store (domain.ports.letters.DocumentStore), written once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from domain.judicial.documents import UploadedDocument


class UploadedDocumentRepository(Protocol):
    def get_document(self, creditor_id: str, claim_id: str,
                     document_id: str) -> UploadedDocument | None: ...

    def list_documents(self, creditor_id: str, claim_id: str) -> list[UploadedDocument]:
        """Every document of the claim, the earliest uploaded first (then by id)."""
        ...

    def add_document(self, document: UploadedDocument) -> None:
        """Staged; Conflict when the id exists."""
        ...
