"""The hand-off through the API: a written mandate pauses the creditor's chasing and
issues the recipient a key to the handed-off claims; the recipient reports contacts,
proposals and payments collected (due back within a month, R124-6), sends letters that
carry the R124-4 mentions, and closes; the creditor withdraws. The clock is 2026-03-10
09:30 UTC (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.judicial.handoff import L111_8_PARAGRAPHS
from tests.api._handoff_helpers import POSTAL, hand_off, mandate_body, recipient
from tests.api._helpers import assert_problem
from tests.conftest import Tenant, new_claim, new_debtor


@pytest.fixture
def claims(client: Any, tenant: Tenant) -> list[dict[str, Any]]:
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@boulangerie-martin.fr"}, POSTAL])
    return [new_claim(client, tenant, debtor["id"], number=f"F-00{n}") for n in (1, 2, 3)]


def actions(client: Any, tenant: Tenant, claim_id: str) -> list[str]:
    items = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers).json()["items"]
    return [e["action"] for e in items]


def test_a_hand_off_records_the_mandate_holds_the_claim_and_returns_a_key_once(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim = claims[0]
    response = hand_off(client, tenant, claim["id"])
    assert response.status_code == 201, response.text
    body = response.json()
    mandate = body["mandate"]
    assert mandate["status"] == "active" and mandate["reference"] == "MDT-2026-007"
    assert mandate["commission"] == {"currency": "EUR", "rate": "12.5", "fixed_fee": None}
    assert [c["claim_id"] for c in mandate["claims"]] == [claim["id"]]
    assert body["claim"]["hold"]["reason"] == "mandate"
    # The chasing pauses: the ladder may not escalate a claim held for its mandate.
    assert "escalate" not in body["claim"]["allowed_actions"]
    assert {"withdraw_handoff", "close_handoff", "record_contact"} <= set(
        body["claim"]["allowed_actions"])
    assert body["secret"].startswith("rlk_") and body["key_id"] == mandate["key_id"]
    keys = client.get("/v1/api-keys", headers=tenant.headers).json()["items"]
    listed = next(k for k in keys if k["id"] == body["key_id"])
    assert listed["scopes"] == ["mandate"] and "secret" not in listed
    read = client.get(f"/v1/claims/{claim['id']}/handoff", headers=tenant.headers).json()
    assert read["id"] == mandate["id"] and "secret" not in read
    assert actions(client, tenant, claim["id"])[-1] == "handoff"


def test_a_second_claim_joins_the_mandate_and_the_same_key_reaches_it(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    first = hand_off(client, tenant, claims[0]["id"]).json()
    headers = recipient(first["secret"])
    assert_problem(client.get(f"/v1/claims/{claims[1]['id']}", headers=headers), 404)
    joined = hand_off(client, tenant, claims[1]["id"], mandate_id=first["mandate"]["id"])
    assert joined.status_code == 201, joined.text
    assert joined.json()["secret"] is None  # the recipient already holds its key
    assert [c["claim_id"] for c in joined.json()["mandate"]["claims"]] == [
        claims[0]["id"], claims[1]["id"]]
    assert client.get(f"/v1/claims/{claims[1]['id']}", headers=headers).status_code == 200
    assert_problem(client.get(f"/v1/claims/{claims[2]['id']}", headers=headers), 404)


def test_joining_refuses_terms_and_an_unknown_mandate(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    first = hand_off(client, tenant, claims[0]["id"]).json()
    both = hand_off(client, tenant, claims[1]["id"], mandate_id=first["mandate"]["id"],
                    reference="OTHER")
    assert_problem(both, 422, "reference")
    assert_problem(hand_off(client, tenant, claims[1]["id"], mandate_id="mdt_nope"), 422,
                   "mandate_id")
    assert_problem(hand_off(client, tenant, claims[1]["id"], note="nothing else"), 422,
                   "recipient", "reference", "document", "insurance", "commission",
                   "signed_on")


def test_the_terms_are_checked_field_by_field(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    bad = mandate_body(document="a signed mandate", signed_on="2026-03-11",
                       commission={"rate": "0"})
    assert_problem(hand_off(client, tenant, claims[0]["id"], **bad), 422,
                   "document", "signed_on", "commission.rate")
    no_fee = mandate_body(commission={})
    assert_problem(hand_off(client, tenant, claims[0]["id"], **no_fee), 422, "commission")
    siren = mandate_body(recipient={**mandate_body()["recipient"], "siren": "123456789"})
    assert_problem(hand_off(client, tenant, claims[0]["id"], **siren), 422,
                   "recipient.siren")
    # Nothing was written: the claim is not held.
    assert client.get(f"/v1/claims/{claims[0]['id']}",
                      headers=tenant.headers).json()["hold"] is None


def test_a_claim_already_handed_off_or_disputed_is_refused_409(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    hand_off(client, tenant, claims[0]["id"])
    again = hand_off(client, tenant, claims[0]["id"])
    assert assert_problem(again, 409)["allowed_actions"]
    client.post(f"/v1/claims/{claims[1]['id']}/actions/open_dispute",
                json={"reason": "goods damaged"}, headers=tenant.headers)
    assert_problem(hand_off(client, tenant, claims[1]["id"]), 409)


def test_a_write_key_may_not_hand_off(client: Any, claims: list[dict[str, Any]]) -> None:
    from tests.conftest import make_tenant

    writer = make_tenant(client, "Autre SARL", scopes=("read", "write"))
    assert_problem(hand_off(client, writer, claims[0]["id"]), 403)


def test_the_recipient_reports_a_contact_and_a_proposal(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim_id = claims[0]["id"]
    headers = recipient(hand_off(client, tenant, claim_id).json()["secret"])
    contact = client.post(f"/v1/claims/{claim_id}/handoff/contacts", json={
        "channel": "phone", "occurred_on": "2026-03-10",
        "summary": "Spoke to the accountant: cash is short until April",
        "outcome": "reached"}, headers=headers)
    assert contact.status_code == 201, contact.text
    promise = client.post(f"/v1/claims/{claim_id}/promises", json={
        "amount": "600.00", "promised_on": "2026-04-05", "channel": "phone"},
        headers=headers)
    assert promise.status_code == 201, promise.text
    # The mandate's hold stays: a promise falling due does not bring the ladder back.
    assert promise.json()["claim"]["hold"]["reason"] == "mandate"
    events = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers).json()
    last = events["items"][-2:]
    assert [e["action"] for e in last] == ["record_contact", "record_promise"]
    assert last[0]["reason"] == "Spoke to the accountant: cash is short until April"
    assert last[0]["data"]["channel"] == "phone" and last[0]["actor"].startswith("recipient:")
    assert_problem(client.post(f"/v1/claims/{claim_id}/handoff/contacts", json={
        "channel": "phone", "occurred_on": "2026-03-11", "summary": "tomorrow"},
        headers=headers), 422, "occurred_on")


def test_a_payment_collected_is_due_back_within_a_month_and_raises_a_task(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim_id = claims[0]["id"]
    handed = hand_off(client, tenant, claim_id).json()
    headers = recipient(handed["secret"])
    paid = client.post(f"/v1/claims/{claim_id}/handoff/payments", json={
        "amount": "300.00", "received_on": "2026-03-09", "method": "transfer"},
        headers=headers)
    assert paid.status_code == 201, paid.text
    body = paid.json()
    # R124-6: one month from actual receipt, 9 March → 9 April 2026.
    assert body["pass_back_by"] == "2026-04-09"
    assert body["task"]["kind"] == "check_pass_back" and body["task"]["status"] == "open"
    # Due at 09:00 in Paris on 9 April (CEST, UTC+2): 07:00 UTC.
    assert body["task"]["due_at"].startswith("2026-04-09T07:00:00")
    tasks = client.get("/v1/tasks?kind=check_pass_back", headers=tenant.headers).json()
    assert [t["id"] for t in tasks["items"]] == [body["task"]["id"]]
    items = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers).json()["items"]
    recorded = next(e for e in items if e["action"] == "record_payment")
    assert recorded["data"]["collected_by"] == f"agency:{handed['mandate']['id']}"
    assert items[-1]["action"] == "pass_back_due"
    assert items[-1]["data"]["pass_back_by"] == "2026-04-09"
    mandate = client.get(f"/v1/claims/{claim_id}/handoff", headers=tenant.headers).json()
    assert mandate["collections"][0]["amount"] == "300.00"
    # The creditor records its own payments the usual way, not here.
    assert_problem(client.post(f"/v1/claims/{claim_id}/handoff/payments", json={
        "amount": "1.00", "received_on": "2026-03-09"}, headers=tenant.headers), 403)
    # And the recipient may not use the creditor's payment route (no pass-back trace).
    assert_problem(client.post(f"/v1/claims/{claim_id}/payments", json={
        "amount": "1.00", "received_on": "2026-03-09"}, headers=headers), 403)


def test_withdrawing_one_claim_keeps_the_others_and_resumes_the_chasing(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    first = hand_off(client, tenant, claims[0]["id"]).json()
    hand_off(client, tenant, claims[1]["id"], mandate_id=first["mandate"]["id"])
    headers = recipient(first["secret"])
    withdrawn = client.post(f"/v1/claims/{claims[0]['id']}/handoff/withdraw",
                            json={"reason": "settled directly"}, headers=tenant.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["claim"]["hold"] is None and "escalate" in body["claim"]["allowed_actions"]
    assert [c["status"] for c in body["mandate"]["claims"]] == ["withdrawn", "active"]
    assert body["mandate"]["status"] == "active"
    assert_problem(client.get(f"/v1/claims/{claims[0]['id']}", headers=headers), 404)
    assert client.get(f"/v1/claims/{claims[1]['id']}", headers=headers).status_code == 200
    assert actions(client, tenant, claims[0]["id"])[-1] == "withdraw_handoff"
    # The last claim withdrawn: the key is revoked.
    client.post(f"/v1/claims/{claims[1]['id']}/handoff/withdraw", headers=tenant.headers)
    assert_problem(client.get(f"/v1/claims/{claims[1]['id']}", headers=headers), 401)
    keys = client.get("/v1/api-keys", headers=tenant.headers).json()["items"]
    assert next(k for k in keys if k["id"] == first["key_id"])["revoked_at"] is not None


def test_the_recipient_closes_with_an_outcome_and_the_creditor_decides_what_follows(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim_id = claims[0]["id"]
    headers = recipient(hand_off(client, tenant, claim_id).json()["secret"])
    assert_problem(client.post(f"/v1/claims/{claim_id}/handoff/close",
                               json={"outcome": "gave_up"}, headers=headers), 400, "outcome")
    closed = client.post(f"/v1/claims/{claim_id}/handoff/close",
                         json={"outcome": "unrecoverable", "note": "debtor unreachable"},
                         headers=headers)
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["mandate"]["status"] == "closed"
    assert body["mandate"]["claims"][0]["outcome"] == "unrecoverable"
    # Held manually: the ladder does not restart until the creditor resumes it.
    assert body["claim"]["hold"]["reason"] == "manual"
    assert "resume" in body["claim"]["allowed_actions"]
    assert_problem(client.get(f"/v1/claims/{claim_id}", headers=headers), 401)


def test_a_dispute_the_recipient_reports_holds_the_claim_for_the_dispute(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim_id = claims[0]["id"]
    headers = recipient(hand_off(client, tenant, claim_id).json()["secret"])
    closed = client.post(f"/v1/claims/{claim_id}/handoff/close",
                         json={"outcome": "disputed", "note": "says goods never came"},
                         headers=headers).json()
    assert closed["claim"]["hold"]["reason"] == "dispute"
    assert "resolve_dispute" in closed["claim"]["allowed_actions"]


def test_a_letter_the_recipient_requests_carries_the_r124_4_mentions(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]], ports: Any) -> None:
    claim_id = claims[0]["id"]
    handed = hand_off(client, tenant, claim_id).json()
    headers = recipient(handed["secret"])
    first = client.post(f"/v1/claims/{claim_id}/letters", json={"kind": "reminder_1"},
                        headers=headers)
    assert first.status_code == 202, first.text
    second = client.post(f"/v1/claims/{claim_id}/letters", json={"kind": "reminder_2"},
                         headers=headers)
    own = client.post(f"/v1/claims/{claims[1]['id']}/letters", json={"kind": "reminder_1"},
                      headers=tenant.headers)
    uow = ports.unit_of_work()
    _, content = uow.letters.get_letter(tenant.creditor_id, claim_id, first.json()["id"])
    mentions = content.mandate
    assert mentions.collector_name == "Recouvrement Rhône SAS"
    assert mentions.collector_address == ("4 quai Perrache", "69002 Lyon")
    assert "recouvrement amiable" in mentions.activity
    assert mentions.mandate_reference == "MDT-2026-007"
    assert mentions.l111_8 == L111_8_PARAGRAPHS and mentions.first_letter_id is None
    _, later = uow.letters.get_letter(tenant.creditor_id, claim_id, second.json()["id"])
    # Later contacts recall the first letter, its reference and date (R124-4).
    assert later.mandate.first_letter_id == first.json()["id"]
    assert later.mandate.first_letter_on.isoformat() == "2026-03-10"
    _, mine = uow.letters.get_letter(tenant.creditor_id, claims[1]["id"], own.json()["id"])
    assert mine.mandate is None  # the creditor's own letters carry no mandate block


# ------------------------------------------------------------ holds that compose

def _action(client: Any, tenant: Tenant, claim_id: str, action: str,
            reason: str | None = None) -> dict[str, Any]:
    response = client.post(f"/v1/claims/{claim_id}/actions/{action}",
                           json={"reason": reason} if reason else {}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _holds(claim: dict[str, Any]) -> list[str | None]:
    top = claim["hold"]["reason"] if claim["hold"] else None
    return [top, *(h["reason"] for h in claim["covered_holds"])]


def _read(client: Any, tenant: Tenant, claim_id: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/claims/{claim_id}", headers=tenant.headers).json())


def test_a_dispute_under_a_mandate_covers_it_resolved_first_the_mandate_holds_on(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    claim_id = claims[0]["id"]
    headers = recipient(hand_off(client, tenant, claim_id).json()["secret"])
    disputed = _action(client, tenant, claim_id, "open_dispute", "goods damaged")
    assert _holds(disputed) == ["dispute", "mandate"]
    # Disputed: the recipient sends no letter, yet still reports what the debtor says.
    assert "send_letter" not in disputed["allowed_actions"]
    assert_problem(client.post(f"/v1/claims/{claim_id}/letters", json={"kind": "reminder_1"},
                               headers=headers), 409)
    assert client.post(f"/v1/claims/{claim_id}/handoff/contacts", json={
        "channel": "phone", "occurred_on": "2026-03-10", "summary": "says the crates broke"},
        headers=headers).status_code == 201
    resolved = _action(client, tenant, claim_id, "resolve_dispute", "credit note agreed")
    # The mandate's pause stands: the ladder does not restart, the recipient goes on.
    assert _holds(resolved) == ["mandate"]
    assert "escalate" not in resolved["allowed_actions"]
    assert client.get(f"/v1/claims/{claim_id}", headers=headers).status_code == 200
    withdrawn = client.post(f"/v1/claims/{claim_id}/handoff/withdraw", json={},
                            headers=tenant.headers).json()
    assert _holds(withdrawn["claim"]) == [None]
    assert "escalate" in withdrawn["claim"]["allowed_actions"]


def test_a_dispute_under_a_mandate_stays_when_the_mandate_is_withdrawn_or_closed(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    first, second = claims[0]["id"], claims[1]["id"]
    handed = hand_off(client, tenant, first).json()
    hand_off(client, tenant, second, mandate_id=handed["mandate"]["id"])
    for claim_id in (first, second):
        _action(client, tenant, claim_id, "open_dispute", "goods damaged")
    withdrawn = client.post(f"/v1/claims/{first}/handoff/withdraw", json={},
                            headers=tenant.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert _holds(withdrawn.json()["claim"]) == ["dispute"]
    assert "resolve_dispute" in withdrawn.json()["claim"]["allowed_actions"]
    # Returned by the recipient as unrecoverable: still held for the dispute, not manually.
    closed = client.post(f"/v1/claims/{second}/handoff/close",
                         json={"outcome": "unrecoverable"}, headers=recipient(handed["secret"]))
    assert closed.status_code == 200, closed.text
    assert _holds(closed.json()["claim"]) == ["dispute"]
    resolved = _action(client, tenant, first, "resolve_dispute", "credit note agreed")
    assert _holds(resolved) == [None] and "escalate" in resolved["allowed_actions"]


PROCEEDINGS = {"kind": "redressement_judiciaire", "opened_on": "2026-03-02",
               "court": "Tribunal des activités économiques de Lyon",
               "bodacc_published_on": "2026-03-06"}


def test_proceedings_opened_under_a_mandate_cover_it_in_either_order_of_ending(
        client: Any, tenant: Tenant, claims: list[dict[str, Any]]) -> None:
    first, second = claims[0]["id"], claims[1]["id"]
    debtor_id = claims[0]["debtor_id"]
    handed = hand_off(client, tenant, first).json()
    hand_off(client, tenant, second, mandate_id=handed["mandate"]["id"])
    opened = client.put(f"/v1/debtors/{debtor_id}/collective-proceedings", json=PROCEEDINGS,
                        headers=tenant.headers)
    assert opened.status_code == 200, opened.text
    assert _holds(_read(client, tenant, first)) == ["insolvency", "mandate"]
    # The mandate ends first on one claim: the proceedings' hold stays (L622-21).
    withdrawn = client.post(f"/v1/claims/{first}/handoff/withdraw", json={},
                            headers=tenant.headers).json()
    assert _holds(withdrawn["claim"]) == ["insolvency"]
    # The proceedings end (recorded in error): the other claim is still handed off.
    ended = client.delete(f"/v1/debtors/{debtor_id}/collective-proceedings",
                          headers=tenant.headers)
    assert ended.status_code == 200, ended.text
    assert _holds(_read(client, tenant, second)) == ["mandate"]
    assert _holds(_read(client, tenant, first)) == [None]
