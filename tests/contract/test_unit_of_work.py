"""The unit of work's promises, on the fake, moto and DynamoDB Local alike: one change is
written whole or not at all, effects run only after a commit that succeeded, the limits of
one transaction are refused as input, and lists page in order with checked cursors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.amounts.account import ClaimAccount
from domain.amounts.ledger import Payment
from domain.claims.model import Claim, ClaimEvent, Invoice, Phase
from domain.creditors.model import Address, Creditor
from domain.debtors.model import Debtor, DebtorKind
from domain.ports import InvalidCursor, PageRequest
from domain.shared.errors import Conflict, DomainValidationError, StaleVersion
from domain.shared.language import Language

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def claim(n: int, *, debtor: str = "dbt_1", creditor: str = "cred_a",
          due: date = date(2026, 2, 1)) -> Claim:
    return Claim(id=f"clm_{n:03d}", creditor_id=creditor, debtor_id=debtor, currency="EUR",
                 invoices=[Invoice(f"F-{n}", due - timedelta(days=30), due, Decimal("100.00"))],
                 phase=Phase.AMICABLE, outstanding=Decimal("100.00"), created_at=NOW,
                 updated_at=NOW, event_count=1)


def event(c: Claim, seq: int, action: str = "note") -> ClaimEvent:
    return ClaimEvent(claim_id=c.id, seq=seq, at=NOW, action=action, actor="test")


def debtor(n: int, *, creditor: str = "cred_a", reference: str | None = None) -> Debtor:
    return Debtor(id=f"dbt_{n:03d}", creditor_id=creditor, kind=DebtorKind.BUSINESS,
                  name=f"Client {n}", country="FR", language=Language.FR,
                  external_reference=reference, created_at=NOW + timedelta(seconds=n))


def payment(n: int) -> Payment:
    return Payment(id=f"pay_{n}", amount=Decimal("10.00"), received_on=date(2026, 3, 1),
                   reference=f"VIR-{n}")


def add(units: Any, c: Claim, account: ClaimAccount | None = None) -> None:
    with units() as uow:
        uow.claims.add_claim(c, event(c, 1, "open"), account)
        uow.commit()


def test_a_change_past_one_hundred_writes_is_refused_and_writes_nothing(units: Any) -> None:
    effects: list[str] = []
    with units() as uow:
        for n in range(34):  # three writes each (claim, event, invoice number): 102
            c = claim(n)
            uow.claims.add_claim(c, event(c, 1, "open"))
        uow.after_commit(lambda: effects.append("ran"))
        with pytest.raises(DomainValidationError) as refused:
            uow.commit()
    assert refused.value.errors[0].code == "too_many_changes"
    assert refused.value.errors[0].field == "invoices"
    assert effects == []
    assert units().claims.get_claim("cred_a", "clm_000") is None


def test_an_object_past_400_kb_is_refused_naming_its_field(units: Any) -> None:
    c = claim(1)
    add(units, c)
    c.version = 2
    big = ClaimAccount(payments=[replace(payment(n), reference="X" * 120) for n in range(3000)])
    with units() as uow:
        uow.claims.save_claim(c, [event(c, 2)], 1, big)
        with pytest.raises(DomainValidationError) as refused:
            uow.commit()
    assert refused.value.errors[0].code == "too_large"
    assert refused.value.errors[0].field == "payments"
    stored = units().claims.get_claim_account("cred_a", c.id)
    assert stored is not None and stored[0].version == 1 and stored[1].payments == []


def test_effects_run_after_a_commit_that_succeeds_only(units: Any) -> None:
    effects: list[str] = []
    first = claim(1)
    with units() as uow:
        uow.claims.add_claim(first, event(first, 1, "open"))
        uow.after_commit(lambda: effects.append("scheduled"))
        assert effects == []  # not before the write
        uow.commit()
    assert effects == ["scheduled"]
    clash = replace(claim(2), invoices=first.invoices)
    with units() as uow:
        uow.claims.add_claim(clash, event(clash, 1, "open"))
        uow.after_commit(lambda: effects.append("never"))
        with pytest.raises(Conflict):
            uow.commit()
    assert effects == ["scheduled"]


def test_leaving_without_commit_discards_writes_and_effects(units: Any) -> None:
    effects: list[str] = []
    uow = units()
    with uow:
        c = claim(1)
        uow.claims.add_claim(c, event(c, 1, "open"))
        uow.after_commit(lambda: effects.append("ran"))
    with uow:
        uow.commit()  # nothing left to write or run
    assert effects == []
    assert units().claims.get_claim("cred_a", "clm_001") is None


def test_an_error_inside_the_block_writes_nothing(units: Any) -> None:
    with pytest.raises(RuntimeError), units() as uow:
        c = claim(1)
        uow.claims.add_claim(c, event(c, 1, "open"))
        raise RuntimeError("the use case failed half-way")
    assert units().claims.get_claim("cred_a", "clm_001") is None


def test_a_stale_save_writes_neither_account_nor_events(units: Any) -> None:
    c = claim(1)
    add(units, c, ClaimAccount())
    ahead = replace(c, version=2, event_count=2)
    with units() as uow:
        uow.claims.save_claim(ahead, [event(c, 2, "hold")], 1)
        uow.commit()
    behind = replace(c, version=2, event_count=3, outstanding=Decimal("90.00"))
    with units() as uow:
        uow.claims.save_claim(behind, [event(c, 3, "record_payment")], 1,
                              ClaimAccount(payments=[payment(1)]))
        with pytest.raises(StaleVersion):
            uow.commit()
    stored = units().claims.get_claim_account("cred_a", c.id)
    assert stored is not None
    assert stored[0].version == 2 and stored[0].outstanding == Decimal("100.00")
    assert stored[1].payments == []
    events = units().claims.list_events("cred_a", c.id, PageRequest()).items
    assert [e.action for e in events] == ["open", "hold"]


def test_an_event_already_written_makes_the_change_stale(units: Any) -> None:
    c = claim(1)
    add(units, c)
    with units() as uow:  # version matches, but seq 1 is taken: the timeline moved
        uow.claims.save_claim(replace(c, version=2), [event(c, 1, "hold")], 1)
        with pytest.raises(StaleVersion):
            uow.commit()
    assert units().claims.get_claim("cred_a", c.id) == c


def test_the_account_round_trips_beside_its_claim(units: Any) -> None:
    bare = claim(1)
    add(units, bare)
    loaded = units().claims.get_claim_account("cred_a", bare.id)
    assert loaded == (bare, ClaimAccount())  # a claim opened without an account has an empty one
    account = ClaimAccount(payments=[payment(1), payment(2)], contractual_rate=Decimal("0.1"),
                           formal_notice_on=date(2026, 3, 2))
    with_account = claim(2)
    add(units, with_account, account)
    assert units().claims.get_claim_account("cred_a", with_account.id) == (with_account, account)
    assert units().claims.get_claim_account("cred_b", with_account.id) is None
    assert units().claims.get_claim_account("cred_a", "clm_404") is None


def test_the_timeline_pages_in_sequence_with_checked_cursors(units: Any) -> None:
    c = claim(1)
    add(units, c)
    with units() as uow:
        uow.claims.save_claim(replace(c, version=2, event_count=7),
                              [event(c, seq) for seq in range(2, 8)], 1)
        uow.commit()
    seen: list[int] = []
    cursor = None
    while True:
        page = units().claims.list_events("cred_a", c.id, PageRequest(3, cursor))
        assert len(page.items) <= 3
        seen += [e.seq for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(range(1, 8))
    first = units().claims.list_events("cred_a", c.id, PageRequest(3))
    other = claim(2)
    add(units, other)
    with pytest.raises(InvalidCursor):  # a cursor of one claim's timeline is not another's
        units().claims.list_events("cred_a", other.id, PageRequest(3, first.next_cursor))
    with pytest.raises(InvalidCursor):
        units().claims.list_events("cred_b", c.id, PageRequest(3, first.next_cursor))


def test_the_claims_of_a_debtor_are_all_found_earliest_due_first(units: Any) -> None:
    for n, due in ((1, date(2026, 2, 9)), (2, date(2026, 1, 9)), (3, date(2026, 3, 9))):
        add(units, claim(n, debtor="dbt_x", due=due))
    add(units, claim(4, debtor="dbt_y"))
    add(units, claim(5, debtor="dbt_x", creditor="cred_b"))
    found = units().claims.claims_of_debtor("cred_a", "dbt_x")
    assert [c.id for c in found] == ["clm_002", "clm_001", "clm_003"]
    assert units().claims.claims_of_debtor("cred_a", "dbt_z") == []


def test_debtors_page_in_creation_order(units: Any) -> None:
    for n in (3, 1, 2, 4, 5):
        with units() as uow:
            uow.debtors.add_debtor(debtor(n))
            uow.commit()
    with units() as uow:
        uow.debtors.add_debtor(debtor(9, creditor="cred_b"))
        uow.commit()
    seen: list[str] = []
    cursor = None
    while True:
        page = units().debtors.list_debtors("cred_a", PageRequest(2, cursor))
        seen += [d.id for d in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"dbt_{n:03d}" for n in (1, 2, 3, 4, 5)]
    first = units().debtors.list_debtors("cred_a", PageRequest(2))
    with pytest.raises(InvalidCursor):
        units().debtors.list_debtors("cred_b", PageRequest(2, first.next_cursor))


def test_a_debtor_reference_moved_onto_a_taken_one_changes_nothing(units: Any) -> None:
    for n, reference in ((1, "C-1"), (2, "C-2")):
        with units() as uow:
            uow.debtors.add_debtor(debtor(n, reference=reference))
            uow.commit()
    moved = replace(debtor(2, reference="C-1"), version=2, name="Renamed")
    with units() as uow:
        uow.debtors.save_debtor(moved, 1, previous_reference="C-2")
        with pytest.raises(Conflict) as taken:
            uow.commit()
    assert taken.value.field_path == "external_reference"
    assert units().debtors.get_debtor("cred_a", "dbt_002") == debtor(2, reference="C-2")
    with units() as uow:  # C-2 is still held by dbt_002
        uow.debtors.add_debtor(debtor(3, reference="C-2"))
        with pytest.raises(Conflict):
            uow.commit()


def test_creditor_saves_are_conditional_and_keys_unknown_elsewhere(units: Any) -> None:
    creditor = Creditor(id="cred_a", legal_name="Leroy SARL", siren="732829320",
                        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
                        iban=None, bic=None, created_at=NOW, updated_at=NOW)
    with units() as uow:
        uow.creditors.add_creditor(creditor)
        uow.commit()
    with units() as uow:
        uow.creditors.add_creditor(creditor)
        with pytest.raises(Conflict):
            uow.commit()
    renamed = replace(creditor, legal_name="Leroy & Fils SARL", version=2)
    with units() as uow:
        uow.creditors.save_creditor(renamed, 1)
        uow.commit()
    with units() as uow:
        uow.creditors.save_creditor(replace(renamed, legal_name="Stale"), 1)
        with pytest.raises(StaleVersion):
            uow.commit()
    assert units().creditors.get_creditor("cred_a") == renamed
    assert units().api_keys.revoke_api_key("cred_a", "key_404", NOW) is None
    assert units().api_keys.list_api_keys("cred_a") == []
