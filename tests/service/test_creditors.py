"""Creditors at the service level: onboarding, reading and changing a tenant, and the life
of its API keys (issued, found by the hash of their secret, revoked), asserted on what the
in-memory fake stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.amounts import law
from domain.services import queries
from domain.services.caller import Caller
from domain.shared.errors import DomainValidationError, NotFound, StaleVersion
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, NOW

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def stored_creditor(world: FakeWorld, creditor_id: str) -> bytes:
    """The creditor's stored bytes, to show that a refused change wrote nothing."""
    return world.db.creditors[creditor_id]


def every_stored_byte(world: FakeWorld) -> bytes:
    db = world.db
    tables: list[dict[Any, bytes]] = [db.creditors, db.keys_by_hash, db.keys_by_creditor,
                                      db.debtors, db.claims, db.accounts, db.events]
    keys = b"".join(repr(key).encode() for table in tables for key in table)
    return keys + b"".join(raw for table in tables for raw in table.values())


# ------------------------------------------------------------------------ onboarding


def test_a_new_creditor_is_stored_with_its_identifiers_normalized(world: FakeWorld) -> None:
    draft = replace(LEROY, legal_name="  Menuiserie Leroy SARL \t", siren="732 829 320",
                    iban=VALID_IBAN, bic="PSSTFRPPPAR")
    creditor = services.create_creditor(draft, world.ports)
    assert creditor.id.startswith("cred_")
    assert (creditor.legal_name, creditor.siren, creditor.iban, creditor.bic) == (
        "Menuiserie Leroy SARL", "732829320", "FR7630006000011234567890189", "PSSTFRPPPAR")
    assert (creditor.version, creditor.created_at, creditor.updated_at) == (1, NOW, NOW)
    # A read gives back the stored JSON, not the object written: the normalized form stuck.
    assert services.get_creditor(creditor.id, world.ports) == creditor
    assert world.db.commits == 1


def test_every_invalid_creditor_field_is_named_in_one_refusal(world: FakeWorld) -> None:
    draft = replace(LEROY, legal_name="   ", siren="732829321", time_zone="Mars/Olympus_Mons",
                    iban="FR14 2004 1010 0505 0001 3M02 607")
    with pytest.raises(DomainValidationError) as refused:
        services.create_creditor(draft, world.ports)
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("siren", "invalid_siren"), ("iban", "invalid_iban"),
        ("time_zone", "invalid_time_zone"), ("legal_name", "required")}
    assert world.db.creditors == {} and world.db.commits == 0


def test_an_unknown_creditor_is_not_found(world: FakeWorld) -> None:
    with pytest.raises(NotFound) as missing:
        services.get_creditor("cred_nope", world.ports)
    assert (missing.value.what, missing.value.ident) == ("creditor", "cred_nope")


# ------------------------------------------------------------------------ changes


def test_an_update_at_the_version_read_bumps_it_and_is_stored(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    clock.advance(timedelta(hours=2))
    updated = services.update_creditor(
        caller.creditor_id, 1, {"legal_name": " Menuiserie Leroy & Fils ",
                                "time_zone": "America/Cayenne"}, world.ports)
    assert (updated.legal_name, updated.time_zone) == ("Menuiserie Leroy & Fils",
                                                       "America/Cayenne")
    assert (updated.version, updated.updated_at, updated.created_at) == (2, clock.now(), NOW)
    stored = services.get_creditor(caller.creditor_id, world.ports)
    assert stored == updated
    assert stored.siren == LEROY.siren  # a merge: fields not sent are kept


def test_an_update_at_a_stale_version_is_refused_and_stores_nothing(
        world: FakeWorld, caller: Caller) -> None:
    services.update_creditor(caller.creditor_id, 1, {"legal_name": "Leroy SAS"}, world.ports)
    before, commits = stored_creditor(world, caller.creditor_id), world.db.commits
    with pytest.raises(StaleVersion):
        services.update_creditor(caller.creditor_id, 1, {"legal_name": "Leroy SA"},
                                 world.ports)
    assert stored_creditor(world, caller.creditor_id) == before
    assert world.db.commits == commits
    assert services.get_creditor(caller.creditor_id, world.ports).legal_name == "Leroy SAS"


def test_an_update_without_a_version_replays_a_race_and_keeps_both_changes(
        world: FakeWorld, caller: Caller) -> None:
    # If-Match: * means "whatever is stored": the change lost to lands on top of the winner.
    def another_writer() -> None:
        services.update_creditor(caller.creditor_id, None, {"time_zone": "Europe/Brussels"},
                                 world.ports)

    world.race_once(another_writer)
    updated = services.update_creditor(caller.creditor_id, None,
                                       {"legal_name": "Menuiserie Leroy & Fils"}, world.ports)
    assert (updated.legal_name, updated.time_zone, updated.version) == (
        "Menuiserie Leroy & Fils", "Europe/Brussels", 3)
    assert services.get_creditor(caller.creditor_id, world.ports) == updated
    assert world.db.commits == 3  # onboarding, the racing change, the replayed one


def test_an_invalid_update_is_refused_naming_the_field_and_stores_nothing(
        world: FakeWorld, caller: Caller) -> None:
    before = stored_creditor(world, caller.creditor_id)
    with pytest.raises(DomainValidationError) as refused:
        services.update_creditor(caller.creditor_id, 1,
                                 {"siren": "732829321", "time_zone": "Europe"}, world.ports)
    assert {e.field for e in refused.value.errors} == {"siren", "time_zone"}
    assert stored_creditor(world, caller.creditor_id) == before


def test_an_iban_patched_to_null_is_removed(world: FakeWorld) -> None:
    creditor = services.create_creditor(replace(LEROY, iban=VALID_IBAN), world.ports)
    updated = services.update_creditor(creditor.id, 1, {"iban": None}, world.ports)
    assert updated.iban is None
    assert services.get_creditor(creditor.id, world.ports).iban is None


# ------------------------------------------------------------------------ interest settings


def test_a_new_creditor_takes_the_laws_default_interest_settings(world: FakeWorld) -> None:
    creditor = services.create_creditor(LEROY, world.ports)
    assert (creditor.interest_day_count, creditor.below_floor_policy) == (
        law.DEFAULT_DAY_COUNT.value, law.DEFAULT_BELOW_FLOOR_POLICY.value)


def test_a_creditor_stored_before_the_interest_settings_reads_with_the_defaults(
        world: FakeWorld, caller: Caller) -> None:
    stored = msgspec.json.decode(world.db.creditors[caller.creditor_id])
    stored.pop("interest_day_count"), stored.pop("below_floor_policy")
    world.db.creditors[caller.creditor_id] = msgspec.json.encode(stored)
    creditor = services.get_creditor(caller.creditor_id, world.ports)
    assert (creditor.interest_day_count, creditor.below_floor_policy) == (
        law.DEFAULT_DAY_COUNT, law.DEFAULT_BELOW_FLOOR_POLICY)


def test_the_interest_settings_are_stored_at_onboarding_and_changed_by_an_update(
        world: FakeWorld) -> None:
    creditor = services.create_creditor(replace(
        LEROY, interest_day_count="inclusive", below_floor_policy="statutory_default"),
        world.ports)
    assert services.get_creditor(creditor.id, world.ports) == creditor
    assert (creditor.interest_day_count, creditor.below_floor_policy) == (
        "inclusive", "statutory_default")
    updated = services.update_creditor(creditor.id, 1, {"interest_day_count": "date_difference"},
                                       world.ports)
    assert (updated.interest_day_count, updated.below_floor_policy) == (
        "date_difference", "statutory_default")  # a merge: the policy not sent is kept
    assert services.get_creditor(creditor.id, world.ports) == updated


def test_an_unknown_interest_setting_is_refused_naming_it_and_nothing_stored(
        world: FakeWorld) -> None:
    with pytest.raises(DomainValidationError) as refused:
        services.create_creditor(replace(LEROY, interest_day_count="actual_360",
                                         below_floor_policy="FLOOR"), world.ports)
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("interest_day_count", "invalid_choice"), ("below_floor_policy", "invalid_choice")}
    assert world.db.creditors == {} and world.db.commits == 0


@pytest.mark.parametrize(("changes", "code"), [
    ({"legal_name": None}, "invalid_type"),
    ({"siren": 732829320}, "invalid_type"),
    ({"language": "de"}, "invalid_choice"),
    ({"language": None}, "invalid_type"),
    ({"time_zone": None}, "invalid_type"),
    ({"interest_day_count": "thirty_360"}, "invalid_choice"),
    ({"interest_day_count": None}, "invalid_type"),
    ({"below_floor_policy": "raise"}, "invalid_choice"),
])
def test_an_update_the_http_schema_would_not_let_through_is_refused_by_the_use_case(
        world: FakeWorld, caller: Caller, changes: dict[str, object], code: str) -> None:
    """A caller other than the API (an import, a script) gets a refusal naming the field,
    not the text "None" stored as a legal name nor a ValueError."""
    before, commits = stored_creditor(world, caller.creditor_id), world.db.commits
    with pytest.raises(DomainValidationError) as refused:
        services.update_creditor(caller.creditor_id, 1, changes, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [(next(iter(changes)), code)]
    assert stored_creditor(world, caller.creditor_id) == before
    assert world.db.commits == commits


def test_every_invalid_field_of_an_update_is_named_in_one_refusal(
        world: FakeWorld, caller: Caller) -> None:
    with pytest.raises(DomainValidationError) as refused:
        services.update_creditor(caller.creditor_id, 1, {
            "legal_name": None, "language": "de", "siren": "732829321",
            "below_floor_policy": "raise"}, world.ports)
    assert {e.field for e in refused.value.errors} == {
        "legal_name", "language", "siren", "below_floor_policy"}


# ------------------------------------------------------------------------ API keys


def test_an_issued_key_is_found_by_the_hash_of_its_secret(
        world: FakeWorld, caller: Caller) -> None:
    issued = services.issue_api_key(caller.creditor_id, "  ERP nightly  ",
                                    ["admin", "read", "read"], world.ports)
    assert issued.secret.startswith("rlk_") and len(issued.secret) > 40
    key = issued.key
    assert (key.creditor_id, key.name, key.prefix, key.created_at, key.revoked_at) == (
        caller.creditor_id, "ERP nightly", issued.secret[:10], NOW, None)
    assert key.scopes == ("read", "admin")  # deduplicated, in the order of SCOPES
    assert queries.find_api_key(services.hash_secret(issued.secret), world.ports) == key
    assert queries.find_api_key(services.hash_secret(issued.secret + "x"), world.ports) is None
    assert queries.list_api_keys(caller, world.ports) == [key]


def test_the_secret_of_a_key_is_stored_nowhere(world: FakeWorld, caller: Caller) -> None:
    issued = services.issue_api_key(caller.creditor_id, "erp", ["write"], world.ports)
    everything = every_stored_byte(world)
    assert services.hash_secret(issued.secret).encode() in everything  # the search works
    # The prefix is kept on purpose (to recognise a key); the rest of the secret never is.
    assert issued.secret.encode() not in everything
    assert issued.secret[10:].encode() not in everything


@pytest.mark.parametrize("scopes", [["read", "superuser"], [], ["READ"]])
def test_a_key_outside_the_known_scopes_is_refused_naming_scopes(
        world: FakeWorld, caller: Caller, scopes: list[str]) -> None:
    with pytest.raises(DomainValidationError) as refused:
        services.issue_api_key(caller.creditor_id, "erp", scopes, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("scopes", "invalid_scope")]
    assert world.db.keys_by_hash == {} and world.db.keys_by_creditor == {}


def test_a_key_for_an_unknown_creditor_is_not_found_and_not_stored(world: FakeWorld) -> None:
    with pytest.raises(NotFound) as missing:
        services.issue_api_key("cred_nope", "erp", ["read"], world.ports)
    assert missing.value.what == "creditor"
    assert world.db.keys_by_hash == {} and world.db.commits == 0


def test_revoking_a_key_stamps_it_with_the_clock_time(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    issued = services.issue_api_key(caller.creditor_id, "erp", ["read"], world.ports)
    clock.advance(timedelta(days=3, minutes=7))
    revoked = services.revoke_api_key(issued.key.id, caller, world.ports)
    assert revoked.revoked_at == clock.now() == NOW + timedelta(days=3, minutes=7)
    # Both copies (by hash, for authentication; by creditor, for the listing) say so.
    found = queries.find_api_key(issued.key.secret_hash, world.ports)
    assert found is not None and found.revoked_at == clock.now()
    assert [k.revoked_at for k in queries.list_api_keys(caller, world.ports)] == [clock.now()]


def test_revoking_twice_keeps_the_first_revocation(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    issued = services.issue_api_key(caller.creditor_id, "erp", ["read"], world.ports)
    first = services.revoke_api_key(issued.key.id, caller, world.ports)
    commits = world.db.commits
    clock.advance(timedelta(hours=1))
    again = services.revoke_api_key(issued.key.id, caller, world.ports)
    assert again.revoked_at == first.revoked_at == NOW
    assert world.db.commits == commits
    found = queries.find_api_key(issued.key.secret_hash, world.ports)
    assert found is not None and found.revoked_at == NOW


def test_revoking_another_creditors_key_is_not_found_and_leaves_it_usable(
        world: FakeWorld, caller: Caller) -> None:
    other = services.create_creditor(replace(LEROY, legal_name="Plomberie Durand EURL"),
                                     world.ports)
    foreign = services.issue_api_key(other.id, "their erp", ["admin"], world.ports)
    commits = world.db.commits
    with pytest.raises(NotFound) as missing:
        services.revoke_api_key(foreign.key.id, caller, world.ports)
    assert (missing.value.what, missing.value.ident) == ("api key", foreign.key.id)
    found = queries.find_api_key(foreign.key.secret_hash, world.ports)
    assert found is not None and found.revoked_at is None
    assert world.db.commits == commits


def test_revoking_an_unknown_key_is_not_found(world: FakeWorld, caller: Caller) -> None:
    with pytest.raises(NotFound):
        services.revoke_api_key("key_nope", caller, world.ports)
