"""The port of a claim's judicial proceedings: the one under way (the latest started), and
every one it had (a rejected order may be followed by an assignation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from domain.judicial.proceedings import Proceeding


class ProceedingRepository(Protocol):
    def current_proceeding(self, creditor_id: str, claim_id: str) -> Proceeding | None:
        """The claim's latest proceeding, None when it never had one."""
        ...

    def list_proceedings(self, creditor_id: str, claim_id: str) -> list[Proceeding]:
        """Every proceeding of the claim, the first started first."""
        ...

    def add_proceeding(self, proceeding: Proceeding) -> None:
        """Staged; Conflict when its number (`Proceeding.number`) is taken on the claim."""
        ...

    def save_proceeding(self, proceeding: Proceeding, expected_version: int) -> None:
        """Staged; StaleVersion when the stored one is not at `expected_version`."""
        ...
