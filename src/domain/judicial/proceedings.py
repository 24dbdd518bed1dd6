"""A proceeding under way: one route taken before a court (or a commissaire de justice, or
the mandataire), its state machine, the deadlines its rules set, its documents and costs.

Each route's machine is data (`MACHINES`: state -> event -> next state), so the table a
reader checks against SOURCES.md is the one the code runs. The deadlines are never stored:
`deadlines()` derives them from the dates the events recorded and the dated parameters in
force on the day each rule looks at (the ORDER's date for the service of an injonction de
payer, décret 2026-96), so a corrected parameter moves them all.

Pure: no I/O. The use cases are in domain.services.judicial_proceedings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from domain.claims.judicial import JudicialRoute
from domain.judicial.parameters import Parameter, ParameterTable
from domain.shared.dates import add_days, add_months
from domain.shared.errors import ActionNotAllowed, DomainValidationError


class State(StrEnum):
    DRAFT = "draft"
    FILED = "filed"
    ORDER_GRANTED = "order_granted"
    ORDER_REJECTED = "order_rejected"
    SUMMONS_SERVED = "summons_served"  # an assignation served: the court is seized
    SERVED = "served"  # the order (or the L126 commandement, the EU claim form) served
    OPPOSED = "opposed"
    UNCONTESTED = "uncontested"  # L126: the PV de non-contestation drawn up
    HEARING_SET = "hearing_set"
    JUDGMENT = "judgment"  # a judgment, an ordonnance de référé
    REJECTED = "rejected"  # dismissed, refused, contested out of the procedure
    DECLARED = "declared"
    CONTESTED = "contested"  # a declared claim the mandataire contests (L622-27)
    ADMITTED = "admitted"
    ENFORCEABLE = "enforceable"
    ENFORCEMENT = "enforcement"
    CLOSED = "closed"
    LAPSED = "lapsed"  # non avenue, extinguished, forclos
    STAYED = "stayed"  # an individual action the debtor's collective proceedings stopped


TERMINAL = frozenset({State.CLOSED, State.LAPSED, State.STAYED})


class EventType(StrEnum):
    FILED = "filed"
    ORDER_GRANTED = "order_granted"
    ORDER_REJECTED = "order_rejected"
    SUMMONS_SERVED = "summons_served"
    SUMMONS_PLACED = "summons_placed"  # the served assignation handed to the greffe
    SERVED = "served"
    OPPOSED = "opposed"
    CONTESTED = "contested"
    UNCONTESTED = "uncontested"
    AGREED = "agreed"
    REFUSED = "refused"
    HEARING_SET = "hearing_set"
    JUDGMENT = "judgment"
    REJECTED = "rejected"
    JUDGMENT_SERVED = "judgment_served"
    ENFORCEABLE = "enforceable"
    ENFORCEMENT_STEP = "enforcement_step"
    COMMISSAIRE_PAYMENT = "commissaire_payment"
    DECLARED = "declared"
    ADMITTED = "admitted"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    # An appeal against the decision on the merits (appealable_now), and the cour d'appel's
    # arrêt: taken beside the table, by the decision's state, not by MACHINES.
    APPEALED = "appealed"
    APPEAL_DECIDED = "appeal_decided"
    # The debtor's collective proceedings stop the individual action (C. com. L622-21): it
    # ends here, its interruption of prescription kept (no discontinuance, C. civ. 2243),
    # and the claim is declared (the declaration_of_claim route).
    STAYED = "stayed"
    # Neither moves the state: a cost or a document recorded on its own.
    COST = "cost"
    DOCUMENT = "document"


class Filer(StrEnum):
    """Who files and acts (CPC 1407: the creditor or "tout mandataire")."""

    CREDITOR = "creditor"
    LAWYER = "lawyer"
    COMMISSAIRE = "commissaire_de_justice"
    AGENCY = "agency"


class CostKind(StrEnum):
    GREFFE = "greffe"
    COMMISSAIRE = "commissaire"
    TAXE = "taxe"
    LAWYER = "lawyer"
    CJE = "cje"  # contribution pour la justice économique (TAE)
    AGENCY_COMMISSION = "agency_commission"
    OTHER = "other"


# Dépens (CPC 695: greffe fees, the commissaire's regulated emoluments and taxes) may be put
# on the losing debtor; a lawyer's fees only through CPC 700 at the judge's discretion, and
# an agency's commission stays with the creditor (CPCE L111-8 al. 2). The creditor may say
# otherwise per cost.
RECOVERABLE_BY_DEFAULT = frozenset({CostKind.GREFFE, CostKind.COMMISSAIRE, CostKind.TAXE})


def recoverable_by_default(kind: CostKind, route: JudicialRoute) -> bool:
    """Whether a cost of `kind` may be put on the debtor unless the creditor says otherwise;
    CPCE L125-1: the simplified small-claims procedure's costs are all the creditor's."""
    return kind in RECOVERABLE_BY_DEFAULT and route is not JudicialRoute.SIMPLIFIED_SMALL_CLAIMS

S, E = State, EventType
_TAIL: dict[State, dict[EventType, State]] = {
    S.ENFORCEABLE: {E.ENFORCEMENT_STEP: S.ENFORCEMENT, E.COMMISSAIRE_PAYMENT: S.ENFORCEABLE,
                    E.CLOSED: S.CLOSED},
    S.ENFORCEMENT: {E.ENFORCEMENT_STEP: S.ENFORCEMENT, E.COMMISSAIRE_PAYMENT: S.ENFORCEMENT,
                    E.CLOSED: S.CLOSED},
    S.REJECTED: {E.CLOSED: S.CLOSED},
}
_REJECTED_ORDER: dict[State, dict[EventType, State]] = {S.ORDER_REJECTED: {E.CLOSED: S.CLOSED}}
_HEARING: dict[State, dict[EventType, State]] = {
    S.HEARING_SET: {E.HEARING_SET: S.HEARING_SET,  # adjourned to a new date
                    E.JUDGMENT: S.JUDGMENT, E.REJECTED: S.REJECTED},
    S.JUDGMENT: {E.JUDGMENT_SERVED: S.ENFORCEABLE, E.CLOSED: S.CLOSED},
}

MACHINES: dict[JudicialRoute, dict[State, dict[EventType, State]]] = {
    # CPC 1405-1425: the order, served within 6 (3) months or non avenue; opposition within
    # a month, then a hearing; unopposed, it is enforceable.
    JudicialRoute.INJONCTION_DE_PAYER: {
        S.DRAFT: {E.FILED: S.FILED},
        S.FILED: {E.ORDER_GRANTED: S.ORDER_GRANTED, E.ORDER_REJECTED: S.ORDER_REJECTED},
        S.ORDER_GRANTED: {E.SERVED: S.SERVED, E.LAPSED: S.LAPSED},
        S.SERVED: {E.OPPOSED: S.OPPOSED, E.ENFORCEABLE: S.ENFORCEABLE,
                   E.COMMISSAIRE_PAYMENT: S.SERVED},
        # No lawyer within 15 days where one is mandatory: extinguished (CPC 1418).
        S.OPPOSED: {E.HEARING_SET: S.HEARING_SET, E.LAPSED: S.LAPSED},
        **_HEARING, **_TAIL, **_REJECTED_ORDER,
        # An order not served to the debtor in person may still be opposed once enforced,
        # until a month after the first measure that makes its goods unavailable (CPC 1416
        # al. 2): late_opposition_open says when.
        S.ENFORCEABLE: {**_TAIL[S.ENFORCEABLE], E.OPPOSED: S.OPPOSED},
        S.ENFORCEMENT: {**_TAIL[S.ENFORCEMENT], E.OPPOSED: S.OPPOSED},
    },
    # CPC 835 al. 2 / 873 al. 2: an assignation to a hearing; the ordonnance is enforceable
    # at once, but against the debtor only once served (CPC 503).
    JudicialRoute.REFERE_PROVISION: {
        S.DRAFT: {E.SUMMONS_SERVED: S.SUMMONS_SERVED},
        S.SUMMONS_SERVED: {E.HEARING_SET: S.HEARING_SET},
        **_HEARING, **_TAIL,
    },
    # The served assignation is placed at the greffe before the hearing, else it lapses
    # (caducité, CPC 754 before the TJ, 857 before the TC: unconfirmed).
    JudicialRoute.ASSIGNATION_AU_FOND: {
        S.DRAFT: {E.SUMMONS_SERVED: S.SUMMONS_SERVED},
        S.SUMMONS_SERVED: {E.HEARING_SET: S.HEARING_SET},
        **_HEARING,
        S.HEARING_SET: {**_HEARING[S.HEARING_SET], E.SUMMONS_PLACED: S.HEARING_SET,
                        E.LAPSED: S.LAPSED},
        **_TAIL,
    },
    # CPCE L125-1: the commissaire invites the debtor; an agreement is the title, a refusal
    # or silence ends it (and opens the court, CPC 750-1 5°).
    JudicialRoute.SIMPLIFIED_SMALL_CLAIMS: {
        S.DRAFT: {E.FILED: S.FILED},
        S.FILED: {E.AGREED: S.ENFORCEABLE, E.REFUSED: S.REJECTED},
        **_TAIL,
    },
    # CPCE L126-1 (unconfirmed): commandement served, a month to pay or contest (any
    # contestation ends it), a PV de non-contestation, the greffier's formule exécutoire.
    JudicialRoute.COMMERCIAL_UNCONTESTED: {
        S.DRAFT: {E.SERVED: S.SERVED},
        S.SERVED: {E.CONTESTED: S.REJECTED, E.UNCONTESTED: S.UNCONTESTED,
                   E.COMMISSAIRE_PAYMENT: S.SERVED},
        S.UNCONTESTED: {E.ENFORCEABLE: S.ENFORCEABLE},
        **_TAIL,
    },
    # Reg. 1896/2006: form A, the order (E), served, 30 days to oppose, then enforceable
    # EU-wide (G); an opposition sends it to ordinary proceedings.
    JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT: {
        S.DRAFT: {E.FILED: S.FILED},
        S.FILED: {E.ORDER_GRANTED: S.ORDER_GRANTED, E.ORDER_REJECTED: S.ORDER_REJECTED},
        S.ORDER_GRANTED: {E.SERVED: S.SERVED},
        S.SERVED: {E.OPPOSED: S.OPPOSED, E.ENFORCEABLE: S.ENFORCEABLE},
        S.OPPOSED: {E.HEARING_SET: S.HEARING_SET},
        **_HEARING, **_TAIL, **_REJECTED_ORDER,
    },
    # Reg. 861/2007: the court serves the claim form, 30 days to answer, a written
    # judgment (a hearing only if the court holds one).
    JudicialRoute.EUROPEAN_SMALL_CLAIMS: {
        S.DRAFT: {E.FILED: S.FILED},
        S.FILED: {E.SERVED: S.SERVED, E.REJECTED: S.REJECTED},
        S.SERVED: {E.HEARING_SET: S.HEARING_SET, E.JUDGMENT: S.JUDGMENT,
                   E.REJECTED: S.REJECTED},
        **_HEARING, **_TAIL,
    },
    # C. com. L622-24 ff.: declared within 2 months of the BODACC publication or forclos;
    # the mandataire may contest (answer within 30 days, L622-27); admitted, it waits for
    # the distributions.
    JudicialRoute.DECLARATION_OF_CLAIM: {
        S.DRAFT: {E.DECLARED: S.DECLARED, E.LAPSED: S.LAPSED},
        S.DECLARED: {E.CONTESTED: S.CONTESTED, E.ADMITTED: S.ADMITTED},
        S.CONTESTED: {E.ADMITTED: S.ADMITTED, E.REJECTED: S.REJECTED},
        S.ADMITTED: {E.COMMISSAIRE_PAYMENT: S.ADMITTED, E.CLOSED: S.CLOSED},
        S.REJECTED: {E.CLOSED: S.CLOSED},
    },
}
del S, E

# The acts that interrupt prescription on each route (C. civ. 2241: a demand in justice).
# Filing an injonction de payer's request does not, its service does (Cass. 1re civ.
# 10/07/1990, n° 89-13.345); an assignation does once served; a declaration of claim does
# until the proceedings close (L622-25-1). The L126 commandement and the small-claims
# invitation are not demands in justice: not counted (unconfirmed, so not claimed).
INTERRUPTING: dict[JudicialRoute, frozenset[EventType]] = {
    JudicialRoute.INJONCTION_DE_PAYER: frozenset({EventType.SERVED}),
    JudicialRoute.REFERE_PROVISION: frozenset({EventType.SUMMONS_SERVED}),
    JudicialRoute.ASSIGNATION_AU_FOND: frozenset({EventType.SUMMONS_SERVED}),
    JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT: frozenset({EventType.SERVED}),
    JudicialRoute.EUROPEAN_SMALL_CLAIMS: frozenset({EventType.SERVED}),
    JudicialRoute.DECLARATION_OF_CLAIM: frozenset({EventType.DECLARED}),
    JudicialRoute.SIMPLIFIED_SMALL_CLAIMS: frozenset(),
    JudicialRoute.COMMERCIAL_UNCONTESTED: frozenset(),
}
INTERRUPTION_SOURCE = ("C. civ. 2241-2243; injonction de payer: service interrupts, filing "
                       "does not (Cass. 1re civ. 10/07/1990, n° 89-13.345); void on "
                       "discontinuance or lapse (2243; Cass. 2e civ. 19/11/2020, n° 19-20.238)")

# States in which the creditor may still discontinue (C. civ. 2243: the interruption is
# then void). Not once a title exists: it is enforced or given up by closing.
_WITHDRAWABLE = frozenset({State.DRAFT, State.FILED, State.ORDER_GRANTED, State.SERVED,
                           State.SUMMONS_SERVED, State.OPPOSED, State.HEARING_SET,
                           State.UNCONTESTED, State.DECLARED, State.CONTESTED})


def allowed_events(route: JudicialRoute, state: State) -> list[str]:
    """The events the state accepts, in the table's order, then the ones every open state
    takes (withdraw, a cost, a document)."""
    if state in TERMINAL:
        return [EventType.COST.value, EventType.DOCUMENT.value]
    moves = [e.value for e in MACHINES[route].get(state, {})]
    if state in _WITHDRAWABLE:
        moves.append(EventType.WITHDRAWN.value)
    return [*moves, EventType.COST.value, EventType.DOCUMENT.value]


# A decision on the merits may be appealed from these states: pronounced (before or after
# its service), enforced, or the demand dismissed. The order of an injonction de payer is
# not (it is opposed); a decision in last resort is not (appeal.last_resort_up_to).
_APPEALABLE = frozenset({State.JUDGMENT, State.ENFORCEABLE, State.ENFORCEMENT,
                         State.REJECTED})


# A route whose law starts on a day: its first rule (the L126 procedure, law of 23 April
# 2026) must be in force for a proceeding to start.
_FIRST_RULE = {JudicialRoute.COMMERCIAL_UNCONTESTED: "commercial_uncontested.pay_or_contest_months"}


def in_force_from(route: JudicialRoute, params: ParameterTable, on: date) -> date | None:
    """None when `route` may be started on `on`; else the first day its law applies."""
    name = _FIRST_RULE.get(route)
    history = params.history(name) if name is not None else ()
    if name is None or any(p.in_force(on) for p in history):
        return None
    return min((p.effective_from for p in history), default=on)


def appealable_now(p: Proceeding, params: ParameterTable) -> bool:
    """Whether an appeal may be recorded: a decision on the merits of a route that has one
    (_APPEAL_DAYS), not yet appealed, above the last-resort threshold on the day."""
    if p.route not in _APPEAL_DAYS or p.state not in _APPEALABLE or p.appealed_on is not None:
        return False
    if p.state is not State.REJECTED and p.judgment_on is None:
        return False  # enforceable without a judgment: an unopposed order
    on = p.judgment_served_on or p.judgment_on or p.last_event_on or p.started_at.date()
    ceiling = params.get("appeal.last_resort_up_to", on)
    # A day the data does not cover offers no appeal rather than failing the read.
    return ceiling is not None and p.amount_claimed > ceiling.value


def proceeding_events(p: Proceeding, params: ParameterTable, *,
                      stayable: bool = False, today: date | None = None) -> list[str]:
    """What the proceeding takes now: its state's events (allowed_events), the appeal's
    where they apply (appealable_now; the arrêt once appealed), and `stayed` when the
    debtor is under collective proceedings (`stayable`: the claim says so); never an event
    the rules would refuse whatever its day (a late opposition past its last day on
    `today`, a lapse for want of a lawyer none is needed for)."""
    moves = allowed_events(p.route, p.state)
    if p.state in TERMINAL:
        return moves
    if EventType.OPPOSED.value in moves and p.state in (State.ENFORCEABLE, State.ENFORCEMENT):
        late = late_opposition_deadline(p, params)
        if not late_opposition_open(p) or (late is not None and today is not None
                                           and today > late.last_day):
            moves.remove(EventType.OPPOSED.value)
    if p.state is State.OPPOSED and EventType.LAPSED.value in moves \
            and _lawyer_deadline(p, params) is None:
        moves.remove(EventType.LAPSED.value)
    if stayable and p.route is not JudicialRoute.DECLARATION_OF_CLAIM:
        moves.insert(-2, EventType.STAYED.value)
    if appealable_now(p, params):
        moves.insert(-2, EventType.APPEALED.value)
    elif p.appealed_on is not None and p.appeal_decided_on is None:
        moves.insert(-2, EventType.APPEAL_DECIDED.value)
    return moves


class Residence(StrEnum):
    """Where a party lives, as the distance extensions of CPC 643-644 tell places apart."""

    METROPOLITAN = "metropolitan"
    OVERSEAS = "overseas"  # the DROM-COM: Guadeloupe … Nouvelle-Calédonie, Wallis-et-Futuna
    ABROAD = "abroad"


def residence_of(country: str, postal_code: str | None) -> Residence:
    """From an address: the overseas departments and collectivities by their postal code
    (97x, 986-988) or their own ISO code, the way the working-day calendar reads them;
    any other country is abroad."""
    from domain.escalation.calendar import holiday_region

    region = holiday_region(postal_code, country)
    if region is not None and region not in ("57", "6AE"):  # Alsace-Moselle is metropolitan
        return Residence.OVERSEAS
    return Residence.METROPOLITAN if country.strip().upper() == "FR" else Residence.ABROAD


@dataclass(frozen=True, slots=True)
class Court:
    name: str
    kind: str | None = None  # TJ, JCP, TC, TAE, TJ_CH_COM, FOREIGN
    # Where it sits (metropolitan or overseas). None: where the debtor lives when in
    # France, the default competence (CPC 42; the injonction de payer's, d'ordre public,
    # CPC 1406), else metropolitan France.
    seat: Residence | None = None
    # Its postal code, for the request's address and its local holidays (days_off_region).
    postal_code: str | None = None


_POSTAL_CODE = re.compile(r"[0-9]{5}", re.ASCII)


def court_of(name: str, kind: str | None = None, seat: Residence | None = None,
             postal_code: str | None = None) -> Court:
    """A court as recorded: a French postal code tells where it sits (its seat when not
    given, and never against one given); a foreign court has none."""
    if not name.strip():
        raise _field("court.name", "name the court", "required")
    if postal_code is None:
        return Court(name, kind, seat)
    code = postal_code.replace(" ", "")
    if kind == "FOREIGN":
        raise _field("court.postal_code", "a foreign court has no French postal code",
                     "unexpected")
    if not _POSTAL_CODE.fullmatch(code):
        raise _field("court.postal_code", "a French postal code of 5 digits, e.g. 67000",
                     "invalid")
    sits = residence_of("FR", code)
    if seat is not None and seat is not sits:
        raise _field("court.seat", f"the postal code {code} is {sits.value}", "contradicts")
    return Court(name, kind, sits, code)


@dataclass(frozen=True, slots=True)
class Document:
    """A document an event came with: its name, and its SHA-256 or the id of a document the
    creditor uploaded (which holds its hash)."""

    name: str
    recorded_on: date
    event: str
    sha256: str | None = None
    document_id: str | None = None


@dataclass(frozen=True, slots=True)
class Cost:
    kind: CostKind
    amount: Decimal  # excluding VAT (HT)
    vat: Decimal
    incurred_on: date
    recoverable: bool  # may be put on the debtor as dépens
    note: str | None = None

    @property
    def total(self) -> Decimal:
        return self.amount + self.vat


@dataclass(frozen=True, slots=True)
class ProceedingEvent:
    seq: int
    type: EventType
    occurred_on: date
    recorded_at: datetime
    actor: str
    from_state: State
    to_state: State
    details: dict[str, str] = field(default_factory=dict)


def _seat(court: Court | None, debtor_residence: Residence) -> Residence:
    if court is not None and court.seat is not None:
        return court.seat
    return (Residence.METROPOLITAN if debtor_residence is Residence.ABROAD
            else debtor_residence)


class Served(Protocol):
    """What the periods running from a service read: a `Proceeding`, or a `Projection`."""

    @property
    def route(self) -> JudicialRoute: ...
    @property
    def order_on(self) -> date | None: ...
    @property
    def served_on(self) -> date | None: ...
    @property
    def debtor_residence(self) -> Residence: ...
    @property
    def court_seat(self) -> Residence: ...
    @property
    def court(self) -> Court | None: ...


@dataclass(frozen=True, slots=True)
class Projection:
    """A proceeding not started, as the judicial assessment projects it (an order on a
    typical day, served on a typical day): the enforceability rules below then count its
    title day exactly as they will count the real proceeding's (one rule, one place)."""

    route: JudicialRoute
    served_on: date | None
    order_on: date | None = None
    debtor_residence: Residence = Residence.METROPOLITAN
    court: Court | None = None

    @property
    def court_seat(self) -> Residence:
        return _seat(self.court, self.debtor_residence)


@dataclass(frozen=True, slots=True)
class Proceeding:
    id: str
    creditor_id: str
    claim_id: str
    route: JudicialRoute
    state: State
    filer: Filer
    court: Court | None
    started_at: datetime
    # Known at the start, so that the deadlines need neither the debtor nor the account.
    amount_claimed: Decimal
    currency: str
    # From the debtor's address at the start: it extends the periods that run from a
    # service (CPC 643-644).
    debtor_residence: Residence = Residence.METROPOLITAN
    bodacc_published_on: date | None = None
    declaration_deadline: date | None = None  # the claim's, R622-24 with its extension
    events: tuple[ProceedingEvent, ...] = ()
    documents: tuple[Document, ...] = ()
    costs: tuple[Cost, ...] = ()
    # The dates the deadlines are worked out from, as the events recorded them.
    filed_on: date | None = None
    order_on: date | None = None
    order_amount: Decimal | None = None
    served_on: date | None = None
    opposed_on: date | None = None
    hearing_on: date | None = None
    judgment_on: date | None = None
    judgment_amount: Decimal | None = None
    judgment_served_on: date | None = None
    summons_placed_on: date | None = None
    uncontested_on: date | None = None
    declared_on: date | None = None
    enforceable_on: date | None = None
    ended_on: date | None = None
    prescription_interrupted_on: date | None = None
    appealed_on: date | None = None
    appellant: Party | None = None
    # The order served to the debtor in person (à personne): None when not said, read as
    # not (the debtor may then oppose after enforcement, CPC 1416 al. 2).
    served_in_person: bool | None = None
    appeal_decided_on: date | None = None
    number: int = 1  # its rank among the claim's proceedings (a new route after a rejection)
    version: int = 1

    @property
    def debtor_abroad(self) -> bool:
        return self.debtor_residence is Residence.ABROAD

    @property
    def court_seat(self) -> Residence:
        return _seat(self.court, self.debtor_residence)

    @property
    def last_event_on(self) -> date | None:
        return self.events[-1].occurred_on if self.events else None

    def costs_recoverable(self) -> Decimal:
        return sum((c.total for c in self.costs if c.recoverable), Decimal(0))

    def costs_borne_by_creditor(self) -> Decimal:
        return sum((c.total for c in self.costs if not c.recoverable), Decimal(0))


# ----------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class EventInput:
    """What a person says happened, checked by `apply_event`. `occurred_on` is the day it
    happened (the order's date is `order_date` when the creditor learns of it later)."""

    type: str
    occurred_on: date
    order_date: date | None = None
    amount: Decimal | None = None
    pronounced_on: date | None = None
    hearing_on: date | None = None
    step: str | None = None
    note: str | None = None
    document: Document | None = None
    cost: Cost | None = None
    # The court seized and who acts, when the event names them (the request filed, the
    # assignation served, a lawyer taking the case after an opposition).
    court: Court | None = None
    filer: Filer | None = None
    appellant: str | None = None  # appealed: `debtor` or `creditor`
    in_person: bool | None = None  # served: to the debtor in person (à personne)


def _field(path: str, message: str, code: str) -> DomainValidationError:
    return DomainValidationError(path, message, code=code)


def _after_arret(p: Proceeding, e: EventInput) -> State:
    """The state the cour d'appel's arrêt leaves: the same when it confirms the decision in
    full (its title stands, its enforcement goes on); `judgment` when it awards another
    amount or reverses a dismissal (the arrêt is the new title, to be served); `rejected`
    when it dismisses the demand."""
    if e.amount is None or e.amount < 0:
        raise _field("amount", "the amount the arrêt awards (0.00 when it dismisses the "
                     "demand) is required", "required")
    if e.amount == 0:
        return State.REJECTED
    if p.state is not State.REJECTED and e.amount == p.judgment_amount:
        return p.state
    return State.JUDGMENT


def apply_event(p: Proceeding, e: EventInput, today: date, params: ParameterTable,
                at: datetime, actor: str, *, stayable: bool = False) -> Proceeding:
    """The proceeding after `e`, or the reason it is refused.

    Raises ActionNotAllowed (the state does not take this event: 409 with the ones it
    does) or DomainValidationError (a date in the future, before the previous event or
    before the law allows, a missing field)."""
    allowed = proceeding_events(p, params, stayable=stayable)
    if e.type not in allowed:
        raise ActionNotAllowed(f"judicial event {e.type}", f"judicial, {p.state.value}",
                               allowed, f"a {p.route.value} in state {p.state.value} "
                               "does not take this event")
    kind = EventType(e.type)
    if e.occurred_on > today:
        raise _field("occurred_on", "cannot be in the future", "in_future")
    last = p.last_event_on
    if last is not None and e.occurred_on < last:
        raise _field("occurred_on", f"before the previous event ({last.isoformat()})",
                     "before_previous_event")
    if kind is EventType.WITHDRAWN:
        to = State.CLOSED
    elif kind is EventType.STAYED:
        to = State.STAYED
    elif kind in (EventType.COST, EventType.DOCUMENT, EventType.APPEALED):
        to = p.state  # an appeal does not stop enforcement (CPC 514: appeal.provisional)
    elif kind is EventType.APPEAL_DECIDED:
        to = _after_arret(p, e)
    else:
        to = MACHINES[p.route][p.state][kind]
    changes: dict[str, object] = {}
    details: dict[str, str] = {}
    day = e.occurred_on
    if e.court is not None:
        changes["court"] = e.court
        details["court"] = e.court.name
    if e.filer is not None:
        changes["filer"] = e.filer
        details["filer"] = e.filer.value
    if to is State.LAPSED:
        _check_lapse(replace(p, **changes), day, params)  # type: ignore[arg-type]
    match kind:
        case EventType.FILED:
            changes["filed_on"] = day
        case EventType.ORDER_GRANTED:
            order_on = e.order_date or day
            if order_on > day:
                raise _field("order_date", "after the day it is recorded as received",
                             "after_occurred_on")
            if p.filed_on is not None and order_on < p.filed_on:
                raise _field("order_date", f"before the request was filed "
                             f"({p.filed_on.isoformat()})", "before_filing")
            # The order states what the debtor is enjoined to pay: the statement's interest
            # since the order and the enforcement run on that figure, not on the request's.
            if e.amount is None or e.amount <= 0:
                raise _field("amount", "the amount the order enjoins the debtor to pay is "
                             "required", "required" if e.amount is None else "out_of_range")
            changes["order_on"], changes["order_amount"] = order_on, e.amount
            details["order_date"] = order_on.isoformat()
        case EventType.SERVED:
            if e.in_person is not None:
                changes["served_in_person"] = e.in_person
                details["in_person"] = "true" if e.in_person else "false"
            if p.route is JudicialRoute.INJONCTION_DE_PAYER and p.order_on is not None:
                due = _service_deadline(p.order_on, params, days_off_region(p))
                if day > due.last_day:
                    # Non avenue (CPC 1411): a late service cannot revive it; record `lapsed`.
                    raise _field("occurred_on", f"after the last day to serve the order "
                                 f"({due.last_day.isoformat()}): it is non avenue, record "
                                 "`lapsed`", "after_service_deadline")
            changes["served_on"] = day
        case EventType.SUMMONS_SERVED:
            changes["served_on"] = day
        case EventType.SUMMONS_PLACED:
            if p.hearing_on is not None and day > p.hearing_on:
                raise _field("occurred_on", f"after the hearing ({p.hearing_on.isoformat()})",
                             "after_hearing")
            changes["summons_placed_on"] = day
        case EventType.OPPOSED:
            if p.state in (State.ENFORCEABLE, State.ENFORCEMENT):
                late = late_opposition_deadline(p, params)
                if late is not None and day > late.last_day:
                    raise _field("occurred_on", f"after the last day to oppose "
                                 f"({late.last_day.isoformat()}, CPC 1416 al. 2)",
                                 "after_opposition_deadline")
                # The order is no title any more: the judgment on the opposition will be.
                changes["enforceable_on"] = None
            changes["opposed_on"] = day
        case EventType.UNCONTESTED:
            earliest = non_contestation_from(p, params)
            if earliest is not None and day < earliest[0]:
                raise _field("occurred_on", f"the PV de non-contestation comes on "
                             f"{earliest[0].isoformat()} at the earliest", "too_early")
            changes["uncontested_on"] = day
        case EventType.HEARING_SET:
            if e.hearing_on is None:
                raise _field("hearing_on", "the hearing's date is required", "required")
            if e.hearing_on < day:
                raise _field("hearing_on", "a hearing is set for a later day", "in_past")
            changes["hearing_on"] = e.hearing_on
            details["hearing_on"] = e.hearing_on.isoformat()
        case EventType.JUDGMENT:
            if e.amount is None:
                raise _field("amount", "the amount the judgment awards is required",
                             "required")
            pronounced = e.pronounced_on or day
            if pronounced > day:
                raise _field("pronounced_on", "after the day it is recorded", "after_occurred_on")
            if p.hearing_on is not None and pronounced < p.hearing_on:
                raise _field("pronounced_on", f"before the hearing "
                             f"({p.hearing_on.isoformat()})", "before_hearing")
            changes["judgment_on"], changes["judgment_amount"] = pronounced, e.amount
            details["pronounced_on"] = pronounced.isoformat()
        case EventType.JUDGMENT_SERVED:
            changes["judgment_served_on"] = day
            changes["enforceable_on"] = day
        case EventType.AGREED:
            changes["enforceable_on"] = day
        case EventType.ENFORCEABLE:
            earliest = enforceable_from(p, params)
            if earliest is not None and day < earliest[0]:
                raise _field("occurred_on", f"enforceable from {earliest[0].isoformat()} at "
                             f"the earliest ({earliest[1].source})", "too_early")
            changes["enforceable_on"] = day
        case EventType.ENFORCEMENT_STEP:
            if not (e.step or "").strip():
                raise _field("step", "name the enforcement step (e.g. saisie-attribution)",
                             "required")
            details["step"] = (e.step or "").strip()
        case EventType.COMMISSAIRE_PAYMENT:
            if e.amount is None or e.amount <= 0:
                raise _field("amount", "the amount the commissaire passed on is required",
                             "required")
        case EventType.DECLARED:
            changes["declared_on"] = day
        case EventType.APPEALED:
            if e.appellant not in (Party.DEBTOR.value, Party.CREDITOR.value):
                raise _field("appellant", "who appeals: debtor or creditor", "required")
            if p.state is State.REJECTED and e.appellant != Party.CREDITOR.value:
                raise _field("appellant", "the demand was dismissed: only the creditor "
                             "appeals that", "invalid")
            changes["appealed_on"], changes["appellant"] = day, Party(e.appellant)
            details["appellant"] = e.appellant
        case EventType.APPEAL_DECIDED:
            pronounced = e.pronounced_on or day
            if pronounced > day:
                raise _field("pronounced_on", "after the day it is recorded", "after_occurred_on")
            assert p.appealed_on is not None  # proceeding_events
            if pronounced < p.appealed_on:
                raise _field("pronounced_on", f"before the appeal "
                             f"({p.appealed_on.isoformat()})", "before_appeal")
            assert e.amount is not None  # _after_arret
            changes["appeal_decided_on"] = pronounced
            details["pronounced_on"] = pronounced.isoformat()
            if to is State.JUDGMENT:
                # The arrêt is the title now: served, it is enforceable (CPC 503).
                changes.update(judgment_on=pronounced, judgment_amount=e.amount,
                               judgment_served_on=None, enforceable_on=None)
            elif to is State.REJECTED:
                changes.update(judgment_amount=None, enforceable_on=None)
        case EventType.COST:
            if e.cost is None:
                raise _field("cost", "a cost event records a cost", "required")
        case EventType.DOCUMENT:
            if e.document is None:
                raise _field("document", "a document event records a document", "required")
        case _:
            pass
    if to in TERMINAL:
        changes["ended_on"] = day
    if kind in INTERRUPTING[p.route] and p.prescription_interrupted_on is None:
        changes["prescription_interrupted_on"] = day
    if (to is State.LAPSED or kind is EventType.WITHDRAWN
            or (to is State.CLOSED and p.state is State.REJECTED)):
        # C. civ. 2243: discontinuance, lapse, an extinguished opposition (Cass. 2e civ.
        # 19/11/2020, n° 19-20.238) or a demand rejected for good (closed after the
        # rejection: the creditor does not appeal) leave the interruption void.
        changes["prescription_interrupted_on"] = None
    if e.amount is not None:
        details["amount"] = str(e.amount)
    documents, costs = p.documents, p.costs
    if e.document is not None:
        documents = (*documents, replace(e.document, recorded_on=day, event=kind.value))
    if e.cost is not None:
        costs = (*costs, replace(e.cost, incurred_on=day))
    event = ProceedingEvent(seq=len(p.events) + 1, type=kind, occurred_on=day,
                            recorded_at=at, actor=actor, from_state=p.state, to_state=to,
                            details=details)
    return replace(p, state=to, events=(*p.events, event), documents=documents,
                   costs=costs, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- deadlines


class Party(StrEnum):
    CREDITOR = "creditor"
    DEBTOR = "debtor"


class Status(StrEnum):
    OPEN = "open"
    MET = "met"  # done in time (by the party it binds)
    MISSED = "missed"  # the day passed without it
    MOOT = "moot"  # the proceeding went another way before it fell due


@dataclass(frozen=True, slots=True)
class Deadline:
    """A day a rule sets. `kind` `by`: the act is due by `last_day`; `from`: the act may
    not come before `due` (enforcement after the opposition period)."""

    what: str
    due: date  # as the rule counts it (CPC 641: months to the same date)
    last_day: date  # `due` moved to the next working day when it is not one (CPC 642)
    kind: str
    party: Party
    rule: str  # the parameter's name
    source: str
    effective_from: date
    confirmed: bool
    status: Status


def days_off_region(p: Served) -> str | None:
    """Whose public holidays move a limit (CPC 642): the court's, where it is known. From
    its postal code (Alsace-Moselle's Good Friday and 26 December, each overseas
    department's abolition day: local public holidays, its greffe closed), else a TJ with
    a commercial chamber, which only Alsace-Moselle has; otherwise the national list only
    (never the debtor's region: a creditor's own limit must not gain a day that the court
    does not give)."""
    from domain.escalation.calendar import holiday_region

    court = p.court
    if court is None:
        return None
    if court.postal_code is not None:
        return holiday_region(court.postal_code, "FR")
    return "6AE" if court.kind == "TJ_CH_COM" else None


def _extended(day: date, region: str | None = None) -> date:
    """CPC 642: a time limit ending on a Saturday, Sunday or public holiday runs to the next
    working day (the national holidays and those of the court's region, days_off_region)."""
    from domain.escalation.calendar import is_business_day

    while not is_business_day(day, region):
        day = add_days(day, 1)
    return day


def _months(start: date, param: Parameter) -> date:
    return add_months(start, param.whole)


def _days(start: date, param: Parameter) -> date:
    return add_days(start, param.whole)


@dataclass(frozen=True, slots=True)
class _Rule:
    param: Parameter
    due: date
    last_day: date
    extra: tuple[Parameter, ...] = ()

    @property
    def source(self) -> str:
        return "; ".join(p.source for p in (self.param, *self.extra))


def _rule(param: Parameter, due: date, *extra: Parameter, extend: bool = True,
          region: str | None = None) -> _Rule:
    return _Rule(param, due, _extended(due, region) if extend else due, extra)


def _service_deadline(order_on: date, params: ParameterTable,
                      region: str | None = None) -> _Rule:
    # The order's date picks the rule: 6 months before 1 September 2026, 3 from it.
    param = params.at("injonction_de_payer.service_months", order_on)
    return _rule(param, _months(order_on, param), region=region)


def _opposition_deadline(p: Served, params: ParameterTable) -> _Rule | None:
    if p.served_on is None:
        return None
    if p.route is JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT:
        param = params.at("european_order_for_payment.opposition_days", p.served_on)
        return _rule(param, _days(p.served_on, param), region=days_off_region(p))
    param = params.at("injonction_de_payer.opposition_months", p.served_on)
    return _with_distance(p, param, p.served_on, params)


def distance_extension(p: Served, params: ParameterTable, on: date) -> Parameter | None:
    """CPC 643 (a court in metropolitan France: +1 month for a party living overseas, +2
    abroad) and 644 (a court overseas: +1 for a party living outside its collectivity, +2
    abroad), for the periods of appeal and opposition among others. A debtor overseas
    before the court where they live (the default competence) has no extension: a court
    overseas is taken to sit in the debtor's own collectivity, which is not known here."""
    seat, lives = p.court_seat, p.debtor_residence
    if lives is Residence.ABROAD:
        return params.at("distance.abroad_extra_months", on)
    if lives is not seat:
        return params.at("distance.overseas_extra_months", on)
    return None


def _with_distance(p: Served, param: Parameter, start: date,
                   params: ParameterTable) -> _Rule:
    """A period in months or days from `start`, extended for distance. The months are added
    together before the day is clamped to a month's end (CPC 641): 31 October + 1 + 2
    months is 31 January, not the 30th that chaining through November would give."""
    more = distance_extension(p, params, start)
    extra = more.whole if more is not None else 0
    if param.unit == "months":
        due = add_months(start, param.whole + extra)
    else:
        due = add_months(_days(start, param), extra)
    return _rule(param, due, *((more,) if more is not None else ()),
                 region=days_off_region(p))


def _enforce_without_notice(p: Served, params: ParameterTable) -> _Rule | None:
    """Décret 2026-96: for orders from 1 September 2026 the greffe notifies only
    oppositions; without one within 2 months of service the creditor may enforce."""
    if (p.route is not JudicialRoute.INJONCTION_DE_PAYER or p.served_on is None
            or p.order_on is None):
        return None
    try:
        param = params.at("injonction_de_payer.enforce_without_notice_months", p.order_on)
    except LookupError:
        return None  # an older order: the greffe's certificat de non-opposition instead
    return _rule(param, _months(p.served_on, param), extend=False)


def enforceable_from(p: Served, params: ParameterTable) -> tuple[date, _Rule] | None:
    """The first day the title may be enforced, with the rule that sets it: the day after
    the opposition period (and, for the new orders, after the 2 months without a greffe
    notice)."""
    if p.route not in (JudicialRoute.INJONCTION_DE_PAYER,
                       JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT):
        return None
    opposition = _opposition_deadline(p, params)
    if opposition is None:
        return None
    found = (add_days(opposition.last_day, 1), opposition)
    notice = _enforce_without_notice(p, params)
    if notice is not None and add_days(notice.due, 1) > found[0]:
        found = (add_days(notice.due, 1), notice)
    return found


def late_opposition_open(p: Proceeding) -> bool:
    """CPC 1416 al. 2: an injonction de payer's order not served to the debtor in person
    (or not said to be) may be opposed after the month, until a month after the first
    enforcement measure; one served in person only within the month."""
    return (p.route is JudicialRoute.INJONCTION_DE_PAYER and p.served_on is not None
            and p.served_in_person is not True and p.opposed_on is None)


def first_enforcement_on(p: Proceeding) -> date | None:
    return next((ev.occurred_on for ev in p.events
                 if ev.type is EventType.ENFORCEMENT_STEP), None)


def late_opposition_deadline(p: Proceeding, params: ParameterTable) -> _Rule | None:
    """The last day of a late opposition: a month after the first enforcement step (the
    first measure that makes the debtor's goods unavailable is taken to be that step),
    None before one or when the order was served in person."""
    step = first_enforcement_on(p)
    if step is None or p.route is not JudicialRoute.INJONCTION_DE_PAYER \
            or p.served_in_person is True:
        return None
    # The same month as from a service, extended for distance like it (CPC 643-644).
    return _with_distance(p, params.at("injonction_de_payer.opposition_months", step), step,
                          params)


def _pay_or_contest(served_on: date, params: ParameterTable,
                    region: str | None = None) -> _Rule:
    month = params.at("commercial_uncontested.pay_or_contest_months", served_on)
    return _rule(month, _months(served_on, month), region=region)


def non_contestation_from(p: Served, params: ParameterTable) -> tuple[date, _Rule] | None:
    if p.route is not JudicialRoute.COMMERCIAL_UNCONTESTED or p.served_on is None:
        return None
    month = _pay_or_contest(p.served_on, params, days_off_region(p))
    eight = params.at("commercial_uncontested.non_contestation_days", p.served_on)
    # The 8 days count from the month's last day as CPC 642 moves it: the debtor may
    # contest until then.
    day = add_days(month.last_day, eight.whole)
    return day, _rule(eight, day, month.param, extend=False)


def _appeal_deadline(p: Proceeding, params: ParameterTable) -> _Rule | None:
    """The debtor's appeal, from the decision's service (CPC 528): a month against a
    judgment (CPC 538), 15 days against an ordonnance de référé (CPC 490), extended for
    distance (CPC 643-644). None when the decision is in last resort by its amount (the
    claim's value up to the threshold: no appeal, CPC 490 al. 1 for the référé) or the
    route's appeal is another law's (the European procedures)."""
    if (p.judgment_served_on is None or p.route not in _APPEAL_DAYS
            or p.appeal_decided_on is not None):  # an arrêt: a pourvoi, not modelled
        return None
    on = p.judgment_served_on
    last_resort = params.at("appeal.last_resort_up_to", on)
    if p.amount_claimed <= last_resort.value:
        return None
    rule = _with_distance(p, params.at(_APPEAL_DAYS[p.route], on), on, params)
    return replace(rule, extra=(*rule.extra, last_resort))


_APPEAL_DAYS = {
    JudicialRoute.REFERE_PROVISION: "refere_provision.appeal_days",
    JudicialRoute.ASSIGNATION_AU_FOND: "appeal.months",
    JudicialRoute.INJONCTION_DE_PAYER: "appeal.months",  # the judgment on the opposition
}


def _previous_working_day(day: date, region: str | None = None) -> date:
    from domain.escalation.calendar import is_business_day

    while not is_business_day(day, region):
        day = add_days(day, -1)
    return day


def _placement_deadline(p: Proceeding, params: ParameterTable) -> _Rule | None:
    """The served assignation goes to the greffe some days before the hearing (CPC 754
    before the TJ, 857 before a commercial court), else it lapses. A limit counted back
    from the hearing moves to the working day BEFORE a weekend or holiday: moving it on,
    as CPC 642 does a limit that runs forward, would leave fewer days than the rule asks.
    An unknown court counts the TJ's period, the longer."""
    if p.route is not JudicialRoute.ASSIGNATION_AU_FOND or p.hearing_on is None:
        return None
    commercial = p.court is not None and p.court.kind in ("TC", "TAE", "TJ_CH_COM")
    name = ("assignation_au_fond.placement_days_tc" if commercial
            else "assignation_au_fond.placement_days_tj")
    param = params.at(name, p.hearing_on)
    due = add_days(p.hearing_on, -param.whole)
    return _Rule(param, due, _previous_working_day(due, days_off_region(p)))


def _check_lapse(p: Proceeding, day: date, params: ParameterTable) -> None:
    """A proceeding lapses only once the limit that makes it lapse has passed: before, the
    creditor can still act (or withdraws, which is its own event)."""
    rule: _Rule | None = None
    if p.state is State.ORDER_GRANTED and p.order_on is not None:
        rule = _service_deadline(p.order_on, params,  # non avenue, CPC 1411
                                 days_off_region(p))
    elif p.state is State.OPPOSED and p.opposed_on is not None:
        # extinguished, CPC 1418; without a lawyer required there is no lapse to record
        # (proceeding_events does not offer it)
        rule = _lawyer_deadline(p, params)
    elif p.state is State.HEARING_SET:
        rule = _placement_deadline(p, params)  # caducité, CPC 754 / 857
        if rule is not None and p.summons_placed_on is not None:
            raise _field("type", f"the assignation was placed on "
                         f"{p.summons_placed_on.isoformat()}", "placed")
    if rule is not None and day <= rule.last_day:
        raise _field("occurred_on", f"it lapses after {rule.last_day.isoformat()} "
                     f"({rule.source}); withdraw to give it up before", "too_early")


def _lawyer_deadline(p: Proceeding, params: ParameterTable) -> _Rule | None:
    """CPC 1418: after an opposition, a lawyer within 15 days where one is mandatory
    (above the threshold, before the TJ and the TC alike; never before the juge des
    contentieux de la protection, whose matters need none at any amount, CPC 761 1°)."""
    if p.route is not JudicialRoute.INJONCTION_DE_PAYER or p.opposed_on is None:
        return None
    if p.court is not None and p.court.kind == "JCP":
        return None
    above = params.at("lawyer.required_above", p.opposed_on)
    if p.amount_claimed <= above.value:
        return None
    param = params.at("injonction_de_payer.opposition_lawyer_days", p.opposed_on)
    return _rule(param, _days(p.opposed_on, param), above, region=days_off_region(p))


def _status_by(done_on: date | None, last_day: date, today: date, ended: bool) -> Status:
    if done_on is not None:
        return Status.MET if done_on <= last_day else Status.MISSED
    if today > last_day:
        return Status.MISSED
    return Status.MOOT if ended else Status.OPEN


def _deadline(what: str, rule: _Rule, kind: str, party: Party, status: Status) -> Deadline:
    return Deadline(what=what, due=rule.due, last_day=rule.last_day, kind=kind, party=party,
                    rule=rule.param.name, source=rule.source,
                    effective_from=rule.param.effective_from,
                    confirmed=all(x.confirmed for x in (rule.param, *rule.extra)),
                    status=status)


def deadlines(p: Proceeding, params: ParameterTable, today: date) -> list[Deadline]:
    """Every deadline the recorded events have started, the earliest first."""
    out: list[Deadline] = []
    ended = p.state in TERMINAL
    ip = p.route is JudicialRoute.INJONCTION_DE_PAYER
    if ip and p.order_on is not None:
        rule = _service_deadline(p.order_on, params, days_off_region(p))
        status = _status_by(p.served_on, rule.last_day, today, ended)
        out.append(_deadline("serve_order", rule, "by", Party.CREDITOR, status))
    if p.route in (JudicialRoute.INJONCTION_DE_PAYER,
                   JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT) and p.served_on is not None:
        opposition = _opposition_deadline(p, params)
        assert opposition is not None
        last = opposition.last_day
        late = late_opposition_deadline(p, params)
        admitted_late = (p.opposed_on is not None and p.opposed_on > last and late is None
                         and p.served_in_person is not True
                         and p.route is JudicialRoute.INJONCTION_DE_PAYER)
        status = (Status.MET if p.opposed_on is not None and (p.opposed_on <= last
                                                             or admitted_late)
                  else Status.MOOT if late is not None  # superseded by the late period
                  # Not served in person: the month passed does not close it (CPC 1416).
                  else Status.OPEN if (p.opposed_on is None and today > last
                                       and late_opposition_open(p) and not ended)
                  else Status.MISSED if p.opposed_on is not None or today > last
                  else Status.MOOT if ended else Status.OPEN)
        out.append(_deadline("opposition", opposition, "by", Party.DEBTOR, status))
        if late is not None:
            out.append(_deadline("late_opposition", late, "by", Party.DEBTOR, _status_by(
                p.opposed_on, late.last_day, today, ended)))
        earliest = enforceable_from(p, params)
        if earliest is not None and p.opposed_on is None:
            day, source = earliest
            enforce = replace(source, due=day, last_day=day)
            out.append(_deadline("enforce_from", enforce, "from", Party.CREDITOR,
                                 Status.MET if p.enforceable_on else
                                 Status.MOOT if ended else Status.OPEN))
    lawyer = _lawyer_deadline(p, params)
    if lawyer is not None:
        # A lawyer named as the filer, or the hearing set, is the sign one took the case.
        opposed = next(ev.seq for ev in p.events if ev.type is EventType.OPPOSED)
        done = next((ev.occurred_on for ev in p.events[opposed:]
                     if ev.type is EventType.HEARING_SET
                     or ev.details.get("filer") == Filer.LAWYER.value), None)
        out.append(_deadline("instruct_lawyer", lawyer, "by", Party.CREDITOR,
                             _status_by(done, lawyer.last_day, today, ended)))
    if p.route is JudicialRoute.COMMERCIAL_UNCONTESTED and p.served_on is not None:
        rule = _pay_or_contest(p.served_on, params, days_off_region(p))
        contested = next((ev.occurred_on for ev in p.events
                          if ev.type is EventType.CONTESTED), None)
        out.append(_deadline("pay_or_contest", rule, "by", Party.DEBTOR,
                             Status.MET if contested else
                             Status.MISSED if today > rule.last_day or p.uncontested_on
                             else Status.MOOT if ended else Status.OPEN))
        found = non_contestation_from(p, params)
        assert found is not None
        out.append(_deadline("non_contestation_from", found[1], "from", Party.CREDITOR,
                             Status.MET if p.uncontested_on else
                             Status.MOOT if ended or contested else Status.OPEN))
    if p.route is JudicialRoute.SIMPLIFIED_SMALL_CLAIMS and p.filed_on is not None:
        param = params.at("simplified_small_claims.answer_months", p.filed_on)
        rule = _rule(param, _months(p.filed_on, param), region=days_off_region(p))
        answered = next((ev.occurred_on for ev in p.events
                         if ev.type in (EventType.AGREED, EventType.REFUSED)), None)
        out.append(_deadline("debtor_answer", rule, "by", Party.DEBTOR,
                             _status_by(answered, rule.last_day, today, ended)))
    if p.route is JudicialRoute.EUROPEAN_SMALL_CLAIMS and p.served_on is not None:
        param = params.at("european_small_claims.answer_days", p.served_on)
        rule = _rule(param, _days(p.served_on, param), region=days_off_region(p))
        out.append(_deadline("debtor_answer", rule, "by", Party.DEBTOR,
                             Status.MISSED if today > rule.last_day
                             else Status.MOOT if ended or p.judgment_on else Status.OPEN))
    appeal = _appeal_deadline(p, params)
    if appeal is not None:
        out.append(_deadline("appeal", appeal, "by", Party.DEBTOR, _status_by(
            p.appealed_on if p.appellant is Party.DEBTOR else None, appeal.last_day, today,
            ended)))
    placement = _placement_deadline(p, params)
    if placement is not None:
        out.append(_deadline("place_summons", placement, "by", Party.CREDITOR,
                             # A judgment says the court was seized, so it was placed.
                             _status_by(p.summons_placed_on or (
                                 placement.last_day if p.judgment_on else None),
                                 placement.last_day, today, ended)))
    if p.route is JudicialRoute.DECLARATION_OF_CLAIM and p.bodacc_published_on is not None:
        # The period the debtor's proceedings read (domain/debtors/data/insolvency.json).
        param = params.at("insolvency.declaration_months", p.bodacc_published_on)
        due = _months(p.bodacc_published_on, param)
        if p.declaration_deadline is not None and p.declaration_deadline > due:
            due = p.declaration_deadline  # R622-24 al. 2: the creditor lives abroad
        rule = _rule(param, due, region=days_off_region(p))
        out.append(_deadline("declare", rule, "by", Party.CREDITOR,
                             _status_by(p.declared_on, rule.last_day, today, ended)))
    if p.hearing_on is not None:
        out.append(Deadline("hearing", p.hearing_on, p.hearing_on, "on", Party.CREDITOR,
                            "court.hearing_on", "the date the court set", p.hearing_on, True,
                            Status.MET if p.judgment_on or (p.state in (
                                State.REJECTED,) and today >= p.hearing_on)
                            else Status.MOOT if ended else Status.OPEN))
    if p.enforceable_on is not None:
        param = params.at("enforcement.title_years", p.enforceable_on)
        rule = _rule(param, add_months(p.enforceable_on, 12 * param.whole), extend=False)
        out.append(_deadline("title_enforceable_until", rule, "by", Party.CREDITOR,
                             Status.MET if p.state is State.CLOSED
                             else Status.MISSED if today > rule.last_day else Status.OPEN))
    return sorted(out, key=lambda d: (d.last_day, d.what))


def appeal_task(p: Proceeding, params: ParameterTable) -> tuple[str, date, str] | None:
    """What the creditor does once an appeal is lodged, by when and why: as respondent,
    instruct a lawyer (representation is mandatory before the cour d'appel); as
    appellant, have its lawyer file the conclusions, else the appeal lapses."""
    if p.appealed_on is None or p.appellant is None:
        return None
    if p.appellant is Party.DEBTOR:
        param = params.at("appeal.respondent_lawyer_months", p.appealed_on)
        return ("respondent", _extended(_months(p.appealed_on, param), days_off_region(p)),
                param.source)
    # An ordonnance de référé is appealed by the short procedure (CPC 905): shorter.
    param = params.at("appeal.short_appellant_conclusions_months"
                      if p.route is JudicialRoute.REFERE_PROVISION
                      else "appeal.appellant_conclusions_months", p.appealed_on)
    return ("appellant", _extended(_months(p.appealed_on, param), days_off_region(p)),
            param.source)


def title_enforceable_until(p: Proceeding, params: ParameterTable) -> date | None:
    """CPCE L111-4: 10 years from the day the title became enforceable."""
    if p.enforceable_on is None:
        return None
    return add_months(p.enforceable_on,
                      12 * params.at("enforcement.title_years", p.enforceable_on).whole)
