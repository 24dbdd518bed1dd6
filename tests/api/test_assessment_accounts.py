"""GET /v1/claims/{id}/judicial-assessment with the debtor's public accounts on moto: the
query's figures are facts, counted as factors of the derived probability; wrong ones answer
422 naming the field; a company the insolvency watch noted as ceased is counted too.
The clock is frozen at 2026-03-10T09:30Z."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.ports.watch import DebtorWatch
from tests.api._helpers import assert_problem
from tests.conftest import new_claim, new_debtor


def _assess(client: Any, tenant: Any, claim_id: str, **query: str) -> Any:
    return client.get(f"/v1/claims/{claim_id}/judicial-assessment", params=query,
                      headers=tenant.headers)


def _factor(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in body["probability"]["factors"] if f["code"] == code)


def test_the_accounts_are_facts_and_factors(client: Any, tenant: Any) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    response = _assess(client, tenant, claim["id"], accounts_closed_on="2025-06-30",
                       equity="-12500.5", net_result="4200")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["facts"]["public_accounts"] == {
        "closed_on": "2025-06-30", "equity": "-12500.50", "net_result": "4200.00"}
    assert (_factor(body, "accounts_negative_equity")["applied"],
            _factor(body, "accounts_net_loss")["applied"]) == (True, False)
    # 0.80 (base) x 0.60 (negative equity)
    assert body["probability"]["value"] == "0.4800"
    without = _assess(client, tenant, claim["id"]).json()
    assert (without["facts"]["public_accounts"], without["probability"]["value"]) == (
        None, "0.8000")


@pytest.mark.parametrize(("query", "field"), [
    ({"equity": "-100"}, "accounts_closed_on"),
    ({"accounts_closed_on": "2026-12-31", "equity": "1"}, "accounts_closed_on"),
    ({"accounts_closed_on": "2025-12-31", "equity": "lots"}, "equity"),
    ({"accounts_closed_on": "2025-12-31", "net_result": "1.234"}, "net_result"),
    ({"accounts_closed_on": "2025-12-31", "net_result": "NaN"}, "net_result"),
    # Huge exponents: quantizing them overflows the decimal context (InvalidOperation).
    ({"accounts_closed_on": "2025-12-31", "equity": "1E+99"}, "equity"),
    ({"accounts_closed_on": "2025-12-31", "net_result": "-9E+999999"}, "net_result"),
    # Beyond the 15 integer digits an amount of the API may have.
    ({"accounts_closed_on": "2025-12-31", "equity": "1E+15"}, "equity"),
    ({"recovery_probability": "1E+99"}, "recovery_probability"),
])
def test_wrong_accounts_are_422_naming_the_field(client: Any, tenant: Any,
                                                 query: dict[str, str], field: str) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    assert_problem(_assess(client, tenant, claim["id"], **query), 422, field)


def test_a_closing_day_that_is_no_date_is_400_naming_it(client: Any, tenant: Any) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    assert_problem(_assess(client, tenant, claim["id"], accounts_closed_on="not-a-day"), 400,
                   "accounts_closed_on")


def test_a_consumer_has_no_public_accounts(client: Any, tenant: Any) -> None:
    debtor = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None)
    claim = new_claim(client, tenant, debtor["id"])
    assert_problem(_assess(client, tenant, claim["id"], accounts_closed_on="2025-12-31",
                           equity="-1"), 422, "accounts_closed_on")


def test_a_company_the_watch_noted_as_ceased(client: Any, tenant: Any, ports: Any) -> None:
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    with ports.unit_of_work() as uow:
        uow.watch.save_watch(DebtorWatch(tenant.creditor_id, debtor["id"], "552100554",
                                         ceased_noted_on=date(2026, 3, 2)))
        uow.commit()
    body = _assess(client, tenant, claim["id"]).json()
    assert body["facts"]["company_ceased_on"] == "2026-03-02"
    assert _factor(body, "company_ceased")["applied"] is True
    assert body["probability"]["value"] == "0.1600"  # 0.80 x 0.20
