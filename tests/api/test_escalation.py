"""The ladder through the API: a claim's escalation read (its policy, the steps and the
next one with its instant) and the `escalate` / `skip_step` actions."""

from __future__ import annotations

from typing import Any

from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import Tenant, make_tenant, new_debtor


def _claim(client: Any, tenant: Tenant, due: str = "2026-03-16",
           number: str = "F-001") -> dict[str, Any]:
    debtor = new_debtor(client, tenant)
    created = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(
        number, issue="2026-02-14", due=due, amount="2400.00")), headers=tenant.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_a_claims_ladder_says_what_comes_next_and_when(client: Any, tenant: Tenant) -> None:
    claim = _claim(client, tenant)
    read = client.get(f"/v1/claims/{claim['id']}/escalation", headers=tenant.headers)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["policy_id"] == "default" and body["policy_version"] == 1
    assert body["next"]["kind"] == "due" and body["next"]["step"] == "pre_due_sms"
    assert body["next"]["due_on"] == "2026-03-11"  # D-5
    assert body["next"]["at"] == "2026-03-11T09:00:00Z"  # 10:00 in Paris, the SMS window
    assert body["holiday_region"] is None  # Paris: the national list
    assert [s["state"] for s in body["steps"][:2]] == ["next", "to_come"]
    assert len(body["steps"]) == 9
    other = make_tenant(client, "Autre SARL")
    assert_problem(client.get(f"/v1/claims/{claim['id']}/escalation",
                              headers=other.headers), 404)


def test_skip_step_moves_the_ladder_on(client: Any, tenant: Tenant) -> None:
    claim = _claim(client, tenant)
    skipped = client.post(f"/v1/claims/{claim['id']}/actions/skip_step",
                          json={"reason": "no SMS"}, headers=tenant.headers)
    assert skipped.status_code == 200, skipped.text
    body = client.get(f"/v1/claims/{claim['id']}/escalation", headers=tenant.headers).json()
    assert body["next"]["step"] == "pre_due_email"
    assert [s["state"] for s in body["steps"][:2]] == ["done", "next"]


def test_escalate_runs_the_next_step_now_or_says_why_not(client: Any, tenant: Tenant) -> None:
    # 9:30 UTC on Tuesday 10 March (the tests' clock): 10:30 in Paris, an e-mail may go
    claim = _claim(client, tenant, due="2026-03-01")  # overdue: no pre-due step, D+1 on
    ran = client.post(f"/v1/claims/{claim['id']}/actions/escalate", headers=tenant.headers)
    assert ran.status_code == 200, ran.text
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    actions = [e["action"] for e in events["items"]]
    assert actions[-2:] == ["step_started", "step_ran"]
    ran_entry = events["items"][-1]
    assert ran_entry["data"]["step"] == "overdue_email"
    held = _claim(client, tenant, number="F-002")
    client.post(f"/v1/claims/{held['id']}/actions/hold", json={"reason": "call first"},
                headers=tenant.headers)
    refused = client.post(f"/v1/claims/{held['id']}/actions/escalate", headers=tenant.headers)
    assert assert_problem(refused, 409)["action"] == "escalate"


def test_the_contact_windows_are_a_creditor_setting_the_ladder_keeps(
        client: Any, tenant: Tenant) -> None:
    etag = client.get("/v1/creditor", headers=tenant.headers).headers["etag"]
    default = client.get("/v1/creditor", headers=tenant.headers).json()["contact_windows"]
    assert default["sms"] == {"days": ["mon", "tue", "wed", "thu", "fri"],
                              "hours": [["10:00", "13:00"], ["14:00", "20:00"]]}
    patched = client.patch("/v1/creditor", json={"contact_windows": {
        "sms": {"days": ["tue", "thu"], "hours": [["15:00", "17:00"]]}}},
        headers={**tenant.headers, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    windows = patched.json()["contact_windows"]
    assert windows["sms"] == {"days": ["tue", "thu"], "hours": [["15:00", "17:00"]]}
    assert windows["email"]["hours"] == [["09:00", "20:00"]]  # left out: the default
    claim = _claim(client, tenant)
    body = client.get(f"/v1/claims/{claim['id']}/escalation", headers=tenant.headers).json()
    # D-5 = Wednesday 11 March: the SMS waits for Thursday 12, 15:00 in Paris
    assert body["next"]["step"] == "pre_due_sms"
    assert body["next"]["at"] == "2026-03-12T14:00:00Z"
    etag = patched.headers["etag"]
    late = client.patch("/v1/creditor", json={"contact_windows": {
        "call": {"days": ["sun"], "hours": [["20:00", "22:00"]]}}},
        headers={**tenant.headers, "If-Match": etag})
    assert_problem(late, 422, "contact_windows.call.days[0]")
    assert_problem(client.patch("/v1/creditor", json={"contact_windows": {
        "sms": {"days": ["monday"], "hours": [["10:00", "12:00"]]}}},
        headers={**tenant.headers, "If-Match": etag}), 400)


def test_a_dispute_names_its_invoices(client: Any, tenant: Tenant) -> None:
    claim = _claim(client, tenant)
    path = f"/v1/claims/{claim['id']}/actions"
    assert_problem(client.post(f"{path}/open_dispute", json={"invoice_numbers": ["F-9"]},
                               headers=tenant.headers), 422, "invoice_numbers[0]")
    assert_problem(client.post(f"{path}/hold", json={"invoice_numbers": ["F-001"]},
                               headers=tenant.headers), 422, "invoice_numbers")
    scoped = client.post(f"{path}/open_dispute", json={"invoice_numbers": ["F-001"],
                                                       "reason": "quality"},
                         headers=tenant.headers)
    assert scoped.status_code == 200, scoped.text
    assert "resolve_dispute" in scoped.json()["allowed_actions"]
    body = client.get(f"/v1/claims/{claim['id']}/escalation", headers=tenant.headers).json()
    assert body["next"]["kind"] == "stopped"  # its only invoice is disputed
