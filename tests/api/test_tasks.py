"""The worklist through the API, on moto: each outcome's effect as the API then shows it
(the promise holding the claim, the dispute open, the phone or address invalid with a
verify_contact task), the refusals (an outcome of another kind, a second completion, a
batch with one task it cannot approve), the filters and paging, tenancy and scopes.

Tasks are stored straight through the unit of work: the ladder that creates them is
escalation's. The clock is 2026-03-10 09:30 UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.escalation.tasks import Task, TaskKind, TaskStatus
from tests.api._helpers import assert_problem
from tests.conftest import Tenant, make_tenant, new_claim, new_debtor

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
ADDRESS = {"kind": "postal_address", "address": {
    "recipient": "Boulangerie Martin SAS", "lines": ["12 rue de la Paix"],
    "postal_code": "75002", "city": "Paris"}}


@pytest.fixture
def claim(client: Any, tenant: Tenant) -> dict[str, Any]:
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@boulangerie-martin.fr"},
        {"kind": "phone", "value": "06 12 34 56 78"}, ADDRESS])
    return new_claim(client, tenant, debtor["id"])


def add_task(ports: Any, tenant: Tenant, claim: dict[str, Any], n: int, *,
             kind: TaskKind = TaskKind.CALL, due: datetime | None = None,
             assignee: str | None = None, step_key: str | None = None) -> str:
    task = Task(id=f"tsk_{n:03d}", creditor_id=tenant.creditor_id, claim_id=claim["id"],
                debtor_id=claim["debtor_id"], kind=kind, status=TaskStatus.OPEN,
                created_at=NOW, due_at=due or NOW + timedelta(hours=n),
                title="Call the debtor about invoice F-001", step_key=step_key,
                assignee=assignee)
    with ports.unit_of_work() as uow:
        uow.tasks.add_task(task)
        uow.commit()
    return task.id


def complete(client: Any, tenant: Tenant, task_id: str, outcome: str, **body: Any) -> Any:
    return client.post(f"/v1/tasks/{task_id}/complete", json={"outcome": outcome, **body},
                       headers=tenant.headers)


def contact(client: Any, tenant: Tenant, debtor_id: str, kind: str) -> dict[str, Any]:
    debtor = client.get(f"/v1/debtors/{debtor_id}", headers=tenant.headers).json()
    return next(p for p in debtor["contact_points"] if p["kind"] == kind)


def listed(client: Any, tenant: Tenant, **query: Any) -> list[str]:
    response = client.get("/v1/tasks", params=query, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]


# ------------------------------------------------------------------------ read


def test_a_call_task_reads_with_the_claim_figures_timeline_and_phone(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    response = client.get(f"/v1/tasks/{task_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["task"]["id"] == task_id and view["task"]["status"] == "open"
    assert view["task"]["kind"] == "call"
    assert view["claim"]["id"] == claim["id"] and view["claim"]["phase"] == "amicable"
    # 1200.00 due 15 Feb: 12.15 % B2B over 23 days = 1200 × 23 × 12.15 / 36500 = 9.19
    assert view["statement"] == {"at": "2026-03-10", "currency": "EUR",
                                 "principal": "1200.00", "interest": "9.19",
                                 "indemnity": "40.00", "due": "1249.19"}
    assert [e["action"] for e in view["timeline"]] == ["open"]
    assert view["promises"] == []
    assert view["phone"]["kind"] == "phone" and view["phone"]["value"] == "06 12 34 56 78"
    assert [p["kind"] for p in view["contact_points"]] == ["email", "phone", "postal_address"]


def test_another_tenants_task_is_not_found(client: Any, tenant: Tenant,
                                          claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1, kind=TaskKind.APPROVAL)
    other = make_tenant(client, "Autre SARL")
    assert_problem(client.get(f"/v1/tasks/{task_id}", headers=other.headers), 404)
    assert_problem(complete(client, other, task_id, "approved"), 404)
    assert listed(client, other) == []
    refused = client.post("/v1/tasks/approvals", json={"task_ids": [task_id]},
                          headers=other.headers)
    assert_problem(refused, 422, "task_ids[0]")
    assert client.get(f"/v1/tasks/{task_id}", headers=tenant.headers).json()[
        "task"]["status"] == "open"


def test_reading_needs_read_and_completing_needs_write(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1, kind=TaskKind.APPROVAL)
    reader = client.post("/v1/api-keys", json={"name": "reader", "scopes": ["read"]},
                         headers=tenant.headers).json()["secret"]
    headers = {"X-API-Key": reader}
    assert client.get("/v1/tasks", headers=headers).status_code == 200
    assert client.get(f"/v1/tasks/{task_id}", headers=headers).status_code == 200
    assert_problem(client.post(f"/v1/tasks/{task_id}/complete", json={"outcome": "approved"},
                               headers=headers), 403)
    assert_problem(client.post("/v1/tasks/approvals", json={"task_ids": [task_id]},
                               headers=headers), 403)
    assert_problem(client.get("/v1/tasks"), 401)


# ------------------------------------------------------------------------ outcomes


def test_a_promise_made_on_the_call_exists_and_holds_the_claim(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    assert_problem(complete(client, tenant, task_id, "promise_made"), 422, "promise")
    response = complete(client, tenant, task_id, "promise_made", note="pays on the 20th",
                        promise={"amount": "600.00", "promised_on": "2026-03-20"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["task"]["status"] == "done" and body["task"]["outcome"] == "promise_made"
    promises = client.get(f"/v1/claims/{claim['id']}/promises",
                          headers=tenant.headers).json()["items"]
    assert [(p["id"], p["amount"], p["promised_on"], p["channel"], p["status"])
            for p in promises] == [(body["promise"]["id"], "600.00", "2026-03-20", "phone",
                                    "pending")]
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["hold"]["reason"] == "promise" and read["hold"]["until"] == "2026-03-23"
    events = client.get(f"/v1/claims/{claim['id']}/events",
                        headers=tenant.headers).json()["items"]
    completed = next(e for e in events if e["action"] == "task_completed")
    assert completed["data"] == {"task_id": task_id, "kind": "call",
                                 "outcome": "promise_made"}
    assert completed["reason"] == "pays on the 20th"


def test_a_dispute_raised_on_the_call_is_open(client: Any, tenant: Tenant,
                                             claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    response = complete(client, tenant, task_id, "dispute_raised",
                        dispute_reason="the goods never arrived")
    assert response.status_code == 200, response.text
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["hold"]["reason"] == "dispute"
    assert "resolve_dispute" in read["allowed_actions"]


def test_a_wrong_number_makes_the_phone_invalid_and_raises_a_verify_contact_task(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    phone = contact(client, tenant, claim["debtor_id"], "phone")
    response = complete(client, tenant, task_id, "wrong_number")
    assert response.status_code == 200, response.text
    follow_up = response.json()["follow_up"]
    assert follow_up["kind"] == "verify_contact"
    assert follow_up["contact_point_id"] == phone["id"]
    marked = contact(client, tenant, claim["debtor_id"], "phone")
    assert marked["validation"]["status"] == "invalid"
    assert marked["validation"]["reasons"] == ["wrong_number"]
    assert listed(client, tenant, type="verify_contact") == [follow_up["id"]]


def test_a_visit_finding_the_debtor_moved_makes_the_address_invalid(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1, kind=TaskKind.VISIT)
    response = complete(client, tenant, task_id, "moved")
    assert response.status_code == 200, response.text
    address = contact(client, tenant, claim["debtor_id"], "postal_address")
    assert (address["validation"]["status"], address["validation"]["reasons"]) == (
        "invalid", ["moved"])
    assert contact(client, tenant, claim["debtor_id"], "phone")["validation"][
        "status"] != "invalid"
    assert response.json()["follow_up"]["kind"] == "verify_contact"


def test_an_outcome_the_task_cannot_have_is_refused_naming_outcome(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    for outcome in ("approved", "moved", "not_an_outcome"):
        body = assert_problem(complete(client, tenant, task_id, outcome), 422, "outcome")
        assert body["errors"][0]["code"] == "invalid_outcome"
    assert_problem(client.post(f"/v1/tasks/{task_id}/complete", json={"outcome": 3},
                               headers=tenant.headers), 400, "outcome")
    assert client.get(f"/v1/tasks/{task_id}", headers=tenant.headers).json()[
        "task"]["status"] == "open"


def test_completing_twice_is_a_conflict(client: Any, tenant: Tenant,
                                        claim: dict[str, Any], ports: Any) -> None:
    task_id = add_task(ports, tenant, claim, 1)
    assert complete(client, tenant, task_id, "reached").status_code == 200
    assert_problem(complete(client, tenant, task_id, "no_answer"), 409)
    assert client.get(f"/v1/tasks/{task_id}", headers=tenant.headers).json()[
        "task"]["outcome"] == "reached"
    assert_problem(complete(client, tenant, "tsk_missing", "reached"), 404)


# ------------------------------------------------------------------------ batch approval


def test_approvals_are_approved_all_together_or_not_at_all(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    one = add_task(ports, tenant, claim, 1, kind=TaskKind.APPROVAL, step_key="notice")
    two = add_task(ports, tenant, claim, 2, kind=TaskKind.APPROVAL)
    call = add_task(ports, tenant, claim, 3)
    refused = client.post("/v1/tasks/approvals", json={"task_ids": [one, call, two]},
                          headers=tenant.headers)
    body = assert_problem(refused, 422, "task_ids[1]")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("task_ids[1]", "not_an_approval")]
    assert listed(client, tenant, type="approval") == [one, two]  # none approved
    approved = client.post("/v1/tasks/approvals", json={"task_ids": [one, two]},
                           headers=tenant.headers)
    assert approved.status_code == 200, approved.text
    assert [(t["id"], t["status"], t["outcome"]) for t in approved.json()["items"]] == [
        (one, "done", "approved"), (two, "done", "approved")]
    assert listed(client, tenant, type="approval") == []
    again = client.post("/v1/tasks/approvals", json={"task_ids": [two]},
                        headers=tenant.headers)
    assert assert_problem(again, 422, "task_ids[0]")["errors"][0]["code"] == "not_open"
    assert_problem(client.post("/v1/tasks/approvals", json={"task_ids": []},
                               headers=tenant.headers), 400, "task_ids")


# ------------------------------------------------------------------------ the list


def test_the_worklist_filters_and_pages_in_due_order(
        client: Any, tenant: Tenant, claim: dict[str, Any], ports: Any) -> None:
    other_claim = new_claim(client, tenant, claim["debtor_id"], number="F-002")
    a = add_task(ports, tenant, claim, 1, assignee="alice")
    b = add_task(ports, tenant, other_claim, 2, kind=TaskKind.VISIT)
    c = add_task(ports, tenant, claim, 3, kind=TaskKind.APPROVAL, assignee="alice")
    d = add_task(ports, tenant, claim, 4, due=NOW - timedelta(days=1))  # overdue: first
    assert listed(client, tenant) == [d, a, b, c]
    assert listed(client, tenant, type="approval") == [c]
    assert listed(client, tenant, assignee="alice") == [a, c]
    assert listed(client, tenant, claim_id=other_claim["id"]) == [b]
    # Strictly before 12:30 UTC (13:30 in Paris): the task due at 12:30 is not.
    assert listed(client, tenant, due_before="2026-03-10T13:30:00+01:00") == [d, a, b]
    complete(client, tenant, a, "reached")
    assert listed(client, tenant) == [d, b, c]
    assert listed(client, tenant, status="done") == [a]
    first = client.get("/v1/tasks", params={"limit": 2}, headers=tenant.headers).json()
    assert [t["id"] for t in first["items"]] == [d, b] and first["next_cursor"]
    rest = client.get("/v1/tasks", params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=tenant.headers).json()
    assert [t["id"] for t in rest["items"]] == [c]
    assert_problem(client.get("/v1/tasks", params={"cursor": first["next_cursor"],
                                                   "status": "done"},
                              headers=tenant.headers), 422, "cursor")
    assert_problem(client.get("/v1/tasks", params={"due_before": "2026-03-10T13:30:00"},
                              headers=tenant.headers), 400, "due_before")
    assert_problem(client.get("/v1/tasks", params={"type": "lunch"},
                              headers=tenant.headers), 400)
