"""HTTP function figures: cold start against the floor, warm latencies, DynamoDB calls.

Cold start, from the deployment artifact (`make build-HttpFunction`, built for this machine's
interpreter by `make bench` into .build/bench and run by a venv with no package of its own):
a fresh process imports the Lambda entry point and answers one `GET /v1/claims/{id}` event
(against moto server on loopback, seeded beforehand), compared with the floor of any Litestar
API on Lambda and DynamoDB, loaded from the same artifact: a fresh process that imports
litestar, boto3, Powertools and mangum, creates a DynamoDB client and a one-route Litestar app
behind Mangum, and answers one API Gateway v2 event whose route reads one item. Both are timed
from the parent as whole-process wall time, alternated over many rounds, medians compared.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import Row, median_p99, timings_ms

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "tests" / "events"
RUNS = 25

CONTEXT = """
class Ctx:
    function_name = "relance-http"; memory_limit_in_mb = 1024; function_version = "1"
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:relance-http"
    aws_request_id = "bench"
"""
# The floor: what any Litestar API on Lambda and DynamoDB loads and does for one request,
# with the cold-start measures any such app can take (ours takes them too, in
# api/lambda_http.py and api/wiring.py): no garbage collection while the init phase
# allocates (~250 ms here), a botocore loader that does not list its 400+ services (~70 ms),
# no Litestar logging config (Powertools logs). Without them this floor is slower than us.
FLOOR = CONTEXT + """
import gc
gc.disable()
import json, os, sys
import boto3, botocore.loaders, botocore.session
from aws_lambda_powertools import Logger, Metrics
from litestar import Litestar, get
from mangum import Mangum

class DynamoDBOnly(botocore.loaders.Loader):
    def list_available_services(self, type_name): return ["dynamodb"]

logger, metrics = Logger(), Metrics(namespace="Floor")
session = botocore.session.get_session()
session.register_component("data_loader", DynamoDBOnly())
dynamodb = boto3.session.Session(botocore_session=session).client("dynamodb")
table = os.environ["RELANCE_TABLE"]

@get("/v1/claims/{claim_id:str}", sync_to_thread=False)
def read(claim_id: str) -> dict[str, object]:
    item = dynamodb.get_item(TableName=table, Key={"PK": {"S": claim_id}, "SK": {"S": "C"}})
    return {"id": claim_id, "found": "Item" in item}

handler = Mangum(Litestar([read], logging_config=None), lifespan="off")
gc.freeze()
gc.enable()
response = handler(json.loads(sys.argv[1]), Ctx())
assert response["statusCode"] == 200, response
"""
COLD = CONTEXT + """
import json, sys
import api.entrypoints.lambda_http as entry
response = entry.handler(json.loads(sys.argv[1]), Ctx())
assert response["statusCode"] == 200, response
"""

def _seed(endpoint: str) -> tuple[str, str]:
    os.environ.update(AWS_ENDPOINT_URL=endpoint, RELANCE_TABLE="relance-bench",
                      RELANCE_OPERATOR_API_KEY="rlo_bench")
    import boto3

    from adapters.dynamodb import create_table
    from api.bootstrap import build_app
    from api.entrypoints.local import seed_demo

    create_table(boto3.client("dynamodb"), "relance-bench")
    app = build_app()
    creditor_id, key = seed_demo(app.state.ports, "rlk_bench_key_0123456789abcdefghijklmnopqrstuv")
    from domain.ports import ClaimFilter, PageRequest

    claim = app.state.ports.unit_of_work().claims.list_claims(
        creditor_id, ClaimFilter(), PageRequest(1)).items[0]
    return claim.id, key


def _event(claim_id: str, key: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "api-gateway-http-v2-get.json").read_text())
    path = f"/v1/claims/{claim_id}"
    event.update(rawPath=path, rawQueryString="", headers={"x-api-key": key})
    event.pop("queryStringParameters", None)
    event.pop("cookies", None)
    event["requestContext"]["http"].update(method="GET", path=path)
    return event


def _artifact() -> tuple[str, Path]:
    """The interpreter and the artifact directory `make bench` prepared."""
    python, artifact = (os.environ.get(name) for name in
                        ("RELANCE_BENCH_PYTHON", "RELANCE_BENCH_ARTIFACT"))
    if not (python and artifact and Path(python).exists()
            and (Path(artifact) / "api" / "entrypoints" / "lambda_http.py").exists()):
        raise SystemExit("the cold-start bench loads the built artifact: run it with `make bench`")
    return python, Path(artifact)


def _wall(python: str, artifact: Path, code: str, *args: str) -> float:
    # The artifact is all the child can import, from its own directory as on Lambda; its
    # bytecode is shipped, and Lambda's /var/task is read-only: nothing may be compiled.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(artifact), PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    done = subprocess.run([python, "-c", code, *args], env=env, cwd=artifact,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode:
        raise SystemExit(f"cold-start child failed:\n{done.stderr}")
    return elapsed


def cold_start(claim_id: str, key: str) -> tuple[float, float]:
    python, artifact = _artifact()
    event = json.dumps(_event(claim_id, key))
    for _ in range(2):  # warm the OS file cache for both
        _wall(python, artifact, FLOOR, event)
        _wall(python, artifact, COLD, event)
    ours, base = [], []
    for _ in range(RUNS):
        base.append(_wall(python, artifact, FLOOR, event))
        ours.append(_wall(python, artifact, COLD, event))
    return statistics.median(ours), statistics.median(base)


def warm(claim_id: str, key: str) -> list[Row]:
    from litestar.testing import TestClient

    from api.bootstrap import build_app

    app = build_app()
    client = app.state.ports.unit_of_work().table.client
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
    from api.entrypoints.local import start_emulator

    endpoint = start_emulator()
    claim_id, key = _seed(endpoint)
    from api.bootstrap import build_app
    from api.entrypoints.local import publish_demo_rates

    app = build_app()
    publish_demo_rates(app.state.ports.rates, app.state.ports.clock.now().date())
    ours, base = cold_start(claim_id, key)
    rows: list[Row] = [
        ("cold start: floor (litestar+boto3+Powertools+mangum app, one route, one GetItem)",
         f"{base:.0f} ms", f"median of {RUNS}, from the built artifact"),
        ("cold start: HTTP entry point + one GET /v1/claims/{id}", f"{ours:.0f} ms",
         f"median of {RUNS}, from the built artifact"),
        ("cold start ratio", f"{ours / base:.2f} x", "target <= 1.2 x"),
    ]
    return rows + warm(claim_id, key)
