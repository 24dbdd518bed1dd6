"""The port of mandates (domain.judicial.handoff): read by id (the recipient's key names
its mandate) and by claim (the creditor withdraws a claim by its id), written with the
claim they change in one atomic write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from domain.judicial.handoff import Mandate


class MandateRepository(Protocol):
    def get_mandate(self, creditor_id: str, mandate_id: str) -> Mandate | None: ...

    def add_mandate(self, mandate: Mandate) -> None:
        """Staged, with a link from each of its claims; Conflict when the id exists."""
        ...

    def save_mandate(self, mandate: Mandate, expected_version: int) -> None:
        """Staged; StaleVersion when the stored mandate is not at `expected_version`."""
        ...

    def link_claim(self, creditor_id: str, mandate_id: str, claim_id: str) -> None:
        """Staged: `mandates_of_claim(claim_id)` finds the mandate from now on (a claim
        added to a mandate after it was created)."""
        ...

    def mandates_of_claim(self, creditor_id: str, claim_id: str) -> list[Mandate]:
        """Every mandate the claim was ever handed off under, the oldest first."""
        ...
