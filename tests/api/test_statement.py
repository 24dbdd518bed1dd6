"""GET /v1/claims/{id}/statement: what is owed on a date, per invoice and in total.

Expected amounts are computed here from the official formula (french-law.md §8.1):
`amount × days × rate / 36500`, each rate period rounded half-up to the cent, with the rate
taken from the reference table (french-law.md §2.3, cited at each use).
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest

from tests.api._account_helpers import events, interest, m, pay
from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import make_tenant, new_claim, new_debtor

CENT = Decimal("0.01")
# french-law.md §2.3, row "2026 S1": BCE 2.15 → BCE+10 = 12.15 (B2B default rate);
# Autres (legal rate, creditor is a professional) = 2.62; 3×Autres (B2B floor) = 7.86.
B2B_2026_S1 = Decimal("12.15")
LEGAL_AUTRES_2026_S1 = Decimal("2.62")
# Row "2025 S1": BCE 3.15 → BCE+10 = 13.15. Row "2025 S2": BCE 2.15 → BCE+10 = 12.15.
B2B_2025_S1 = Decimal("13.15")
B2B_2025_S2 = Decimal("12.15")



def statement(client, tenant, claim_id, at=None):
    url = f"/v1/claims/{claim_id}/statement" + (f"?at={at}" if at else "")
    response = client.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


def create(client, tenant, body):
    response = client.post("/v1/claims", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return response.json()



@pytest.fixture
def business(client, tenant):
    return new_debtor(client, tenant)


@pytest.fixture
def consumer(client, tenant):
    return new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None)


# ------------------------------------------------------------------------ B2B


def test_b2b_statement_interest_indemnity_and_totals(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    body = statement(client, tenant, claim["id"], "2026-03-10")
    assert body["claim_id"] == claim["id"] and body["at"] == "2026-03-10"
    assert body["currency"] == "EUR"
    [inv] = body["invoices"]
    days = (date(2026, 3, 10) - date(2026, 1, 15)).days
    assert days == 54
    expected = interest("1200.00", 54, B2B_2026_S1)  # 1200 × 54 × 12.15 / 36500
    assert expected == Decimal("21.57")
    assert inv["interest_lines"] == [{
        "start": "2026-01-16", "end": "2026-03-10", "days": 54, "rate": "12.15",
        "base": "1200.00", "amount": m(expected), "basis": "ecb_plus_10"}]
    assert inv["principal"] == "1200.00" and inv["principal_outstanding"] == "1200.00"
    assert inv["principal_paid"] == "0.00"
    assert inv["interest"] == m(expected) and inv["interest_outstanding"] == m(expected)
    assert inv["indemnity"] == {"amount": "40.00", "paid": "0.00", "outstanding": "40.00"}
    assert inv["applications"] == [] and body["payments"] == []
    assert inv["limitation_date"] == "2031-01-15"  # 5 years B2B (C. com. L110-4)
    t = body["totals"]
    assert t["principal_outstanding"] == "1200.00"
    assert t["interest"] == m(expected) and t["indemnity"] == "40.00"
    assert t["due"] == m(Decimal("1200.00") + expected + Decimal("40.00"))
    assert t["paid"] == "0.00" and t["credit"] == "0.00" and t["not_yet_due"] == "0.00"


def test_default_date_is_today(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    assert statement(client, tenant, claim["id"]) == statement(client, tenant, claim["id"],
                                                                "2026-03-10")


def test_interest_is_split_at_each_half_year(client, tenant, business):
    claim = create(client, tenant, claim_body(
        business["id"], invoice("H-1", issue="2025-05-16", due="2025-06-15", amount="1000.00")))
    body = statement(client, tenant, claim["id"], "2026-03-10")
    lines = body["invoices"][0]["interest_lines"]
    # 2025-06-16..06-30: 15 days at 13.15 (row 2025 S1); 2025-S2: 184 days at 12.15 (row
    # 2025 S2); 2026-01-01..03-10: 69 days at 12.15 (row 2026 S1).
    expected = [
        ("2025-06-16", "2025-06-30", 15, B2B_2025_S1),
        ("2025-07-01", "2025-12-31", 184, B2B_2025_S2),
        ("2026-01-01", "2026-03-10", 69, B2B_2026_S1),
    ]
    assert [(ln["start"], ln["end"], ln["days"], ln["rate"]) for ln in lines] == [
        (s, e, d, f"{r:f}") for s, e, d, r in expected]
    amounts = [interest("1000.00", d, r) for _, _, d, r in expected]
    assert [ln["amount"] for ln in lines] == [m(a) for a in amounts]
    assert body["invoices"][0]["interest"] == m(sum(amounts, Decimal(0)))


def test_indemnity_per_late_invoice_none_for_not_yet_due(client, tenant, business):
    claim = create(client, tenant, claim_body(
        business["id"],
        invoice("A-1", due="2026-01-15", amount="100.00"),
        invoice("A-2", due="2026-02-15", amount="200.00"),
        invoice("A-3", issue="2026-03-01", due="2026-04-15", amount="300.00")))
    body = statement(client, tenant, claim["id"], "2026-03-10")
    by_number = {i["number"]: i for i in body["invoices"]}
    assert by_number["A-1"]["indemnity"]["amount"] == "40.00"
    assert by_number["A-2"]["indemnity"]["amount"] == "40.00"
    assert by_number["A-3"]["indemnity"]["amount"] == "0.00"
    assert by_number["A-3"]["interest_lines"] == []
    assert body["totals"]["indemnity"] == "80.00"
    assert body["totals"]["not_yet_due"] == "300.00"
    i1 = interest("100.00", 54, B2B_2026_S1)
    i2 = interest("200.00", 23, B2B_2026_S1)  # 2026-02-16..03-10
    assert body["totals"]["interest"] == m(i1 + i2)
    assert body["totals"]["due"] == m(Decimal("600.00") + i1 + i2 + Decimal("80.00"))


def test_collective_proceedings_stop_interest_and_hold_the_claims(client, tenant, business):
    """The opening judgment (C. com. L622-28) stops interest from its day; the invoice, late
    before it, keeps its 40 EUR (L441-10 II); the claim is held (L622-21) and shows the
    declaration deadline, 2 months from the BODACC publication (R622-24)."""
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    before = statement(client, tenant, claim["id"], "2026-03-10")
    assert before["totals"]["interest"] == m(interest("1200.00", 54, B2B_2026_S1))
    recorded = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2026-02-01",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-02-12"}, headers=tenant.headers)
    assert recorded.status_code == 200, recorded.text
    debtor = recorded.json()
    assert debtor["in_collective_proceedings"] is True
    assert debtor["collective_proceedings"] | {"recorded_on": None} == {
        "kind": "redressement_judiciaire", "opened_on": "2026-02-01",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-02-12", "reference": None, "recorded_on": None}
    after = statement(client, tenant, claim["id"], "2026-03-10")
    stopped = interest("1200.00", 16, B2B_2026_S1)  # 2026-01-16 .. 2026-01-31
    assert after["totals"]["interest"] == m(stopped)
    assert after["totals"]["indemnity"] == "40.00"
    assert after["totals"]["due"] == m(Decimal("1240.00") + stopped)
    assert "interest_stopped_collective_proceedings" in [f["code"] for f in after["flags"]]
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["hold"]["reason"] == "insolvency"
    assert read["outstanding"] == m(Decimal("1240.00") + stopped)
    assert read["collective_proceedings"]["declaration_deadline"] == "2026-04-12"
    assert "start_payment_plan" not in read["allowed_actions"]
    assert ("declare_claim", None) in [(w["code"], w["subject"]) for w in read["warnings"]]
    assert events(client, tenant, claim["id"])[-1]["action"] == "collective_proceedings_opened"
    refused = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
        "kind": "liquidation_judiciaire", "opened_on": "2026-02-01", "court": "TAE Lyon",
        "bodacc_published_on": "2026-01-20"}, headers=tenant.headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["bodacc_published_on"]
    withdrawn = client.delete(f"/v1/debtors/{business['id']}/collective-proceedings",
                              headers=tenant.headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["collective_proceedings"] is None
    released = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert released["hold"] is None and released["collective_proceedings"] is None
    assert statement(client, tenant, claim["id"], "2026-03-10") == before


def test_proceedings_published_before_any_known_declaration_period_are_a_422(
        client, tenant, business):
    """R622-24's periods are dated parameters (known from 2006): a 2005 publication has no
    deadline to show, so it is refused naming the field, and nothing is written."""
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    refused = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2005-06-01",
        "court": "Tribunal de commerce de Lyon", "bodacc_published_on": "2005-06-10"},
        headers=tenant.headers)
    body = assert_problem(refused, 422, "bodacc_published_on")
    assert [e["code"] for e in body["errors"]] == ["no_rule_in_force"]
    debtor = client.get(f"/v1/debtors/{business['id']}", headers=tenant.headers).json()
    assert debtor["collective_proceedings"] is None
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["hold"] is None and read["collective_proceedings"] is None


def test_proceedings_catch_only_the_claims_with_a_debt_from_before_the_opening(
        client, tenant, business):
    """C. com. L622-7, L622-21, L622-24, L622-28 catch the debts that arose before the
    opening; a later one (L622-17) is chased as any other. An old opening (2015) leaves a
    2026 claim alone; a correction to a date after its invoice catches it, one back before
    it lets it go; a claim opened later for a later debt starts unheld."""
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")  # issued 15 Jan
    before = statement(client, tenant, claim["id"], "2026-03-10")

    def put(opened_on, published_on):
        response = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
            "kind": "redressement_judiciaire", "opened_on": opened_on,
            "court": "Tribunal de commerce de Lyon", "bodacc_published_on": published_on},
            headers=tenant.headers)
        assert response.status_code == 200, response.text
        return client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()

    old = put("2015-03-01", "2015-03-10")
    assert old["hold"] is None and old["collective_proceedings"] is None
    assert statement(client, tenant, claim["id"], "2026-03-10") == before
    assert "collective_proceedings_opened" not in [
        e["action"] for e in events(client, tenant, claim["id"])]

    caught = put("2026-02-01", "2026-02-12")
    assert caught["hold"]["reason"] == "insolvency"
    assert caught["collective_proceedings"]["declaration_deadline"] == "2026-04-12"

    released = put("2026-01-10", "2026-01-20")  # before the invoice of 15 January
    assert released["hold"] is None and released["collective_proceedings"] is None
    assert events(client, tenant, claim["id"])[-1]["action"] == (
        "collective_proceedings_withdrawn")
    assert statement(client, tenant, claim["id"], "2026-03-10") == before

    later = new_claim(client, tenant, business["id"], number="F-002", due="2026-03-30")
    assert later["hold"] is None and later["collective_proceedings"] is None
    debtor = client.get(f"/v1/debtors/{business['id']}", headers=tenant.headers).json()
    assert debtor["collective_proceedings"]["opened_on"] == "2026-01-10"


# ------------------------------------------------------------------------ B2C


def test_b2c_no_interest_nor_indemnity_without_formal_notice(client, tenant, consumer):
    claim = new_claim(client, tenant, consumer["id"], due="2026-01-15")
    assert claim["invoices"][0]["limitation_date"] == "2028-01-15"  # 2 years (L218-2)
    body = statement(client, tenant, claim["id"], "2026-03-10")
    [inv] = body["invoices"]
    assert inv["interest_lines"] == [] and inv["interest"] == "0.00"
    assert inv["indemnity"]["amount"] == "0.00"
    assert inv["limitation_date"] == "2028-01-15"
    assert body["totals"]["due"] == "1200.00"
    assert "no_formal_notice" in [f["code"] for f in body["flags"]]


def test_b2c_interest_at_legal_rate_from_the_day_after_formal_notice(client, tenant, consumer):
    claim = create(client, tenant, claim_body(
        consumer["id"], invoice(due="2026-01-15"), formal_notice_on="2026-02-01"))
    body = statement(client, tenant, claim["id"], "2026-03-10")
    [inv] = body["invoices"]
    days = (date(2026, 3, 10) - date(2026, 2, 1)).days  # 2026-02-02..2026-03-10
    assert days == 37
    expected = interest("1200.00", days, LEGAL_AUTRES_2026_S1)  # 1200 × 37 × 2.62 / 36500
    assert inv["interest_lines"] == [{
        "start": "2026-02-02", "end": "2026-03-10", "days": 37, "rate": "2.62",
        "base": "1200.00", "amount": m(expected), "basis": "legal_autres_cas"}]
    assert inv["indemnity"]["amount"] == "0.00"
    assert body["totals"]["due"] == m(Decimal("1200.00") + expected)


# ------------------------------------------------------------------------ contractual rate


@pytest.mark.parametrize("rate", ["7.85", "5.00", "7"])
def test_contractual_rate_below_b2b_floor_is_refused(client, tenant, business, rate):
    # 3 × legal rate "autres cas" for 2026 S1 = 3 × 2.62 = 7.86 (table row 2026 S1).
    response = client.post("/v1/claims", json=claim_body(
        business["id"], invoice(due="2026-01-15"), contractual_rate=rate),
        headers=tenant.headers)
    assert_problem(response, 422, "contractual_rate")
    listed = client.get("/v1/claims", headers=tenant.headers).json()
    assert listed["items"] == []


def test_contractual_rate_is_used_in_the_statement(client, tenant, business):
    claim = create(client, tenant, claim_body(
        business["id"], invoice(due="2026-01-15"), contractual_rate="15.00"))
    body = statement(client, tenant, claim["id"], "2026-03-10")
    [line] = body["invoices"][0]["interest_lines"]
    expected = interest("1200.00", 54, Decimal("15.00"))
    assert (line["rate"], line["basis"], line["amount"]) == ("15.00", "contractual", m(expected))
    assert body["invoices"][0]["indemnity"]["amount"] == "40.00"


def test_floor_itself_is_accepted(client, tenant, business):
    claim = create(client, tenant, claim_body(
        business["id"], invoice(due="2026-01-15"), contractual_rate="7.86"))
    body = statement(client, tenant, claim["id"], "2026-03-10")
    assert body["totals"]["interest"] == m(interest("1200.00", 54, Decimal("7.86")))


def test_a_clause_fallen_below_a_later_floor_never_freezes_the_claim(client, tenant, business):
    """A 12 % clause agreed when the floor was 3 × 2.06 = 6.18 % (2023-S1) is lawful; from
    2023-07-01 the floor is 12.66 %, then 15.21 % and 14.76 %: the floor runs in those
    half-years, flagged, and the statement and payments keep working (L441-10 II, L441-16)."""
    claim = create(client, tenant, claim_body(
        business["id"], invoice(issue="2023-02-15", due="2023-03-15"), contractual_rate="12"))
    below = [w["subject"] for w in claim["warnings"] if w["code"] == "contractual_below_floor"]
    assert below == ["2023-S2", "2024-S1", "2024-S2"]
    body = statement(client, tenant, claim["id"], "2024-03-31")
    lines = body["invoices"][0]["interest_lines"]
    rates = {(ln["start"][:7], ln["rate"], ln["basis"]) for ln in lines}
    assert ("2023-03", "12", "contractual") in rates  # the rate as agreed
    assert ("2023-07", "12.66", "floor_3x_legal") in rates
    assert ("2024-01", "15.21", "floor_3x_legal") in rates
    flagged = {f["subject"] for f in body["flags"] if f["code"] == "contractual_below_floor"}
    assert flagged == {"2023-S2", "2024-S1"}
    pay(client, tenant, claim["id"], "100.00", "2024-03-31")  # money is always recordable


# ------------------------------------------------------------------------ warnings


def test_claim_warns_of_a_term_beyond_the_legal_cap(client, tenant, business):
    # 2026-01-01 + 120 days = 2026-05-01: beyond 60 days (2026-03-02) and beyond 45 days
    # end of month on either reading (2026-03-17 / 2026-02-28).
    claim = create(client, tenant, claim_body(
        business["id"], invoice("T-120", issue="2026-01-01", due="2026-05-01")))
    assert [(w["code"], w["subject"]) for w in claim["warnings"]] == [
        ("term_exceeds_legal_cap", "T-120")]
    assert claim["invoices"][0]["limitation_date"] == "2031-05-01"
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert [w["code"] for w in read["warnings"]] == ["term_exceeds_legal_cap"]
    body = statement(client, tenant, claim["id"], "2026-03-10")
    assert [f["code"] for f in body["invoices"][0]["flags"]] == ["term_exceeds_legal_cap"]


def test_a_lawful_term_has_no_warning(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-02-15")  # 31 days
    assert claim["warnings"] == []


# ------------------------------------------------------------------------ reproducibility


def test_same_date_twice_gives_identical_json(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    pay(client, tenant, claim["id"], "300.00", "2026-02-20")
    for at in ("2026-01-10", "2026-02-20", "2026-03-10", "2026-06-30"):
        first = client.get(f"/v1/claims/{claim['id']}/statement?at={at}", headers=tenant.headers)
        second = client.get(f"/v1/claims/{claim['id']}/statement?at={at}",
                            headers=tenant.headers)
        assert first.status_code == 200, first.text
        assert first.content == second.content


def test_an_earlier_date_ignores_later_payments(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    paid = pay(client, tenant, claim["id"], "300.00", "2026-03-01")
    early = statement(client, tenant, claim["id"], "2026-02-20")
    assert early["payments"] == []
    assert early["ignored_payments"] == [{"payment_id": paid["payment"]["id"],
                                          "reason": "after_statement_date"}]
    expected = interest("1200.00", 36, B2B_2026_S1)  # 2026-01-16..02-20
    assert early["invoices"][0]["interest_lines"][0]["days"] == 36
    assert early["totals"]["interest"] == m(expected)
    assert early["totals"]["due"] == m(Decimal("1240.00") + expected)
    # The day it was received, the payment counts.
    on_day = statement(client, tenant, claim["id"], "2026-03-01")
    assert [p["payment_id"] for p in on_day["payments"]] == [paid["payment"]["id"]]


def test_future_date_within_known_rates(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    body = statement(client, tenant, claim["id"], "2026-06-30")
    days = (date(2026, 6, 30) - date(2026, 1, 15)).days
    assert body["totals"]["interest"] == m(interest("1200.00", days, B2B_2026_S1))


def test_before_the_due_date_nothing_is_late(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    body = statement(client, tenant, claim["id"], "2026-01-15")
    assert body["totals"]["interest"] == "0.00" and body["totals"]["indemnity"] == "0.00"
    assert body["totals"]["not_yet_due"] == "1200.00" and body["totals"]["due"] == "1200.00"


def test_bad_date_is_400_naming_at(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    response = client.get(f"/v1/claims/{claim['id']}/statement?at=2026-13-01",
                          headers=tenant.headers)
    assert_problem(response, 400, "at")


def test_a_formal_notice_then_a_judgment_recorded_through_the_api(client, tenant, consumer):
    """C. civ. 1231-6: consumer interest from the mise en demeure; a judgment makes the
    claim judicial (1231-7); each is a timeline event; bad dates are 422 naming the field."""
    claim = new_claim(client, tenant, consumer["id"], due="2026-01-15")
    url = f"/v1/claims/{claim['id']}"
    noticed = client.post(f"{url}/formal-notice", json={
        "sent_on": "2026-02-01", "channel": "registered_letter", "reference": "1A2345"},
        headers=tenant.headers)
    assert noticed.status_code == 200, noticed.text
    assert noticed.json()["phase"] == "formal_notice"
    body = statement(client, tenant, claim["id"], "2026-03-10")
    assert body["totals"]["interest"] == m(interest("1200.00", 37, LEGAL_AUTRES_2026_S1))
    assert events(client, tenant, claim["id"])[-1]["action"] == "record_formal_notice"
    assert_problem(client.post(f"{url}/formal-notice", json={"sent_on": "2026-03-11"},
                               headers=tenant.headers), 422, "sent_on")
    judged = client.post(f"{url}/judgment", json={
        "pronounced_on": "2026-02-20", "court": "Tribunal judiciaire de Lyon",
        "amount_awarded": "1200.00", "enforceable_on": "2026-03-05"}, headers=tenant.headers)
    assert judged.status_code == 200, judged.text
    assert judged.json()["phase"] == "judicial"
    assert events(client, tenant, claim["id"])[-1]["data"]["court"] == "Tribunal judiciaire de Lyon"
    assert_problem(client.post(f"{url}/judgment", json={
        "pronounced_on": "2025-12-01", "court": "TJ Lyon", "amount_awarded": "1200.00"},
        headers=tenant.headers), 422, "pronounced_on")


# ------------------------------------------------------------------------ cost


def test_statement_cost_in_dynamodb_calls(app, client, tenant, business, calls, monkeypatch):
    """A statement reads:
    - 'Query': the claim and its account in one query (both sort under META);
    - 'GetItem': the rate tables item (PLATFORM/RATES) — only when the rate store's
      5-minute cache is cold.
    The debtor is not read: the claim carries its collective proceedings.
    Within the cache's lifetime the rate read disappears; once it expires it comes back."""
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    url = f"/v1/claims/{claim['id']}/statement?at=2026-03-10"
    calls.reset()
    assert client.get(url, headers=tenant.headers).status_code == 200
    assert calls.calls == ["Query", "GetItem"]  # claim+account, rates
    calls.reset()
    assert client.get(url, headers=tenant.headers).status_code == 200
    assert calls.calls == ["Query"]  # claim+account (rates cached)
    store = app.state.ports.rates
    later = time.monotonic() + 301
    monkeypatch.setattr(store, "clock", lambda: later)
    calls.reset()
    assert client.get(url, headers=tenant.headers).status_code == 200
    assert calls.calls == ["Query", "GetItem"]  # the cache expired after 5 min


# ------------------------------------------------------------------------ tenancy


def test_another_creditors_claim_is_404_on_every_route(client, tenant, business):
    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    paid = pay(client, tenant, claim["id"], "100.00", "2026-03-01")
    other = make_tenant(client, "Autre SARL")
    base = f"/v1/claims/{claim['id']}"
    requests = [
        ("GET", f"{base}/statement?at=2026-03-10", None),
        ("GET", f"{base}/payments", None),
        ("POST", f"{base}/payments", {"amount": "10.00", "received_on": "2026-03-10"}),
        ("POST", f"{base}/payments/{paid['payment']['id']}/reversal", {}),
        ("GET", f"{base}/promises", None),
        ("POST", f"{base}/promises", {"amount": "10.00", "promised_on": "2026-03-20",
                                      "channel": "phone"}),
        ("GET", f"{base}/payment-plan", None),
        ("POST", f"{base}/payment-plan", {"count": 2, "first_due_on": "2026-04-10"}),
        ("POST", f"{base}/review", None),
    ]
    for method, url, body in requests:
        kwargs = {"json": body} if body is not None else {}
        response = client.request(method, url, headers=other.headers, **kwargs)
        assert_problem(response, 404)
    # Nothing was changed for the owner.
    own = client.get(f"{base}/payments", headers=tenant.headers).json()["items"]
    assert [(p["id"], p["reversed_on"]) for p in own] == [(paid["payment"]["id"], None)]
    events = client.get(f"{base}/events", headers=tenant.headers).json()["items"]
    assert [e["action"] for e in events] == ["open", "record_payment"]


def test_the_creditors_general_terms_rate_is_the_default_of_its_claims(client, tenant,
                                                                       business):
    """The rate agreed in the creditor's general terms (CGV) applies to a claim that names
    none; a claim's own rate wins; clearing it returns to the statutory rate."""
    headers = {**tenant.headers, "If-Match": "*"}
    changed = client.patch("/v1/creditor", json={"contractual_rate": "15.00"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["contractual_rate"] == "15.00"
    by_terms = create(client, tenant, claim_body(business["id"], invoice(due="2026-01-15")))
    [line] = statement(client, tenant, by_terms["id"], "2026-03-10")["invoices"][0][
        "interest_lines"]
    assert (line["rate"], line["basis"]) == ("15.00", "contractual")
    own = create(client, tenant, claim_body(business["id"], invoice("F-2", due="2026-01-15"),
                                            contractual_rate="20"))
    [line] = statement(client, tenant, own["id"], "2026-03-10")["invoices"][0]["interest_lines"]
    assert line["rate"] == "20"
    assert client.patch("/v1/creditor", json={"contractual_rate": None},
                        headers=headers).json()["contractual_rate"] is None
    statutory = create(client, tenant, claim_body(business["id"],
                                                  invoice("F-3", due="2026-01-15")))
    [line] = statement(client, tenant, statutory["id"], "2026-03-10")["invoices"][0][
        "interest_lines"]
    assert (line["rate"], line["basis"]) == (str(B2B_2026_S1), "ecb_plus_10")


@pytest.mark.parametrize("rate", ["0", "0.0000", "abc", "150"])
def test_a_creditor_rate_that_is_no_rate_is_refused(client, tenant, rate):
    response = client.patch("/v1/creditor", json={"contractual_rate": rate},
                            headers={**tenant.headers, "If-Match": "*"})
    assert response.status_code in (400, 422), response.text
    assert "contractual_rate" in response.text
    assert client.get("/v1/creditor", headers=tenant.headers).json()["contractual_rate"] is None


def test_a_partial_payment_moves_the_limitation_date_a_claim_shows(client, tenant, consumer):
    """C. civ. 2240: paying part acknowledges the debt; two years run again from that day
    (C. conso. L218-2), on the claim as on its statement."""
    claim = create(client, tenant, claim_body(
        consumer["id"], invoice(issue="2024-02-15", due="2024-03-15", amount="300.00")))
    assert claim["invoices"][0]["limitation_date"] == "2026-03-15"
    assert "prescription_soon" in {w["code"] for w in claim["warnings"]}
    pay(client, tenant, claim["id"], "50.00", "2026-03-02")
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["invoices"][0]["limitation_date"] == "2028-03-02"
    assert "prescription_soon" not in {w["code"] for w in read["warnings"]}
    body = statement(client, tenant, claim["id"])
    assert body["invoices"][0]["limitation_date"] == "2028-03-02"


def test_the_statement_counts_prescription_from_the_performance_date(client, tenant, consumer):
    """Cass. 3e civ. 1 Mar 2023 n° 21-23.176 (C. conso. L218-2): two years from the
    completion of the works (20 Jan 2024), not from the due date (15 Mar 2024); works
    completed after the due date (1 Jul 2024) start it then."""
    claim = create(client, tenant, claim_body(
        consumer["id"],
        invoice("F-1", issue="2024-02-15", due="2024-03-15", amount="300.00")
        | {"performed_on": "2024-01-20"},
        invoice("F-2", issue="2024-02-15", due="2024-03-15", amount="300.00")
        | {"performed_on": "2024-07-01"}))
    body = statement(client, tenant, claim["id"])
    assert [(i["number"], i["limitation_date"], i["prescribed"], i["prescription_warning"])
            for i in body["invoices"]] == [("F-1", "2026-01-20", True, False),
                                           ("F-2", "2026-07-01", False, False)]
    assert ("prescribed", "F-1") in {(f["code"], f["subject"]) for f in body["flags"]}


def test_a_promise_made_in_the_past_moves_the_limitation_date_from_its_day(
        client, tenant, consumer):
    """C. civ. 2240: a promise acknowledges the debt on the day the debtor made it (1 March),
    even when it is recorded later; two years run again from then (C. conso. L218-2)."""
    claim = create(client, tenant, claim_body(
        consumer["id"], invoice(issue="2024-02-15", due="2024-03-15", amount="300.00")))
    response = client.post(f"/v1/claims/{claim['id']}/promises", json={
        "amount": "300.00", "promised_on": "2026-03-20", "channel": "phone",
        "made_on": "2026-03-01"}, headers=tenant.headers)
    assert response.status_code == 201, response.text
    assert response.json()["claim"]["invoices"][0]["limitation_date"] == "2028-03-01"
    assert statement(client, tenant, claim["id"])["invoices"][0]["limitation_date"] == (
        "2028-03-01")
    before = statement(client, tenant, claim["id"], "2026-02-28")["invoices"][0]
    assert before["limitation_date"] == "2026-03-15"


def test_a_passed_declaration_deadline_warns_with_the_relief_day(client, tenant, business,
                                                                  clock):
    from datetime import timedelta

    claim = new_claim(client, tenant, business["id"], due="2026-01-15")
    recorded = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2026-02-01",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-02-12"}, headers=tenant.headers)
    assert recorded.status_code == 200, recorded.text

    def warning() -> str:
        read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
        return next(w["message"] for w in read["warnings"]
                    if w["code"] == "declaration_deadline_passed")

    clock.advance(timedelta(days=40))  # 19 April: the 12 April deadline has passed
    # L622-26: relief until 6 months from the publication, 12 August 2026.
    assert "2026-04-12" in warning() and "until 2026-08-12 (C. com. L622-26)" in warning()
    clock.advance(timedelta(days=120))  # 17 August
    assert "until 2026-08-12, also passed" in warning()


def test_a_later_debt_in_a_held_claim_is_named(client, tenant, business):
    made = client.post("/v1/claims", headers=tenant.headers, json={
        "debtor_id": business["id"], "currency": "EUR", "invoices": [
            {"number": "M-1", "issue_date": "2026-01-05", "due_date": "2026-01-20",
             "amount": "500.00"},
            {"number": "M-2", "issue_date": "2026-02-03", "due_date": "2026-03-05",
             "amount": "300.00"}]})
    assert made.status_code == 201, made.text
    recorded = client.put(f"/v1/debtors/{business['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2026-02-01",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-02-12"}, headers=tenant.headers)
    assert recorded.status_code == 200, recorded.text
    read = client.get(f"/v1/claims/{made.json()['id']}", headers=tenant.headers).json()
    assert read["hold"]["reason"] == "insolvency"
    assert [(w["code"], w["subject"]) for w in read["warnings"]
            if w["code"] == "post_opening_debt"] == [("post_opening_debt", "M-2")]
    body = statement(client, tenant, made.json()["id"], "2026-03-10")
    m2 = next(i for i in body["invoices"] if i["number"] == "M-2")
    assert m2["indemnity"]["amount"] == "40.00"  # due at its date (L622-17): late, its 40 EUR
