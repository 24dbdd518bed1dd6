"""The letters' repository promises, on the fake, moto and DynamoDB Local alike: a letter
is stored with its content and read back whole, saved only from the version read (its
content never rewritten), a structured reference belongs to one claim, and a dispatch is
found from the provider's id and listed while in flight only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.letters.content import (
    AddressFrame,
    Amounts,
    InvoiceLine,
    LetterContent,
    Party,
)
from domain.letters.epc import CreditTransfer
from domain.letters.model import (
    Dispatch,
    DispatchMode,
    DispatchStatus,
    Letter,
    LetterEmail,
    LetterKind,
    LetterStatus,
)
from domain.ports.letters import DispatchRef
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.language import Language

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
D = Decimal


def letter(n: int, *, claim: str = "clm_1", at: datetime = NOW) -> Letter:
    return Letter(id=f"ltr_{n:03d}", creditor_id="cred_a", claim_id=claim,
                  kind=LetterKind.REMINDER_1, language=Language.FR,
                  status=LetterStatus.RENDERING, requested_at=at, updated_at=at,
                  requested_by="test", issued_on=at.date(), payment_reference="RF18539007547034")


def content(n: int) -> LetterContent:
    return LetterContent(
        kind=LetterKind.REMINDER_1, language=Language.FR, letter_id=f"ltr_{n:03d}",
        issued_on=date(2026, 3, 10), place="Lyon",
        creditor=Party("Menuiserie Leroy SARL", ("8 rue des Lilas", "69003 Lyon"), "732829320"),
        debtor=Party("Boulangerie Martin", ("BOULANGERIE MARTIN", "75002 PARIS")),
        consumer=False, our_reference="clm_1",
        invoices=(InvoiceLine("F-1", date(2026, 1, 1), date(2026, 1, 15), D("1200.00"), D(0),
                              D("1261.57"), D("1200.00"), D("21.57"), D("40.00"),
                              date(2031, 1, 15)),),
        amounts=Amounts("EUR", D("1200.00"), D("21.57"), D("40.00"), D("1261.57"), D(0), (),
                        D("40.00")),
        transfer=CreditTransfer("Menuiserie Leroy SARL", "FR1420041010050500013M02606",
                                "PSSTFRPPPAR", D("1261.57"), "EUR", "RF18539007547034"),
        frame=AddressFrame(), deadline=date(2026, 3, 18), deadline_days=8)


def add(units: Any, x: Letter, c: LetterContent) -> None:
    with units() as uow:
        uow.letters.add_letter(x, c)
        uow.commit()


def test_a_letter_is_read_back_with_its_content_and_listed_in_request_order(units: Any) -> None:
    add(units, letter(2, at=NOW + timedelta(minutes=1)), content(2))
    add(units, letter(1), content(1))
    add(units, letter(3, claim="clm_other"), content(3))
    found = units().letters.get_letter("cred_a", "clm_1", "ltr_001")
    assert found == (letter(1), content(1))
    assert [x.id for x in units().letters.list_letters("cred_a", "clm_1")] == [
        "ltr_001", "ltr_002"]
    assert units().letters.get_letter("cred_b", "clm_1", "ltr_001") is None  # tenancy
    with pytest.raises(Conflict):
        add(units, letter(1), content(1))


def test_a_letter_is_saved_only_from_the_version_read_and_keeps_its_content(
        units: Any) -> None:
    add(units, letter(1), content(1))
    ready = replace(letter(1), status=LetterStatus.READY, sha256="ab" * 32, size=1234,
                    pages=1, version=2)
    with units() as uow:
        uow.letters.save_letter(ready, expected_version=1)
        uow.commit()
    assert units().letters.get_letter("cred_a", "clm_1", "ltr_001") == (ready, content(1))
    with pytest.raises(StaleVersion), units() as uow:
        uow.letters.save_letter(replace(ready, version=3), expected_version=1)
        uow.commit()


def test_a_reference_belongs_to_one_claim(units: Any) -> None:
    for _ in range(2):  # the same claim again keeps it
        with units() as uow:
            uow.letters.add_reference("cred_a", "RF18539007547034", "clm_1")
            uow.commit()
    assert units().letters.claim_of_reference("cred_a", "RF18539007547034") == "clm_1"
    assert units().letters.claim_of_reference("cred_b", "RF18539007547034") is None
    with pytest.raises(Conflict), units() as uow:
        uow.letters.add_reference("cred_a", "RF18539007547034", "clm_2")
        uow.commit()


def test_dispatches_are_found_by_the_providers_id_and_listed_while_in_flight(
        units: Any) -> None:
    refs = [DispatchRef("cred_a", "clm_1", f"ltr_{n}", "fake", f"job-{n}") for n in range(3)]
    with units() as uow:
        for n, ref in enumerate(refs):
            uow.letters.track_dispatch(ref, in_flight=True, updated_at=NOW + timedelta(hours=n))
        uow.commit()
    assert units().letters.find_dispatch("fake", "job-1") == refs[1]
    assert units().letters.find_dispatch("other", "job-1") is None
    first = units().letters.dispatches_in_flight("fake", 2, None)
    assert first.items == refs[:2] and first.next_cursor
    assert units().letters.dispatches_in_flight("fake", 2, first.next_cursor).items == refs[2:]
    with units() as uow:  # delivered: out of the list, still found
        uow.letters.track_dispatch(refs[0], in_flight=False, updated_at=NOW + timedelta(days=3))
        uow.commit()
    assert units().letters.dispatches_in_flight("fake", 10, None).items == refs[1:]
    assert units().letters.find_dispatch("fake", "job-0") == refs[0]


def test_a_dispatched_letter_round_trips(units: Any) -> None:
    add(units, letter(1), content(1))
    posted = replace(letter(1), status=LetterStatus.READY, version=2, dispatch=Dispatch(
        mode=DispatchMode.REGISTERED_AR, provider="fake", provider_id="job-1",
        idempotency_key="ltr_001", status=DispatchStatus.ACCEPTED, requested_at=NOW,
        updated_at=NOW))
    with units() as uow:
        uow.letters.save_letter(posted, expected_version=1)
        uow.commit()
    assert units().letters.get_letter("cred_a", "clm_1", "ltr_001")[0] == posted


def test_the_email_a_letter_carries_round_trips_through_its_claim_and_its_send(
        units: Any) -> None:
    ask = LetterEmail(template="letter_sent", idempotency_key="clm_1:letter_and_email:email")
    add(units, replace(letter(1), email_on_ready=ask), content(1))
    claimed = replace(letter(1), status=LetterStatus.READY, version=2,
                      email_on_ready=replace(ask, started_at=NOW))
    sent = replace(claimed, version=3, email_on_ready=replace(
        ask, started_at=NOW, message_id="0100018e-ses-id"))
    for saved in (claimed, sent):
        with units() as uow:
            uow.letters.save_letter(saved, expected_version=saved.version - 1)
            uow.commit()
        assert units().letters.get_letter("cred_a", "clm_1", "ltr_001")[0] == saved
    with pytest.raises(StaleVersion), units() as uow:  # a second claim from the version read
        uow.letters.save_letter(replace(claimed, version=3), expected_version=2)
        uow.commit()
