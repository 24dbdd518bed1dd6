"""The ladder's costs on moto (DynamoDB, Scheduler; fake senders): AWS calls per executed
step (target <= 5: read, claim the step, send, commit, schedule), the sweeper's items read
among 10,000 claims of which 100 are due (target ~ 100: its index holds only claims with a
next action, and it reads only the overdue part), and steps run per second by one process.
Calls are counted by a botocore hook, not timed; the rate is one run on this machine."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.common import Row

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

TABLE, GROUP = "relance-bench", "relance-bench"
TARGET = "arn:aws:lambda:eu-west-3:123456789012:function:trigger"


class _Calls:
    def __init__(self, *clients: Any) -> None:
        self.calls: list[str] = []
        self.items = 0
        for client in clients:
            client.meta.events.register("before-call.*.*", self._before)
            client.meta.events.register("after-call.dynamodb.*", self._after)

    def _before(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)

    def _after(self, http_response: Any, parsed: dict[str, Any], model: Any,
               **_: Any) -> None:
        if model.name == "Query":
            self.items += int(parsed.get("ScannedCount", parsed.get("Count", 0)))
        elif model.name == "GetItem" and "Item" in parsed:
            self.items += 1

    def reset(self) -> None:
        self.calls.clear()
        self.items = 0


def run() -> list[Row]:
    import boto3
    from moto import mock_aws

    with mock_aws():
        return _run(boto3)


def _run(boto3: Any) -> list[Row]:
    from adapters.clock import FrozenClock
    from adapters.dynamodb import DynamoUnitOfWork, create_table
    from adapters.dynamodb.rates import DynamoRateStore
    from adapters.messaging.fake import FakeEmailSender, FakeSmsSender
    from adapters.scheduler import EventBridgeScheduler
    from domain import services
    from domain.creditors.model import Address
    from domain.debtors.model import ContactKind, DebtorKind
    from domain.ports.escalation import Wakeup
    from domain.services import escalation
    from domain.services.caller import Caller, Ports

    ddb, sched = boto3.client("dynamodb"), boto3.client("scheduler")
    create_table(ddb, TABLE)
    sched.create_schedule_group(Name=GROUP)
    clock = FrozenClock(datetime(2026, 3, 2, 8, tzinfo=UTC))
    ports = Ports(unit_of_work=lambda: DynamoUnitOfWork(ddb, TABLE), clock=clock,
                  rates=DynamoRateStore(ddb, TABLE), email=FakeEmailSender(),
                  sms=FakeSmsSender(),
                  scheduler=EventBridgeScheduler(sched, GROUP, TARGET,
                                                 "arn:aws:iam::123456789012:role/s",
                                                 "arn:aws:sqs:eu-west-3:123456789012:d",
                                                 clock))
    creditor = services.create_creditor(services.CreditorDraft(
        legal_name="Bench SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
        iban="FR1420041010050500013M02606"), ports)
    caller = Caller(creditor.id, "bench")

    def claim(n: int) -> str:
        debtor = services.create_debtor(services.DebtorDraft(
            kind=DebtorKind.BUSINESS, name=f"Client {n}", country="FR",
            contact_points=[services.ContactPointDraft(ContactKind.EMAIL,
                                                       value=f"compta{n}@client.fr"),
                            services.ContactPointDraft(ContactKind.PHONE,
                                                       value="06 12 34 56 78")]),
            caller, ports)
        opened, _ = services.create_claim(services.ClaimDraft(
            debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
                f"F-{n}", date(2026, 2, 14), date(2026, 3, 16), "1200.00")]), caller, ports)
        return opened.id

    counter = _Calls(ddb, sched)
    # --- one executed step: the pre-due e-mail (the SMS went first, on the same morning)
    ids = [claim(n) for n in range(20)]
    clock.advance(datetime(2026, 3, 11, 9, 5, tzinfo=UTC) - clock.now())
    per_step = []
    started = time.perf_counter()
    runs = 0
    for claim_id in ids:
        for _ in range(2):
            stored = ports.unit_of_work().claims.get_claim(creditor.id, claim_id)
            assert stored is not None and stored.next_step is not None
            counter.reset()
            # as the trigger receives it from the schedule, which then deletes itself
            run = escalation.run_step(Wakeup(creditor.id, claim_id, stored.next_step,
                                             stored.version, stored.debtor_id), ports,
                                      fired=True)
            runs += run.outcome == "ran"
            per_step.append(len(counter.calls))
    elapsed = time.perf_counter() - started
    calls = sorted(set(counter.calls))
    # --- the sweeper over 10,000 claims, 100 of them overdue: written straight to the table
    # (10,000 claims through the use cases would take minutes on moto)
    _fill(ddb, creditor.id, clock.now())
    counter.reset()
    swept_at = time.perf_counter()
    from domain.ports.repositories import DUE_SHARDS

    before = clock.now() - escalation.SWEEP_GRACE
    due = sum(len(ports.unit_of_work().claims.claims_due(s, before, 100, None).items)
              for s in range(DUE_SHARDS))
    sweep_ms = (time.perf_counter() - swept_at) * 1000
    return [
        ("escalation: AWS calls per executed step", f"{max(per_step)} + the send (median "
         f"{sorted(per_step)[len(per_step) // 2]})",
         f"target <= 5 with the send; {', '.join(calls)}"),
        ("escalation: steps run per second, one process", f"{runs / elapsed:.1f} steps/s",
         f"{runs} steps on moto, fake senders"),
        ("escalation: sweeper items read, 10,000 claims / 100 due", f"{counter.items}",
         f"target ~ 100; {due} found, {len(counter.calls)} queries, {sweep_ms:.0f} ms"),
    ]


def _fill(ddb: Any, creditor_id: str, now: datetime) -> None:
    """10,000 claim index entries: 100 overdue, 4,900 due later, 5,000 with no next action
    (absent from the sparse index, as on the table)."""
    from adapters.dynamodb.keys import due_pk, due_shard

    rows = []
    for n in range(10_000):
        if n >= 5_000:
            continue  # no next action: not in the index at all
        at = now - timedelta(hours=1) if n < 100 else now + timedelta(days=1 + n % 30)
        claim_id = f"clm_bench{n:06d}"
        stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        rows.append({"PutRequest": {"Item": {
            "PK": {"S": f"T#{creditor_id}#CLAIM#{claim_id}"}, "SK": {"S": "META"},
            "GSI4PK": {"S": due_pk(due_shard(claim_id))},
            "GSI4SK": {"S": f"{stamp}#{creditor_id}#{claim_id}"}}}})
    for i in range(0, len(rows), 25):
        ddb.batch_write_item(RequestItems={TABLE: rows[i:i + 25]})
