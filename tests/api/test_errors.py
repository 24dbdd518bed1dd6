"""Errors are RFC 9457 problems naming each offending field; hostile input never gives 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import new_debtor


@pytest.fixture
def debtor(client, tenant):
    return new_debtor(client, tenant)


def _post_claim(client, tenant, body):
    return client.post("/v1/claims", json=body, headers=tenant.headers)


def _claims(client, tenant):
    return client.get("/v1/claims", headers=tenant.headers).json()["items"]


def _messages(response):
    return " ".join(e["message"] for e in response.json().get("errors", []))


# ------------------------------------------------------------------ shape of the body


@pytest.mark.parametrize("raw", [b"{bad", b"", b"[", b'{"debtor_id": "x",}', b"\xff\xfe",
                                 b"null", b"[]", b'"text"'])
def test_malformed_or_non_object_json_is_400(client, tenant, raw):
    response = client.post("/v1/claims", content=raw,
                           headers={**tenant.headers, "Content-Type": "application/json"})
    assert_problem(response, 400)


def test_wrong_types_name_their_fields(client, tenant, debtor):
    body = claim_body(debtor["id"])
    cases: list[tuple[dict[str, Any], str]] = [
        ({**body, "debtor_id": 123}, "debtor_id"),
        ({**body, "currency": ["EUR"]}, "currency"),
        ({**body, "invoices": "F-1"}, "invoices"),
        ({**body, "invoices": [{**invoice(), "number": 7}]}, "invoices[0].number"),
        ({**body, "invoices": [invoice(), {**invoice("F-2"), "issue_date": 20260101}]},
         "invoices[1].issue_date"),
    ]
    for sent, field in cases:
        assert_problem(_post_claim(client, tenant, sent), 400, field)
    assert_problem(client.post("/v1/debtors", json={"kind": "business", "name": True},
                               headers=tenant.headers), 400, "name")
    assert_problem(client.post("/v1/debtors", json={"kind": "robot", "name": "R2"},
                               headers=tenant.headers), 400, "kind")
    assert _claims(client, tenant) == []


def test_unknown_fields_are_named(client, tenant, debtor):
    top = _post_claim(client, tenant, {**claim_body(debtor["id"]), "priority": "high"})
    assert_problem(top, 400, "priority")
    nested = _post_claim(client, tenant, claim_body(debtor["id"], {**invoice(), "vat": "20"}))
    assert_problem(nested, 400, "invoices[0].vat")
    debtor_body = {"kind": "business", "name": "X",
                   "contact_points": [{"kind": "email", "value": "a@b.fr", "primary": True}]}
    assert_problem(client.post("/v1/debtors", json=debtor_body, headers=tenant.headers), 400,
                   "contact_points[0].primary")


def test_missing_fields_are_named(client, tenant, debtor):
    body = claim_body(debtor["id"])
    del body["currency"]
    assert_problem(_post_claim(client, tenant, body), 400, "currency")
    inv = invoice()
    del inv["due_date"]
    assert_problem(_post_claim(client, tenant, claim_body(debtor["id"], inv)), 400,
                   "invoices[0].due_date")
    assert_problem(client.post("/v1/debtors", json={"kind": "business"},
                               headers=tenant.headers), 400, "name")
    assert_problem(_post_claim(client, tenant, {}), 400)


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "15/01/2026", "", "2026-1-5"])
def test_bad_dates(client, tenant, debtor, bad):
    response = _post_claim(client, tenant, claim_body(debtor["id"], invoice(issue=bad)))
    assert_problem(response, 400, "invoices[0].issue_date")


def test_currency_must_be_iso_4217(client, tenant, debtor):
    euro = _post_claim(client, tenant, claim_body(debtor["id"], currency="EURO"))
    assert 400 <= euro.status_code < 500
    assert_problem(euro, euro.status_code, "currency")
    xxy = _post_claim(client, tenant, claim_body(debtor["id"], currency="XXY"))
    assert 400 <= xxy.status_code < 500
    assert_problem(xxy, xxy.status_code, "currency")
    lower = _post_claim(client, tenant, claim_body(debtor["id"], currency="eur"))
    assert_problem(lower, lower.status_code, "currency")
    assert _claims(client, tenant) == []


def test_amount_as_a_json_number_says_to_send_a_string(client, tenant, debtor):
    for number in (1200, 1200.5):
        response = _post_claim(client, tenant,
                               claim_body(debtor["id"], {**invoice(), "amount": number}))
        assert_problem(response, 400, "invoices[0].amount")
        assert "string" in _messages(response)


def test_eur_amount_with_three_decimals_is_422(client, tenant, debtor):
    response = _post_claim(client, tenant, claim_body(debtor["id"], invoice(amount="12.345")))
    body = assert_problem(response, 422, "invoices[0].amount")
    assert "decimals" in body["detail"] or "decimals" in _messages(response)


@pytest.mark.parametrize("amount", ["-5.00", "0", "0.00", "-0.01", "1e3", "12,50", "", " 12",
                                    "NaN", "Infinity", "0012.00"])
def test_bad_amounts_are_refused(client, tenant, debtor, amount):
    response = _post_claim(client, tenant, claim_body(debtor["id"], invoice(amount=amount)))
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code, "invoices[0].amount")
    assert _claims(client, tenant) == []


def test_zero_amount_is_422(client, tenant, debtor):
    response = _post_claim(client, tenant, claim_body(debtor["id"], invoice(amount="0.00")))
    assert_problem(response, 422, "invoices[0].amount")


def test_due_before_issue_is_422(client, tenant, debtor):
    response = _post_claim(client, tenant, claim_body(
        debtor["id"], invoice(issue="2026-02-15", due="2026-02-14")))
    assert_problem(response, 422, "invoices[0].due_date")


def test_several_invalid_invoices_are_all_named(client, tenant, debtor):
    response = _post_claim(client, tenant, claim_body(
        debtor["id"], invoice("A", amount="1.001"), invoice("B", issue="2026-02-02",
                                                               due="2026-02-01")))
    assert_problem(response, 422, "invoices[0].amount", "invoices[1].due_date")


def test_empty_invoices_list_is_refused(client, tenant, debtor):
    response = _post_claim(client, tenant, {**claim_body(debtor["id"]), "invoices": []})
    assert 400 <= response.status_code < 500
    assert_problem(response, response.status_code, "invoices")


def test_too_many_invoices_is_refused(client, tenant, debtor):
    many = [invoice(f"N-{i}") for i in range(97)]
    response = _post_claim(client, tenant, claim_body(debtor["id"], *many))
    assert 400 <= response.status_code < 500
    assert_problem(response, response.status_code, "invoices")


def test_the_most_invoices_a_claim_may_have(client, tenant, debtor):
    many = [invoice(f"N-{i}", amount="1.00") for i in range(96)]
    response = _post_claim(client, tenant, claim_body(debtor["id"], *many,
                                                      external_reference="BIG"))
    assert response.status_code == 201, response.text
    assert response.json()["outstanding"] == "96.00"


@pytest.mark.parametrize("with_key", [False, True])
def test_body_over_one_mebibyte_is_413(client, tenant, with_key):
    headers = {**tenant.headers, "Content-Type": "application/json"}
    if with_key:
        headers["Idempotency-Key"] = "big-1"
    payload = json.dumps({"kind": "business", "name": "X",
                          "padding": "x" * (1024 * 1024)}).encode()
    assert_problem(client.post("/v1/debtors", content=payload, headers=headers), 413)
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []


# ------------------------------------------------------------------ routes and methods


@pytest.mark.parametrize("path", ["/v1/nope", "/v2/claims", "/v1/claims/x/y/z", "/"])
def test_unknown_routes_are_404_problems(client, tenant, path):
    assert_problem(client.get(path, headers=tenant.headers), 404)
    assert_problem(client.post(path, json={}, headers=tenant.headers), 404)


@pytest.mark.parametrize("method,path", [
    ("DELETE", "/v1/claims"), ("PUT", "/v1/debtors"), ("PATCH", "/v1/claims"),
    ("GET", "/v1/admin/creditors"), ("DELETE", "/v1/creditor"),
])
def test_wrong_methods_are_405_problems(client, tenant, method, path):
    response = client.request(method, path, headers=tenant.headers)
    assert_problem(response, 405)
    assert response.headers.get("allow")


# ------------------------------------------------------------------ hostile strings


@pytest.mark.parametrize("name", [
    "Émilie 🧾 Dupont-Ñúñez 李",
    "tab\there\nnew line\rcarriage",
    "bell\x07escape\x1b[31mred",
    "nul\x00byte",
    "<script>alert(1)</script>",
    "'; DROP TABLE debtors; --",
    "\u202eRTL override",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
])
def test_hostile_names_are_stored_safely(client, tenant, name):
    response = client.post("/v1/debtors", json={"kind": "consumer", "name": name},
                           headers=tenant.headers)
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        got = client.get(f"/v1/debtors/{response.json()['id']}", headers=tenant.headers)
        assert got.status_code == 200
        assert got.json()["name"] == name.strip()
    else:
        assert_problem(response, response.status_code, "name")


def test_ten_thousand_characters(client, tenant, debtor):
    long = "é" * 10_000
    assert_problem(client.post("/v1/debtors", json={"kind": "consumer", "name": long},
                               headers=tenant.headers), 400, "name")
    contact = client.post("/v1/debtors", json={
        "kind": "consumer", "name": "Long", "contact_points": [{"kind": "email", "value": long}]},
        headers=tenant.headers)
    assert contact.status_code < 500, contact.text
    if contact.status_code == 201:
        got = client.get(f"/v1/debtors/{contact.json()['id']}", headers=tenant.headers).json()
        assert got["contact_points"][0]["value"] == long
    for field in ("debtor_id", "currency"):
        response = _post_claim(client, tenant, {**claim_body(debtor["id"]), field: long})
        assert_problem(response, response.status_code, field)
        assert 400 <= response.status_code < 500
    response = _post_claim(client, tenant, claim_body(debtor["id"], invoice(long)))
    assert_problem(response, 400, "invoices[0].number")
    assert client.get(f"/v1/claims/{'x' * 10_000}", headers=tenant.headers).status_code < 500
    assert client.get(f"/v1/debtors/{'x' * 10_000}", headers=tenant.headers).status_code < 500


def test_many_long_contact_points_do_not_break_storage(client, tenant):
    """50 contact points of 10,000 characters fit the body limit but not a DynamoDB item."""
    points = [{"kind": "email", "value": "é" * 10_000} for _ in range(50)]
    response = client.post("/v1/debtors", json={"kind": "consumer", "name": "Big",
                                                "contact_points": points},
                           headers=tenant.headers)
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []


def test_patch_with_too_much_data_is_refused(client, tenant, debtor):
    points = [{"kind": "email", "value": "é" * 10_000} for _ in range(50)]
    etag = client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).headers["etag"]
    response = client.patch(f"/v1/debtors/{debtor['id']}", json={"contact_points": points},
                            headers={**tenant.headers, "If-Match": etag})
    assert 400 <= response.status_code < 500, response.text
    assert response.status_code != 412
    got = client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).json()
    assert got == debtor


@pytest.mark.parametrize("raw", [
    b'{"kind":"business","name":"a\\ud800b"}',       # lone surrogate escape
    b'{"kind":"business","name":"a\xed\xa0\x80b"}',  # encoded surrogate (invalid UTF-8)
    b'{"kind":"business","name":"\xc3\x28"}',        # invalid UTF-8
    b'{"kind":"business","name":"x","name":"y"}',    # duplicate key
    b'{"kind":"business","name":"' + b"[" * 5000 + b'"}',
    b'{"kind":"business","name":"x","contact_points":' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"kind":"business","name":"x","in_collective_proceedings":1e999}',
])
def test_hostile_raw_bodies_never_500(client, tenant, raw):
    response = client.post("/v1/debtors", content=raw,
                           headers={**tenant.headers, "Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


def test_hostile_headers_never_500(client, tenant, debtor):
    for key in (b"\x7f", "é".encode() * 3, b"\xff\xfe", b"x" * 5000):
        response = client.get("/v1/debtors", headers={"X-API-Key": key})
        assert_problem(response, 401)
    response = client.patch(f"/v1/debtors/{debtor['id']}", json={"name": "X"},
                            headers={**tenant.headers, "If-Match": "x" * 5000})
    assert response.status_code in (400, 412)


# ------------------------------------------------------------------ fuzzing

json_scalars = (st.none() | st.booleans() | st.integers()
                | st.floats(allow_nan=False, allow_infinity=False) | st.text())
json_values = st.recursive(json_scalars, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=8), children, max_size=4),
                           max_leaves=12)
field_values = st.one_of(json_values, st.sampled_from(
    ["EUR", "XXY", "2026-02-30", "2026-01-15", "1200.00", "12.345", "-1", "0", "business",
     "consumer", "email", "phone", "postal_address", "552100554", "", "\x00", "🧾" * 3]))
invoice_like = st.fixed_dictionaries({}, optional={
    "number": field_values, "issue_date": field_values, "due_date": field_values,
    "amount": field_values, "extra": field_values})
claim_like = st.fixed_dictionaries({}, optional={
    "debtor_id": field_values, "currency": field_values, "external_reference": field_values,
    "invoices": st.lists(invoice_like, max_size=3) | field_values, "unknown": field_values})
contact_like = st.fixed_dictionaries({}, optional={
    "kind": field_values, "value": field_values, "label": field_values,
    "address": st.fixed_dictionaries({}, optional={
        "recipient": field_values, "lines": st.lists(field_values, max_size=3),
        "postal_code": field_values, "city": field_values, "country": field_values})})
debtor_like = st.fixed_dictionaries({}, optional={
    "kind": field_values, "name": field_values, "country": field_values,
    "language": field_values, "siren": field_values, "external_reference": field_values,
    "contact_points": st.lists(contact_like, max_size=3) | field_values,
    "in_collective_proceedings": field_values})


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim=claim_like, debtor_body=debtor_like | json_values, use_real_debtor=st.booleans())
def test_fuzzed_bodies_never_500(client, tenant, debtor, claim, debtor_body, use_real_debtor):
    if use_real_debtor and isinstance(claim, dict):
        claim = {**claim, "debtor_id": debtor["id"]}
    response = client.post("/v1/claims", json=claim, headers=tenant.headers)
    assert response.status_code < 500, (claim, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    response = client.post("/v1/debtors", json=debtor_body, headers=tenant.headers)
    assert response.status_code < 500, (debtor_body, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "business", "name": "Boulangerie Martin SAS", "in_collective_proceedings": 0},
     "in_collective_proceedings"),
    ({"kind": "business", "name": "Boulangerie Martin SAS", "in_collective_proceedings": "true"},
     "in_collective_proceedings"),
])
def test_body_types_are_not_coerced(client, tenant, body, field):
    # Litestar converts leniently (0 → false, "3" → 3); a JSON body is decoded strictly.
    assert_problem(client.post("/v1/debtors", json=body, headers=tenant.headers), 400, field)


def test_a_number_in_a_string_is_not_a_count(client, tenant, debtor):
    claim = client.post("/v1/claims", json=claim_body(debtor["id"]), headers=tenant.headers)
    assert claim.status_code == 201, claim.text
    response = client.post(f"/v1/claims/{claim.json()['id']}/payment-plan",
                           json={"count": "3", "first_due_on": "2026-04-10"},
                           headers=tenant.headers)
    assert_problem(response, 400, "count")
