"""GET /v1/claims/{id}/judicial-assessment on moto: the facts and figures per route, money
and probabilities as decimal strings, no verdict word anywhere, the creditor's probability
(422 naming the field when outside [0, 1]), 404 across tenants, 409 for a closed claim.
The clock is frozen at 2026-03-10T09:30Z."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest

from tests.api._helpers import assert_problem
from tests.conftest import make_tenant, new_claim, new_debtor

LYON = {"recipient": "Boulangerie Martin SAS", "lines": ["3 place du Marché"],
        "postal_code": "69002", "city": "Lyon", "country": "FR"}
VERDICTS = re.compile(r"eligib|[ée]ligible|recommend|solid|verdict|advis|should|worth",
                      re.IGNORECASE)


def _debtor(client: Any, tenant: Any, **overrides: Any) -> dict[str, Any]:
    return new_debtor(client, tenant, contact_points=[
        {"kind": "postal_address", "address": LYON}], **overrides)


def _assess(client: Any, tenant: Any, claim_id: str, **query: str) -> Any:
    return client.get(f"/v1/claims/{claim_id}/judicial-assessment", params=query,
                      headers=tenant.headers)


def _route(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in body["routes"] if r["route"] == name)


def _strings_and_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(s for v in value.values() for s in _strings_and_keys(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings_and_keys(v)]
    return [value] if isinstance(value, str) else []


def test_a_b2b_claim_in_lyon_is_assessed_with_its_statement_amount(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], amount="4000.00")
    response = _assess(client, tenant, claim["id"], recovery_probability="0.6")
    assert response.status_code == 200, response.text
    body = response.json()
    statement = client.get(f"/v1/claims/{claim['id']}/statement", headers=tenant.headers).json()
    facts = body["facts"]
    assert facts["on"] == "2026-03-10" and facts["amount_due"] == statement["totals"]["due"]
    assert facts["debtor_city"] == "Lyon"
    assert facts["between_commercants_source"] == "assumed_from_debtor_kind"
    assert facts["oldest_unpaid_invoice"]["limitation_date"] == \
        statement["invoices"][0]["limitation_date"]
    assert body["probability"] == {**body["probability"], "value": "0.6000",
                                   "origin": "creditor", "derived_value": "0.8000"}
    ip = _route(body, "injonction_de_payer")
    assert ip["conditions_met"] is True and ip["court"]["type"] == "TAE"
    assert ip["court"]["name"] == "TAE of Lyon"
    # Greffe 25.19 + 51.58 + 8.80 + 12.08 VAT + 14.89 (see the unit tests) = 112.54.
    assert ip["costs"]["upfront_known"] == "112.54"
    due = Decimal(facts["amount_due"])
    expected = (Decimal("0.6") * (due + Decimal("112.54"))).quantize(Decimal("0.01"))
    assert ip["expected_recovery"]["value"] == f"{expected:f}"
    assert _route(body, "european_order_for_payment")["conditions_met"] is False
    assert _route(body, "european_order_for_payment")["costs"] is None


def test_money_and_probabilities_are_decimal_strings_and_no_verdict_is_given(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], amount="25000.00")
    response = _assess(client, tenant, claim["id"])
    body = response.json()
    raw = json.loads(response.text, parse_float=lambda s: pytest.fail(f"a float: {s}"))
    assert raw == body
    for text in _strings_and_keys(body):
        assert not VERDICTS.search(text), text
    fond = _route(body, "assignation_au_fond")
    assert fond["representation"]["lawyer_required"] is True  # above 10,000 EUR
    assert isinstance(fond["expected_recovery"]["probability"], str)
    for line in fond["costs"]["lines"]:
        assert line["amount"] is None or isinstance(line["amount"], str)
        assert {"parameter", "source", "confirmed", "recoverable_from_debtor"} <= line.keys()


@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc", "NaN", "1e3"])
def test_a_probability_outside_0_1_is_refused_naming_the_field(client, tenant, value):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    assert_problem(_assess(client, tenant, claim["id"], recovery_probability=value), 422,
                   "recovery_probability")


def test_a_consumer_cannot_be_declared_a_commercant(client, tenant):
    debtor = _debtor(client, tenant, kind="consumer", name="Jean Martin", siren=None)
    claim = new_claim(client, tenant, debtor["id"])
    assert_problem(_assess(client, tenant, claim["id"], between_commercants="true"), 422,
                   "between_commercants")
    body = _assess(client, tenant, claim["id"]).json()
    assert _route(body, "injonction_de_payer")["court"]["type"] == "TJ"


def test_stating_the_parties_are_not_commercants_sends_the_claim_to_the_tj(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    body = _assess(client, tenant, claim["id"], between_commercants="false").json()
    assert body["facts"]["between_commercants_source"] == "stated"
    assert _route(body, "injonction_de_payer")["court"]["type"] == "TJ"
    assert _route(body, "commercial_uncontested")["conditions_met"] is False


def test_another_tenants_claim_is_not_found(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    other = make_tenant(client, "Plomberie Durand EURL")
    assert_problem(_assess(client, other, claim["id"]), 404)
    assert_problem(_assess(client, tenant, "clm_missing"), 404)


def test_a_closed_claim_answers_409(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    cancelled = client.post(f"/v1/claims/{claim['id']}/actions/cancel", json={},
                            headers=tenant.headers)
    assert cancelled.status_code == 200, cancelled.text
    problem = assert_problem(_assess(client, tenant, claim["id"]), 409)
    assert problem["action"] == "judicial_assessment"


def test_open_proceedings_leave_the_declaration_with_its_deadline(client, tenant):
    debtor = _debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    opened = client.put(f"/v1/debtors/{debtor['id']}/collective-proceedings", json={
        "kind": "liquidation_judiciaire", "opened_on": "2026-03-02",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-03-06"}, headers=tenant.headers)
    assert opened.status_code == 200, opened.text
    body = _assess(client, tenant, claim["id"]).json()
    met = [r["route"] for r in body["routes"] if r["conditions_met"]]
    assert met == ["declaration_of_claim"]
    declaration = _route(body, "declaration_of_claim")
    assert declaration["deadline"] == "2026-05-06"  # BODACC + 2 months (R622-24)
    # 0.80 x 0.05 (liquidation) = 0.04
    assert body["probability"]["value"] == "0.0400"


def test_the_injonction_is_enforceable_the_day_after_the_opposition_period(client, tenant):
    # 10 Mar: order 24 Mar (14 days, TC), served 7 Apr, the opposition month's last day
    # 7 May: enforceable from 8 May, as the proceeding itself counts it (CPC 642).
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"])
    ip = _route(_assess(client, tenant, claim["id"]).json(), "injonction_de_payer")
    assert ip["time_to_title"]["typical_title_on"] == "2026-05-08"
    assert ip["time_to_title"]["typical_days"] == 59


def test_the_commissaire_lines_of_the_2026_2028_tariff_are_unconfirmed(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"])
    fond = _route(_assess(client, tenant, claim["id"]).json(), "assignation_au_fond")
    lines = {line["item"]: line for line in fond["costs"]["lines"]}
    for item in ("commissaire emolument: assignation", "commissaire travel"):
        assert lines[item]["confirmed"] is False
        assert "2026-2028" in lines[item]["source"]
    assert "commissaire.assignation_ht" in fond["unconfirmed_parameters"]


def test_in_alsace_moselle_the_injonction_has_the_tj_greffe_fee(client, tenant):
    strasbourg = {**LYON, "postal_code": "67000", "city": "Strasbourg"}
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "postal_address", "address": strasbourg}])
    claim = new_claim(client, tenant, debtor["id"])
    ip = _route(_assess(client, tenant, claim["id"]).json(), "injonction_de_payer")
    assert ip["court"]["type"] == "TJ_CH_COM"
    greffe = ip["costs"]["lines"][0]
    assert (greffe["parameter"], greffe["amount"]) == ("injonction_de_payer.greffe_fee_tj",
                                                       "0.00")


def test_the_injonctions_lawyer_rule_is_the_filing_one_and_the_opposition_one(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"], amount="12000.00")
    rule = _route(_assess(client, tenant, claim["id"]).json(),
                  "injonction_de_payer")["representation"]
    assert rule["lawyer_required"] is False and rule["lawyer_required_after_opposition"]
    assert "CPC 1407" in rule["rule"] and "CPC 853" in rule["rule"]


def test_commercants_assumed_from_a_business_debtor_are_unknown_for_the_l126(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"])

    def condition(**query: str) -> Any:
        route = _route(_assess(client, tenant, claim["id"], **query).json(),
                       "commercial_uncontested")
        return next(c for c in route["conditions"] if c["code"] == "between_commercants")

    assert condition()["met"] is None
    assert condition(between_commercants="true")["met"] is True


def test_a_debtor_in_switzerland_is_told_no_eu_instrument_applies(client, tenant):
    geneva = {**LYON, "postal_code": "1201", "city": "Genève", "country": "CH"}
    debtor = new_debtor(client, tenant, country="CH", siren=None, contact_points=[
        {"kind": "postal_address", "address": geneva}])
    body = _assess(client, tenant, new_claim(client, tenant, debtor["id"])["id"]).json()
    eop = _route(body, "european_order_for_payment")
    unmet = [c for c in eop["conditions"] if c["met"] is False]
    assert [c["code"] for c in unmet] == ["debtor_in_another_member_state"]
    assert "not an EU member state" in unmet[0]["fact"]
    fond = _route(body, "assignation_au_fond")
    assert fond["court"]["basis"] == ["national_rules_outside_eu"]
    assert any("Hague convention" in f for f in fond["facts"])


def test_a_passed_declaration_deadline_shows_the_relief_deadline(client, tenant):
    debtor = _debtor(client, tenant)
    # Invoiced before the opening: a debt the proceedings catch (C. com. L622-24).
    claim = new_claim(client, tenant, debtor["id"], invoices=[
        {"number": "F-001", "issue_date": "2025-12-01", "due_date": "2026-01-15",
         "amount": "1200.00"}])
    opened = client.put(f"/v1/debtors/{debtor['id']}/collective-proceedings", json={
        "kind": "redressement_judiciaire", "opened_on": "2025-12-20",
        "court": "Tribunal des activités économiques de Lyon",
        "bodacc_published_on": "2026-01-02"}, headers=tenant.headers)
    assert opened.status_code == 200, opened.text
    declaration = _route(_assess(client, tenant, claim["id"]).json(), "declaration_of_claim")
    assert declaration["deadline"] == "2026-03-02" and declaration["deadline_passed"] is True
    assert declaration["relief_deadline"] == "2026-07-02"  # publication + 6 months
    assert "relevé de forclusion" in declaration["facts"][0]


def test_a_claim_in_dollars_is_not_compared_with_euro_thresholds(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"], currency="USD",
                      amount="4000.00")
    body = _assess(client, tenant, claim["id"]).json()
    assert body["facts"]["currency"] == "USD"
    small = _route(body, "simplified_small_claims")
    assert small["conditions"][-1]["met"] is None
    ip = _route(body, "injonction_de_payer")
    assert ip["costs"]["currency"] == "EUR" and ip["costs"]["lines"][1]["amount"] is None
    assert ip["representation"]["lawyer_required_after_opposition"] is None
    assert all(r["expected_recovery"] is None for r in body["routes"])
    assert any("not compared" in n for n in body["notes"])


def test_a_prescribed_invoice_is_weighed_on_its_share_only(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"], invoices=[
        {"number": "F-OLD", "issue_date": "2020-01-01", "due_date": "2020-01-15",
         "amount": "1000.00"},
        {"number": "F-NEW", "issue_date": "2026-01-15", "due_date": "2026-02-15",
         "amount": "3000.00"}])
    statement = client.get(f"/v1/claims/{claim['id']}/statement", headers=tenant.headers).json()
    old = next(i for i in statement["invoices"] if i["number"] == "F-OLD")
    assert old["prescribed"] is True
    owed = sum(Decimal(old[k]) for k in ("principal_outstanding", "interest_outstanding")) \
        + Decimal(old["indemnity"]["outstanding"])
    body = _assess(client, tenant, claim["id"], recovery_probability="0.5").json()
    assert "prescribed" not in {f["code"] for f in body["probability"]["factors"]}
    recovery = _route(body, "injonction_de_payer")["expected_recovery"]
    assert recovery["prescribed_amount"] == f"{owed:f}"
    assert recovery["prescribed_factor"] == "0.1000"
    due = Decimal(recovery["amount_due"])
    costs = Decimal(recovery["recoverable_costs"])
    expected = (Decimal("0.5") * (due - owed + costs)
                + Decimal("0.5") * Decimal("0.1") * owed).quantize(Decimal("0.01"))
    assert recovery["value"] == f"{expected:f}"


def test_each_route_shows_the_next_limitation_date_and_its_act(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"])
    body = _assess(client, tenant, claim["id"]).json()
    limitation = body["facts"]["oldest_unpaid_invoice"]["limitation_date"]
    ip = _route(body, "injonction_de_payer")
    served = ip["time_to_title"]["steps"][1]["on"]
    assert ip["prescription"] == {"limitation_date": limitation, "invoice_number": "F-001",
                                  "act_typical_on": served, "act_before_limitation": True}
    fond = _route(body, "assignation_au_fond")["prescription"]
    assert fond["act_typical_on"] == "2026-03-24" and fond["act_before_limitation"] is True
    assert _route(body, "european_order_for_payment")["prescription"] is None  # not met


def test_totals_with_unknown_parts_are_bounds_and_never_a_guess(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"], amount="25000.00")
    body = _assess(client, tenant, claim["id"]).json()
    ip = _route(body, "injonction_de_payer")
    assert (ip["costs"]["bound"], ip["expected_recovery"]["bound"]) == ("exact", "exact")
    fond = _route(body, "assignation_au_fond")
    assert fond["costs"]["bound"] == "lower_bound"
    lawyer = next(x for x in fond["costs"]["lines"] if x["item"] == "lawyer's fees")
    assert lawyer["amount"] is None
    assert fond["expected_recovery"]["bound"] == "unknown"
    assert fond["expected_recovery"]["value"] is None
    assert _route(body, "simplified_small_claims")["conditions_met"] is False


def test_figures_are_fields_of_their_own_not_words(client, tenant):
    claim = new_claim(client, tenant, _debtor(client, tenant)["id"])
    body = _assess(client, tenant, claim["id"]).json()
    small = _route(body, "simplified_small_claims")["conditions"][-1]
    facts = body["facts"]
    owed = Decimal(facts["principal_outstanding"]) + Decimal(facts["interest_outstanding"])
    assert small["amount"] == f"{owed:f}"
    assert (small["limit"], small["parameter"]) == ("5000.00", "simplified_small_claims.ceiling")
    assert not re.search(r"\d+\.\d{2}", small["fact"])
    title = _route(body, "injonction_de_payer")["time_to_title"]
    assert title["steps"][-1]["on"] == title["typical_title_on"]
    assert title["deadlines"][0]["parameter"] == "injonction_de_payer.service_months"
    assert title["note"] is None
