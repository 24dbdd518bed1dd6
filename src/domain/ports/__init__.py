"""Ports: what the use cases need from the outside world, as Protocols: repositories
(`repositories`), the unit of work that commits them (`unit_of_work`), and stores
(`stores`: rate tables, idempotency records).

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
    InvalidCursor,
    Page,
    PageRequest,
)

__all__ = [
    "ApiKeyRepository",
    "ClaimFilter",
    "ClaimRepository",
    "Clock",
    "CreditorRepository",
    "DebtorRepository",
    "InvalidCursor",
    "Page",
    "PageRequest",
]
