"""A recipient's key reaches the claims of its mandate and nothing else, on every route of
the app (the routes are read from the app, so a route added later is covered): another
claim of the same creditor or another creditor's claim is 404, as if it did not exist;
a route of the creditor's own (its debtors, settings, keys, lists, tasks, policies) is
403; on a handed-off claim, only the operations a recipient needs pass. Nothing the
refused calls tried is written."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.routes import HTTPRoute

from tests.api._handoff_helpers import POSTAL, hand_off, recipient
from tests.api._helpers import assert_problem, request_hash
from tests.conftest import Tenant, make_tenant, new_claim, new_debtor

# Worked out from the brief, not read from the code: what a recipient does with a claim.
RECIPIENT_MAY = {
    "ReadClaim", "ListClaimEvents", "ReadClaimStatement", "ListPayments", "ListPromises",
    "RecordPromise", "RequestLetter", "ListLetters", "ReadLetter", "ReadLetterContent",
    "RenderLetterAgain", "DispatchLetter", "ReadHandoff", "RecordHandoffContact",
    "RecordCollectedPayment", "CloseHandoff", "BuildDossier",
}
PUBLIC = re.compile(r"^/(health$|schema|v1/postal/webhooks/)")
PARAM = re.compile(r"\{(\w+):\w+\}")


def every_operation(app: Any) -> list[tuple[str, str, str]]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or PUBLIC.match(route.path):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                if method != "OPTIONS":
                    found.append((method, route.path, handler.operation_id))
    return sorted(found)


def url(template: str, claim_id: str) -> str:
    return PARAM.sub(lambda m: claim_id if m.group(1) == "claim_id" else
                     "hold" if m.group(1) == "action" else f"{m.group(1)}_nope", template)


@pytest.fixture
def world(client: Any, tenant: Tenant) -> dict[str, Any]:
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@boulangerie-martin.fr"}, POSTAL])
    mandated = new_claim(client, tenant, debtor["id"], number="F-001")
    kept = new_claim(client, tenant, debtor["id"], number="F-002")
    other = make_tenant(client, "Plomberie Durand SARL")
    foreign = new_claim(client, other, new_debtor(client, other)["id"], number="F-001")
    handed = hand_off(client, tenant, mandated["id"]).json()
    return {"tenant": tenant, "other": other, "mandated": mandated["id"], "kept": kept["id"],
            "foreign": foreign["id"], "headers": recipient(handed["secret"])}


def snapshot(client: Any, world: dict[str, Any]) -> Any:
    a, b = world["tenant"].headers, world["other"].headers
    return (
        [client.get(f"/v1/claims/{c}/events", headers=a).json()
         for c in (world["mandated"], world["kept"])],
        client.get(f"/v1/claims/{world['foreign']}/events", headers=b).json(),
        client.get("/v1/debtors", headers=a).json(), client.get("/v1/creditor", headers=a).json(),
        client.get("/v1/api-keys", headers=a).json(), client.get("/v1/tasks", headers=a).json(),
    )


def call(client: Any, method: str, path: str, headers: dict[str, str]) -> Any:
    headers = {**headers, "If-Match": "*"}
    if method in ("POST", "PUT", "PATCH"):
        return client.request(method, path, json={}, headers=headers)
    return client.request(method, path, headers=headers)


def test_the_matrix_covers_the_handoff_routes_and_the_creditors_own(app: Any) -> None:
    operations = {op for _, _, op in every_operation(app)}
    assert {"HandOffClaim", "WithdrawHandoff", "ListDebtors", "ListApiKeys",
            "ApplyClaimAction", "RecordPayment"} <= operations
    assert operations >= RECIPIENT_MAY


def test_a_recipient_key_never_reaches_outside_its_mandate(
        client: Any, app: Any, world: dict[str, Any]) -> None:
    before = snapshot(client, world)
    wrong: list[str] = []
    for method, template, operation_id in every_operation(app):
        if "{claim_id" in template:
            cases = [(world["kept"], 404), (world["foreign"], 404)]
            if operation_id not in RECIPIENT_MAY:
                cases.append((world["mandated"], 403))
        else:
            cases = [("", 403)]
        for claim_id, expected in cases:
            response = call(client, method, url(template, claim_id), world["headers"])
            if response.status_code != expected:
                wrong.append(f"{method} {template} on {claim_id or '-'}: "
                             f"{response.status_code}, expected {expected}")
            else:
                assert_problem(response, expected)
    assert wrong == []
    assert snapshot(client, world) == before


def test_the_recipient_reads_its_claim(client: Any, world: dict[str, Any]) -> None:
    base = f"/v1/claims/{world['mandated']}"
    for path in ("", "/events", "/statement", "/payments", "/promises", "/letters",
                 "/handoff"):
        response = client.get(base + path, headers=world["headers"])
        assert response.status_code == 200, (path, response.text)


def test_a_creditors_keys_are_unchanged_by_the_guard(client: Any,
                                                     world: dict[str, Any]) -> None:
    # The creditor's own key still reaches every claim; the other creditor's does not.
    a, b = world["tenant"].headers, world["other"].headers
    assert client.get(f"/v1/claims/{world['mandated']}", headers=a).status_code == 200
    assert client.get(f"/v1/claims/{world['kept']}", headers=a).status_code == 200
    assert_problem(client.get(f"/v1/claims/{world['mandated']}", headers=b), 404)
    assert_problem(client.get(f"/v1/claims/{world['mandated']}/handoff", headers=b), 404)
    withdraw = client.post(f"/v1/claims/{world['mandated']}/handoff/withdraw", headers=b)
    assert_problem(withdraw, 404)


def test_a_recipient_works_from_the_dossier_of_its_claim(client: Any,
                                                         world: dict[str, Any]) -> None:
    built = client.get(f"/v1/claims/{world['mandated']}/dossier", headers=world["headers"],
                       follow_redirects=False)
    assert built.status_code == 303, built.text
    assert built.headers["location"] and len(built.headers["x-dossier-sha256"]) == 64


# An Idempotency-Key replays a response only to a caller the route would let through now,
# and only from the caller's own namespace: a creditor's keys share one (a retry may come
# on another of its keys), a recipient's key has its own, another creditor has its own.
SEEDED = b'{"seeded":"by the creditor"}'


def keyed_posts(app: Any) -> list[tuple[str, str]]:
    """Every POST route that takes an Idempotency-Key (the routes that change nothing opt
    out), read from the app so that a route added later is covered."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or PUBLIC.match(route.path):
            continue
        for handler in route.route_handlers:
            if "POST" in handler.http_methods and handler.opt.get("idempotency") is not False:
                found.append((route.path, handler.operation_id))
    return sorted(found)


def test_every_keyed_post_is_covered(app: Any) -> None:
    operations = {op for _, op in keyed_posts(app)}
    assert {"ApplyClaimAction", "RecordPayment", "RecordPromise", "HandOffClaim",
            "RecordHandoffContact", "CreateDebtor", "OpenClaim"} <= operations
    assert "ValidateContacts" not in operations  # opted out: it changes nothing


def test_a_replay_answers_what_the_request_would_without_the_key(
        client: Any, app: Any, world: dict[str, Any]) -> None:
    store = app.state.idempotency
    creditor = world["tenant"].creditor_id
    other = world["other"].headers
    before = snapshot(client, world)
    wrong: list[str] = []
    for n, (template, operation_id) in enumerate(keyed_posts(app)):
        if "{claim_id" in template:
            targets = [(world["headers"], "recipient", c)
                       for c in (world["kept"], world["foreign"], world["mandated"])]
            targets += [(other, "other creditor", c) for c in (world["kept"], world["mandated"])]
        else:
            targets = [(world["headers"], "recipient", ""), (other, "other creditor", "")]
        for m, (headers, who, claim_id) in enumerate(targets):
            path = url(template, claim_id)
            key = f"k-{n}-{m}"
            # What the creditor's own request with this key left: a success to replay.
            assert store.claim(creditor, key, request_hash(path, b"{}")) is None
            store.complete(creditor, key, 200, SEEDED, "application/json", {})
            plain = call(client, "POST", path, headers)
            keyed = call(client, "POST", path, {**headers, "Idempotency-Key": key})
            if (keyed.status_code != plain.status_code or b"seeded" in keyed.content
                    or "idempotent-replayed" in keyed.headers):
                wrong.append(f"{operation_id} {path} by the {who}: {keyed.status_code} "
                             f"{keyed.content[:60]!r}, without the key {plain.status_code}")
    assert wrong == []
    assert snapshot(client, world) == before


def test_the_creditors_hold_is_not_replayed_to_the_recipient(
        client: Any, world: dict[str, Any]) -> None:
    path = f"/v1/claims/{world['kept']}/actions/hold"
    held = client.post(path, json={"reason": "x"},
                       headers={**world["tenant"].headers, "Idempotency-Key": "k-1"})
    assert held.status_code == 200, held.text
    assert_problem(client.post(path, json={"reason": "x"}, headers=world["headers"]), 404)
    keyed = client.post(path, json={"reason": "x"},
                        headers={**world["headers"], "Idempotency-Key": "k-1"})
    assert_problem(keyed, 404)
    assert "idempotent-replayed" not in keyed.headers
    # The creditor's retry, on another of its keys, is still the first answer.
    writer = client.post("/v1/api-keys", json={"name": "w", "scopes": ["write"]},
                         headers=world["tenant"].headers).json()["secret"]
    again = client.post(path, json={"reason": "x"},
                        headers={"X-API-Key": writer, "Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.content == held.content


def test_a_read_key_is_not_replayed_the_write_keys_answer(
        client: Any, world: dict[str, Any]) -> None:
    path = f"/v1/claims/{world['kept']}/actions/hold"
    held = client.post(path, json={"reason": "x"},
                       headers={**world["tenant"].headers, "Idempotency-Key": "k-2"})
    assert held.status_code == 200, held.text
    reader = client.post("/v1/api-keys", json={"name": "r", "scopes": ["read"]},
                         headers=world["tenant"].headers).json()["secret"]
    keyed = client.post(path, json={"reason": "x"},
                        headers={"X-API-Key": reader, "Idempotency-Key": "k-2"})
    assert_problem(keyed, 403)
    assert "idempotent-replayed" not in keyed.headers


def test_a_recipients_replay_stops_when_the_claim_leaves_its_mandate(
        client: Any, world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    mandate_id = client.get(f"/v1/claims/{world['mandated']}/handoff",
                            headers=tenant.headers).json()["id"]
    joined = hand_off(client, tenant, world["kept"], mandate_id=mandate_id)
    assert joined.status_code == 201, joined.text
    path = f"/v1/claims/{world['mandated']}/handoff/contacts"
    body = {"channel": "phone", "occurred_on": "2026-03-10", "summary": "reached the owner",
            "outcome": "reached"}
    headers = {**world["headers"], "Idempotency-Key": "r-1"}
    first = client.post(path, json=body, headers=headers)
    assert first.status_code == 201, first.text
    replayed = client.post(path, json=body, headers=headers)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.content == first.content
    # The recipient's key is its own namespace: the creditor's same key runs afresh.
    own = client.post(path, json=body, headers={**tenant.headers, "Idempotency-Key": "r-1"})
    assert "idempotent-replayed" not in own.headers
    withdrawn = client.post(f"/v1/claims/{world['mandated']}/handoff/withdraw",
                            headers=tenant.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert_problem(client.post(path, json=body, headers=headers), 404)
