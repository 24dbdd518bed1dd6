"""A debtor's contact points are validated when it is created or changed, and again on
POST /v1/debtors/{id}/contact-validation; the debtor exposes `reachable_by`. The original
value stays as given beside the normalised form."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tests.api._helpers import assert_problem, issue_key, scan_table
from tests.conftest import make_tenant, new_claim, new_debtor

T0 = "2026-03-10T09:30:00Z"  # the frozen clock
COMPANY = {"recipient": "Boulangerie Martin SAS",
           "lines": ["Service comptabilité", "3 place du Marché"],
           "postal_code": "69002", "city": "Lyon", "country": "FR"}


def _iso(clock: Any) -> str:
    return clock.now().isoformat().replace("+00:00", "Z")


def _get(client: Any, tenant: Any, debtor_id: str) -> Any:
    response = client.get(f"/v1/debtors/{debtor_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response


def _patch(client: Any, tenant: Any, debtor_id: str, body: dict[str, Any],
           etag: str | None = None) -> Any:
    if etag is None:
        etag = _get(client, tenant, debtor_id).headers["etag"]
    return client.patch(f"/v1/debtors/{debtor_id}", json=body,
                        headers={**tenant.headers, "If-Match": etag})


def _revalidate(client: Any, tenant: Any, debtor_id: str, **headers: str) -> Any:
    return client.post(f"/v1/debtors/{debtor_id}/contact-validation",
                       headers={**tenant.headers, **headers})


def _events(client: Any, tenant: Any, claim_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/claims/{claim_id}/events", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


# ------------------------------------------------------------------ on creation


def test_creating_a_debtor_validates_each_contact_point(client, tenant):
    points = [{"kind": "email", "value": "  Compta@Boulangerie-Martin.FR "},
              {"kind": "phone", "value": "06 12 34 56 78", "label": "gérant"},
              {"kind": "phone", "value": "+33 (0)1 42 68 53 00"},
              {"kind": "postal_address", "address": COMPANY}]
    debtor = new_debtor(client, tenant, contact_points=points)
    stored = debtor["contact_points"]
    assert len(stored) == 4
    for point in stored:
        v = point["validation"]
        assert v is not None
        assert v["status"] in {"valid", "invalid", "risky", "unverified"}
        assert isinstance(v["reasons"], list) and isinstance(v["message"], str)
        assert v["validated_at"] == T0
    email, mobile, landline, letter = stored
    # the original stays exactly as given, beside the normalised form
    assert email["value"] == "  Compta@Boulangerie-Martin.FR "
    assert email["validation"]["normalized"] == "Compta@boulangerie-martin.fr"
    assert email["validation"]["changes"]
    assert mobile["value"] == "06 12 34 56 78" and mobile["label"] == "gérant"
    assert mobile["validation"]["normalized"] == "+33612345678"
    assert mobile["validation"]["line_type"] == "mobile"
    assert landline["value"] == "+33 (0)1 42 68 53 00"
    assert landline["validation"]["normalized"] == "+33142685300"
    assert letter["value"] is None and letter["address"] == COMPANY
    assert letter["validation"]["normalized"] == [
        "Boulangerie Martin SAS", "Service comptabilité", "3 PLACE DU MARCHE", "69002 LYON"]
    assert debtor["reachable_by"] == ["email", "sms", "letter", "phone"]
    # and it is what was stored
    assert _get(client, tenant, debtor["id"]).json() == debtor


def test_invalid_contact_points_are_kept_as_given_never_dropped(client, tenant):
    values = ["jeanne.martin@example.org", "jean\u202emartin@orange.fr",
              "<script>alert(1)</script>@orange.fr", "😀@orange.fr",
              "x" * 5_000]
    points = [{"kind": "email", "value": v} for v in values]
    points += [{"kind": "phone", "value": "08 99 12 34 56"},
               {"kind": "phone", "value": "12"},
               {"kind": "postal_address", "address": {"recipient": "Jeanne Martin",
                                                      "lines": ["12 rue des Lilas"],
                                                      "postal_code": "7501", "city": "Paris"}}]
    debtor = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None,
                        contact_points=points)
    got = _get(client, tenant, debtor["id"]).json()
    assert len(got["contact_points"]) == len(points)
    for given, stored in zip(points, got["contact_points"], strict=True):
        assert stored["kind"] == given["kind"]
        assert stored["value"] == given.get("value")
        if "address" in given:
            assert stored["address"] == {**given["address"], "country": "FR"}
        assert stored["validation"]["status"] == "invalid", stored
        assert stored["validation"]["reasons"]
        assert stored["validation"]["validated_at"] == T0
    assert got["reachable_by"] == []


def test_contact_points_too_big_to_store_are_a_clear_4xx(client, tenant):
    response = client.post("/v1/debtors", json={
        "kind": "business", "name": "Boulangerie Martin",
        "contact_points": [{"kind": "email", "value": "é" * 10_000}] * 50},
        headers=tenant.headers)
    assert 400 <= response.status_code < 500, response.text
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []


# ------------------------------------------------------------------ on PATCH


def test_patching_contact_points_validates_them_again(client, tenant, clock):
    debtor = new_debtor(client, tenant)
    etag = _get(client, tenant, debtor["id"]).headers["etag"]
    clock.advance(timedelta(days=3))
    new_points = [{"kind": "email", "value": "Facturation@Boulangerie-Martin.fr"},
                  {"kind": "phone", "value": "08 99 12 34 56"}]
    # If-Match is required
    missing = client.patch(f"/v1/debtors/{debtor['id']}",
                           json={"contact_points": new_points}, headers=tenant.headers)
    assert_problem(missing, 428)
    response = _patch(client, tenant, debtor["id"], {"contact_points": new_points}, etag)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] != etag
    body = response.json()
    email, premium = body["contact_points"]
    assert email["value"] == "Facturation@Boulangerie-Martin.fr"
    assert email["validation"]["normalized"] == "Facturation@boulangerie-martin.fr"
    assert email["validation"]["validated_at"] == _iso(clock)
    assert premium["value"] == "08 99 12 34 56"
    assert premium["validation"]["status"] == "invalid"
    assert "premium_rate" in premium["validation"]["reasons"]
    assert premium["validation"]["validated_at"] == _iso(clock)
    assert body["reachable_by"] == ["email"]
    assert _get(client, tenant, debtor["id"]).json() == body
    # the ETag read before the change is stale now
    stale = _patch(client, tenant, debtor["id"], {"contact_points": []}, etag)
    assert_problem(stale, 412)


def test_patching_only_the_country_revalidates_phones_in_the_new_region(client, tenant, clock):
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "phone", "value": "0470 12 34 56"},
        {"kind": "email", "value": "compta@boulangerie-martin.fr"}])
    phone = debtor["contact_points"][0]
    assert phone["validation"]["normalized"] == "+33470123456"
    assert phone["validation"]["line_type"] == "fixed_line"
    assert debtor["reachable_by"] == ["email", "phone"]
    clock.advance(timedelta(hours=5))
    response = _patch(client, tenant, debtor["id"], {"country": "BE"})
    assert response.status_code == 200, response.text
    body = response.json()
    phone = body["contact_points"][0]
    assert phone["value"] == "0470 12 34 56"  # unchanged
    assert phone["validation"]["normalized"] == "+32470123456"
    assert phone["validation"]["line_type"] == "mobile"
    assert phone["validation"]["validated_at"] == _iso(clock)
    assert body["reachable_by"] == ["email", "sms", "phone"]
    assert [p["id"] for p in body["contact_points"]] == [p["id"] for p in
                                                         debtor["contact_points"]]
    assert _get(client, tenant, debtor["id"]).json() == body


def test_patching_only_the_name_keeps_the_previous_validation(client, tenant, clock):
    debtor = new_debtor(client, tenant)
    clock.advance(timedelta(days=1))
    response = _patch(client, tenant, debtor["id"], {"name": "Boulangerie Martin & Fils SAS"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Boulangerie Martin & Fils SAS"
    assert body["updated_at"] == _iso(clock)
    assert body["contact_points"] == debtor["contact_points"]
    assert all(p["validation"]["validated_at"] == T0 for p in body["contact_points"])
    assert body["reachable_by"] == debtor["reachable_by"]


def test_patching_the_kind_revalidates_with_the_new_kind(client, tenant, clock):
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "contact@boulangerie-martin.fr"}])
    assert debtor["contact_points"][0]["validation"]["status"] == "valid"
    clock.advance(timedelta(days=1))
    response = _patch(client, tenant, debtor["id"], {"kind": "consumer", "siren": None})
    assert response.status_code == 200, response.text
    validation = response.json()["contact_points"][0]["validation"]
    assert validation["status"] == "risky" and "role_account" in validation["reasons"]
    assert validation["validated_at"] == _iso(clock)


# ------------------------------------------------------------------ re-validation


def test_revalidation_stores_new_results_and_returns_a_new_etag(client, tenant, clock):
    debtor = new_debtor(client, tenant)
    before = _get(client, tenant, debtor["id"])
    clock.advance(timedelta(days=30))
    response = _revalidate(client, tenant, debtor["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert response.headers["etag"] != before.headers["etag"]
    assert body["version"] == debtor["version"] + 1
    assert body["updated_at"] == _iso(clock)
    for old, new in zip(debtor["contact_points"], body["contact_points"], strict=True):
        assert new["id"] == old["id"] and new["value"] == old["value"]
        assert new["validation"]["validated_at"] == _iso(clock)
        assert {k: v for k, v in new["validation"].items() if k != "validated_at"} == {
            k: v for k, v in old["validation"].items() if k != "validated_at"}
    after = _get(client, tenant, debtor["id"])
    assert after.json() == body
    assert after.headers["etag"] == response.headers["etag"]
    # a PATCH with the ETag read before re-validation is refused
    assert_problem(_patch(client, tenant, debtor["id"], {"name": "X"},
                          before.headers["etag"]), 412)
    assert _patch(client, tenant, debtor["id"], {"name": "X"},
                  response.headers["etag"]).status_code == 200


def test_revalidation_fills_in_points_stored_without_a_validation(client, tenant, repo, clock):
    """Debtors stored before validation existed have contact points without a result."""
    debtor = new_debtor(client, tenant)
    stored = repo.get_debtor(tenant.creditor_id, debtor["id"])
    legacy = replace(stored, version=stored.version + 1,
                     contact_points=[replace(p, validation=None)
                                     for p in stored.contact_points])
    repo.save_debtor(legacy, stored.version, stored.external_reference)
    got = _get(client, tenant, debtor["id"]).json()
    assert all(p["validation"] is None for p in got["contact_points"])
    assert got["reachable_by"] == []
    clock.advance(timedelta(minutes=1))
    response = _revalidate(client, tenant, debtor["id"])
    assert response.status_code == 200, response.text
    assert response.json()["reachable_by"] == ["email", "sms", "phone"]
    got = _get(client, tenant, debtor["id"]).json()
    assert got["reachable_by"] == ["email", "sms", "phone"]
    assert all(p["validation"]["validated_at"] == _iso(clock) for p in got["contact_points"])


def test_revalidation_notes_the_outcome_on_open_claims_only(client, tenant, clock):
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "zoe.quatrebarbes@boulangerie-martin.fr"},
        {"kind": "phone", "value": "06 98 76 54 32"},
        {"kind": "phone", "value": "08 99 12 34 56"},
        {"kind": "email", "value": "compta@example.org"}])
    open_claim = new_claim(client, tenant, debtor["id"], number="F-001")
    closed_claim = new_claim(client, tenant, debtor["id"], number="F-002")
    cancelled = client.post(f"/v1/claims/{closed_claim['id']}/actions/cancel",
                            headers=tenant.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["phase"] == "closed"
    other_debtor = new_debtor(client, tenant, name="Autre Client SARL", siren=None)
    unrelated = new_claim(client, tenant, other_debtor["id"], number="F-003")
    closed_before = _events(client, tenant, closed_claim["id"])
    unrelated_before = _events(client, tenant, unrelated["id"])
    clock.advance(timedelta(days=2))

    response = _revalidate(client, tenant, debtor["id"])
    assert response.status_code == 200, response.text

    events = _events(client, tenant, open_claim["id"])
    noted = [e for e in events if e["action"] == "contacts_validated"]
    assert len(noted) == 1
    event = noted[0]
    assert event["at"] == _iso(clock)
    assert event["seq"] == max(e["seq"] for e in events)
    assert event["data"] == {"valid": "2", "risky": "0", "invalid": "2", "unverified": "0",
                             "reachable_by": "email,sms,phone"}
    # counts and channels only: no address reaches the timeline
    text = repr(event)
    assert "quatrebarbes" not in text and "98 76" not in text and "+3369" not in text
    assert _events(client, tenant, closed_claim["id"]) == closed_before
    assert _events(client, tenant, unrelated["id"]) == unrelated_before
    # the claim itself moved on (new version), the closed one did not
    assert client.get(f"/v1/claims/{open_claim['id']}",
                      headers=tenant.headers).json()["version"] == open_claim["version"] + 1
    assert client.get(f"/v1/claims/{closed_claim['id']}", headers=tenant.headers
                      ).json()["version"] == cancelled.json()["version"]


def test_revalidation_with_no_usable_contact_says_none(client, tenant):
    debtor = new_debtor(client, tenant, contact_points=[])
    claim = new_claim(client, tenant, debtor["id"])
    response = _revalidate(client, tenant, debtor["id"])
    assert response.status_code == 200, response.text
    assert response.json()["reachable_by"] == []
    noted = [e for e in _events(client, tenant, claim["id"])
             if e["action"] == "contacts_validated"]
    assert noted[0]["data"] == {"valid": "0", "risky": "0", "invalid": "0", "unverified": "0",
                                "reachable_by": "none"}


def test_revalidation_is_scoped_to_the_creditor_and_needs_write(client, tenant, ddb):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    other = make_tenant(client, "Plomberie Durand EURL")
    read_only = issue_key(client, tenant, "read")
    before = scan_table(ddb)

    assert_problem(_revalidate(client, other, debtor["id"]), 404)
    assert_problem(_revalidate(client, tenant, "dbt_nope"), 404)
    assert_problem(client.post(f"/v1/debtors/{debtor['id']}/contact-validation",
                               headers={"X-API-Key": read_only["secret"]}), 403)
    assert_problem(client.post(f"/v1/debtors/{debtor['id']}/contact-validation"), 401)

    assert scan_table(ddb) == before
    assert _get(client, tenant, debtor["id"]).json() == debtor
    assert not [e for e in _events(client, tenant, claim["id"])
                if e["action"] == "contacts_validated"]


# ------------------------------------------------------------------ reachable_by


def test_reachable_by_an_invalid_email_and_a_landline_is_phone(client, tenant):
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@example.org"},
        {"kind": "phone", "value": "01 42 68 53 00"}])
    assert debtor["contact_points"][0]["validation"]["status"] == "invalid"
    assert debtor["reachable_by"] == ["phone"]
    assert _get(client, tenant, debtor["id"]).json()["reachable_by"] == ["phone"]


def test_reachable_by_nothing_is_empty(client, tenant):
    assert new_debtor(client, tenant, contact_points=[])["reachable_by"] == []
    only_invalid = new_debtor(client, tenant, name="Autre SARL", siren=None, contact_points=[
        {"kind": "phone", "value": "08 99 12 34 56"}, {"kind": "email", "value": "nope"}])
    assert only_invalid["reachable_by"] == []


def test_reachable_by_counts_risky_points_and_lists_channels_in_order(client, tenant):
    debtor = new_debtor(client, tenant, kind="consumer", name="Jeanne Martin", siren=None,
                        contact_points=[
                            {"kind": "postal_address", "address": {
                                "recipient": "Mme Jeanne Martin", "lines": ["12 rue des Lilas"],
                                "postal_code": "75011", "city": "Paris"}},
                            {"kind": "email", "value": "contact@boulangerie-martin.fr"},
                            {"kind": "phone", "value": "06 12 34 56 78"}])
    assert debtor["contact_points"][1]["validation"]["status"] == "risky"
    assert debtor["reachable_by"] == ["email", "sms", "letter", "phone"]
    listed = client.get("/v1/debtors", headers=tenant.headers).json()["items"]
    assert listed[0]["reachable_by"] == ["email", "sms", "letter", "phone"]


# ------------------------------------------------------------------ no personal data in logs

NAME = "Zéphyrine Quatrebarbes-Vasseur"
MAIL = "zephyrine.quatrebarbes@orange.fr"
PHONE = "06 98 76 54 32"
SECRETS = [NAME, "Quatrebarbes", "quatrebarbes", "QUATREBARBES", MAIL, PHONE, "+33698765432"]
# The AWS SDK's own DEBUG wire log prints DynamoDB payloads (the stored debtor included);
# it is off unless someone turns botocore's DEBUG on, so it is not an application log line.
SDK_WIRE_LOGGERS = ("botocore.endpoint", "botocore.parsers", "botocore.auth")


def test_validating_a_debtor_logs_no_personal_data(client, tenant, clock, caplog):
    relance = logging.getLogger("relance")
    seen: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Capture(logging.DEBUG)
    relance.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="relance")
    try:
        debtor = new_debtor(client, tenant, kind="consumer", name=NAME, siren=None,
                            contact_points=[
                                {"kind": "email", "value": MAIL},
                                {"kind": "phone", "value": PHONE},
                                {"kind": "postal_address", "address": {
                                    "recipient": NAME, "lines": ["7 impasse des Mésanges"],
                                    "postal_code": "35000", "city": "Rennes"}}])
        new_claim(client, tenant, debtor["id"])
        clock.advance(timedelta(days=1))
        assert _revalidate(client, tenant, debtor["id"]).status_code == 200
        assert _patch(client, tenant, debtor["id"], {"country": "BE"}).status_code == 200
    finally:
        relance.removeHandler(handler)
    records = [r for r in [*caplog.records, *seen] if r.name not in SDK_WIRE_LOGGERS]
    assert records
    text = unicodedata.normalize("NFC", "\n".join(
        [r.getMessage() for r in records] + [repr(vars(r)) for r in seen]))
    assert [s for s in SECRETS if s in text] == []


def test_a_control_character_in_a_stored_contact_point_is_refused_naming_it(client, tenant):
    # Kept-as-given stops at control characters: a NUL would be stored and exported as is.
    response = client.post("/v1/debtors", headers=tenant.headers, json={
        "kind": "consumer", "name": "Jeanne Martin",
        "contact_points": [{"kind": "email", "value": "jeanne@example.org"},
                           {"kind": "email", "value": "jean\x00@orange.fr"}]})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["contact_points[1].value"]
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []
