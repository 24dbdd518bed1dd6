"""The escalation calendar: when a step may reach the debtor. Business days (French public
holidays, with Alsace-Moselle's and the overseas departments' own), the creditor's contact
windows per channel, and the cap on call attempts. Pure: the `holidays` package is data
(like the rate tables), zoneinfo reads the IANA database.

The issue: "A reminder never goes out on a Sunday, a public holiday or outside the window."
Sources: reference/letters-escalation.md B8 (contact hours) and B9 (holidays).

Choices, each a conservative reading:
- The law on call hours, C. conso D223-9 (décret 2022-1313: Monday to Friday except the
  L3133-1 holidays, 10:00-13:00 and 14:00-20:00, at most 4 attempts in 30 days), covers
  "prospection commerciale"; whether it binds collection calls is [UNVERIFIED] (FIGEC says
  no). We apply it anyway, to calls and SMS: C. conso L121-7 3° deems repeated unwanted
  solicitations by phone, e-mail "or any other tool" aggressive, and the af2m charter keeps
  promotional SMS to 08:00-21:30.
- Business days are Monday to Friday minus the holidays, for every channel: the issue says
  "business days"; Saturday is not one, for letters and e-mails either.
- Holidays are the union of the national list and the debtor's region's (B9: D223-9 cites
  only the national L3133-1 list; a local holiday is still a day off where the debtor is).
- The clock is the creditor's time zone (the issue says so), although D223-9 counts in the
  consumer's: for a debtor overseas the caller passes the debtor's zone if it wants that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.shared.errors import DomainValidationError, FieldError

# ------------------------------------------------------------------------------ holidays

# Postal codes overseas: the first three digits name the department (INSEE), except the two
# collectivities that kept Guadeloupe's postal codes when they left it in 2007.
_OVERSEAS_PREFIXES: dict[str, str] = {
    "971": "971",  # Guadeloupe
    "972": "972",  # Martinique
    "973": "973",  # Guyane
    "974": "974",  # La Réunion
    "975": "PM",  # Saint-Pierre-et-Miquelon (97500)
    "976": "976",  # Mayotte
    "977": "BL",  # Saint-Barthélemy's INSEE code (its postal code is 97133)
    "978": "MF",  # Saint-Martin's INSEE code (its postal code is 97150)
    # The Pacific collectivities: `holidays` knows their days off; the union stays
    # conservative (it only removes days).
    "986": "WF",  # Wallis-et-Futuna
    "987": "PF",  # Polynésie française
    "988": "NC",  # Nouvelle-Calédonie
}
_OVERSEAS_POSTAL_CODES: dict[str, str] = {"97133": "BL", "97150": "MF"}
# Addresses that give the territory's own ISO 3166 code as the country.
_OVERSEAS_COUNTRIES: dict[str, str] = {
    "GP": "971", "MQ": "972", "GF": "973", "RE": "974", "PM": "PM", "YT": "976",
    "BL": "BL", "MF": "MF", "WF": "WF", "PF": "PF", "NC": "NC",
}
_FRENCH_POSTAL_CODE = re.compile(r"\d{5}")
# `holidays.France.subdivisions` (0.109) less the school zones, written out: importing
# `holidays` loads every country's module, about 150 ms measured here, which the HTTP
# function's cold start should not pay for a module it imports but may not call. The
# import is deferred to the first holiday asked for (tests check the two lists agree).
HOLIDAY_REGIONS = frozenset({"57", "6AE", "971", "972", "973", "974", "976", "BL", "MF",
                             "NC", "PF", "PM", "TF", "WF"})


def holiday_region(postal_code: str | None, country: str) -> str | None:
    """The `holidays.France` subdivision whose days off apply to a debtor at this address,
    or None for the national (metropolitan) list.

    Only France is modelled: a debtor abroad gets None, the French national list (the
    creditor is French; its foreign debtors' holidays are not known here). Moselle (57)
    and Alsace (67, 68: the library has one code, "6AE", and no 67/68) keep the local law's
    Good Friday and 26 December."""
    country = country.strip().upper()
    if country in _OVERSEAS_COUNTRIES:
        return _OVERSEAS_COUNTRIES[country]
    if country != "FR" or postal_code is None:
        return None
    code = postal_code.replace(" ", "")
    if not _FRENCH_POSTAL_CODE.fullmatch(code):
        return None  # unreadable: the national list, as for any metropolitan address
    if code in _OVERSEAS_POSTAL_CODES:
        return _OVERSEAS_POSTAL_CODES[code]
    if code[:3] in _OVERSEAS_PREFIXES:
        return _OVERSEAS_PREFIXES[code[:3]]
    if code[:2] == "57":
        return "57"
    if code[:2] in ("67", "68"):
        return "6AE"
    return None


@lru_cache(maxsize=512)
def _year_holidays(year: int, region: str | None) -> frozenset[date]:
    from holidays.countries.france import France  # deferred: see HOLIDAY_REGIONS

    # France's constructor is untyped in the package (0.109); it returns a dict of dates.
    days: set[date] = set(France(years=year))  # type: ignore[no-untyped-call]
    if region is not None:
        days.update(France(years=year, subdiv=region))  # type: ignore[no-untyped-call]
    return frozenset(days)


def holidays_for(years: int | Iterable[int], region: str | None) -> frozenset[date]:
    """The public holidays of `years` where the debtor is: the national list and its
    region's (B9). Cached per year and region: the scheduler asks for the same few."""
    if region is not None and region not in HOLIDAY_REGIONS:
        raise ValueError(f"unknown French holiday region {region!r}")
    wanted = (years,) if isinstance(years, int) else tuple(years)
    found: frozenset[date] = frozenset()
    for year in wanted:
        found |= _year_holidays(year, region)
    return found


def is_business_day(day: date, region: str | None) -> bool:
    """Monday to Friday and not a public holiday there (D223-9's days, for every channel)."""
    return day.weekday() < 5 and day not in holidays_for(day.year, region)


# ------------------------------------------------------------------------ contact windows

ChannelKind = Literal["call", "sms", "email", "letter"]
CHANNEL_KINDS: tuple[ChannelKind, ...] = ("call", "sms", "email", "letter")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONDAY_TO_FRIDAY = frozenset(range(5))

# What a creditor's setting may widen its windows to. Earlier or later is refused as too
# intrusive: the af2m charter keeps SMS to 08:00-21:30 (B8); we stop at 21:00.
EARLIEST = time(7, 0)
LATEST = time(21, 0)
MAX_ATTEMPTS_RANGE = (1, 10)
# D223-9's period is 30 days; a longer one is stricter and allowed, a shorter one is not.
PERIOD_DAYS_RANGE = (30, 365)


@dataclass(frozen=True, slots=True)
class ChannelWindow:
    """When one kind of channel may be used: these weekdays (0 = Monday), within these
    local time ranges, half-open (a window ending 20:00 takes 19:59, not 20:00)."""

    days: frozenset[int]
    hours: tuple[tuple[time, time], ...]

    def contains(self, moment: datetime) -> bool:
        """Whether this local wall-clock moment is inside the window (the day's holidays
        are the caller's to check)."""
        at = moment.time().replace(tzinfo=None)
        return moment.weekday() in self.days and any(s <= at < e for s, e in self.hours)


@dataclass(frozen=True, slots=True)
class ContactWindows:
    """A creditor's contact windows (a creditor setting). Holidays are excluded for every
    channel whatever the setting says."""

    call: ChannelWindow
    sms: ChannelWindow
    email: ChannelWindow
    letter: ChannelWindow
    max_call_attempts: int = 4
    call_attempts_period_days: int = 30

    def of(self, kind: ChannelKind) -> ChannelWindow:
        window: ChannelWindow = getattr(self, kind)
        return window

    @property
    def call_attempts_period(self) -> timedelta:
        return timedelta(days=self.call_attempts_period_days)


# D223-9's hours for calls, and for SMS too (L121-7 3°: repeated messages by "any other
# tool" count as aggressive). E-mails from 09:00, the start of an office day, to 20:00, the
# calls' own end. Letters 09:00-18:00: the hours they are handed to the postal provider,
# which posts them later anyway; a letter rendered at night waits for the next office day.
DEFAULT_WINDOWS = ContactWindows(
    call=ChannelWindow(MONDAY_TO_FRIDAY, ((time(10, 0), time(13, 0)),
                                          (time(14, 0), time(20, 0)))),
    sms=ChannelWindow(MONDAY_TO_FRIDAY, ((time(10, 0), time(13, 0)),
                                         (time(14, 0), time(20, 0)))),
    email=ChannelWindow(MONDAY_TO_FRIDAY, ((time(9, 0), time(20, 0)),)),
    letter=ChannelWindow(MONDAY_TO_FRIDAY, ((time(9, 0), time(18, 0)),)),
    max_call_attempts=4,
    call_attempts_period_days=30,
)

_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def _parse_time(value: object, path: str, errors: list[FieldError]) -> time | None:
    if not isinstance(value, str) or not _HH_MM.fullmatch(value):
        errors.append(FieldError(path, "a local time as HH:MM", "invalid_time"))
        return None
    return time(int(value[:2]), int(value[3:]))


def _int_in(value: object, bounds: tuple[int, int], path: str,
            errors: list[FieldError]) -> int | None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.append(FieldError(path, f"a whole number from {low} to {high}", "out_of_range"))
        return None
    return value


def _channel_from_setting(kind: ChannelKind, setting: object, path: str,
                          errors: list[FieldError]) -> ChannelWindow | None:
    if not isinstance(setting, Mapping):
        errors.append(FieldError(path, "an object with `days` and `hours`", "invalid"))
        return None
    before = len(errors)
    for key in setting:
        if key not in ("days", "hours"):
            errors.append(FieldError(f"{path}.{key}", "not a contact window field: `days` "
                                     "or `hours`", "unknown_field"))
    days: set[int] = set()
    raw_days = setting.get("days")
    if not isinstance(raw_days, list) or not raw_days:
        errors.append(FieldError(f"{path}.days", "a non-empty list of days (mon … sat)",
                                 "required"))
        raw_days = []
    for i, name in enumerate(raw_days):
        at = f"{path}.days[{i}]"
        if not isinstance(name, str) or name.lower() not in DAY_NAMES:
            errors.append(FieldError(at, f"not a day: one of {', '.join(DAY_NAMES)}",
                                     "unknown_day"))
            continue
        number = DAY_NAMES.index(name.lower())
        if number == 6:
            # The issue: a reminder never goes out on a Sunday.
            errors.append(FieldError(at, "no channel is used on a Sunday", "sunday"))
        elif number == 5 and kind == "call":
            # D223-9, applied to collection calls: Monday to Friday.
            errors.append(FieldError(at, "calls are made Monday to Friday only", "saturday"))
        elif number in days:
            errors.append(FieldError(at, "each day once", "duplicate"))
        days.add(number)
    ranges: list[tuple[int, time, time]] = []
    raw_hours = setting.get("hours")
    if not isinstance(raw_hours, list) or not raw_hours:
        errors.append(FieldError(f"{path}.hours", "a non-empty list of [start, end] times",
                                 "required"))
        raw_hours = []
    for i, pair in enumerate(raw_hours):
        at = f"{path}.hours[{i}]"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errors.append(FieldError(at, "a [start, end] pair of HH:MM times", "invalid"))
            continue
        start = _parse_time(pair[0], f"{at}[0]", errors)
        end = _parse_time(pair[1], f"{at}[1]", errors)
        if start is None or end is None:
            continue
        if end <= start:
            errors.append(FieldError(at, "the end comes after the start", "end_before_start"))
        elif start < EARLIEST or end > LATEST:
            errors.append(FieldError(at, f"within {EARLIEST:%H:%M}-{LATEST:%H:%M}: earlier or "
                                     "later is too intrusive", "too_intrusive"))
        else:
            ranges.append((i, start, end))
    ranges.sort(key=lambda r: r[1])
    latest_end: time | None = None
    for i, start, end in ranges:
        if latest_end is not None and start < latest_end:
            errors.append(FieldError(f"{path}.hours[{i}]", "the ranges overlap", "overlap"))
        latest_end = end if latest_end is None else max(latest_end, end)
    if len(errors) > before:
        return None
    return ChannelWindow(frozenset(days), tuple((s, e) for _, s, e in ranges))


def windows_from_setting(setting: Mapping[str, object],
                         path: str = "contact_windows") -> ContactWindows:
    """A creditor's contact windows from its JSON-shaped setting:
    {"call": {"days": ["mon", …], "hours": [["10:00", "13:00"], …]}, …,
     "max_call_attempts": 4, "call_attempts_period_days": 30}.
    A channel or number left out keeps the default. Raises DomainValidationError naming
    every bad field (`contact_windows.call.hours[1]`)."""
    errors: list[FieldError] = []
    if not isinstance(setting, Mapping):
        raise DomainValidationError(path, "an object of contact windows")
    known = (*CHANNEL_KINDS, "max_call_attempts", "call_attempts_period_days")
    for key in setting:
        if key not in known:
            errors.append(FieldError(f"{path}.{key}", f"not a contact window setting: one of "
                                     f"{', '.join(known)}", "unknown_field"))
    windows = {kind: DEFAULT_WINDOWS.of(kind) for kind in CHANNEL_KINDS}
    for kind in CHANNEL_KINDS:
        if kind in setting:
            window = _channel_from_setting(kind, setting[kind], f"{path}.{kind}", errors)
            if window is not None:
                windows[kind] = window
    attempts = DEFAULT_WINDOWS.max_call_attempts
    if "max_call_attempts" in setting:
        attempts = _int_in(setting["max_call_attempts"], MAX_ATTEMPTS_RANGE,
                           f"{path}.max_call_attempts", errors) or attempts
    period = DEFAULT_WINDOWS.call_attempts_period_days
    if "call_attempts_period_days" in setting:
        period = _int_in(setting["call_attempts_period_days"], PERIOD_DAYS_RANGE,
                         f"{path}.call_attempts_period_days", errors) or period
    if errors:
        raise DomainValidationError.many(errors)
    return ContactWindows(call=windows["call"], sms=windows["sms"], email=windows["email"],
                          letter=windows["letter"], max_call_attempts=attempts,
                          call_attempts_period_days=period)


def windows_to_setting(windows: ContactWindows) -> dict[str, object]:
    """The JSON-shaped setting `windows_from_setting` reads back."""
    setting: dict[str, object] = {}
    for kind in CHANNEL_KINDS:
        window = windows.of(kind)
        setting[kind] = {
            "days": [DAY_NAMES[d] for d in sorted(window.days)],
            "hours": [[f"{s:%H:%M}", f"{e:%H:%M}"] for s, e in window.hours],
        }
    setting["max_call_attempts"] = windows.max_call_attempts
    setting["call_attempts_period_days"] = windows.call_attempts_period_days
    return setting


# ---------------------------------------------------------------------------- instants

# The policy's channels (domain.escalation.policy.Channel values) and the window each
# uses. A registered letter is a letter; a home visit uses the call hours (as intrusive,
# and D223-9 is the only hour rule at hand). Approvals and the judicial assessment are the
# creditor's own work: they never reach the debtor, so no window holds them back.
_KIND_OF_CHANNEL: dict[str, ChannelKind | None] = {
    "call": "call", "sms": "sms", "email": "email", "letter": "letter",
    "registered_letter": "letter", "call_task": "call", "visit_task": "call",
    "approval_task": None, "judicial_assessment_task": None,
}

# Any valid window opens within a week or two; a bound keeps a window built by hand with
# no day at all from looping forever.
MAX_SEARCH_DAYS = 400


def channel_kind(channel: str) -> ChannelKind | None:
    """The window a channel (a kind, or a policy channel's value) uses; None for the
    creditor's internal tasks, which have none."""
    try:
        return _KIND_OF_CHANNEL[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}") from None


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{time_zone!r} is not an IANA time zone") from None


def _aware_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)


def next_instant(channel: str, not_before: datetime, time_zone: str, region: str | None,
                 windows: ContactWindows = DEFAULT_WINDOWS) -> datetime:
    """The first instant at or after `not_before` (aware, any zone) at which `channel` may
    reach the debtor: inside its window, on a day the window allows that is not a holiday
    of `region`, read on the clock of `time_zone` (the creditor's). Aware UTC.

    Windows are wall-clock times, each turned into an instant on its own day, so a Monday
    after a DST change gets that day's offset. Raises ValueError if no window opens
    within MAX_SEARCH_DAYS."""
    start = _aware_utc(not_before, "not_before")
    kind = channel_kind(channel)
    if kind is None:
        return start
    window = windows.of(kind)
    zone = _zone(time_zone)
    first_day = start.astimezone(zone).date()
    for offset in range(MAX_SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in window.days or day in holidays_for(day.year, region):
            continue
        for opens, closes in window.hours:
            # Compared as UTC instants: two datetimes sharing a ZoneInfo compare by wall
            # clock, which is wrong in the repeated hour of an autumn change.
            window_start = datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
            window_end = datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
            if start < window_end:
                return max(start, window_start)
    raise ValueError(f"no {kind} window opens within {MAX_SEARCH_DAYS} days of {start:%Y-%m-%d}")


# ---------------------------------------------------------------------------- call cap


def call_attempt_allowed(previous_attempts: Sequence[datetime], at: datetime,
                         windows: ContactWindows = DEFAULT_WINDOWS) -> bool:
    """Whether one more call attempt at `at` keeps every rolling period (30 days by
    default; D223-9's count, applied to collection) to at most `max_call_attempts`.

    A period is a half-open stretch of elapsed time [t, t + 30 days): an attempt made on
    1 December at 10:00 no longer counts on 31 December at 10:00. Attempts after `at` (a
    log replayed out of order) count too: every period holding `at` is checked, each
    starting at an attempt. The window's hours are `next_instant`'s business, not this."""
    moment = _aware_utc(at, "at")
    period = windows.call_attempts_period
    made = sorted(_aware_utc(a, "previous_attempts") for a in previous_attempts)
    every = sorted([*made, moment])
    # A period holding `at` holds no more attempts than the one starting at its own first
    # attempt at or before `at`: checking those starts is enough.
    for first in every:
        if not moment - period < first <= moment:
            continue
        held = sum(1 for a in every if first <= a < first + period)
        if held > windows.max_call_attempts:
            return False
    return True


def next_call_slot(previous_attempts: Sequence[datetime], not_before: datetime,
                   time_zone: str, region: str | None,
                   windows: ContactWindows = DEFAULT_WINDOWS) -> datetime:
    """The first instant at or after `not_before` at which a call is both inside the call
    window and under the attempts cap: when the cap is reached, the instant the oldest
    attempt leaves the period, then the next window from there. Aware UTC."""
    period = windows.call_attempts_period
    made = sorted(_aware_utc(a, "previous_attempts") for a in previous_attempts)
    candidate = next_instant("call", not_before, time_zone, region, windows)
    # Each turn moves past one attempt's leaving instant: at most len(made) + 1 turns.
    for _ in range(len(made) + 1):
        if call_attempt_allowed(made, candidate, windows):
            return candidate
        leaving = [a + period for a in made if a + period > candidate]
        candidate = next_instant("call", min(leaving), time_zone, region, windows)
    if call_attempt_allowed(made, candidate, windows):
        return candidate
    raise ValueError("no call slot under the attempts cap")  # unreachable: see the loop

