"""Escalation policies at the service level: the shipped ladder until a creditor writes
its own, creating and replacing a policy (validated, versioned, every earlier version
answered), If-Match, the one default and how it moves, tenancy; on the in-memory fake."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.escalation.policy import DEFAULT_STEPS, Anchor, Channel, Step
from domain.letters.model import LetterKind
from domain.services import policies
from domain.services.caller import Caller
from domain.services.policies import PolicyDraft, VersionRequired
from domain.shared.errors import Conflict, DomainValidationError, NotFound, StaleVersion
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, NOW

SHORT = (
    Step("mail", 2, (Channel.EMAIL,), template="overdue_1"),
    Step("notice", 12, (Channel.REGISTERED_LETTER,), letter_kind=LetterKind.FORMAL_NOTICE,
         requires_approval=True),
    Step("assess", 10, (Channel.JUDICIAL_ASSESSMENT_TASK,), anchor=Anchor.NOTICE_DEADLINE),
)
LONGER = (Step("sms", -3, (Channel.SMS,), template="pre_due"), *SHORT)


def draft(steps: tuple[Step, ...] = SHORT, **fields: object) -> PolicyDraft:
    return PolicyDraft(steps=steps, **fields)  # type: ignore[arg-type]


def test_a_creditor_that_never_wrote_one_has_the_shipped_ladder_unstored(
        world: FakeWorld, caller: Caller) -> None:
    policy = policies.get_policy("default", caller, world.ports)
    assert (policy.id, policy.version, policy.is_default, policy.history) == (
        "default", 1, True, ())
    assert policy.steps == DEFAULT_STEPS
    assert [s.offset_days for s in policy.steps] == [-5, -5, 1, 5, 10, 20, 30, 40, 8]
    assert world.db.policies == {} and world.db.default_policies == {}
    assert [p.id for p in policies.list_policies(caller, world.ports)] == ["default"]


def test_a_policy_is_created_without_if_match_and_read_back(world: FakeWorld,
                                                            caller: Caller) -> None:
    created = policies.put_policy("b2b-short", draft(name=" Short B2B "), None, caller,
                                  world.ports)
    assert (created.id, created.name, created.version, created.updated_at) == (
        "b2b-short", "Short B2B", 1, NOW)
    assert (created.is_default, created.history, created.steps) == (False, (), SHORT)
    assert policies.get_policy("b2b-short", caller, world.ports) == created
    assert [p.id for p in policies.list_policies(caller, world.ports)] == [
        "b2b-short", "default"]
    # The name defaults to the id.
    assert policies.put_policy("plain", draft(), None, caller, world.ports).name == "plain"


def test_replacing_makes_a_new_version_and_every_earlier_one_is_kept(
        world: FakeWorld, clock: FrozenClock, caller: Caller) -> None:
    policies.put_policy("b2b", draft(SHORT), None, caller, world.ports)
    clock.advance(timedelta(hours=1))
    second = policies.put_policy("b2b", draft(LONGER), 1, caller, world.ports)
    assert (second.version, second.steps, second.history) == (2, LONGER, (SHORT,))
    assert second.updated_at == NOW + timedelta(hours=1)
    third = policies.put_policy("b2b", draft(DEFAULT_STEPS), "*", caller, world.ports)
    stored = policies.get_policy("b2b", caller, world.ports)
    assert stored == third and stored.version == 3
    assert [stored.steps_of(v) for v in (1, 2, 3)] == [SHORT, LONGER, DEFAULT_STEPS]
    with pytest.raises(ValueError):
        stored.steps_of(4)


def test_the_same_content_sent_again_makes_no_new_version(world: FakeWorld,
                                                          caller: Caller) -> None:
    policies.put_policy("b2b", draft(name="B2B"), None, caller, world.ports)
    again = policies.put_policy("b2b", draft(), 1, caller, world.ports)  # name kept
    assert (again.version, again.name, again.history) == (1, "B2B", ())
    renamed = policies.put_policy("b2b", draft(name="B2B ladder"), 1, caller, world.ports)
    assert (renamed.version, renamed.history) == (2, (SHORT,))


def test_replacing_needs_the_version_read(world: FakeWorld, caller: Caller) -> None:
    policies.put_policy("b2b", draft(), None, caller, world.ports)
    policies.put_policy("b2b", draft(LONGER), 1, caller, world.ports)
    before = dict(world.db.policies)
    with pytest.raises(VersionRequired):
        policies.put_policy("b2b", draft(DEFAULT_STEPS), None, caller, world.ports)
    with pytest.raises(StaleVersion):
        policies.put_policy("b2b", draft(DEFAULT_STEPS), 1, caller, world.ports)
    with pytest.raises(StaleVersion):  # If-Match on a policy that does not exist
        policies.put_policy("missing", draft(), 1, caller, world.ports)
    assert world.db.policies == before


def test_a_lost_race_is_stale_with_a_version_and_replayed_with_a_star(
        world: FakeWorld, caller: Caller) -> None:
    policies.put_policy("b2b", draft(), None, caller, world.ports)
    world.race_once(lambda: policies.put_policy("b2b", draft(LONGER), 1, caller, world.ports))
    with pytest.raises(StaleVersion):
        policies.put_policy("b2b", draft(DEFAULT_STEPS), 1, caller, world.ports)
    world.race_once(lambda: policies.put_policy("b2b", draft(SHORT), 2, caller, world.ports))
    last = policies.put_policy("b2b", draft(DEFAULT_STEPS), "*", caller, world.ports)
    assert (last.version, last.history) == (4, (SHORT, LONGER, SHORT))


def test_two_creations_of_one_id_are_one_creation(world: FakeWorld, caller: Caller) -> None:
    world.race_once(lambda: policies.put_policy("b2b", draft(LONGER), None, caller,
                                                world.ports))
    with pytest.raises(Conflict):
        policies.put_policy("b2b", draft(), None, caller, world.ports)
    assert policies.get_policy("b2b", caller, world.ports).steps == LONGER


def test_the_shipped_ladder_is_changed_from_its_version_1(world: FakeWorld,
                                                          caller: Caller) -> None:
    with pytest.raises(VersionRequired):
        policies.put_policy("default", draft(), None, caller, world.ports)
    changed = policies.put_policy("default", draft(LONGER), 1, caller, world.ports)
    assert (changed.id, changed.version, changed.is_default) == ("default", 2, True)
    assert changed.name == policies.SHIPPED_NAME
    assert changed.steps_of(1) == DEFAULT_STEPS  # what claims started on it follow
    assert policies.get_policy("default", caller, world.ports) == changed
    assert [p.version for p in policies.list_policies(caller, world.ports)] == [2]


def test_two_writers_of_the_shipped_ladder_do_not_both_win(world: FakeWorld,
                                                           caller: Caller) -> None:
    world.race_once(lambda: policies.put_policy("default", draft(LONGER), 1, caller,
                                                world.ports))
    with pytest.raises(StaleVersion):
        policies.put_policy("default", draft(), 1, caller, world.ports)
    assert policies.get_policy("default", caller, world.ports).steps == LONGER


def test_one_default_which_a_put_moves(world: FakeWorld, caller: Caller) -> None:
    made = policies.put_policy("b2b", draft(), None, caller, world.ports)
    assert not made.is_default
    moved = policies.put_policy("b2b", draft(default=True), 1, caller, world.ports)
    assert (moved.is_default, moved.version) == (True, 1)  # same steps: no new version
    assert policies.get_policy("default", caller, world.ports) == moved
    assert policies.get_policy("b2b", caller, world.ports).is_default
    flags = {p.id: p.is_default for p in policies.list_policies(caller, world.ports)}
    assert flags == {"b2b": True, "default": False}
    # A new policy can become the default as it is created, in the same write.
    fresh = policies.put_policy("b2c", draft(LONGER, default=True), None, caller, world.ports)
    assert fresh.is_default and world.db.default_policies == {caller.creditor_id: "b2c"}
    # `default` now names b2c: a PUT there replaces it.
    replaced = policies.put_policy("default", draft(SHORT), 1, caller, world.ports)
    assert (replaced.id, replaced.version) == ("b2c", 2)
    flags = {p.id: p.is_default for p in policies.list_policies(caller, world.ports)}
    assert flags == {"b2b": False, "b2c": True, "default": False}


def test_the_default_cannot_be_unset_only_moved(world: FakeWorld, caller: Caller) -> None:
    policies.put_policy("b2b", draft(default=True), None, caller, world.ports)
    with pytest.raises(DomainValidationError) as refused:
        policies.put_policy("b2b", draft(LONGER, default=False), 1, caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("default",
                                                                  "default_required")]
    assert policies.get_policy("b2b", caller, world.ports).version == 1
    # false on a policy that is not the default changes nothing of the default.
    policies.put_policy("other", draft(default=False), None, caller, world.ports)
    assert policies.get_policy("default", caller, world.ports).id == "b2b"


def test_a_default_moved_meanwhile_is_stale(world: FakeWorld, caller: Caller) -> None:
    policies.put_policy("b2b", draft(), None, caller, world.ports)
    policies.put_policy("b2c", draft(), None, caller, world.ports)
    world.race_once(lambda: policies.put_policy("b2c", draft(default=True), 1, caller,
                                                world.ports))
    with pytest.raises(StaleVersion):
        policies.put_policy("b2b", draft(LONGER, default=True), 1, caller, world.ports)
    assert policies.get_policy("b2b", caller, world.ports).version == 1
    assert policies.get_policy("default", caller, world.ports).id == "b2c"


@pytest.mark.parametrize(("steps", "field", "code"), [
    ((), "steps", "empty"),
    ((SHORT[0], replace(SHORT[0], key="again", offset_days=1)), "steps[1].offset_days",
     "out_of_order"),
    ((replace(SHORT[0], template="hello"),), "steps[0].template", "unknown"),
    ((Step("letter", 5, (Channel.LETTER,)),), "steps[0].letter_kind", "required"),
    ((Step("assess", 3, (Channel.JUDICIAL_ASSESSMENT_TASK,)),), "steps[0].channels",
     "notice_first"),
    ((Step("notice", 5, (Channel.LETTER,), letter_kind=LetterKind.FORMAL_NOTICE),),
     "steps[0].channels", "registered_required"),
    ((SHORT[0], SHORT[0]), "steps[1].key", "duplicate"),
    ((replace(SHORT[0], min_outstanding=Decimal("-1")),), "steps[0]", "negative"),
])
def test_an_invalid_ladder_is_refused_naming_its_step_and_nothing_is_stored(
        world: FakeWorld, caller: Caller, steps: tuple[Step, ...], field: str,
        code: str) -> None:
    with pytest.raises(DomainValidationError) as refused:
        policies.put_policy("b2b", draft(steps), None, caller, world.ports)
    assert (field, code) in [(e.field, e.code) for e in refused.value.errors]
    assert world.db.policies == {}


@pytest.mark.parametrize("policy_id", ["", "B2B", "-b2b", "a" * 41, "b2b/x", "b2b\n", "é"])
def test_an_id_the_caller_may_not_choose_is_refused(world: FakeWorld, caller: Caller,
                                                    policy_id: str) -> None:
    with pytest.raises(DomainValidationError) as refused:
        policies.put_policy(policy_id, draft(), None, caller, world.ports)
    assert [e.field for e in refused.value.errors] == ["policy_id"]


def test_an_empty_name_is_refused(world: FakeWorld, caller: Caller) -> None:
    with pytest.raises(DomainValidationError) as refused:
        policies.put_policy("b2b", draft(name="  "), None, caller, world.ports)
    assert [e.field for e in refused.value.errors] == ["name"]


def test_another_creditor_sees_none_of_it(world: FakeWorld, caller: Caller) -> None:
    policies.put_policy("b2b", draft(default=True), None, caller, world.ports)
    other = Caller(services.create_creditor(LEROY, world.ports).id, "erp")
    with pytest.raises(NotFound):
        policies.get_policy("b2b", other, world.ports)
    assert policies.get_policy("default", other, world.ports).steps == DEFAULT_STEPS
    assert [p.id for p in policies.list_policies(other, world.ports)] == ["default"]
    # The same id is theirs to create.
    assert policies.put_policy("b2b", draft(LONGER), None, other, world.ports).version == 1
    assert policies.get_policy("b2b", caller, world.ports).steps == SHORT
