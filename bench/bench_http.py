"""HTTP function figures: cold start against a baseline, warm latencies, DynamoDB calls.

Cold start: a fresh Python process imports the Lambda entry point and answers one
`GET /v1/claims/{id}` event (against moto server on loopback, seeded beforehand), compared
with a baseline process that only imports litestar, boto3 and Powertools. Both are timed
from the parent as whole-process wall time, alternated, median of several runs.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Row, median_p99, timings_ms

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT.parent / "shared" / "events"
RUNS = 9

BASELINE = (
    "import litestar, boto3, aws_lambda_powertools\n"
    "from aws_lambda_powertools import Logger, Metrics\n"
)
COLD = """
import json, sys
import api.lambda_http as entry
event = json.loads(sys.argv[1])
class Ctx:
    function_name = "relance-http"; memory_limit_in_mb = 1024; function_version = "1"
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:relance-http"
    aws_request_id = "bench"
response = entry.handler(event, Ctx())
assert response["statusCode"] == 200, response
"""


def _seed(endpoint: str) -> tuple[str, str]:
    os.environ.update(AWS_ENDPOINT_URL=endpoint, RELANCE_TABLE="relance-bench",
                      RELANCE_OPERATOR_API_KEY="rlo_bench")
    import boto3

    from adapters.dynamodb import create_table
    from api.local import seed_demo
    from api.wiring import build_app

    create_table(boto3.client("dynamodb"), "relance-bench")
    app = build_app()
    creditor_id, key = seed_demo(app.state, "rlk_bench_key_0123456789abcdefghijklmnopqrstuv")
    from domain.ports import ClaimFilter, PageRequest

    claim = app.state.repo.list_claims(creditor_id, ClaimFilter(), PageRequest(1)).items[0]
    return claim.id, key


def _event(claim_id: str, key: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "api-gateway-http-v2-get.json").read_text())
    path = f"/v1/claims/{claim_id}"
    event.update(rawPath=path, rawQueryString="", headers={"x-api-key": key})
    event.pop("queryStringParameters", None)
    event.pop("cookies", None)
    event["requestContext"]["http"].update(method="GET", path=path)
    return event


# `make bench` builds this venv from src/requirements.txt alone, like the Lambda bundle:
# the dev venv also holds pydantic (through cfn-lint), which Litestar would load as a plugin.
LAMBDA_PYTHON = ROOT / ".venv-lambda" / "bin" / "python"


def _python() -> str:
    return str(LAMBDA_PYTHON) if LAMBDA_PYTHON.exists() else sys.executable


def _wall(code: str, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([_python(), "-c", code, *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def cold_start(claim_id: str, key: str) -> tuple[float, float]:
    event = json.dumps(_event(claim_id, key))
    # A deployment package ships compiled bytecode (Lambda cannot write .pyc files at run
    # time), as the installed libraries of the baseline already have theirs.
    subprocess.run([_python(), "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    _wall(BASELINE)
    _wall(COLD, event)  # warm the OS file cache for both
    ours, base = [], []
    for _ in range(RUNS):
        base.append(_wall(BASELINE))
        ours.append(_wall(COLD, event))
    return statistics.median(ours), statistics.median(base)


def warm(claim_id: str, key: str) -> list[Row]:
    from litestar.testing import TestClient

    from api.wiring import build_app

    app = build_app()
    client = app.state.repo.client
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb.*",
                                lambda model, **_: calls.append(model.name))
    headers = {"X-API-Key": key}
    rows: list[Row] = []
    with TestClient(app) as http:
        debtor_id = http.get("/v1/debtors?limit=1", headers=headers).json()["items"][0]["id"]
        counter = iter(range(10**6))

        def post() -> None:
            n = next(counter)
            r = http.post("/v1/claims", headers=headers, json={
                "debtor_id": debtor_id, "currency": "EUR", "invoices": [{
                    "number": f"B-{n}", "issue_date": "2026-01-01", "due_date": "2026-02-01",
                    "amount": "100.00"}]})
            assert r.status_code == 201, r.text

        def get() -> None:
            assert http.get(f"/v1/claims/{claim_id}", headers=headers).status_code == 200

        def page() -> None:
            assert http.get("/v1/claims?limit=50", headers=headers).status_code == 200

        def statement() -> None:
            r = http.get(f"/v1/claims/{claim_id}/statement", headers=headers)
            assert r.status_code == 200, r.text

        payments = iter(range(10**6))
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()

        def payment() -> None:
            r = http.post(f"/v1/claims/{claim_id}/payments", headers=headers, json={
                "amount": "0.01", "received_on": yesterday,
                "reference": f"BENCH-{next(payments)}"})
            assert r.status_code == 201, r.text

        for name, fn, n in (("GET /v1/claims/{id}", get, 300), ("POST /v1/claims", post, 200),
                            ("GET /v1/claims?limit=50", page, 100),
                            ("GET /v1/claims/{id}/statement", statement, 100),
                            ("POST /v1/claims/{id}/payments", payment, 100)):
            median, p99 = median_p99(timings_ms(fn, n))
            calls.clear()
            fn()
            rows.append((f"warm {name} (in-process, moto server)",
                         f"median {median:.2f} ms, p99 {p99:.2f} ms",
                         f"DynamoDB calls: {len(calls)} ({', '.join(calls)})"))
    return rows


def run() -> list[Row]:
    from api.local import start_emulator

    endpoint = start_emulator()
    claim_id, key = _seed(endpoint)
    from api.local import publish_demo_rates
    from api.wiring import build_app

    app = build_app()
    publish_demo_rates(app.state.rates, app.state.clock.now().date())
    ours, base = cold_start(claim_id, key)
    rows: list[Row] = [
        ("cold start: baseline process (litestar+boto3+Powertools)", f"{base:.0f} ms",
         f"median of {RUNS}"),
        ("cold start: HTTP entry point + one GET /v1/claims/{id}", f"{ours:.0f} ms",
         f"median of {RUNS}"),
        ("cold start ratio", f"{ours / base:.2f} x",
         "target <= 1.2 x; " + ("runtime-only venv" if LAMBDA_PYTHON.exists() else "dev venv")),
    ]
    return rows + warm(claim_id, key)
