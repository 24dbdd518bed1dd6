"""Debtors: creation, reading, listing, PATCH, and the per-creditor external reference."""

from __future__ import annotations

from tests.api._helpers import assert_problem, scan_table
from tests.conftest import make_tenant, new_debtor


def _patch(client, tenant, debtor_id, body, etag=None):
    if etag is None:
        etag = client.get(f"/v1/debtors/{debtor_id}", headers=tenant.headers).headers["etag"]
    return client.patch(f"/v1/debtors/{debtor_id}", json=body,
                        headers={**tenant.headers, "If-Match": etag})


def test_create_returns_the_debtor_with_location_and_etag(client, tenant):
    response = client.post("/v1/debtors", json={
        "kind": "consumer", "name": "Jeanne Martin", "language": "en",
        "contact_points": [{"kind": "email", "value": "jeanne@example.org"}]},
        headers=tenant.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("dbt_")
    assert body["kind"] == "consumer" and body["name"] == "Jeanne Martin"
    assert body["language"] == "en" and body["country"] == "FR"
    assert response.headers["location"] == f"/v1/debtors/{body['id']}"
    assert response.headers["etag"]
    got = client.get(f"/v1/debtors/{body['id']}", headers=tenant.headers)
    assert got.status_code == 200
    assert got.json() == body


def test_contact_points_are_stored_as_given(client, tenant):
    points = [
        {"kind": "email", "value": "  Compta@Boulangerie-Martin.FR "},
        {"kind": "phone", "value": "06 12 34 56 78", "label": "standard"},
        {"kind": "postal_address", "address": {
            "recipient": "Boulangerie Martin", "lines": ["3 place du Marché", "BP 12"],
            "postal_code": "69002", "city": "LYON", "country": "FR"}},
    ]
    debtor = new_debtor(client, tenant, contact_points=points)
    got = client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).json()
    stored = got["contact_points"]
    assert [p["kind"] for p in stored] == ["email", "phone", "postal_address"]
    assert stored[0]["value"] == "  Compta@Boulangerie-Martin.FR "
    assert stored[1]["value"] == "06 12 34 56 78" and stored[1]["label"] == "standard"
    assert stored[2]["value"] is None
    assert stored[2]["address"] == points[2]["address"]
    assert all(p["id"] for p in stored)


def test_contact_point_shape_is_checked(client, tenant):
    response = client.post("/v1/debtors", json={
        "kind": "business", "name": "X",
        "contact_points": [{"kind": "email"}, {"kind": "postal_address", "value": "rue"}]},
        headers=tenant.headers)
    assert_problem(response, 422, "contact_points[0].value", "contact_points[1].address")


def test_unknown_debtor_is_404(client, tenant):
    assert_problem(client.get("/v1/debtors/dbt_nope", headers=tenant.headers), 404)
    response = client.patch("/v1/debtors/dbt_nope", json={"name": "X"},
                            headers={**tenant.headers, "If-Match": '"1"'})
    assert_problem(response, 404)


def test_siren_is_checked_and_consumers_have_none(client, tenant):
    bad = client.post("/v1/debtors", json={"kind": "business", "name": "X",
                                           "siren": "552100555"}, headers=tenant.headers)
    assert_problem(bad, 422, "siren")
    consumer = client.post("/v1/debtors", json={"kind": "consumer", "name": "X",
                                                "siren": "552100554"}, headers=tenant.headers)
    assert_problem(consumer, 422, "siren")
    assert client.get("/v1/debtors", headers=tenant.headers).json()["items"] == []


def test_list_pages_through_all_debtors(client, tenant):
    created = {new_debtor(client, tenant, name=f"Client {i}")["id"] for i in range(5)}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        url = "/v1/debtors?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=tenant.headers)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= 2
        seen += [d["id"] for d in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert sorted(seen) == sorted(created) and len(seen) == 5


def test_external_reference_is_unique_per_creditor(client, tenant):
    first = new_debtor(client, tenant, external_reference="CUST-42")
    response = client.post("/v1/debtors", json={"kind": "business", "name": "Doublon",
                                                "external_reference": "CUST-42"},
                           headers=tenant.headers)
    assert_problem(response, 409, "external_reference")
    listed = client.get("/v1/debtors", headers=tenant.headers).json()["items"]
    assert [d["id"] for d in listed] == [first["id"]]


def test_same_external_reference_in_another_tenant_is_fine(client, tenant):
    new_debtor(client, tenant, external_reference="CUST-42")
    other = make_tenant(client, "Autre SAS")
    assert new_debtor(client, other, external_reference="CUST-42")["external_reference"] \
        == "CUST-42"


def test_patch_to_a_taken_reference_is_409_and_changes_nothing(client, ddb, tenant):
    new_debtor(client, tenant, external_reference="A")
    second = new_debtor(client, tenant, external_reference="B", name="Second")
    before_items = scan_table(ddb)
    response = _patch(client, tenant, second["id"], {"external_reference": "A", "name": "Renamed"})
    assert_problem(response, 409, "external_reference")
    after = client.get(f"/v1/debtors/{second['id']}", headers=tenant.headers).json()
    assert after == second
    assert sorted(map(str, scan_table(ddb))) == sorted(map(str, before_items))


def test_patch_changing_the_reference_frees_the_old_one(client, tenant):
    debtor = new_debtor(client, tenant, external_reference="OLD")
    patched = _patch(client, tenant, debtor["id"], {"external_reference": "NEW"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["external_reference"] == "NEW"
    assert patched.json()["version"] == debtor["version"] + 1
    reuse = new_debtor(client, tenant, external_reference="OLD", name="Takes the old one")
    assert reuse["external_reference"] == "OLD"
    taken = client.post("/v1/debtors", json={"kind": "business", "name": "X",
                                             "external_reference": "NEW"},
                        headers=tenant.headers)
    assert_problem(taken, 409, "external_reference")


def test_patch_removing_the_reference_frees_it(client, tenant):
    debtor = new_debtor(client, tenant, external_reference="GONE")
    patched = _patch(client, tenant, debtor["id"], {"external_reference": None})
    assert patched.status_code == 200, patched.text
    assert patched.json()["external_reference"] is None
    assert new_debtor(client, tenant, external_reference="GONE")["external_reference"] == "GONE"


def test_patch_keeping_the_same_reference_is_fine(client, tenant):
    debtor = new_debtor(client, tenant, external_reference="SAME")
    patched = _patch(client, tenant, debtor["id"], {"external_reference": "SAME", "name": "N"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "N"
    taken = client.post("/v1/debtors", json={"kind": "business", "name": "X",
                                             "external_reference": "SAME"},
                        headers=tenant.headers)
    assert_problem(taken, 409, "external_reference")


def test_patch_is_a_merge(client, tenant):
    debtor = new_debtor(client, tenant, external_reference="M")
    patched = _patch(client, tenant, debtor["id"], {"name": "Boulangerie Martin & Fils"})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["name"] == "Boulangerie Martin & Fils"
    for unchanged in ("kind", "siren", "external_reference", "country", "language"):
        assert body[unchanged] == debtor[unchanged]
    assert [p["value"] for p in body["contact_points"]] == \
        [p["value"] for p in debtor["contact_points"]]


def test_patch_replaces_contact_points(client, tenant):
    debtor = new_debtor(client, tenant)
    patched = _patch(client, tenant, debtor["id"],
                     {"contact_points": [{"kind": "phone", "value": "+33 4 78 00 00 00"}]})
    assert patched.status_code == 200, patched.text
    assert [(p["kind"], p["value"]) for p in patched.json()["contact_points"]] == \
        [("phone", "+33 4 78 00 00 00")]


def test_patch_that_breaks_a_rule_is_422_and_changes_nothing(client, tenant):
    debtor = new_debtor(client, tenant)  # a business with a SIREN
    response = _patch(client, tenant, debtor["id"], {"kind": "consumer"})
    assert_problem(response, 422, "siren")
    assert client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).json() == debtor
