"""Claims: creation, the initial phase, invoice-number uniqueness, reading."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api._helpers import assert_problem, claim_body, invoice, scan_table, table_text
from tests.conftest import CREDITOR_BODY, OPERATOR_KEY, Tenant, new_claim, new_debtor

# The clock fixture is frozen at 2026-03-10T09:30Z.


def test_claim_response_shape(client, tenant):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-1", amount="1000.50"), invoice("F-2", amount="199.50"),
        external_reference="DOSSIER-7"), headers=tenant.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("clm_")
    assert response.headers["location"] == f"/v1/claims/{body['id']}"
    assert response.headers["etag"]
    assert body["debtor_id"] == debtor["id"] and body["currency"] == "EUR"
    assert body["total"] == "1200.00" and body["outstanding"] == "1200.00"
    assert body["version"] == 1
    assert body["external_reference"] == "DOSSIER-7"
    assert body["outcome"] is None and body["hold"] is None
    assert isinstance(body["allowed_actions"], list) and "hold" in body["allowed_actions"]
    assert [i["number"] for i in body["invoices"]] == ["F-1", "F-2"]
    got = client.get(f"/v1/claims/{body['id']}", headers=tenant.headers)
    assert got.status_code == 200 and got.json() == body
    assert got.headers["etag"] == response.headers["etag"]


def test_amounts_are_normalised_to_the_currency(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], amount="12.5")
    assert claim["invoices"][0]["amount"] == "12.50" and claim["outstanding"] == "12.50"
    jpy = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("J-1", amount="1500"),
                                                    currency="JPY"), headers=tenant.headers)
    assert jpy.status_code == 201, jpy.text
    assert jpy.json()["outstanding"] == "1500"


@pytest.mark.parametrize("due,phase", [
    ("2026-03-09", "amicable"),   # due yesterday
    ("2026-03-10", "pre_due"),    # due today: not yet late
    ("2026-03-11", "pre_due"),
    ("2026-01-16", "amicable"),
])
def test_initial_phase_follows_the_earliest_due_date(client, tenant, due, phase):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due=due)
    assert claim["phase"] == phase


def test_initial_phase_uses_the_earliest_of_several_invoices(client, tenant):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-1", due="2026-04-01"), invoice("F-2", due="2026-03-01")),
        headers=tenant.headers)
    assert response.status_code == 201
    assert response.json()["phase"] == "amicable"


def _tenant_in(client, time_zone: str) -> Tenant:
    op = {"X-API-Key": OPERATOR_KEY}
    created = client.post("/v1/admin/creditors",
                          json={**CREDITOR_BODY, "time_zone": time_zone}, headers=op)
    assert created.status_code == 201, created.text
    issued = client.post(f"/v1/admin/creditors/{created.json()['id']}/api-keys",
                         json={"name": "k", "scopes": ["admin"]}, headers=op)
    secret = issued.json()["secret"]
    return Tenant(created.json()["id"], secret, {"X-API-Key": secret})


def test_today_is_the_creditors_today(client, clock):
    # 09:30 UTC on 10 March is still 9 March (22:30) in Pago Pago (UTC-11).
    assert clock.now() == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    samoa = _tenant_in(client, "Pacific/Pago_Pago")
    paris = _tenant_in(client, "Europe/Paris")
    for who, expected in ((samoa, "pre_due"), (paris, "amicable")):
        debtor = new_debtor(client, who)
        assert new_claim(client, who, debtor["id"], due="2026-03-09")["phase"] == expected


def test_today_in_a_time_zone_ahead_of_utc(client, clock):
    clock.at = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 11 March 00:30 in Paris
    paris = _tenant_in(client, "Europe/Paris")
    debtor = new_debtor(client, paris)
    assert new_claim(client, paris, debtor["id"], due="2026-03-10")["phase"] == "amicable"
    assert new_claim(client, paris, debtor["id"], number="F-2",
                     due="2026-03-11")["phase"] == "pre_due"


def test_reusing_an_invoice_number_is_409_and_stores_nothing(client, ddb, tenant):
    debtor = new_debtor(client, tenant)
    first = new_claim(client, tenant, debtor["id"], number="F-100")
    before = scan_table(ddb)
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-NEW-1"), invoice("F-100"), invoice("F-NEW-2"),
        external_reference="SECOND"), headers=tenant.headers)
    assert_problem(response, 409, "invoices[1].number")
    listed = client.get("/v1/claims", headers=tenant.headers).json()["items"]
    assert [c["id"] for c in listed] == [first["id"]]
    after = scan_table(ddb)
    assert sorted(map(str, after)) == sorted(map(str, before))
    text = table_text(ddb)
    assert "F-NEW-1" not in text and "F-NEW-2" not in text and "SECOND" not in text
    # the new numbers are still free
    assert new_claim(client, tenant, debtor["id"], number="F-NEW-1")["id"]


def test_reused_number_in_first_position_is_named(client, tenant):
    debtor = new_debtor(client, tenant)
    new_claim(client, tenant, debtor["id"], number="F-7")
    response = client.post("/v1/claims", json=claim_body(debtor["id"], invoice("F-7")),
                           headers=tenant.headers)
    assert_problem(response, 409, "invoices[0].number")


def test_duplicate_number_within_one_claim_is_refused(client, tenant):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-1"), invoice("F-1")), headers=tenant.headers)
    assert_problem(response, 422, "invoices[1].number")
    assert client.get("/v1/claims", headers=tenant.headers).json()["items"] == []


def test_claim_external_reference_is_unique(client, tenant):
    debtor = new_debtor(client, tenant)
    new_claim(client, tenant, debtor["id"], number="F-1", external_reference="DOS-1")
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-2"), external_reference="DOS-1"), headers=tenant.headers)
    assert_problem(response, 409, "external_reference")
    assert len(client.get("/v1/claims", headers=tenant.headers).json()["items"]) == 1
    # the invoice number of the refused claim was not kept
    assert new_claim(client, tenant, debtor["id"], number="F-2")["id"]


def test_unknown_debtor_is_422(client, tenant):
    response = client.post("/v1/claims", json=claim_body("dbt_unknown"), headers=tenant.headers)
    assert_problem(response, 422, "debtor_id")


def test_unknown_claim_is_404(client, tenant):
    assert_problem(client.get("/v1/claims/clm_unknown", headers=tenant.headers), 404)
    assert_problem(client.get("/v1/claims/clm_unknown/events", headers=tenant.headers), 404)


def test_events_start_with_open(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers)
    assert events.status_code == 200
    body = events.json()
    assert body["next_cursor"] is None
    assert [e["action"] for e in body["items"]] == ["open"]
    assert body["items"][0]["actor"].startswith("api_key:")
    assert body["items"][0]["at"].startswith("2026-03-10T09:30")


def test_a_performance_date_is_stored_and_starts_prescription(client, tenant):
    """Cass. com. 26 Feb 2020 n° 18-25.036: five years (C. com. L110-4) from the completion
    of the service; without it, from the due date (C. civ. 2233)."""
    debtor = new_debtor(client, tenant)
    done = invoice("F-1", issue="2021-04-01", due="2021-04-30") | {"performed_on": "2021-03-05"}
    body = client.post("/v1/claims", json=claim_body(debtor["id"], done, invoice(
        "F-2", issue="2021-04-01", due="2021-04-30")), headers=tenant.headers).json()
    assert [(i["performed_on"], i["limitation_date"]) for i in body["invoices"]] == [
        ("2021-03-05", "2026-03-05"), (None, "2026-04-30")]
    warnings = {(w["code"], w["subject"]) for w in body["warnings"]}
    assert {("prescribed", "F-1"), ("prescription_soon", "F-2")} <= warnings
    assert client.get(f"/v1/claims/{body['id']}", headers=tenant.headers).json() == body


@pytest.mark.parametrize("performed_on,code", [("2026-03-11", "in_future"),
                                               ("1900-01-01", "date_out_of_range")])
def test_a_performance_date_in_the_future_or_out_of_range_is_422(client, ddb, tenant,
                                                                  performed_on, code):
    debtor = new_debtor(client, tenant)
    before = len(scan_table(ddb))
    late = invoice("F-3") | {"performed_on": performed_on}
    response = client.post("/v1/claims", json=claim_body(
        debtor["id"], invoice("F-1"), invoice("F-2"), late), headers=tenant.headers)
    body = assert_problem(response, 422, "invoices[2].performed_on")
    assert [e["code"] for e in body["errors"]] == [code]
    assert len(scan_table(ddb)) == before
