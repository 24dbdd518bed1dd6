"""The insolvency watch's index and memory, on the fake, moto and DynamoDB Local alike: the
index holds the open claims only (a claim leaves it when it closes, and comes back if it
reopens), by debtor, across tenants and shards, paged to the end; a debtor is read with
what the watch remembers of it, in batches past BatchGetItem's 100 keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.claims.model import Claim, ClaimEvent, Invoice, Outcome, Phase
from domain.debtors.model import Debtor, DebtorKind
from domain.ports.watch import WATCH_SHARDS, DebtorWatch, WatchedClaim
from domain.shared.language import Language

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _claim(n: int, debtor: str, creditor: str = "cred_a") -> Claim:
    due = date(2026, 2, 1)
    return Claim(id=f"clm_{n:03d}", creditor_id=creditor, debtor_id=debtor, currency="EUR",
                 invoices=[Invoice(f"F-{n}", due - timedelta(days=30), due, Decimal("100"))],
                 phase=Phase.AMICABLE, outstanding=Decimal("100"), created_at=NOW,
                 updated_at=NOW, event_count=1)


def _event(c: Claim, seq: int = 1) -> ClaimEvent:
    return ClaimEvent(claim_id=c.id, seq=seq, at=NOW, action="open", actor="test")


def _watched(units: Any, limit: int = 2) -> list[WatchedClaim]:
    found: list[WatchedClaim] = []
    for shard in range(WATCH_SHARDS):
        cursor = None
        while True:
            page = units().watch.watched_claims(shard, limit, cursor)
            found.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
    return found


def test_the_index_holds_the_open_claims_only(units: Any) -> None:
    claims = [_claim(1, "dbt_1"), _claim(2, "dbt_1"), _claim(3, "dbt_2"),
              _claim(4, "dbt_1", creditor="cred_b"), _claim(5, "dbt_3")]
    with units() as uow:
        for c in claims:
            uow.claims.add_claim(c, _event(c))
        uow.commit()
    closed = replace(claims[4], phase=Phase.CLOSED, outcome=Outcome.CANCELLED, version=2,
                     event_count=2)
    with units() as uow:
        uow.claims.save_claim(closed, [_event(closed, 2)], 1)
        uow.commit()

    found = _watched(units)

    assert sorted((w.creditor_id, w.debtor_id, w.claim_id) for w in found) == [
        ("cred_a", "dbt_1", "clm_001"), ("cred_a", "dbt_1", "clm_002"),
        ("cred_a", "dbt_2", "clm_003"), ("cred_b", "dbt_1", "clm_004")]
    # A claim reopened (a bounced payment) is watched again.
    reopened = replace(closed, phase=Phase.AMICABLE, outcome=None, version=3, event_count=3)
    with units() as uow:
        uow.claims.save_claim(reopened, [_event(reopened, 3)], 2)
        uow.commit()
    assert "clm_005" in {w.claim_id for w in _watched(units)}


def test_one_debtors_claims_are_in_one_shard_side_by_side(units: Any) -> None:
    claims = [_claim(n, "dbt_9") for n in range(1, 6)]
    with units() as uow:
        for c in claims:
            uow.claims.add_claim(c, _event(c))
        uow.commit()
    shards = [[w.claim_id for w in units().watch.watched_claims(s, 100, None).items]
              for s in range(WATCH_SHARDS)]
    assert sorted(len(s) for s in shards) == [0] * (WATCH_SHARDS - 1) + [5]


def _debtor(n: int) -> Debtor:
    return Debtor(id=f"dbt_{n:03d}", creditor_id="cred_a", kind=DebtorKind.BUSINESS,
                  name=f"Client {n}", country="FR", language=Language.FR, siren="552100554")


def test_debtors_are_read_with_their_watch_past_one_batch(units: Any) -> None:
    debtors = [_debtor(n) for n in range(60)]  # 120 keys: two BatchGetItem calls
    for d in debtors:
        with units() as uow:
            uow.debtors.add_debtor(d)
            uow.commit()
    remembered = DebtorWatch("cred_a", "dbt_007", "552100554", ("A1", "A2"),
                             date(2026, 3, 9), date(2026, 3, 9))
    with units() as uow:
        uow.watch.save_watch(remembered)
        uow.commit()

    keys = [("cred_a", d.id) for d in debtors] + [("cred_a", "dbt_missing"),
                                                  ("cred_b", "dbt_007")]
    found = units().watch.debtors_with_watch(keys)

    assert set(found) == set(keys)
    assert found[("cred_a", "dbt_007")] == (debtors[7], remembered)
    assert found[("cred_a", "dbt_008")] == (debtors[8], None)
    assert found[("cred_a", "dbt_missing")] == (None, None)
    assert found[("cred_b", "dbt_007")] == (None, None)  # never across tenants
