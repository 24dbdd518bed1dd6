"""The operator's clock: read it, and, in a local run only, move it forward and play the
ladders up to then (`relance tick`). In AWS the clock is the system's and a move answers
409 `clock-fixed`: nothing in a deployed function can make time pass."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from msgspec import Meta

from api.http.auth import operator_only
from api.http.deps import PortsDep, operation
from api.http.problems import ProblemException
from api.http.schemas._base import Input, Output
from api.http.schemas.claims import EventOut
from domain.letters.model import Letter, LetterStatus
from domain.services.caller import Caller, Ports
from domain.shared.validation import raise_if

if TYPE_CHECKING:
    from domain.services.time_travel import ClaimTrip

# How long a move waits, after a step that asked for a letter, for the letter worker to
# render and post it before the clock goes on (a formal notice's deadline runs from its
# posting, so the trip must not outrun it).
LETTER_WAIT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class LocalTime:
    """What a local run puts in the app's state to let the clock move: the clock's mover,
    and what must hold before the clock reaches an instant (the demo's rate tables)."""

    move_to: Callable[[datetime], object]
    before_trip: Callable[[datetime], object] = lambda to: None


class ClockOut(Output):
    now: datetime
    movable: bool


class ClockMove(Input):
    to: Annotated[datetime, Meta(
        description="An aware instant (with its offset) after the clock's now, within "
                    "three years", examples=["2027-01-31T23:59:00+01:00"])]
    answers: Annotated[dict[str, str], Meta(
        description="Per kind of task (call, visit, approval, judicial_assessment, "
                    "verify_contact), the outcome to answer at once, so that manual steps do "
                    "not block the ladders (promise_made and dispute_raised need more than "
                    "a word: not here)", examples=[{"call": "no_answer",
                                                     "approval": "approved"}])] = {}
    wait_for_letters: bool = True


class TripLetterOut(Output):
    id: str
    kind: str
    status: str
    step_key: str | None
    posted: bool
    download_url: str | None


class TripClaimOut(Output):
    creditor_id: str
    claim_id: str
    events: list[EventOut]
    letters: list[TripLetterOut]


class TripOut(Output):
    started_at: datetime
    arrived_at: datetime
    steps_run: int
    claims: list[TripClaimOut]


class ClockController(Controller):
    path = "/v1/admin/clock"
    tags = ["operator"]
    guards = [operator_only]

    @get("/", **operation("GetClock", 401, 403), summary="The clock the ladders run on")
    def get_clock(self, request: Request[Any, Any, Any], ports: PortsDep) -> ClockOut:
        return ClockOut(now=ports.clock.now(), movable=_local_time(request) is not None)

    @post("/", **operation("MoveClock", 400, 401, 403, 409, 413, 422), status_code=200,
          summary="Move a local run's clock forward, running every step due on the way")
    def move_clock(self, request: Request[Any, Any, Any], data: JSONBody[ClockMove],
                   ports: PortsDep) -> TripOut:
        # The trip runs the ladder: its services load when the route is called, not at the
        # HTTP function's start-up (in AWS this route only answers 409).
        from domain.escalation.tasks import TaskKind
        from domain.services.time_travel import answer_errors, travel

        local = _local_time(request)
        if local is None:
            raise ProblemException(409, "clock-fixed",
                                   "the clock is the system's: only a local run moves it")
        raise_if(answer_errors(data.answers))
        local.before_trip(data.to)
        pause = time.sleep if data.wait_for_letters else None
        trip = travel(data.to, ports, local.move_to,
                      answers={TaskKind(k): v for k, v in data.answers.items()},
                      after_letter=(lambda c, k: _wait_for_letters(c, k, ports, pause))
                      if pause else None)
        return TripOut(started_at=trip.started_at, arrived_at=trip.arrived_at,
                       steps_run=trip.steps_run,
                       claims=[_claim_out(c, trip.started_at, ports) for c in trip.claims])


def _local_time(request: Request[Any, Any, Any]) -> LocalTime | None:
    local: LocalTime | None = request.app.state.get("local_time")
    return local


def _settled(letter: Letter) -> bool:
    if letter.status is LetterStatus.FAILED:
        return True
    return letter.status is LetterStatus.READY and (
        letter.dispatch_on_ready is None or letter.dispatch is not None)


def _wait_for_letters(creditor_id: str, claim_id: str, ports: Ports,
                      pause: Callable[[float], object]) -> None:
    from domain.services import letters as letter_service

    caller = Caller(creditor_id, "operator")
    deadline = time.monotonic() + LETTER_WAIT_SECONDS
    while time.monotonic() < deadline:
        if all(_settled(x) for x in letter_service.list_letters(claim_id, caller, ports)):
            return
        pause(0.25)


def _claim_out(trip: ClaimTrip, since: datetime, ports: Ports) -> TripClaimOut:
    from domain.services import letters as letter_service

    caller = Caller(trip.creditor_id, "operator")
    out = []
    for letter in letter_service.list_letters(trip.claim_id, caller, ports):
        if letter.requested_at < since:
            continue
        out.append(TripLetterOut(id=letter.id, kind=letter.kind.value,
                                 status=letter.status.value, step_key=letter.step_key,
                                 posted=letter.dispatch is not None,
                                 download_url=letter_service.download_link(letter, ports)))
    return TripClaimOut(creditor_id=trip.creditor_id, claim_id=trip.claim_id,
                        events=[EventOut.of(e) for e in trip.events], letters=out)
