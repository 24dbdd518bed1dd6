"""Rate tables: read by any creditor key, published by the operator; a statement needing a
rate the tables do not have answers 422 `rate-unknown` naming the period until the
operator publishes it.

The shipped tables stop at 2026 S1 (french-law.md §2.3: "2026 S2 [UNVERIFIED]"; ECB
known through 2026-01-01). The 2026 S2 figures published below are TEST DATA, not real
rates: they only show that published data is used.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.api._account_helpers import interest, m
from tests.api._helpers import assert_problem, issue_key
from tests.conftest import OPERATOR_KEY, new_claim, new_debtor

OPERATOR = {"X-API-Key": OPERATOR_KEY}
CENT = Decimal("0.01")
B2B_2026_S1 = Decimal("12.15")  # french-law.md §2.3 row 2026 S1: BCE 2.15 + 10
LEGAL_AUTRES_2026_S1 = Decimal("2.62")  # row 2026 S1, "Autres"
TEST_S2 = {"half_year": "2026-S2", "particulier": "6.50", "autres_cas": "2.40",
           "source": "test data (not a real arrêté)"}



def publish(client, body, headers=OPERATOR):
    return client.post("/v1/admin/rates", json=body, headers=headers)


def rates(client, tenant):
    response = client.get("/v1/rates", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def claim(client, tenant):
    debtor = new_debtor(client, tenant)
    return new_claim(client, tenant, debtor["id"], due="2026-01-15")


# ------------------------------------------------------------------------ reading


def test_rates_are_readable_with_their_sources(client, tenant):
    reader = issue_key(client, tenant, "read")
    response = client.get("/v1/rates", headers={"X-API-Key": reader["secret"]})
    assert response.status_code == 200, response.text
    body = response.json()
    legal = {r["half_year"]: r for r in body["legal_rate"]["half_years"]}
    # french-law.md §2.3 rows 2026 S1 and 2024 S1.
    assert (legal["2026-S1"]["particulier"], legal["2026-S1"]["autres_cas"]) == ("6.67", "2.62")
    assert (legal["2024-S1"]["particulier"], legal["2024-S1"]["autres_cas"]) == ("8.01", "5.07")
    assert all(r["source"].startswith("http") for r in legal.values())
    assert "2026-S2" not in legal
    ecb = body["ecb_main_refinancing_rate"]
    assert ecb["known_through"] == "2026-01-01"
    changes = {c["effective_on"]: c for c in ecb["changes"]}
    assert changes["2025-06-11"]["rate"] == "2.15"  # french-law.md §2.4
    assert all(c["source"].startswith("http") for c in changes.values())


def test_rates_need_a_key(client):
    assert_problem(client.get("/v1/rates"), 401)


# ------------------------------------------------------------------------ publishing


def test_only_the_operator_publishes(client, tenant):
    response = publish(client, {"legal_rates": [TEST_S2]}, headers=tenant.headers)
    assert_problem(response, 403)
    assert "2026-S2" not in {r["half_year"] for r in
                             rates(client, tenant)["legal_rate"]["half_years"]}


def test_publishing_adds_a_half_year(client, tenant):
    response = publish(client, {"legal_rates": [TEST_S2], "ecb_known_through": "2026-07-01"})
    assert response.status_code == 200, response.text
    legal = {r["half_year"]: r for r in response.json()["legal_rate"]["half_years"]}
    assert legal["2026-S2"] == TEST_S2
    read = rates(client, tenant)
    assert read == response.json()
    assert read["ecb_main_refinancing_rate"]["known_through"] == "2026-07-01"
    # The shipped rows are kept.
    assert {r["half_year"] for r in read["legal_rate"]["half_years"]} >= {"2025-S2", "2026-S1"}


@pytest.mark.parametrize("body", [
    {"ecb_known_through": "2025-01-01"},  # before the last shipped change (2025-06-11)
    {"ecb_changes": [{"effective_on": "2026-04-15", "rate": "2.00", "source": "test"}]},
    {"ecb_changes": [{"effective_on": "2026-04-15", "rate": "2.00", "source": "test"}],
     "ecb_known_through": "2026-03-01"},
])
def test_inconsistent_publication_is_422_and_changes_nothing(client, tenant, body):
    before = rates(client, tenant)
    assert_problem(publish(client, body), 422)
    assert rates(client, tenant) == before


@pytest.mark.parametrize("body,field", [
    ({"legal_rates": [{**TEST_S2, "half_year": "2026-S3"}]}, "legal_rates[0].half_year"),
    ({"legal_rates": [{**TEST_S2, "autres_cas": 2.4}]}, "legal_rates[0].autres_cas"),
])
def test_malformed_publication_is_400(client, tenant, body, field):
    assert_problem(publish(client, body), 400, field)


# ------------------------------------------------------------------------ rate-unknown


def test_statement_beyond_the_tables_until_rates_are_published(client, tenant, claim):
    url = f"/v1/claims/{claim['id']}/statement?at=2026-09-01"
    unknown = assert_problem(client.get(url, headers=tenant.headers), 422)
    assert unknown["type"].endswith("/rate-unknown")
    assert unknown["period"] == "2026-S2"
    assert "2026-S2" in unknown["detail"]
    # Legal rates alone are not enough for a B2B claim: its rate is ECB + 10.
    assert publish(client, {"legal_rates": [TEST_S2]}).status_code == 200
    still = assert_problem(client.get(url, headers=tenant.headers), 422)
    assert still["period"] == "2026-S2" and "ECB" in still["detail"]
    # The ECB rate is unchanged through 1 July: 2026 S2 = 2.15 + 10 = 12.15.
    assert publish(client, {"ecb_known_through": "2026-07-01"}).status_code == 200
    response = client.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    lines = response.json()["invoices"][0]["interest_lines"]
    s1_days = (date(2026, 6, 30) - date(2026, 1, 15)).days  # 2026-01-16..06-30
    s2_days = (date(2026, 9, 1) - date(2026, 6, 30)).days  # 2026-07-01..09-01
    assert [(ln["start"], ln["end"], ln["days"], ln["rate"], ln["amount"]) for ln in lines] == [
        ("2026-01-16", "2026-06-30", s1_days, "12.15",
         m(interest("1200.00", s1_days, B2B_2026_S1))),
        ("2026-07-01", "2026-09-01", s2_days, "12.15",
         m(interest("1200.00", s2_days, Decimal("12.15")))),
    ]


def test_a_published_ecb_change_sets_the_next_half_year(client, tenant, claim):
    body = {"legal_rates": [TEST_S2], "ecb_known_through": "2026-07-01",
            "ecb_changes": [{"effective_on": "2026-06-10", "rate": "2.00",
                             "source": "test data (not a real decision)"}]}
    assert publish(client, body).status_code == 200
    response = client.get(f"/v1/claims/{claim['id']}/statement?at=2026-09-01",
                          headers=tenant.headers)
    assert response.status_code == 200, response.text
    s1, s2 = response.json()["invoices"][0]["interest_lines"]
    assert s1["rate"] == "12.15"  # S1 fixed by the rate in force on 1 January
    assert s2["rate"] == "12.00"  # S2: rate in force on 1 July (2.00, test data) + 10
    assert s2["amount"] == m(interest("1200.00", s2["days"], Decimal("12.00")))


def test_consumer_statement_needs_the_legal_rate_only(client, tenant):
    consumer = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None)
    created = client.post("/v1/claims", json={
        "debtor_id": consumer["id"], "currency": "EUR", "formal_notice_on": "2026-02-01",
        "invoices": [{"number": "C-1", "issue_date": "2026-01-01", "due_date": "2026-01-15",
                      "amount": "1200.00"}]}, headers=tenant.headers)
    assert created.status_code == 201, created.text
    url = f"/v1/claims/{created.json()['id']}/statement?at=2026-09-01"
    unknown = assert_problem(client.get(url, headers=tenant.headers), 422)
    assert unknown["period"] == "2026-S2" and "legal rate" in unknown["detail"]
    assert publish(client, {"legal_rates": [TEST_S2]}).status_code == 200
    response = client.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    s1, s2 = response.json()["invoices"][0]["interest_lines"]
    assert (s1["start"], s1["rate"], s1["basis"]) == ("2026-02-02", "2.62", "legal_autres_cas")
    assert s1["amount"] == m(interest("1200.00", s1["days"], LEGAL_AUTRES_2026_S1))
    assert (s2["start"], s2["rate"]) == ("2026-07-01", "2.40")
    assert s2["amount"] == m(interest("1200.00", s2["days"], Decimal("2.40")))


def test_review_beyond_the_tables_is_idempotent(client, tenant, claim, clock):
    """A review on a day the tables do not cover cannot update the balance; a second
    review the same day must add nothing."""
    clock.at = datetime(2026, 7, 5, 9, 30, tzinfo=UTC)
    first = client.post(f"/v1/claims/{claim['id']}/review", headers=tenant.headers)
    assert first.status_code == 200, first.text
    after_first = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    second = client.post(f"/v1/claims/{claim['id']}/review", headers=tenant.headers)
    assert second.status_code == 200, second.text
    assert second.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/v1/claims/{claim['id']}/events",
                      headers=tenant.headers).json() == after_first


def test_rows_shipped_later_are_not_hidden_by_an_earlier_publication(app, client, tenant,
                                                                     monkeypatch):
    """The tables in force are the shipped tables plus what the operator published: a
    deployment shipping newer rows (here a made-up 2027-S1) must not be masked by a
    publication stored before it."""
    import copy
    import time

    import adapters.dynamodb.rates as rate_store

    assert publish(client, {"legal_rates": [TEST_S2],
                            "ecb_known_through": "2026-07-01"}).status_code == 200
    newer = copy.deepcopy(rate_store.shipped_document())
    newer["legal_rate"]["half_years"].append(
        {"half_year": "2027-S1", "particulier": "6.00", "autres_cas": "2.00",
         "source": "test data (a later deployment)"})
    newer["ecb_main_refinancing_rate"]["known_through"] = "2027-01-01"
    monkeypatch.setattr(rate_store, "shipped_document", lambda: copy.deepcopy(newer))
    later = time.monotonic() + 301  # the 5-minute cache has expired
    monkeypatch.setattr(app.state.ports.rates, "clock", lambda: later)
    body = rates(client, tenant)
    legal = {r["half_year"]: r for r in body["legal_rate"]["half_years"]}
    assert legal["2026-S2"] == TEST_S2  # published
    assert legal["2027-S1"]["autres_cas"] == "2.00"  # shipped later
    assert body["ecb_main_refinancing_rate"]["known_through"] == "2027-01-01"


def test_a_shipped_row_corrected_later_is_not_masked_by_a_publication(app, client, tenant,
                                                                      ddb, monkeypatch):
    """Only the operator's own rows are stored: a deployment correcting a shipped row (here
    2026-S1 changed to made-up figures) takes effect although a publication came first."""
    import copy
    import json
    import time

    import adapters.dynamodb.rates as rate_store

    assert publish(client, {"legal_rates": [TEST_S2]}).status_code == 200
    stored = json.loads(ddb.get_item(TableName="relance-test", Key={
        "PK": {"S": "PLATFORM"}, "SK": {"S": "RATES"}})["Item"]["data"]["S"])
    assert stored["legal_rate"]["half_years"] == [TEST_S2]  # no copy of the shipped rows
    corrected = copy.deepcopy(rate_store.shipped_document())
    row = next(r for r in corrected["legal_rate"]["half_years"] if r["half_year"] == "2026-S1")
    row.update(particulier="6.99", autres_cas="2.99", source="test data (a correction)")
    monkeypatch.setattr(rate_store, "shipped_document", lambda: copy.deepcopy(corrected))
    later = time.monotonic() + 301  # the 5-minute cache has expired
    monkeypatch.setattr(app.state.ports.rates, "clock", lambda: later)
    legal = {r["half_year"]: r for r in rates(client, tenant)["legal_rate"]["half_years"]}
    assert legal["2026-S1"]["autres_cas"] == "2.99"  # the correction is in force
    assert legal["2026-S2"] == TEST_S2  # the publication still is
