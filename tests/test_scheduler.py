"""The wake-up schedules: EventBridge Scheduler through moto (which stores schedules but
checks no expression, reference B10), the at() expression checked here, the Input payload,
and the in-memory scheduler of make run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

from adapters.clock import FrozenClock
from adapters.scheduler import (
    EventBridgeScheduler,
    at_expression,
    decode_wakeup,
    encode_wakeup,
    parse_at,
    schedule_name,
)
from adapters.scheduler_local import LocalScheduler
from domain.ports.escalation import ChannelUnavailable, ScheduledWakeup, Wakeup

EVENTS = Path(__file__).resolve().parent / "events"
PARIS = "Europe/Paris"
NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
CLAIM = "clm_01JD4P2B3C4D5E6F7G8H9J0K1M"
WAKEUP = Wakeup("cred_01JD4N6Q0M7K2R5T8V9W3X4Y5Z", CLAIM, "overdue_email", 3)
GROUP = "relance-wakeups"
TARGET = "arn:aws:lambda:eu-west-3:123456789012:function:relance-trigger"
ROLE = "arn:aws:iam::123456789012:role/relance-scheduler"
DLQ = "arn:aws:sqs:eu-west-3:123456789012:relance-wakeups-dlq"


# --- names ------------------------------------------------------------------------------------


def test_the_name_is_the_claim_the_step_and_the_version() -> None:
    assert schedule_name(WAKEUP) == f"c-{CLAIM}-overdue_email-v3"


def test_a_name_too_long_is_hashed_and_keeps_its_version() -> None:
    long_step = Wakeup("cred_1", CLAIM, "a_step_key_much_longer_than_the_names_allow", 12)
    # 80 characters as is; `printf '%s' <that> | sha256sum | cut -c1-40`
    assert schedule_name(long_step) == "c-9f2e71540898be9e07880014a3750ef1b7814fa1-v12"


def test_a_name_with_a_refused_character_is_hashed() -> None:
    assert schedule_name(Wakeup("cred_1", "clm_1", "pre due/sms", 1)) == (
        "c-b30487d8db7fd1afdbca2dabcd8bae6ef8e2310c-v1")


# --- at() ---------------------------------------------------------------------------------------


def test_the_instant_is_written_in_the_zones_wall_time() -> None:
    # December: Paris is UTC+1; July: UTC+2
    assert at_expression(datetime(2026, 12, 4, 8, 30, tzinfo=UTC), PARIS, now=NOW) == (
        "at(2026-12-04T09:30:00)")
    assert at_expression(datetime(2027, 7, 1, 8, 0, tzinfo=UTC), PARIS, now=NOW) == (
        "at(2027-07-01T10:00:00)")


@pytest.mark.parametrize(("second", "micro", "expected"), [
    (0, 0, "at(2026-12-04T09:30:00)"),
    (0, 1, "at(2026-12-04T09:31:00)"),
    (59, 0, "at(2026-12-04T09:31:00)"),
])
def test_below_the_minute_it_rounds_up(second: int, micro: int, expected: str) -> None:
    at = datetime(2026, 12, 4, 8, 30, second, micro, tzinfo=UTC)
    assert at_expression(at, PARIS, now=NOW) == expected


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        at_expression(datetime(2026, 12, 4, 9, 30), PARIS, now=NOW)


def test_the_past_is_refused_beyond_a_minute() -> None:
    with pytest.raises(ValueError, match="past"):
        at_expression(NOW - timedelta(seconds=61), PARIS, now=NOW)
    # within the minute: accepted, at the clock's minute
    assert at_expression(NOW - timedelta(seconds=30), PARIS, now=NOW) == (
        "at(2026-12-04T09:00:00)")


def test_beyond_2199_is_refused() -> None:
    assert at_expression(datetime(2199, 12, 31, 22, 0, tzinfo=UTC), PARIS, now=NOW) == (
        "at(2199-12-31T23:00:00)")
    with pytest.raises(ValueError, match="2199"):
        # 23:30 UTC is already 2200 in Paris
        at_expression(datetime(2199, 12, 31, 23, 30, tzinfo=UTC), PARIS, now=NOW)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="IANA"):
        at_expression(NOW, "Europe/Nowhere", now=NOW)


@pytest.mark.parametrize("at", [
    datetime(2026, 12, 4, 8, 30, 12, tzinfo=UTC),
    datetime(2027, 3, 28, 1, 0, tzinfo=UTC),  # Paris springs forward to 03:00
    datetime(2027, 6, 15, 17, 59, 59, 999999, tzinfo=UTC),
])
def test_parse_at_reads_back_the_rounded_instant(at: datetime) -> None:
    rounded = at.replace(second=0, microsecond=0) + (
        timedelta(minutes=1) if (at.second, at.microsecond) != (0, 0) else timedelta())
    assert parse_at(at_expression(at, PARIS, now=NOW), PARIS) == rounded


def test_parse_at_refuses_other_expressions() -> None:
    with pytest.raises(ValueError):
        parse_at("rate(5 minutes)")
    assert parse_at("at(2026-12-04T09:30:00)") == datetime(2026, 12, 4, 9, 30)


# --- the Input payload ----------------------------------------------------------------------


def test_the_wakeup_is_encoded_as_plain_json() -> None:
    assert json.loads(encode_wakeup(WAKEUP)) == {
        "creditor_id": "cred_01JD4N6Q0M7K2R5T8V9W3X4Y5Z", "claim_id": CLAIM,
        "step_key": "overdue_email", "claim_version": 3, "debtor_id": ""}
    assert decode_wakeup(encode_wakeup(WAKEUP)) == WAKEUP
    with_debtor = Wakeup(WAKEUP.creditor_id, WAKEUP.claim_id, WAKEUP.step_key, 3, "dbt_1")
    assert decode_wakeup(encode_wakeup(with_debtor)) == with_debtor


def test_the_sample_event_is_what_the_trigger_receives() -> None:
    assert decode_wakeup((EVENTS / "scheduler-wakeup.json").read_bytes()) == WAKEUP


@pytest.mark.parametrize("change", [
    {"claim_version": "3"},
    {"claim_version": True},
    {"claim_version": -1},
    {"step_key": ""},
    {"extra": 1},
])
def test_decoding_is_strict(change: dict[str, Any]) -> None:
    payload = {**json.loads(encode_wakeup(WAKEUP)), **change}
    with pytest.raises(ValueError):
        decode_wakeup(json.dumps(payload))


def test_a_missing_field_is_refused() -> None:
    payload = json.loads(encode_wakeup(WAKEUP))
    del payload["claim_id"]
    with pytest.raises(ValueError, match="claim_id"):
        decode_wakeup(json.dumps(payload))


def test_a_scheduled_event_whose_detail_is_the_wakeup_is_accepted() -> None:
    event = json.loads((EVENTS / "eventbridge-scheduler-event.json").read_text())
    event["detail"] = encode_wakeup(WAKEUP)
    assert decode_wakeup(json.dumps(event)) == WAKEUP


def test_a_scheduled_event_without_a_wakeup_is_refused() -> None:
    raw = (EVENTS / "eventbridge-scheduler-event.json").read_bytes()  # detail "{}"
    with pytest.raises(ValueError, match="carries no wake-up"):
        decode_wakeup(raw)


def test_not_json_is_refused() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        decode_wakeup(b"{")


# --- EventBridge Scheduler (moto) -------------------------------------------------------------


@pytest.fixture
def scheduler() -> Iterator[tuple[EventBridgeScheduler, Any]]:
    with mock_aws():
        client = boto3.client("scheduler", region_name="eu-west-3")
        client.create_schedule_group(Name=GROUP)
        yield EventBridgeScheduler(client, GROUP, TARGET, ROLE, DLQ, FrozenClock(NOW)), client


def scheduled(at: datetime = datetime(2026, 12, 5, 9, 0, 30, tzinfo=UTC)) -> ScheduledWakeup:
    return ScheduledWakeup(WAKEUP, at, PARIS)


def test_the_stored_schedule_has_every_field(scheduler: tuple[Any, Any]) -> None:
    adapter, client = scheduler
    name = adapter.schedule(scheduled())
    assert name == f"c-{CLAIM}-overdue_email-v3"
    stored = client.get_schedule(Name=name, GroupName=GROUP)
    assert stored["ScheduleExpression"] == "at(2026-12-05T10:01:00)"
    assert stored["ScheduleExpressionTimezone"] == PARIS
    assert stored["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert stored["ActionAfterCompletion"] == "DELETE"
    assert stored["GroupName"] == GROUP
    target = stored["Target"]
    assert target["Arn"] == TARGET
    assert target["RoleArn"] == ROLE
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600,
                                     "MaximumRetryAttempts": 10}
    assert target["DeadLetterConfig"] == {"Arn": DLQ}
    assert decode_wakeup(target["Input"]) == WAKEUP


def test_scheduling_twice_is_one_schedule(scheduler: tuple[Any, Any]) -> None:
    adapter, client = scheduler
    first = adapter.schedule(scheduled())
    assert adapter.schedule(scheduled(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))) == first
    [only] = client.list_schedules(GroupName=GROUP)["Schedules"]
    assert only["Name"] == first
    # the first one is kept
    assert client.get_schedule(Name=first, GroupName=GROUP)["ScheduleExpression"] == (
        "at(2026-12-05T10:01:00)")


def test_cancelling_twice_is_fine(scheduler: tuple[Any, Any]) -> None:
    adapter, client = scheduler
    name = adapter.schedule(scheduled())
    adapter.cancel(name)
    adapter.cancel(name)
    assert client.list_schedules(GroupName=GROUP)["Schedules"] == []


def test_an_invalid_time_is_refused_before_any_call(scheduler: tuple[Any, Any]) -> None:
    adapter, client = scheduler
    with pytest.raises(ValueError, match="past"):
        adapter.schedule(scheduled(NOW - timedelta(hours=1)))
    assert client.list_schedules(GroupName=GROUP)["Schedules"] == []


def test_the_doubled_autumn_hour_is_written_in_utc() -> None:
    # 2026-10-25 00:30Z is 02:30 CEST, and 02:30 comes again at 01:30Z (CET)
    adapter = EventBridgeScheduler(None, GROUP, TARGET, ROLE, DLQ,
                                   FrozenClock(datetime(2026, 10, 24, tzinfo=UTC)))
    params = adapter.request(ScheduledWakeup(WAKEUP, datetime(2026, 10, 25, 0, 30,
                                                              tzinfo=UTC), PARIS))
    assert (params["ScheduleExpression"], params["ScheduleExpressionTimezone"]) == (
        "at(2026-10-25T00:30:00)", "UTC")


def stubbed(operation: str, code: str, status: int) -> EventBridgeScheduler:
    client = boto3.client("scheduler", region_name="eu-west-3")
    stub = Stubber(client)
    stub.add_client_error(operation, service_error_code=code, http_status_code=status)
    stub.activate()
    return EventBridgeScheduler(client, GROUP, TARGET, ROLE, DLQ, FrozenClock(NOW))


@pytest.mark.parametrize("code", ["ThrottlingException", "InternalServerException"])
def test_a_throttled_or_failing_service_is_unavailable(code: str) -> None:
    with pytest.raises(ChannelUnavailable, match=code):
        stubbed("create_schedule", code, 429 if code.startswith("Thr") else 500).schedule(
            scheduled())
    with pytest.raises(ChannelUnavailable, match=code):
        stubbed("delete_schedule", code, 429 if code.startswith("Thr") else 500).cancel("n")


def test_a_request_the_service_finds_invalid_is_not_retried_as_an_outage() -> None:
    with pytest.raises(ClientError):
        stubbed("create_schedule", "ValidationException", 400).schedule(scheduled())


# --- the local scheduler ------------------------------------------------------------------------


def test_the_local_scheduler_pops_what_is_due_once_earliest_first() -> None:
    clock = FrozenClock(NOW)
    local = LocalScheduler(clock)
    later = Wakeup("cred_1", "clm_2", "first_call", 1)
    local.schedule(ScheduledWakeup(later, NOW + timedelta(hours=2), PARIS))
    local.schedule(ScheduledWakeup(WAKEUP, NOW + timedelta(hours=1), PARIS))
    assert local.due() == []
    clock.advance(timedelta(hours=3))
    assert local.due() == [WAKEUP, later]
    assert local.due() == []


def test_the_local_scheduler_keeps_the_first_of_a_name_and_cancels() -> None:
    local = LocalScheduler(FrozenClock(NOW))
    name = local.schedule(ScheduledWakeup(WAKEUP, NOW + timedelta(hours=1), PARIS))
    assert name == f"c-{CLAIM}-overdue_email-v3"
    local.schedule(ScheduledWakeup(WAKEUP, NOW + timedelta(days=9), PARIS))
    assert local.pending()[name].at == NOW + timedelta(hours=1)
    assert local.due(NOW + timedelta(hours=1)) == [WAKEUP]
    local.schedule(ScheduledWakeup(WAKEUP, NOW + timedelta(hours=1), PARIS))
    local.cancel(name)
    local.cancel(name)
    assert local.due(NOW + timedelta(days=30)) == []


def test_the_local_scheduler_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        LocalScheduler(FrozenClock(NOW)).schedule(
            ScheduledWakeup(WAKEUP, datetime(2026, 12, 5, 9, 0), PARIS))
