"""Service tests: the use cases driven on the in-memory fakes (tests/fakes.py), no AWS at
all, each in milliseconds. They assert what a use case decides and stores; the HTTP
mapping is tests/api's, the DynamoDB behaviour tests/contract's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.claims.model import Claim
from domain.creditors.model import Address
from domain.debtors.model import DebtorKind
from domain.services.caller import Caller
from tests.fakes import FakeWorld, fake_ports

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
LEROY = services.CreditorDraft(legal_name="Menuiserie Leroy SARL", siren="732829320",
                               address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def world(clock: FrozenClock) -> FakeWorld:
    return fake_ports(clock)


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    """A creditor onboarded, acting through a key named `erp`."""
    creditor = services.create_creditor(LEROY, world.ports)
    return Caller(creditor.id, "erp")


def open_claim(world: FakeWorld, caller: Caller, *, amount: str = "5000.00",
               due: date = date(2026, 2, 15), number: str = "F-1",
               kind: DebtorKind = DebtorKind.BUSINESS, debtor_id: str | None = None,
               **draft: object) -> Claim:
    """A claim on a new debtor (or on `debtor_id`), one invoice, opened at the clock's now."""
    if debtor_id is None:
        debtor_id = services.create_debtor(services.DebtorDraft(
            kind=kind, name="Boulangerie Martin SAS", country="FR"), caller, world.ports).id
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[services.InvoiceDraft(
            number, date(due.year, due.month, 1) if due.day > 1 else due, due, amount)],
        **draft), caller, world.ports)  # type: ignore[arg-type]
    return claim
