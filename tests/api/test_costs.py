"""DynamoDB round trips per API operation, measured with the `calls` fixture (a botocore
hook on the test client: every API call the app makes is recorded by operation name).

Each test sets up, warms the API-key cache with one request, resets the counter, then
makes exactly one request and compares the recorded list with what the code is meant to do.
"""

from __future__ import annotations

import pytest

from tests.api._helpers import claim_body, invoice
from tests.conftest import new_claim, new_debtor

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@pytest.fixture
def setup(client, tenant, calls):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    assert client.get("/v1/creditor", headers=tenant.headers).status_code == 200  # warm key
    calls.reset()
    return debtor, claim


def test_get_claim_is_one_getitem(client, tenant, calls, setup):
    _, claim = setup
    response = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers)
    assert response.status_code == 200
    assert calls.calls == ["GetItem"]  # the claim; the API key came from the cache


def test_cold_api_key_adds_one_getitem(client, app, tenant, calls, setup):
    _, claim = setup
    app.state.authenticator.cache.clear()
    response = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers)
    assert response.status_code == 200
    assert calls.calls == ["GetItem", "GetItem"]  # the key by its hash, then the claim
    calls.reset()
    assert client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).status_code == 200
    assert calls.calls == ["GetItem"]  # cached again


def test_unknown_key_costs_one_lookup_then_is_cached(client, calls, setup):
    headers = {"X-API-Key": "rlk_unknown"}
    assert client.get("/v1/claims", headers=headers).status_code == 401
    assert calls.calls == ["GetItem"]
    calls.reset()
    assert client.get("/v1/claims", headers=headers).status_code == 401
    assert calls.calls == []  # a flood of bad keys does not hammer the table


def test_post_claim_is_one_write_transaction(client, tenant, calls, setup):
    debtor, _ = setup
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("N-1"), invoice("N-2"), external_reference="DOS-9"),
        headers=tenant.headers)
    assert response.status_code == 201, response.text
    # One batch read of the debtor (must exist in this tenant) and the creditor (its time
    # zone decides whether the claim is pre_due), then one transaction: claim + first
    # event + one uniqueness item per invoice number + one for the external reference.
    assert calls.calls == ["BatchGetItem", "TransactWriteItems"]
    assert [c for c in calls.calls if c in WRITES] == ["TransactWriteItems"]


def test_post_claim_with_idempotency_key(client, tenant, calls, setup):
    debtor, _ = setup
    headers = {**tenant.headers, "Idempotency-Key": "cost-1"}
    body = claim_body(debtor["id"], invoice("N-1"))
    assert client.post("/v1/claims", json=body, headers=headers).status_code == 201
    # Claim the key (conditional put), the request itself, then keep the response.
    assert calls.calls == ["PutItem", "BatchGetItem", "TransactWriteItems", "UpdateItem"]
    calls.reset()
    replay = client.post("/v1/claims", json=body, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    # A replay is one failed conditional put that returns the stored record.
    assert calls.calls == ["PutItem"]


def test_refused_claim_writes_nothing_more(client, tenant, calls, setup):
    debtor, claim = setup
    number = claim["invoices"][0]["number"]
    response = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(number)),
                           headers=tenant.headers)
    assert response.status_code == 409
    assert calls.calls == ["BatchGetItem", "TransactWriteItems"]  # the cancelled one


def test_invalid_claim_costs_nothing(client, tenant, calls, setup):
    debtor, _ = setup
    response = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(amount="1.001")),
                           headers=tenant.headers)
    assert response.status_code == 422
    assert calls.calls == []


@pytest.mark.parametrize("query", ["", "?phase=amicable", "?due_after=2026-01-01",
                                   "?limit=1", "?phase=amicable&due_before=2026-12-31"])
def test_a_page_of_claims_is_one_query(client, tenant, calls, setup, query):
    response = client.get(f"/v1/claims{query}", headers=tenant.headers)
    assert response.status_code == 200
    assert calls.calls == ["Query"]


def test_a_page_of_claims_by_debtor_is_one_query(client, tenant, calls, setup):
    debtor, _ = setup
    response = client.get(f"/v1/claims?debtor_id={debtor['id']}&phase=amicable",
                          headers=tenant.headers)
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    assert calls.calls == ["Query"]


def test_next_page_is_one_query(client, tenant, calls, setup):
    debtor, _ = setup
    new_claim(client, tenant, debtor["id"], number="F-2")
    first = client.get("/v1/claims?limit=1", headers=tenant.headers).json()
    calls.reset()
    assert client.get(f"/v1/claims?limit=1&cursor={first['next_cursor']}",
                      headers=tenant.headers).status_code == 200
    assert calls.calls == ["Query"]


def test_events_page_is_one_query(client, tenant, calls, setup):
    _, claim = setup
    assert client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).status_code \
        == 200
    assert calls.calls == ["Query"]


def test_action_is_one_read_and_one_transaction(client, tenant, calls, setup):
    _, claim = setup
    response = client.post(f"/v1/claims/{claim['id']}/actions/hold", headers=tenant.headers)
    assert response.status_code == 200
    assert calls.calls == ["GetItem", "TransactWriteItems"]


def test_get_debtor_is_one_getitem_and_a_page_one_query(client, tenant, calls, setup):
    debtor, _ = setup
    assert client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).status_code == 200
    assert calls.calls == ["GetItem"]
    calls.reset()
    assert client.get("/v1/debtors", headers=tenant.headers).status_code == 200
    assert calls.calls == ["Query"]


def test_post_debtor_is_one_write(client, tenant, calls, setup):
    response = client.post("/v1/debtors", json={"kind": "business", "name": "X",
                                                "external_reference": "R-1"},
                           headers=tenant.headers)
    assert response.status_code == 201
    assert calls.calls == ["TransactWriteItems"]
