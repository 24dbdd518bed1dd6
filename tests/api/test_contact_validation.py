"""POST /v1/contact-validation: the stateless batch check of phones, e-mails and postal
addresses. The rules themselves are covered in tests/unit/test_contacts_*.py; these tests
check what the HTTP API makes of them (shape, order, limits, auth, nothing stored, hostile
input, no personal data in logs)."""

from __future__ import annotations

import logging
import time
import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api._helpers import assert_problem, issue_key, scan_table, table_text
from tests.conftest import make_tenant

URL = "/v1/contact-validation"
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
          "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"}
STATUSES = {"valid", "invalid", "risky", "unverified"}

COMPANY = {"recipient": "Boulangerie Martin SAS",
           "lines": ["Service comptabilité", "3 place du Marché"],
           "postal_code": "69002", "city": "Lyon", "country": "FR"}
PERSON = {"recipient": "Mme Jeanne Martin", "lines": ["Appartement 12", "12 rue des Lilas"],
          "postal_code": "75011", "city": "paris", "country": "FR"}
BERLIN = {"recipient": "Bäckerei Müller GmbH", "lines": ["Unter den Linden 5"],
          "postal_code": "10115", "city": "Berlin", "country": "DE"}


def check(client: Any, headers: dict[str, str], items: list[dict[str, Any]],
          **options: Any) -> Any:
    return client.post(URL, json={"items": items, **options}, headers=headers)


def results(client: Any, headers: dict[str, str], items: list[dict[str, Any]],
            **options: Any) -> list[dict[str, Any]]:
    response = check(client, headers, items, **options)
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["items"]) == len(items)
    return list(body["items"])


def one(client: Any, headers: dict[str, str], item: dict[str, Any],
        **options: Any) -> dict[str, Any]:
    return results(client, headers, [item], **options)[0]


def phone(value: str) -> dict[str, Any]:
    return {"kind": "phone", "value": value}


def email(value: str) -> dict[str, Any]:
    return {"kind": "email", "value": value}


def postal(address: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "postal_address", "address": address}


# ------------------------------------------------------------------ shape and order


def test_mixed_batch_answers_in_order_with_the_input_as_given(client, tenant):
    items = [phone("06 12 34 56 78"), email("  Compta@Boulangerie-Martin.FR "),
             postal(COMPANY), phone("08 99 12 34 56"), email("jeanne.martin@example.org"),
             postal(BERLIN), phone("01 42 68 53 00")]
    response = check(client, tenant.headers, items, default_country="FR",
                     debtor_kind="business")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    out = body["items"]
    assert [r["index"] for r in out] == list(range(len(items)))
    assert [r["kind"] for r in out] == [i["kind"] for i in items]
    for given_item, result in zip(items, out, strict=True):
        assert result["input"]["value"] == given_item.get("value")  # byte for byte
        assert result["input"]["address"] == given_item.get("address")
        assert result["status"] in STATUSES
        assert isinstance(result["reasons"], list)
        assert isinstance(result["message"], str) and result["message"]
        assert isinstance(result["changes"], list)
        assert isinstance(result["channels"], list)
    assert out[0]["normalized"] == "+33612345678"
    assert out[1]["normalized"] == "Compta@boulangerie-martin.fr"
    assert out[1]["changes"], "trimming and lower-casing the domain are reported"
    assert isinstance(out[2]["normalized"], list)
    assert out[3]["status"] == "invalid"
    assert out[4]["status"] == "invalid"
    assert out[6]["line_type"] == "fixed_line"
    # line_type is for phones only
    assert all(r["line_type"] is None for r in out if r["kind"] != "phone")
    statuses = [r["status"] for r in out]
    assert body["summary"] == {s: statuses.count(s) for s in STATUSES}


def test_order_is_preserved_over_a_large_mixed_batch(client, tenant):
    # Distinct mobile numbers, interleaved with e-mails: each answer must sit at its own index.
    items: list[dict[str, Any]] = []
    for i in range(300):
        items.append(phone(f"06 12 34 {i // 100:02d} {i % 100:02d}"))
        items.append(email(f"client{i}@boulangerie-martin.fr"))
    out = results(client, tenant.headers, items)
    for i in range(300):
        assert out[2 * i]["normalized"] == f"+3361234{i // 100:02d}{i % 100:02d}"
        assert out[2 * i + 1]["normalized"] == f"client{i}@boulangerie-martin.fr"
        assert out[2 * i]["index"] == 2 * i and out[2 * i + 1]["index"] == 2 * i + 1


def test_one_thousand_items_are_accepted(client, tenant):
    items = [phone("06 12 34 56 78"), email("compta@boulangerie-martin.fr")] * 500
    response = check(client, tenant.headers, items)
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["items"]) == 1000
    assert body["summary"]["valid"] == 1000
    assert sum(body["summary"].values()) == 1000


def test_one_thousand_and_one_items_are_refused_naming_items(client, tenant):
    response = check(client, tenant.headers, [phone("06 12 34 56 78")] * 1001)
    assert_problem(response, 400, "items")


def test_an_empty_batch_is_refused(client, tenant):
    assert_problem(check(client, tenant.headers, []), 400, "items")


def test_request_shape_is_checked(client, tenant):
    assert_problem(check(client, tenant.headers, [{"kind": "fax", "value": "x"}]), 400)
    assert_problem(check(client, tenant.headers, [phone("0612345678")],
                         default_country="france"), 400, "default_country")
    assert_problem(check(client, tenant.headers, [phone("0612345678")],
                         debtor_kind="person"), 400, "debtor_kind")
    assert_problem(check(client, tenant.headers, [{**phone("0612345678"), "typo": 1}]), 400)
    assert_problem(client.post(URL, json={"itemz": []}, headers=tenant.headers), 400)


def test_a_point_without_what_its_kind_needs_is_a_safe_invalid_result(client, tenant):
    out = results(client, tenant.headers, [
        {"kind": "phone"}, {"kind": "email", "address": BERLIN},
        {"kind": "postal_address", "value": "3 place du Marché, Lyon"}])
    for result in out:
        assert result["status"] == "invalid"
        assert result["reasons"] == ["empty"]
        assert result["normalized"] is None and result["channels"] == []


# ------------------------------------------------------------------ nothing stored


def test_nothing_is_written_to_the_table(client, tenant, ddb, calls):
    before = scan_table(ddb)
    calls.reset()
    items = [phone("06 12 34 56 78"), email("zoe.vasseur-quintal@orange.fr"), postal(COMPANY)]
    results(client, tenant.headers, items)
    results(client, tenant.headers, items, debtor_kind="consumer")
    assert not WRITES & set(calls.calls), calls.calls
    assert scan_table(ddb) == before
    assert "zoe.vasseur-quintal" not in table_text(ddb)


def test_nothing_is_stored_even_with_an_idempotency_key(client, tenant, ddb):
    """A stateless check must not leave the contacts it was shown in the table, not even
    as the replay copy of an idempotent POST."""
    response = client.post(URL, json={"items": [email("zoe.vasseur-quintal@orange.fr"),
                                                phone("06 98 76 54 32")]},
                           headers={**tenant.headers, "Idempotency-Key": "check-1"})
    assert response.status_code == 200, response.text
    stored = table_text(ddb)
    assert "zoe.vasseur-quintal" not in stored
    assert "+33698765432" not in stored and "06 98 76 54 32" not in stored


# ------------------------------------------------------------------ auth and tenancy


def test_needs_an_api_key(client):
    response = client.post(URL, json={"items": [phone("06 12 34 56 78")]})
    assert_problem(response, 401)
    response = client.post(URL, json={"items": [phone("06 12 34 56 78")]},
                           headers={"X-API-Key": "rlk_not_a_key"})
    assert_problem(response, 401)


def test_a_read_only_key_may_check(client, tenant):
    read_only = issue_key(client, tenant, "read")
    result = one(client, {"X-API-Key": read_only["secret"]}, phone("06 12 34 56 78"))
    assert result["status"] == "valid"


def test_the_calling_tenant_makes_no_difference(client, tenant):
    other = make_tenant(client, "Plomberie Durand EURL")
    items = [phone("06 12 34 56 78"), email("compta@boulangerie-martin.fr"), postal(PERSON)]
    # The first tenant knows this debtor; the second does not: the answers are the same.
    created = client.post("/v1/debtors", json={"kind": "business", "name": "Boulangerie Martin",
                                               "contact_points": items[:2]},
                          headers=tenant.headers)
    assert created.status_code == 201, created.text
    mine = check(client, tenant.headers, items, debtor_kind="consumer")
    theirs = check(client, other.headers, items, debtor_kind="consumer")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json() == theirs.json()


# ------------------------------------------------------------------ phones


def test_mobile_numbers_can_take_sms_landlines_cannot(client, tenant):
    mobile, landline = results(client, tenant.headers,
                               [phone("06 12 34 56 78"), phone("01 42 68 53 00")])
    assert mobile["status"] == "valid" and mobile["line_type"] == "mobile"
    assert "sms" in mobile["channels"] and "phone" in mobile["channels"]
    assert landline["status"] == "valid" and landline["line_type"] == "fixed_line"
    assert landline["normalized"] == "+33142685300"
    assert "sms" not in landline["channels"] and "phone" in landline["channels"]


def test_premium_rate_numbers_are_invalid(client, tenant):
    result = one(client, tenant.headers, phone("08 99 12 34 56"))
    assert result["status"] == "invalid"
    assert "premium_rate" in result["reasons"]
    assert result["channels"] == []


def test_international_spellings_normalise_to_e164(client, tenant):
    out = results(client, tenant.headers, [phone("+33 (0)6 12 34 56 78"),
                                           phone("0033612345678"), phone("+33612345678"),
                                           phone("06.12.34.56.78")])
    assert [r["normalized"] for r in out] == ["+33612345678"] * 4
    assert all(r["status"] == "valid" for r in out)
    assert out[0]["input"]["value"] == "+33 (0)6 12 34 56 78"


def test_reunion_mobile_in_french_national_format(client, tenant):
    result = one(client, tenant.headers, phone("0692 12 34 56"), default_country="FR")
    assert result["status"] == "valid"
    assert result["normalized"] == "+262692123456"
    assert result["line_type"] == "mobile"
    assert result["changes"], "reading the number in Réunion's numbering is reported"


def test_default_country_is_the_region_of_national_numbers(client, tenant):
    french = one(client, tenant.headers, phone("0470 12 34 56"), default_country="FR")
    belgian = one(client, tenant.headers, phone("0470 12 34 56"), default_country="BE")
    assert french["normalized"] == "+33470123456"
    assert belgian["normalized"] == "+32470123456"
    unknown = one(client, tenant.headers, phone("06 12 34 56 78"), default_country="ZZ")
    assert unknown["status"] == "invalid" and "unknown_country" in unknown["reasons"]


# ------------------------------------------------------------------ e-mails


def test_role_account_is_risky_for_a_consumer_but_valid_for_a_business(client, tenant):
    item = email("contact@boulangerie-martin.fr")
    business = one(client, tenant.headers, item, debtor_kind="business")
    consumer = one(client, tenant.headers, item, debtor_kind="consumer")
    assert business["status"] == "valid" and "role_account" in business["reasons"]
    assert consumer["status"] == "risky" and "role_account" in consumer["reasons"]
    assert business["channels"] == consumer["channels"] == ["email"]


def test_debtor_kind_defaults_to_business(client, tenant):
    result = one(client, tenant.headers, email("contact@boulangerie-martin.fr"))
    assert result["status"] == "valid"


def test_invalid_email_has_a_reason_and_a_message(client, tenant):
    result = one(client, tenant.headers, email("jeanne.martin@example.org"))
    assert result["status"] == "invalid"
    assert result["reasons"] == ["reserved_domain"]
    assert "example.org" in result["message"]
    assert result["channels"] == []


# ------------------------------------------------------------------ postal addresses


def test_afnor_block_for_a_company(client, tenant):
    result = one(client, tenant.headers, postal(COMPANY), debtor_kind="business")
    assert result["status"] == "valid"
    assert result["normalized"] == ["Boulangerie Martin SAS", "Service comptabilité",
                                    "3 PLACE DU MARCHE", "69002 LYON"]
    assert result["channels"] == ["letter"]
    assert result["changes"]
    assert result["input"]["address"] == COMPANY


def test_afnor_block_for_a_person(client, tenant):
    result = one(client, tenant.headers, postal(PERSON), debtor_kind="consumer")
    assert result["status"] == "valid"
    assert result["normalized"] == ["Mme Jeanne Martin", "Appartement 12",
                                    "12 RUE DES LILAS", "75011 PARIS"]
    assert len(result["normalized"]) <= 6
    assert all(len(line) <= 38 for line in result["normalized"])
    assert result["input"]["address"] == PERSON


def test_a_foreign_address_keeps_its_lines(client, tenant):
    result = one(client, tenant.headers, postal(BERLIN))
    assert result["status"] == "valid"
    block = result["normalized"]
    assert block[0] == "Bäckerei Müller GmbH"
    assert "Unter den Linden 5" in block  # not upper-cased nor stripped of its umlauts
    assert block[-2] == "10115 BERLIN"
    assert block[-1] == "ALLEMAGNE"  # the country, in French, as the last line
    assert result["input"]["address"] == BERLIN


def test_address_defaults_are_echoed(client, tenant):
    result = one(client, tenant.headers, postal({"recipient": "Jeanne Martin"}))
    assert result["status"] == "invalid"
    assert {"missing_postal_code", "missing_city"} <= set(result["reasons"])
    assert result["input"]["address"] == {"recipient": "Jeanne Martin", "lines": [],
                                          "postal_code": "", "city": "", "country": "FR"}


def test_a_street_named_after_a_person_is_shortened_down_to_its_surname(client, tenant):
    """AFNOR NF Z10-011 / La Poste abbreviations: once the type and the title are
    abbreviated, the first names go to their initials and the initials go, the surname
    stays. This address used to be refused as too long."""
    address = {"recipient": "Mme Jeanne Martin",
               "lines": ["12 rue du Général Marie Joseph Paul Yves Roch Gilbert du Motier "
                         "de La Fayette"],
               "postal_code": "75009", "city": "Paris", "country": "FR"}
    result = one(client, tenant.headers, postal(address), debtor_kind="consumer")
    assert result["status"] == "valid", result["message"]
    assert result["normalized"] == ["Mme Jeanne Martin", "12 RUE DU GAL DU MOTIER DE LA FAYETTE",
                                    "75009 PARIS"]
    assert result["channels"] == ["letter"]
    assert result["reasons"] == ["line_too_long_abbreviated"]
    line = "line 2 (AFNOR line 4): "
    fit = " to fit 38 characters"
    assert f"{line}'GENERAL' abbreviated to 'GAL'{fit}" in result["changes"]
    assert f"{line}first name 'MARIE' reduced to its initial 'M'{fit}" in result["changes"]
    assert f"{line}initial 'M' dropped{fit}" in result["changes"]
    again = one(client, tenant.headers, postal({**address, "lines": result["normalized"][1:2],
                                                "city": "PARIS"}), debtor_kind="consumer")
    assert again["normalized"] == result["normalized"] and again["changes"] == []


# ------------------------------------------------------------------ hostile input

HOSTILE = [
    "jean\x00martin@orange.fr",
    "06 12\x00 34 56 78",
    "jean\x07@orange.fr\r\nBcc: tous@orange.fr",
    "<script>alert(1)</script>@orange.fr",
    "<b>06 12 34 56 78</b>",
    "&lt;06&gt;12345678",
    "jean\u202emartin@orange.fr",
    "\u202e87 65 43 21 60",
    "\u2066jean@orange.fr\u2069",
    "😀@orange.fr",
    "06 12 34 56 78 📞",
    "x" * 10_000,
    "\u202e" * 10_000,
    "é" * 10_000,
]
UNSAFE = {chr(c) for c in range(0x20)} | {"\x7f", "\u202a", "\u202b", "\u202c", "\u202d",
                                          "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def _assert_safe_invalid(result: dict[str, Any]) -> None:
    assert result["status"] == "invalid", result
    assert result["reasons"], result
    assert result["normalized"] is None
    assert result["channels"] == []
    assert not UNSAFE & set(result["message"]), repr(result["message"])
    assert len(result["message"]) < 2_000


def test_hostile_values_give_a_safe_invalid_result(client, tenant):
    for kind in ("email", "phone"):
        out = results(client, tenant.headers, [{"kind": kind, "value": v} for v in HOSTILE])
        for value, result in zip(HOSTILE, out, strict=True):
            _assert_safe_invalid(result)
            assert result["input"]["value"] == value  # echoed as given, not altered


def test_hostile_address_fields_give_a_safe_invalid_result(client, tenant):
    items = []
    for value in HOSTILE:
        items.append(postal({"recipient": value[:200], "lines": ["3 place du Marché"],
                             "postal_code": "69002", "city": "Lyon"}))
        items.append(postal({"recipient": "Boulangerie Martin", "lines": [value[:200]],
                             "postal_code": "69002", "city": "Lyon"}))
        items.append(postal({"recipient": "Boulangerie Martin", "lines": ["3 place du Marché"],
                             "postal_code": value[:20], "city": value[:200]}))
    for result in results(client, tenant.headers, items):
        _assert_safe_invalid(result)


def test_too_long_values_are_refused_with_a_clear_4xx(client, tenant):
    response = check(client, tenant.headers, [phone("06 12 34 56 78"), email("a" * 10_001)])
    assert_problem(response, 400, "items[1].value")
    response = check(client, tenant.headers,
                     [postal({**COMPANY, "lines": ["x" * 201]})])
    assert_problem(response, 400)
    response = check(client, tenant.headers,
                     [postal({**COMPANY, "lines": ["3 place du Marché"] * 6})])
    assert_problem(response, 400)


def test_pathological_phone_values_are_answered_promptly(client, tenant):
    """A batch is answered in time whatever its values: a digit followed by ~300 spaces
    must not cost the service more than an ordinary number does (a 1,000-item batch of
    them would otherwise run for minutes, past the gateway's timeout)."""
    values = ["0" + " " * 318 + "a", "1" + "\u00a0" * 318 + "x", "0" + " \u00a0" * 159]
    items = [phone(values[i % len(values)]) for i in range(24)]
    started = time.perf_counter()
    out = results(client, tenant.headers, items)
    elapsed = time.perf_counter() - started
    assert all(r["status"] == "invalid" for r in out)
    assert elapsed < 3.0, f"24 phone values took {elapsed:.1f} s"


def test_malformed_bodies_are_4xx(client, tenant):
    headers = {**tenant.headers, "content-type": "application/json"}
    bodies = [b"", b"null", b"[]", b"{", b'{"items": [{"kind": "phone", "value": "\xff"}]}',
              b'{"items": [{"kind": "email", "value": "\\ud800@orange.fr"}]}',
              b'{"items": "' + b"x" * 2_000_000 + b'"}',
              b'{"items": [' + b"[" * 10_000 + b"]" * 10_000 + b"]}"]
    for body in bodies:
        response = client.post(URL, content=body, headers=headers)
        assert 400 <= response.status_code < 500, (body[:40], response.status_code)


_hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1FFFF,
                                   exclude_categories=["Cs"]), max_size=80),
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b: a + b, st.sampled_from(["06 12 34 56 78", "jean@orange.fr"]),
              st.text(alphabet="\x00\u202e\u200b<>&😀\r\n\t\u00a0", max_size=5)),
    st.text(alphabet="0123456789 +()-./", max_size=30),
    st.just("é" * 10_000),
)
_short = _hostile_text.map(lambda s: s[:200])
_address = st.fixed_dictionaries(
    {"recipient": _short.filter(bool)},
    optional={"lines": st.lists(_short, max_size=5),
              "postal_code": _hostile_text.map(lambda s: s[:20]),
              "city": _short,
              "country": st.sampled_from(["FR", "DE", "RE", "ZZ", "fr", "", "FRA"])})
_item = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["phone", "email"]),
                           "value": _hostile_text}),
    st.fixed_dictionaries({"kind": st.just("postal_address"), "address": _address}),
    st.fixed_dictionaries({"kind": st.sampled_from(["phone", "email", "postal_address", "fax"])},
                          optional={"value": st.one_of(st.none(), _hostile_text,
                                                       st.integers()),
                                    "address": st.one_of(st.none(), _address),
                                    "label": _short}),
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(items=st.lists(_item, min_size=1, max_size=8),
       country=st.sampled_from(["FR", "BE", "RE", "ZZ", "XK"]),
       kind=st.sampled_from(["business", "consumer"]))
def test_random_items_never_cause_a_server_error(client, tenant, items, country, kind):
    response = check(client, tenant.headers, items, default_country=country, debtor_kind=kind)
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        out = response.json()["items"]
        assert len(out) == len(items)
        assert [r["index"] for r in out] == list(range(len(items)))
        for result in out:
            assert result["status"] in STATUSES
            assert not UNSAFE & set(result["message"]), repr(result["message"])


# ------------------------------------------------------------------ no personal data in logs

NAME = "Zéphyrine Quatrebarbes-Vasseur"
MAIL = "zephyrine.quatrebarbes@orange.fr"
PHONE = "06 98 76 54 32"
SECRETS = [NAME, "Quatrebarbes", "quatrebarbes", MAIL, PHONE, "+33698765432", "0698765432",
           "QUATREBARBES"]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())
        self.texts.append(repr(record.args))
        self.texts.append(repr({k: v for k, v in vars(record).items()
                                if k not in ("msg", "args")}))


def _leaks(texts: list[str]) -> list[str]:
    joined = unicodedata.normalize("NFC", "\n".join(texts))
    return [s for s in SECRETS if s in joined]


def test_personal_data_never_reaches_a_log_line(client, tenant, caplog, capsys):
    relance = logging.getLogger("relance")
    capture = _Capture()
    relance.addHandler(capture)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="relance")
    try:
        body = {"debtor_kind": "consumer", "items": [
            email(MAIL), phone(PHONE),
            postal({"recipient": NAME, "lines": ["7 impasse des Mésanges"],
                    "postal_code": "35000", "city": "Rennes"}),
            email("quatrebarbes@example.org"), phone("06 98 76 54 32 😀"),
            postal({"recipient": NAME + "\u202e", "lines": ["<b>Quatrebarbes</b>"]})]}
        response = client.post(URL, json=body, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert MAIL in response.text  # the caller does get its data back
        # A request refused by the schema must not log what it carried either.
        refused = client.post(URL, json={**body, "default_country": "France"},
                              headers=tenant.headers)
        assert refused.status_code == 400
    finally:
        relance.removeHandler(capture)
    assert caplog.records, "logging was captured"
    texts = [r.getMessage() for r in caplog.records] + capture.texts
    texts += [repr(r.args) for r in caplog.records]
    assert _leaks(texts) == []
    out, err = capsys.readouterr()
    assert _leaks([out, err]) == []


def test_an_unexpected_failure_logs_no_personal_data(client, tenant, caplog, capsys,
                                                     monkeypatch):
    import domain.debtors.contacts

    def explode(point, *args, **kwargs):
        raise RuntimeError(f"could not check {point.value!r} of {NAME}")

    monkeypatch.setattr(domain.debtors.contacts, "check_contact_point", explode)
    relance = logging.getLogger("relance")
    capture = _Capture()
    relance.addHandler(capture)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="relance")
    try:
        response = client.post(URL, json={"items": [email(MAIL)]}, headers=tenant.headers)
    finally:
        relance.removeHandler(capture)
    assert_problem(response, 500)
    assert MAIL not in response.text and NAME not in response.text
    assert capture.texts, "the failure is logged"
    texts = capture.texts + [r.getMessage() for r in caplog.records]
    assert _leaks(texts) == []
    out, _ = capsys.readouterr()  # stderr may carry the test-only traceback
    assert _leaks([out]) == []
