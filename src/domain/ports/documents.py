"""The port of the documents a creditor uploads for a claim: their records on the table.
The bytes live in the document store (domain.ports.letters.DocumentStore), written once;
a file too large for the HTTP function goes to it by a signed slot (UploadSlots). The
dossier reads them in chunks and stores its archive from a file (StreamedDocuments),
written on scratch space (DossierArchive), so no piece is held whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from domain.judicial.documents import UploadedDocument
    from domain.judicial.dossier import DossierFile
    from domain.ports.letters import StoredObject

# The largest chunk a streamed read gives: what one piece costs in memory at a time.
CHUNK_BYTES = 1024 * 1024


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


@runtime_checkable
class StreamedDocuments(Protocol):
    """A document store that gives an object in chunks and takes one from a file, so a
    dossier of many 25 MiB pieces is read and stored in bounded memory. Kept apart from
    domain.ports.letters.DocumentStore, as UploadSlots is."""

    def read_chunks(self, key: str) -> Iterator[bytes]:
        """The object's bytes in order, each chunk at most CHUNK_BYTES. Raises StorageFailed
        (at the first chunk when nothing is at the key, or midway)."""
        ...

    def put_once_file(self, key: str, body: IO[bytes], size: int, sha256: str,
                      content_type: str, metadata: Mapping[str, str]) -> StoredObject:
        """`put_once` of the `size` bytes `body` reads from where it stands, whose SHA-256
        is `sha256`: the store checks it (other bytes are refused, StorageFailed).

        Raises AlreadyStored or StorageFailed, as put_once."""
        ...


@dataclass(frozen=True, slots=True)
class WrittenArchive:
    """An archive written on scratch space: its size, its SHA-256 and the file, at its
    start, to store it from."""

    size: int
    sha256: str
    file: IO[bytes]


class DossierArchive(Protocol):
    """Scratch space (a Lambda's /tmp) a dossier's archive is written in, used once as a
    context manager: leaving it deletes what it holds."""

    def __enter__(self) -> DossierArchive: ...

    def __exit__(self, *exc: object) -> None: ...

    def keep(self, chunks: Iterable[bytes]) -> object:
        """Writes a stored piece's chunks as they come; where they are (its own handle, for
        domain.judicial.dossier.StoredBytes.ref)."""
        ...

    def write(self, files: Sequence[DossierFile]) -> WrittenArchive:
        """The archive of `files`, deterministic (the same files, the same bytes); a piece
        read as a stream (DossierFile.stored) taken back from where `keep` put it."""
        ...
