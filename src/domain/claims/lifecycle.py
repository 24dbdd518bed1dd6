"""The claim lifecycle: which named action is allowed from which state.

A claim has a phase (pre_due → amicable → formal_notice → judicial, or closed with an
outcome) and an optional hold that pauses automatic escalation. Every change is a named
action checked here before anything is written; the API answers 409 with the actions that
*are* allowed, and lists `allowed_actions` on every claim so a frontend knows which buttons
to show. This module is the one place that table lives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.claims.model import Claim, Hold, HoldReason, Outcome, Phase
from domain.shared.errors import ActionNotAllowed

if TYPE_CHECKING:
    from domain.claims import events

OPEN_PHASES = frozenset({Phase.PRE_DUE, Phase.AMICABLE, Phase.FORMAL_NOTICE, Phase.JUDICIAL})


@dataclass(frozen=True, slots=True)
class ActionRule:
    name: str
    condition: Callable[[Claim], bool]
    why_not: str


def _open(claim: Claim) -> bool:
    return claim.phase in OPEN_PHASES


def _open_not_held(claim: Claim) -> bool:
    return _open(claim) and claim.hold is None


def _open_or_paid(claim: Claim) -> bool:
    return _open(claim) or claim.outcome is Outcome.PAID


def _held_for(*reasons: HoldReason) -> Callable[[Claim], bool]:
    return lambda claim: _open(claim) and claim.hold is not None and claim.hold.reason in reasons


def _not_disputed(claim: Claim) -> bool:
    # A claim under a mandate has one hold, the mandate's: a dispute the debtor raises goes
    # through the recipient (it closes the mandate as `disputed`) or a withdrawal first.
    return _open(claim) and (claim.hold is None or claim.hold.reason not in (
        HoldReason.DISPUTE, HoldReason.MANDATE))


def _promise_possible(claim: Claim) -> bool:
    # Under a mandate the recipient reports the debtor's proposals (R124-5): a promise is
    # recorded, and the mandate's hold stays (domain.services.amounts.apply_promise).
    return _open(claim) and (claim.hold is None or claim.hold.reason is HoldReason.MANDATE)


def _handoff_possible(claim: Claim) -> bool:
    # A promise or a manual hold gives way to the mandate; a dispute, a plan being kept,
    # collective proceedings (L622-21 stays individual action) or a mandate do not.
    return _open(claim) and (claim.hold is None or claim.hold.reason in (
        HoldReason.PROMISE, HoldReason.MANUAL))


def _handed_off(claim: Claim) -> bool:
    """Under a mandate, or closed as paid while under one (the recipient collected the
    last payment: the mandate is still to be closed or withdrawn)."""
    return _held_for(HoldReason.MANDATE)(claim) or (
        claim.outcome is Outcome.PAID and claim.closed_hold is not None
        and claim.closed_hold.reason is HoldReason.MANDATE)


def _letter_possible(claim: Claim) -> bool:
    # A disputed claim is not chased until the dispute is resolved; collective proceedings
    # stay every individual demand for a pre-opening debt (C. com. L622-21, L622-7).
    return _open(claim) and (claim.hold is None or claim.hold.reason not in (
        HoldReason.DISPUTE, HoldReason.INSOLVENCY))


def _disputed(claim: Claim) -> bool:
    return _held_for(HoldReason.DISPUTE)(claim) or (_open(claim)
                                                     and bool(claim.disputed_invoices))


def _plan_possible(claim: Claim) -> bool:
    # Collective proceedings bar paying a pre-opening debt (C. com. L622-7): no plan then.
    return _not_disputed(claim) and (claim.hold is None
                                     or claim.hold.reason is not HoldReason.INSOLVENCY)


RULES: tuple[ActionRule, ...] = (
    ActionRule("record_payment", _open, "the claim is closed"),
    ActionRule("reverse_payment", _open_or_paid, "the claim was closed otherwise than paid"),
    ActionRule("record_promise", _promise_possible,
               "the claim is closed or held (other than by a mandate)"),
    ActionRule("start_payment_plan", _plan_possible,
               "the claim is closed, disputed, handed off or held for collective proceedings"),
    ActionRule("record_formal_notice", _open, "the claim is closed"),
    ActionRule("record_judgment", _open, "the claim is closed"),
    ActionRule("send_letter", _letter_possible,
               "the claim is closed, disputed or held for collective proceedings"),
    ActionRule("open_dispute", _not_disputed,
               "the claim is closed, already disputed or handed off under a mandate"),
    ActionRule("resolve_dispute", _disputed, "the claim is not disputed"),
    ActionRule("hold", _open_not_held, "the claim is closed or already held"),
    ActionRule("resume", _held_for(HoldReason.MANUAL, HoldReason.INSOLVENCY),
               "the claim has no manual or insolvency hold"),
    ActionRule("escalate", _open_not_held, "the claim is closed or held"),
    ActionRule("skip_step", _open, "the claim is closed"),
    ActionRule("transfer", _open, "the claim is closed"),
    ActionRule("write_off", _open, "the claim is closed"),
    ActionRule("cancel", _open, "the claim is closed"),
    ActionRule("review", _open, "the claim is closed"),
    ActionRule("handoff", _handoff_possible,
               "the claim is closed, disputed, under a payment plan, in collective "
               "proceedings or already handed off"),
    ActionRule("withdraw_handoff", _handed_off, "the claim is not handed off"),
    ActionRule("close_handoff", _handed_off, "the claim is not handed off"),
    ActionRule("record_contact", _held_for(HoldReason.MANDATE),
               "the claim is not handed off"),
)
_BY_NAME = {rule.name: rule for rule in RULES}


def allowed_actions(claim: Claim) -> list[str]:
    return [rule.name for rule in RULES if rule.condition(claim)]


def describe_state(claim: Claim) -> str:
    if claim.phase is Phase.CLOSED:
        return f"closed ({claim.outcome.value if claim.outcome else 'no outcome'})"
    if claim.hold is not None:
        return f"{claim.phase.value}, held for {claim.hold.reason.value}"
    if claim.disputed_invoices:
        return f"{claim.phase.value}, invoices {', '.join(claim.disputed_invoices)} disputed"
    return claim.phase.value


def ensure_allowed(claim: Claim, action: str) -> None:
    """Raise ActionNotAllowed (→ 409 with the allowed actions) unless `action` is allowed."""
    rule = _BY_NAME.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r}")
    if not rule.condition(claim):
        raise ActionNotAllowed(action, describe_state(claim), allowed_actions(claim),
                               rule.why_not)


def initial_phase(earliest_due: date, today: date) -> Phase:
    """A new claim is pre-due while its earliest invoice is not yet due, amicable after."""
    return Phase.PRE_DUE if earliest_due >= today else Phase.AMICABLE


def apply_manual(claim: Claim, action: str, now: datetime, reason: str | None = None,
                 until: date | None = None,
                 invoices: tuple[str, ...] = ()) -> events.Transition:
    """A hold, dispute, resumption or closure decided by a person, applied to `claim`.

    Raises ActionNotAllowed unless the table above allows `action` in the claim's state."""
    # The typed events cost ~20 ms to define: not on the path of a function serving reads.
    from domain.claims.events import MANUAL_TRANSITIONS

    ensure_allowed(claim, action)
    before = describe_state(claim)
    match action:
        case "hold":
            claim.hold = Hold(HoldReason.MANUAL, now, until, reason)
        case "open_dispute" if invoices:
            # Scoped to these invoices: every automatic step goes on for the others.
            claim.disputed_invoices = tuple(sorted({*claim.disputed_invoices, *invoices}))
        case "open_dispute":
            claim.hold = Hold(HoldReason.DISPUTE, now, None, reason)
        case "resolve_dispute":
            if claim.hold is not None and claim.hold.reason is HoldReason.DISPUTE:
                claim.hold = None
            claim.disputed_invoices = ()
        case "resume":
            claim.hold = None
        case "cancel":
            claim.phase, claim.outcome, claim.hold = Phase.CLOSED, Outcome.CANCELLED, None
        case "write_off":
            claim.phase, claim.outcome, claim.hold = Phase.CLOSED, Outcome.WRITTEN_OFF, None
        case "transfer":
            claim.phase, claim.outcome, claim.hold = Phase.CLOSED, Outcome.TRANSFERRED, None
        case _:
            raise ValueError(f"{action!r} is not a manual action")
    return MANUAL_TRANSITIONS[action](reason=reason, from_state=before,
                                      to_state=describe_state(claim))
