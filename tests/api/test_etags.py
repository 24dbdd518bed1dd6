"""ETags on single resources, and If-Match on PATCH (428 missing, 412 stale)."""

from __future__ import annotations

import pytest

from tests.api._helpers import assert_problem
from tests.conftest import new_claim, new_debtor


@pytest.fixture
def debtor(client, tenant):
    return new_debtor(client, tenant, external_reference="REF-1")


def _get(client, tenant, url):
    response = client.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.headers.get("etag"), response.headers
    return response


def test_single_resources_carry_an_etag(client, tenant, debtor):
    claim = new_claim(client, tenant, debtor["id"])
    for url in (f"/v1/debtors/{debtor['id']}", f"/v1/claims/{claim['id']}", "/v1/creditor"):
        first = _get(client, tenant, url)
        assert _get(client, tenant, url).headers["etag"] == first.headers["etag"]  # stable


def test_debtor_patch_needs_if_match(client, tenant, debtor):
    url = f"/v1/debtors/{debtor['id']}"
    assert_problem(client.patch(url, json={"name": "Changed"}, headers=tenant.headers), 428)
    assert _get(client, tenant, url).json() == debtor


def test_debtor_patch_with_the_current_etag(client, tenant, debtor):
    url = f"/v1/debtors/{debtor['id']}"
    etag = _get(client, tenant, url).headers["etag"]
    patched = client.patch(url, json={"name": "Changed"},
                           headers={**tenant.headers, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] != etag
    after = _get(client, tenant, url)
    assert after.headers["etag"] == patched.headers["etag"]
    assert after.json()["name"] == "Changed"


def test_debtor_patch_with_a_stale_etag_changes_nothing(client, tenant, debtor):
    url = f"/v1/debtors/{debtor['id']}"
    stale = _get(client, tenant, url).headers["etag"]
    ok = client.patch(url, json={"name": "First"}, headers={**tenant.headers, "If-Match": stale})
    assert ok.status_code == 200
    current = _get(client, tenant, url)
    for body in ({"name": "Second"}, {"external_reference": "REF-2"}):
        response = client.patch(url, json=body, headers={**tenant.headers, "If-Match": stale})
        assert_problem(response, 412)
        now = _get(client, tenant, url)
        assert now.json() == current.json()
        assert now.headers["etag"] == current.headers["etag"]
    # the reference a refused PATCH asked for was not taken
    assert new_debtor(client, tenant, external_reference="REF-2")["id"]


@pytest.mark.parametrize("tag", ['"999"', "garbage", '"abc"', 'W/"999"', '"-1"', '""',
                                 '"' + "9" * 50 + '"', '"' + "9" * 5000 + '"'])
def test_debtor_patch_with_a_wrong_etag_is_412(client, tenant, debtor, tag):
    url = f"/v1/debtors/{debtor['id']}"
    response = client.patch(url, json={"name": "X"}, headers={**tenant.headers, "If-Match": tag})
    assert_problem(response, 412)
    assert _get(client, tenant, url).json() == debtor


def test_debtor_patch_with_star(client, tenant, debtor):
    url = f"/v1/debtors/{debtor['id']}"
    before = _get(client, tenant, url).headers["etag"]
    patched = client.patch(url, json={"name": "Star"}, headers={**tenant.headers, "If-Match": "*"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Star"
    assert patched.headers["etag"] != before
    assert _get(client, tenant, url).headers["etag"] == patched.headers["etag"]


@pytest.mark.parametrize("raw", [b'"\xb2"', b'"1\xb9"', b"\xb3"])
def test_non_ascii_digits_are_not_a_version(client, tenant, debtor, raw):
    """Headers arrive as latin-1: superscript digits pass str.isdigit() but not int()."""
    url = f"/v1/debtors/{debtor['id']}"
    response = client.patch(url, json={"name": "X"}, headers={**tenant.headers, "If-Match": raw})
    assert_problem(response, 412)
    assert _get(client, tenant, url).json() == debtor


def test_weak_form_of_the_current_etag_is_accepted(client, tenant, debtor):
    url = f"/v1/debtors/{debtor['id']}"
    etag = _get(client, tenant, url).headers["etag"]
    patched = client.patch(url, json={"name": "Weak"},
                           headers={**tenant.headers, "If-Match": f"W/{etag}"})
    assert patched.status_code == 200, patched.text


def test_creditor_patch_if_match(client, tenant):
    me = _get(client, tenant, "/v1/creditor")
    assert_problem(client.patch("/v1/creditor", json={"legal_name": "X"},
                                headers=tenant.headers), 428)
    patched = client.patch("/v1/creditor", json={"legal_name": "Leroy Bois"},
                           headers={**tenant.headers, "If-Match": me.headers["etag"]})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] != me.headers["etag"]
    stale = client.patch("/v1/creditor", json={"legal_name": "Stale"},
                         headers={**tenant.headers, "If-Match": me.headers["etag"]})
    assert_problem(stale, 412)
    now = _get(client, tenant, "/v1/creditor")
    assert now.json()["legal_name"] == "Leroy Bois"
    assert now.headers["etag"] == patched.headers["etag"]
    star = client.patch("/v1/creditor", json={"language": "en"},
                        headers={**tenant.headers, "If-Match": "*"})
    assert star.status_code == 200, star.text
    assert star.json()["language"] == "en" and star.json()["legal_name"] == "Leroy Bois"


def test_claim_etag_changes_after_an_action(client, tenant, debtor):
    claim = new_claim(client, tenant, debtor["id"])
    url = f"/v1/claims/{claim['id']}"
    before = _get(client, tenant, url).headers["etag"]
    acted = client.post(f"{url}/actions/hold", headers=tenant.headers)
    assert acted.status_code == 200
    after = _get(client, tenant, url).headers["etag"]
    assert after != before
    assert acted.headers["etag"] == after
