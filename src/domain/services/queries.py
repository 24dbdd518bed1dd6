"""The read side: lists, timelines and accounts, straight from the repositories.

Reads change nothing, so they need no transaction and no aggregate logic; routes ask
here rather than reaching for a repository (cosmicpython's views, the AWS sample's query
service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from domain.claims.model import Claim, ClaimEvent
from domain.creditors.model import ApiKey
from domain.debtors.model import Debtor
from domain.ports.repositories import ClaimFilter, Page, PageRequest
from domain.services.caller import Caller, Ports
from domain.shared.errors import NotFound

if TYPE_CHECKING:  # the account pulls in the ledger: not on the path of a claim read
    from domain.amounts.account import ClaimAccount
    from domain.ports.unit_of_work import UnitOfWork

T = TypeVar("T")


def of_claim(items: list[T], uow: UnitOfWork, caller: Caller, claim_id: str) -> list[T]:
    """A claim's list (its letters, its documents), or NotFound for no claim: only an empty
    list costs the read that tells "none yet" from "no such claim"."""
    if not items and uow.claims.get_claim(caller.creditor_id, claim_id) is None:
        raise NotFound("claim", claim_id)
    return items


def list_claims(filters: ClaimFilter, page: PageRequest, caller: Caller,
                ports: Ports) -> Page[Claim]:
    return ports.unit_of_work().claims.list_claims(caller.creditor_id, filters, page)


def claim_events(claim_id: str, page: PageRequest, caller: Caller,
                 ports: Ports) -> Page[ClaimEvent]:
    """The claim's timeline, oldest first; 404 rather than an empty page for no claim."""
    uow = ports.unit_of_work()
    result = uow.claims.list_events(caller.creditor_id, claim_id, page)
    if not result.items and page.cursor is None \
            and uow.claims.get_claim(caller.creditor_id, claim_id) is None:
        raise NotFound("claim", claim_id)
    return result


def claim_account(claim_id: str, caller: Caller, ports: Ports) -> tuple[Claim, ClaimAccount]:
    found = ports.unit_of_work().claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    return found


def list_debtors(page: PageRequest, caller: Caller, ports: Ports) -> Page[Debtor]:
    return ports.unit_of_work().debtors.list_debtors(caller.creditor_id, page)


def list_api_keys(caller: Caller, ports: Ports) -> list[ApiKey]:
    return ports.unit_of_work().api_keys.list_api_keys(caller.creditor_id)


def find_api_key(secret_hash: str, ports: Ports) -> ApiKey | None:
    """The key whose secret hashes to `secret_hash` (authentication)."""
    return ports.unit_of_work().api_keys.find_api_key(secret_hash)
