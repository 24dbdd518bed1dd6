"""Creditors and their API keys, as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from api.http.schemas._base import (
    BelowFloorPolicy,
    ContractualRate,
    Country,
    Input,
    InterestDayCount,
    Language,
    Line,
    Output,
    Scope,
    ShortText,
)
from domain.creditors.model import Address, ApiKey, Creditor


class AddressBody(Input):
    lines: Annotated[list[Line], Meta(min_length=1, max_length=5)]
    postal_code: Annotated[str, Meta(min_length=1, max_length=20)]
    city: ShortText
    country: Country = "FR"

    def to_domain(self) -> Address:
        return Address(tuple(self.lines), self.postal_code, self.city, self.country)


class AddressOut(Output):
    lines: list[str]
    postal_code: str
    city: str
    country: str

    @classmethod
    def of(cls, address: Address) -> AddressOut:
        return cls(
            lines=list(address.lines),
            postal_code=address.postal_code,
            city=address.city,
            country=address.country,
        )


DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LocalTime = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["10:00"])]
HourRange = Annotated[list[LocalTime], Meta(min_length=2, max_length=2, description=(
    "From, to: local times, the end excluded"))]


class ChannelWindowBody(Input):
    days: Annotated[list[DayName], Meta(min_length=1, max_length=7)]
    hours: Annotated[list[HourRange], Meta(min_length=1, max_length=6)]


class ContactWindowsBody(Input):
    """When the ladder may reach the debtor, in the creditor's time zone; public holidays
    are excluded whatever this says. A channel left out keeps the default (calls and SMS
    Monday to Friday 10:00-13:00 and 14:00-20:00, e-mails 09:00-20:00, letters 09:00-18:00);
    no channel on a Sunday, no call on a Saturday, nothing before 07:00 or after 21:00."""

    call: ChannelWindowBody | UnsetType = UNSET
    sms: ChannelWindowBody | UnsetType = UNSET
    email: ChannelWindowBody | UnsetType = UNSET
    letter: ChannelWindowBody | UnsetType = UNSET
    max_call_attempts: Annotated[int, Meta(ge=1, le=10)] | UnsetType = UNSET
    call_attempts_period_days: Annotated[int, Meta(ge=30, le=365)] | UnsetType = UNSET

    def to_setting(self) -> dict[str, object]:
        setting: dict[str, object] = msgspec.to_builtins(self)
        return setting


class ChannelWindowOut(Output):
    days: list[str]
    hours: list[list[str]]


class ContactWindowsOut(Output):
    call: ChannelWindowOut
    sms: ChannelWindowOut
    email: ChannelWindowOut
    letter: ChannelWindowOut
    max_call_attempts: int
    call_attempts_period_days: int

    @classmethod
    def of(cls, setting: dict[str, object] | None) -> ContactWindowsOut:
        from domain.escalation.calendar import (
            DEFAULT_WINDOWS,
            windows_from_setting,
            windows_to_setting,
        )

        windows = DEFAULT_WINDOWS if setting is None else windows_from_setting(setting)
        return msgspec.convert(windows_to_setting(windows), cls)


FormalNoticeDays = Annotated[int, Meta(ge=8, le=60, description=(
    "The days a mise en demeure gives the debtor to pay, from the letter's date: a precise "
    "and reasonable deadline, 8 or 15 days in practice"))]
Signatory = Annotated[str, Meta(min_length=1, max_length=200, description=(
    "Who signs the creditor's letters (name and role)"))]


class CreditorCreate(Input):
    legal_name: ShortText
    siren: Annotated[str, Meta(max_length=20, examples=["732829320"])]
    address: AddressBody
    iban: Annotated[str, Meta(max_length=50)] | None = None
    bic: Annotated[str, Meta(max_length=20)] | None = None
    time_zone: Annotated[str, Meta(max_length=64)] = "Europe/Paris"
    language: Language = "fr"
    # The rate of the creditor's general terms: the default of its new claims.
    contractual_rate: ContractualRate | None = None
    interest_day_count: InterestDayCount = "date_difference"
    below_floor_policy: BelowFloorPolicy = "floor"
    formal_notice_days: FormalNoticeDays = 8
    signatory: Signatory | None = None
    contact_windows: ContactWindowsBody | None = None


class CreditorPatch(Input):
    legal_name: ShortText | UnsetType = UNSET
    siren: Annotated[str, Meta(max_length=20)] | UnsetType = UNSET
    address: AddressBody | UnsetType = UNSET
    iban: Annotated[str, Meta(max_length=50)] | UnsetType | None = UNSET
    bic: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    time_zone: Annotated[str, Meta(max_length=64)] | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    contractual_rate: ContractualRate | UnsetType | None = UNSET
    interest_day_count: InterestDayCount | UnsetType = UNSET
    below_floor_policy: BelowFloorPolicy | UnsetType = UNSET
    formal_notice_days: FormalNoticeDays | UnsetType = UNSET
    signatory: Signatory | UnsetType | None = UNSET
    contact_windows: ContactWindowsBody | UnsetType | None = UNSET


class CreditorOut(Output):
    id: str
    legal_name: str
    siren: str
    address: AddressOut
    iban: str | None
    bic: str | None
    time_zone: str
    language: str
    contractual_rate: str | None
    interest_day_count: Annotated[str, Meta(description="`date_difference` or `inclusive`, "
                                                        "see CreditorCreate")]
    below_floor_policy: Annotated[str, Meta(description="`floor` or `statutory_default`, "
                                                        "see CreditorCreate")]
    formal_notice_days: int
    signatory: str | None
    contact_windows: Annotated[ContactWindowsOut, Meta(
        description="In force: the creditor's, else the default")]
    version: int
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, c: Creditor) -> CreditorOut:
        return cls(
            id=c.id,
            legal_name=c.legal_name,
            siren=c.siren,
            address=AddressOut.of(c.address),
            iban=c.iban,
            bic=c.bic,
            time_zone=c.time_zone,
            language=c.language.value,
            contractual_rate=None if c.contractual_rate is None else str(c.contractual_rate),
            interest_day_count=c.interest_day_count,
            below_floor_policy=c.below_floor_policy,
            formal_notice_days=c.formal_notice_days,
            signatory=c.signatory,
            contact_windows=ContactWindowsOut.of(c.contact_windows),
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ApiKeyCreate(Input):
    name: ShortText
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=3)] = msgspec.field(
        default_factory=lambda: ["read", "write"]
    )


class ApiKeyOut(Output):
    id: str
    name: str
    scopes: list[str]
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, k: ApiKey) -> ApiKeyOut:
        return cls(
            id=k.id,
            name=k.name,
            scopes=list(k.scopes),
            prefix=k.prefix,
            created_at=k.created_at,
            revoked_at=k.revoked_at,
        )


class ApiKeyIssuedOut(ApiKeyOut):
    secret: Annotated[str, Meta(description="Shown once: only its SHA-256 is stored.")]


class ApiKeyList(Output):
    items: list[ApiKeyOut]
