"""Listing claims: filters, limits, and opaque cursors that cannot be forged."""

from __future__ import annotations

import base64

import pytest

from tests.api._helpers import assert_problem, claim_body, forge_cursor, invoice, read_cursor
from tests.conftest import make_tenant, new_claim, new_debtor


def _ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def _all_pages(client, tenant, base, limit):
    seen, pages, cursor = [], [], None
    while True:
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=tenant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        pages.append(len(body["items"]))
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        assert len(pages) < 20, "paging does not end"


@pytest.fixture
def seven(client, tenant):
    debtor = new_debtor(client, tenant)
    dues = ["2026-02-01", "2026-02-05", "2026-02-10", "2026-02-15",
            "2026-02-20", "2026-03-15", "2026-04-01"]
    return [new_claim(client, tenant, debtor["id"], number=f"F-{i}", due=d)
            for i, d in enumerate(dues)]


def test_seven_claims_by_three(client, tenant, seven):
    seen, pages = _all_pages(client, tenant, "/v1/claims", 3)
    assert sorted(seen) == sorted(c["id"] for c in seven)
    assert len(seen) == len(set(seen)) == 7
    assert pages[:3] == [3, 3, 1]
    assert sum(pages) == 7


def test_claims_are_listed_earliest_due_first(client, tenant, seven):
    listed = client.get("/v1/claims", headers=tenant.headers).json()["items"]
    dues = [c["invoices"][0]["due_date"] for c in listed]
    assert dues == sorted(dues)
    assert len(listed) == 7


@pytest.mark.parametrize("limit", ["101", "0", "-1", "abc", "1000000000000"])
def test_bad_limits_are_400_naming_limit(client, tenant, limit):
    assert_problem(client.get(f"/v1/claims?limit={limit}", headers=tenant.headers), 400, "limit")


def test_limit_100_is_allowed(client, tenant):
    assert client.get("/v1/claims?limit=100", headers=tenant.headers).status_code == 200
    assert client.get("/v1/debtors?limit=100", headers=tenant.headers).status_code == 200


def test_bad_limits_on_other_lists(client, tenant, seven):
    assert_problem(client.get("/v1/debtors?limit=101", headers=tenant.headers), 400, "limit")
    claim_id = seven[0]["id"]
    assert_problem(client.get(f"/v1/claims/{claim_id}/events?limit=0", headers=tenant.headers),
                   400, "limit")


# ------------------------------------------------------------------ filters


@pytest.fixture
def mixed(client, tenant):
    """Two debtors; claims pre_due and amicable with distinct earliest due dates."""
    d1 = new_debtor(client, tenant, name="Un")
    d2 = new_debtor(client, tenant, name="Deux")
    claims = {
        "a": new_claim(client, tenant, d1["id"], number="A", due="2026-02-01"),  # amicable
        "b": new_claim(client, tenant, d1["id"], number="B", due="2026-03-01"),  # amicable
        "c": new_claim(client, tenant, d1["id"], number="C", due="2026-03-20"),  # pre_due
        "d": new_claim(client, tenant, d2["id"], number="D", due="2026-03-01"),  # amicable
        "e": new_claim(client, tenant, d2["id"], number="E", due="2026-04-01"),  # pre_due
    }
    # a claim whose earliest due date is not its first invoice's
    multi = client.post("/v1/claims", json=claim_body(
        d2["id"], invoice("F1", due="2026-05-01"), invoice("F2", due="2026-02-10")),
        headers=tenant.headers)
    assert multi.status_code == 201
    claims["f"] = multi.json()  # earliest 2026-02-10, amicable
    return d1, d2, {k: v["id"] for k, v in claims.items()}


def _names(ids, mapping):
    reverse = {v: k for k, v in mapping.items()}
    return sorted(reverse[i] for i in ids)


@pytest.mark.parametrize("query,expected", [
    ("phase=amicable", "abdf"),
    ("phase=pre_due", "ce"),
    ("phase=closed", ""),
    ("due_before=2026-03-01", "af"),          # strict: b and d are due on the bound
    ("due_after=2026-03-01", "ce"),           # strict
    ("due_after=2026-02-01&due_before=2026-03-20", "bdf"),
    ("due_after=2026-02-09&due_before=2026-02-11", "f"),  # the earliest due date counts
    ("due_before=2026-02-11", "af"),
    ("phase=amicable&due_after=2026-02-05", "bdf"),
    ("phase=pre_due&due_before=2026-04-01", "c"),
    ("due_after=2026-03-01&due_before=2026-03-01", ""),
    ("due_after=2026-04-01&due_before=2026-02-01", ""),  # an empty range, not an error
])
def test_filters(client, tenant, mixed, query, expected):
    _, _, ids = mixed
    assert _names(_ids(client.get(f"/v1/claims?{query}", headers=tenant.headers)), ids) == \
        sorted(expected)


def test_debtor_filters(client, tenant, mixed):
    d1, d2, ids = mixed
    get = lambda q: _names(_ids(client.get(f"/v1/claims?{q}", headers=tenant.headers)), ids)  # noqa: E731
    assert get(f"debtor_id={d1['id']}") == ["a", "b", "c"]
    assert get(f"debtor_id={d2['id']}") == ["d", "e", "f"]
    assert get(f"debtor_id={d1['id']}&phase=pre_due") == ["c"]
    assert get(f"debtor_id={d2['id']}&phase=amicable") == ["d", "f"]
    assert get(f"debtor_id={d1['id']}&due_after=2026-02-01") == ["b", "c"]
    assert get(f"debtor_id={d1['id']}&phase=amicable&due_before=2026-03-01") == ["a"]
    assert get("debtor_id=dbt_unknown") == []


def test_filtered_listing_pages(client, tenant, mixed):
    _, d2, ids = mixed
    seen, _ = _all_pages(client, tenant, "/v1/claims?phase=amicable", 1)
    assert _names(seen, ids) == ["a", "b", "d", "f"]
    seen, _ = _all_pages(client, tenant, f"/v1/claims?debtor_id={d2['id']}&phase=amicable", 1)
    assert _names(seen, ids) == ["d", "f"]
    seen, _ = _all_pages(client, tenant, "/v1/claims?due_after=2026-02-01&due_before=2026-03-20",
                         2)
    assert _names(seen, ids) == ["b", "d", "f"]


@pytest.mark.parametrize("query", ["phase=open", "due_before=2026-02-30", "due_after=yesterday",
                                   "debtor_id=" + "x" * 65])
def test_bad_filters_are_400(client, tenant, query):
    name = query.split("=")[0]
    assert_problem(client.get(f"/v1/claims?{query}", headers=tenant.headers), 400, name)


# ------------------------------------------------------------------ cursors


def _cursor_of(client, tenant, url):
    body = client.get(url, headers=tenant.headers).json()
    assert body["next_cursor"], body
    return body["next_cursor"]


def _refused(response):
    assert 400 <= response.status_code < 500, response.text
    return assert_problem(response, response.status_code, "cursor")


@pytest.mark.parametrize("cursor", [
    "garbage", "!!!!", "e30", "%00", "bnVsbA",  # 'null'
    base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
    base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    base64.urlsafe_b64encode(b'{"PK": 1}').decode(),
    base64.urlsafe_b64encode(b"[" * 1500).decode(),             # deep nesting
    base64.urlsafe_b64encode(b'{"a":' * 500 + b"1" + b"}" * 500).decode(),
    "A" * 3000,                                                 # too long
])
def test_garbage_cursors_are_refused(client, tenant, seven, cursor):
    _refused(client.get(f"/v1/claims?cursor={cursor}", headers=tenant.headers))
    _refused(client.get(f"/v1/debtors?cursor={cursor}", headers=tenant.headers))
    _refused(client.get(f"/v1/claims/{seven[0]['id']}/events?cursor={cursor}",
                        headers=tenant.headers))


def test_another_tenants_cursor_is_refused(client, tenant, seven):
    mine = read_cursor(_cursor_of(client, tenant, "/v1/claims?limit=2"))
    other = make_tenant(client, "Autre SARL")
    od = new_debtor(client, other)
    for i in range(3):
        new_claim(client, other, od["id"], number=f"O-{i}")
    # B replays A's cursor, and A's cursor rewritten to point into B's partition
    theirs = read_cursor(_cursor_of(client, other, "/v1/claims?limit=2"))
    _refused(client.get(f"/v1/claims?cursor={forge_cursor(mine)}", headers=other.headers))
    _refused(client.get(f"/v1/claims?cursor={forge_cursor(theirs)}", headers=tenant.headers))
    mixed = {**theirs, "GSI1PK": mine["GSI1PK"]}  # my partition, their item
    response = client.get(f"/v1/claims?cursor={forge_cursor(mixed)}", headers=tenant.headers)
    assert response.status_code < 500
    if response.status_code == 200:
        own = {c["id"] for c in seven}
        assert {c["id"] for c in response.json()["items"]} <= own


def test_cursor_of_another_filter_is_refused(client, tenant, mixed):
    d1, d2, _ = mixed
    amicable = _cursor_of(client, tenant, "/v1/claims?phase=amicable&limit=1")
    _refused(client.get(f"/v1/claims?phase=pre_due&cursor={amicable}", headers=tenant.headers))
    _refused(client.get(f"/v1/claims?cursor={amicable}", headers=tenant.headers))
    _refused(client.get(f"/v1/claims?debtor_id={d1['id']}&cursor={amicable}",
                        headers=tenant.headers))
    by_debtor = _cursor_of(client, tenant, f"/v1/claims?debtor_id={d1['id']}&limit=1")
    _refused(client.get(f"/v1/claims?debtor_id={d2['id']}&cursor={by_debtor}",
                        headers=tenant.headers))
    unfiltered = _cursor_of(client, tenant, "/v1/claims?limit=1")
    _refused(client.get(f"/v1/debtors?cursor={unfiltered}", headers=tenant.headers))


def test_cursor_outside_the_date_range_is_refused(client, tenant, mixed):
    late = _cursor_of(client, tenant, "/v1/claims?due_after=2026-03-01&limit=1")
    response = client.get(f"/v1/claims?due_before=2026-02-05&cursor={late}",
                          headers=tenant.headers)
    _refused(response)


def test_forged_cursors_with_wrong_keys_are_refused(client, tenant, seven):
    real = read_cursor(_cursor_of(client, tenant, "/v1/claims?limit=2"))
    partition_only = {"GSI1PK": real["GSI1PK"]}
    extra = {**real, "foo": "bar"}
    missing_table_key = {k: v for k, v in real.items() if k != "SK"}
    for forged in (partition_only, extra, missing_table_key, {**real, "GSI1SK": 5}):
        _refused(client.get(f"/v1/claims?cursor={forge_cursor(forged)}", headers=tenant.headers))


def test_events_cursor_is_refused_on_another_claim_and_on_claims(client, tenant, seven):
    first, second = seven[0]["id"], seven[1]["id"]
    for action in ("hold", "resume"):
        assert client.post(f"/v1/claims/{first}/actions/{action}",
                           headers=tenant.headers).status_code == 200
    cursor = _cursor_of(client, tenant, f"/v1/claims/{first}/events?limit=1")
    _refused(client.get(f"/v1/claims/{second}/events?cursor={cursor}", headers=tenant.headers))
    _refused(client.get(f"/v1/claims?cursor={cursor}", headers=tenant.headers))


def test_events_page_oldest_first(client, tenant, seven):
    claim_id = seven[0]["id"]
    for action in ("hold", "resume", "open_dispute", "resolve_dispute"):
        response = client.post(f"/v1/claims/{claim_id}/actions/{action}",
                               headers=tenant.headers)
        assert response.status_code == 200, response.text
    actions, cursor, pages = [], None, 0
    while True:
        url = f"/v1/claims/{claim_id}/events?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=tenant.headers).json()
        assert len(body["items"]) <= 2
        actions += [e["action"] for e in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert actions == ["open", "hold", "resume", "open_dispute", "resolve_dispute"]
