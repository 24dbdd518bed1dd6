"""The cases of the hostile-client probe (issue 12), each named after what it proves:
no 500 after a write, no stored date that breaks a list, races replayed instead of
answered 412, an unknown outcome never run twice, control characters refused, no caching."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from adapters.dynamodb import DynamoRepository, DynamoUnitOfWork
from domain import services
from domain.claims.model import ClaimEvent, Invoice
from domain.debtors.model import DebtorKind
from domain.shared.errors import StaleVersion
from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import TABLE, new_claim, new_debtor


def _claims(client: Any, tenant: Any, **query: str) -> dict[str, Any]:
    response = client.get("/v1/claims", headers=tenant.headers, params=query)
    assert response.status_code == 200, response.text
    return dict(response.json())


# ------------------------------------------------------------------ dates at input

@pytest.mark.parametrize("kind,due", [("business", "9995-01-01"), ("consumer", "9998-01-01")])
def test_a_far_future_due_date_is_refused_before_anything_is_stored(client, tenant, kind, due):
    extra = {} if kind == "business" else {"siren": None, "name": "Claire Dubois"}
    debtor = new_debtor(client, tenant, kind=kind, **extra)
    response = client.post("/v1/claims", headers=tenant.headers, json=claim_body(
        debtor["id"], invoice(issue="2026-01-15", due=due)))
    assert_problem(response, 422, "invoices[0].due_date")
    assert _claims(client, tenant)["items"] == []
    # the refused invoice number was not reserved either
    ok = client.post("/v1/claims", headers=tenant.headers, json=claim_body(debtor["id"]))
    assert ok.status_code == 201, ok.text


def test_an_issue_date_centuries_ago_is_refused_naming_it(client, tenant):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", headers=tenant.headers, json=claim_body(
        debtor["id"], invoice(issue="1789-07-14", due="2026-02-15")))
    assert_problem(response, 422, "invoices[0].issue_date")


def test_the_date_window_is_a_century_either_side_of_today(client, tenant):
    debtor = new_debtor(client, tenant)
    inside = client.post("/v1/claims", headers=tenant.headers, json=claim_body(
        debtor["id"], invoice("F-in", issue="2026-01-15", due="2126-03-10")))
    assert inside.status_code == 201, inside.text
    outside = client.post("/v1/claims", headers=tenant.headers, json=claim_body(
        debtor["id"], invoice("F-out", issue="2026-01-15", due="2126-03-11")))
    assert_problem(outside, 422, "invoices[0].due_date")


def test_a_formal_notice_date_before_the_window_is_refused(client, tenant):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", headers=tenant.headers, json=claim_body(
        debtor["id"], formal_notice_on="1900-01-01"))
    assert_problem(response, 422, "formal_notice_on")


def test_a_payment_plan_starting_in_9999_is_refused_not_a_500(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    response = client.post(f"/v1/claims/{claim['id']}/payment-plan", headers=tenant.headers,
                           json={"count": 60, "first_due_on": "9999-12-01"})
    assert_problem(response, 422, "first_due_on")
    explicit = client.post(f"/v1/claims/{claim['id']}/payment-plan", headers=tenant.headers,
                           json={"instalments": [{"due_on": "2026-04-10", "amount": "600.00"},
                                                 {"due_on": "9999-12-31", "amount": "600.00"}]})
    assert_problem(explicit, 422, "instalments[1].due_on")
    assert client.get(f"/v1/claims/{claim['id']}/payment-plan",
                      headers=tenant.headers).status_code == 404


def test_a_statement_in_9999_on_a_paid_claim_is_refused_naming_at(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"], due="2026-03-20", amount="100.00")
    paid = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                       json={"amount": "100.00", "received_on": "2026-03-10"})
    assert paid.status_code == 201, paid.text
    assert paid.json()["claim"]["phase"] == "closed"
    response = client.get(f"/v1/claims/{claim['id']}/statement", headers=tenant.headers,
                          params={"at": "9999-12-31"})
    assert_problem(response, 422, "at")


def test_a_hold_until_the_end_of_time_is_refused(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    response = client.post(f"/v1/claims/{claim['id']}/actions/hold", headers=tenant.headers,
                           json={"until": "9999-12-31"})
    assert_problem(response, 422, "until")


def test_a_claim_stored_with_a_year_9998_due_date_is_still_listed_read_and_cancellable(
        client, tenant, repo: DynamoRepository, clock):
    # Stored before dates were bounded: the repair path.
    debtor = new_debtor(client, tenant, kind="consumer", siren=None, name="Claire Dubois")
    ordinary = new_claim(client, tenant, debtor["id"])
    stored = repo.get_claim(tenant.creditor_id, ordinary["id"])
    far = replace(stored, id="clm_far", invoices=[
        Invoice("F-far", date(9998, 1, 1), date(9998, 6, 1), stored.invoices[0].amount)],
        debtor_kind=DebtorKind.CONSUMER, event_count=1)
    repo.add_claim(far, ClaimEvent(claim_id=far.id, seq=1, at=clock.now(), action="open",
                                   actor="legacy"))
    for query in ({}, {"phase": far.phase.value}, {"debtor_id": debtor["id"]},
                  {"due_after": "2026-01-01"}):
        listed = _claims(client, tenant, **query)
        assert "clm_far" in [c["id"] for c in listed["items"]], query
    read = client.get("/v1/claims/clm_far", headers=tenant.headers)
    assert read.status_code == 200, read.text
    assert read.json()["invoices"][0]["limitation_date"] == "9999-12-31"  # saturated
    cancelled = client.post("/v1/claims/clm_far/actions/cancel", headers=tenant.headers,
                            json={"reason": "typo in the due date"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["outcome"] == "cancelled"


# ------------------------------------------------------------------ control characters

@pytest.mark.parametrize("number", ["F-001\n", "F-\x00001", "F-001\x7f", "F\u0085001"])
def test_a_control_character_in_an_invoice_number_is_refused_naming_it(client, tenant, number):
    debtor = new_debtor(client, tenant)
    response = client.post("/v1/claims", headers=tenant.headers,
                           json=claim_body(debtor["id"], invoice(number)))
    assert_problem(response, 400, "invoices[0].number")
    assert _claims(client, tenant)["items"] == []


def test_a_nul_in_a_debtor_name_is_refused(client, tenant):
    response = client.post("/v1/debtors", headers=tenant.headers,
                           json={"kind": "business", "name": "Boulangerie\x00 Martin"})
    assert_problem(response, 400, "name")


def test_a_trailing_newline_in_a_reference_is_refused(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    response = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                           json={"amount": "10.00", "received_on": "2026-03-01",
                                 "reference": "VIR-8812\n"})
    assert_problem(response, 400, "reference")
    ext = client.post("/v1/debtors", headers=tenant.headers, json={
        "kind": "business", "name": "Garage", "external_reference": "CUST-1\n"})
    assert_problem(ext, 400, "external_reference")


def test_line_breaks_stay_allowed_in_a_note_but_not_other_controls(client, tenant):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    path = f"/v1/claims/{claim['id']}/promises"
    bad = client.post(path, headers=tenant.headers, json={
        "amount": "100.00", "promised_on": "2026-03-20", "channel": "phone", "note": "a\x07b"})
    assert_problem(bad, 400, "note")
    good = client.post(path, headers=tenant.headers, json={
        "amount": "100.00", "promised_on": "2026-03-20", "channel": "phone",
        "note": "rappel du client :\n- paiera le 20\n- virement"})
    assert good.status_code == 201, good.text


# ------------------------------------------------------------------ caching

def test_reads_of_personal_data_and_ibans_are_never_cached(client, tenant):
    debtor = new_debtor(client, tenant)
    for path in ("/v1/creditor", f"/v1/debtors/{debtor['id']}", "/v1/debtors"):
        response = client.get(path, headers=tenant.headers)
        assert response.status_code == 200
        assert response.headers.get("cache-control") == "no-store", path


# ------------------------------------------------------------------ races

class _Race:
    """Lets another writer change the claim between a request's read and its commit, the
    first `races` times: the shape of four Lambdas paying one claim at once."""

    def __init__(self, races: int, rival: Any) -> None:
        self.races, self.rival, self.commits = races, rival, 0


class _RacingUnitOfWork(DynamoUnitOfWork):
    def __init__(self, client: Any, table: str, race: _Race) -> None:
        super().__init__(client, table)
        self.race = race

    def commit(self) -> None:
        self.race.commits += 1
        if self.race.races > 0:
            self.race.races -= 1
            self.race.rival()
        super().commit()


@pytest.fixture
def with_unit_of_work(app, ports):
    """Swap the app's unit of work for one built by `factory(client, table)`."""
    def install(factory: Any) -> None:
        client = ports.unit_of_work().table.client
        app.state.ports = replace(ports, unit_of_work=lambda: factory(client, TABLE))
    yield install
    app.state.ports = ports


@pytest.fixture
def racing(with_unit_of_work):
    def install(races: int, rival: Any) -> _Race:
        race = _Race(races, rival)
        with_unit_of_work(lambda client, table: _RacingUnitOfWork(client, table, race))
        return race
    return install


def test_a_payment_racing_another_is_replayed_not_answered_412(client, tenant, racing, ports):
    from domain.services import amounts

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])

    def rival() -> None:  # another function records its own payment in between
        amounts.record_payment(
            claim["id"], amounts.PaymentDraft(amount="50.00", received_on=date(2026, 3, 1),
                                              reference="RIVAL"),
            services.Caller(tenant.creditor_id, "rival"), ports)

    race = racing(1, rival)
    response = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                           json={"amount": "100.00", "received_on": "2026-03-02",
                                 "reference": "MINE"})
    assert response.status_code == 201, response.text
    assert race.commits == 2  # lost once, replayed once
    payments = client.get(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers).json()
    assert sorted(p["reference"] for p in payments["items"]) == ["MINE", "RIVAL"]
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    assert [e["action"] for e in events["items"]].count("record_payment") == 2


def test_a_change_that_keeps_losing_its_race_is_409_and_stores_nothing(client, tenant,
                                                                       with_unit_of_work):
    class AlwaysStale(DynamoUnitOfWork):
        def commit(self) -> None:
            raise StaleVersion("claim changed since it was read")

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    with_unit_of_work(AlwaysStale)
    response = client.post(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers,
                           json={"amount": "100.00", "received_on": "2026-03-02"})
    assert_problem(response, 409)
    assert client.get(f"/v1/claims/{claim['id']}/payments",
                      headers=tenant.headers).json()["items"] == []


def test_a_patch_with_if_match_still_answers_412_when_stale(client, tenant):
    debtor = new_debtor(client, tenant)
    path = f"/v1/debtors/{debtor['id']}"
    first = client.patch(path, headers={**tenant.headers, "If-Match": '"1"'},
                         json={"name": "A"})
    assert first.status_code == 200
    stale = client.patch(path, headers={**tenant.headers, "If-Match": '"1"'},
                         json={"name": "B"})
    assert_problem(stale, 412)


def test_contact_revalidation_racing_a_claim_change_notes_each_claim_once(
        client, tenant, racing, ports):
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])

    def rival() -> None:
        services.apply_action(claim["id"], services.ActionRequest("hold", "on the phone"),
                              services.Caller(tenant.creditor_id, "rival"), ports)

    racing(1, rival)
    response = client.post(f"/v1/debtors/{debtor['id']}/contact-validation",
                           headers=tenant.headers)
    assert response.status_code == 200, response.text
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    actions = [e["action"] for e in events["items"]]
    assert actions.count("contacts_validated") == 1
    assert actions.count("hold") == 1


# ------------------------------------------------------------------ unknown outcomes

def test_a_write_whose_outcome_is_unknown_keeps_its_idempotency_key(client, tenant,
                                                                     with_unit_of_work):
    class CommitsThenTimesOut(DynamoUnitOfWork):
        def commit(self) -> None:
            super().commit()  # committed…
            raise ReadTimeoutError(endpoint_url="http://dynamodb")  # …but never heard of

    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    with_unit_of_work(CommitsThenTimesOut)
    headers = {**tenant.headers, "Idempotency-Key": "import-7"}
    body = {"amount": "100.00", "received_on": "2026-03-02", "reference": "VIR-7"}
    first = client.post(f"/v1/claims/{claim['id']}/payments", headers=headers, json=body)
    assert first.status_code == 500
    retry = client.post(f"/v1/claims/{claim['id']}/payments", headers=headers, json=body)
    body_json = assert_problem(retry, 409)
    assert body_json["type"].endswith("idempotency-outcome-unknown")
    payments = client.get(f"/v1/claims/{claim['id']}/payments", headers=tenant.headers).json()
    assert len(payments["items"]) == 1


# ------------------------------------------------------------------ response size

_LONG_LINE = ("Boulevard du Maréchal Général Lieutenant Colonel Saint Docteur Professeur "
              "Président " * 2)[:200]
_HEAVY_ADDRESS = {"kind": "postal_address", "address": {
    "recipient": "Monsieur le Directeur Général Adjoint de la Société Anonyme " * 2,
    "lines": [_LONG_LINE] * 5, "postal_code": "75011",
    "city": "Saint-Rémy-lès-Chevreuse " * 7}}


def test_a_batch_whose_results_would_pass_lambdas_response_limit_is_refused(client, tenant):
    # ~790 such addresses fit in a 1 MiB request and once made a 7.2 MB answer.
    response = client.post("/v1/contact-validation", headers=tenant.headers,
                           json={"items": [_HEAVY_ADDRESS] * 790})
    body = assert_problem(response, 422, "items")
    assert body["errors"][0]["code"] == "response_too_large"
    fits = int(body["errors"][0]["message"].split("send at most ")[1].split()[0])
    accepted = client.post("/v1/contact-validation", headers=tenant.headers,
                           json={"items": [_HEAVY_ADDRESS] * fits})
    assert accepted.status_code == 200
    assert len(accepted.content) <= 5_000_000


# ------------------------------------------------------------------ transaction limits

def test_a_change_past_one_transactions_100_actions_is_refused_and_writes_nothing(
        client, tenant):
    # Re-validating a debtor notes each open claim in the same atomic write: 1 debtor item
    # and 2 per claim, so 50 open claims need 101 actions.
    debtor = new_debtor(client, tenant)
    for n in range(50):
        new_claim(client, tenant, debtor["id"], number=f"F-{n:03d}")
    before = client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).json()
    response = client.post(f"/v1/debtors/{debtor['id']}/contact-validation",
                           headers=tenant.headers)
    body = assert_problem(response, 422)
    assert body["errors"][0]["code"] == "too_many_changes"
    after = client.get(f"/v1/debtors/{debtor['id']}", headers=tenant.headers).json()
    assert after["version"] == before["version"]
    some = client.get("/v1/claims", headers=tenant.headers, params={"limit": 1}).json()
    events = client.get(f"/v1/claims/{some['items'][0]['id']}/events",
                        headers=tenant.headers).json()
    assert [e["action"] for e in events["items"]] == ["open"]
