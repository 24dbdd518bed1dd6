"""The committed openapi.json is what the app generates (`make openapi` refreshes it)."""

from __future__ import annotations

import json
from pathlib import Path

from api.http.openapi import document

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    generated = json.loads(json.dumps(document(), sort_keys=True))
    committed = json.loads(COMMITTED.read_text())
    assert committed == generated, "openapi.json is stale: run `make openapi` and commit it"


def test_openapi_is_3_1_and_documents_the_contract() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    for path in ("/v1/claims", "/v1/claims/{claim_id}", "/v1/claims/{claim_id}/events",
                 "/v1/debtors", "/v1/debtors/{debtor_id}", "/v1/creditor", "/v1/api-keys",
                 "/v1/admin/creditors"):
        assert path in paths, path
    assert "ApiKey" in doc["components"]["securitySchemes"]
    amount = doc["components"]["schemas"]["InvoiceBody"]["properties"]["amount"]
    assert amount["type"] == "string"


def test_docs_are_served(client) -> None:
    assert client.get("/schema/openapi.json").json()["info"]["title"] == "Relance API"
    assert client.get("/schema/").status_code == 200
