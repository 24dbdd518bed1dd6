from tests.conftest import new_claim, new_debtor


def test_create_and_read_claim(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    got = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers)
    assert got.status_code == 200, got.text
    assert got.json()["outstanding"] == "1200.00"
    assert got.json()["phase"] == "amicable"
