"""The unit of work: every change commits as one atomic write through one object.

Repositories read at once and *stage* their writes on the unit of work; `commit()` sends
them together (one DynamoDB TransactWriteItems), and is the one place that turns a failed
condition into a Conflict or a StaleVersion, and refuses a change too big for one
transaction. Effects that cannot join the transaction (a schedule, a queue message, an
outbound event) are registered with `after_commit` and run only once the commit succeeded.
Leaving the `with` block without committing discards what was staged.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from domain.ports.documents import UploadedDocumentRepository
from domain.ports.handoff import MandateRepository
from domain.ports.letters import LetterRepository
from domain.ports.policies import PolicyRepository
from domain.ports.proceedings import ProceedingRepository
from domain.ports.repositories import (
    ApiKeyRepository,
    ClaimRepository,
    CreditorRepository,
    DebtorRepository,
)
from domain.ports.tasks import TaskRepository
from domain.ports.watch import WatchRepository
from domain.shared.errors import DomainValidationError

# DynamoDB's limits on one TransactWriteItems: a change past them is refused as input.
MAX_ACTIONS_PER_COMMIT = 100
MAX_BYTES_PER_COMMIT = 4 * 1024 * 1024
MAX_BYTES_PER_ITEM = 400 * 1024


def refuse_oversized(actions: int, size: int, field: str) -> None:
    """Refuse, as input naming `field`, a change past one transaction's limits: DynamoDB
    would refuse it with a ValidationException, which is a 500 unless caught here."""
    if actions > MAX_ACTIONS_PER_COMMIT:
        raise DomainValidationError(
            field, f"this change needs {actions} writes; one atomic write takes at most "
            f"{MAX_ACTIONS_PER_COMMIT}", code="too_many_changes")
    if size > MAX_BYTES_PER_COMMIT:
        raise DomainValidationError(field, "this change is over 4 MB, the most one atomic "
                                    "write takes", code="too_large")


def too_large(field: str) -> DomainValidationError:
    """One object past the 400 KB a stored item may hold."""
    return DomainValidationError(field or "body", "too much data to store in one object "
                                 "(400 KB at most)", code="too_large")


class UnitOfWork(Protocol):
    @property
    def creditors(self) -> CreditorRepository: ...

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def debtors(self) -> DebtorRepository: ...

    @property
    def claims(self) -> ClaimRepository: ...

    @property
    def letters(self) -> LetterRepository: ...

    @property
    def policies(self) -> PolicyRepository: ...

    @property
    def tasks(self) -> TaskRepository: ...

    @property
    def documents(self) -> UploadedDocumentRepository: ...

    @property
    def mandates(self) -> MandateRepository: ...

    @property
    def proceedings(self) -> ProceedingRepository: ...

    @property
    def watch(self) -> WatchRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Discard whatever was staged and not committed."""
        ...

    def commit(self) -> None:
        """Write everything staged, atomically, then run the after-commit effects.

        Raises
        ------
        Conflict
            A uniqueness rule failed (an invoice number, an external reference).
        StaleVersion
            An object changed since it was read.
        DomainValidationError
            The change passes 100 actions or 4 MB, or one item passes 400 KB (`too_large`).
        """
        ...

    def after_commit(self, effect: Callable[[], None]) -> None:
        """Run `effect` once the commit has succeeded (never if it fails or is skipped)."""
        ...
