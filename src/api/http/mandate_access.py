"""What a mandate's recipient's key may call, for every route of the app: a default-deny
guard, so a route added later is closed to recipients until it is listed here.

A recipient (domain.judicial.handoff) works the claims handed to it and nothing else: it
reads them (the claim, its timeline, statement, payments, promises, letters, the evidence
dossier), reports contacts, proposals (promises) and payments it collected, sends letters
(they carry the R124-4 mentions), and closes its mandate. A claim outside its mandate is
answered 404, as another creditor's is (it does not learn that the claim exists); a route
of the creditor's own (its debtors, settings, keys, lists, tasks) 403.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from api.http.auth import Principal
from domain.shared.errors import NotFound

# Operation ids (api.http.deps.operation) a recipient may call on a claim of its mandate.
RECIPIENT_OPERATIONS = frozenset({
    "ReadClaim", "ListClaimEvents", "ReadClaimStatement", "ListPayments", "ListPromises",
    "RecordPromise",  # a proposal the debtor made (R124-5)
    "RequestLetter", "ListLetters", "ReadLetter", "ReadLetterContent", "RenderLetterAgain",
    "DispatchLetter",
    "ReadHandoff", "RecordHandoffContact", "RecordCollectedPayment", "CloseHandoff",
})
# Routes named by their path under the claim, for operations other branches are building
# (the evidence dossier): a recipient reads it to work the claim.
RECIPIENT_CLAIM_PATHS = frozenset({("GET", "dossier")})


def mandate_scope(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
                  ) -> None:
    """App-wide guard: a creditor's key and the operator's pass (their own guards decide);
    a recipient's key passes only to the operations above, on its mandate's claims."""
    principal = connection.scope.get("auth")
    if not isinstance(principal, Principal) or principal.claim_ids is None:
        return
    claim_id = connection.path_params.get("claim_id")
    if claim_id is None:
        raise PermissionDeniedException(
            "a mandate's key reaches only the claims handed off under the mandate")
    if claim_id not in principal.claim_ids:
        raise NotFound("claim", str(claim_id))
    named = getattr(handler, "operation_id", None)  # HTTP handlers carry it
    operation_id = named if isinstance(named, str) else None
    prefix = f"/v1/claims/{claim_id}/"
    rest = connection.url.path[len(prefix):] if connection.url.path.startswith(prefix) else ""
    if (operation_id not in RECIPIENT_OPERATIONS
            and (connection.scope.get("method"), rest.strip("/")) not in RECIPIENT_CLAIM_PATHS):
        raise PermissionDeniedException(
            "a mandate's key may read the claim and report contacts, proposals, payments "
            "collected and letters; not this")
