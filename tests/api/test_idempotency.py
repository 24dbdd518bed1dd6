"""Idempotency-Key on POST: replay, conflicts, tenant scoping, failed requests."""

from __future__ import annotations

import json

from tests.api._helpers import (
    assert_problem,
    claim_body,
    invoice,
    request_hash,
    scan_table,
)
from tests.conftest import make_tenant, new_claim, new_debtor


def _claims(client, tenant):
    response = client.get("/v1/claims", headers=tenant.headers)
    assert response.status_code == 200
    return response.json()["items"]


def test_same_key_and_body_replays_the_first_response(client, tenant):
    debtor = new_debtor(client, tenant)
    headers = {**tenant.headers, "Idempotency-Key": "order-1"}
    body = claim_body(debtor["id"])
    first = client.post("/v1/claims", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    second = client.post("/v1/claims", json=body, headers=headers)
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == first.headers["etag"]
    assert [c["id"] for c in _claims(client, tenant)] == [first.json()["id"]]
    events = client.get(f"/v1/claims/{first.json()['id']}/events", headers=tenant.headers)
    assert [e["action"] for e in events.json()["items"]] == ["open"]


def test_replay_of_a_debtor_creates_one_debtor(client, tenant):
    headers = {**tenant.headers, "Idempotency-Key": "debtor-1"}
    body = {"kind": "business", "name": "Garage Dupont"}
    first = client.post("/v1/debtors", json=body, headers=headers)
    second = client.post("/v1/debtors", json=body, headers=headers)
    third = client.post("/v1/debtors", json=body, headers=headers)
    assert first.status_code == second.status_code == third.status_code == 201
    assert first.json() == second.json() == third.json()
    listed = client.get("/v1/debtors", headers=tenant.headers).json()["items"]
    assert [d["id"] for d in listed] == [first.json()["id"]]


def test_without_a_key_each_post_creates(client, tenant):
    body = {"kind": "business", "name": "Garage Dupont"}
    a = client.post("/v1/debtors", json=body, headers=tenant.headers)
    b = client.post("/v1/debtors", json=body, headers=tenant.headers)
    assert a.json()["id"] != b.json()["id"]


def test_same_key_with_another_body_is_422(client, tenant):
    debtor = new_debtor(client, tenant)
    headers = {**tenant.headers, "Idempotency-Key": "order-2"}
    first = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("F-1")),
                        headers=headers)
    assert first.status_code == 201
    other = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("F-2")),
                        headers=headers)
    assert_problem(other, 422)
    assert "idempotent-replayed" not in other.headers
    assert [c["id"] for c in _claims(client, tenant)] == [first.json()["id"]]
    # the key still replays its own request
    again = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("F-1")),
                        headers=headers)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_same_key_on_another_route_is_422(client, tenant):
    headers = {**tenant.headers, "Idempotency-Key": "shared"}
    assert client.post("/v1/debtors", json={"kind": "business", "name": "X"},
                       headers=headers).status_code == 201
    assert_problem(client.post("/v1/api-keys", json={"name": "x"}, headers=headers), 422)


def test_concurrent_duplicate_is_409(client, app, tenant):
    debtor = new_debtor(client, tenant)
    payload = json.dumps(claim_body(debtor["id"])).encode()
    store = app.state.idempotency
    # Another request with the same key and body is still running.
    assert store.claim(tenant.creditor_id, "order-3", request_hash("/v1/claims", payload)) is None
    headers = {**tenant.headers, "Idempotency-Key": "order-3",
               "Content-Type": "application/json"}
    response = client.post("/v1/claims", content=payload, headers=headers)
    assert_problem(response, 409)
    assert _claims(client, tenant) == []


def test_concurrent_duplicate_with_another_body_is_422(client, app, tenant):
    debtor = new_debtor(client, tenant)
    store = app.state.idempotency
    assert store.claim(tenant.creditor_id, "order-4", "0" * 64) is None
    response = client.post("/v1/claims", json=claim_body(debtor["id"]),
                           headers={**tenant.headers, "Idempotency-Key": "order-4"})
    assert_problem(response, 422)
    assert _claims(client, tenant) == []


def test_keys_are_scoped_per_creditor(client, tenant):
    other = make_tenant(client, "Autre SARL")
    body = {"kind": "business", "name": "Même nom", "external_reference": "C-1"}
    a = client.post("/v1/debtors", json=body, headers={**tenant.headers, "Idempotency-Key": "k"})
    b = client.post("/v1/debtors", json=body, headers={**other.headers, "Idempotency-Key": "k"})
    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]
    assert [d["id"] for d in client.get("/v1/debtors", headers=other.headers).json()["items"]] \
        == [b.json()["id"]]
    # and each still replays its own
    again = client.post("/v1/debtors", json=body,
                        headers={**tenant.headers, "Idempotency-Key": "k"})
    assert again.json()["id"] == a.json()["id"]


def test_a_failed_request_does_not_burn_the_key(client, tenant):
    debtor = new_debtor(client, tenant)
    headers = {**tenant.headers, "Idempotency-Key": "order-5"}
    bad = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(amount="12.345")),
                      headers=headers)
    assert_problem(bad, 422, "invoices[0].amount")
    fixed = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(amount="12.34")),
                        headers=headers)
    assert fixed.status_code == 201, fixed.text
    assert "idempotent-replayed" not in fixed.headers
    replay = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(amount="12.34")),
                         headers=headers)
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json()["id"] == fixed.json()["id"]


def test_a_400_or_409_does_not_burn_the_key(client, tenant):
    debtor = new_debtor(client, tenant)
    new_claim(client, tenant, debtor["id"], number="TAKEN")
    headers = {**tenant.headers, "Idempotency-Key": "order-6"}
    malformed = client.post("/v1/claims", content=b"{not json", headers={
        **headers, "Content-Type": "application/json"})
    assert_problem(malformed, 400)
    taken = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("TAKEN")),
                        headers=headers)
    assert_problem(taken, 409)
    ok = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("FREE")),
                     headers=headers)
    assert ok.status_code == 201, ok.text


def test_a_forbidden_request_does_not_burn_the_key(client, tenant):
    reader = client.post("/v1/api-keys", json={"name": "r", "scopes": ["read"]},
                         headers=tenant.headers).json()
    body = {"kind": "business", "name": "X"}
    denied = client.post("/v1/debtors", json=body,
                         headers={"X-API-Key": reader["secret"], "Idempotency-Key": "d-1"})
    assert_problem(denied, 403)
    allowed = client.post("/v1/debtors", json=body,
                          headers={**tenant.headers, "Idempotency-Key": "d-1"})
    assert allowed.status_code == 201, allowed.text


def test_actions_are_idempotent_too(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    headers = {**tenant.headers, "Idempotency-Key": "hold-1"}
    url = f"/v1/claims/{claim['id']}/actions/hold"
    first = client.post(url, json={"reason": "call back Monday"}, headers=headers)
    second = client.post(url, json={"reason": "call back Monday"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json() == second.json()
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    assert [e["action"] for e in events["items"]] == ["open", "hold"]


def test_invalid_idempotency_keys_are_400(client, tenant):
    body = {"kind": "business", "name": "X"}
    for key in ("x" * 256, "tab\there"):
        response = client.post("/v1/debtors", json=body,
                               headers={**tenant.headers, "Idempotency-Key": key})
        assert_problem(response, 400)
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []


def test_completed_record_keeps_the_response(client, ddb, tenant):
    headers = {**tenant.headers, "Idempotency-Key": "stored-1"}
    created = client.post("/v1/debtors", json={"kind": "business", "name": "X"}, headers=headers)
    records = [i for i in scan_table(ddb) if i.get("entity", {}).get("S") == "idempotency"]
    assert len(records) == 1
    assert records[0]["status"]["S"] == "completed"
    assert tenant.creditor_id in records[0]["PK"]["S"]
    assert bytes(records[0]["body"]["B"]) == created.content
