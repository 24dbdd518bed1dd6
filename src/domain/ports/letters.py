"""The ports of the letters context: the letters on the table, the rendering engine, the
store the PDFs and proofs live in, the queue that feeds the letter worker, and the postal
provider that prints and posts them.

The HTTP function holds every port here except the renderer: WeasyPrint costs 0.7-0.8 s of
cold start, so only the letter worker builds one (api.bootstrap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from domain.shared.errors import Unavailable

if TYPE_CHECKING:  # content pulls in the statement's types: not needed to name them
    from domain.letters.content import LetterContent, Party
    from domain.letters.model import DispatchMode, Letter, ProofKind, TrackingEvent
    from domain.ports.repositories import Page


@dataclass(frozen=True, slots=True)
class DispatchRef:
    """Where a provider's job lives in Relance: found from the provider's own id, as a
    webhook names nothing else."""

    creditor_id: str
    claim_id: str
    letter_id: str
    provider: str
    provider_id: str


class LetterRepository(Protocol):
    def get_letter(self, creditor_id: str, claim_id: str,
                   letter_id: str) -> tuple[Letter, LetterContent] | None: ...

    def list_letters(self, creditor_id: str, claim_id: str) -> list[Letter]:
        """Every letter of the claim, the earliest requested first."""
        ...

    def add_letter(self, letter: Letter, content: LetterContent) -> None:
        """Staged; Conflict when the id exists."""
        ...

    def save_letter(self, letter: Letter, expected_version: int) -> None:
        """Staged; StaleVersion when the stored letter is not at `expected_version`."""
        ...

    def claim_of_reference(self, creditor_id: str, reference: str) -> str | None:
        """The claim a structured creditor reference (RF…) was printed for."""
        ...

    def add_reference(self, creditor_id: str, reference: str, claim_id: str) -> None:
        """Staged: `reference` belongs to `claim_id` (kept if it already does; Conflict if
        another claim of the creditor has it)."""
        ...

    def find_dispatch(self, provider: str, provider_id: str) -> DispatchRef | None: ...

    def track_dispatch(self, ref: DispatchRef, in_flight: bool, updated_at: datetime) -> None:
        """Staged: record or update the lookup from the provider's id, listed among the
        dispatches to reconcile while `in_flight`."""
        ...

    def dispatches_in_flight(self, provider: str, limit: int,
                             cursor: str | None) -> Page[DispatchRef]:
        """Dispatches not yet delivered or returned, the least recently updated first: what
        the poller asks the provider about. Reads grow with the letters in flight, not with
        the table (a sparse index)."""
        ...


@dataclass(frozen=True, slots=True)
class RenderedLetter:
    pdf: bytes
    pages: int


class LetterRenderer(Protocol):
    """Turns a letter's content into PDF bytes; the same content gives the same bytes."""

    @property
    def version(self) -> str:
        """The renderer and its engine, e.g. `relance-letters/1 weasyprint/70.0`."""
        ...

    def render(self, content: LetterContent) -> RenderedLetter: ...


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    metadata: Mapping[str, str]


class StorageFailed(Unavailable):
    """The store did not take or give the object (network, permissions, throttling):
    retryable; nothing was recorded."""


class AlreadyStored(Exception):
    """An object is already at the key: objects are written once and never overwritten."""

    def __init__(self, existing: StoredObject) -> None:
        super().__init__(f"{existing.key} is already stored")
        self.existing = existing


class DocumentStore(Protocol):
    """Private, encrypted, write-once storage for letters and their proofs."""

    def put_once(self, key: str, body: bytes, content_type: str,
                 metadata: Mapping[str, str]) -> StoredObject:
        """Store `body` at `key` unless something is there.

        Raises
        ------
        AlreadyStored
            An object is at the key already (its checksum and metadata are in the error).
        StorageFailed
            The store did not take it.
        """
        ...

    def read(self, key: str) -> bytes:
        """Raises StorageFailed."""
        ...

    def download_url(self, key: str, filename: str, expires_in: int) -> str:
        """A presigned GET, valid `expires_in` seconds."""
        ...


@dataclass(frozen=True, slots=True)
class RenderJob:
    creditor_id: str
    claim_id: str
    letter_id: str


class LetterQueue(Protocol):
    def enqueue(self, job: RenderJob) -> None:
        """Hand the job to the letter worker (SQS in AWS, a thread in `make run`)."""
        ...


@dataclass(frozen=True, slots=True)
class PostalJob:
    idempotency_key: str  # the provider prints once per key, however often it is sent
    mode: DispatchMode
    pdf: bytes
    sender: Party
    recipient: Party  # the address block as printed in the window
    letter_id: str
    # A consumer's recorded consent to electronic registered mail (CPCE R53-1).
    recipient_email: str | None = None


@dataclass(frozen=True, slots=True)
class PostalReceipt:
    provider_id: str
    accepted_at: datetime


@dataclass(frozen=True, slots=True)
class ProofFile:
    kind: ProofKind
    body: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class PostalUpdate:
    provider_id: str
    event: TrackingEvent
    proof: ProofFile | None = None


class PostalRefused(Exception):
    """The provider refused the job for good (an address it cannot print, a mode it does
    not offer): the letter is not posted; the reason is safe to show the caller."""


class PostalUnavailable(Unavailable):
    """The provider could not be reached or answered an error worth retrying."""


class PostalAlreadyAccepted(Exception):
    """The provider already holds a job under this idempotency key but will not say which:
    the letter went, and must be matched by hand; retrying would never succeed."""


class WebhookRejected(Exception):
    """A webhook that does not authenticate or cannot be read: answered 401 or 400."""


class PostalProvider(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, job: PostalJob) -> PostalReceipt:
        """Raises PostalRefused or PostalUnavailable."""
        ...

    def updates(self, provider_id: str) -> list[PostalUpdate]:
        """Every status the provider knows for the job (the poller's reconciliation).
        Raises PostalUnavailable."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[PostalUpdate]:
        """The updates a status callback carries. Raises WebhookRejected."""
        ...
