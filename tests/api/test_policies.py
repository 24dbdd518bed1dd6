"""Escalation policies through the API: the shipped ladder read as `default`, a policy
created and replaced by PUT (versions, If-Match, 412 and 428), each invalid step named by
its field, the default moved, tenancy and scopes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api._helpers import assert_problem, issue_key, scan_table
from tests.conftest import Tenant, make_tenant

EMAIL = {"key": "mail", "offset_days": 2, "channels": ["email"], "template": "overdue_1"}
NOTICE = {"key": "notice", "offset_days": 12, "channels": ["registered_letter"],
          "letter_kind": "formal_notice", "requires_approval": True,
          "min_days_since_contact": 5}
ASSESS = {"key": "assess", "offset_days": 10, "channels": ["judicial_assessment_task"],
          "anchor": "notice_deadline"}
SHORT = [EMAIL, NOTICE, ASSESS]


def put(client: Any, tenant: Tenant, policy_id: str, body: dict[str, Any],
        if_match: str | None = None) -> Any:
    headers = {**tenant.headers, **({"If-Match": if_match} if if_match else {})}
    return client.put(f"/v1/policies/{policy_id}", json=body, headers=headers)


def test_the_default_is_the_shipped_ladder_until_changed(client: Any, tenant: Tenant,
                                                         ddb: Any) -> None:
    response = client.get("/v1/policies/default", headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["id"], body["version"], body["is_default"], body["history_versions"],
            body["updated_at"]) == ("default", 1, True, [], None)
    steps = body["steps"]
    assert len(steps) == 9
    assert [s["offset_days"] for s in steps] == [-5, -5, 1, 5, 10, 20, 30, 40, 8]
    assert [s["anchor"] for s in steps] == ["due_date"] * 8 + ["notice_deadline"]
    assert [s["key"] for s in steps if s["manual"]] == [
        "first_call", "second_letter", "home_visit", "formal_notice", "judicial_assessment"]
    notice = steps[7]
    assert (notice["channels"], notice["letter_kind"], notice["requires_approval"]) == (
        ["registered_letter"], "formal_notice", True)
    assert steps[6]["min_outstanding"] == "1500.00"
    assert steps[0] == {"key": "pre_due_sms", "offset_days": -5, "channels": ["sms"],
                        "anchor": "due_date", "letter_kind": None, "template": "pre_due",
                        "min_days_since_contact": 0, "debtor_kinds": [],
                        "min_outstanding": None, "requires_approval": False,
                        "manual": False}
    listed = client.get("/v1/policies", headers=tenant.headers).json()["items"]
    assert [(p["id"], p["is_default"]) for p in listed] == [("default", True)]
    assert not [i for i in scan_table(ddb) if i["SK"]["S"].startswith("POLICY")]


def test_a_policy_is_created_then_replaced_with_if_match(client: Any, tenant: Tenant,
                                                         ddb: Any) -> None:
    created = put(client, tenant, "b2c-gentle", {"name": "Gentle B2C", "steps": SHORT})
    assert created.status_code == 200, created.text
    assert created.headers["etag"] == '"1"'
    body = created.json()
    assert (body["id"], body["name"], body["version"], body["is_default"],
            body["history_versions"]) == ("b2c-gentle", "Gentle B2C", 1, False, [])
    assert [s["manual"] for s in body["steps"]] == [False, True, True]
    assert body["updated_at"] == "2026-03-10T09:30:00Z"

    longer = [{**EMAIL, "key": "early", "offset_days": -2, "channels": ["sms"],
               "template": "pre_due", "debtor_kinds": ["consumer"],
               "min_outstanding": "80.5"}, *SHORT]
    missing = put(client, tenant, "b2c-gentle", {"steps": longer})
    assert_problem(missing, 428)
    replaced = put(client, tenant, "b2c-gentle", {"steps": longer}, '"1"')
    assert replaced.status_code == 200, replaced.text
    assert replaced.headers["etag"] == '"2"'
    body = replaced.json()
    assert (body["version"], body["history_versions"], body["name"]) == (2, [1], "Gentle B2C")
    assert body["steps"][0]["debtor_kinds"] == ["consumer"]
    assert body["steps"][0]["min_outstanding"] == "80.5"
    stale = put(client, tenant, "b2c-gentle", {"steps": SHORT}, '"1"')
    assert_problem(stale, 412)
    read = client.get("/v1/policies/b2c-gentle", headers=tenant.headers)
    assert read.headers["etag"] == '"2"' and read.json() == body
    # The item keeps version 1's steps beside version 2's.
    [item] = [i for i in scan_table(ddb) if i["SK"]["S"] == "POLICY#b2c-gentle"]
    assert item["PK"]["S"] == f"T#{tenant.creditor_id}" and item["version"]["N"] == "2"
    assert '"history":[[{"key":"mail"' in item["data"]["S"]


def test_the_shipped_ladder_is_changed_from_version_1_and_the_default_moved(
        client: Any, tenant: Tenant) -> None:
    changed = put(client, tenant, "default", {"steps": SHORT}, '"1"')
    assert changed.status_code == 200, changed.text
    assert (changed.json()["version"], changed.json()["history_versions"]) == (2, [1])
    made = put(client, tenant, "b2b", {"steps": SHORT, "default": True})
    assert made.status_code == 200, made.text
    assert made.json()["is_default"] is True
    now = client.get("/v1/policies/default", headers=tenant.headers).json()
    assert (now["id"], now["is_default"]) == ("b2b", True)
    listed = client.get("/v1/policies", headers=tenant.headers).json()["items"]
    assert [(p["id"], p["version"], p["is_default"]) for p in listed] == [
        ("b2b", 1, True), ("default", 2, False)]
    refused = put(client, tenant, "b2b", {"steps": SHORT, "default": False}, '"1"')
    assert_problem(refused, 422, "default")


def step(**changes: Any) -> dict[str, Any]:
    return {**EMAIL, **changes}


@pytest.mark.parametrize(("steps", "field", "code"), [
    ([EMAIL, {**NOTICE, "offset_days": 1}], "steps[1].offset_days", "out_of_order"),
    ([step(template="friendly_hello")], "steps[0].template", "unknown"),
    ([step(channels=["sms"], template=None)], "steps[0].template", "required"),
    ([{"key": "letter", "offset_days": 5, "channels": ["letter"]}], "steps[0].letter_kind",
     "required"),
    ([EMAIL, ASSESS], "steps[1].channels", "notice_first"),
    ([EMAIL, {**NOTICE, "channels": ["letter"]}], "steps[1].channels", "registered_required"),
    ([EMAIL, {**EMAIL, "offset_days": 3}], "steps[1].key", "duplicate"),
    ([], "steps", "empty"),
])
def test_an_invalid_ladder_is_422_naming_the_field(client: Any, tenant: Tenant,
                                                   steps: list[dict[str, Any]], field: str,
                                                   code: str) -> None:
    response = put(client, tenant, "bad", {"steps": steps})
    body = assert_problem(response, 422, field)
    assert code in [e["code"] for e in body["errors"] if e["field"] == field]
    assert client.get("/v1/policies/bad", headers=tenant.headers).status_code == 404


@pytest.mark.parametrize(("steps", "field"), [
    ([step(channels=["pigeon"])], "steps[0].channels[0]"),
    ([step(anchor="payday")], "steps[0].anchor"),
    ([step(letter_kind="payment_plan_agreement", channels=["letter"])],
     "steps[0].letter_kind"),
    ([step(min_outstanding=150)], "steps[0].min_outstanding"),
    ([step(min_outstanding="-1.00")], "steps[0].min_outstanding"),
    ([step(fee="40.00")], "steps[0].fee"),
    ([step(key="Mail Step")], "steps[0].key"),
])
def test_a_step_outside_the_schema_is_400_naming_the_field(client: Any, tenant: Tenant,
                                                          steps: list[dict[str, Any]],
                                                          field: str) -> None:
    response = put(client, tenant, "bad", {"steps": steps})
    assert_problem(response, 400, field)


def test_an_id_the_caller_may_not_choose_is_422(client: Any, tenant: Tenant) -> None:
    response = put(client, tenant, "Not-Lower", {"steps": SHORT})
    assert_problem(response, 422, "policy_id")


def test_another_creditors_policy_is_404(client: Any, tenant: Tenant) -> None:
    assert put(client, tenant, "b2b", {"steps": SHORT, "default": True}).status_code == 200
    other = make_tenant(client, "Garage Dupont SARL")
    assert_problem(client.get("/v1/policies/b2b", headers=other.headers), 404)
    theirs = client.get("/v1/policies/default", headers=other.headers).json()
    assert (theirs["id"], len(theirs["steps"])) == ("default", 9)
    # Their PUT creates their own b2b: it needs no If-Match, and ours is untouched.
    mine = put(client, other, "b2b", {"steps": [EMAIL]})
    assert mine.status_code == 200 and mine.json()["version"] == 1
    ours = client.get("/v1/policies/b2b", headers=tenant.headers).json()
    assert len(ours["steps"]) == 3


def test_a_read_key_reads_but_cannot_put(client: Any, tenant: Tenant) -> None:
    reader = {"X-API-Key": issue_key(client, tenant, "read")["secret"]}
    writer = {"X-API-Key": issue_key(client, tenant, "write")["secret"]}
    assert client.get("/v1/policies/default", headers=reader).status_code == 200
    assert client.get("/v1/policies", headers=reader).status_code == 200
    for headers in (reader, writer):
        refused = client.put("/v1/policies/b2b", json={"steps": SHORT}, headers=headers)
        assert_problem(refused, 403)
    assert_problem(client.get("/v1/policies/b2b", headers=tenant.headers), 404)
    assert_problem(client.get("/v1/policies"), 401)
