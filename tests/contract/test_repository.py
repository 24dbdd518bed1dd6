"""The repositories' promises, checked on the in-memory fake, moto and DynamoDB Local alike."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from adapters.dynamodb import create_table
from adapters.dynamodb.idempotency import DynamoIdempotencyStore
from domain.claims.model import Claim, ClaimEvent, Invoice, Phase
from domain.creditors.model import ApiKey
from domain.debtors.model import ContactKind, ContactPoint, Debtor, DebtorKind, PostalAddress
from domain.ports import ClaimFilter, PageRequest
from domain.shared.errors import Conflict, DomainValidationError, StaleVersion
from domain.shared.language import Language

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def claim(n: int, *, due: date, phase: Phase = Phase.AMICABLE, debtor: str = "dbt_1",
          creditor: str = "cred_a", numbers: tuple[str, ...] | None = None) -> Claim:
    invoices = [Invoice(num, due - timedelta(days=30), due, Decimal("100.00"))
                for num in (numbers or (f"F-{n}",))]
    return Claim(id=f"clm_{n:03d}", creditor_id=creditor, debtor_id=debtor, currency="EUR",
                 invoices=invoices, phase=phase, outstanding=Decimal("100.00"), created_at=NOW,
                 updated_at=NOW, event_count=1)


def opened(c: Claim) -> ClaimEvent:
    return ClaimEvent(claim_id=c.id, seq=1, at=NOW, action="open", actor="test")


def test_claim_round_trips_exactly(store: Any) -> None:
    original = claim(1, due=date(2026, 2, 1))
    store.add_claim(original, opened(original))
    loaded = store.get_claim("cred_a", original.id)
    assert loaded == original
    assert loaded is not None and loaded.outstanding == Decimal("100.00")
    assert store.get_claim("cred_b", original.id) is None  # another tenant sees nothing


def test_invoice_number_is_unique_per_creditor_and_nothing_half_written(
        store: Any) -> None:
    first = claim(1, due=date(2026, 2, 1), numbers=("F-1", "F-2"))
    store.add_claim(first, opened(first))
    clash = claim(2, due=date(2026, 2, 1), numbers=("F-9", "F-2"))
    with pytest.raises(Conflict) as raised:
        store.add_claim(clash, opened(clash))
    assert raised.value.field_path == "invoices[1].number"
    assert store.get_claim("cred_a", clash.id) is None
    assert store.list_events("cred_a", clash.id, PageRequest()).items == []
    # F-9 was not reserved by the failed attempt, and another tenant may use F-2.
    again = claim(3, due=date(2026, 2, 1), numbers=("F-9",))
    store.add_claim(again, opened(again))
    other = claim(4, due=date(2026, 2, 1), numbers=("F-2",), creditor="cred_b")
    store.add_claim(other, opened(other))


def test_save_is_conditional_on_version(store: Any) -> None:
    c = claim(1, due=date(2026, 2, 1))
    store.add_claim(c, opened(c))
    c.version = 2
    event = ClaimEvent(claim_id=c.id, seq=2, at=NOW, action="hold", actor="test")
    store.save_claim(c, [event], expected_version=1)
    with pytest.raises(StaleVersion):
        store.save_claim(c, [ClaimEvent(claim_id=c.id, seq=3, at=NOW, action="resume",
                                        actor="test")], expected_version=1)
    events = store.list_events("cred_a", c.id, PageRequest()).items
    assert [e.action for e in events] == ["open", "hold"]


def test_listing_filters_and_pages(store: Any) -> None:
    days = [date(2026, 1, d) for d in (5, 10, 15, 20, 25)]
    for n, due in enumerate(days):
        c = claim(n, due=due, phase=Phase.PRE_DUE if n % 2 else Phase.AMICABLE,
                  debtor="dbt_x" if n < 2 else "dbt_y")
        store.add_claim(c, opened(c))
    seen, cursor = [], None
    while True:
        page = store.list_claims("cred_a", ClaimFilter(), PageRequest(2, cursor))
        seen += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"clm_{n:03d}" for n in range(5)]
    between = store.list_claims("cred_a", ClaimFilter(due_after=date(2026, 1, 5),
                                                      due_before=date(2026, 1, 25)), PageRequest())
    assert [c.id for c in between.items] == ["clm_001", "clm_002", "clm_003"]
    pre_due = store.list_claims("cred_a", ClaimFilter(phase=Phase.PRE_DUE), PageRequest())
    assert [c.id for c in pre_due.items] == ["clm_001", "clm_003"]
    of_y = store.list_claims("cred_a", ClaimFilter(debtor_id="dbt_y", phase=Phase.AMICABLE),
                             PageRequest())
    assert [c.id for c in of_y.items] == ["clm_002", "clm_004"]
    assert store.list_claims("cred_b", ClaimFilter(), PageRequest()).items == []


def test_forged_cursor_is_refused(store: Any) -> None:
    for n in (1, 2):
        c = claim(n, due=date(2026, 2, n))
        store.add_claim(c, opened(c))
    first = store.list_claims("cred_a", ClaimFilter(), PageRequest(1))
    assert first.next_cursor is not None
    plain = base64.urlsafe_b64decode(first.next_cursor).decode()
    forged = base64.urlsafe_b64encode(plain.replace("cred_a", "cred_b").encode()).decode()
    for cursor in ("garbage!", forged, base64.urlsafe_b64encode(b"[1, 2]").decode()):
        with pytest.raises(DomainValidationError):
            store.list_claims("cred_b", ClaimFilter(), PageRequest(1, first.next_cursor))
        with pytest.raises(DomainValidationError):
            store.list_claims("cred_a", ClaimFilter(), PageRequest(1, cursor))


def test_debtor_reference_uniqueness(store: Any) -> None:
    point = ContactPoint(id="cp_1", kind=ContactKind.POSTAL_ADDRESS, address=PostalAddress(
        "Boulangerie Martin", ("3 rue Neuve",), "33000", "Bordeaux", "FR"))
    a = Debtor(id="dbt_a", creditor_id="cred_a", kind=DebtorKind.BUSINESS, name="Martin",
               country="FR", language=Language.FR, external_reference="C-1",
               contact_points=[point], created_at=NOW)
    store.add_debtor(a)
    assert store.get_debtor("cred_a", "dbt_a") == a
    b = Debtor(id="dbt_b", creditor_id="cred_a", kind=DebtorKind.CONSUMER, name="Dubois",
               country="FR", language=Language.FR, external_reference="C-1", created_at=NOW)
    with pytest.raises(Conflict):
        store.add_debtor(b)
    assert store.get_debtor("cred_a", "dbt_b") is None
    a.external_reference, a.version = "C-2", 2
    store.save_debtor(a, 1, previous_reference="C-1")
    store.add_debtor(b)  # C-1 was freed
    assert [d.id for d in store.list_debtors("cred_a", PageRequest()).items] == ["dbt_a", "dbt_b"]


def test_api_keys_are_found_by_hash_and_revoked(store: Any) -> None:
    key = ApiKey(id="key_1", creditor_id="cred_a", secret_hash="ab" * 32, scopes=("read",),
                 name="erp", prefix="rlk_abcdef", created_at=NOW)
    store.add_api_key(key)
    assert store.find_api_key("ab" * 32) == key
    revoked = store.revoke_api_key("cred_a", "key_1", NOW)
    assert revoked is not None and revoked.revoked_at == NOW
    found = store.find_api_key("ab" * 32)
    assert found is not None and found.revoked_at == NOW
    assert store.revoke_api_key("cred_b", "key_1", NOW) is None
    assert [k.id for k in store.list_api_keys("cred_a")] == ["key_1"]


def test_idempotency_claim_returns_the_holder(backend: tuple[object, str]) -> None:
    client, table = backend
    idem = DynamoIdempotencyStore(client, table)
    assert idem.claim("cred_a", "k1", "h1") is None
    held = idem.claim("cred_a", "k1", "h2")
    assert held is not None and held.status == "in_progress" and held.request_hash == "h1"
    idem.complete("cred_a", "k1", 201, b'{"id":"x"}', "application/json", {"etag": '"1"'})
    done = idem.claim("cred_a", "k1", "h1")
    assert done is not None and done.status == "completed" and done.body == b'{"id":"x"}'
    assert idem.claim("cred_b", "k1", "h1") is None  # scoped per creditor


def test_engines_disagree_on_one_character_table_names(backend: tuple[object, str]) -> None:
    """DynamoDB requires table names of 3 to 255 characters; moto lets 'x' through. We only
    ever create tables from template.yaml or create_table with a real name."""
    client, _table = backend
    is_moto = "127.0.0.1" not in client.meta.endpoint_url
    if is_moto:
        create_table(client, "x")
        assert "x" in client.list_tables()["TableNames"]
    else:
        with pytest.raises(ClientError):
            create_table(client, "x")


def test_debtor_and_creditor_come_back_in_one_batch(store: Any) -> None:
    from domain.creditors.model import Address, Creditor

    creditor = Creditor(id="cred_a", legal_name="Leroy SARL", siren="732829320",
                        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
                        iban=None, bic=None, created_at=NOW, updated_at=NOW)
    store.add_creditor(creditor)
    debtor = Debtor(id="dbt_a", creditor_id="cred_a", kind=DebtorKind.BUSINESS, name="Martin",
                    country="FR", language=Language.FR, created_at=NOW)
    store.add_debtor(debtor)
    assert store.get_debtor_with_creditor("cred_a", "dbt_a") == (debtor, creditor)
    assert store.get_debtor_with_creditor("cred_a", "dbt_x") == (None, creditor)
    assert store.get_debtor_with_creditor("cred_b", "dbt_a") == (None, None)


def test_interest_settings_round_trip_and_older_items_read_with_the_defaults(
        backend: tuple[Any, str]) -> None:
    """A creditor's and a claim's interest settings are stored; a creditor or claim item
    written before they existed (its `data` without them) reads with the defaults."""
    import json
    from dataclasses import replace

    from adapters.dynamodb import DynamoRepository
    from adapters.dynamodb.keys import claim_pk, tenant
    from domain.creditors.model import Address, Creditor

    client, table = backend
    store = DynamoRepository(client, table)
    creditor = Creditor(id="cred_a", legal_name="Leroy SARL", siren="732829320",
                        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
                        iban=None, bic=None, interest_day_count="inclusive",
                        below_floor_policy="statutory_default")
    store.add_creditor(creditor)
    original = replace(claim(1, due=date(2026, 2, 1)), interest_day_count="inclusive",
                       below_floor_policy="statutory_default")
    store.add_claim(original, opened(original))
    assert store.get_debtor_with_creditor("cred_a", "dbt_x") == (None, creditor)
    assert store.get_claim("cred_a", original.id) == original

    for pk, sk in ((tenant("cred_a"), "CREDITOR"), (claim_pk("cred_a", original.id), "META")):
        item = client.get_item(TableName=table, Key={"PK": {"S": pk}, "SK": {"S": sk}})["Item"]
        data = json.loads(item["data"]["S"])
        del data["interest_day_count"], data["below_floor_policy"]
        item["data"] = {"S": json.dumps(data)}
        client.put_item(TableName=table, Item=item)
    older = store.get_debtor_with_creditor("cred_a", "dbt_x")[1]
    assert older is not None
    assert (older.interest_day_count, older.below_floor_policy) == ("date_difference", "floor")
    older_claim = store.get_claim("cred_a", original.id)
    assert older_claim is not None
    assert (older_claim.interest_day_count, older_claim.below_floor_policy) == (
        "date_difference", "floor")
