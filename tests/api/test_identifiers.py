"""Company and bank identifiers through the API: SIREN, SIRET, intra-EU VAT, IBAN, BIC."""

from __future__ import annotations

from tests.conftest import CREDITOR_BODY, OPERATOR_KEY, new_debtor


def check(client, tenant, *items):
    response = client.post("/v1/contact-validation", headers=tenant.headers,
                           json={"items": [{"kind": k, "value": v} for k, v in items]})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_batch_checks_identifiers_with_their_checksums(client, tenant) -> None:
    results = check(client, tenant, ("siren", "732 829 320"), ("siren", "732829321"),
                    ("siret", "73282932000074"), ("vat_number", "FR40303265045"),
                    ("vat_number", "FR41303265045"), ("iban", "FR14 2004 1010 0505 0001 3M02 606"),
                    ("iban", "FR15 2004 1010 0505 0001 3M02 606"), ("bic", "BNPAFRPP"))
    assert [(r["kind"], r["status"]) for r in results] == [
        ("siren", "valid"), ("siren", "invalid"), ("siret", "valid"), ("vat_number", "valid"),
        ("vat_number", "invalid"), ("iban", "valid"), ("iban", "invalid"), ("bic", "valid")]
    assert results[0]["normalized"] == "732829320"
    assert results[5]["normalized"] == "FR1420041010050500013M02606"
    assert results[1]["reasons"] and results[1]["message"]
    assert all(r["channels"] == [] for r in results)


def test_debtor_vat_number_is_validated_and_must_match_its_siren(client, tenant) -> None:
    debtor = new_debtor(client, tenant, siren="303265045", vat_number="fr 40 303265045")
    assert debtor["vat_number"] == "FR40303265045"
    clash = client.post("/v1/debtors", headers=tenant.headers, json={
        "kind": "business", "name": "Mismatch SA", "siren": "732829320",
        "vat_number": "FR40303265045"})
    assert clash.status_code == 422
    assert [e["field"] for e in clash.json()["errors"]] == ["vat_number"]
    bad = client.post("/v1/debtors", headers=tenant.headers, json={
        "kind": "business", "name": "Typo SA", "vat_number": "FR41303265045"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "vat_number"
    consumer = client.post("/v1/debtors", headers=tenant.headers, json={
        "kind": "consumer", "name": "Claire Dubois", "vat_number": "FR40303265045"})
    assert consumer.status_code == 422


def test_creditor_iban_and_bic_are_checked(client) -> None:
    op = {"X-API-Key": OPERATOR_KEY}
    bad = client.post("/v1/admin/creditors", headers=op,
                      json={**CREDITOR_BODY, "iban": "FR15 2004 1010 0505 0001 3M02 606",
                            "bic": "BNPA"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"iban", "bic"}
