"""The JSON shapes of uploaded documents and of the dossier's answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import Input, Output

if TYPE_CHECKING:
    from domain.judicial.documents import UploadedDocument

DocumentKindName = Annotated[
    Literal["contract", "terms_of_sale", "order", "delivery_proof", "invoice", "other"],
    Meta(description="What the piece is: it decides its place in the dossier's bordereau "
                     "(CPC 1407): contract, terms of sale, order, delivery proof, invoice, "
                     "other")]
CourtTypeName = Annotated[
    Literal["TC", "TJ"],
    Meta(description="The court of the injonction de payer: `TC` tribunal de commerce "
                     "(Cerfa 12946*02), `TJ` tribunal judiciaire (Cerfa 12948*06). Default: "
                     "TC for a business debtor with a SIREN, else TJ (to be checked)")]


ContentTypeName = Literal["application/pdf", "image/png", "image/jpeg"]


class DocumentOut(Output):
    id: str
    claim_id: str
    kind: DocumentKindName
    invoice_number: str | None
    content_type: ContentTypeName
    size: int
    sha256: Annotated[str, Meta(description="SHA-256 of the stored bytes, hex")]
    uploaded_at: datetime
    uploaded_by: str

    @classmethod
    def of(cls, d: UploadedDocument) -> DocumentOut:
        return cls(id=d.id, claim_id=d.claim_id, kind=d.kind.value,
                   invoice_number=d.invoice_number,
                   content_type=d.content_type,  # type: ignore[arg-type]
                   size=d.size, sha256=d.sha256, uploaded_at=d.uploaded_at,
                   uploaded_by=d.uploaded_by)


class DocumentList(Output):
    items: list[DocumentOut]


class DocumentDetail(DocumentOut, kw_only=True):
    download_url: Annotated[str, Meta(
        description="A presigned link to the stored bytes, valid `expires_in` seconds")]
    expires_in: int


class UploadCreate(Input):
    """A file too large for a request's body, declared before it is sent to the store."""

    kind: DocumentKindName
    content_type: ContentTypeName
    size: Annotated[int, Meta(ge=1, description="The file's exact size in bytes, at most "
                              "`max_size` (a setting, 25 MiB by default)")]
    sha256: Annotated[str, Meta(pattern="^[0-9a-f]{64}$", description=(
        "SHA-256 of the file, lowercase hex: the store refuses other bytes"))]
    invoice_number: Annotated[str, Meta(min_length=1, max_length=64)] | None = None


class UploadSlotOut(Output):
    upload_id: Annotated[str, Meta(description="Opaque; complete the upload with it")]
    method: Literal["PUT"]
    url: Annotated[str, Meta(description="Where to send the file's bytes, as the body")]
    headers: Annotated[dict[str, str], Meta(description=(
        "Send every one as given: the signature covers them (with Content-Length)"))]
    expires_in: Annotated[int, Meta(description="Seconds the slot may be started in")]
    max_size: int
    complete_url: str
