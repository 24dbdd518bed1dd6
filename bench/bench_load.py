"""`make run` under a small team's load: requests/s and p99 at 8 clients after 10,000 claims.

The local server as `make run` starts it (`python -m api.entrypoints.local`: DynamoDB Local, several
worker processes) against the same server on the engine it had before (moto's DynamoDB,
one process), each with 10,000 claims stored first, in one run. Each client keeps a
connection and loops for a fixed time over a mix a collector's screen and a partner's
import make: read a claim, list a page of claims, record a payment (with an
Idempotency-Key), open a claim. After the load, every payment answered 201 is looked up:
it must be stored exactly once.
"""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import Row, median_p99

ROOT = Path(__file__).resolve().parents[1]
TABLE = "relance-load"
CLAIMS = 10_000
CLIENTS = 8
SECONDS = 20.0
KEY = "rlk_load_bench_key_0123456789abcdefghijklmnop"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(endpoint: str) -> list[str]:
    """A creditor, its key, 100 debtors and CLAIMS claims written straight to the table in
    batches (seeding is not what is measured)."""
    import boto3

    from adapters.clock import SystemClock
    from adapters.dynamodb import DynamoRepository, DynamoUnitOfWork, create_table
    from adapters.dynamodb.rates import DynamoRateStore
    from domain import services
    from domain.claims.model import Claim, ClaimEvent, Invoice, Phase
    from domain.creditors.model import Address, ApiKey
    from domain.debtors.model import DebtorKind
    from domain.shared.ids import new_id

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-3",
                          aws_access_key_id="local", aws_secret_access_key="local")
    create_table(client, TABLE)
    repo, clock = DynamoRepository(client, TABLE), SystemClock()
    ports = services.Ports(unit_of_work=lambda: DynamoUnitOfWork(client, TABLE), clock=clock,
                           rates=DynamoRateStore(client, TABLE))
    creditor = services.create_creditor(services.CreditorDraft(
        legal_name="Charge SARL", siren="732829320",
        address=Address(("1 rue du Test",), "75002", "Paris", "FR")), ports)
    repo.add_api_key(ApiKey(id="key_load", creditor_id=creditor.id,
                            secret_hash=services.hash_secret(KEY), scopes=("read", "write"),
                            name="load", prefix=KEY[:10], created_at=clock.now()))
    caller = services.Caller(creditor.id, "seed")
    debtors = [services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name=f"Client {n}", country="FR"), caller, ports).id
        for n in range(100)]
    now = datetime.now(UTC)
    uow = DynamoUnitOfWork(client, TABLE)
    ids, items = [], []
    for n in range(CLAIMS):
        due = now.date() - timedelta(days=n % 300)
        claim = Claim(id=new_id("clm"), creditor_id=creditor.id, debtor_id=debtors[n % 100],
                      currency="EUR", invoices=[Invoice(f"L-{n:06d}", due - timedelta(days=30),
                                                        due, Decimal("900.00"))],
                      phase=Phase.AMICABLE, outstanding=Decimal("900.00"), created_at=now,
                      updated_at=now, event_count=1, time_zone="Europe/Paris")
        event = ClaimEvent(claim_id=claim.id, seq=1, at=now, action="open", actor="seed")
        # The repository's own item shapes, so the seeded claims are the API's claims.
        items += [uow.claims._item(claim),
                  uow.claims._event(creditor.id, event).action["Put"]["Item"]]
        ids.append(claim.id)
    for start in range(0, len(items), 25):
        request = {TABLE: [{"PutRequest": {"Item": i}} for i in items[start:start + 25]]}
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems")
    return ids


@contextlib.contextmanager
def _server(env: dict[str, str]) -> Iterator[str]:
    import httpx

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.entrypoints.local"], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": "src", "PORT": str(port), "RELANCE_TABLE": TABLE,
             "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
             "AWS_DEFAULT_REGION": "eu-west-3", **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                err = process.stderr.read().decode()[-2000:] if process.stderr else ""
                raise RuntimeError(f"the local server did not start: {err}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _load(base: str, claim_ids: list[str], seconds: float) -> dict[str, Any]:
    import httpx

    headers = {"X-API-Key": KEY}
    samples: list[float] = []
    failures: list[str] = []
    paid: list[tuple[str, str]] = []  # (claim id, reference) answered 201
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client_loop(n: int) -> None:
        rng = random.Random(n)
        mine: list[float] = []
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            i = 0
            while time.monotonic() < stop:
                i += 1
                claim = rng.choice(claim_ids)
                pick = rng.random()
                started = time.perf_counter()
                try:
                    if pick < 0.5:
                        r, ok = http.get(f"/v1/claims/{claim}"), 200
                    elif pick < 0.7:
                        r, ok = http.get("/v1/claims", params={"limit": 20}), 200
                    elif pick < 0.9:
                        ref = f"B-{n}-{i}"
                        r = http.post(f"/v1/claims/{claim}/payments",
                                      headers={"Idempotency-Key": ref},
                                      json={"amount": "1.00", "received_on":
                                            datetime.now(UTC).date().isoformat(),
                                            "reference": ref})
                        ok = 201
                        if r.status_code == 201:
                            with lock:
                                paid.append((claim, ref))
                    else:
                        r, ok = http.post("/v1/claims", json={
                            "debtor_id": _debtor_of(http, claim), "currency": "EUR",
                            "invoices": [{"number": f"N-{n}-{i}-{secrets.token_hex(3)}",
                                          "issue_date": "2026-09-01",
                                          "due_date": "2026-10-01", "amount": "120.00"}]}), 201
                    if r.status_code != ok:
                        with lock:
                            failures.append(f"{r.status_code}")
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(type(exc).__name__)
                mine.append((time.perf_counter() - started) * 1000)
        with lock:
            samples.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stored_once = _check_payments(base, headers, paid)
    median, p99 = median_p99(samples)
    return {"rps": len(samples) / elapsed, "median": median, "p99": p99,
            "failures": failures, "paid": len(paid), "stored_once": stored_once}


_debtors: dict[str, str] = {}


def _debtor_of(http: Any, claim_id: str) -> str:
    if claim_id not in _debtors:
        _debtors[claim_id] = http.get(f"/v1/claims/{claim_id}").json()["debtor_id"]
    return _debtors[claim_id]


def _check_payments(base: str, headers: dict[str, str], paid: list[tuple[str, str]]) -> bool:
    import httpx

    by_claim: dict[str, list[str]] = {}
    for claim, ref in paid:
        by_claim.setdefault(claim, []).append(ref)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for claim, refs in by_claim.items():
            stored = [p["reference"] for p in
                      http.get(f"/v1/claims/{claim}/payments").json()["items"]
                      if (p["reference"] or "").startswith("B-")]
            if sorted(stored) != sorted(refs):
                return False
    return True


def _row(name: str, figures: dict[str, Any], note: str) -> Row:
    failures = figures["failures"]
    kinds = ", ".join(sorted(set(failures))) if failures else "none"
    once = "each stored once" if figures["stored_once"] else "NOT stored exactly once"
    return (name, f"{figures['rps']:.0f} req/s, median {figures['median']:.0f} ms, "
                  f"p99 {figures['p99']:.0f} ms",
            f"{note}; {len(failures)} failed ({kinds}); {figures['paid']} payments, {once}")


def run() -> list[Row]:
    from infra.dynamodb_local import dynamodb_local
    from moto.server import ThreadedMotoServer

    rows: list[Row] = []
    moto_port = _free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    moto_endpoint = f"http://127.0.0.1:{moto_port}"
    try:
        with dynamodb_local() as endpoint:
            ids = _seed(endpoint)
            with _server({"AWS_ENDPOINT_URL": moto_endpoint,
                          "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
                          "RELANCE_DEMO_API_KEY": KEY + "x"}) as base:
                after = _load(base, ids, SECONDS)
        rows.append(_row(f"make run: DynamoDB Local, 4 processes, {CLIENTS} clients, "
                         f"{CLAIMS:,} claims", after, "mix 50% read, 20% list, 20% pay, 10% open"))
        ids = _seed(moto_endpoint)
        with _server({"AWS_ENDPOINT_URL": moto_endpoint, "RELANCE_LOCAL_DYNAMODB": "moto",
                      "RELANCE_LOCAL_WORKERS": "1", "RELANCE_DEMO_API_KEY": KEY + "x"}) as base:
            before = _load(base, ids, SECONDS)
        rows.append(_row(f"before: moto DynamoDB, 1 process, {CLIENTS} clients, "
                         f"{CLAIMS:,} claims", before, "the same mix"))
        rows.append(("make run throughput, now / before",
                     f"{after['rps'] / max(before['rps'], 0.001):.1f}x",
                     f"p99 {after['p99']:.0f} ms against {before['p99']:.0f} ms"))
    finally:
        moto.stop()
    return rows
