"""Use cases on the documents a creditor uploads for a claim: store one (the bytes
written once in the document store with their SHA-256, then the record), list them, and
give a short-lived link to one.

An upload is its own idempotency: the same bytes of the same kind for the same invoice
give back the record already made (a retry after a lost answer stores nothing twice), so
the route needs no Idempotency-Key replay and never holds a 4 MiB body for one.
No file name is taken or logged: names of files often carry a person's name.

A file too large for a request's body (the Lambda payload limit) goes in two steps:
`start_upload` signs a slot for the declared bytes, the client sends them to the store,
`complete_upload` checks what came and records it. Either way the record and its timeline
entry (`document_uploaded`) are one write."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from domain.judicial.documents import (
    ALLOWED_CONTENT_TYPES,
    MAX_DOCUMENT_BYTES,
    DocumentKind,
    DocumentUploaded,
    UploadedDocument,
    document_key,
)
from domain.ports.documents import UploadSlot, UploadSlots
from domain.ports.letters import AlreadyStored
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import _load, stage_change
from domain.services.caller import Caller, Ports
from domain.services.letters import DOWNLOAD_URL_SECONDS, _need
from domain.shared.errors import (
    Conflict,
    DomainError,
    DomainValidationError,
    NotFound,
    Unavailable,
)
from domain.shared.ids import new_id
from domain.shared.retry import run_retrying


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


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise DomainValidationError(
            "kind", f"one of {', '.join(k.value for k in DocumentKind)}",
            code="invalid_choice") from None


def _check_claim(uow: UnitOfWork, caller: Caller, claim_id: str,
                 invoice_number: str | None) -> None:
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    if invoice_number is not None and invoice_number not in {i.number for i in claim.invoices}:
        raise DomainValidationError("invoice_number", "no invoice of this claim has this "
                                    "number", code="unknown_invoice")


def _same(documents: list[UploadedDocument], sha: str, kind: DocumentKind,
          invoice_number: str | None) -> UploadedDocument | None:
    """The record of these bytes given before as this piece: an upload is its own
    idempotency, whichever way the bytes came."""
    return next((d for d in documents
                 if (d.sha256, d.kind, d.invoice_number) == (sha, kind, invoice_number)), None)


def upload_document(claim_id: str, kind: str, invoice_number: str | None,
                    content_type: str | None, body: bytes, caller: Caller,
                    ports: Ports) -> tuple[UploadedDocument, bool]:
    """The document's record and whether it is new (False: the same piece was given
    before)."""
    stored_type = check_upload(content_type, len(body))
    document_kind = _kind(kind)
    uow = ports.unit_of_work()
    _check_claim(uow, caller, claim_id, invoice_number)
    sha = hashlib.sha256(body).hexdigest()
    existing = _same(uow.documents.list_documents(caller.creditor_id, claim_id), sha,
                     document_kind, invoice_number)
    if existing is not None:
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
    return _record(claim_id, document_id, document_kind, invoice_number, stored_type,
                   stored.size, stored.sha256, stored.key, "direct", caller, ports)


def _record(claim_id: str, document_id: str, kind: DocumentKind, invoice_number: str | None,
            content_type: str, size: int, sha: str, key: str, channel: str,
            caller: Caller, ports: Ports) -> tuple[UploadedDocument, bool]:
    """The record and its timeline entry in one write (the bytes are already stored): a
    piece is never on the dossier without its trace, nor the trace without the piece."""

    def attempt() -> tuple[UploadedDocument, bool]:
        with ports.unit_of_work() as uow:
            change = _load(uow, ports, caller, claim_id)
            found = uow.documents.list_documents(caller.creditor_id, claim_id)
            # A twin request recorded it meanwhile (a retry, a completion sent twice).
            same = next((d for d in found if d.id == document_id), None) or _same(
                found, sha, kind, invoice_number)
            if same is not None:
                return same, False
            record = UploadedDocument(
                id=document_id, creditor_id=caller.creditor_id, claim_id=claim_id, kind=kind,
                content_type=content_type, size=size, sha256=sha, object_key=key,
                uploaded_at=change.claim.updated_at, uploaded_by=caller.actor,
                invoice_number=invoice_number)
            change.record(DocumentUploaded(
                document_id=document_id, kind=kind, content_type=content_type, size=size,
                sha256=sha, invoice=invoice_number, channel=channel))
            uow.documents.add_document(record)
            # No `ports`: a piece changes nothing the ladder's next step depends on.
            stage_change(uow, change)
            uow.commit()
        return record, True

    return run_retrying(attempt)


# ------------------------------------------------------------------ upload slots

# A slot is signed for a few minutes: S3 checks the expiry when the PUT starts, so a
# long transfer that started in time completes, and a leaked link soon opens nothing.
UPLOAD_SLOT_SECONDS = 300
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class UploadDraft:
    """What a client declares before sending a file too large for a request's body."""

    kind: str
    content_type: str
    size: int
    sha256: str
    invoice_number: str | None = None


@dataclass(frozen=True, slots=True)
class StartedUpload:
    """A slot to send the bytes to, or, when the same piece was given before, its record
    (nothing to send)."""

    upload_id: str | None
    slot: UploadSlot | None
    existing: UploadedDocument | None
    max_size: int


def _slots(ports: Ports) -> UploadSlots:
    store = _need(ports.documents, "document store")
    if not isinstance(store, UploadSlots):
        raise Unavailable("this document store takes no upload slot; send the file as "
                          f"the request's body (at most {MAX_DOCUMENT_BYTES} bytes)")
    return store


def _upload_id(document_id: str, content_type: str) -> str:
    # The type rides in the id, so completing finds the one key without listing the
    # bucket (no s3:ListBucket) and without a record of the pending upload.
    return f"{document_id}.{ALLOWED_CONTENT_TYPES[content_type]}"


def _parse_upload_id(upload_id: str) -> tuple[str, str]:
    document_id, _, extension = upload_id.rpartition(".")
    types = {ext: t for t, ext in ALLOWED_CONTENT_TYPES.items()}
    if (extension not in types or not document_id.startswith("doc_")
            or not document_id.replace("_", "").isalnum()):
        raise NotFound("upload", upload_id)
    return document_id, types[extension]


def start_upload(claim_id: str, draft: UploadDraft, caller: Caller,
                 ports: Ports) -> StartedUpload:
    """A signed slot for the declared bytes (their size, type and SHA-256 are in its
    signature), or the record of the same piece already given."""
    slots = _slots(ports)
    stored_type = media_type(draft.content_type)
    if stored_type not in ALLOWED_CONTENT_TYPES:
        raise DomainValidationError(
            "content_type", f"one of {', '.join(sorted(ALLOWED_CONTENT_TYPES))}",
            code="invalid_choice")
    if not 0 < draft.size <= slots.max_upload_bytes:
        raise DomainValidationError(
            "size", f"from 1 to {slots.max_upload_bytes} bytes", code="out_of_range")
    if not _SHA256.match(draft.sha256):
        raise DomainValidationError("sha256", "64 lowercase hexadecimal digits",
                                    code="invalid")
    document_kind = _kind(draft.kind)
    uow = ports.unit_of_work()
    _check_claim(uow, caller, claim_id, draft.invoice_number)
    existing = _same(uow.documents.list_documents(caller.creditor_id, claim_id),
                     draft.sha256, document_kind, draft.invoice_number)
    if existing is not None:
        return StartedUpload(None, None, existing, slots.max_upload_bytes)
    document_id = new_id("doc")
    key = document_key(caller.creditor_id, claim_id, document_id, stored_type)
    # The declaration travels with the bytes (signed metadata): completing needs no
    # record of its own. The invoice number is quoted: metadata is ASCII.
    metadata = {"claim": claim_id, "document": document_id, "kind": document_kind.value,
                "size": str(draft.size)}
    if draft.invoice_number is not None:
        metadata["invoice"] = quote(draft.invoice_number, safe="")
    slot = slots.upload_slot(key, stored_type, draft.size, draft.sha256, metadata,
                             UPLOAD_SLOT_SECONDS)
    return StartedUpload(_upload_id(document_id, stored_type), slot, None,
                         slots.max_upload_bytes)


def complete_upload(claim_id: str, upload_id: str, caller: Caller,
                    ports: Ports) -> tuple[UploadedDocument, bool]:
    """Check what reached the slot against what was declared (size, type, SHA-256 of the
    bytes read back) and record it as a direct upload is, with the same timeline entry
    and the same dedup. Completing again gives back the record."""
    slots = _slots(ports)
    document_id, content_type = _parse_upload_id(upload_id)
    uow = ports.unit_of_work()
    if uow.claims.get_claim(caller.creditor_id, claim_id) is None:
        raise NotFound("claim", claim_id)
    done = uow.documents.get_document(caller.creditor_id, claim_id, document_id)
    if done is not None:
        return done, False
    key = document_key(caller.creditor_id, claim_id, document_id, content_type)
    got = slots.received(key)
    if got is None:
        raise Conflict("nothing has reached this upload's slot yet: send the file with "
                       "the slot's method, URL and headers, then complete it",
                       field_path="upload_id")
    meta = got.metadata
    if meta.get("claim") != claim_id or meta.get("document") != document_id:
        raise NotFound("upload", upload_id)  # not a slot this claim's upload signed
    if media_type(got.content_type) != content_type:
        raise DomainValidationError("content_type", f"the file was sent as "
                                    f"{got.content_type or 'no type'}, not {content_type}",
                                    code="mismatch")
    if not 0 < got.size <= slots.max_upload_bytes or str(got.size) != meta.get("size"):
        raise DomainValidationError("size", f"{got.size} bytes received, "
                                    f"{meta.get('size')} declared", code="mismatch")
    if got.sha256 != meta.get("sha256"):
        raise DomainValidationError("sha256", "the bytes received are not the ones "
                                    "declared", code="mismatch")
    invoice = unquote(meta["invoice"]) if "invoice" in meta else None
    return _record(claim_id, document_id, _kind(meta.get("kind", "")), invoice, content_type,
                   got.size, got.sha256, key, "upload_slot", caller, ports)


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
