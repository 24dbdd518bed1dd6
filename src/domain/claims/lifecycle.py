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

from domain.claims.judicial import JudicialRoute, TransferTarget
from domain.claims.model import Claim, Hold, HoldReason, Outcome, Phase
from domain.shared.errors import ActionNotAllowed

if TYPE_CHECKING:
    from domain.claims import events

OPEN_PHASES = frozenset({Phase.PRE_DUE, Phase.AMICABLE, Phase.FORMAL_NOTICE, Phase.JUDICIAL})


# Whether an action is allowed: the claim, and the creditor's today when known (a claim
# opened before its due date is stored pre_due; once due it counts as amicable).
Condition = Callable[[Claim, "date | None"], bool]


@dataclass(frozen=True, slots=True)
class ActionRule:
    name: str
    condition: Condition
    why_not: str


def _rule(name: str, condition: Callable[[Claim], bool], why_not: str) -> ActionRule:
    return ActionRule(name, lambda claim, _today: condition(claim), why_not)


def effective_phase(claim: Claim, today: date | None) -> Phase:
    """The phase the claim is in on `today`: a claim opened before its due date stays
    stored as pre_due until an action writes it; once due it is amicable."""
    if (claim.phase is Phase.PRE_DUE and today is not None
            and initial_phase(claim.earliest_due_date, today) is Phase.AMICABLE):
        return Phase.AMICABLE
    return claim.phase


# ---------------------------------------------------------------------------- holds
# Holds that last until their own end (the dispute resolved, the proceedings withdrawn or
# resumed past, the mandate withdrawn or closed): one recorded over another covers it
# instead of replacing it, so that ending one never releases another's pause. In this
# order the first governs: it is the claim's `hold`, the others its `covered_holds`. A
# promise, a plan or a manual hold is not lasting: it gives way to what replaces it.
LASTING_HOLDS = (HoldReason.DISPUTE, HoldReason.INSOLVENCY, HoldReason.MANDATE)


def holds(claim: Claim) -> tuple[Hold, ...]:
    """Every hold the claim is under, the governing one first; while closed, the ones it
    closed under (a reversed payment or a reopening brings them back)."""
    top = claim.closed_hold if claim.phase is Phase.CLOSED else claim.hold
    return () if top is None else (top, *claim.covered_holds)


def hold_reasons(claim: Claim) -> frozenset[HoldReason]:
    return frozenset(h.reason for h in holds(claim))


def place_hold(claim: Claim, hold: Hold) -> None:
    """Put the open claim under `hold`: a lasting hold covers (or is covered by) the
    lasting holds already running, any other replaces the hold it finds."""
    if hold.reason not in LASTING_HOLDS:
        if hold_reasons(claim) & set(LASTING_HOLDS):
            raise ValueError(f"a {hold.reason.value} hold would end a lasting hold")
        claim.hold, claim.covered_holds = hold, ()
        return
    kept = [h for h in holds(claim) if h.reason in LASTING_HOLDS and h.reason is not hold.reason]
    ordered = sorted([*kept, hold], key=lambda h: LASTING_HOLDS.index(h.reason))
    claim.hold, claim.covered_holds = ordered[0], tuple(ordered[1:])


def end_hold(claim: Claim, *reasons: HoldReason) -> None:
    """End the claim's holds for `reasons` wherever they stand; the holds they covered go
    on (the next in LASTING_HOLDS' order governs)."""
    rest = [h for h in holds(claim) if h.reason not in reasons]
    _set_holds(claim, rest)


def _set_holds(claim: Claim, ordered: list[Hold]) -> None:
    top = ordered[0] if ordered else None
    if claim.phase is Phase.CLOSED:
        claim.closed_hold = top
    else:
        claim.hold = top
    claim.covered_holds = tuple(ordered[1:])


def _open(claim: Claim) -> bool:
    return claim.phase in OPEN_PHASES


def _open_not_held(claim: Claim) -> bool:
    return _open(claim) and claim.hold is None


def _open_or_paid(claim: Claim) -> bool:
    return _open(claim) or claim.outcome is Outcome.PAID


def _held_for(*reasons: HoldReason) -> Callable[[Claim], bool]:
    return lambda claim: _open(claim) and bool(hold_reasons(claim) & set(reasons))


def _not_disputed(claim: Claim) -> bool:
    # A dispute raised while the claim is under a mandate covers the mandate's hold: the
    # recipient may report it (closing as `disputed`) or the creditor record it here.
    return _open(claim) and HoldReason.DISPUTE not in hold_reasons(claim)


def _promise_possible(claim: Claim) -> bool:
    # Under a mandate the recipient reports the debtor's proposals (R124-5): a promise is
    # recorded, and the mandate's hold stays (domain.services.amounts.apply_promise).
    return _open(claim) and hold_reasons(claim) <= {HoldReason.MANDATE}


def _handoff_possible(claim: Claim) -> bool:
    # A promise or a manual hold gives way to the mandate; a dispute, a plan being kept,
    # collective proceedings (L622-21 stays individual action) or a mandate do not.
    return _open(claim) and hold_reasons(claim) <= {HoldReason.PROMISE, HoldReason.MANUAL}


def _handed_off(claim: Claim) -> bool:
    """Under a mandate, or closed as paid while under one (the recipient collected the
    last payment: the mandate is still to be closed or withdrawn)."""
    return _held_for(HoldReason.MANDATE)(claim) or (
        claim.outcome is Outcome.PAID and HoldReason.MANDATE in hold_reasons(claim))


def _letter_possible(claim: Claim) -> bool:
    # A disputed claim is not chased until the dispute is resolved; collective proceedings
    # stay every individual demand for a pre-opening debt (C. com. L622-21, L622-7).
    return _open(claim) and not hold_reasons(claim) & {HoldReason.DISPUTE,
                                                        HoldReason.INSOLVENCY}


def _disputed(claim: Claim) -> bool:
    return _held_for(HoldReason.DISPUTE)(claim) or (_open(claim)
                                                     and bool(claim.disputed_invoices))


def _plan_possible(claim: Claim) -> bool:
    # Collective proceedings bar paying a pre-opening debt (C. com. L622-7): no plan then;
    # nor while disputed or handed off (the recipient reports proposals as promises).
    return _open(claim) and not hold_reasons(claim) & {
        HoldReason.DISPUTE, HoldReason.MANDATE, HoldReason.INSOLVENCY}


# Closed otherwise than paid: a person decided it, a person may undo it. A claim closed as
# paid reopens only when the payment that closed it is reversed (reverse_payment): what
# closed it is a fact on the account, not a decision. A transferred one reopens when its
# mandate ends (the agency or the commissaire de justice hands the file back): without
# reopening, its invoices could never be chased again, as their numbers stay taken.
REOPENABLE = frozenset({Outcome.WRITTEN_OFF, Outcome.CANCELLED, Outcome.TRANSFERRED})


def _reopenable(claim: Claim) -> bool:
    return claim.phase is Phase.CLOSED and claim.outcome in REOPENABLE


def _in_proceedings(claim: Claim) -> bool:
    return claim.proceedings is not None or HoldReason.INSOLVENCY in hold_reasons(claim)


def _individual_action(claim: Claim, today: date | None) -> bool:
    # A court is asked once the debt is due and the amicable phase has run (amicable or
    # after the formal notice); not while a dispute is open (a person resolves it first),
    # nor while a payment plan is kept (the creditor granted a term: the instalments not
    # yet due are not exigible), nor under collective proceedings, which stay every
    # individual action for a pre-opening debt (C. com. L622-21). A promise or a manual
    # hold does not bar it: the creditor decides.
    return (_open(claim)
            and (effective_phase(claim, today) in (Phase.AMICABLE, Phase.FORMAL_NOTICE)
                 or _proceeding_ended(claim))
            and not _in_proceedings(claim)
            and not hold_reasons(claim) & {HoldReason.DISPUTE, HoldReason.PAYMENT_PLAN})


def _proceeding_ended(claim: Claim) -> bool:
    # Judicial, and the route's proceeding came to an end with the claim still owed (an
    # order not served in time, a request rejected, a summons withdrawn): another route
    # may be tried, never two at once.
    return claim.phase is Phase.JUDICIAL and claim.proceeding_ended_on is not None


def _declaration(claim: Claim, today: date | None) -> bool:
    # Every creditor of a pre-opening debt declares it, due or not, disputed or not, sued
    # or not (C. com. L622-24, L622-22): from any open phase, under proceedings only.
    return _open(claim) and _in_proceedings(claim)


# start_judicial's rule for each route: the one route collective proceedings leave open is
# the declaration of claim; every other is an individual action.
ROUTE_RULES: dict[JudicialRoute, ActionRule] = {
    route: (ActionRule(route.value, _declaration,
                       "a claim is declared only under collective proceedings")
            if route is JudicialRoute.DECLARATION_OF_CLAIM else
            ActionRule(route.value, _individual_action,
                       "a court is asked only for a claim due, amicable or after its formal "
                       "notice, not disputed, not under a payment plan nor collective "
                       "proceedings (declare the claim instead)"))
    for route in JudicialRoute
}


def allowed_routes(claim: Claim, today: date | None = None) -> list[JudicialRoute]:
    return [route for route, rule in ROUTE_RULES.items() if rule.condition(claim, today)]


RULES: tuple[ActionRule, ...] = (
    _rule("record_payment", _open, "the claim is closed"),
    _rule("reverse_payment", _open_or_paid, "the claim was closed otherwise than paid"),
    _rule("record_promise", _promise_possible,
          "the claim is closed or held (other than by a mandate)"),
    _rule("start_payment_plan", _plan_possible,
          "the claim is closed, disputed, handed off or held for collective proceedings"),
    _rule("record_formal_notice", _open, "the claim is closed"),
    _rule("record_judgment", _open, "the claim is closed"),
    _rule("send_letter", _letter_possible,
          "the claim is closed, disputed or held for collective proceedings"),
    _rule("open_dispute", _not_disputed,
          "the claim is closed, already disputed or handed off under a mandate"),
    _rule("resolve_dispute", _disputed, "the claim is not disputed"),
    _rule("hold", _open_not_held, "the claim is closed or already held"),
    _rule("resume", _held_for(HoldReason.MANUAL, HoldReason.INSOLVENCY),
          "the claim has no manual or insolvency hold"),
    _rule("escalate", _open_not_held, "the claim is closed or held"),
    _rule("skip_step", _open, "the claim is closed"),
    ActionRule("start_judicial",
               lambda claim, today: bool(allowed_routes(claim, today)),
               "no judicial route is open: the claim is closed, pre-due, disputed or under "
               "a payment plan"),
    _rule("transfer", _open, "the claim is closed"),
    _rule("write_off", _open, "the claim is closed"),
    _rule("cancel", _open, "the claim is closed"),
    _rule("reopen", _reopenable,
          "only a claim written off, cancelled or transferred reopens (a paid one: reverse "
          "the payment)"),
    _rule("review", _open, "the claim is closed"),
    _rule("handoff", _handoff_possible,
          "the claim is closed, disputed, under a payment plan, in collective proceedings or "
          "already handed off"),
    _rule("withdraw_handoff", _handed_off, "the claim is not handed off"),
    _rule("close_handoff", _handed_off, "the claim is not handed off"),
    _rule("record_contact", _held_for(HoldReason.MANDATE), "the claim is not handed off"),
)
_BY_NAME = {rule.name: rule for rule in RULES}


def allowed_actions(claim: Claim, today: date | None = None) -> list[str]:
    return [rule.name for rule in RULES if rule.condition(claim, today)]


def describe_state(claim: Claim) -> str:
    if claim.phase is Phase.CLOSED:
        return f"closed ({claim.outcome.value if claim.outcome else 'no outcome'})"
    if claim.hold is not None:
        return f"{claim.phase.value}, held for " + " and ".join(
            h.reason.value for h in holds(claim))
    if claim.disputed_invoices:
        return f"{claim.phase.value}, invoices {', '.join(claim.disputed_invoices)} disputed"
    return claim.phase.value


def ensure_allowed(claim: Claim, action: str, today: date | None = None) -> None:
    """Raise ActionNotAllowed (→ 409 with the allowed actions) unless `action` is allowed."""
    rule = _BY_NAME.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r}")
    if not rule.condition(claim, today):
        raise ActionNotAllowed(action, describe_state(claim), allowed_actions(claim, today),
                               rule.why_not)


def ensure_route_allowed(claim: Claim, route: JudicialRoute, today: date | None) -> None:
    """Raise ActionNotAllowed for `start_judicial` unless `route` may start (ROUTE_RULES)."""
    rule = ROUTE_RULES[route]
    if not rule.condition(claim, today):
        routes = ", ".join(r.value for r in allowed_routes(claim, today)) or "none"
        raise ActionNotAllowed("start_judicial", describe_state(claim),
                               allowed_actions(claim, today),
                               f"route {route.value}: {rule.why_not} (routes open: {routes})")


def initial_phase(earliest_due: date, today: date) -> Phase:
    """A new claim is pre-due while its earliest invoice is not yet due, amicable after."""
    return Phase.PRE_DUE if earliest_due >= today else Phase.AMICABLE


# The holds a closure decided by a person does not end: reopened, the claim is held again
# (the dispute is still open; the proceedings still stay individual actions; a person's
# hold stands until they lift it). A promise or a plan is the account's to re-derive.
HOLDS_A_CLOSURE_DOES_NOT_END = frozenset({HoldReason.DISPUTE, HoldReason.MANUAL,
                                          HoldReason.INSOLVENCY})


def apply_manual(claim: Claim, action: str, now: datetime, reason: str | None = None,
                 until: date | None = None, invoices: tuple[str, ...] = (), *,
                 route: JudicialRoute | None = None, transfer_to: TransferTarget | None = None,
                 mandate_reference: str | None = None) -> events.Transition:
    """A hold, dispute, resumption, closure, reopening or judicial start decided by a
    person, applied to `claim`.

    Raises ActionNotAllowed unless the table above allows `action` in the claim's state
    (and, for `start_judicial`, `route` in ROUTE_RULES)."""
    # The typed events cost ~20 ms to define: not on the path of a function serving reads.
    from domain.claims.events import MANUAL_TRANSITIONS

    today = claim.today(now)
    ensure_allowed(claim, action, today)
    extra: dict[str, object] = {}
    if action == "start_judicial":
        if route is None:
            raise ValueError("start_judicial names its route")
        ensure_route_allowed(claim, route, today)
    before = describe_state(claim)
    match action:
        case "hold":
            claim.hold = Hold(HoldReason.MANUAL, now, until, reason)
        case "open_dispute" if invoices:
            # Scoped to these invoices: every automatic step goes on for the others.
            claim.disputed_invoices = tuple(sorted({*claim.disputed_invoices, *invoices}))
        case "open_dispute":
            place_hold(claim, Hold(HoldReason.DISPUTE, now, None, reason))
        case "resolve_dispute":
            end_hold(claim, HoldReason.DISPUTE)  # a mandate it covered goes on
            claim.disputed_invoices = ()
        case "resume":
            end_hold(claim, HoldReason.MANUAL, HoldReason.INSOLVENCY)
        case "cancel" | "write_off" | "transfer":
            outcome = {"cancel": Outcome.CANCELLED, "write_off": Outcome.WRITTEN_OFF,
                       "transfer": Outcome.TRANSFERRED}[action]
            # Where it was, to reopen it there.
            claim.closed_from, claim.closed_hold = claim.phase, claim.hold
            claim.phase, claim.outcome, claim.hold = Phase.CLOSED, outcome, None
            if action == "transfer":
                if transfer_to is None:
                    raise ValueError("transfer names who takes the claim over")
                extra = {"transferred_to": transfer_to.value,
                         "mandate_reference": mandate_reference}
        case "reopen":
            phase = claim.closed_from
            if phase is None or phase is Phase.PRE_DUE:  # it may have fallen due since
                phase = initial_phase(claim.earliest_due_date, today)
            kept = [h for h in holds(claim) if h.reason in HOLDS_A_CLOSURE_DOES_NOT_END]
            claim.phase, claim.outcome = phase, None
            claim.closed_from = claim.closed_hold = None
            _set_holds(claim, kept)
            extra = {"phase": phase.value}
        case "start_judicial":
            assert route is not None
            extra = {"route": route.value}
            if claim.phase is Phase.JUDICIAL and claim.judicial_route is not None:
                extra["previous_route"] = claim.judicial_route.value  # it ended: the next
            claim.phase, claim.judicial_route = Phase.JUDICIAL, route
            claim.proceeding_ended_on = None
        case _:
            raise ValueError(f"{action!r} is not a manual action")
    return MANUAL_TRANSITIONS[action](reason=reason, from_state=before,
                                      to_state=describe_state(claim), **extra)
