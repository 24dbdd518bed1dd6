"""The proceedings' repository promises, on the fake, moto and DynamoDB Local alike: a
proceeding is read back whole, the current one is the latest started, a number is taken
once, it is saved only from the version read, and never seen from another tenant."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.claims.judicial import JudicialRoute
from domain.judicial.proceedings import (
    Cost,
    CostKind,
    Court,
    Document,
    EventType,
    Filer,
    Party,
    Proceeding,
    ProceedingEvent,
    Residence,
    State,
)
from domain.shared.errors import Conflict, StaleVersion

NOW = datetime(2026, 9, 18, 8, 0, tzinfo=UTC)


def proceeding(number: int = 1, *, creditor: str = "cred_a", claim: str = "clm_1",
               route: JudicialRoute = JudicialRoute.INJONCTION_DE_PAYER) -> Proceeding:
    return Proceeding(
        id=f"prc_{number}", creditor_id=creditor, claim_id=claim, route=route,
        state=State.ORDER_GRANTED, filer=Filer.COMMISSAIRE,
        court=Court("Tribunal de commerce de Lyon", "TC", Residence.METROPOLITAN, "69002"),
        started_at=NOW,
        amount_claimed=Decimal("2400.00"), currency="EUR", debtor_residence=Residence.ABROAD,
        events=(ProceedingEvent(1, EventType.ORDER_GRANTED, date(2026, 9, 18), NOW, "erp",
                                State.FILED, State.ORDER_GRANTED,
                                {"order_date": "2026-09-15"}),),
        documents=(Document("ordonnance", date(2026, 9, 18), "order_granted", "b" * 64),),
        costs=(Cost(CostKind.GREFFE, Decimal("33.47"), Decimal("0"), date(2026, 9, 1), True),),
        filed_on=date(2026, 9, 1), order_on=date(2026, 9, 15),
        order_amount=Decimal("2400.00"), appealed_on=date(2026, 12, 1),
        appellant=Party.DEBTOR, appeal_decided_on=date(2027, 6, 1), served_in_person=False,
        number=number)


def add(units: Any, p: Proceeding) -> None:
    with units() as uow:
        uow.proceedings.add_proceeding(p)
        uow.commit()


def test_a_proceeding_is_read_back_whole(units: Any) -> None:
    add(units, proceeding())
    assert units().proceedings.current_proceeding("cred_a", "clm_1") == proceeding()


def test_the_current_one_is_the_latest_started_and_a_number_is_taken_once(units: Any) -> None:
    add(units, proceeding(1))
    add(units, proceeding(2, route=JudicialRoute.ASSIGNATION_AU_FOND))
    found = units().proceedings.current_proceeding("cred_a", "clm_1")
    assert found is not None and (found.number, found.route) == (
        2, JudicialRoute.ASSIGNATION_AU_FOND)
    assert [p.number for p in units().proceedings.list_proceedings("cred_a", "clm_1")] == [1, 2]
    with pytest.raises(Conflict):
        add(units, proceeding(2))


def test_saved_only_from_the_version_read(units: Any) -> None:
    add(units, proceeding())
    moved = replace(proceeding(), state=State.SERVED, served_on=date(2026, 10, 1), version=2)
    with units() as uow:
        uow.proceedings.save_proceeding(moved, 1)
        uow.commit()
    with pytest.raises(StaleVersion), units() as uow:
        uow.proceedings.save_proceeding(replace(moved, version=3), 1)
        uow.commit()
    assert units().proceedings.current_proceeding("cred_a", "clm_1") == moved


def test_never_across_tenants_nor_claims(units: Any) -> None:
    add(units, proceeding())
    assert units().proceedings.current_proceeding("cred_b", "clm_1") is None
    assert units().proceedings.current_proceeding("cred_a", "clm_2") is None
    assert units().proceedings.list_proceedings("cred_b", "clm_1") == []
