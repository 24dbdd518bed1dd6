"""Shared by the tests of what is owed: requests, the clock, and the interest formula."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def interest(amount: str | Decimal, days: int, rate: Decimal) -> Decimal:
    """service-public.fr F783: amount × days × rate / 36,500, rounded half-up to the cent."""
    return (Decimal(amount) * days * rate / Decimal(36500)).quantize(CENT, ROUND_HALF_UP)


def m(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


def set_day(clock: Any, day: str) -> None:
    clock.at = datetime.fromisoformat(day).replace(hour=9, minute=30, tzinfo=UTC)


def pay(client: Any, tenant: Any, claim_id: str, amount: str, received_on: str,
        **extra: Any) -> dict[str, Any]:
    response = client.post(f"/v1/claims/{claim_id}/payments",
                           json={"amount": amount, "received_on": received_on, **extra},
                           headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def events(client: Any, tenant: Any, claim_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])
