"""Manual lifecycle actions: allowed from some states only (409 lists what is), and each
leaves an event with who and why."""

from __future__ import annotations

import pytest

from tests.api._helpers import assert_problem, issue_key, key_id_of
from tests.conftest import new_claim, new_debtor

MANUAL = ["hold", "resume", "open_dispute", "resolve_dispute", "cancel", "write_off", "transfer",
          "start_judicial"]
# What each action needs besides a reason.
BODIES = {"transfer": {"to": "agency"}, "start_judicial": {"route": "injonction_de_payer"}}


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
    closed = _ok(_act(client, tenant, claim["id"], action,
                      {"reason": "decided", **BODIES.get(action, {})}))
    assert closed["phase"] == "closed" and closed["outcome"] == outcome
    assert closed["allowed_actions"] == ["reopen"]
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
    body = assert_problem(_act(client, tenant, claim["id"], action,
                               {"reason": "again", **BODIES.get(action, {})}), 409)
    assert body["allowed_actions"] == ["reopen"]
    after = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert after["version"] == version and after["outcome"] == "cancelled"
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open", "cancel"]


def test_each_action_appends_an_event_with_actor_and_reason(client, tenant, claim):
    key_id = key_id_of(client, tenant)
    steps = [("hold", "waiting for the accountant"), ("resume", None),
             ("open_dispute", "goods damaged"), ("resolve_dispute", "credit note issued"),
             ("transfer", "handed to a collection agency")]
    for action, reason in steps:
        body = {"reason": reason} if reason else {}
        _ok(_act(client, tenant, claim["id"], action, body | BODIES.get(action, {})))
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


@pytest.mark.parametrize("action", ["frobnicate", "record_payment", "review", "HOLD",
                                    "hold%00", "x" * 300])
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


# ------------------------------------------------------------------------ reopen

def test_a_written_off_claim_reopens_in_the_phase_it_left(client, tenant, claim):
    assert claim["phase"] == "amicable"  # due 15 February, opened 10 March
    _ok(_act(client, tenant, claim["id"], "write_off", {"reason": "not worth it"}))
    reopened = _ok(_act(client, tenant, claim["id"], "reopen",
                        {"reason": "the debtor's new address was found"}))
    assert (reopened["phase"], reopened["outcome"]) == ("amicable", None)
    assert reopened["outstanding"] == claim["outstanding"]
    assert "write_off" in reopened["allowed_actions"]
    assert "reopen" not in reopened["allowed_actions"]
    last = _events(client, tenant, claim["id"])[-1]
    assert last["action"] == "reopen"
    assert last["reason"] == "the debtor's new address was found"
    assert last["data"] == {"from": "closed (written_off)", "to": "amicable",
                            "phase": "amicable"}


def test_a_cancelled_pre_due_claim_reopens_pre_due(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-04-30")
    _ok(_act(client, tenant, claim["id"], "cancel"))
    reopened = _ok(_act(client, tenant, claim["id"], "reopen", {"reason": "cancelled in error"}))
    assert reopened["phase"] == "pre_due"


def test_a_pre_due_claim_reopened_after_its_due_date_is_amicable(client, tenant, clock):
    from datetime import timedelta

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-03-12")  # today: 10 March
    assert claim["phase"] == "pre_due"
    _ok(_act(client, tenant, claim["id"], "cancel"))
    clock.advance(timedelta(days=3))  # 13 March: past due
    reopened = _ok(_act(client, tenant, claim["id"], "reopen", {"reason": "cancelled in error"}))
    assert reopened["phase"] == "amicable"


def test_reopening_brings_back_the_dispute_the_closure_did_not_end(client, tenant, claim):
    _ok(_act(client, tenant, claim["id"], "open_dispute", {"reason": "goods damaged"}))
    closed = _ok(_act(client, tenant, claim["id"], "transfer",
                      {"to": "lawyer", "mandate_reference": "CAB-2026-041"}))
    assert closed["hold"] is None
    reopened = _ok(_act(client, tenant, claim["id"], "reopen",
                        {"reason": "the lawyer handed the file back"}))
    assert reopened["hold"]["reason"] == "dispute"
    assert reopened["hold"]["note"] == "goods damaged"
    assert _events(client, tenant, claim["id"])[-1]["data"]["to"] == "amicable, held for dispute"


def test_reopen_needs_a_reason(client, tenant, claim):
    _ok(_act(client, tenant, claim["id"], "write_off"))
    for body in (None, {}, {"reason": "   "}):
        assert_problem(_act(client, tenant, claim["id"], "reopen", body), 422, "reason")
    after = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert after["outcome"] == "written_off"


def test_an_open_claim_does_not_reopen(client, tenant, claim):
    body = assert_problem(_act(client, tenant, claim["id"], "reopen", {"reason": "why not"}),
                          409)
    assert "reopen" not in body["allowed_actions"]


def test_a_paid_claim_reopens_only_by_reversing_the_payment(client, tenant, claim):
    paid = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                       json={"amount": "2000.00", "received_on": "2026-02-15"})
    assert paid.status_code == 201, paid.text
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert (read["phase"], read["outcome"]) == ("closed", "paid")
    assert read["allowed_actions"] == ["reverse_payment"]
    body = assert_problem(_act(client, tenant, claim["id"], "reopen", {"reason": "try"}), 409)
    assert body["detail"].endswith("(a paid one: reverse the payment)")


# ------------------------------------------------------------------------ transfer

def test_a_transfer_says_to_whom_and_under_which_mandate(client, tenant, claim):
    _ok(_act(client, tenant, claim["id"], "transfer", {
        "reason": "beyond our means", "to": "commissaire_de_justice",
        "mandate_reference": "SCP-DURAND-7781"}))
    last = _events(client, tenant, claim["id"])[-1]
    assert last["action"] == "transfer"
    assert last["data"] == {"from": "amicable", "to": "closed (transferred)",
                            "transferred_to": "commissaire_de_justice",
                            "mandate_reference": "SCP-DURAND-7781"}


@pytest.mark.parametrize("body,field", [
    (None, "to"), ({}, "to"), ({"reason": "x"}, "to"), ({"to": "bank"}, "to"),
    ({"to": "agency", "mandate_reference": "   "}, "mandate_reference"),
    ({"to": "agency", "route": "injonction_de_payer"}, "route")])
def test_a_transfer_is_refused_without_a_known_recipient(client, tenant, claim, body, field):
    assert_problem(_act(client, tenant, claim["id"], "transfer", body), 422, field)
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


@pytest.mark.parametrize("action,body,field", [
    ("hold", {"to": "agency"}, "to"), ("write_off", {"mandate_reference": "M-1"},
                                        "mandate_reference"),
    ("cancel", {"route": "refere_provision"}, "route")])
def test_fields_of_other_actions_are_refused(client, tenant, claim, action, body, field):
    assert_problem(_act(client, tenant, claim["id"], action, body), 422, field)
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


# ------------------------------------------------------------------------ start_judicial

def test_start_judicial_moves_the_claim_to_the_route(client, tenant, claim):
    assert "start_judicial" in claim["allowed_actions"]
    judicial = _ok(_act(client, tenant, claim["id"], "start_judicial",
                        {"route": "injonction_de_payer", "reason": "no answer to the notice"}))
    assert (judicial["phase"], judicial["judicial_route"]) == ("judicial",
                                                               "injonction_de_payer")
    assert "start_judicial" not in judicial["allowed_actions"]
    assert "escalate" in judicial["allowed_actions"] and "transfer" in judicial["allowed_actions"]
    # the proceeding opens in the same write (its own entry follows)
    last = [e for e in _events(client, tenant, claim["id"]) if e["action"] == "start_judicial"][-1]
    assert (last["action"], last["reason"]) == ("start_judicial", "no answer to the notice")
    assert last["data"] == {"from": "amicable", "to": "judicial",
                            "route": "injonction_de_payer"}


@pytest.mark.parametrize("body", [None, {}, {"reason": "x"}, {"route": "small_claims"},
                                  {"route": "INJONCTION_DE_PAYER"}])
def test_start_judicial_names_a_known_route(client, tenant, claim, body):
    problem = assert_problem(_act(client, tenant, claim["id"], "start_judicial", body), 422,
                             "route")
    assert "injonction_de_payer" in problem["errors"][0]["message"]
    assert [e["action"] for e in _events(client, tenant, claim["id"])] == ["open"]


def test_no_court_for_a_claim_not_yet_due(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-04-30")
    assert "start_judicial" not in claim["allowed_actions"]
    assert_problem(_act(client, tenant, claim["id"], "start_judicial",
                        {"route": "assignation_au_fond"}), 409)


def test_a_pre_due_claim_goes_to_court_once_due(client, tenant, clock):
    from datetime import timedelta

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-03-12")
    clock.advance(timedelta(days=3))
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["phase"] == "amicable" and "start_judicial" in read["allowed_actions"]
    _ok(_act(client, tenant, claim["id"], "start_judicial", {"route": "refere_provision"}))
    started = [e for e in _events(client, tenant, claim["id"]) if e["action"] == "start_judicial"]
    assert started[-1]["data"]["from"] == "amicable"


@pytest.mark.parametrize("blocking", ["open_dispute", "plan"])
def test_no_court_while_disputed_or_under_a_plan(client, tenant, claim, blocking):
    if blocking == "plan":
        started = client.post(f"/v1/claims/{claim['id']}/payment-plan", headers=tenant.headers,
                              json={"count": 3, "first_due_on": "2026-03-20"})
        assert started.status_code == 201, started.text
    else:
        _ok(_act(client, tenant, claim["id"], blocking))
    body = assert_problem(_act(client, tenant, claim["id"], "start_judicial",
                               {"route": "injonction_de_payer"}), 409)
    assert "start_judicial" not in body["allowed_actions"]


def test_under_collective_proceedings_the_claim_is_declared_not_sued(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    assert_problem(_act(client, tenant, claim["id"], "start_judicial",
                        {"route": "declaration_of_claim"}), 409)
    recorded = client.put(f"/v1/debtors/{debtor['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2026-03-02",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-03-06"}, headers=tenant.headers)
    assert recorded.status_code == 200, recorded.text
    body = assert_problem(_act(client, tenant, claim["id"], "start_judicial",
                               {"route": "injonction_de_payer"}), 409)
    assert "start_judicial" in body["allowed_actions"]
    assert body["detail"].endswith("(routes open: declaration_of_claim)")
    declared = _ok(_act(client, tenant, claim["id"], "start_judicial",
                        {"route": "declaration_of_claim"}))
    assert (declared["phase"], declared["judicial_route"]) == ("judicial",
                                                               "declaration_of_claim")
    assert declared["hold"]["reason"] == "insolvency"


# ------------------------------------------------------------------------ If-Match

def test_an_action_with_if_match_applies_to_that_version_only(client, tenant, claim):
    stale = {**tenant.headers, "If-Match": f'"{claim["version"]}"'}
    held = client.post(f"/v1/claims/{claim['id']}/actions/hold", headers=stale)
    assert held.status_code == 200 and held.headers["ETag"] == f'"{claim["version"] + 1}"'
    refused = client.post(f"/v1/claims/{claim['id']}/actions/write_off", headers=stale)
    assert_problem(refused, 412)
    assert client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()[
        "outcome"] is None
    fresh = {**tenant.headers, "If-Match": held.headers["ETag"]}
    assert client.post(f"/v1/claims/{claim['id']}/actions/write_off",
                       headers=fresh).status_code == 200


def test_a_claim_that_falls_due_shows_amicable_and_its_next_write_says_it_fell_due(
        client, tenant, clock):
    from datetime import timedelta

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-03-12")  # today is 10 March
    assert claim["phase"] == "pre_due"
    clock.advance(timedelta(days=3))  # 13 March: a day late
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert (read["phase"], read["version"]) == ("amicable", 1)  # shown, not yet written
    held = _ok(_act(client, tenant, claim["id"], "hold", {"reason": "client on holiday"}))
    assert (held["phase"], held["version"]) == ("amicable", 2)
    fell, hold = _events(client, tenant, claim["id"])[-2:]
    assert (fell["action"], fell["data"]) == ("fell_due",
                                              {"due_date": "2026-03-12", "phase": "amicable"})
    assert (hold["action"], hold["data"]["from"]) == ("hold", "amicable")
    listed = client.get("/v1/claims?phase=amicable", headers=tenant.headers).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]


def test_a_payment_before_the_due_date_leaves_the_claim_pre_due(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-03-12", amount="1200.00")
    paid = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                       json={"amount": "200.00", "received_on": "2026-03-10",
                             "method": "transfer"})
    assert paid.status_code == 201, paid.text
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["phase"] == "pre_due"
    assert "fell_due" not in [e["action"] for e in _events(client, tenant, claim["id"])]
