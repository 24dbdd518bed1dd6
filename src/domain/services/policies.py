"""Use cases of escalation policies: read a creditor's ladders, and create or replace one
(validated, versioned, its earlier steps kept), optionally making it the default.

The id `default` names the creditor's default policy. A creditor that never wrote one has
the shipped ladder (DEFAULT_STEPS) as version 1 under that id, stored only once changed: a
claim started on it then still follows version 1 (`Policy.steps_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from domain.escalation.policy import DEFAULT_STEPS, Policy, Step, validate_steps
from domain.ports.policies import DEFAULT_POLICY_ID
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared.errors import (
    Conflict,
    DomainError,
    DomainValidationError,
    FieldError,
    NotFound,
    StaleVersion,
)
from domain.shared.retry import run_retrying
from domain.shared.validation import raise_if

# Chosen by the caller, so it reads well in a URL and in a claim's record.
POLICY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
SHIPPED_NAME = "Relance default ladder"

# What If-Match said: a version, `*` (whatever is stored now) or nothing (None).
ExpectedVersion = int | Literal["*"] | None


@dataclass(frozen=True, slots=True)
class PolicyDraft:
    steps: tuple[Step, ...]
    name: str | None = None  # None keeps the current name (a new policy: its id)
    # True makes this policy the default; None leaves the default where it is.
    default: bool | None = None


class VersionRequired(DomainError):
    """Replacing a policy without the version read would overwrite a change the caller has
    not seen (answered 428)."""


def shipped_policy(creditor_id: str) -> Policy:
    return Policy(id=DEFAULT_POLICY_ID, creditor_id=creditor_id, name=SHIPPED_NAME,
                  version=1, steps=DEFAULT_STEPS)


def load_policy(uow: UnitOfWork, creditor_id: str, policy_id: str) -> Policy | None:
    """The policy of that exact id (no alias), the shipped ladder for `default` never
    written: what a claim that recorded (policy id, version) follows."""
    stored = uow.policies.get_policy(creditor_id, policy_id)
    if stored is None and policy_id == DEFAULT_POLICY_ID:
        return shipped_policy(creditor_id)
    return stored


def _resolve(uow: UnitOfWork, creditor_id: str, policy_id: str) -> tuple[str, str | None]:
    """The id `policy_id` names (`default`: the creditor's choice), and that choice as
    stored (None: never made)."""
    chosen = uow.policies.default_policy_id(creditor_id)
    if policy_id == DEFAULT_POLICY_ID:
        return chosen or DEFAULT_POLICY_ID, chosen
    return policy_id, chosen


def _flagged(policy: Policy, default_id: str) -> Policy:
    # The choice is stored apart from the policies: the flag is always read from it.
    return replace(policy, is_default=policy.id == default_id)


def get_policy(policy_id: str, caller: Caller, ports: Ports) -> Policy:
    with ports.unit_of_work() as uow:
        target, chosen = _resolve(uow, caller.creditor_id, policy_id)
        policy = load_policy(uow, caller.creditor_id, target)
    if policy is None:
        raise NotFound("policy", policy_id)
    return _flagged(policy, chosen or DEFAULT_POLICY_ID)


def list_policies(caller: Caller, ports: Ports) -> list[Policy]:
    """Every policy of the creditor by id, the shipped ladder included while not written."""
    with ports.unit_of_work() as uow:
        chosen = uow.policies.default_policy_id(caller.creditor_id)
        policies = uow.policies.list_policies(caller.creditor_id)
    if not any(p.id == DEFAULT_POLICY_ID for p in policies):
        policies.append(shipped_policy(caller.creditor_id))
    return [_flagged(p, chosen or DEFAULT_POLICY_ID)
            for p in sorted(policies, key=lambda p: p.id)]


def put_policy(policy_id: str, draft: PolicyDraft, expected: ExpectedVersion, caller: Caller,
               ports: Ports) -> Policy:
    """Create the policy (no `expected`) or replace it (`expected` the version read, or `*`
    for whatever is stored now: a race is then replayed, not answered as stale).

    Replacing with the same name and steps makes no new version. Raises
    DomainValidationError naming each bad field (`steps[2].template`), VersionRequired,
    StaleVersion, Conflict (created meanwhile by another request)."""
    _check(policy_id, draft)
    if expected == "*":
        return run_retrying(lambda: _put(policy_id, draft, expected, caller, ports))
    return _put(policy_id, draft, expected, caller, ports)


def _check(policy_id: str, draft: PolicyDraft) -> None:
    errors: list[FieldError] = []
    if policy_id != DEFAULT_POLICY_ID and not POLICY_ID.fullmatch(policy_id):
        errors.append(FieldError("policy_id", "1 to 40 lower-case letters, digits, `-` or "
                                 "`_`, starting with a letter or a digit", "invalid"))
    if draft.name is not None and not draft.name.strip():
        errors.append(FieldError("name", "must not be empty", "required"))
    try:
        validate_steps(draft.steps)
    except DomainValidationError as invalid:
        errors.extend(invalid.errors)
    raise_if(errors)


def _put(policy_id: str, draft: PolicyDraft, expected: ExpectedVersion, caller: Caller,
         ports: Ports) -> Policy:
    creditor_id = caller.creditor_id
    with ports.unit_of_work() as uow:
        target, chosen = _resolve(uow, creditor_id, policy_id)
        stored = uow.policies.get_policy(creditor_id, target)
        current = stored or (shipped_policy(creditor_id) if target == DEFAULT_POLICY_ID
                             else None)
        name = draft.name.strip() if draft.name is not None else None
        if current is None:
            if expected is not None:
                raise StaleVersion(f"there is no policy {policy_id} to replace: send no "
                                   "If-Match to create it")
            policy = Policy(id=target, creditor_id=creditor_id, name=name or target,
                            version=1, steps=draft.steps, updated_at=ports.clock.now())
            uow.policies.add_policy(policy)
        else:
            if expected is None:
                raise VersionRequired(f"policy {policy_id} exists: send the ETag you read in "
                                      "If-Match to replace it")
            if expected != "*" and expected != current.version:
                raise StaleVersion("policy changed since it was read")
            policy = _replaced(current, name or current.name, draft.steps, ports)
            if policy is not current:
                if stored is None:  # the shipped ladder, written for the first time
                    uow.policies.add_policy(policy)
                else:
                    uow.policies.save_policy(policy, current.version)
        default_id = chosen or DEFAULT_POLICY_ID
        if draft.default is True and target != default_id:
            uow.policies.set_default_policy(creditor_id, target, chosen)
            default_id = target
        elif draft.default is False and target == default_id:
            raise DomainValidationError(
                "default", "a creditor always has a default policy: make another one the "
                "default instead", code="default_required")
        try:
            uow.commit()
        except Conflict:
            if current is None:
                raise
            # Another request wrote the shipped ladder first, from the same version 1.
            raise StaleVersion("policy changed since it was read") from None
    return _flagged(policy, default_id)


def _replaced(current: Policy, name: str, steps: tuple[Step, ...], ports: Ports) -> Policy:
    """The next version, the current steps kept in the history; the same policy when
    nothing changes (a PUT sent twice makes one version)."""
    if steps == current.steps and name == current.name:
        return current
    return replace(current, name=name, steps=steps, version=current.version + 1,
                   updated_at=ports.clock.now(), history=(*current.history, current.steps))
