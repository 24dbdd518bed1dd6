"""Stores that are not repositories of an aggregate: rate tables, idempotency records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the rate tables are not needed at run time by the ports themselves
    from domain.amounts.rates import RateTables


class RateSource(Protocol):
    def rate_tables(self) -> RateTables:
        """The rate tables in force: the shipped data plus what the operator published."""
        ...


class RateStore(RateSource, Protocol):
    def document(self) -> dict[str, Any]:
        """The tables in force as a JSON document, each row with its source."""
        ...

    def publish(self, legal: list[dict[str, str]], ecb: list[dict[str, str]],
                ecb_known_through: str | None) -> dict[str, Any]:
        """Add or replace legal-rate half-years and ECB decisions.

        Raises
        ------
        ValueError
            The merged tables would be inconsistent (a half-year twice, a gap).
        """
        ...


class StoredResponse(Protocol):
    """An Idempotency-Key record as read back."""

    @property
    def request_hash(self) -> str: ...

    @property
    def status(self) -> str:
        """in_progress | completed | unknown"""
        ...

    @property
    def status_code(self) -> int: ...

    @property
    def body(self) -> bytes: ...

    @property
    def content_type(self) -> str: ...

    @property
    def headers(self) -> dict[str, str] | None: ...


class IdempotencyStore(Protocol):
    """Idempotency-Key records: claimed, then completed, released, or marked unknown."""

    def claim(self, scope: str, key: str, request_hash: str) -> StoredResponse | None:
        """Take the key for this request; return the existing record if someone has it."""
        ...

    def complete(self, scope: str, key: str, status_code: int, body: bytes,
                 content_type: str, headers: dict[str, str]) -> None: ...

    def mark_unknown(self, scope: str, key: str) -> None: ...

    def release(self, scope: str, key: str) -> None: ...
