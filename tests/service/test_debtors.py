"""Debtors at the service level: registration with contact validation, the per-creditor
external reference, changes under optimistic concurrency, re-validation noted on the
timelines of open claims (in one atomic write, refused past its limit), tenancy and the
listing, asserted on what the in-memory fake stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.claims.model import ClaimEvent, Phase
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.ports.repositories import PageRequest
from domain.services import queries
from domain.services.caller import Caller
from domain.shared.errors import Conflict, DomainValidationError, NotFound, StaleVersion
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, NOW, open_claim

MARTIN = PostalAddress("Boulangerie Martin SAS", ("3 place du Marché",), "69002", "Lyon", "FR")


def debtor_draft(name: str = "Boulangerie Martin SAS", *, reference: str | None = None,
                 points: list[services.ContactPointDraft] | None = None,
                 kind: DebtorKind = DebtorKind.BUSINESS) -> services.DebtorDraft:
    return services.DebtorDraft(kind=kind, name=name, country="FR",
                                external_reference=reference, contact_points=points or [])


def new_debtor(world: FakeWorld, caller: Caller, name: str = "Boulangerie Martin SAS", *,
               reference: str | None = None,
               points: list[services.ContactPointDraft] | None = None) -> str:
    return services.create_debtor(debtor_draft(name, reference=reference, points=points),
                                  caller, world.ports).id


def other_creditor(world: FakeWorld) -> Caller:
    creditor = services.create_creditor(replace(LEROY, legal_name="Plomberie Durand EURL"),
                                        world.ports)
    return Caller(creditor.id, "their-erp")


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[ClaimEvent]:
    return queries.claim_events(claim_id, PageRequest(limit=100), caller, world.ports).items


# ------------------------------------------------------------------------ registration


def test_a_new_debtor_has_each_contact_point_validated_and_kept_as_given(
        world: FakeWorld, caller: Caller) -> None:
    debtor = services.create_debtor(debtor_draft(points=[
        services.ContactPointDraft(ContactKind.EMAIL, "  Compta@Boulangerie-Martin.FR "),
        services.ContactPointDraft(ContactKind.PHONE, "06 12 34 56 78", label="gérant"),
        services.ContactPointDraft(ContactKind.PHONE, "08 99 12 34 56"),
        services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=MARTIN),
    ]), caller, world.ports)
    email, mobile, premium, letter = debtor.contact_points
    # The original stays as given; what validation concluded is stored beside it.
    assert email.value == "  Compta@Boulangerie-Martin.FR "
    assert mobile.value == "06 12 34 56 78" and mobile.label == "gérant"
    assert letter.value is None and letter.address == MARTIN
    summary = [(p.validation.status, p.validation.normalized, p.validation.validated_at)
               for p in debtor.contact_points if p.validation is not None]
    assert summary == [
        ("valid", "Compta@boulangerie-martin.fr", NOW),
        ("valid", "+33612345678", NOW),
        ("invalid", "+33899123456", NOW),
        ("valid", ("Boulangerie Martin SAS", "3 PLACE DU MARCHE", "69002 LYON"), NOW)]
    assert mobile.validation is not None and mobile.validation.line_type == "mobile"
    assert premium.validation is not None and "premium_rate" in premium.validation.reasons
    assert len({p.id for p in debtor.contact_points}) == 4
    assert services.get_debtor(debtor.id, caller, world.ports) == debtor


def test_every_malformed_contact_point_is_named_by_its_index(
        world: FakeWorld, caller: Caller) -> None:
    with pytest.raises(DomainValidationError) as refused:
        services.create_debtor(debtor_draft(points=[
            services.ContactPointDraft(ContactKind.EMAIL),
            services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, value="3 place du Marché"),
            services.ContactPointDraft(ContactKind.PHONE, "06 12 34 56 78"),
            services.ContactPointDraft(ContactKind.PHONE, "06 12 34 56 78", address=MARTIN),
        ]), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("contact_points[0].value", "value_required"),
        ("contact_points[1].address", "address_required"),
        ("contact_points[3].value", "value_required")]
    assert world.db.debtors == {}


def test_a_bad_siren_and_an_empty_name_are_refused_together(
        world: FakeWorld, caller: Caller) -> None:
    draft = services.DebtorDraft(kind=DebtorKind.BUSINESS, name="  ", country="FR",
                                 siren="552100555")
    with pytest.raises(DomainValidationError) as refused:
        services.create_debtor(draft, caller, world.ports)
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("siren", "invalid_siren"), ("name", "required")}
    assert world.db.debtors == {}


def test_a_consumer_with_a_company_identifier_is_refused_naming_it(
        world: FakeWorld, caller: Caller) -> None:
    draft = services.DebtorDraft(kind=DebtorKind.CONSUMER, name="Jeanne Martin", country="FR",
                                 siren="732 829 320")
    with pytest.raises(DomainValidationError) as refused:
        services.create_debtor(draft, caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("siren", "unexpected_identifier")]


# ------------------------------------------------------------------------ external reference


def test_a_taken_external_reference_is_refused_and_nothing_is_stored(
        world: FakeWorld, caller: Caller) -> None:
    first = new_debtor(world, caller, reference="CUST-42")
    debtors, unique, commits = dict(world.db.debtors), dict(world.db.unique), world.db.commits
    with pytest.raises(Conflict) as refused:
        new_debtor(world, caller, "Doublon SARL", reference="CUST-42")
    assert refused.value.field_path == "external_reference"
    assert world.db.debtors == debtors and len(world.db.debtors) == 1
    assert world.db.unique == unique and world.db.commits == commits
    listed = queries.list_debtors(PageRequest(), caller, world.ports).items
    assert [d.id for d in listed] == [first]


def test_another_creditor_may_use_the_same_external_reference(
        world: FakeWorld, caller: Caller) -> None:
    mine = new_debtor(world, caller, reference="CUST-42")
    other = other_creditor(world)
    theirs = services.create_debtor(debtor_draft(reference="CUST-42"), other, world.ports)
    assert theirs.external_reference == "CUST-42" and theirs.id != mine
    assert len(world.db.debtors) == 2


def test_changing_the_reference_frees_the_old_one(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    debtor_id = new_debtor(world, caller, reference="OLD")
    clock.advance(timedelta(minutes=5))
    updated = services.update_debtor(debtor_id, 1, {"external_reference": "NEW"}, caller,
                                     world.ports)
    assert (updated.external_reference, updated.version, updated.updated_at) == (
        "NEW", 2, clock.now())
    assert services.get_debtor(debtor_id, caller, world.ports) == updated
    reuse = services.create_debtor(debtor_draft("Reprend OLD", reference="OLD"), caller,
                                   world.ports)
    assert reuse.external_reference == "OLD"
    with pytest.raises(Conflict) as taken:
        new_debtor(world, caller, "Veut NEW", reference="NEW")
    assert taken.value.field_path == "external_reference"


def test_an_update_to_a_taken_reference_is_refused_and_changes_nothing(
        world: FakeWorld, caller: Caller) -> None:
    new_debtor(world, caller, reference="A")
    second = new_debtor(world, caller, "Second SARL", reference="B")
    debtors, unique = dict(world.db.debtors), dict(world.db.unique)
    with pytest.raises(Conflict) as refused:
        services.update_debtor(second, 1, {"external_reference": "A", "name": "Renamed"},
                               caller, world.ports)
    assert refused.value.field_path == "external_reference"
    assert world.db.debtors == debtors and world.db.unique == unique
    # "B" is still held by the second debtor: the refused change did not free it.
    with pytest.raises(Conflict):
        new_debtor(world, caller, "Third SARL", reference="B")


# ------------------------------------------------------------------------ changes


def test_an_update_at_a_stale_version_is_refused_and_stores_nothing(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    services.update_debtor(debtor_id, 1, {"name": "Boulangerie Martin & Fils"}, caller,
                           world.ports)
    before, commits = dict(world.db.debtors), world.db.commits
    with pytest.raises(StaleVersion):
        services.update_debtor(debtor_id, 1, {"name": "Ancien nom"}, caller, world.ports)
    assert world.db.debtors == before and world.db.commits == commits
    stored = services.get_debtor(debtor_id, caller, world.ports)
    assert (stored.name, stored.version) == ("Boulangerie Martin & Fils", 2)


def test_an_update_without_a_version_replays_a_race_and_keeps_both_changes(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)

    def another_writer() -> None:
        services.update_debtor(debtor_id, None, {"siren": "732829320"}, caller,
                               world.ports)

    world.race_once(another_writer)
    updated = services.update_debtor(debtor_id, None, {"name": "Martin & Fils"}, caller,
                                     world.ports)
    assert (updated.name, updated.siren, updated.version) == (
        "Martin & Fils", "732829320", 3)
    assert services.get_debtor(debtor_id, caller, world.ports) == updated


def test_replacing_contact_points_validates_the_new_ones_at_the_time_of_the_change(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    debtor_id = new_debtor(world, caller, points=[
        services.ContactPointDraft(ContactKind.EMAIL, "compta@boulangerie-martin.fr")])
    clock.advance(timedelta(days=3))
    updated = services.update_debtor(debtor_id, 1, {"contact_points": [
        services.ContactPointDraft(ContactKind.PHONE, "+33 4 78 00 00 00")]}, caller,
        world.ports)
    [phone] = updated.contact_points
    assert (phone.kind, phone.value) == (ContactKind.PHONE, "+33 4 78 00 00 00")
    assert phone.validation is not None
    assert (phone.validation.normalized, phone.validation.validated_at) == (
        "+33478000000", clock.now())
    assert services.get_debtor(debtor_id, caller, world.ports).contact_points == [phone]


# ------------------------------------------------------------------------ re-validation


def test_revalidation_is_noted_on_the_open_claims_of_the_debtor_only(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    debtor_id = new_debtor(world, caller, points=[
        services.ContactPointDraft(ContactKind.EMAIL, "zoe.quatrebarbes@boulangerie-martin.fr"),
        services.ContactPointDraft(ContactKind.PHONE, "06 98 76 54 32"),
        services.ContactPointDraft(ContactKind.PHONE, "08 99 12 34 56"),
        services.ContactPointDraft(ContactKind.EMAIL, "compta@example.org")])
    still_open = open_claim(world, caller, debtor_id=debtor_id, number="F-001")
    closed = open_claim(world, caller, debtor_id=debtor_id, number="F-002")
    closed, _ = services.apply_action(closed.id, services.ActionRequest("cancel"), caller,
                                      world.ports)
    assert closed.phase is Phase.CLOSED
    unrelated = open_claim(world, caller, number="F-003")  # another debtor's claim
    closed_before = timeline(world, caller, closed.id)
    unrelated_before = timeline(world, caller, unrelated.id)
    clock.advance(timedelta(days=2))

    revalidated = services.revalidate_debtor(debtor_id, caller, world.ports)

    assert revalidated.version == 2 and revalidated.updated_at == clock.now()
    assert all(p.validation is not None and p.validation.validated_at == clock.now()
               for p in revalidated.contact_points)
    assert services.get_debtor(debtor_id, caller, world.ports) == revalidated
    events = timeline(world, caller, still_open.id)
    assert [e.action for e in events] == ["open", "contacts_validated"]
    noted = events[-1]
    assert (noted.at, noted.actor, noted.seq) == (clock.now(), "erp", events[0].seq + 1)
    assert noted.data == {"valid": "2", "risky": "0", "invalid": "2", "unverified": "0",
                          "reachable_by": "email,sms,phone"}
    # Counts and channels only: the addresses stay on the debtor.
    assert "quatrebarbes" not in repr(noted) and "98 76" not in repr(noted)
    reread = services.get_claim(still_open.id, caller, world.ports)
    assert reread.version == still_open.version + 1
    assert timeline(world, caller, closed.id) == closed_before
    assert services.get_claim(closed.id, caller, world.ports).version == closed.version
    assert timeline(world, caller, unrelated.id) == unrelated_before


def test_revalidation_replays_a_race_with_a_change_of_one_of_its_claims(
        world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller)
    world.race_once(lambda: world.touch_claim(caller.creditor_id, claim.id))
    services.revalidate_debtor(claim.debtor_id, caller, world.ports)
    # Noted once, on the claim as the other writer left it.
    assert [e.action for e in timeline(world, caller, claim.id)] == ["open",
                                                                     "contacts_validated"]
    assert services.get_claim(claim.id, caller, world.ports).version == claim.version + 2
    assert services.get_debtor(claim.debtor_id, caller, world.ports).version == 2


def test_revalidation_of_49_open_claims_fits_in_one_write(
        world: FakeWorld, caller: Caller) -> None:
    # One debtor write plus a claim and an event per open claim: 1 + 2 * 49 = 99 writes.
    debtor_id = new_debtor(world, caller)
    claims = [open_claim(world, caller, debtor_id=debtor_id, number=f"F-{i}")
              for i in range(49)]
    commits = world.db.commits
    services.revalidate_debtor(debtor_id, caller, world.ports)
    assert world.db.commits == commits + 1
    assert all(timeline(world, caller, c.id)[-1].action == "contacts_validated"
               for c in claims)


def test_revalidation_of_more_open_claims_than_one_write_takes_is_refused_whole(
        world: FakeWorld, caller: Caller) -> None:
    # 50 open claims: 1 + 2 * 50 = 101 writes, one past DynamoDB's 100 per transaction.
    debtor_id = new_debtor(world, caller)
    for i in range(50):
        open_claim(world, caller, debtor_id=debtor_id, number=f"F-{i}")
    commits, events, debtors = world.db.commits, dict(world.db.events), dict(world.db.debtors)
    claims = dict(world.db.claims)
    with pytest.raises(DomainValidationError) as refused:
        services.revalidate_debtor(debtor_id, caller, world.ports)
    assert [e.code for e in refused.value.errors] == ["too_many_changes"]
    assert "101 writes" in refused.value.errors[0].message
    assert world.db.commits == commits
    assert world.db.events == events and world.db.claims == claims
    assert world.db.debtors == debtors


# ------------------------------------------------------------------------ tenancy, listing


def test_another_creditor_cannot_reach_the_debtor(world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    stranger = other_creditor(world)
    before = dict(world.db.debtors)
    with pytest.raises(NotFound) as missing:
        services.get_debtor(debtor_id, stranger, world.ports)
    assert (missing.value.what, missing.value.ident) == ("debtor", debtor_id)
    with pytest.raises(NotFound):
        services.update_debtor(debtor_id, None, {"name": "Pris"}, stranger, world.ports)
    with pytest.raises(NotFound):
        services.revalidate_debtor(debtor_id, stranger, world.ports)
    assert world.db.debtors == before
    assert queries.list_debtors(PageRequest(), stranger, world.ports).items == []


def test_debtors_are_listed_in_creation_order_page_by_page(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    created = []
    for i in range(5):
        created.append(new_debtor(world, caller, f"Client {i}"))
        clock.advance(timedelta(minutes=1))
    new_debtor(world, other_creditor(world), "Client d'un autre")
    seen: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = queries.list_debtors(PageRequest(limit=2, cursor=cursor), caller, world.ports)
        seen.append([d.id for d in page.items])
        cursor = page.next_cursor
        if cursor is None or len(seen) > 5:
            break
    assert seen == [created[0:2], created[2:4], created[4:5]]
