"""Payment plans (échéanciers): instalments covering exactly what is due today; the claim
is held while the plan runs; payments fill the instalments in order; a missed instalment
(after 5 days' grace) defaults the plan on review; the last instalment closes the claim."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest

from tests.api._account_helpers import events, pay, set_day
from tests.api._helpers import assert_problem
from tests.conftest import new_claim, new_debtor

CENT = Decimal("0.01")



def post_plan(client, tenant, claim_id, body):
    return client.post(f"/v1/claims/{claim_id}/payment-plan", json=body, headers=tenant.headers)


def start_plan(client, tenant, claim_id, body):
    response = post_plan(client, tenant, claim_id, body)
    assert response.status_code == 201, response.text
    return response.json()


def read_plan(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}/payment-plan", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()



def review(client, tenant, claim_id):
    response = client.post(f"/v1/claims/{claim_id}/review", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()



def due_today(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}/statement", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return Decimal(response.json()["totals"]["due"])


@pytest.fixture
def debtor(client, tenant):
    return new_debtor(client, tenant)


@pytest.fixture
def claim(client, tenant, debtor):
    """Due exactly 1000.00 today: the invoice falls due today (2026-03-10), so no interest
    (it runs from the day after) and no indemnity (not late yet)."""
    created = new_claim(client, tenant, debtor["id"], due="2026-03-10", amount="1000.00")
    assert due_today(client, tenant, created["id"]) == Decimal("1000.00")
    return created


def test_equal_monthly_instalments_remainder_on_the_last(client, tenant, claim):
    result = start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    plan = result["plan"]
    assert [(i["index"], i["due_on"], i["amount"], i["status"]) for i in plan["instalments"]] == [
        (0, "2026-04-10", "333.33", "pending"),
        (1, "2026-05-10", "333.33", "pending"),
        (2, "2026-06-10", "333.34", "pending"),
    ]
    assert plan["total"] == "1000.00" and plan["outstanding"] == "1000.00"
    assert plan["status"] == "active" and plan["grace_days"] == 5
    assert plan["starts_on"] == "2026-03-10"
    held = result["claim"]
    assert held["hold"]["reason"] == "payment_plan" and held["hold"]["until"] == "2026-06-10"
    assert "record_promise" not in held["allowed_actions"]
    assert "record_payment" in held["allowed_actions"]
    assert read_plan(client, tenant, claim["id"]) == plan
    last = events(client, tenant, claim["id"])[-1]
    assert last["action"] == "start_payment_plan" and last["actor"].startswith("api_key:")
    assert last["data"] | {"plan_id": None} == {
        "plan_id": None, "total": "1000.00", "instalments": "3", "last_due_on": "2026-06-10",
        "agreed_on": "2026-03-10"}
    assert last["data"]["plan_id"] == plan["id"]


def test_plan_of_a_late_b2b_claim_covers_interest_and_indemnity(client, tenant, debtor):
    claim = new_claim(client, tenant, debtor["id"], due="2026-01-15")
    due = due_today(client, tenant, claim["id"])  # 1200 + interest + 40.00
    assert due > Decimal("1240.00")
    plan = start_plan(client, tenant, claim["id"],
                      {"count": 3, "first_due_on": "2026-04-10"})["plan"]
    share = (due / 3).quantize(CENT, ROUND_DOWN)
    assert [i["amount"] for i in plan["instalments"]] == [
        f"{share:f}", f"{share:f}", f"{due - 2 * share:f}"]
    assert plan["total"] == f"{due:f}"


def test_explicit_instalments_must_sum_to_the_amount_due(client, tenant, claim):
    response = post_plan(client, tenant, claim["id"], {"instalments": [
        {"due_on": "2026-04-10", "amount": "500.00"},
        {"due_on": "2026-05-10", "amount": "499.99"}]})
    assert_problem(response, 422, "instalments")
    assert client.get(f"/v1/claims/{claim['id']}/payment-plan",
                      headers=tenant.headers).status_code == 404
    current = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert current["hold"] is None and current["version"] == claim["version"]
    assert [e["action"] for e in events(client, tenant, claim["id"])] == ["open"]
    ok = start_plan(client, tenant, claim["id"], {"instalments": [
        {"due_on": "2026-04-10", "amount": "500.00"},
        {"due_on": "2026-05-10", "amount": "500.00"}]})
    assert [i["amount"] for i in ok["plan"]["instalments"]] == ["500.00", "500.00"]


@pytest.mark.parametrize("body,field", [
    ({"instalments": [{"due_on": "2026-05-10", "amount": "500.00"},
                      {"due_on": "2026-04-10", "amount": "500.00"}]}, "instalments[1].due_on"),
    ({"instalments": [{"due_on": "2026-03-01", "amount": "1000.00"}]}, "instalments[0].due_on"),
    ({"instalments": [{"due_on": "2026-04-10", "amount": "1000.001"}]},
     "instalments[0].amount"),
    ({"count": 3}, "instalments"),
])
def test_invalid_plan_is_422_naming_the_field(client, tenant, claim, body, field):
    assert_problem(post_plan(client, tenant, claim["id"], body), 422, field)
    assert [e["action"] for e in events(client, tenant, claim["id"])] == ["open"]


def test_payments_fill_the_instalments_in_order(client, tenant, claim, clock):
    start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    set_day(clock, "2026-04-10")
    pay(client, tenant, claim["id"], "333.33", "2026-04-10")
    plan = read_plan(client, tenant, claim["id"])
    assert [(i["status"], i["paid"], i["paid_on"]) for i in plan["instalments"]] == [
        ("paid", "333.33", "2026-04-10"), ("pending", "0.00", None), ("pending", "0.00", None)]
    assert plan["paid"] == "333.33" and plan["outstanding"] == "666.67"
    set_day(clock, "2026-04-20")
    pay(client, tenant, claim["id"], "100.00", "2026-04-20")
    plan = read_plan(client, tenant, claim["id"])
    assert [(i["status"], i["paid"]) for i in plan["instalments"]] == [
        ("paid", "333.33"), ("partially_paid", "100.00"), ("pending", "0.00")]
    held = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert held["hold"]["reason"] == "payment_plan" and held["phase"] != "closed"


def test_missed_instalment_defaults_the_plan_on_review(client, tenant, claim, clock):
    start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    set_day(clock, "2026-04-10")
    pay(client, tenant, claim["id"], "333.33", "2026-04-10")
    set_day(clock, "2026-05-12")  # instalment 2 due 2026-05-10: late, within grace
    assert read_plan(client, tenant, claim["id"])["instalments"][1]["status"] == "late"
    set_day(clock, "2026-05-15")  # last day of grace (due + 5 days)
    review(client, tenant, claim["id"])
    assert "payment_plan_defaulted" not in [e["action"] for e in
                                            events(client, tenant, claim["id"])]
    set_day(clock, "2026-05-16")
    body = review(client, tenant, claim["id"])
    assert body["hold"] is None
    defaulted = events(client, tenant, claim["id"])[-1]
    assert defaulted["action"] == "payment_plan_defaulted"
    assert defaulted["data"]["defaulted_on"] == "2026-05-16"
    assert defaulted["data"]["outstanding"] == "666.67"
    assert defaulted["actor"].startswith("api_key:")
    plan = read_plan(client, tenant, claim["id"])
    assert plan["status"] == "defaulted" and plan["defaulted_on"] == "2026-05-16"
    assert [i["status"] for i in plan["instalments"]] == ["paid", "missed", "pending"]
    # Idempotent: a second review records nothing more.
    before = events(client, tenant, claim["id"])
    review(client, tenant, claim["id"])
    assert events(client, tenant, claim["id"]) == before


def test_last_instalment_paid_closes_the_claim(client, tenant, claim, clock):
    start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    for day, amount in (("2026-04-10", "333.33"), ("2026-05-10", "333.33")):
        set_day(clock, day)
        result = pay(client, tenant, claim["id"], amount, day)
        assert result["claim"]["phase"] != "closed"
        assert result["claim"]["hold"]["reason"] == "payment_plan"
    set_day(clock, "2026-06-10")
    result = pay(client, tenant, claim["id"], "333.34", "2026-06-10")
    assert result["claim"]["phase"] == "closed" and result["claim"]["outcome"] == "paid"
    assert result["claim"]["hold"] is None
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions[-3:] == ["record_payment", "payment_plan_completed", "close"]
    plan = read_plan(client, tenant, claim["id"])
    assert plan["status"] == "completed" and plan["completed_on"] == "2026-06-10"
    assert [i["status"] for i in plan["instalments"]] == ["paid", "paid", "paid"]


def test_plan_on_a_disputed_claim_is_409(client, tenant, claim):
    client.post(f"/v1/claims/{claim['id']}/actions/open_dispute", json={"reason": "damaged"},
                headers=tenant.headers)
    body = assert_problem(post_plan(client, tenant, claim["id"],
                                    {"count": 3, "first_due_on": "2026-04-10"}), 409)
    assert body["action"] == "start_payment_plan"
    assert "resolve_dispute" in body["allowed_actions"]
    assert "start_payment_plan" not in body["allowed_actions"]


def test_plan_on_a_closed_claim_is_409(client, tenant, claim):
    client.post(f"/v1/claims/{claim['id']}/actions/cancel", json={}, headers=tenant.headers)
    body = assert_problem(post_plan(client, tenant, claim["id"],
                                    {"count": 3, "first_due_on": "2026-04-10"}), 409)
    assert body["allowed_actions"] == ["reopen"]


def test_a_second_active_plan_is_refused(client, tenant, claim):
    start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    assert_problem(post_plan(client, tenant, claim["id"],
                             {"count": 2, "first_due_on": "2026-04-10"}), 422, "instalments")


def test_no_plan_is_404(client, tenant, claim):
    assert_problem(client.get(f"/v1/claims/{claim['id']}/payment-plan",
                              headers=tenant.headers), 404)


def test_reopening_after_a_defaulted_plan_does_not_default_it_twice(client, tenant, claim,
                                                                    clock):
    start_plan(client, tenant, claim["id"], {"count": 3, "first_due_on": "2026-04-10"})
    set_day(clock, "2026-04-16")
    review(client, tenant, claim["id"])
    assert read_plan(client, tenant, claim["id"])["status"] == "defaulted"
    due = client.get(f"/v1/claims/{claim['id']}/statement",
                     headers=tenant.headers).json()["totals"]["due"]
    paid = pay(client, tenant, claim["id"], due, "2026-04-16")
    assert paid["claim"]["phase"] == "closed"
    response = client.post(
        f"/v1/claims/{claim['id']}/payments/{paid['payment']['id']}/reversal",
        json={"reason": "bounced"}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    # Opened pre-due, but its invoice has fallen due since: it reopens amicable.
    assert claim["phase"] == "pre_due"
    assert response.json()["claim"]["phase"] == "amicable"
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions.count("payment_plan_defaulted") == 1
    assert actions[-2:] == ["reverse_payment", "reopen"]
    assert read_plan(client, tenant, claim["id"])["status"] == "defaulted"


def test_reversing_the_last_instalment_reopens_and_the_plan_runs_again(client, tenant, claim,
                                                                      clock):
    start_plan(client, tenant, claim["id"], {"count": 2, "first_due_on": "2026-04-10"})
    set_day(clock, "2026-04-10")
    pay(client, tenant, claim["id"], "500.00", "2026-04-10")
    set_day(clock, "2026-05-10")
    last = pay(client, tenant, claim["id"], "500.00", "2026-05-10")
    assert last["claim"]["phase"] == "closed" and last["claim"]["outcome"] == "paid"
    response = client.post(
        f"/v1/claims/{claim['id']}/payments/{last['payment']['id']}/reversal",
        json={"reason": "direct debit rejected"}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    reopened = response.json()["claim"]
    # Opened pre-due; reopened after its due date, so amicable.
    assert claim["phase"] == "pre_due"
    assert reopened["phase"] == "amicable" and reopened["outcome"] is None
    assert reopened["hold"]["reason"] == "payment_plan"  # escalation pauses again
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions[-2:] == ["reverse_payment", "reopen"]
    assert actions.count("payment_plan_completed") == 1 and actions.count("close") == 1
    plan = read_plan(client, tenant, claim["id"])
    assert plan["status"] == "active" and plan["completed_on"] is None
    assert [i["status"] for i in plan["instalments"]] == ["paid", "pending"]
