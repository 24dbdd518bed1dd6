"""The wake-ups as EventBridge Scheduler one-time schedules (reference/letters-escalation.md
B10): `at()` in the debtor's time zone, deleted once fired, retried for an hour, failed
deliveries to a dead-letter queue, and a name derived from the claim, the step and the
claim's version, so that scheduling twice is one schedule.

moto stores schedules but accepts any expression and never fires one: the expression is
checked here (`at_expression`) before the call, and the trigger is tested with the Input
payload (`encode_wakeup` / `decode_wakeup`, tests/events/scheduler-wakeup.json).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from botocore.exceptions import BotoCoreError, ClientError

from domain.ports.escalation import ChannelUnavailable, ScheduledWakeup, Wakeup
from domain.ports.repositories import Clock

# --- names --------------------------------------------------------------------------------

NAME_MAX = 64
_NAME = re.compile(r"^[0-9A-Za-z_.-]{1,64}$")


def schedule_name(wakeup: Wakeup) -> str:
    """`c-<claim id>-<step key>-v<version>`; when that is too long or holds a character
    the Scheduler refuses, `c-<40 hex of its SHA-256>-v<version>` (still one name per
    claim, step and version, and the version still readable)."""
    name = f"c-{wakeup.claim_id}-{wakeup.step_key}-v{wakeup.claim_version}"
    if _NAME.match(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:40]
    return f"c-{digest}-v{wakeup.claim_version}"


# --- the at() expression --------------------------------------------------------------------

MAX_YEAR = 2199  # the Scheduler refuses an at() beyond it
PAST_TOLERANCE = timedelta(minutes=1)
_AT = re.compile(r"^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$")


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{time_zone!r} is not an IANA time zone") from None


def _round_up_to_minute(at: datetime) -> datetime:
    """The Scheduler fires at() to the minute (60 s precision): rounding down could fire
    a step before its time (before a contact window opens, before a deadline ends), so a
    second past the minute waits for the next one."""
    floor = at.replace(second=0, microsecond=0)
    return floor if floor == at else floor + timedelta(minutes=1)


def at_expression(at: datetime, time_zone: str, *, now: datetime | None = None) -> str:
    """`at(YYYY-MM-DDThh:mm:ss)` for the instant `at`, written in `time_zone`'s wall time.

    Raises ValueError for a naive datetime, an unknown zone, an instant more than a minute
    before `now` (the system clock when not given), or a year beyond 2199."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a wake-up time is an aware datetime")
    zone = _zone(time_zone)
    current = now if now is not None else datetime.now(UTC)
    if at < current - PAST_TOLERANCE:
        raise ValueError(f"a wake-up at {at.isoformat()} is in the past")
    local = _round_up_to_minute(at).astimezone(zone)
    if local.year > MAX_YEAR:
        raise ValueError(f"the Scheduler takes no date beyond {MAX_YEAR}")
    return f"at({local:%Y-%m-%dT%H:%M:%S})"


def parse_at(expression: str, time_zone: str | None = None) -> datetime:
    """The wall time of an `at()` expression; aware in `time_zone` when given."""
    match = _AT.match(expression)
    if not match:
        raise ValueError(f"{expression!r} is not an at() expression")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    wall = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - a wall time
    return wall if time_zone is None else wall.replace(tzinfo=_zone(time_zone))


def _ambiguous(at: datetime, zone: ZoneInfo) -> bool:
    """A wall time that the autumn clock change shows twice (Paris: 02:00–02:59 on the last
    Sunday of October): at() cannot say which is meant."""
    local = at.astimezone(zone)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


# --- the Input payload ----------------------------------------------------------------------

NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class _WakeupJson(msgspec.Struct, forbid_unknown_fields=True):
    creditor_id: NonEmpty
    claim_id: NonEmpty
    step_key: NonEmpty
    claim_version: Annotated[int, msgspec.Meta(ge=0)]
    debtor_id: Annotated[str, msgspec.Meta(max_length=200)] = ""


class _SchedulerEnvelope(msgspec.Struct):
    """The "Scheduled Event" shape (source aws.scheduler), whose `detail` is a JSON string,
    as a target without Input receives it (/work/shared/events)."""

    source: str
    detail: msgspec.Raw


def encode_wakeup(wakeup: Wakeup) -> str:
    return msgspec.json.encode(_WakeupJson(wakeup.creditor_id, wakeup.claim_id,
                                           wakeup.step_key, wakeup.claim_version,
                                           wakeup.debtor_id)).decode()


def _strict(data: str | bytes) -> Wakeup:
    decoded = msgspec.json.decode(data, type=_WakeupJson, strict=True)
    return Wakeup(decoded.creditor_id, decoded.claim_id, decoded.step_key,
                  decoded.claim_version, decoded.debtor_id)


def decode_wakeup(data: str | bytes) -> Wakeup:
    """The Wakeup a schedule's Input carries, as the Lambda target receives it: the Input
    JSON itself, or (accepted too) wrapped as a Scheduled Event whose detail is that JSON.
    Strict: a missing field, a stranger, a version as a string are errors (ValueError)."""
    try:
        return _strict(data)
    except msgspec.ValidationError as first:
        try:
            envelope = msgspec.json.decode(data, type=_SchedulerEnvelope)
        except (msgspec.ValidationError, msgspec.DecodeError):
            raise ValueError(f"not a wake-up: {first}") from None
        if envelope.source != "aws.scheduler":
            raise ValueError(f"not a wake-up: {first}") from None
        detail: Any = msgspec.json.decode(envelope.detail)
        try:
            return _strict(detail if isinstance(detail, str) else bytes(envelope.detail))
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            raise ValueError(f"a scheduler event that carries no wake-up: {error}") from None
    except msgspec.DecodeError as error:
        raise ValueError(f"not JSON: {error}") from None


# --- the adapter ----------------------------------------------------------------------------

RETRY_POLICY = {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 10}
_TRANSIENT = {"ThrottlingException", "InternalServerException",
              "ServiceQuotaExceededException", "ResourceNotFoundException"}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _unavailable(error: ClientError) -> bool:
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return _code(error) in _TRANSIENT or status >= 500


class EventBridgeScheduler:
    def __init__(self, client: Any, group: str, target_arn: str, role_arn: str,
                 dead_letter_arn: str, clock: Clock) -> None:
        self._client = client
        self._group = group
        self._target = target_arn
        self._role = role_arn
        self._dead_letter = dead_letter_arn
        self._clock = clock

    def request(self, wakeup: ScheduledWakeup) -> dict[str, Any]:
        """The CreateSchedule parameters. Raises ValueError (see at_expression)."""
        zone = wakeup.time_zone
        if _ambiguous(wakeup.at, _zone(zone)):
            zone = "UTC"  # one reading only, whatever the Scheduler makes of a doubled hour
        return {
            "Name": schedule_name(wakeup.wakeup),
            "GroupName": self._group,
            "ScheduleExpression": at_expression(wakeup.at, zone, now=self._clock.now()),
            "ScheduleExpressionTimezone": zone,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "Target": {
                "Arn": self._target,
                "RoleArn": self._role,
                "Input": encode_wakeup(wakeup.wakeup),
                "RetryPolicy": dict(RETRY_POLICY),
                "DeadLetterConfig": {"Arn": self._dead_letter},
            },
        }

    def schedule(self, wakeup: ScheduledWakeup) -> str:
        params = self.request(wakeup)
        try:
            self._client.create_schedule(**params)
        except ClientError as error:
            if _code(error) == "ConflictException":
                return str(params["Name"])  # scheduled already: the same claim, step, version
            if _unavailable(error):
                raise ChannelUnavailable(f"the scheduler could not be reached "
                                         f"({_code(error)})") from error
            raise
        except BotoCoreError as error:
            raise ChannelUnavailable(f"the scheduler could not be reached "
                                     f"({type(error).__name__})") from error
        return str(params["Name"])

    def cancel(self, name: str) -> None:
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except ClientError as error:
            if _code(error) == "ResourceNotFoundException":
                return  # fired and deleted, or cancelled before
            if _unavailable(error):
                raise ChannelUnavailable(f"the scheduler could not be reached "
                                         f"({_code(error)})") from error
            raise
        except BotoCoreError as error:
            raise ChannelUnavailable(f"the scheduler could not be reached "
                                     f"({type(error).__name__})") from error
