"""The Lambda entry point, fed with real API Gateway HTTP API (payload 2.0) events."""

from __future__ import annotations

import copy
import importlib
import io
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from adapters.dynamodb import create_table

# Real API Gateway payloads, kept with the tests so a clone carries them.
EVENTS = Path(__file__).resolve().parents[1] / "events"
OPERATOR = "rlo_lambda_test_operator"


@dataclass
class Context:
    function_name: str = "relance-http"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:123456789012:function:relance-http"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def http_event(method: str, path: str, *, body: Any = None, query: str = "",
               headers: dict[str, str] | None = None) -> dict[str, Any]:
    name = "api-gateway-http-v2-post.json" if method == "POST" else "api-gateway-http-v2-get.json"
    event = copy.deepcopy(json.loads((EVENTS / name).read_text()))
    event["rawPath"] = path
    event["rawQueryString"] = query
    event.pop("queryStringParameters", None)
    event.pop("cookies", None)
    event["headers"] = {"content-type": "application/json", **(headers or {})}
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    event["requestContext"]["requestId"] = f"req-{method}-{len(path)}"
    event["routeKey"] = "$default"
    if body is None:
        event.pop("body", None)
    else:
        event["body"] = json.dumps(body)
        event["isBase64Encoded"] = False
    return event


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("RELANCE_TABLE", "relance-lambda")
    monkeypatch.setenv("RELANCE_OPERATOR_API_KEY", OPERATOR)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    with mock_aws():
        create_table(boto3.client("dynamodb"), "relance-lambda")
        sys.modules.pop("api.entrypoints.lambda_http", None)
        module = importlib.import_module("api.entrypoints.lambda_http")
        yield module.handler
        sys.modules.pop("api.entrypoints.lambda_http", None)


def call(handler: Any, event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    response = handler(event, Context())
    assert response.get("isBase64Encoded") is False  # JSON goes back as text
    body = json.loads(response["body"]) if response.get("body") else None
    return response["statusCode"], response.get("headers", {}), body


def test_the_real_event_shapes_load() -> None:
    get = json.loads((EVENTS / "api-gateway-http-v2-get.json").read_text())
    assert get["version"] == "2.0" and get["requestContext"]["http"]["method"] == "GET"


def test_a_claim_is_created_and_read_through_lambda_events(handler: Any) -> None:
    relance_logger = logging.getLogger("relance")
    # Powertools sets INFO when the logger is first built; a test run earlier in the same
    # worker may have left it at another level (caplog restores the level it first saw), so
    # this test states the level it reads at, as a fresh Lambda process has it.
    level = relance_logger.level
    relance_logger.setLevel(logging.INFO)
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(relance_logger.handlers[0].formatter)
    relance_logger.addHandler(capture)
    op = {"x-api-key": OPERATOR}
    status, _, creditor = call(handler, http_event("POST", "/v1/admin/creditors", headers=op, body={
        "legal_name": "Menuiserie Leroy SARL", "siren": "732829320",
        "address": {"lines": ["8 rue des Lilas"], "postal_code": "69003", "city": "Lyon"}}))
    assert status == 201, creditor
    status, _, key = call(handler, http_event(
        "POST", f"/v1/admin/creditors/{creditor['id']}/api-keys", headers=op,
        body={"name": "erp", "scopes": ["read", "write"]}))
    assert status == 201
    auth = {"x-api-key": key["secret"]}
    status, _, debtor = call(handler, http_event("POST", "/v1/debtors", headers=auth, body={
        "kind": "consumer", "name": "Claire Dubois",
        "contact_points": [{"kind": "email", "value": "claire.dubois@example.org"}]}))
    assert status == 201, debtor
    status, headers, claim = call(handler, http_event("POST", "/v1/claims", headers=auth, body={
        "debtor_id": debtor["id"], "currency": "EUR", "invoices": [
            {"number": "F-77", "issue_date": "2026-01-02", "due_date": "2026-02-01",
             "amount": "349.90"}]}))
    assert status == 201, claim
    status, headers, read = call(handler, http_event("GET", f"/v1/claims/{claim['id']}",
                                                     headers=auth))
    assert status == 200
    assert read["outstanding"] == "349.90" and read["id"] == claim["id"]
    assert headers["etag"] == '"1"'
    status, _, page = call(handler, http_event("GET", "/v1/claims", query="limit=1&phase=amicable",
                                               headers=auth))
    assert status == 200 and [c["id"] for c in page["items"]] == [claim["id"]]

    relance_logger.removeHandler(capture)
    relance_logger.setLevel(level)
    logs = stream.getvalue()
    assert '"correlation_id":"req-GET-' in logs.replace(" ", "")  # request id as correlation id
    for personal in ("Claire", "Dubois", "claire.dubois@example.org", "8 rue des Lilas"):
        assert personal not in logs


def test_errors_come_back_as_problems(handler: Any) -> None:
    status, headers, body = call(handler, http_event("GET", "/v1/claims"))
    assert status == 401 and headers["content-type"] == "application/problem+json"
    assert body["status"] == 401
    status, _, body = call(handler, http_event("GET", "/nowhere", headers={"x-api-key": OPERATOR}))
    assert status == 404 and body["type"].endswith("/not-found")


def test_the_http_entry_point_imports_neither_moto_nor_weasyprint() -> None:
    import subprocess

    code = ("import sys, os; os.environ['AWS_DEFAULT_REGION']='eu-west-3'; "
            "import api.entrypoints.lambda_http; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('moto','weasyprint')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": "src", "PATH": "/usr/bin:/bin"},
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_a_binary_upload_arrives_base64_encoded_and_is_stored_byte_for_byte(
        handler: Any) -> None:
    import base64
    import hashlib
    import os

    # The bytes a text decoding would spoil: NUL, invalid UTF-8, CR LF.
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\r\n" + bytes(range(256)) * 40 + b"\x00\xff%%EOF"
    boto3.client("s3").create_bucket(Bucket="relance-letters", CreateBucketConfiguration={
        "LocationConstraint": os.environ["AWS_DEFAULT_REGION"]})
    op = {"x-api-key": OPERATOR}
    _, _, creditor = call(handler, http_event("POST", "/v1/admin/creditors", headers=op, body={
        "legal_name": "Menuiserie Leroy SARL", "siren": "732829320",
        "address": {"lines": ["8 rue des Lilas"], "postal_code": "69003", "city": "Lyon"}}))
    _, _, key = call(handler, http_event(
        "POST", f"/v1/admin/creditors/{creditor['id']}/api-keys", headers=op,
        body={"name": "erp", "scopes": ["read", "write"]}))
    auth = {"x-api-key": key["secret"]}
    _, _, debtor = call(handler, http_event("POST", "/v1/debtors", headers=auth, body={
        "kind": "business", "name": "Atelier Martin SAS", "siren": "552100554"}))
    _, _, claim = call(handler, http_event("POST", "/v1/claims", headers=auth, body={
        "debtor_id": debtor["id"], "currency": "EUR", "invoices": [
            {"number": "F-77", "issue_date": "2026-01-02", "due_date": "2026-02-01",
             "amount": "349.90"}]}))
    # As API Gateway (HTTP API, payload 2.0) hands a PDF body to the function.
    event = http_event("POST", f"/v1/claims/{claim['id']}/documents", headers={
        **auth, "content-type": "application/pdf"}, query="kind=invoice&invoice_number=F-77")
    event["body"] = base64.b64encode(pdf).decode()
    event["isBase64Encoded"] = True
    status, _, record = call(handler, event)
    assert status == 201, record
    assert record["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert record["size"] == len(pdf)
    stored = boto3.client("s3").get_object(
        Bucket="relance-letters",
        Key=f"documents/{creditor['id']}/{claim['id']}/{record['id']}.pdf")["Body"].read()
    assert stored == pdf
