"""GET /v1/claims/{id}/judicial and POST …/judicial/events on moto: the proceeding as the
API shows it, events refused by state (409 naming the allowed ones), by date (422 naming
the field) and by a stale If-Match (412), the timeline and the worklist it moves.

The clock: 10 March 2026. The claim: 1,200.00 EUR due 15 February 2026, a business."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api._helpers import assert_problem
from tests.conftest import make_tenant, new_claim, new_debtor


@pytest.fixture
def claim(client: Any, tenant: Any) -> dict[str, Any]:
    found = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    started = client.post(f"/v1/claims/{found['id']}/actions/start_judicial",
                          json={"route": "injonction_de_payer"}, headers=tenant.headers)
    assert started.status_code == 200, started.text
    return found


def url(claim: dict[str, Any]) -> str:
    return f"/v1/claims/{claim['id']}/judicial"


def post(client: Any, tenant: Any, claim: dict[str, Any], body: dict[str, Any],
         **headers: str) -> Any:
    return client.post(url(claim) + "/events", json=body, headers={**tenant.headers, **headers})


def test_a_claim_without_a_proceeding_answers_404(client: Any, tenant: Any) -> None:
    bare = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    assert_problem(client.get(url(bare), headers=tenant.headers), 404)
    assert_problem(post(client, tenant, bare, {"type": "filed", "occurred_on": "2026-03-01"}),
                   404)


def test_the_proceeding_as_started(client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    response = client.get(url(claim), headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["route"], body["state"], body["filer"], body["court"],
            body["debtor_residence"]) == ("injonction_de_payer", "draft", "creditor", None,
                                          "metropolitan")
    assert body["allowed_events"] == ["filed", "withdrawn", "cost", "document"]
    assert body["deadlines"] == [] and body["events"] == []
    claim_now = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert claim_now["phase"] == "judicial"


def test_an_event_the_state_does_not_take_is_409_naming_the_allowed(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    body = assert_problem(post(client, tenant, claim,
                               {"type": "served", "occurred_on": "2026-03-02"}), 409)
    assert body["allowed_actions"] == ["filed", "withdrawn", "cost", "document"]


def test_dates_in_the_future_or_before_the_previous_event_are_422(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    assert_problem(post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-11"}),
                   422, "occurred_on")
    assert post(client, tenant, claim,
                {"type": "filed", "occurred_on": "2026-03-02"}).status_code == 200
    assert_problem(post(client, tenant, claim, {"type": "order_granted",
                                                "occurred_on": "2026-03-01"}),
                   422, "occurred_on")
    assert_problem(post(client, tenant, claim, {"type": "order_granted",
                                                "occurred_on": "2026-03-05",
                                                "order_date": "2026-03-01",
                                                "amount": "1200.00"}),
                   422, "order_date")  # before the request was filed
    # The order's amount is what enforcement and the interest since the order run on.
    assert_problem(post(client, tenant, claim, {"type": "order_granted",
                                                "occurred_on": "2026-03-05"}),
                   422, "amount")
    assert_problem(post(client, tenant, claim, {"type": "order_granted",
                                                "occurred_on": "2026-03-05",
                                                "amount": "0.00"}),
                   422, "amount")
    assert client.get(url(claim), headers=tenant.headers).json()["state"] == "filed"
    assert_problem(post(client, tenant, claim, {"type": "bogus", "occurred_on": "2026-03-05"}),
                   400)


def test_if_match_on_the_proceedings_version(client: Any, tenant: Any,
                                             claim: dict[str, Any]) -> None:
    ok = post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-02"},
              **{"If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == '"2"'
    stale = post(client, tenant, claim, {"type": "order_granted", "occurred_on": "2026-03-05",
                                         "amount": "1200.00"}, **{"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert client.get(url(claim), headers=tenant.headers).json()["state"] == "filed"


def test_an_order_sets_its_service_deadline_a_task_and_a_timeline_entry(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    filed = post(client, tenant, claim, {
        "type": "filed", "occurred_on": "2026-03-02",
        "cost": {"kind": "greffe", "amount": "33.47"},
        "court": {"name": "Tribunal de commerce de Lyon", "kind": "TC"}, "filer": "agency"})
    assert (filed.json()["court"], filed.json()["filer"]) == (
        {"name": "Tribunal de commerce de Lyon", "kind": "TC", "seat": None,
         "postal_code": None}, "agency")
    response = post(client, tenant, claim, {
        "type": "order_granted", "occurred_on": "2026-03-06", "order_date": "2026-03-04",
        "amount": "1200.00",
        "document": {"name": "ordonnance", "sha256": "c" * 64}})
    assert response.status_code == 200, response.text
    body = response.json()
    # Dated before 1 September 2026: 6 months (CPC 1411), to Friday 4 September 2026.
    serve = next(d for d in body["deadlines"] if d["what"] == "serve_order")
    assert (serve["due"], serve["last_day"], serve["status"], serve["rule"],
            serve["effective_from"], serve["confirmed"]) == (
        "2026-09-04", "2026-09-04", "open", "injonction_de_payer.service_months",
        "2022-03-01", True)
    assert body["documents"] == [{"name": "ordonnance", "recorded_on": "2026-03-06",
                                  "event": "order_granted", "sha256": "c" * 64,
                                  "document_id": None}]
    assert body["costs"][0] | {} == {"kind": "greffe", "amount": "33.47", "vat": "0.00",
                                     "total": "33.47", "incurred_on": "2026-03-02",
                                     "recoverable": True, "note": None}
    assert body["cost_totals"] == {"recoverable": "33.47", "borne_by_creditor": "0.00"}
    tasks = client.get(f"/v1/tasks/?claim_id={claim['id']}", headers=tenant.headers).json()
    assert [(t["kind"], t["due_at"][:10]) for t in tasks["items"]] == [
        ("serve_order", "2026-09-04")]
    timeline = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    entry = timeline["items"][-1]
    assert (entry["action"], entry["data"]["type"], entry["data"]["from"],
            entry["data"]["to"], entry["data"]["order_date"]) == (
        "judicial_event", "order_granted", "filed", "order_granted", "2026-03-04")


def test_another_tenant_never_sees_it(client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    other = make_tenant(client, "Autre SARL")
    assert_problem(client.get(url(claim), headers=other.headers), 404)
    assert_problem(post(client, other, claim, {"type": "filed", "occurred_on": "2026-03-02"}),
                   404)


def test_start_judicial_opens_the_proceeding_in_the_same_write(client: Any,
                                                               tenant: Any) -> None:
    found = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    started = client.post(f"/v1/claims/{found['id']}/actions/start_judicial",
                          json={"route": "injonction_de_payer", "reason": "no answer"},
                          headers=tenant.headers)
    assert started.status_code == 200, started.text
    body = client.get(url(found), headers=tenant.headers).json()
    assert (body["route"], body["state"], body["filer"]) == (
        "injonction_de_payer", "draft", "creditor")
    events = client.get(f"/v1/claims/{found['id']}/events", headers=tenant.headers).json()
    actions = [e["action"] for e in events["items"]]
    assert actions[-2:] == ["start_judicial", "proceeding_started"]
    # a second route while this one is under way is refused, naming the route
    again = client.post(f"/v1/claims/{found['id']}/actions/start_judicial",
                        json={"route": "refere_provision"}, headers=tenant.headers)
    assert again.status_code in (409, 422), again.text


def test_a_court_s_postal_code_sets_its_seat_and_its_local_holidays(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    bad = post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-02", "court": {
        "name": "Tribunal judiciaire de Strasbourg", "seat": "overseas", "postal_code": "67000"}})
    assert_problem(bad, 422, "court.seat")
    assert_problem(post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-02",
                                                "court": {"name": "TJ", "postal_code": "ABCDE"}}),
                   422, "court.postal_code")
    filed = post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-02", "court": {
        "name": "Tribunal judiciaire de Strasbourg", "kind": "TJ", "postal_code": "67000"}})
    assert filed.status_code == 200, filed.text
    assert filed.json()["court"] == {"name": "Tribunal judiciaire de Strasbourg", "kind": "TJ",
                                     "seat": "metropolitan", "postal_code": "67000"}


def test_an_appeal_is_recorded_and_shown_and_a_decision_in_last_resort_takes_none(
        client: Any, tenant: Any) -> None:
    def judged(amount: str, number: str) -> dict[str, Any]:
        debtor = new_debtor(client, tenant, name=f"Débiteur {number}")
        made = client.post("/v1/claims", headers=tenant.headers, json={
            "debtor_id": debtor["id"], "currency": "EUR", "invoices": [{
                "number": number, "issue_date": "2026-01-15", "due_date": "2026-02-01",
                "amount": amount}]})
        assert made.status_code == 201, made.text
        started = client.post(f"/v1/claims/{made.json()['id']}/actions/start_judicial",
                              headers=tenant.headers, json={"route": "refere_provision"})
        assert started.status_code == 200, started.text
        claim = made.json()
        for body in ({"type": "summons_served", "occurred_on": "2026-03-02"},
                     {"type": "hearing_set", "occurred_on": "2026-03-03",
                      "hearing_on": "2026-03-09"},
                     {"type": "judgment", "occurred_on": "2026-03-09", "amount": amount},
                     {"type": "judgment_served", "occurred_on": "2026-03-10"}):
            answered = post(client, tenant, claim, body)
            assert answered.status_code == 200, answered.text
        return claim

    big = judged("6000.00", "F-A1")
    served = client.get(url(big), headers=tenant.headers).json()
    assert "appealed" in served["allowed_events"] and served["appeal"] is None
    assert_problem(post(client, tenant, big, {"type": "appealed", "occurred_on": "2026-03-10"}),
                   422, "appellant")
    appealed = post(client, tenant, big, {"type": "appealed", "occurred_on": "2026-03-10",
                                          "appellant": "debtor"})
    assert appealed.status_code == 200, appealed.text
    body = appealed.json()
    assert (body["state"], body["appeal"]) == ("enforceable", {
        "appealed_on": "2026-03-10", "appellant": "debtor", "decided_on": None})
    assert "appeal_decided" in body["allowed_events"] and "appealed" not in body["allowed_events"]
    # Référé: 15 days from its service (CPC 490), met by the appeal.
    appeal = next(d for d in body["deadlines"] if d["what"] == "appeal")
    assert (appeal["last_day"], appeal["status"]) == ("2026-03-25", "met")
    assert_problem(post(client, tenant, big, {"type": "appeal_decided",
                                              "occurred_on": "2026-03-10"}), 422, "amount")
    assert_problem(post(client, tenant, big, {"type": "appeal_decided",
                                              "occurred_on": "2026-03-10", "amount": "-1.00"}),
                   400, "amount")

    small = judged("3000.00", "F-A2")  # up to 5,000 EUR: in last resort
    assert "appealed" not in client.get(url(small), headers=tenant.headers).json()[
        "allowed_events"]
    assert_problem(post(client, tenant, small, {"type": "appealed", "occurred_on": "2026-03-10",
                                                "appellant": "debtor"}), 409)


def test_a_service_not_in_person_keeps_the_opposition_open_once_enforceable(
        client: Any, tenant: Any, claim: dict[str, Any], clock: Any) -> None:
    from datetime import timedelta

    for body in ({"type": "filed", "occurred_on": "2026-03-02"},
                 {"type": "order_granted", "occurred_on": "2026-03-05", "amount": "1200.00"},
                 {"type": "served", "occurred_on": "2026-03-09", "in_person": False}):
        answered = post(client, tenant, claim, body)
        assert answered.status_code == 200, answered.text
    assert answered.json()["events"][-1]["details"]["in_person"] == "false"
    clock.advance(timedelta(days=40))  # 19 April
    enforceable = post(client, tenant, claim, {"type": "enforceable", "occurred_on": "2026-04-19"})
    assert enforceable.status_code == 200, enforceable.text
    body = enforceable.json()
    assert "opposed" in body["allowed_events"]
    assert next(d for d in body["deadlines"] if d["what"] == "opposition")["status"] == "open"


def test_collective_proceedings_stay_the_action_and_the_claim_is_declared_instead(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    for body in ({"type": "filed", "occurred_on": "2026-03-02"},
                 {"type": "order_granted", "occurred_on": "2026-03-04", "amount": "1200.00"},
                 {"type": "served", "occurred_on": "2026-03-05", "in_person": True}):
        assert post(client, tenant, claim, body).status_code == 200
    opened = client.put(f"/v1/debtors/{claim['debtor_id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2026-03-06",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-03-09"}, headers=tenant.headers)
    assert opened.status_code == 200, opened.text
    read = client.get(url(claim), headers=tenant.headers).json()
    assert "stayed" in read["allowed_events"]
    barred = assert_problem(post(client, tenant, claim, {"type": "opposed",
                                                          "occurred_on": "2026-03-09"}), 409)
    assert "stayed" in barred["allowed_actions"] and "L622-21" in barred["detail"]
    assert_problem(post(client, tenant, claim, {"type": "stayed", "occurred_on": "2026-03-05"}),
                   422, "occurred_on")
    stayed = post(client, tenant, claim, {"type": "stayed", "occurred_on": "2026-03-10"})
    assert stayed.status_code == 200, stayed.text
    assert (stayed.json()["state"], stayed.json()["prescription_interrupted_on"]) == (
        "stayed", "2026-03-05")
    declared = client.post(f"/v1/claims/{claim['id']}/actions/start_judicial",
                           json={"route": "declaration_of_claim"}, headers=tenant.headers)
    assert declared.status_code == 200, declared.text
    assert client.get(url(claim), headers=tenant.headers).json()["route"] == (
        "declaration_of_claim")


def test_a_cancelled_claim_takes_only_its_proceeding_s_end(
        client: Any, tenant: Any, claim: dict[str, Any]) -> None:
    assert post(client, tenant, claim, {"type": "filed", "occurred_on": "2026-03-02"}
                ).status_code == 200
    cancelled = client.post(f"/v1/claims/{claim['id']}/actions/cancel",
                            json={"reason": "settled aside"}, headers=tenant.headers)
    assert cancelled.status_code == 200, cancelled.text
    refused = assert_problem(post(client, tenant, claim, {
        "type": "order_granted", "occurred_on": "2026-03-05", "amount": "1200.00"}), 409)
    assert sorted(refused["allowed_actions"]) == ["closed", "cost", "document", "withdrawn"]
    assert post(client, tenant, claim, {"type": "withdrawn", "occurred_on": "2026-03-06"}
                ).status_code == 200
