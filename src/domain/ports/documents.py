"""The port of the documents a creditor uploads for a claim: their records on the table.
The bytes live in the document store (domain.ports.letters.DocumentStore), written once;
a file too large for the HTTP function goes to it by a signed slot (UploadSlots)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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


@dataclass(frozen=True, slots=True)
class UploadSlot:
    """Where and how the client sends a document's bytes itself, bypassing the HTTP
    function: a request whose method, URL and every header are signed, so the store takes
    only those bytes (their SHA-256 and size are in the signature) and only until
    `expires_in` seconds have passed."""

    method: str
    url: str
    headers: Mapping[str, str]
    expires_in: int


@dataclass(frozen=True, slots=True)
class ReceivedObject:
    """What the store holds at a slot's key once the client has sent it: its size, its
    type and the SHA-256 of the bytes as read back (never the one declared)."""

    size: int
    content_type: str
    sha256: str
    metadata: Mapping[str, str]


@runtime_checkable
class UploadSlots(Protocol):
    """A document store that can take a file the HTTP function cannot carry (above the
    Lambda payload limit). Kept apart from domain.ports.letters.DocumentStore, which the
    letters own: a store without it leaves only the direct upload."""

    # The largest file a slot is signed for (a setting: RELANCE_UPLOAD_MAX_BYTES).
    max_upload_bytes: int

    def upload_slot(self, key: str, content_type: str, size: int, sha256: str,
                    metadata: Mapping[str, str], expires_in: int) -> UploadSlot:
        """A signed write of exactly these bytes at `key`, once (it never overwrites)."""
        ...

    def received(self, key: str) -> ReceivedObject | None:
        """The object at `key` with the SHA-256 of its bytes, None when nothing came."""
        ...
