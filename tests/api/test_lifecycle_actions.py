"""Manual lifecycle actions: allowed from some states only (409 lists what is), and each
leaves an event with who and why."""

from __future__ import annotations

import pytest

from tests.api._helpers import assert_problem, issue_key, key_id_of
from tests.conftest import new_claim, new_debtor

MANUAL = ["hold", "resume", "open_dispute", "resolve_dispute", "cancel", "write_off", "transfer"]


@pytest.fixture
def claim(client, tenant):
    debtor = new_debtor(client, tenant)
    return new_claim(client, tenant, debtor["id"])


def _act(client, tenant, claim_id, action, body=None):
    kwargs = {"json": body} if body is not None else {}
    return client.post(f"/v1/claims/{claim_id}/actions/{action}", headers=tenant.headers,
                       **kwargs)


def _ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def _events(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers)
    assert response.status_code == 200
    return response.json()["items"]


def test_hold_then_resume(client, tenant, claim):
    held = _ok(_act(client, tenant, claim["id"], "hold",
                    {"reason": "debtor asked for a week", "until": "2026-03-17"}))
    assert held["hold"]["reason"] == "manual"
    assert held["hold"]["until"] == "2026-03-17"
    assert held["hold"]["note"] == "debtor asked for a week"
    assert held["version"] == claim["version"] + 1
    assert "resume" in held["allowed_actions"] and "hold" not in held["allowed_actions"]
    assert "escalate" not in held["allowed_actions"]
    resumed = _ok(_act(client, tenant, claim["id"], "resume", {"reason": "week over"}))
    assert resumed["hold"] is None
    assert "hold" in resumed["allowed_actions"] and "resume" not in resumed["allowed_actions"]
    assert client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json() == resumed


def test_action_without_a_body(client, tenant, claim):
    held = _ok(_act(client, tenant, claim["id"], "hold"))
    assert held["hold"]["note"] is None
    events = _events(client, tenant, claim["id"])
    assert events[-1]["action"] == "hold" and events[-1]["reason"] is None


def test_dispute_opens_and_resolves(client, tenant, claim):
    disputed = _ok(_act(client, tenant, claim["id"], "open_dispute",
                        {"reason": "invoice F-001 contested: goods damaged"}))
    assert disputed["hold"]["reason"] == "dispute"
    assert "resolve_dispute" in disputed["allowed_actions"]
    assert "open_dispute" not in disputed["allowed_actions"]
    assert_problem(_act(client, tenant, claim["id"], "resume"), 409)  # not a manual hold
    resolved = _ok(_act(client, tenant, claim["id"], "resolve_dispute", {"reason": "credit note"}))
    assert resolved["hold"] is None


@pytest.mark.parametrize("action,outcome", [
    ("cancel", "cancelled"), ("write_off", "written_off"), ("transfer", "transferred")])
def test_closing_actions(client, tenant, claim, action, outcome):
    closed = _ok(_act(client, tenant, claim["id"], action, {"reason": "decided"}))
    assert closed["phase"] == "closed" and closed["outcome"] == outcome
    assert closed["allowed_actions"] == []
    assert closed["outstanding"] == claim["outstanding"]


def test_closing_a_held_claim_clears_the_hold(client, tenant, claim):
    _ok(_act(client, tenant, claim["id"], "hold"))
    closed = _ok(_act(client, tenant, claim["id"], "write_off"))
    assert closed["hold"] is None and closed["phase"] == "closed"


def test_resume_when_not_held_is_409_with_allowed_actions(client, tenant, claim):
    before = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    body = assert_problem(_act(client, tenant, claim["id"], "resume"), 409)
    assert body["allowed_actions"] == before["allowed_actions"]
    assert "resume" not in body["allowed_actions"]
    assert "hold" in body["allowed_actions"]
    after = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert after == before
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


@pytest.mark.parametrize("refused", ["hold", "resolve_dispute"])
def test_other_refusals(client, tenant, claim, refused):
    _ok(_act(client, tenant, claim["id"], "hold"))
    body = assert_problem(_act(client, tenant, claim["id"], refused), 409)
    assert refused not in body["allowed_actions"]
    assert "resume" in body["allowed_actions"]


@pytest.mark.parametrize("action", MANUAL)
def test_nothing_is_allowed_on_a_cancelled_claim(client, tenant, claim, action):
    _ok(_act(client, tenant, claim["id"], "cancel"))
    version = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()["version"]
    body = assert_problem(_act(client, tenant, claim["id"], action, {"reason": "again"}), 409)
    assert body["allowed_actions"] == []
    after = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert after["version"] == version and after["outcome"] == "cancelled"
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open", "cancel"]


def test_each_action_appends_an_event_with_actor_and_reason(client, tenant, claim):
    key_id = key_id_of(client, tenant)
    steps = [("hold", "waiting for the accountant"), ("resume", None),
             ("open_dispute", "goods damaged"), ("resolve_dispute", "credit note issued"),
             ("transfer", "sold to a collection agency")]
    for action, reason in steps:
        _ok(_act(client, tenant, claim["id"], action, {"reason": reason} if reason else {}))
    events = _events(client, tenant, claim["id"])
    assert [e["action"] for e in events] == ["open"] + [a for a, _ in steps]
    assert [e["reason"] for e in events[1:]] == [r for _, r in steps]
    assert all(e["actor"] == f"api_key:{key_id}" for e in events)
    assert [e["seq"] for e in events] == list(range(1, len(steps) + 2))
    assert events[1]["data"]["from"] != events[1]["data"]["to"]


def test_actor_is_the_calling_key(client, tenant, claim):
    writer = issue_key(client, tenant, "write", name="erp")
    response = client.post(f"/v1/claims/{claim['id']}/actions/hold",
                           json={"reason": "from the ERP"},
                           headers={"X-API-Key": writer["secret"]})
    assert response.status_code == 200
    assert _events(client, tenant, claim["id"])[-1]["actor"] == f"api_key:{writer['id']}"


@pytest.mark.parametrize("action", ["frobnicate", "reopen", "record_payment", "start_judicial",
                                    "HOLD", "hold%00", "x" * 300])
def test_unknown_or_automatic_action_names_are_4xx(client, tenant, claim, action):
    response = client.post(f"/v1/claims/{claim['id']}/actions/{action}", json={},
                           headers=tenant.headers)
    assert 400 <= response.status_code < 500, response.text
    body = assert_problem(response, response.status_code)
    for error in body.get("errors", []):
        assert error["field"], body  # every error names a field
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


def test_unknown_action_without_body_names_only_the_action(client, tenant, claim):
    response = client.post(f"/v1/claims/{claim['id']}/actions/frobnicate",
                           headers=tenant.headers)
    body = assert_problem(response, 400, "action")
    assert [e["field"] for e in body["errors"]] == ["action"]


def test_action_body_is_validated(client, tenant, claim):
    assert_problem(_act(client, tenant, claim["id"], "hold", {"until": "2026-02-30"}), 400,
                   "until")
    assert_problem(_act(client, tenant, claim["id"], "hold", {"why": "x"}), 400, "why")
    assert_problem(_act(client, tenant, claim["id"], "hold", {"reason": "x" * 2001}), 400,
                   "reason")
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


def test_read_key_cannot_act(client, tenant, claim):
    reader = issue_key(client, tenant, "read")
    response = client.post(f"/v1/claims/{claim['id']}/actions/hold",
                           headers={"X-API-Key": reader["secret"]})
    assert_problem(response, 403)


def test_unknown_claim_action_is_404(client, tenant):
    assert_problem(client.post("/v1/claims/clm_nope/actions/hold", headers=tenant.headers), 404)


def test_pre_due_claim_can_be_held_and_cancelled(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-04-30")
    assert claim["phase"] == "pre_due"
    assert "hold" in claim["allowed_actions"] and "cancel" in claim["allowed_actions"]
    _ok(_act(client, tenant, claim["id"], "hold"))
    closed = _ok(_act(client, tenant, claim["id"], "cancel"))
    assert closed["outcome"] == "cancelled"


def test_a_refused_action_says_why(client, tenant):
    from tests.conftest import new_claim, new_debtor

    debtor = new_debtor(client, tenant, external_reference="WHY-1")
    claim = new_claim(client, tenant, debtor["id"], number="WHY-F1")
    response = client.post(f"/v1/claims/{claim['id']}/actions/resume", headers=tenant.headers)
    assert response.status_code == 409
    assert response.json()["detail"].endswith("the claim has no manual or insolvency hold")
