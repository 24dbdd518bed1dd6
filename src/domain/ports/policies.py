"""The escalation policies' repository: a creditor's ladders, each stored whole with every
earlier version of its steps (a claim follows the version it started with), and which one
is the creditor's default (the ladder new claims start on).

Reads answer at once; writes are staged on the unit of work like every repository's.
"""

from __future__ import annotations

from typing import Protocol

from domain.escalation.policy import Policy

# The id of the shipped ladder, and the default of a creditor that never chose one.
DEFAULT_POLICY_ID = "default"


class PolicyRepository(Protocol):
    def get_policy(self, creditor_id: str, policy_id: str) -> Policy | None:
        """The stored policy of that id (never the shipped ladder: the use cases add it)."""
        ...

    def list_policies(self, creditor_id: str) -> list[Policy]:
        """Every stored policy of the creditor, by id."""
        ...

    def add_policy(self, policy: Policy) -> None:
        """Raises Conflict (at commit) when the creditor already has a policy of that id."""
        ...

    def save_policy(self, policy: Policy, expected_version: int) -> None:
        """Raises StaleVersion (at commit) unless the stored version is `expected_version`;
        DomainValidationError `too_large` when its history passes 400 KB."""
        ...

    def default_policy_id(self, creditor_id: str) -> str | None:
        """The policy the creditor chose as its default; None when it never chose (then
        DEFAULT_POLICY_ID is)."""
        ...

    def set_default_policy(self, creditor_id: str, policy_id: str,
                           previous: str | None) -> None:
        """Make `policy_id` the default, only if the choice is still `previous` (None: never
        chose); StaleVersion at commit otherwise, so that two changes never both win."""
        ...
