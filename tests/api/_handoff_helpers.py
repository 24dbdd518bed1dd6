"""Shared by the hand-off API tests: a mandate's body and a recipient's headers."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

POSTAL = {"kind": "postal_address", "address": {
    "recipient": "Boulangerie Martin SAS", "lines": ["12 rue de la Paix"],
    "postal_code": "75002", "city": "Paris"}}


def mandate_body(**overrides: Any) -> dict[str, Any]:
    return {
        "recipient": {"kind": "agency", "name": "Recouvrement Rhône SAS",
                      "address": {"lines": ["4 quai Perrache"], "postal_code": "69002",
                                  "city": "Lyon"}},
        "reference": "MDT-2026-007", "document": SHA,
        "insurance": "RC professionnelle Hiscox n° HX-4471",
        "commission": {"rate": "12.5"}, "signed_on": "2026-03-09", **overrides}


def hand_off(client: Any, tenant: Tenant, claim_id: str, **body: Any) -> Any:
    return client.post(f"/v1/claims/{claim_id}/handoff", json=body or mandate_body(),
                       headers=tenant.headers)


def recipient(secret: str) -> dict[str, str]:
    return {"X-API-Key": secret}
