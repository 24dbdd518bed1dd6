"""The policies' repository promises, on the fake, moto and DynamoDB Local alike: a policy
reads back whole with every earlier version, within its creditor only; creating takes a
free id, saving the version read; the default is one choice, moved only from the choice
read, in the same atomic write as the policy; a history past 400 KB is refused as input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.debtors.model import DebtorKind
from domain.escalation.policy import DEFAULT_STEPS, Anchor, Channel, Policy, Step
from domain.letters.model import LetterKind
from domain.shared.errors import Conflict, DomainValidationError, StaleVersion

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)

CUSTOM = (
    Step("reminder", 3, (Channel.EMAIL,), template="overdue_1", min_days_since_contact=2,
         debtor_kinds=(DebtorKind.CONSUMER,), min_outstanding=Decimal("250.50")),
    Step("notice", 15, (Channel.REGISTERED_LETTER,), letter_kind=LetterKind.FORMAL_NOTICE,
         requires_approval=True),
    Step("assess", 8, (Channel.JUDICIAL_ASSESSMENT_TASK,), anchor=Anchor.NOTICE_DEADLINE),
)


def policy(policy_id: str = "b2c", *, creditor: str = "cred_a", version: int = 1,
           steps: tuple[Step, ...] = CUSTOM,
           history: tuple[tuple[Step, ...], ...] = ()) -> Policy:
    return Policy(id=policy_id, creditor_id=creditor, name=f"Ladder {policy_id}",
                  version=version, steps=steps, updated_at=NOW, history=history)


def commit(units: Any, *changes: Any) -> None:
    with units() as uow:
        for change in changes:
            change(uow.policies)
        uow.commit()


def test_a_policy_reads_back_whole_with_its_history_within_its_creditor(units: Any) -> None:
    second = policy(version=2, steps=DEFAULT_STEPS, history=(CUSTOM,))
    commit(units, lambda r: r.add_policy(second))
    loaded = units().policies.get_policy("cred_a", "b2c")
    assert loaded == second
    assert loaded is not None and loaded.steps_of(1) == CUSTOM
    assert loaded.steps[6].min_outstanding == Decimal("1500.00")
    assert units().policies.get_policy("cred_b", "b2c") is None
    assert units().policies.get_policy("cred_a", "other") is None


def test_policies_are_listed_by_id_without_the_default_choice_nor_other_tenants(
        units: Any) -> None:
    commit(units, lambda r: r.add_policy(policy("zeta")), lambda r: r.add_policy(policy("alpha")),
           lambda r: r.add_policy(policy("mid", creditor="cred_b")),
           lambda r: r.set_default_policy("cred_a", "zeta", None))
    assert [p.id for p in units().policies.list_policies("cred_a")] == ["alpha", "zeta"]
    assert [p.id for p in units().policies.list_policies("cred_b")] == ["mid"]
    assert units().policies.list_policies("cred_c") == []


def test_an_id_is_created_once(units: Any) -> None:
    commit(units, lambda r: r.add_policy(policy()))
    with pytest.raises(Conflict):
        commit(units, lambda r: r.add_policy(policy(steps=DEFAULT_STEPS)))
    stored = units().policies.get_policy("cred_a", "b2c")
    assert stored is not None and stored.steps == CUSTOM
    commit(units, lambda r: r.add_policy(policy(creditor="cred_b")))  # another tenant's


def test_a_save_needs_the_version_it_read(units: Any) -> None:
    commit(units, lambda r: r.add_policy(policy()))
    second = policy(version=2, steps=DEFAULT_STEPS, history=(CUSTOM,))
    commit(units, lambda r: r.save_policy(second, 1))
    with pytest.raises(StaleVersion):
        commit(units, lambda r: r.save_policy(replace(second, version=3,
                                                      history=(CUSTOM, CUSTOM)), 1))
    assert units().policies.get_policy("cred_a", "b2c") == second


def test_the_default_moves_only_from_the_choice_read(units: Any) -> None:
    assert units().policies.default_policy_id("cred_a") is None
    commit(units, lambda r: r.set_default_policy("cred_a", "b2c", None))
    assert units().policies.default_policy_id("cred_a") == "b2c"
    assert units().policies.default_policy_id("cred_b") is None
    with pytest.raises(StaleVersion):  # another change chose first
        commit(units, lambda r: r.set_default_policy("cred_a", "other", None))
    with pytest.raises(StaleVersion):
        commit(units, lambda r: r.set_default_policy("cred_a", "other", "default"))
    commit(units, lambda r: r.set_default_policy("cred_a", "other", "b2c"))
    assert units().policies.default_policy_id("cred_a") == "other"


def test_a_policy_and_its_default_choice_commit_together_or_not_at_all(units: Any) -> None:
    commit(units, lambda r: r.set_default_policy("cred_a", "first", None))
    with pytest.raises(StaleVersion):
        commit(units, lambda r: r.add_policy(policy("second")),
               lambda r: r.set_default_policy("cred_a", "second", None))
    assert units().policies.get_policy("cred_a", "second") is None
    assert units().policies.default_policy_id("cred_a") == "first"
    commit(units, lambda r: r.add_policy(policy("second")),
           lambda r: r.set_default_policy("cred_a", "second", "first"))
    assert units().policies.default_policy_id("cred_a") == "second"


def test_a_history_past_400_kb_is_refused_as_input(units: Any) -> None:
    commit(units, lambda r: r.add_policy(policy()))
    # About 2 KB a version of the shipped ladder: 250 versions pass 400 KB.
    huge = policy(version=251, steps=DEFAULT_STEPS, history=(DEFAULT_STEPS,) * 250)
    with pytest.raises(DomainValidationError) as refused:
        commit(units, lambda r: r.save_policy(huge, 1))
    assert [(e.field, e.code) for e in refused.value.errors] == [("steps", "too_large")]
    stored = units().policies.get_policy("cred_a", "b2c")
    assert stored is not None and stored.version == 1
