import json
from tests.conftest import make_tenant, new_debtor

def p(r):
    print(r.status_code, json.dumps(r.json(), indent=1, ensure_ascii=False)[:3000])

def test_probe(client, tenant, calls):
    items = [{"kind": "postal_address", "address": {"recipient": "Mme Jeanne Martin", "lines": ["Appartement 12", "12 rue des Lilas"], "postal_code": "75011", "city": "paris", "country": "FR"}}]
    p(client.post("/v1/contact-validation", json={"items": items, "debtor_kind": "consumer"}, headers=tenant.headers))
    calls.reset()
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "phone", "value": "0612345678"}]*1001}, headers=tenant.headers)
    print(r.status_code, r.text[:600])
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "phone", "value": "0612345678"}]*1000}, headers=tenant.headers)
    print(r.status_code, len(r.json()["items"]), r.json()["summary"])
    print(calls.calls)
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "phone", "value": "0612345678"}]})
    print(r.status_code, r.text[:300])
    hostile = ["a\x00b@x.fr", "x"*10000, "<script>alert(1)</script>@x.fr", "\u202eevil@x.fr", "😀@x.fr", "06\x0712345678", "", " ", "\u202e0612345678"]
    for k in ("email", "phone"):
        r = client.post("/v1/contact-validation", json={"items": [{"kind": k, "value": v} for v in hostile]}, headers=tenant.headers)
        print(r.status_code, [ (i["status"], i["reasons"]) for i in r.json()["items"]] if r.status_code == 200 else r.text[:500])
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "email", "value": "x"*10001}]}, headers=tenant.headers)
    print(r.status_code, r.text[:500])
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "postal_address", "address": {"recipient": "\u202eX", "lines": ["<b>1</b>", "\x00", "😀"*200], "postal_code": "\x00", "city": "x"*200}}]}, headers=tenant.headers)
    print(r.status_code, r.text[:800])
    r = client.post("/v1/contact-validation", json={"items": [{"kind": "postal_address", "value": "abc"}, {"kind": "email", "address": {"recipient": "x"}}, {"kind": "phone"}]}, headers=tenant.headers)
    print(r.status_code, r.text[:1500])
    r = client.post("/v1/contact-validation", json={"items": []}, headers=tenant.headers)
    print(r.status_code, r.text[:500])
