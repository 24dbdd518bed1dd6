"""The recipient's key when a hand-off and the creditor's revocation of that key race: the
one that loses is replayed on a fresh read, so the key stays revoked (never revoked back
by a rescope made from the key as it was before) and nothing fails."""

from __future__ import annotations

from datetime import date

from domain import services
from domain.creditors.model import Address, ApiKey
from domain.judicial.handoff import MandateTerms
from domain.services import handoff
from domain.services.caller import Caller
from tests.fakes import FakeWorld
from tests.service.conftest import NOW, open_claim

TERMS = MandateTerms(
    recipient_kind="agency", recipient_name="Recouvrement Rhône SAS",
    recipient_address=Address(("4 quai Perrache",), "69002", "Lyon", "FR"),
    reference="MDT-2026-007",
    document="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    insurance="RC professionnelle Hiscox n° HX-4471", signed_on=date(2026, 3, 9),
    commission_rate="12.5")


def mandate_over_two_claims(world: FakeWorld, caller: Caller) -> tuple[str, str, str]:
    """Two claims handed off under one mandate: their ids and the recipient's key id."""
    first = open_claim(world, caller, number="F-1")
    second = open_claim(world, caller, number="F-2")
    made = handoff.hand_off(first.id, handoff.HandoffDraft(terms=TERMS), caller, world.ports)
    handoff.hand_off(second.id, handoff.HandoffDraft(mandate_id=made.mandate.id), caller,
                     world.ports)
    return first.id, second.id, made.key.id


def stored_key(world: FakeWorld, caller: Caller, key_id: str) -> ApiKey:
    return next(k for k in world.ports.unit_of_work().api_keys.list_api_keys(
        caller.creditor_id) if k.id == key_id)


def test_a_withdraw_racing_the_revocation_keeps_the_key_revoked(
        world: FakeWorld, caller: Caller) -> None:
    first, second, key_id = mandate_over_two_claims(world, caller)
    world.race_once(lambda: services.revoke_api_key(key_id, caller, world.ports))
    result = handoff.withdraw_handoff(first, "settled directly", caller, world.ports)
    key = stored_key(world, caller, key_id)
    assert key.revoked_at == NOW and key.claim_ids == (second,)
    assert result.key == key
    assert world.ports.unit_of_work().api_keys.find_api_key(key.secret_hash) == key


def test_a_revocation_racing_a_withdraw_is_replayed_and_revokes(
        world: FakeWorld, caller: Caller) -> None:
    first, second, key_id = mandate_over_two_claims(world, caller)
    world.race_once(lambda: handoff.withdraw_handoff(first, None, caller, world.ports))
    revoked = services.revoke_api_key(key_id, caller, world.ports)
    key = stored_key(world, caller, key_id)
    assert key == revoked and key.revoked_at == NOW and key.claim_ids == (second,)
