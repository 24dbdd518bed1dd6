"""Documents a creditor uploads for a claim (contract, terms of sale, order, delivery
proof, invoice): the pieces a court asks for beside the invoices (CPC 1407: the request
lists its exhibits in a bordereau). Stored write-once in the document store with their
SHA-256, so the dossier can prove a piece was not changed after it was given.

No file name is kept: a creditor's file names often carry the debtor's or a person's name,
and nothing needs them (the dossier names each piece by its number and kind)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from domain.claims.events import Event

# Through API Gateway and Lambda a request is at most 6 MB, base64 included for a binary
# body (4/3 of it): 4 MiB of file is what the HTTP function can always take. A larger one
# goes by a signed upload slot, up to the store's own maximum (a setting).
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024

# What a greffe or a commissaire opens without asking: PDF and the two image formats a
# phone scan gives.
ALLOWED_CONTENT_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class DocumentKind(StrEnum):
    CONTRACT = "contract"
    TERMS_OF_SALE = "terms_of_sale"
    ORDER = "order"
    DELIVERY_PROOF = "delivery_proof"
    INVOICE = "invoice"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class UploadedDocument:
    id: str
    creditor_id: str
    claim_id: str
    kind: DocumentKind
    content_type: str
    size: int
    sha256: str
    object_key: str
    uploaded_at: datetime
    uploaded_by: str
    invoice_number: str | None = None


def document_key(creditor_id: str, claim_id: str, document_id: str,
                 content_type: str) -> str:
    """Scoped by creditor and claim, as a letter's key is: a key names whose piece it is."""
    extension = ALLOWED_CONTENT_TYPES.get(content_type, "bin")
    return f"documents/{creditor_id}/{claim_id}/{document_id}.{extension}"


@dataclass(frozen=True, kw_only=True)
class DocumentUploaded(Event):
    """The timeline's trace of a piece given for the dossier, written with its record: a
    court may ask when a piece was given and whether it changed since (its SHA-256).
    Never its content, nor a file name (see the module's docstring); the invoice number
    is the creditor's own reference, already on the claim."""

    action: ClassVar[str] = "document_uploaded"
    document_id: str
    kind: DocumentKind
    content_type: str
    size: int
    sha256: str
    invoice: str | None = None
    # `direct` (the request's body) or `upload_slot` (sent to the store, then completed).
    channel: str = "direct"
