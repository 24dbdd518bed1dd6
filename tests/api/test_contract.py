"""The OpenAPI document tells the truth: explicit operation ids, every error a problem,
/health public; and a POST without its required body names the body."""

from __future__ import annotations

import re

import pytest

from api.http.openapi import document
from tests.api._helpers import PROBLEM, assert_problem

METHODS = {"get", "post", "put", "patch", "delete"}


def operations() -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, item in document()["paths"].items()
            for method, op in item.items() if method in METHODS]


def test_every_operation_has_an_explicit_unique_pascal_case_id() -> None:
    ids = [op.get("operationId", "") for _, _, op in operations()]
    for operation_id in ids:
        # Verb + noun, PascalCase; never Litestar's path-derived default (`V1Claims…`).
        assert re.fullmatch(r"(?:[A-Z][a-z]+){2,}", operation_id), operation_id
        assert not operation_id.startswith("V1"), operation_id
    assert len(ids) == len(set(ids)), sorted(ids)
    assert {"ListClaims", "OpenClaim", "ReadClaim", "RecordPayment", "ReversePayment",
            "ListClaimEvents", "ApplyClaimAction", "CreateDebtor"} <= set(ids)


def test_every_error_response_is_a_problem() -> None:
    schemas = document()["components"]["schemas"]
    for path, method, op in operations():
        for status, response in op["responses"].items():
            if status.startswith(("2", "3")):  # a success, or a redirect (no body)
                continue
            assert list(response["content"]) == [PROBLEM], (method, path, status)
            ref = response["content"][PROBLEM]["schema"]["$ref"].rsplit("/", 1)[-1]
            assert {"type", "title", "status", "detail"} <= set(schemas[ref]["required"])


def test_keyed_operations_document_auth_failures_and_bodies_their_limits() -> None:
    for path, method, op in operations():
        statuses = set(op["responses"])
        if path == "/health":
            continue
        if op.get("security") == []:  # a provider's callback: its secret, no scopes
            assert "401" in statuses, (method, path)
        else:
            assert {"401", "403"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if method in ("post", "patch"):
            assert {"400", "413"} <= statuses, (method, path)
        if method == "patch":
            assert {"412", "428"} <= statuses, (method, path)


def test_lifecycle_action_conflicts_say_what_is_allowed() -> None:
    doc = document()
    op = doc["paths"]["/v1/claims/{claim_id}/actions/{action}"]["post"]
    ref = op["responses"]["409"]["content"][PROBLEM]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"allowed_actions", "action", "state"} <= set(
        doc["components"]["schemas"][ref]["properties"])


def test_health_is_documented_as_public_and_is() -> None:
    doc = document()
    assert doc["security"] == [{"ApiKey": []}]
    assert doc["paths"]["/health"]["get"]["security"] == []
    assert doc["paths"]["/v1/claims"]["get"].get("security") is None  # the global key


def test_health_answers_without_a_key(client) -> None:
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/v1/debtors", "/v1/claims", "/v1/api-keys"])
@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_post_without_its_required_body_names_the_body(client, tenant, path,
                                                         content_type) -> None:
    headers = {**tenant.headers, **({"Content-Type": content_type} if content_type else {})}
    response = client.post(path, headers=headers, content=b"")
    body = assert_problem(response, 400, "body")
    assert body["errors"] == [
        {"field": "body", "message": "a JSON body is required", "source": "body"}]


def test_an_optional_body_may_still_be_absent(client, tenant) -> None:
    from tests.conftest import new_claim, new_debtor

    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    response = client.post(f"/v1/claims/{claim['id']}/actions/hold", headers=tenant.headers)
    assert response.status_code == 200, response.text
