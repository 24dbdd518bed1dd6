"""Schemathesis against the served OpenAPI document, in process: every operation driven with
generated valid and invalid input, each answer checked against what the document promises.

Bounded for `make test` (`RELANCE_FUZZ_EXAMPLES` per operation, 25 by default, derandomized
so a run repeats); `make fuzz` runs a longer, random campaign.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import OPERATOR_KEY, make_tenant, new_claim, new_debtor

EXAMPLES = int(os.environ.get("RELANCE_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection, ignored_auth]


@pytest.fixture
def seeded(app: Any) -> dict[str, str]:
    """A tenant with a debtor, a claim with a payment and a spare key, so generated requests
    reach real objects as well as missing ones."""
    with TestClient(app) as client:
        tenant = make_tenant(client)
        debtor = new_debtor(client, tenant)
        claim = new_claim(client, tenant, debtor["id"])
        paid = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                           json={"amount": "100.00", "received_on": "2026-03-01"})
        assert paid.status_code == 201, paid.text
        spare = client.post("/v1/api-keys", headers=tenant.headers,
                            json={"name": "spare", "scopes": ["read"]})
        assert spare.status_code == 201, spare.text
    return {"key": tenant.key, "creditor_id": tenant.creditor_id, "debtor_id": debtor["id"],
            "claim_id": claim["id"], "payment_id": paid.json()["payment"]["id"],
            "key_id": spare.json()["id"]}


def _served_schema() -> Any:
    """The document as the app serves it. The app that serves it here has no AWS behind it;
    each test sends its requests to the `app` fixture's (moto in process)."""
    from api.http.app import create_app

    docs_only = create_app(ports=None, idempotency=None,  # type: ignore[arg-type]
                           operator_key=lambda: None)
    config = schemathesis.Config()
    # Unknown query parameters are ignored, as HTTP APIs usually do (unknown body members
    # are refused: the bodies' schemas say so); schemathesis would count them as accepted
    # invalid input.
    config.projects.default.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], allow_extra_parameters=False)
    return schemathesis.openapi.from_asgi("/schema/openapi.json", docs_only, config=config)


SCHEMA = _served_schema()
OPERATIONS = [(op.method.upper(), op.path) for op in
              (result.ok() for result in SCHEMA.get_all_operations())]


# One pytest test per operation, with its own id: schemathesis' own parametrization gives
# every operation the same node id, which pytest-xdist counts as one test.
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_keeps_its_documented_contract(method: str, path: str, app: Any,
                                               seeded: dict[str, str]) -> None:
    operation = SCHEMA[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              derandomize="RELANCE_FUZZ_EXAMPLES" not in os.environ,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        send(case, app, seeded)

    call()


def send(case: Any, app: Any, seeded: dict[str, str]) -> None:
    if case.meta is None or case.meta.generation.mode.is_positive:
        # Valid input names the seeded objects (a generated id is almost always a 404).
        for name in ("creditor_id", "debtor_id", "claim_id", "payment_id", "key_id"):
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = seeded[name]
    key = OPERATOR_KEY if case.path.startswith("/v1/admin") else seeded["key"]
    headers = {} if case.path == "/health" else {"X-API-Key": key}
    case.call_and_validate(headers=headers, checks=CHECKS, app=app)
