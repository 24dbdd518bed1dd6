"""The use cases, one module per context: creditors, debtors, claims and amounts.

Each use case loads what it changes through the ports, asks the model, and stores the
change in one atomic write; it never touches HTTP or AWS. `amounts` (statements,
payments, promises, plans) is imported by its callers when they need it: it pulls in the
ledger and the rate tables, which a function serving claim reads does not load.
"""

from domain.creditors.keys import SCOPES, hash_secret
from domain.services.caller import Caller, Ports
from domain.services.claims import (
    ActionRequest,
    ClaimDraft,
    InvoiceDraft,
    apply_action,
    create_claim,
    get_claim,
)
from domain.services.creditors import (
    CreditorDraft,
    IssuedApiKey,
    create_creditor,
    get_creditor,
    issue_api_key,
    revoke_api_key,
    update_creditor,
)
from domain.services.debtors import (
    ContactPointDraft,
    DebtorDraft,
    create_debtor,
    get_debtor,
    revalidate_debtor,
    update_debtor,
)

__all__ = [
    "SCOPES",
    "ActionRequest",
    "Caller",
    "ClaimDraft",
    "ContactPointDraft",
    "CreditorDraft",
    "DebtorDraft",
    "InvoiceDraft",
    "IssuedApiKey",
    "Ports",
    "apply_action",
    "create_claim",
    "create_creditor",
    "create_debtor",
    "get_claim",
    "get_creditor",
    "get_debtor",
    "hash_secret",
    "issue_api_key",
    "revalidate_debtor",
    "revoke_api_key",
    "update_creditor",
    "update_debtor",
]
