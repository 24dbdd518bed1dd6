"""The insolvency watch's cost per daily run: DynamoDB reads and questions to the public
registers, for a table of N claims of which M are open, on K distinct SIRENs (moto, the
fake registers answering "nothing new"). The figures are counts, not timings: a run reads
the sparse index of open claims (GSI5), its debtors in batches and asks once per SIREN,
so they follow M and K and stay flat as N grows. Each debtor checked is written once (the
instant of its check orders the next runs), so the writes follow the debtors.

The pace: 2,000 SIRENs on the in-memory fakes, each run a simulated 15-minute Lambda at
Sirene's 30 requests a minute (adapters.company_data.pacing on a simulated clock: nothing
sleeps), to count the SIRENs a run reaches and the runs that cover them all."""

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
            reads, writes, port = _case(n, m, k)
            rows.append((f"insolvency watch N={n} M={m} K={k}",
                         f"{sum(reads.values())} DynamoDB reads, {writes} writes, "
                         f"{port} port calls",
                         " ".join(f"{name}={count}" for name, count in sorted(reads.items()))
                         + "; grows with M and K, not N"))
    rows.append(_pacing(2000, per_minute=30, timeout_seconds=900))
    return rows


class _SimulatedRun:
    """One invocation's time: it passes only when the pacer sleeps (the fakes take none)."""

    def __init__(self, timeout_seconds: float) -> None:
        self.elapsed, self.timeout = 0.0, timeout_seconds

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.elapsed += seconds

    def remaining(self) -> float:
        return self.timeout - self.elapsed


def _pacing(k: int, *, per_minute: int, timeout_seconds: float) -> Row:
    from tests.fakes import fake_ports

    from adapters.clock import FrozenClock
    from adapters.company_data.fake import FakeCompanyData
    from adapters.company_data.pacing import QuotaPacer
    from domain import services
    from domain.creditors.model import Address
    from domain.debtors.model import DebtorKind
    from domain.services.caller import Caller
    from domain.services.insolvency_watch import run_watch

    clock = FrozenClock(NOW)
    world = fake_ports(clock)
    caller = Caller(services.create_creditor(services.CreditorDraft(
        legal_name="Menuiserie Leroy SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR")), world.ports).id, "bench")
    for j in range(k):
        debtor = services.create_debtor(services.DebtorDraft(
            kind=DebtorKind.BUSINESS, name=f"Client {j}", country="FR", siren=_siren(j)),
            caller, world.ports)
        services.create_claim(services.ClaimDraft(
            debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
                f"F-{j}", date(2026, 1, 1), date(2026, 1, 15), "100.00")]),
            caller, world.ports)
    fake = FakeCompanyData()
    per_run: list[int] = []
    while len(fake.calls) < k and len(per_run) < 30:
        run = _SimulatedRun(timeout_seconds)
        pacer = QuotaPacer(per_minute, run.remaining, monotonic=run.monotonic,
                           sleep=run.sleep)
        before = sum(fake.calls.values())
        run_watch(world.ports, fake, pacer)
        per_run.append(sum(fake.calls.values()) - before)
        clock.advance(timedelta(days=1))
    return (f"insolvency watch pace K={k} at {per_minute}/min, {timeout_seconds:.0f} s runs",
            f"{per_run[0]} SIRENs a run, all {k} covered in {len(per_run)} daily runs",
            "the least recently checked first; each stops 60 s before the timeout")


def _case(n: int, m: int, k: int) -> tuple[Counter[str], int, int]:
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
    writes = [0]

    def count(model: Any, **_: Any) -> None:
        if model.name in {"Query", "GetItem", "BatchGetItem", "Scan"}:
            reads[model.name] += 1
        elif model.name in {"TransactWriteItems", "PutItem", "BatchWriteItem"}:
            writes[0] += 1

    client.meta.events.register("before-call.dynamodb.*", count)
    before = sum(fake.calls.values())
    run_watch(ports, fake)
    client.meta.events.unregister("before-call.dynamodb.*", count)
    client.delete_table(TableName=table)
    return reads, writes[0], sum(fake.calls.values()) - before
