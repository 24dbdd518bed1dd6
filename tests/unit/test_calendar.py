"""The escalation calendar: holidays by region, contact windows, the next instant a channel
may be used, and the call attempts cap. Every expected date is worked out by hand (Easter
2026 is 5 April; 25 December 2026 is a Friday; DST starts 29 March 2026 and ends
25 October 2026 in Europe/Paris)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.escalation.calendar import (
    DEFAULT_WINDOWS,
    HOLIDAY_REGIONS,
    ChannelWindow,
    ContactWindows,
    call_attempt_allowed,
    channel_kind,
    holiday_region,
    holidays_for,
    is_business_day,
    next_call_slot,
    next_instant,
    windows_from_setting,
    windows_to_setting,
)
from domain.shared.errors import DomainValidationError

PARIS = ZoneInfo("Europe/Paris")


def paris(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=PARIS)


def utc(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


# --------------------------------------------------------------------------- holidays

NATIONAL_2026 = [date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
                 date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15),
                 date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25)]


def test_the_2026_national_list_is_the_eleven_days_of_l3133_1() -> None:
    assert holidays_for(2026, None) == frozenset(NATIONAL_2026)


@pytest.mark.parametrize("region", [None, "57", "6AE", "971", "972", "973", "974", "976",
                                    "BL", "MF", "PM"])
@pytest.mark.parametrize("day", NATIONAL_2026, ids=str)
def test_a_national_holiday_is_off_everywhere(day: date, region: str | None) -> None:
    assert day in holidays_for(2026, region)


@pytest.mark.parametrize("day", [date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
                                 date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14),
                                 date(2026, 11, 11), date(2026, 12, 25)], ids=str)
def test_a_weekday_national_holiday_is_not_a_business_day(day: date) -> None:
    assert day.weekday() < 5
    assert not is_business_day(day, None)


def test_alsace_moselle_add_good_friday_and_saint_stephen() -> None:
    good_friday, saint_stephen = date(2026, 4, 3), date(2026, 12, 26)
    for region in ("57", "6AE"):
        assert {good_friday, saint_stephen} <= holidays_for(2026, region)
        assert not is_business_day(good_friday, region)
    for region in (None, "972", "973", "974"):
        assert good_friday not in holidays_for(2026, region)
        assert saint_stephen not in holidays_for(2026, region)
        assert is_business_day(good_friday, region)


@pytest.mark.parametrize(("day", "regions"), [
    (date(2026, 5, 27), {"971"}),  # abolition of slavery, Guadeloupe
    (date(2026, 5, 22), {"972"}),  # Martinique
    (date(2026, 6, 10), {"973"}),  # Guyane
    (date(2026, 12, 20), {"974"}),  # La Réunion (a Sunday in 2026)
    (date(2026, 7, 21), {"971", "972", "MF"}),  # Victor Schoelcher
], ids=lambda v: ",".join(sorted(v)) if isinstance(v, set) else str(v))  # the same ids
# on every xdist worker: a set's str() order depends on the hash seed
def test_overseas_holidays_are_their_regions_only(day: date, regions: set[str]) -> None:
    for region in ("971", "972", "973", "974", "MF", "57", None):
        assert (day in holidays_for(2026, region)) is (region in regions), region


def test_a_local_holiday_on_a_weekday_is_no_business_day_there_only() -> None:
    wednesday = date(2026, 5, 27)
    assert not is_business_day(wednesday, "971")
    assert is_business_day(wednesday, None)
    assert is_business_day(wednesday, "972")


def test_weekends_are_not_business_days_and_ordinary_weekdays_are() -> None:
    assert not is_business_day(date(2026, 6, 6), None)  # Saturday
    assert not is_business_day(date(2026, 6, 7), None)  # Sunday
    assert all(is_business_day(date(2026, 6, d), None) for d in range(8, 13))  # Mon-Fri


def test_holidays_for_several_years_is_the_union() -> None:
    both = holidays_for([2026, 2027], None)
    assert date(2026, 12, 25) in both and date(2027, 12, 25) in both
    assert date(2027, 3, 29) in both  # Easter Monday 2027 (Easter on 28 March)
    assert len(both) == 22


def test_the_regions_written_out_are_the_librarys() -> None:
    from holidays.countries.france import France

    assert set(France.subdivisions) - {"Zone A", "Zone B", "Zone C"} == HOLIDAY_REGIONS


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="region"):
        holidays_for(2026, "67")


# --------------------------------------------------------------------------- regions

@pytest.mark.parametrize(("postal_code", "country", "region"), [
    ("57000", "FR", "57"),  # Metz
    ("67000", "FR", "6AE"),  # Strasbourg
    ("68100", "FR", "6AE"),  # Mulhouse
    ("97110", "FR", "971"),  # Pointe-à-Pitre
    ("97200", "FR", "972"),  # Fort-de-France
    ("97300", "FR", "973"),  # Cayenne
    ("97400", "FR", "974"),  # Saint-Denis
    ("97600", "FR", "976"),  # Mamoudzou
    ("97133", "FR", "BL"),  # Saint-Barthélemy, on Guadeloupe's postal prefix
    ("97150", "FR", "MF"),  # Saint-Martin, likewise
    ("97500", "FR", "PM"),  # Saint-Pierre-et-Miquelon
    ("98800", "FR", "NC"),  # Nouméa
    ("75002", "FR", None),
    ("20000", "FR", None),  # Ajaccio: the national list
    ("56000", "FR", None),  # Morbihan, next to 57 and not Moselle
    ("69001", "FR", None),  # Lyon, next to 67/68
    ("57 000", "fr", "57"),  # a space and a lower-case country
    ("1000", "BE", None),  # Brussels: only France is modelled
    ("57000", "DE", None),  # a German 57xxx is not Moselle
    (None, "FR", None),
    ("ABCDE", "FR", None),
    (None, "RE", "974"),  # the territory's own ISO code as the country
    ("97400", "RE", "974"),
])
def test_holiday_region_from_the_postal_code(postal_code: str | None, country: str,
                                             region: str | None) -> None:
    assert holiday_region(postal_code, country) == region


# --------------------------------------------------------------------------- next_instant

def test_a_call_inside_the_window_goes_at_once() -> None:
    # Friday 5 June 2026 19:59 in Paris (UTC+2).
    assert next_instant("call", paris(2026, 6, 5, 19, 59), "Europe/Paris", None) == \
        utc(2026, 6, 5, 17, 59)


def test_a_call_at_the_window_end_waits_for_monday() -> None:
    assert next_instant("call", paris(2026, 6, 5, 20, 0), "Europe/Paris", None) == \
        utc(2026, 6, 8, 8, 0)  # Monday 10:00 in Paris


def test_a_call_after_friday_evening_skips_easter_monday() -> None:
    # Friday 3 April 2026 20:00 → Tuesday 7 April 10:00 (6 April is Easter Monday).
    assert next_instant("call", paris(2026, 4, 3, 20, 0), "Europe/Paris", None) == \
        utc(2026, 4, 7, 8, 0)


def test_the_lunch_break_waits_for_14_00() -> None:
    assert next_instant("call", paris(2026, 6, 10, 13, 30), "Europe/Paris", None) == \
        utc(2026, 6, 10, 12, 0)
    # 10 June is Guyane's abolition day: the next day at 10:00.
    assert next_instant("call", paris(2026, 6, 10, 13, 30), "Europe/Paris", "973") == \
        utc(2026, 6, 11, 8, 0)


def test_before_the_window_waits_for_its_start() -> None:
    assert next_instant("sms", paris(2026, 6, 8, 7, 15), "Europe/Paris", None) == \
        utc(2026, 6, 8, 8, 0)


def test_an_email_on_saturday_goes_monday_at_nine() -> None:
    assert next_instant("email", paris(2026, 6, 6, 11, 0), "Europe/Paris", None) == \
        utc(2026, 6, 8, 7, 0)


def test_an_sms_after_hours_skips_the_national_day() -> None:
    # Monday 13 July 2026 21:00 → Wednesday 15 July 10:00 (14 July is a holiday).
    assert next_instant("sms", paris(2026, 7, 13, 21, 0), "Europe/Paris", None) == \
        utc(2026, 7, 15, 8, 0)


def test_a_letter_at_christmas_in_moselle() -> None:
    # Thursday 24 Dec 2026 18:30, after the 18:00 hand-over: 25 and 26 are holidays in
    # Moselle, 27 a Sunday → Monday 28 Dec 09:00 (UTC+1).
    assert next_instant("letter", paris(2026, 12, 24, 18, 30), "Europe/Paris", "57") == \
        utc(2026, 12, 28, 8, 0)
    assert next_instant("registered_letter", paris(2026, 12, 24, 17, 59), "Europe/Paris",
                        "57") == utc(2026, 12, 24, 16, 59)


def test_good_friday_holds_an_email_in_moselle_only() -> None:
    thursday_evening = paris(2026, 4, 2, 20, 30)
    assert next_instant("email", thursday_evening, "Europe/Paris", None) == \
        utc(2026, 4, 3, 7, 0)  # Friday 09:00 (UTC+2)
    assert next_instant("email", thursday_evening, "Europe/Paris", "57") == \
        utc(2026, 4, 7, 7, 0)  # Tuesday, after Good Friday, the weekend and Easter Monday


def test_the_offset_follows_daylight_saving_time() -> None:
    # Friday 27 March 2026 is UTC+1; Monday 30 March, after the change on the 29th, UTC+2.
    assert next_instant("call", paris(2026, 3, 27, 9, 0), "Europe/Paris", None) == \
        utc(2026, 3, 27, 9, 0)
    assert next_instant("call", paris(2026, 3, 27, 20, 0), "Europe/Paris", None) == \
        utc(2026, 3, 30, 8, 0)
    # And back on 25 October: Friday 23 at UTC+2, Monday 26 at UTC+1.
    assert next_instant("call", paris(2026, 10, 23, 9, 0), "Europe/Paris", None) == \
        utc(2026, 10, 23, 8, 0)
    assert next_instant("call", paris(2026, 10, 23, 20, 0), "Europe/Paris", None) == \
        utc(2026, 10, 26, 9, 0)


def test_not_before_may_be_given_in_any_zone() -> None:
    # 17:59 UTC on Friday 5 June is 19:59 in Paris: inside the window.
    assert next_instant("call", utc(2026, 6, 5, 17, 59), "Europe/Paris", None) == \
        utc(2026, 6, 5, 17, 59)
    # 18:00 UTC is 20:00 in Paris, though only 14:00 in New York.
    new_york = datetime(2026, 6, 5, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    assert next_instant("call", new_york, "Europe/Paris", None) == utc(2026, 6, 8, 8, 0)


def test_the_answer_is_utc() -> None:
    found = next_instant("email", paris(2026, 6, 8, 12, 0), "Europe/Paris", None)
    assert found.utcoffset() == timedelta(0)


def test_the_creditors_clock_is_used_for_a_debtor_overseas() -> None:
    # A Paris creditor, a debtor in La Réunion (UTC+4): 19:00 Paris (18:00 UTC) is 22:00
    # there, yet the call goes, because the issue times steps in the creditor's zone. Its
    # holidays are the debtor's: Monday 20 Dec 2027 is La Réunion's abolition day.
    assert next_instant("call", paris(2026, 12, 18, 19, 0), "Europe/Paris", "974") == \
        utc(2026, 12, 18, 18, 0)
    assert next_instant("call", paris(2027, 12, 17, 20, 0), "Europe/Paris", "974") == \
        utc(2027, 12, 21, 9, 0)
    assert next_instant("call", paris(2027, 12, 17, 20, 0), "Europe/Paris", None) == \
        utc(2027, 12, 20, 9, 0)
    # The caller may pass the debtor's zone instead: 10:00 in Saint-Denis is 06:00 UTC.
    assert next_instant("call", utc(2027, 12, 21, 5, 0), "Indian/Reunion", "974") == \
        utc(2027, 12, 21, 6, 0)


def test_internal_tasks_have_no_window() -> None:
    sunday = paris(2026, 6, 7, 23, 0)
    assert next_instant("approval_task", sunday, "Europe/Paris", None) == sunday
    assert channel_kind("visit_task") == "call"
    assert channel_kind("call_task") == "call"


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_instant("call", datetime(2026, 6, 8, 10, 0), "Europe/Paris", None)
    with pytest.raises(ValueError, match="channel"):
        next_instant("fax", paris(2026, 6, 8, 10, 0), "Europe/Paris", None)
    with pytest.raises(ValueError, match="time zone"):
        next_instant("call", paris(2026, 6, 8, 10, 0), "Europe/Lutece", None)


def test_a_window_that_never_opens_raises_instead_of_looping() -> None:
    never = ChannelWindow(frozenset(), ((time(10, 0), time(12, 0)),))
    windows = ContactWindows(call=never, sms=never, email=never, letter=never)
    with pytest.raises(ValueError, match="400 days"):
        next_instant("call", paris(2026, 6, 8, 10, 0), "Europe/Paris", None, windows)


def test_a_creditors_windows_are_used() -> None:
    windows = windows_from_setting({"email": {"days": ["mon", "sat"],
                                              "hours": [["08:00", "12:00"]]}})
    # Friday 5 June 2026 10:00: Friday is not in the setting → Saturday 08:00.
    assert next_instant("email", paris(2026, 6, 5, 10, 0), "Europe/Paris", None, windows) == \
        utc(2026, 6, 6, 6, 0)
    # Saturday 26 Dec 2026 is Saint Stephen in Moselle → Monday 28 Dec 08:00 (UTC+1).
    assert next_instant("email", paris(2026, 12, 26, 7, 0), "Europe/Paris", "57",
                        windows) == utc(2026, 12, 28, 7, 0)


def test_channel_window_contains_the_half_open_range() -> None:
    window = DEFAULT_WINDOWS.call
    assert window.contains(paris(2026, 6, 5, 19, 59))
    assert not window.contains(paris(2026, 6, 5, 20, 0))
    assert not window.contains(paris(2026, 6, 5, 13, 0))
    assert not window.contains(paris(2026, 6, 6, 11, 0))  # Saturday


# --------------------------------------------------------------------------- call cap

DECEMBER_ATTEMPTS = [paris(2026, 12, d, 10, 0) for d in (1, 3, 5, 7)]


def test_a_fifth_call_waits_for_the_first_to_be_30_days_old() -> None:
    assert call_attempt_allowed(DECEMBER_ATTEMPTS[:3], paris(2026, 12, 8, 10, 0))
    assert not call_attempt_allowed(DECEMBER_ATTEMPTS, paris(2026, 12, 8, 10, 0))
    assert not call_attempt_allowed(DECEMBER_ATTEMPTS, paris(2026, 12, 31, 9, 59))
    assert call_attempt_allowed(DECEMBER_ATTEMPTS, paris(2026, 12, 31, 10, 0))


def test_the_next_call_slot_is_when_the_oldest_attempt_leaves() -> None:
    # Thursday 31 Dec 2026 10:00 in Paris (UTC+1), inside the window.
    assert next_call_slot(DECEMBER_ATTEMPTS, paris(2026, 12, 8, 10, 0), "Europe/Paris",
                          None) == utc(2026, 12, 31, 9, 0)


def test_the_next_call_slot_then_waits_for_the_window() -> None:
    # Friday 4 Dec 2026 11:00 leaves on Sunday 3 Jan 2027 11:00 → Monday 4 Jan 10:00.
    attempts = [paris(2026, 12, d, 11, 0) for d in (4, 7, 8, 9)]
    assert next_call_slot(attempts, paris(2026, 12, 10, 10, 0), "Europe/Paris", None) == \
        utc(2027, 1, 4, 9, 0)


def test_thirty_days_are_elapsed_time_across_a_dst_change() -> None:
    # 19:30 on Monday 2 March 2026 (UTC+1) + 30 days = 18:30 UTC on Wednesday 1 April,
    # 20:30 in Paris (UTC+2): after the window → Thursday 2 April 10:00 (08:00 UTC).
    attempts = [paris(2026, 3, d, 19, 30) for d in (2, 3, 4, 5)]
    assert next_call_slot(attempts, paris(2026, 3, 6, 10, 0), "Europe/Paris", None) == \
        utc(2026, 4, 2, 8, 0)


def test_under_the_cap_the_next_call_slot_is_the_next_window() -> None:
    assert next_call_slot(DECEMBER_ATTEMPTS[:2], paris(2026, 12, 8, 13, 10), "Europe/Paris",
                          None) == utc(2026, 12, 8, 13, 0)


def test_attempts_recorded_after_the_instant_count_too() -> None:
    # Only the 20 Dec attempt is before 22 Dec, but the period from 20 Dec to 18 Jan would
    # hold five calls with the 25, 28 and 30 Dec ones.
    attempts = [paris(2026, 12, d, 10, 0) for d in (20, 25, 28, 30)]
    assert not call_attempt_allowed(attempts, paris(2026, 12, 22, 10, 0))
    assert call_attempt_allowed(attempts[:3], paris(2026, 12, 22, 10, 0))


def test_a_creditors_cap_and_period() -> None:
    windows = windows_from_setting({"max_call_attempts": 2, "call_attempts_period_days": 60})
    two = DECEMBER_ATTEMPTS[:2]  # 1 and 3 Dec at 10:00
    assert not call_attempt_allowed(two, paris(2027, 1, 29, 10, 0), windows)
    # 1 Dec 2026 10:00 + 60 days = Saturday 30 Jan 2027 10:00 → Monday 1 Feb 10:00.
    assert next_call_slot(two, paris(2026, 12, 4, 10, 0), "Europe/Paris", None, windows) == \
        utc(2027, 2, 1, 9, 0)


# --------------------------------------------------------------------------- settings

def test_the_default_windows() -> None:
    weekdays = frozenset({0, 1, 2, 3, 4})
    assert DEFAULT_WINDOWS.call.days == weekdays == DEFAULT_WINDOWS.sms.days
    assert DEFAULT_WINDOWS.call.hours == ((time(10), time(13)), (time(14), time(20)))
    assert DEFAULT_WINDOWS.sms.hours == DEFAULT_WINDOWS.call.hours
    assert DEFAULT_WINDOWS.email == ChannelWindow(weekdays, ((time(9), time(20)),))
    assert DEFAULT_WINDOWS.letter == ChannelWindow(weekdays, ((time(9), time(18)),))
    assert (DEFAULT_WINDOWS.max_call_attempts, DEFAULT_WINDOWS.call_attempts_period_days) == \
        (4, 30)


def test_an_empty_setting_is_the_default_and_the_default_reads_back() -> None:
    assert windows_from_setting({}) == DEFAULT_WINDOWS
    assert windows_from_setting(windows_to_setting(DEFAULT_WINDOWS)) == DEFAULT_WINDOWS
    assert windows_to_setting(DEFAULT_WINDOWS)["call"] == {
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "hours": [["10:00", "13:00"], ["14:00", "20:00"]]}


def test_a_setting_is_read_with_its_ranges_in_order() -> None:
    windows = windows_from_setting({
        "sms": {"days": ["tue", "THU"], "hours": [["15:00", "18:00"], ["09:00", "12:00"]]},
        "max_call_attempts": 3})
    assert windows.sms == ChannelWindow(frozenset({1, 3}), ((time(9), time(12)),
                                                            (time(15), time(18))))
    assert windows.call == DEFAULT_WINDOWS.call
    assert windows.max_call_attempts == 3


def fields(setting: dict[str, object]) -> dict[str, str]:
    with pytest.raises(DomainValidationError) as caught:
        windows_from_setting(setting)
    return {e.field: e.code for e in caught.value.errors}


@pytest.mark.parametrize(("setting", "field", "code"), [
    ({"call": {"days": ["mon", "lun"], "hours": [["10:00", "12:00"]]}},
     "contact_windows.call.days[1]", "unknown_day"),
    ({"sms": {"days": ["mon", "sun"], "hours": [["10:00", "12:00"]]}},
     "contact_windows.sms.days[1]", "sunday"),
    ({"call": {"days": ["sat"], "hours": [["10:00", "12:00"]]}},
     "contact_windows.call.days[0]", "saturday"),
    ({"call": {"days": ["mon", "mon"], "hours": [["10:00", "12:00"]]}},
     "contact_windows.call.days[1]", "duplicate"),
    ({"call": {"days": ["mon"], "hours": [["10:00", "13:00"], ["15:00", "14:00"]]}},
     "contact_windows.call.hours[1]", "end_before_start"),
    ({"call": {"days": ["mon"], "hours": [["10:00", "10:00"]]}},
     "contact_windows.call.hours[0]", "end_before_start"),
    ({"call": {"days": ["mon"], "hours": [["10:00", "13:00"], ["12:30", "14:00"]]}},
     "contact_windows.call.hours[1]", "overlap"),
    ({"email": {"days": ["mon"], "hours": [["09:00", "18:00"], ["10:00", "11:00"]]}},
     "contact_windows.email.hours[1]", "overlap"),
    ({"email": {"days": ["mon"], "hours": [["06:59", "12:00"]]}},
     "contact_windows.email.hours[0]", "too_intrusive"),
    ({"sms": {"days": ["mon"], "hours": [["14:00", "21:30"]]}},
     "contact_windows.sms.hours[0]", "too_intrusive"),
    ({"sms": {"days": ["mon"], "hours": [["14:00", "9pm"]]}},
     "contact_windows.sms.hours[0][1]", "invalid_time"),
    ({"sms": {"days": ["mon"], "hours": [["14:00"]]}},
     "contact_windows.sms.hours[0]", "invalid"),
    ({"letter": {"days": [], "hours": [["09:00", "12:00"]]}},
     "contact_windows.letter.days", "required"),
    ({"letter": {"days": ["mon"]}}, "contact_windows.letter.hours", "required"),
    ({"letter": {"days": ["mon"], "hours": [["09:00", "12:00"]], "tz": "UTC"}},
     "contact_windows.letter.tz", "unknown_field"),
    ({"letter": "weekdays"}, "contact_windows.letter", "invalid"),
    ({"fax": {}}, "contact_windows.fax", "unknown_field"),
    ({"max_call_attempts": 0}, "contact_windows.max_call_attempts", "out_of_range"),
    ({"max_call_attempts": 11}, "contact_windows.max_call_attempts", "out_of_range"),
    ({"max_call_attempts": True}, "contact_windows.max_call_attempts", "out_of_range"),
    ({"max_call_attempts": "4"}, "contact_windows.max_call_attempts", "out_of_range"),
    ({"call_attempts_period_days": 29}, "contact_windows.call_attempts_period_days",
     "out_of_range"),
])
def test_a_bad_setting_names_its_field(setting: dict[str, object], field: str,
                                       code: str) -> None:
    assert fields(setting) == {field: code}


def test_the_widest_setting_allowed_is_accepted() -> None:
    windows = windows_from_setting({"sms": {"days": ["mon", "sat"],
                                            "hours": [["07:00", "13:00"], ["13:00", "21:00"]]},
                                    "max_call_attempts": 10})
    assert windows.sms.hours == ((time(7), time(13)), (time(13), time(21)))


def test_every_bad_field_is_named_at_once() -> None:
    assert fields({"call": {"days": ["sun"], "hours": [["20:00", "10:00"]]},
                   "max_call_attempts": 20}) == {
        "contact_windows.call.days[0]": "sunday",
        "contact_windows.call.hours[0]": "end_before_start",
        "contact_windows.max_call_attempts": "out_of_range"}


def test_the_path_prefix_is_the_callers() -> None:
    with pytest.raises(DomainValidationError) as caught:
        windows_from_setting({"max_call_attempts": 0}, path="settings.contact_windows")
    assert caught.value.errors[0].field == "settings.contact_windows.max_call_attempts"
