import json
from datetime import timedelta
from tests.conftest import make_tenant, new_debtor, new_claim

def p(r):
    print(r.status_code, r.headers.get("etag"), json.dumps(r.json(), indent=1, ensure_ascii=False)[:4000])

def test_probe(client, tenant, clock):
    d = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "  Compta@Boulangerie-Martin.FR "},
        {"kind": "phone", "value": "06 12 34 56 78", "label": "standard"},
        {"kind": "phone", "value": "0150505050"},
    ])
    print(json.dumps(d, indent=1, ensure_ascii=False))
    et = client.get(f"/v1/debtors/{d['id']}", headers=tenant.headers).headers["etag"]
    print(dir(clock))
    clock.advance(timedelta(days=1)) if hasattr(clock, "advance") else None
    r = client.patch(f"/v1/debtors/{d['id']}", json={"country": "BE"}, headers={**tenant.headers, "If-Match": et})
    p(r)
    c1 = new_claim(client, tenant, d["id"])
    c2 = new_claim(client, tenant, d["id"], number="F-002")
    r = client.post(f"/v1/claims/{c2['id']}/actions/cancel", headers=tenant.headers)
    print(r.status_code, r.text[:300])
    r = client.post(f"/v1/debtors/{d['id']}/contact-validation", headers=tenant.headers)
    p(r)
    for c in (c1, c2):
        p(client.get(f"/v1/claims/{c['id']}/events", headers=tenant.headers))
