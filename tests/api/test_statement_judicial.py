"""The statement's judicial section on moto: the interest a judgment made run (C. civ. 1231-7,
+5 points two months after it became enforceable, C. monét. fin. L313-3), and the
proceeding's costs split between those the debtor may be ordered to bear (dépens, CPC
695-696) and those left to the creditor (CPCE L111-8 al. 2, CPC 700), never added to `due`.

The clock: 10 March 2026. Claims of 1,200.00 EUR due 15 February 2026. Expected interest
is worked out here: `amount × days × rate / 36500`, rounded half-up to the cent per rate
period, the rate from french-law.md §2.3 (2026 S1: legal rate "autres cas" 2.62 %, the
creditor being a company).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import new_claim, new_debtor

CENT = Decimal("0.01")
LEGAL_AUTRES_2026_S1 = Decimal("2.62")


def _interest(amount: str, days: int, rate: Decimal) -> Decimal:
    return (Decimal(amount) * days * rate / 36500).quantize(CENT)


def statement(client: Any, tenant: Any, claim_id: str, at: str | None = None) -> Any:
    url = f"/v1/claims/{claim_id}/statement" + (f"?at={at}" if at else "")
    response = client.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def consumer_claim(client: Any, tenant: Any) -> dict[str, Any]:
    debtor = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None)
    return new_claim(client, tenant, debtor["id"])


def test_no_judicial_section_before_a_judgment_or_a_route(client: Any, tenant: Any) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    assert statement(client, tenant, claim["id"])["judicial"] is None


def test_a_judgment_shows_the_interest_since_and_its_majoration(
        client: Any, tenant: Any, consumer_claim: dict[str, Any]) -> None:
    claim_id = consumer_claim["id"]
    _ok(client.post(f"/v1/claims/{claim_id}/judgment", headers=tenant.headers, json={
        "pronounced_on": "2026-03-02", "court": "Tribunal judiciaire de Lyon",
        "amount_awarded": "1200.00", "enforceable_on": "2026-03-04"}))
    body = statement(client, tenant, claim_id, at="2026-06-30")
    # A consumer without a formal notice: interest runs only from the judgment, from the
    # day after it (date difference): 3 March to 4 May = 29 + 30 + 4 = 63 days at 2.62 %;
    # from 5 May (two months after 4 March, then the next day) to 30 June = 27 + 30 = 57
    # days at 2.62 + 5 = 7.62 %.
    before = _interest("1200.00", 63, LEGAL_AUTRES_2026_S1)
    after = _interest("1200.00", 57, LEGAL_AUTRES_2026_S1 + 5)
    assert (before, after) == (Decimal("5.43"), Decimal("14.28"))
    judgment = body["judicial"]["judgment"]
    assert judgment == {
        "pronounced_on": "2026-03-02", "amount_awarded": "1200.00",
        "enforceable_on": "2026-03-04", "majoration_from": "2026-05-05",
        "interest_since": str(before + after), "majorated": str(after)}
    assert body["totals"]["interest"] == str(before + after)
    # Nothing judicial but the judgment: no proceeding, no costs.
    assert (body["judicial"]["proceeding_id"], body["judicial"]["costs"],
            body["judicial"]["costs_debtor_may_bear"]) == (None, [], "0.00")
    assert body["judicial"]["due_with_costs"] == body["totals"]["due"]


def test_interest_before_the_judgment_is_not_counted_as_since(client: Any, tenant: Any) -> None:
    # A business debtor's interest runs from the due date; only what accrued from the
    # pronouncement is the judgment's. The B2B rate is kept after it: no majoration.
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    _ok(client.post(f"/v1/claims/{claim['id']}/judgment", headers=tenant.headers, json={
        "pronounced_on": "2026-03-02", "court": "Tribunal de commerce de Lyon",
        "amount_awarded": "1200.00", "enforceable_on": "2026-03-04"}))
    on_the_eve = statement(client, tenant, claim["id"], at="2026-03-01")
    body = statement(client, tenant, claim["id"], at="2026-04-30")
    since = (Decimal(body["totals"]["interest"])
             - Decimal(on_the_eve["totals"]["interest"]))
    # 2 March to 30 April = 30 + 30 = 60 days at ECB + 10 = 12.15 % (2026 S1).
    assert since == _interest("1200.00", 60, Decimal("12.15")) == Decimal("23.97")
    judgment = body["judicial"]["judgment"]
    assert (judgment["interest_since"], judgment["majorated"],
            judgment["majoration_from"]) == ("23.97", "0.00", None)


def test_the_proceedings_costs_by_who_bears_them(client: Any, tenant: Any) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    _ok(client.post(f"/v1/claims/{claim['id']}/actions/start_judicial",
                    headers=tenant.headers, json={"route": "injonction_de_payer"}))
    events = f"/v1/claims/{claim['id']}/judicial/events"

    def record(body: dict[str, Any]) -> None:
        _ok(client.post(events, headers=tenant.headers, json={"occurred_on": "2026-03-10",
                                                              **body}))

    record({"type": "filed", "cost": {"kind": "greffe", "amount": "25.19"}})
    record({"type": "cost", "cost": {"kind": "commissaire", "amount": "51.58",
                                     "vat": "10.32"}})
    record({"type": "cost", "cost": {"kind": "agency_commission", "amount": "120.00",
                                     "vat": "24.00"}})
    record({"type": "cost", "cost": {"kind": "lawyer", "amount": "300.00"}})
    # A judge's award under CPC 700 makes part of a lawyer's fee the debtor's.
    record({"type": "cost", "cost": {"kind": "lawyer", "amount": "500.00",
                                     "recoverable": True, "note": "article 700"}})
    body = statement(client, tenant, claim["id"])
    section = body["judicial"]
    assert (section["route"], section["state"], section["judgment"]) == (
        "injonction_de_payer", "filed", None)
    assert [(c["kind"], c["total"], c["bearer"]) for c in section["costs"]] == [
        ("greffe", "25.19", "debtor_if_ordered"),
        ("commissaire", "61.90", "debtor_if_ordered"),
        ("agency_commission", "144.00", "creditor"),
        ("lawyer", "300.00", "creditor"),
        ("lawyer", "500.00", "debtor_if_ordered")]
    assert "L111-8 al. 2" in section["costs"][2]["basis"]
    assert section["costs"][4]["basis"].startswith("recorded by the creditor as recoverable")
    # 25.19 + 61.90 + 500.00; 144.00 + 300.00
    assert (section["costs_debtor_may_bear"], section["costs_left_to_creditor"]) == (
        "587.09", "444.00")
    # Costs are never in what is due: only beside it.
    assert Decimal(section["due_with_costs"]) == (Decimal(body["totals"]["due"])
                                                  + Decimal("587.09"))
    assert body["totals"]["due"] == statement(client, tenant, claim["id"],
                                              at="2026-03-10")["totals"]["due"]
    # A statement on an earlier day shows none of the costs incurred since.
    earlier = statement(client, tenant, claim["id"], at="2026-03-09")["judicial"]
    assert (earlier["costs"], earlier["costs_debtor_may_bear"]) == ([], "0.00")


def test_small_claims_costs_stay_with_the_creditor(client: Any, tenant: Any) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    _ok(client.post(f"/v1/claims/{claim['id']}/actions/start_judicial",
                    headers=tenant.headers, json={"route": "simplified_small_claims"}))
    _ok(client.post(f"/v1/claims/{claim['id']}/judicial/events", headers=tenant.headers,
                    json={"type": "cost", "occurred_on": "2026-03-10",
                          "cost": {"kind": "commissaire", "amount": "40.00", "vat": "8.00"}}))
    section = statement(client, tenant, claim["id"])["judicial"]
    assert [c["bearer"] for c in section["costs"]] == ["creditor"]
    assert section["costs"][0]["basis"].startswith("CPCE L125-1")
    assert (section["costs_debtor_may_bear"], section["costs_left_to_creditor"]) == (
        "0.00", "48.00")
