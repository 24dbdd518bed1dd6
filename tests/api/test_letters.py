"""Letters through the API: request (202, rendered in the background), read, the PDF by a
presigned link, posting, the provider's callbacks, and a transfer found by its RF
reference. The worker runs inline (`run_jobs`); the renderer is the fake one here."""

from __future__ import annotations

from typing import Any

import pytest

from domain.services import letters as letter_services
from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import Tenant, make_tenant, new_debtor

ADDRESS = {"kind": "postal_address", "address": {
    "recipient": "Boulangerie Martin SAS", "lines": ["12 rue de la Paix"],
    "postal_code": "75002", "city": "Paris"}}


def run_jobs(ports: Any, letter_queue: Any) -> None:
    jobs, letter_queue.jobs = letter_queue.jobs, []
    for job in jobs:
        letter_services.render_letter(job, ports)


@pytest.fixture
def claim(client: Any, tenant: Tenant) -> dict[str, Any]:
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@boulangerie-martin.fr"}, ADDRESS])
    created = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(
        "F-001", issue="2026-01-01", due="2026-01-15")), headers=tenant.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def request(client: Any, tenant: Tenant, claim_id: str, **body: Any) -> Any:
    return client.post(f"/v1/claims/{claim_id}/letters",
                       json={"kind": "formal_notice", **body}, headers=tenant.headers)


def test_a_letter_is_accepted_then_ready_with_a_link_to_its_pdf(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any,
        letter_queue: Any) -> None:
    accepted = request(client, tenant, claim["id"])
    assert accepted.status_code == 202, accepted.text
    letter = accepted.json()
    assert letter["status"] == "rendering" and letter["kind"] == "formal_notice"
    assert letter["deadline"] == "2026-03-18" and letter["payment_reference"].startswith("RF")
    path = f"/v1/claims/{claim['id']}/letters/{letter['id']}"
    assert accepted.headers["location"] == path
    waiting = client.get(path, headers=tenant.headers).json()
    assert waiting["download_url"] is None
    early = client.get(path + "/content", headers=tenant.headers, follow_redirects=False)
    assert assert_problem(early, 409)["current_status"] == "rendering"
    run_jobs(ports, letter_queue)
    ready = client.get(path, headers=tenant.headers).json()
    assert ready["status"] == "ready" and ready["pages"] == 1 and len(ready["sha256"]) == 64
    assert ready["expires_in"] == 300 and letter["id"] in ready["download_url"]
    assert ready["amounts"]["invoices"] == ["F-001"]
    assert ready["amounts"]["principal"] == "1200.00" and ready["amounts"]["indemnity"] == "40.00"
    redirect = client.get(path + "/content", headers=tenant.headers, follow_redirects=False)
    assert redirect.status_code == 303
    assert f"{claim['id']}/{letter['id']}.pdf" in redirect.headers["location"]
    listed = client.get(f"/v1/claims/{claim['id']}/letters", headers=tenant.headers).json()
    assert [x["id"] for x in listed["items"]] == [letter["id"]]
    actions = [e["action"] for e in client.get(f"/v1/claims/{claim['id']}/events",
                                               headers=tenant.headers).json()["items"]]
    assert actions[-2:] == ["letter_requested", "letter_rendered"]


def test_bad_requests_name_the_field(client: Any, tenant: Tenant,
                                     claim: dict[str, Any]) -> None:
    assert_problem(request(client, tenant, claim["id"], kind="threat"), 400, "kind")
    assert_problem(request(client, tenant, claim["id"], confirm_prescribed=["F-001"]), 422,
                   "confirm_prescribed[0]")
    assert_problem(request(client, tenant, claim["id"], contact_point_id="cp_nope"), 422,
                   "contact_point_id")
    assert_problem(request(client, tenant, "clm_nope"), 404)
    other = make_tenant(client, "Autre SARL")
    assert_problem(request(client, other, claim["id"]), 404)  # another tenant's claim


def test_a_debtor_without_a_postal_address_gets_no_letter(client: Any,
                                                          tenant: Tenant) -> None:
    debtor = new_debtor(client, tenant)
    created = client.post("/v1/claims", json=claim_body(debtor["id"]), headers=tenant.headers)
    refused = request(client, tenant, created.json()["id"], kind="reminder_1")
    assert assert_problem(refused, 422, "debtor.contact_points")["errors"][0]["code"] == (
        "no_postal_address")


def test_posting_a_formal_notice_moves_the_claim_and_the_post_reports_back(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any, letter_queue: Any,
        postal: Any, clock: Any) -> None:
    letter = request(client, tenant, claim["id"]).json()
    path = f"/v1/claims/{claim['id']}/letters/{letter['id']}"
    early = client.post(path + "/dispatch", json={"mode": "registered_ar"},
                        headers=tenant.headers)
    assert_problem(early, 409)
    run_jobs(ports, letter_queue)
    assert_problem(client.post(path + "/dispatch", json={"mode": "pigeon"},
                               headers=tenant.headers), 400, "mode")
    posted = client.post(path + "/dispatch", json={"mode": "registered_ar"},
                         headers=tenant.headers)
    assert posted.status_code == 202, posted.text
    dispatch = posted.json()["dispatch"]
    assert dispatch["status"] == "accepted" and dispatch["mode"] == "registered_ar"
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["phase"] == "formal_notice"
    from datetime import timedelta

    clock.advance(timedelta(days=5))
    headers, body = postal.webhook_payload(dispatch["provider_id"])
    hook = client.post("/v1/postal/webhooks/fake", content=body, headers=headers)
    assert hook.status_code == 200, hook.text
    assert hook.json()["recorded"] == 4
    again = client.post("/v1/postal/webhooks/fake", content=body, headers=headers)
    assert again.json()["recorded"] == 0
    done = client.get(path, headers=tenant.headers).json()
    assert done["dispatch"]["status"] == "delivered"
    assert [p["kind"] for p in done["proofs"]] == ["deposit", "acknowledgement"]


def test_a_webhook_must_authenticate(client: Any, claim: dict[str, Any]) -> None:
    forged = client.post("/v1/postal/webhooks/fake", content=b'{"provider_id":"x","events":[]}',
                         headers={"X-Fake-Postal-Secret": "guess"})
    assert_problem(forged, 401)
    assert_problem(client.post("/v1/postal/webhooks/other", content=b"{}"), 404)


def test_a_transfer_quoting_the_rf_reference_is_recorded_on_its_claim(
        client: Any, tenant: Tenant, claim: dict[str, Any]) -> None:
    letter = request(client, tenant, claim["id"], kind="reminder_1").json()
    reference = letter["payment_reference"]
    spaced = " ".join(reference[i:i + 4] for i in range(0, len(reference), 4))
    paid = client.post("/v1/payments", json={"reference": spaced, "amount": "100.00",
                                             "received_on": "2026-03-09"},
                       headers=tenant.headers)
    assert paid.status_code == 201, paid.text
    assert paid.json()["claim"]["id"] == claim["id"]
    assert_problem(client.post("/v1/payments", json={
        "reference": "RF18539007547034", "amount": "1.00", "received_on": "2026-03-09"},
        headers=tenant.headers), 404)
    assert_problem(client.post("/v1/payments", json={
        "reference": "RF00 XYZ", "amount": "1.00", "received_on": "2026-03-09"},
        headers=tenant.headers), 422, "reference")


def test_the_notice_days_are_a_creditor_setting(client: Any, tenant: Tenant,
                                               claim: dict[str, Any]) -> None:
    etag = client.get("/v1/creditor", headers=tenant.headers).headers["etag"]
    patched = client.patch("/v1/creditor", json={"formal_notice_days": 15,
                                                 "signatory": "Jeanne Leroy, gérante"},
                           headers={**tenant.headers, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    assert patched.json()["formal_notice_days"] == 15
    assert request(client, tenant, claim["id"]).json()["deadline"] == "2026-03-25"
    etag = patched.headers["etag"]
    assert_problem(client.patch("/v1/creditor", json={"formal_notice_days": 2},
                                headers={**tenant.headers, "If-Match": etag}), 400,
                   "formal_notice_days")


def test_a_ladder_letter_not_posted_because_the_claim_was_paid_says_so(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any,
        letter_queue: Any) -> None:
    from domain.letters.model import DispatchMode, LetterKind
    from domain.services.caller import Caller

    # What the ladder asks: rendered in the background, then posted at once.
    letter = letter_services.request_letter(claim["id"], letter_services.LetterDraft(
        LetterKind.REMINDER_1, step_key="reminder_1", dispatch_on_ready=DispatchMode.SIMPLE),
        Caller(tenant.creditor_id, "ladder"), ports)
    path = f"/v1/claims/{claim['id']}/letters/{letter.id}"
    assert client.get(path, headers=tenant.headers).json()["dispatch_skipped"] is None
    paid = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers, json={
        "amount": "1300.00", "received_on": "2026-03-09", "method": "transfer"})
    assert paid.status_code == 201, paid.text
    run_jobs(ports, letter_queue)
    read = client.get(path, headers=tenant.headers).json()
    assert (read["status"], read["dispatch"], read["dispatch_skipped"]) == (
        "ready", None, "claim_paid")
