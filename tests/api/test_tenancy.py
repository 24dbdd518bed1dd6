"""Tenancy: another creditor's objects are invisible (404, never 403) and never listed."""

from __future__ import annotations

import pytest

from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import make_tenant, new_claim, new_debtor

ACTIONS = ["hold", "resume", "open_dispute", "resolve_dispute", "cancel", "write_off", "transfer",
           "reopen", "start_judicial"]
# What each action needs besides a reason, for a request that is well formed.
NEEDS = {"transfer": {"to": "agency"}, "start_judicial": {"route": "injonction_de_payer"}}


@pytest.fixture
def two(client, tenant):
    other = make_tenant(client, "Plomberie Durand SARL")
    debtor = new_debtor(client, tenant, external_reference="CUST-1")
    claim = new_claim(client, tenant, debtor["id"])
    return tenant, other, debtor, claim


def test_foreign_debtor_is_404_on_read_and_patch(client, two):
    a, b, debtor, _ = two
    assert_problem(client.get(f"/v1/debtors/{debtor['id']}", headers=b.headers), 404)
    response = client.patch(f"/v1/debtors/{debtor['id']}", json={"name": "Pirate"},
                            headers={**b.headers, "If-Match": f'"{debtor["version"]}"'})
    assert_problem(response, 404)
    response = client.patch(f"/v1/debtors/{debtor['id']}", json={"name": "Pirate"},
                            headers={**b.headers, "If-Match": "*"})
    assert_problem(response, 404)
    assert client.get(f"/v1/debtors/{debtor['id']}", headers=a.headers).json() == debtor


def test_foreign_claim_is_404_on_read_and_events(client, two):
    a, b, _, claim = two
    assert_problem(client.get(f"/v1/claims/{claim['id']}", headers=b.headers), 404)
    assert_problem(client.get(f"/v1/claims/{claim['id']}/events", headers=b.headers), 404)
    assert client.get(f"/v1/claims/{claim['id']}", headers=a.headers).status_code == 200


@pytest.mark.parametrize("action", ACTIONS)
def test_foreign_claim_actions_are_404_and_change_nothing(client, two, action):
    a, b, _, claim = two
    response = client.post(f"/v1/claims/{claim['id']}/actions/{action}",
                           json={"reason": "hostile", **NEEDS.get(action, {})},
                           headers=b.headers)
    assert_problem(response, 404)
    assert client.get(f"/v1/claims/{claim['id']}", headers=a.headers).json() == claim
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=a.headers).json()["items"]
    assert [e["action"] for e in events] == ["open"]


def test_lists_never_show_another_tenants_items(client, two):
    a, b, debtor, claim = two
    own_debtor = new_debtor(client, b)
    own_claim = new_claim(client, b, own_debtor["id"])
    debtors = client.get("/v1/debtors", headers=b.headers).json()
    assert [d["id"] for d in debtors["items"]] == [own_debtor["id"]]
    claims = client.get("/v1/claims", headers=b.headers).json()
    assert [c["id"] for c in claims["items"]] == [own_claim["id"]]
    for query in (f"debtor_id={debtor['id']}", "phase=amicable", "due_after=2000-01-01",
                  f"debtor_id={debtor['id']}&phase=amicable"):
        listed = client.get(f"/v1/claims?{query}", headers=b.headers).json()["items"]
        assert claim["id"] not in [c["id"] for c in listed], query
    # and tenant A sees only its own
    a_claims = client.get("/v1/claims", headers=a.headers).json()["items"]
    assert [c["id"] for c in a_claims] == [claim["id"]]


def test_foreign_debtor_cannot_be_used_in_a_claim(client, two):
    _, b, debtor, _ = two
    response = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("B-1")),
                           headers=b.headers)
    body = assert_problem(response, 422, "debtor_id")
    assert any(e.get("code") == "unknown_debtor" for e in body["errors"])
    assert client.get("/v1/claims", headers=b.headers).json()["items"] == []


def test_same_reference_and_invoice_number_in_two_tenants(client, two):
    _, b, debtor, claim = two
    other_debtor = new_debtor(client, b, external_reference="CUST-1")
    other_claim = new_claim(client, b, other_debtor["id"], number=claim["invoices"][0]["number"])
    assert other_claim["id"] != claim["id"]
    assert other_debtor["external_reference"] == debtor["external_reference"]


def test_foreign_key_cannot_be_revoked(client, two):
    a, b, _, _ = two
    a_keys = client.get("/v1/api-keys", headers=a.headers).json()["items"]
    response = client.delete(f"/v1/api-keys/{a_keys[0]['id']}", headers=b.headers)
    assert_problem(response, 404)
    assert client.get("/v1/debtors", headers=a.headers).status_code == 200
