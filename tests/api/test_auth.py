"""API keys: shown once, stored as a hash, scoped, revocable; the operator key is apart."""

from __future__ import annotations

import hashlib

import pytest

from tests.api._helpers import assert_problem, claim_body, issue_key, table_text
from tests.conftest import CREDITOR_BODY, OPERATOR_KEY, make_tenant, new_debtor

OPERATOR = {"X-API-Key": OPERATOR_KEY}
DEBTOR = {"kind": "business", "name": "Garage Dupont"}


# ------------------------------------------------------------------ authentication


def test_missing_key_is_401_problem(client, tenant):
    assert_problem(client.get("/v1/debtors"), 401)
    assert_problem(client.post("/v1/debtors", json=DEBTOR), 401)


def test_empty_and_unknown_keys_are_401(client, tenant):
    assert_problem(client.get("/v1/debtors", headers={"X-API-Key": ""}), 401)
    assert_problem(client.get("/v1/debtors", headers={"X-API-Key": "rlk_not_a_real_key"}), 401)
    # A key's visible prefix is not the key.
    assert_problem(client.get("/v1/debtors", headers={"X-API-Key": tenant.key[:10]}), 401)
    assert_problem(client.get("/v1/debtors", headers={"X-API-Key": tenant.key + "x"}), 401)


def test_missing_key_on_admin_route_is_401(client):
    assert_problem(client.post("/v1/admin/creditors", json=CREDITOR_BODY), 401)


def test_valid_key_is_accepted(client, tenant):
    response = client.get("/v1/debtors", headers=tenant.headers)
    assert response.status_code == 200, response.text


# ------------------------------------------------------------------ secrets


def test_secret_is_shown_once_and_never_listed(client, tenant):
    issued = issue_key(client, tenant, "read", name="erp")
    assert issued["secret"] and issued["secret"].startswith(issued["prefix"])
    assert issued["scopes"] == ["read"]
    listed = client.get("/v1/api-keys", headers=tenant.headers)
    assert listed.status_code == 200
    ids = [k["id"] for k in listed.json()["items"]]
    assert issued["id"] in ids
    for item in listed.json()["items"]:
        assert "secret" not in item
    assert issued["secret"] not in listed.text
    assert tenant.key not in listed.text
    # and the new key works
    assert client.get("/v1/debtors", headers={"X-API-Key": issued["secret"]}).status_code == 200


def test_secrets_are_stored_only_as_hashes(client, ddb, tenant):
    issued = issue_key(client, tenant, "read", "write")
    text = table_text(ddb)
    for secret in (tenant.key, issued["secret"]):
        assert secret not in text
        assert hashlib.sha256(secret.encode()).hexdigest() in text  # what is kept instead


def test_secret_issued_with_idempotency_key_is_not_stored(client, ddb, tenant):
    """Idempotency records keep responses: a one-time secret must not be one of them."""
    headers = {**tenant.headers, "Idempotency-Key": "issue-key-1"}
    first = client.post("/v1/api-keys", json={"name": "erp", "scopes": ["read"]}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["secret"] not in table_text(ddb)
    again = client.post("/v1/api-keys", json={"name": "erp", "scopes": ["read"]}, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert "secret" not in again.text or again.json().get("secret") is None
    names = [k["name"] for k in client.get("/v1/api-keys", headers=tenant.headers).json()["items"]]
    assert names.count("erp") == 1


def test_operator_issued_secret_with_idempotency_key_is_not_stored(client, ddb, tenant):
    headers = {**OPERATOR, "Idempotency-Key": "op-issue-1"}
    first = client.post(f"/v1/admin/creditors/{tenant.creditor_id}/api-keys",
                        json={"name": "second", "scopes": ["read"]}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["secret"] not in table_text(ddb)


# ------------------------------------------------------------------ scopes


@pytest.mark.parametrize("scopes", [("read",), ("write",), ("admin",)])
def test_every_scope_can_read(client, tenant, scopes):
    key = issue_key(client, tenant, *scopes)
    headers = {"X-API-Key": key["secret"]}
    assert client.get("/v1/debtors", headers=headers).status_code == 200
    assert client.get("/v1/claims", headers=headers).status_code == 200
    assert client.get("/v1/creditor", headers=headers).status_code == 200


def test_read_only_key_cannot_write(client, tenant):
    debtor = new_debtor(client, tenant)
    headers = {"X-API-Key": issue_key(client, tenant, "read")["secret"]}
    assert_problem(client.post("/v1/debtors", json=DEBTOR, headers=headers), 403)
    assert_problem(client.post("/v1/claims", json=claim_body(debtor["id"]), headers=headers), 403)
    assert_problem(client.patch(f"/v1/debtors/{debtor['id']}", json={"name": "X"},
                                headers={**headers, "If-Match": '"1"'}), 403)
    listed = client.get("/v1/debtors", headers=tenant.headers).json()["items"]
    assert [d["id"] for d in listed] == [debtor["id"]]  # nothing was created
    assert client.get("/v1/claims", headers=tenant.headers).json()["items"] == []


def test_write_key_can_write_but_not_administer(client, tenant):
    headers = {"X-API-Key": issue_key(client, tenant, "write")["secret"]}
    created = client.post("/v1/debtors", json=DEBTOR, headers=headers)
    assert created.status_code == 201, created.text
    assert_problem(client.get("/v1/api-keys", headers=headers), 403)
    assert_problem(client.post("/v1/api-keys", json={"name": "x"}, headers=headers), 403)
    assert_problem(client.patch("/v1/creditor", json={"legal_name": "X"},
                                headers={**headers, "If-Match": "*"}), 403)


def test_write_key_cannot_revoke_keys(client, tenant):
    admin_issued = issue_key(client, tenant, "read")
    headers = {"X-API-Key": issue_key(client, tenant, "write")["secret"]}
    assert_problem(client.delete(f"/v1/api-keys/{admin_issued['id']}", headers=headers), 403)
    assert client.get("/v1/debtors",
                      headers={"X-API-Key": admin_issued["secret"]}).status_code == 200


def test_admin_key_implies_write_and_read(client, tenant):
    headers = {"X-API-Key": issue_key(client, tenant, "admin")["secret"]}
    assert client.post("/v1/debtors", json=DEBTOR, headers=headers).status_code == 201
    assert client.get("/v1/debtors", headers=headers).status_code == 200
    assert client.get("/v1/api-keys", headers=headers).status_code == 200


def test_unknown_scope_is_refused(client, tenant):
    response = client.post("/v1/api-keys", json={"name": "x", "scopes": ["root"]},
                           headers=tenant.headers)
    assert 400 <= response.status_code < 500
    assert_problem(response, response.status_code, "scopes[0]")


# ------------------------------------------------------------------ operator vs creditors


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/creditor"), ("GET", "/v1/debtors"), ("POST", "/v1/debtors"),
    ("GET", "/v1/claims"), ("GET", "/v1/api-keys"), ("POST", "/v1/api-keys"),
])
def test_operator_key_is_forbidden_on_creditor_routes(client, tenant, method, path):
    body = DEBTOR if path == "/v1/debtors" else {"name": "x"}
    response = client.request(method, path, headers=OPERATOR,
                              json=body if method == "POST" else None)
    assert_problem(response, 403)


def test_creditor_key_is_forbidden_on_admin_routes(client, tenant):
    assert_problem(client.post("/v1/admin/creditors", json=CREDITOR_BODY,
                               headers=tenant.headers), 403)
    assert_problem(client.post(f"/v1/admin/creditors/{tenant.creditor_id}/api-keys",
                               json={"name": "x", "scopes": ["admin"]},
                               headers=tenant.headers), 403)


def test_operator_creates_creditor_and_first_key(client):
    created = client.post("/v1/admin/creditors", json=CREDITOR_BODY, headers=OPERATOR)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["siren"] == CREDITOR_BODY["siren"]
    assert body["iban"] == CREDITOR_BODY["iban"].replace(" ", "")
    assert body["time_zone"] == "Europe/Paris"
    issued = client.post(f"/v1/admin/creditors/{body['id']}/api-keys",
                         json={"name": "first", "scopes": ["admin"]}, headers=OPERATOR)
    assert issued.status_code == 201, issued.text
    me = client.get("/v1/creditor", headers={"X-API-Key": issued.json()["secret"]})
    assert me.status_code == 200 and me.json()["id"] == body["id"]


@pytest.mark.parametrize("field,value", [
    ("siren", "732829321"),  # checksum wrong
    ("siren", "12345"),
    ("iban", "FR14 2004 1010 0505 0001 3M02 607"),
    ("time_zone", "Mars/Olympus_Mons"),
    ("time_zone", "Europe"),
    ("time_zone", "../../etc/passwd"),
])
def test_creditor_identifiers_are_validated(client, field, value):
    response = client.post("/v1/admin/creditors", json={**CREDITOR_BODY, field: value},
                           headers=OPERATOR)
    assert_problem(response, 422, field)


def test_issuing_key_for_unknown_creditor_is_404(client):
    response = client.post("/v1/admin/creditors/cred_doesnotexist/api-keys",
                           json={"name": "x", "scopes": ["read"]}, headers=OPERATOR)
    assert_problem(response, 404)


# ------------------------------------------------------------------ creditor profile


def test_creditor_reads_and_patches_its_profile(client, tenant):
    me = client.get("/v1/creditor", headers=tenant.headers)
    assert me.status_code == 200
    assert me.json()["id"] == tenant.creditor_id
    patched = client.patch("/v1/creditor", json={"legal_name": "Menuiserie Leroy & Fils"},
                           headers={**tenant.headers, "If-Match": me.headers["etag"]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["legal_name"] == "Menuiserie Leroy & Fils"
    again = client.get("/v1/creditor", headers=tenant.headers).json()
    assert again["legal_name"] == "Menuiserie Leroy & Fils"
    assert again["siren"] == me.json()["siren"]


def test_creditor_patch_validates_siren(client, tenant):
    me = client.get("/v1/creditor", headers=tenant.headers)
    response = client.patch("/v1/creditor", json={"siren": "732829321"},
                            headers={**tenant.headers, "If-Match": me.headers["etag"]})
    assert_problem(response, 422, "siren")
    assert client.get("/v1/creditor", headers=tenant.headers).json() == me.json()


# ------------------------------------------------------------------ revocation


def test_revoked_key_is_refused_at_once(client, tenant):
    key = issue_key(client, tenant, "read", "write")
    headers = {"X-API-Key": key["secret"]}
    assert client.get("/v1/debtors", headers=headers).status_code == 200  # now cached
    revoked = client.delete(f"/v1/api-keys/{key['id']}", headers=tenant.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert "secret" not in revoked.json()
    assert_problem(client.get("/v1/debtors", headers=headers), 401)
    assert_problem(client.post("/v1/debtors", json=DEBTOR, headers=headers), 401)
    # the other keys still work, and the listing shows the revocation
    listed = client.get("/v1/api-keys", headers=tenant.headers)
    assert listed.status_code == 200
    by_id = {k["id"]: k for k in listed.json()["items"]}
    assert by_id[key["id"]]["revoked_at"] is not None


def test_revoked_key_stays_refused_after_cache_expiry(client, app, tenant):
    key = issue_key(client, tenant, "read")
    client.delete(f"/v1/api-keys/{key['id']}", headers=tenant.headers)
    app.state.authenticator.cache.clear()
    assert_problem(client.get("/v1/debtors", headers={"X-API-Key": key["secret"]}), 401)


def test_revoking_unknown_or_foreign_key_is_404(client, tenant):
    other = make_tenant(client, "Autre SARL")
    foreign = issue_key(client, other, "read")
    assert_problem(client.delete("/v1/api-keys/key_unknown", headers=tenant.headers), 404)
    assert_problem(client.delete(f"/v1/api-keys/{foreign['id']}", headers=tenant.headers), 404)
    assert client.get("/v1/debtors", headers={"X-API-Key": foreign["secret"]}).status_code == 200


def test_listing_keys_never_shows_other_tenants_keys(client, tenant):
    other = make_tenant(client, "Autre SARL")
    foreign = issue_key(client, other, "read")
    listed = client.get("/v1/api-keys", headers=tenant.headers).json()["items"]
    assert foreign["id"] not in [k["id"] for k in listed]
    assert len(listed) == 1


def test_options_on_a_guarded_controller_answers_allow_not_500(client) -> None:
    # Litestar answers OPTIONS itself, unauthenticated; the controllers' guards used to
    # read the missing principal and fail with a 500.
    for path in ("/v1/api-keys", "/v1/api-keys/key_x", "/v1/admin/creditors", "/v1/admin/rates"):
        response = client.options(path)
        assert response.status_code == 204, (path, response.text)
        assert "allow" in response.headers
        assert response.content == b""
