"""Ports: what the use cases need from the outside world, as Protocols.

Adapters in `src/adapters` implement them on AWS; `tests/fakes.py` implements them in
memory.
"""

from domain.ports.repositories import (
    ApiKeyRepository,
    ClaimFilter,
    ClaimRepository,
    Clock,
    CreditorRepository,
    DebtorRepository,
    Page,
    PageRequest,
    Repository,
)

__all__ = [
    "ApiKeyRepository",
    "ClaimFilter",
    "ClaimRepository",
    "Clock",
    "CreditorRepository",
    "DebtorRepository",
    "Page",
    "PageRequest",
    "Repository",
]
