"""Helpers shared by the API tests (fixtures live in tests/conftest.py)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from tests.conftest import TABLE, Tenant

PROBLEM = "application/problem+json"


def invoice(number: str = "F-001", *, issue: str = "2026-01-15", due: str = "2026-02-15",
            amount: str = "1200.00") -> dict[str, Any]:
    return {"number": number, "issue_date": issue, "due_date": due, "amount": amount}


def claim_body(debtor_id: str, *invoices: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {"debtor_id": debtor_id, "currency": "EUR",
            "invoices": list(invoices) or [invoice()], **overrides}


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """An RFC 9457 problem with `status`; each of `fields` is named in its `errors`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    for member in ("type", "title", "status", "detail"):
        assert member in body, body
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    if fields:
        named = [e["field"] for e in body.get("errors", [])]
        for field in fields:
            assert field in named, (field, body)
    return dict(body)


def error_fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def scan_table(ddb: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": TABLE}
    while True:
        page = ddb.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def table_text(ddb: Any) -> str:
    """Every stored attribute, strings and binaries decoded, as one searchable text."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, bytes | bytearray):
            parts.append(bytes(value).decode("utf-8", "replace"))
        else:
            parts.append(str(value))

    walk(scan_table(ddb))
    return "\n".join(parts)


def forge_cursor(plain: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


def read_cursor(cursor: str) -> dict[str, str]:
    return dict(json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==")))


def request_hash(path: str, body: bytes, query: bytes = b"") -> str:
    """How the idempotency middleware fingerprints a request (path, query and body)."""
    digest = hashlib.sha256()
    for part in (path.encode(), b"?", query, b"\n", body):
        digest.update(part)
    return digest.hexdigest()


def key_id_of(client: Any, tenant: Tenant) -> str:
    """The id of the tenant's (admin) key, found through the key listing by its prefix."""
    listed = client.get("/v1/api-keys", headers=tenant.headers)
    assert listed.status_code == 200, listed.text
    matches = [k["id"] for k in listed.json()["items"] if tenant.key.startswith(k["prefix"])]
    assert len(matches) == 1, listed.json()
    return str(matches[0])


def issue_key(client: Any, tenant: Tenant, *scopes: str, name: str = "extra") -> dict[str, Any]:
    response = client.post("/v1/api-keys", json={"name": name, "scopes": list(scopes)},
                           headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())
