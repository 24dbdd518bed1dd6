"""The insolvency watch's cost per daily run: DynamoDB reads and questions to the public
registers, for a table of N claims of which M are open, on K distinct SIRENs (moto, the
fake registers answering "nothing new"). The figures are counts, not timings: a run reads
the sparse index of open claims (GSI5), its debtors in batches and asks once per SIREN,
so they follow M and K and stay flat as N grows."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.common import Row

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
# (N claims, M open, K SIRENs); two claims per debtor when M allows.
CASES = [(200, 20, 5), (5000, 20, 5), (5000, 2000, 50), (5000, 2000, 500)]



def _siren(n: int) -> str:
    body = f"{100000 + n:08d}"
    for last in range(10):
        digits = [int(c) for c in body + str(last)]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
                    for i, d in enumerate(digits))
        if total % 10 == 0:
            return body + str(last)
    raise AssertionError


def run() -> list[Row]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    from moto import mock_aws

    rows: list[Row] = []
    with mock_aws():
        for n, m, k in CASES:
            reads, port = _case(n, m, k)
            rows.append((f"insolvency watch N={n} M={m} K={k}",
                         f"{sum(reads.values())} DynamoDB reads, {port} port calls",
                         " ".join(f"{name}={count}" for name, count in sorted(reads.items()))
                         + "; grows with M and K, not N"))
    return rows


def _case(n: int, m: int, k: int) -> tuple[Counter[str], int]:
    import boto3

    from adapters.clock import FrozenClock
    from adapters.company_data.fake import FakeCompanyData
    from adapters.dynamodb import DynamoUnitOfWork, create_table
    from adapters.dynamodb.rates import DynamoRateStore
    from domain.claims.model import Claim, Invoice, Outcome, Phase
    from domain.debtors.model import Debtor, DebtorKind
    from domain.services.caller import Ports
    from domain.services.insolvency_watch import run_watch
    from domain.shared.language import Language

    client = boto3.client("dynamodb")
    table = f"bench-watch-{n}-{m}-{k}"
    create_table(client, table)
    # Debtors: K with a SIREN carry the open claims (M / K each); the closed claims sit on
    # their own debtors, as a table's history does.
    due = date(2026, 1, 15)

    def claim(i: int, debtor: str, phase: Phase) -> Claim:
        return Claim(id=f"clm_{i:06d}", creditor_id="cred_bench", debtor_id=debtor,
                     currency="EUR", invoices=[Invoice(f"F-{i}", due - timedelta(days=30), due,
                                                       Decimal("100"))],
                     phase=phase, outstanding=Decimal("100"), created_at=NOW, updated_at=NOW,
                     event_count=1,
                     outcome=Outcome.PAID if phase is Phase.CLOSED else None)

    debtors = [Debtor(id=f"dbt_{j:05d}", creditor_id="cred_bench", kind=DebtorKind.BUSINESS,
                      name=f"Client {j}", country="FR", language=Language.FR,
                      siren=_siren(j)) for j in range(k + (n - m) // 10 + 1)]
    batch: list[Any] = []
    for debtor in debtors:
        batch.append(("debtor", debtor))
    for i in range(n):
        is_open = i < m
        debtor = debtors[i % k] if is_open else debtors[k + (i - m) // 10]
        batch.append(("claim", claim(i, debtor.id, Phase.AMICABLE if is_open else Phase.CLOSED)))
    # Written straight with BatchWriteItem, as the repositories would lay the items out
    # (the claim item carries its GSI5 keys while open): a transaction per claim costs
    # moto time that grows with the table, and the run, not the loading, is measured.
    unit = DynamoUnitOfWork(client, table)
    items = [unit.debtors._item(item) if kind == "debtor" else unit.claims._item(item)
             for kind, item in batch]
    for start in range(0, len(items), 25):
        client.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": item}} for item in items[start:start + 25]]})
    ports = Ports(unit_of_work=lambda: DynamoUnitOfWork(client, table), clock=FrozenClock(NOW),
                  rates=DynamoRateStore(client, table))
    fake = FakeCompanyData()
    run_watch(ports, fake)  # the first run writes what it saw; the second is the steady day
    reads: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        if model.name in {"Query", "GetItem", "BatchGetItem", "Scan"}:
            reads[model.name] += 1

    client.meta.events.register("before-call.dynamodb.*", count)
    before = sum(fake.calls.values())
    run_watch(ports, fake)
    client.meta.events.unregister("before-call.dynamodb.*", count)
    client.delete_table(TableName=table)
    return reads, sum(fake.calls.values()) - before
