"""Use cases on the documents a creditor uploads for a claim: store one (the bytes
written once in the document store with their SHA-256, then the record), list them, and
give a short-lived link to one.

An upload is its own idempotency: the same bytes of the same kind for the same invoice
give back the record already made (a retry after a lost answer stores nothing twice), so
the route needs no Idempotency-Key replay and never holds a 4 MiB body for one.
No file name is taken or logged: names of files often carry a person's name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from domain.judicial.documents import (
    ALLOWED_CONTENT_TYPES,
    MAX_DOCUMENT_BYTES,
    DocumentKind,
    UploadedDocument,
    document_key,
)
from domain.ports.letters import AlreadyStored
from domain.services.caller import Caller, Ports
from domain.services.letters import DOWNLOAD_URL_SECONDS, _need
from domain.shared.errors import DomainError, DomainValidationError, NotFound
from domain.shared.ids import new_id


class UploadRefused(DomainError):
    """The body cannot be taken as a document: too large (413) or not a type the dossier
    carries (415). The route answers it as a problem with this status."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code = status, code


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_upload(content_type: str | None, size: int) -> str:
    """The media type the body is stored as, or UploadRefused."""
    kind = media_type(content_type)
    if kind not in ALLOWED_CONTENT_TYPES:
        raise UploadRefused(415, "unsupported-media-type",
                            f"a document is one of {', '.join(sorted(ALLOWED_CONTENT_TYPES))}"
                            f"; got {kind or 'no Content-Type'}")
    if size > MAX_DOCUMENT_BYTES:
        raise UploadRefused(413, "document-too-large",
                            f"a document is at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
                            f"; this one is {size} bytes")
    if size == 0:
        raise DomainValidationError("body", "the document is empty", code="empty")
    return kind


def upload_document(claim_id: str, kind: str, invoice_number: str | None,
                    content_type: str | None, body: bytes, caller: Caller,
                    ports: Ports) -> tuple[UploadedDocument, bool]:
    """The document's record and whether it is new (False: the same piece was given
    before)."""
    stored_type = check_upload(content_type, len(body))
    try:
        document_kind = DocumentKind(kind)
    except ValueError:
        raise DomainValidationError(
            "kind", f"one of {', '.join(k.value for k in DocumentKind)}",
            code="invalid_choice") from None
    uow = ports.unit_of_work()
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    if invoice_number is not None and invoice_number not in {i.number for i in claim.invoices}:
        raise DomainValidationError("invoice_number", "no invoice of this claim has this "
                                    "number", code="unknown_invoice")
    sha = hashlib.sha256(body).hexdigest()
    for existing in uow.documents.list_documents(caller.creditor_id, claim_id):
        if (existing.sha256, existing.kind, existing.invoice_number) == (
                sha, document_kind, invoice_number):
            return existing, False
    documents = _need(ports.documents, "document store")
    document_id = new_id("doc")
    key = document_key(caller.creditor_id, claim_id, document_id, stored_type)
    try:
        stored = documents.put_once(key, body, stored_type,
                                    {"claim": claim_id, "document": document_id,
                                     "kind": document_kind.value})
    except AlreadyStored as exc:  # an id drawn twice: keep what is there, never overwrite
        stored = exc.existing
    record = UploadedDocument(
        id=document_id, creditor_id=caller.creditor_id, claim_id=claim_id,
        kind=document_kind, content_type=stored_type, size=stored.size, sha256=stored.sha256,
        object_key=stored.key, uploaded_at=ports.clock.now(), uploaded_by=caller.actor,
        invoice_number=invoice_number)
    uow.documents.add_document(record)
    uow.commit()
    return record, True


def list_documents(claim_id: str, caller: Caller, ports: Ports) -> list[UploadedDocument]:
    from domain.services.queries import of_claim

    uow = ports.unit_of_work()
    return of_claim(uow.documents.list_documents(caller.creditor_id, claim_id), uow, caller,
                    claim_id)


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: UploadedDocument
    download_url: str
    expires_in: int


def get_document(claim_id: str, document_id: str, caller: Caller,
                 ports: Ports) -> DocumentView:
    found = ports.unit_of_work().documents.get_document(caller.creditor_id, claim_id,
                                                        document_id)
    if found is None:
        raise NotFound("document", document_id)
    extension = ALLOWED_CONTENT_TYPES.get(found.content_type, "bin")
    url = _need(ports.documents, "document store").download_url(
        found.object_key, f"{found.kind.value}-{found.id}.{extension}", DOWNLOAD_URL_SECONDS)
    return DocumentView(found, url, DOWNLOAD_URL_SECONDS)
