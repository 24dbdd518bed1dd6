"""Promises to pay: recorded as a lifecycle action that holds the claim; kept when payments
reach the amount by the promised date + 3 days' grace, broken otherwise (found by review);
broken promises stay on record."""

from __future__ import annotations

import pytest

from tests.api._account_helpers import events, pay, set_day
from tests.api._helpers import assert_problem
from tests.conftest import new_claim, new_debtor


def post_promise(client, tenant, claim_id, amount="500.00", promised_on="2026-03-20",
                 channel="phone", note="will pay by transfer", made_on=None):
    body = {"amount": amount, "promised_on": promised_on, "channel": channel}
    if note is not None:
        body["note"] = note
    if made_on is not None:
        body["made_on"] = made_on
    return client.post(f"/v1/claims/{claim_id}/promises", json=body, headers=tenant.headers)


def promise(client, tenant, claim_id, **kwargs):
    response = post_promise(client, tenant, claim_id, **kwargs)
    assert response.status_code == 201, response.text
    return response.json()



def review(client, tenant, claim_id):
    response = client.post(f"/v1/claims/{claim_id}/review", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response



def promises(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}/promises", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def read(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response



@pytest.fixture
def claim(client, tenant):
    debtor = new_debtor(client, tenant)
    return new_claim(client, tenant, debtor["id"], due="2026-01-15")


def test_promise_holds_the_claim(client, tenant, claim):
    result = promise(client, tenant, claim["id"])
    p = result["promise"]
    assert p["amount"] == "500.00" and p["promised_on"] == "2026-03-20"
    assert p["deadline"] == "2026-03-23"  # 3 days' grace
    assert p["channel"] == "phone" and p["note"] == "will pay by transfer"
    assert p["status"] == "pending" and p["resolved_on"] is None
    assert p["made_on"] == "2026-03-10"  # the creditor's today, as no made_on was given
    held = result["claim"]
    assert held["hold"]["reason"] == "promise"
    assert held["hold"]["until"] == "2026-03-23"
    assert "record_promise" not in held["allowed_actions"]
    assert "hold" not in held["allowed_actions"]
    assert "record_payment" in held["allowed_actions"]
    assert held["version"] == claim["version"] + 1
    last = events(client, tenant, claim["id"])[-1]
    assert last["action"] == "record_promise" and last["actor"].startswith("api_key:")
    assert last["reason"] == "will pay by transfer"
    assert last["data"] | {"promise_id": None} == {
        "promise_id": None, "amount": "500.00", "promised_on": "2026-03-20",
        "made_on": "2026-03-10", "channel": "phone", "hold_until": "2026-03-23"}
    assert last["data"]["promise_id"] == p["id"]
    assert read(client, tenant, claim["id"]).json() == held


def test_promise_for_today_is_allowed(client, tenant, claim):
    assert promise(client, tenant, claim["id"], promised_on="2026-03-10")["promise"][
        "status"] == "pending"


@pytest.mark.parametrize("body,status,field", [
    ({"amount": "500.00", "promised_on": "2026-03-09", "channel": "phone"}, 422, "promised_on"),
    ({"amount": "500.00", "promised_on": "2027-06-01", "channel": "phone"}, 422, "promised_on"),
    ({"amount": "0.00", "promised_on": "2026-03-20", "channel": "phone"}, 422, "amount"),
    ({"amount": "10.001", "promised_on": "2026-03-20", "channel": "phone"}, 422, "amount"),
    ({"amount": 500, "promised_on": "2026-03-20", "channel": "phone"}, 400, "amount"),
    ({"amount": "500.00", "promised_on": "2026-03-20", "channel": "pigeon"}, 400, "channel"),
])
def test_invalid_promise_is_refused_and_nothing_changes(client, tenant, claim, body, status,
                                                        field):
    response = client.post(f"/v1/claims/{claim['id']}/promises", json=body,
                           headers=tenant.headers)
    assert_problem(response, status, field)
    assert promises(client, tenant, claim["id"]) == []
    assert read(client, tenant, claim["id"]).json() == claim
    assert [e["action"] for e in events(client, tenant, claim["id"])] == ["open"]


@pytest.mark.parametrize("made_on,promised_on,field,code", [
    ("2026-03-11", "2026-03-20", "made_on", "in_future"),
    ("1900-01-01", "2026-03-20", "made_on", "date_out_of_range"),
    ("2026-02-01", "2026-01-31", "promised_on", "before_made"),
    ("2025-01-01", "2026-01-03", "promised_on", "too_far"),
])
def test_an_imported_promise_with_impossible_dates_is_refused(client, tenant, claim, made_on,
                                                               promised_on, field, code):
    response = post_promise(client, tenant, claim["id"], made_on=made_on,
                            promised_on=promised_on)
    assert_problem(response, 422, field)
    assert [e["code"] for e in response.json()["errors"]] == [code]
    assert promises(client, tenant, claim["id"]) == []
    assert read(client, tenant, claim["id"]).json() == claim


def test_a_promise_made_in_the_past_opens_its_window_on_that_day(client, tenant, claim):
    """An ERP's history: made on 1 Feb, for 10 Feb. Today (10 Mar) it is already due, so
    recording it resolves it at once from the payments on record: a payment of 5 Feb
    keeps it, and no promise hold is left behind."""
    pay(client, tenant, claim["id"], "500.00", "2026-02-05")
    result = promise(client, tenant, claim["id"], made_on="2026-02-01",
                     promised_on="2026-02-10")
    p = result["promise"]
    assert (p["made_on"], p["status"], p["resolved_on"]) == ("2026-02-01", "kept", "2026-02-05")
    assert p["made_at"].startswith("2026-03-10")  # when it was recorded
    assert result["claim"]["hold"] is None
    assert "record_promise" in result["claim"]["allowed_actions"]
    timeline = events(client, tenant, claim["id"])
    assert [e["action"] for e in timeline[-2:]] == ["record_promise", "promise_kept"]
    assert timeline[-2]["data"]["made_on"] == "2026-02-01"
    assert promises(client, tenant, claim["id"]) == [p]


def test_a_past_promise_unpaid_by_its_deadline_is_broken_at_once(client, tenant, claim):
    pay(client, tenant, claim["id"], "500.00", "2026-01-30")  # before it was made: no count
    result = promise(client, tenant, claim["id"], made_on="2026-02-01",
                     promised_on="2026-02-10")
    p = result["promise"]
    assert (p["status"], p["resolved_on"]) == ("broken", "2026-02-14")  # deadline + 1
    assert result["claim"]["hold"] is None
    assert [e["action"] for e in events(client, tenant, claim["id"])[-2:]] == [
        "record_promise", "promise_broken"]


def test_a_past_promise_still_running_holds_until_its_deadline(client, tenant, claim, clock):
    result = promise(client, tenant, claim["id"], made_on="2026-03-01",
                     promised_on="2026-03-08")
    assert result["promise"]["status"] == "pending"  # deadline 2026-03-11 not over
    assert result["claim"]["hold"]["until"] == "2026-03-11"
    set_day(clock, "2026-03-12")
    reviewed = review(client, tenant, claim["id"]).json()
    assert reviewed["hold"] is None
    assert promises(client, tenant, claim["id"])[0]["status"] == "broken"


def test_payment_reaching_the_amount_keeps_the_promise(client, tenant, claim, clock):
    made = promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-19")
    pay(client, tenant, claim["id"], "200.00", "2026-03-15")
    # Not enough yet: still pending and held.
    assert promises(client, tenant, claim["id"])[0]["status"] == "pending"
    assert read(client, tenant, claim["id"]).json()["hold"]["reason"] == "promise"
    result = pay(client, tenant, claim["id"], "300.00", "2026-03-19")
    assert result["claim"]["hold"] is None
    assert "record_promise" in result["claim"]["allowed_actions"]
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions == ["open", "record_promise", "record_payment", "record_payment",
                       "promise_kept"]
    kept = events(client, tenant, claim["id"])[-1]
    assert kept["data"]["promise_id"] == made["promise"]["id"]
    assert kept["data"]["amount"] == "500.00"
    [listed] = promises(client, tenant, claim["id"])
    assert listed["status"] == "kept" and listed["resolved_on"] == "2026-03-19"


def test_payment_within_the_grace_period_keeps_the_promise(client, tenant, claim, clock):
    promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-23")  # promised 2026-03-20 + 3 days
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-23")
    assert result["claim"]["hold"] is None
    assert events(client, tenant, claim["id"])[-1]["action"] == "promise_kept"
    assert promises(client, tenant, claim["id"])[0]["status"] == "kept"


def test_unpaid_promise_is_broken_on_review(client, tenant, claim, clock):
    made = promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-23")  # last day of grace: not broken yet
    response = review(client, tenant, claim["id"])
    assert response.json()["hold"]["reason"] == "promise"
    assert promises(client, tenant, claim["id"])[0]["status"] == "pending"
    assert "promise_broken" not in [e["action"] for e in events(client, tenant, claim["id"])]
    set_day(clock, "2026-03-24")
    response = review(client, tenant, claim["id"])
    body = response.json()
    assert body["hold"] is None
    assert "record_promise" in body["allowed_actions"]
    broken = events(client, tenant, claim["id"])[-1]
    assert broken["action"] == "promise_broken"
    assert broken["data"]["promise_id"] == made["promise"]["id"]
    assert broken["actor"].startswith("api_key:")
    [listed] = promises(client, tenant, claim["id"])
    assert listed["status"] == "broken" and listed["resolved_on"] == "2026-03-24"
    assert read(client, tenant, claim["id"]).json() == body
    assert read(client, tenant, claim["id"]).headers["ETag"] == response.headers["ETag"]


def test_a_late_payment_does_not_unbreak_a_promise(client, tenant, claim, clock):
    promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-25")
    pay(client, tenant, claim["id"], "500.00", "2026-03-25")
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert "promise_kept" not in actions and actions[-1] == "promise_broken"
    assert promises(client, tenant, claim["id"])[0]["status"] == "broken"


def test_partial_payment_then_deadline_breaks_the_promise(client, tenant, claim, clock):
    promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-20")
    pay(client, tenant, claim["id"], "499.99", "2026-03-20")
    set_day(clock, "2026-03-24")
    review(client, tenant, claim["id"])
    assert promises(client, tenant, claim["id"])[0]["status"] == "broken"


def test_review_is_idempotent(client, tenant, claim, clock):
    promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-24")
    first = review(client, tenant, claim["id"])
    after_first = events(client, tenant, claim["id"])
    second = review(client, tenant, claim["id"])
    assert events(client, tenant, claim["id"]) == after_first
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.json() == first.json()
    current = read(client, tenant, claim["id"])
    assert second.json() == current.json()
    assert second.headers["ETag"] == current.headers["ETag"]


def test_review_refreshes_the_balance_then_changes_nothing(client, tenant, claim):
    # A claim opens with the invoiced total as outstanding; the first review brings it to
    # what is due today (interest and indemnity included) — a saved change, no event.
    due = client.get(f"/v1/claims/{claim['id']}/statement",
                     headers=tenant.headers).json()["totals"]["due"]
    first = review(client, tenant, claim["id"])
    assert first.json()["outstanding"] == due
    current = read(client, tenant, claim["id"])
    assert first.json() == current.json()
    assert first.headers["ETag"] == current.headers["ETag"]
    second = review(client, tenant, claim["id"])
    assert second.headers["ETag"] == current.headers["ETag"]
    assert second.json() == current.json()
    assert read(client, tenant, claim["id"]).json() == current.json()
    assert [e["action"] for e in events(client, tenant, claim["id"])] == ["open"]


def test_broken_promises_stay_on_record_beside_new_ones(client, tenant, claim, clock):
    first = promise(client, tenant, claim["id"])
    set_day(clock, "2026-03-24")
    review(client, tenant, claim["id"])
    second = promise(client, tenant, claim["id"], promised_on="2026-04-01", channel="email",
                     note=None)
    listed = promises(client, tenant, claim["id"])
    assert [(p["id"], p["status"]) for p in listed] == [
        (first["promise"]["id"], "broken"), (second["promise"]["id"], "pending")]


def test_promise_on_a_held_claim_is_409(client, tenant, claim):
    promise(client, tenant, claim["id"])
    body = assert_problem(post_promise(client, tenant, claim["id"], promised_on="2026-03-25"),
                          409)
    assert body["action"] == "record_promise"
    assert "record_promise" not in body["allowed_actions"]
    assert "record_payment" in body["allowed_actions"]
    assert len(promises(client, tenant, claim["id"])) == 1


def test_promise_on_a_manually_held_claim_is_409(client, tenant, claim):
    held = client.post(f"/v1/claims/{claim['id']}/actions/hold", json={"reason": "x"},
                       headers=tenant.headers)
    assert held.status_code == 200, held.text
    body = assert_problem(post_promise(client, tenant, claim["id"]), 409)
    assert "resume" in body["allowed_actions"]
    assert promises(client, tenant, claim["id"]) == []


def test_promise_on_a_disputed_claim_is_409(client, tenant, claim):
    client.post(f"/v1/claims/{claim['id']}/actions/open_dispute", json={"reason": "damaged"},
                headers=tenant.headers)
    body = assert_problem(post_promise(client, tenant, claim["id"]), 409)
    assert "resolve_dispute" in body["allowed_actions"]
    assert "record_promise" not in body["allowed_actions"]
    assert promises(client, tenant, claim["id"]) == []


def test_promise_on_a_closed_claim_is_409(client, tenant, claim):
    client.post(f"/v1/claims/{claim['id']}/actions/cancel", json={}, headers=tenant.headers)
    body = assert_problem(post_promise(client, tenant, claim["id"]), 409)
    assert body["allowed_actions"] == ["reopen"]


def test_review_of_a_closed_claim_is_409(client, tenant, claim):
    promise(client, tenant, claim["id"])
    client.post(f"/v1/claims/{claim['id']}/actions/cancel", json={}, headers=tenant.headers)
    before = events(client, tenant, claim["id"])
    response = client.post(f"/v1/claims/{claim['id']}/review", headers=tenant.headers)
    body = assert_problem(response, 409)
    assert body["allowed_actions"] == ["reopen"]
    assert events(client, tenant, claim["id"]) == before
