"""A creditor's interest settings over HTTP: `interest_day_count` and `below_floor_policy`
set at onboarding and by PATCH /v1/creditor, shown on creditor reads, and fixed on each
claim when it is opened (its `interest_terms`), so that later changes move no statement.

Figures: `amount × days × rate / 36500`, half-up to the cent (SOURCES.md §2.3 rates).
The clock is 2026-03-10."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import CREDITOR_BODY, OPERATOR_KEY, make_tenant, new_debtor

OPERATOR = {"X-API-Key": OPERATOR_KEY}


def patch_creditor(client: Any, tenant: Any, **settings: str) -> dict[str, Any]:
    response = client.patch("/v1/creditor", json=settings,
                            headers={**tenant.headers, "If-Match": "*"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def open_claim(client: Any, tenant: Any, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/claims", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def first_line(client: Any, tenant: Any, claim_id: str, at: str) -> dict[str, Any]:
    response = client.get(f"/v1/claims/{claim_id}/statement?at={at}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return dict(response.json()["invoices"][0]["interest_lines"][0])


def test_the_settings_have_defaults_are_set_at_onboarding_and_changed_by_patch(client):
    plain = client.post("/v1/admin/creditors", json=CREDITOR_BODY, headers=OPERATOR)
    assert plain.status_code == 201, plain.text
    assert (plain.json()["interest_day_count"], plain.json()["below_floor_policy"]) == (
        "date_difference", "floor")
    chosen = client.post("/v1/admin/creditors", json={
        **CREDITOR_BODY, "interest_day_count": "inclusive",
        "below_floor_policy": "statutory_default"}, headers=OPERATOR)
    assert chosen.status_code == 201, chosen.text
    assert (chosen.json()["interest_day_count"], chosen.json()["below_floor_policy"]) == (
        "inclusive", "statutory_default")

    tenant = make_tenant(client)
    changed = patch_creditor(client, tenant, below_floor_policy="statutory_default")
    assert (changed["interest_day_count"], changed["below_floor_policy"]) == (
        "date_difference", "statutory_default")
    read = client.get("/v1/creditor", headers=tenant.headers).json()
    assert read == changed
    assert patch_creditor(client, tenant, interest_day_count="inclusive")[
        "below_floor_policy"] == "statutory_default"  # a merge: what is not sent is kept


@pytest.mark.parametrize(("field", "value"), [
    ("interest_day_count", "actual_360"), ("interest_day_count", None),
    ("below_floor_policy", "raise_to_floor"), ("below_floor_policy", "FLOOR")])
def test_an_unknown_setting_is_refused_naming_the_field(client, tenant, field, value):
    """Out of the schema's enum: 400 naming the field, as every schema violation (README,
    "The contract in brief"); the use case refuses it too, 422, for other callers."""
    patched = client.patch("/v1/creditor", json={field: value},
                           headers={**tenant.headers, "If-Match": "*"})
    assert_problem(patched, 400, field)
    created = client.post("/v1/admin/creditors", json={**CREDITOR_BODY, field: value},
                          headers=OPERATOR)
    assert_problem(created, 400, field)
    read = client.get("/v1/creditor", headers=tenant.headers).json()
    assert (read["interest_day_count"], read["below_floor_policy"]) == (
        "date_difference", "floor")


def test_a_business_claim_runs_from_the_day_after_the_due_date_whatever_the_day_count(
        client, tenant):
    """C. com. L441-10 II: B2B penalties run from "le jour suivant" the due date."""
    patch_creditor(client, tenant, interest_day_count="inclusive")
    business = new_debtor(client, tenant)
    claim = open_claim(client, tenant, claim_body(business["id"], invoice(due="2026-01-15")))
    assert claim["interest_terms"] == {"day_count": "date_difference",
                                       "below_floor_policy": "floor"}
    line = first_line(client, tenant, claim["id"], "2026-03-10")
    # 2026-01-16..03-10 = 54 days at 12.15 %: 1 200 × 54 × 12.15 / 36 500 = 21.57
    assert (line["start"], line["days"], line["amount"]) == ("2026-01-16", 54, "21.57")


def test_a_consumer_claim_keeps_the_day_count_in_force_when_it_was_opened(client, tenant):
    """C. civ. 1231-6: interest from the formal notice; whether that day bears interest is
    the creditor's setting, fixed on the claim when it is opened."""
    consumer = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None)
    patch_creditor(client, tenant, interest_day_count="inclusive")
    claim = open_claim(client, tenant, claim_body(
        consumer["id"], invoice(due="2026-01-15"), formal_notice_on="2026-02-01"))
    assert claim["interest_terms"]["day_count"] == "inclusive"
    patch_creditor(client, tenant, interest_day_count="date_difference")
    read = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert read["interest_terms"]["day_count"] == "inclusive"
    line = first_line(client, tenant, claim["id"], "2026-03-10")
    # 2026-02-01..03-10 = 38 days at 2.62 %: 1 200 × 38 × 2.62 / 36 500 = 3.273 -> 3.27
    assert (line["start"], line["days"], line["amount"]) == ("2026-02-01", 38, "3.27")
    later = open_claim(client, tenant, claim_body(
        consumer["id"], invoice("F-002", due="2026-01-15"), formal_notice_on="2026-02-01"))
    assert later["interest_terms"]["day_count"] == "date_difference"
    assert first_line(client, tenant, later["id"], "2026-03-10")["days"] == 37


def test_the_below_floor_policy_of_a_claim_says_what_runs_under_the_floor(client, tenant):
    """C. com. L441-10 II: a 12 % clause is below the 2023 S2 floor 3 × 4.22 = 12.66 %;
    under `statutory_default` the ECB rate of 1 July 2023 + 10 = 14.00 % runs there."""
    patch_creditor(client, tenant, below_floor_policy="statutory_default")
    business = new_debtor(client, tenant)
    claim = open_claim(client, tenant, claim_body(
        business["id"], invoice(issue="2023-02-15", due="2023-03-15"), contractual_rate="12"))
    assert claim["interest_terms"]["below_floor_policy"] == "statutory_default"
    [warning] = [w for w in claim["warnings"] if w["subject"] == "2023-S2"]
    assert "ECB + 10" in warning["message"]
    patch_creditor(client, tenant, below_floor_policy="floor")
    response = client.get(f"/v1/claims/{claim['id']}/statement?at=2023-07-31",
                          headers=tenant.headers)
    assert response.status_code == 200, response.text
    s2 = response.json()["invoices"][0]["interest_lines"][1]
    # 1 200 × 31 × 14.00 / 36 500 = 14.268 -> 14.27
    assert (s2["start"], s2["rate"], s2["basis"], s2["amount"]) == (
        "2023-07-01", "14.00", "ecb_plus_10", "14.27")
