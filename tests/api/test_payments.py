"""Payments: recording (imputation, validation, closing as paid, credit), listing and
reversal.

Expected amounts use `amount × days × rate / 36500`, rounded half-up to the cent per rate
period (french-law.md §8.1); the B2B rate for 2026 S1 is BCE 2.15 + 10 = 12.15 (table §2.3,
row "2026 S1"). Imputation: interest first (C. civ. 1343-1), then the 40 EUR indemnity (an
accessory paid like interest, Cass. 1re civ. 7 Feb 1995 n° 92-14.216), then principal;
across invoices the one the debtor names, otherwise due before not yet due, oldest first
(C. civ. 1342-10).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.api._account_helpers import events, m
from tests.api._account_helpers import interest as simple_interest
from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import new_claim, new_debtor

CENT = Decimal("0.01")
B2B_2026_S1 = Decimal("12.15")  # french-law.md §2.3 row 2026 S1: BCE+10


def interest(amount: str | Decimal, days: int, rate: Decimal = B2B_2026_S1) -> Decimal:
    return simple_interest(amount, days, rate)



def days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def post_payment(client, tenant, claim_id, amount, received_on, **extra):
    return client.post(f"/v1/claims/{claim_id}/payments",
                       json={"amount": amount, "received_on": received_on, **extra},
                       headers=tenant.headers)


def pay(client, tenant, claim_id, amount, received_on, **extra):
    response = post_payment(client, tenant, claim_id, amount, received_on, **extra)
    assert response.status_code == 201, response.text
    return response.json()


def statement(client, tenant, claim_id, at="2026-03-10"):
    response = client.get(f"/v1/claims/{claim_id}/statement?at={at}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


def payments(client, tenant, claim_id):
    response = client.get(f"/v1/claims/{claim_id}/payments", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]



def reverse(client, tenant, claim_id, payment_id, body=None):
    return client.post(f"/v1/claims/{claim_id}/payments/{payment_id}/reversal",
                       json=body if body is not None else {"reason": "cheque bounced"},
                       headers=tenant.headers)


@pytest.fixture
def debtor(client, tenant):
    return new_debtor(client, tenant)


@pytest.fixture
def claim(client, tenant, debtor):
    """One B2B invoice of 1200.00 due 2026-01-15: late since 2026-01-16."""
    return new_claim(client, tenant, debtor["id"], due="2026-01-15")


# ------------------------------------------------------------------------ recording


def test_partial_payment_goes_to_interest_first_then_indemnity(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01", method="transfer",
                 reference="VIR-1")
    # 16 Jan..1 Mar = 45 days: 1 200 × 45 × 12.15 / 36 500 = 17.9753 -> 17.98 (1343-1),
    # then the 40.00 indemnity (Cass. 1re civ. 7 Feb 1995), then 500 - 57.98 = 442.02
    to_interest = interest("1200.00", days("2026-01-15", "2026-03-01"))
    assert m(to_interest) == "17.98"
    assert result["split"] == {
        "payment_id": result["payment"]["id"], "received_on": "2026-03-01", "amount": "500.00",
        "to_interest": "17.98", "to_principal": "442.02", "to_indemnity": "40.00",
        "to_credit": "0.00"}
    assert result["payment"]["amount"] == "500.00"
    assert result["payment"]["method"] == "transfer"
    assert result["payment"]["reference"] == "VIR-1"
    assert result["payment"]["reversed_on"] is None
    assert result["claim"]["id"] == claim["id"]
    assert result["claim"]["version"] == claim["version"] + 1
    # The claim's outstanding is the statement's due today.
    assert result["claim"]["outstanding"] == statement(client, tenant, claim["id"])["totals"]["due"]


def test_interest_on_the_remaining_principal_runs_from_the_payment(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    body = statement(client, tenant, claim["id"], "2026-03-10")
    [inv] = body["invoices"]
    first = interest("1200.00", 45)  # 17.98, then 40.00 indemnity, then 442.02 principal
    remaining = Decimal("1200.00") - (Decimal("500.00") - first - Decimal("40.00"))
    assert m(remaining) == "757.98"
    # 2026-03-02..03-10 on the reduced principal: 757.98 × 9 × 12.15 / 36 500 = 2.2708 -> 2.27
    second = interest(remaining, 9)
    assert m(second) == "2.27"
    assert [(ln["start"], ln["end"], ln["days"], ln["base"], ln["amount"])
            for ln in inv["interest_lines"]] == [
        ("2026-01-16", "2026-03-01", 45, "1200.00", m(first)),
        ("2026-03-02", "2026-03-10", 9, m(remaining), m(second)),
    ]
    assert inv["principal_outstanding"] == m(remaining)
    assert inv["interest_paid"] == m(first) and inv["interest_outstanding"] == m(second)
    assert inv["applications"] == [{
        "payment_id": result["payment"]["id"], "received_on": "2026-03-01",
        "to_interest": "17.98", "to_principal": "442.02", "to_indemnity": "40.00"}]
    assert inv["indemnity"] == {"amount": "40.00", "paid": "40.00", "outstanding": "0.00"}
    assert body["totals"]["paid"] == "500.00"
    assert body["totals"]["due"] == m(remaining + second) == "760.25"


def test_payment_event_has_actor_and_split(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01", reference="VIR-9")
    [open_event, event] = events(client, tenant, claim["id"])
    assert open_event["action"] == "open"
    assert event["action"] == "record_payment"
    assert event["actor"].startswith("api_key:")
    split = result["split"]
    assert event["data"] == {
        "payment_id": result["payment"]["id"], "amount": "500.00", "method": "transfer",
        "received_on": "2026-03-01", "to_interest": split["to_interest"],
        "to_principal": split["to_principal"], "to_indemnity": "40.00", "to_credit": "0.00"}
    assert (split["to_interest"], split["to_principal"]) == ("17.98", "442.02")


def test_across_invoices_due_before_not_yet_due_oldest_first(client, tenant, debtor):
    claim = client.post("/v1/claims", json=claim_body(
        debtor["id"],
        invoice("N-3", issue="2026-03-01", due="2026-04-15", amount="300.00"),  # not yet due
        invoice("N-2", due="2026-02-15", amount="500.00"),
        invoice("N-1", issue="2026-01-01", due="2026-01-15", amount="1000.00")),
        headers=tenant.headers).json()
    result = pay(client, tenant, claim["id"], "1100.00", "2026-03-05")
    # N-1, 49 days: 1 000 × 49 × 12.15 / 36 500 = 16.3110 -> 16.31; + 40 + 1 000 = 1 056.31
    # N-2 gets the 43.69 left, 18 days: 500 × 18 × 12.15 / 36 500 = 2.9959 -> 3.00 interest,
    # its 40.00 indemnity (late since 16 Feb), then 43.69 - 43.00 = 0.69 principal.
    i1 = interest("1000.00", days("2026-01-15", "2026-03-05"))
    i2 = interest("500.00", days("2026-02-15", "2026-03-05"))
    assert (m(i1), m(i2)) == ("16.31", "3.00")
    to_n2_principal = Decimal("1100.00") - (i1 + Decimal("1040.00")) - (i2 + Decimal("40.00"))
    assert m(to_n2_principal) == "0.69"
    assert result["split"]["to_interest"] == "19.31"
    assert result["split"]["to_principal"] == "1000.69"
    assert result["split"]["to_indemnity"] == "80.00"
    assert result["split"]["to_credit"] == "0.00"
    body = statement(client, tenant, claim["id"], "2026-03-05")
    by_number = {i["number"]: i for i in body["invoices"]}
    assert by_number["N-1"]["applications"][0] | {"payment_id": None} == {
        "payment_id": None, "received_on": "2026-03-05", "to_interest": m(i1),
        "to_principal": "1000.00", "to_indemnity": "40.00"}
    assert by_number["N-1"]["principal_outstanding"] == "0.00"
    assert by_number["N-2"]["applications"][0]["to_interest"] == m(i2)
    assert by_number["N-2"]["applications"][0]["to_indemnity"] == "40.00"
    assert by_number["N-2"]["applications"][0]["to_principal"] == m(to_n2_principal)
    assert by_number["N-3"]["applications"] == []
    assert by_number["N-3"]["principal_outstanding"] == "300.00"


def test_named_invoice_is_paid_first(client, tenant, debtor):
    claim = client.post("/v1/claims", json=claim_body(
        debtor["id"],
        invoice("K-1", issue="2026-01-01", due="2026-01-15", amount="1000.00"),
        invoice("K-2", issue="2026-03-01", due="2026-04-15", amount="300.00")),
        headers=tenant.headers).json()
    result = pay(client, tenant, claim["id"], "400.00", "2026-03-05", invoice_numbers=["K-2"])
    assert result["payment"]["invoice_numbers"] == ["K-2"]
    body = statement(client, tenant, claim["id"], "2026-03-05")
    by_number = {i["number"]: i for i in body["invoices"]}
    assert by_number["K-2"]["principal_outstanding"] == "0.00"
    assert by_number["K-2"]["applications"][0]["to_principal"] == "300.00"
    # The remaining 100.00 goes to K-1: interest first, 16.31 (49 days, see above), then the
    # 40.00 indemnity, then 100 - 56.31 = 43.69 principal.
    i1 = interest("1000.00", days("2026-01-15", "2026-03-05"))
    assert by_number["K-1"]["applications"][0]["to_interest"] == m(i1) == "16.31"
    assert by_number["K-1"]["applications"][0]["to_indemnity"] == "40.00"
    assert by_number["K-1"]["applications"][0]["to_principal"] == "43.69"


def test_indemnity_is_paid_before_principal(client, tenant, claim):
    """A payment smaller than interest + indemnity pays no principal (Cass. 1re civ.
    7 Feb 1995 n° 92-14.216: the indemnity is an accessory paid like interest), so interest
    keeps running on the whole 1 200.00."""
    result = pay(client, tenant, claim["id"], "50.00", "2026-03-01")
    # 45 days: 17.98 interest (1343-1), the other 32.02 to the 40.00 indemnity
    assert result["split"] | {"payment_id": None} == {
        "payment_id": None, "received_on": "2026-03-01", "amount": "50.00",
        "to_interest": "17.98", "to_principal": "0.00", "to_indemnity": "32.02",
        "to_credit": "0.00"}
    body = statement(client, tenant, claim["id"], "2026-03-10")
    [inv] = body["invoices"]
    # No principal paid: one line 16 Jan..10 Mar, 54 days on 1 200:
    # 1 200 × 54 × 12.15 / 36 500 = 21.5704 -> 21.57; 21.57 - 17.98 = 3.59 still owed
    assert [(ln["start"], ln["end"], ln["days"], ln["base"], ln["amount"])
            for ln in inv["interest_lines"]] == [
        ("2026-01-16", "2026-03-10", 54, "1200.00", "21.57")]
    assert inv["principal_outstanding"] == "1200.00"
    assert inv["interest_paid"] == "17.98" and inv["interest_outstanding"] == "3.59"
    assert inv["indemnity"] == {"amount": "40.00", "paid": "32.02", "outstanding": "7.98"}
    assert inv["applications"] == [{
        "payment_id": result["payment"]["id"], "received_on": "2026-03-01",
        "to_interest": "17.98", "to_principal": "0.00", "to_indemnity": "32.02"}]
    # 1 200 + 3.59 + 7.98 = 1 211.57 (= 1 240 + 21.57 - 50)
    assert body["totals"]["due"] == "1211.57"
    assert result["claim"]["outstanding"] == body["totals"]["due"]


# ------------------------------------------------------------------------ validation


@pytest.mark.parametrize("body,status,field", [
    ({"amount": "100.00", "received_on": "2026-03-11"}, 422, "received_on"),  # tomorrow
    ({"amount": 100.0, "received_on": "2026-03-01"}, 400, "amount"),  # a JSON number
    ({"amount": "100.123", "received_on": "2026-03-01"}, 422, "amount"),  # 3 decimals
    ({"amount": "0.00", "received_on": "2026-03-01"}, 422, "amount"),
    ({"amount": "100.00", "received_on": "2026-03-01", "invoice_numbers": ["NOPE"]}, 422,
     "invoice_numbers[0]"),
    ({"amount": "100.00", "received_on": "2026-03-01", "method": "bitcoin"}, 400, "method"),
    ({"amount": "100.00", "received_on": "2026-03-01", "reference": "VIR-1"}, 422, "reference"),
])
def test_invalid_payment_is_refused_and_nothing_stored(client, tenant, claim, body, status,
                                                       field):
    first = pay(client, tenant, claim["id"], "100.00", "2026-03-01", reference="VIR-1")
    before_payments = payments(client, tenant, claim["id"])
    before_events = events(client, tenant, claim["id"])
    before_claim = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    response = client.post(f"/v1/claims/{claim['id']}/payments", json=body,
                           headers=tenant.headers)
    assert_problem(response, status, field)
    assert payments(client, tenant, claim["id"]) == before_payments
    assert [p["id"] for p in before_payments] == [first["payment"]["id"]]
    assert events(client, tenant, claim["id"]) == before_events
    assert client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json() == before_claim


def test_a_reversed_reference_may_be_used_again(client, tenant, claim):
    first = pay(client, tenant, claim["id"], "100.00", "2026-03-01", reference="CHQ-1")
    assert reverse(client, tenant, claim["id"], first["payment"]["id"]).status_code == 200
    again = pay(client, tenant, claim["id"], "100.00", "2026-03-05", reference="CHQ-1")
    assert again["payment"]["reference"] == "CHQ-1"


# ------------------------------------------------------------------------ paid in full


def test_payment_of_everything_due_closes_the_claim_as_paid(client, tenant, claim):
    due = statement(client, tenant, claim["id"])["totals"]["due"]
    assert due == m(Decimal("1240.00") + interest("1200.00", 54))
    result = pay(client, tenant, claim["id"], due, "2026-03-10")
    assert result["claim"]["phase"] == "closed" and result["claim"]["outcome"] == "paid"
    assert result["claim"]["outstanding"] == "0.00"
    assert result["claim"]["allowed_actions"] == ["reverse_payment"]
    assert result["split"]["to_credit"] == "0.00"
    last = events(client, tenant, claim["id"])[-1]
    assert last["action"] == "close"
    assert last["data"]["outcome"] == "paid" and last["data"]["due"] == "0.00"
    assert last["actor"].startswith("api_key:")
    body = statement(client, tenant, claim["id"])
    assert body["totals"]["due"] == "0.00" and body["totals"]["credit"] == "0.00"


def test_overpayment_is_kept_as_credit(client, tenant, claim):
    due = Decimal(statement(client, tenant, claim["id"])["totals"]["due"])
    result = pay(client, tenant, claim["id"], "1300.00", "2026-03-10")
    credit = Decimal("1300.00") - due
    assert result["split"]["to_credit"] == m(credit)
    assert result["claim"]["phase"] == "closed" and result["claim"]["outcome"] == "paid"
    body = statement(client, tenant, claim["id"])
    assert body["totals"]["credit"] == m(credit)
    assert body["totals"]["paid"] == "1300.00" and body["totals"]["due"] == "0.00"
    flags = {f["code"]: f["message"] for f in body["flags"]}
    assert m(credit) in flags["overpayment_credit"]
    close = events(client, tenant, claim["id"])[-1]
    assert close["action"] == "close" and close["data"]["credit"] == m(credit)
    # Still there on any later date (never lost).
    assert statement(client, tenant, claim["id"], "2026-06-30")["totals"]["credit"] == m(credit)


def test_a_claim_paid_before_its_due_date_closes(client, tenant, debtor):
    claim = new_claim(client, tenant, debtor["id"], due="2026-04-15", amount="250.00")
    assert claim["phase"] == "pre_due"
    result = pay(client, tenant, claim["id"], "250.00", "2026-03-10")
    assert result["claim"]["phase"] == "closed" and result["claim"]["outcome"] == "paid"
    # Paid on time: no interest or indemnity ever, even at a later date.
    later = statement(client, tenant, claim["id"], "2026-06-30")
    assert later["totals"]["due"] == "0.00" and later["totals"]["indemnity"] == "0.00"


# ------------------------------------------------------------------------ reversal


def test_reversal_recomputes_as_if_the_payment_never_happened(client, tenant, claim):
    before = statement(client, tenant, claim["id"])
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    assert statement(client, tenant, claim["id"])["totals"]["due"] != before["totals"]["due"]
    reversed_ = reverse(client, tenant, claim["id"], result["payment"]["id"])
    assert reversed_.status_code == 200, reversed_.text
    body = reversed_.json()
    assert body["payment"]["reversed_on"] == "2026-03-10"
    assert body["payment"]["reversal_reason"] == "cheque bounced"
    assert body["split"] is None
    assert body["claim"]["outstanding"] == before["totals"]["due"]
    after = statement(client, tenant, claim["id"])
    assert after["invoices"] == before["invoices"]
    assert after["totals"] == before["totals"]
    assert after["payments"] == []
    assert after["ignored_payments"] == [{"payment_id": result["payment"]["id"],
                                          "reason": "reversed"}]
    last = events(client, tenant, claim["id"])[-1]
    assert last["action"] == "reverse_payment" and last["reason"] == "cheque bounced"
    assert last["data"]["payment_id"] == result["payment"]["id"]
    assert last["actor"].startswith("api_key:")


def test_a_reversal_carries_the_banks_return_date(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    response = reverse(client, tenant, claim["id"], result["payment"]["id"],
                       {"reason": "returned", "reversed_on": "2026-03-04"})
    assert response.status_code == 200, response.text
    assert response.json()["payment"]["reversed_on"] == "2026-03-04"
    assert events(client, tenant, claim["id"])[-1]["data"]["reversed_on"] == "2026-03-04"
    on_the_3rd = statement(client, tenant, claim["id"], "2026-03-03")
    assert [p["payment_id"] for p in on_the_3rd["payments"]] == [result["payment"]["id"]]


@pytest.mark.parametrize("day", ["2026-02-28", "2026-03-11"])
def test_a_reversal_date_outside_the_payments_life_is_422(client, tenant, claim, day):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    response = reverse(client, tenant, claim["id"], result["payment"]["id"],
                       {"reversed_on": day})
    assert_problem(response, 422, "reversed_on")
    assert payments(client, tenant, claim["id"])[0]["reversed_on"] is None


def test_reversal_without_a_body(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    response = client.post(
        f"/v1/claims/{claim['id']}/payments/{result['payment']['id']}/reversal",
        headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.json()["payment"]["reversal_reason"] is None


def test_reversing_the_closing_payment_reopens_the_claim(client, tenant, claim):
    due = statement(client, tenant, claim["id"])["totals"]["due"]
    result = pay(client, tenant, claim["id"], due, "2026-03-10")
    assert result["claim"]["phase"] == "closed"
    response = reverse(client, tenant, claim["id"], result["payment"]["id"])
    assert response.status_code == 200, response.text
    reopened = response.json()["claim"]
    assert reopened["phase"] == "amicable" and reopened["outcome"] is None
    assert reopened["outstanding"] == due
    assert "record_payment" in reopened["allowed_actions"]
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions[-2:] == ["reverse_payment", "reopen"]
    assert "close" not in actions[actions.index("reopen"):]
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers)
    assert read.json() == reopened and read.headers["ETag"] == response.headers["ETag"]


def test_reversing_twice_is_refused(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "500.00", "2026-03-01")
    assert reverse(client, tenant, claim["id"], result["payment"]["id"]).status_code == 200
    before = events(client, tenant, claim["id"])
    again = reverse(client, tenant, claim["id"], result["payment"]["id"])
    assert 400 <= again.status_code < 500
    assert_problem(again, again.status_code)
    assert events(client, tenant, claim["id"]) == before


def test_reversing_an_unknown_payment_is_404(client, tenant, claim):
    assert_problem(reverse(client, tenant, claim["id"], "pay_nope"), 404)


def test_payments_are_listed_reversed_ones_marked(client, tenant, claim):
    first = pay(client, tenant, claim["id"], "100.00", "2026-03-01", method="cheque",
                reference="CHQ-1")
    second = pay(client, tenant, claim["id"], "50.00", "2026-03-02", method="card")
    reverse(client, tenant, claim["id"], first["payment"]["id"])
    items = payments(client, tenant, claim["id"])
    assert [(p["id"], p["amount"], p["method"], p["reversed_on"]) for p in items] == [
        (first["payment"]["id"], "100.00", "cheque", "2026-03-10"),
        (second["payment"]["id"], "50.00", "card", None)]


# ------------------------------------------------------------------------ lifecycle


def test_payment_on_a_cancelled_claim_is_409(client, tenant, claim):
    cancelled = client.post(f"/v1/claims/{claim['id']}/actions/cancel",
                            json={"reason": "error"}, headers=tenant.headers)
    assert cancelled.status_code == 200, cancelled.text
    response = post_payment(client, tenant, claim["id"], "100.00", "2026-03-01")
    body = assert_problem(response, 409)
    assert body["allowed_actions"] == ["reopen"] and body["action"] == "record_payment"
    assert payments(client, tenant, claim["id"]) == []


def test_reversal_on_a_cancelled_claim_is_409(client, tenant, claim):
    result = pay(client, tenant, claim["id"], "100.00", "2026-03-01")
    client.post(f"/v1/claims/{claim['id']}/actions/cancel", json={}, headers=tenant.headers)
    body = assert_problem(reverse(client, tenant, claim["id"], result["payment"]["id"]), 409)
    assert body["allowed_actions"] == ["reopen"]


def test_payment_on_a_disputed_claim_is_recorded(client, tenant, claim):
    client.post(f"/v1/claims/{claim['id']}/actions/open_dispute", json={"reason": "x"},
                headers=tenant.headers)
    result = pay(client, tenant, claim["id"], "100.00", "2026-03-01")
    assert result["claim"]["hold"]["reason"] == "dispute"


def test_reversing_a_payment_that_did_not_close_the_claim_keeps_it_closed(client, tenant,
                                                                         claim):
    """The claim was closed by a later overpayment; reversing an earlier, smaller payment
    still leaves nothing due (the credit shrinks): the claim stays closed, no reopen."""
    small = pay(client, tenant, claim["id"], "10.00", "2026-03-01")
    big = pay(client, tenant, claim["id"], "1400.00", "2026-03-10")
    assert big["claim"]["phase"] == "closed"
    credit_before = Decimal(statement(client, tenant, claim["id"])["totals"]["credit"])
    response = reverse(client, tenant, claim["id"], small["payment"]["id"])
    assert response.status_code == 200, response.text
    assert response.json()["claim"]["phase"] == "closed"
    assert response.json()["claim"]["outcome"] == "paid"
    actions = [e["action"] for e in events(client, tenant, claim["id"])]
    assert actions[-1] == "reverse_payment" and "reopen" not in actions
    after = statement(client, tenant, claim["id"])
    assert after["totals"]["due"] == "0.00"
    assert Decimal(after["totals"]["credit"]) < credit_before


def test_payment_answers_the_claims_new_etag(client, tenant, claim):
    response = post_payment(client, tenant, claim["id"], "100.00", "2026-03-01")
    assert response.status_code == 201, response.text
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers)
    assert response.headers["ETag"] == read.headers["ETag"] == f'"{claim["version"] + 1}"'
    assert response.json()["claim"] == read.json()


def test_a_read_only_key_cannot_record_a_payment(client, tenant, claim):
    from tests.api._helpers import issue_key

    reader = {"X-API-Key": issue_key(client, tenant, "read")["secret"]}
    response = client.post(f"/v1/claims/{claim['id']}/payments",
                           json={"amount": "100.00", "received_on": "2026-03-01"},
                           headers=reader)
    assert_problem(response, 403)
    assert client.get(f"/v1/claims/{claim['id']}/payments", headers=reader).json()["items"] == []


def test_a_claim_reopened_after_its_due_date_is_no_longer_pre_due(client, tenant, clock):
    from tests.conftest import new_debtor

    debtor = new_debtor(client, tenant, external_reference="PRE-DUE-1")
    opened = client.post("/v1/claims", headers=tenant.headers, json={
        "debtor_id": debtor["id"], "currency": "EUR", "invoices": [{
            "number": "PD-1", "issue_date": "2026-03-01", "due_date": "2026-03-31",
            "amount": "300.00"}]}).json()
    assert opened["phase"] == "pre_due"
    paid = pay(client, tenant, opened["id"], "300.00", "2026-03-10")
    assert paid["claim"]["phase"] == "closed"
    clock.advance(timedelta(days=30))  # 2026-04-09: the invoice is now past due
    response = client.post(f"/v1/claims/{opened['id']}/payments/{paid['payment']['id']}/reversal",
                           json={"reason": "cheque returned unpaid"}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.json()["claim"]["phase"] == "amicable"
