"""Debtors and their contact points, as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from api.http.schemas._base import Country, Input, Language, Line, Output, Reference, ShortText
from domain.debtors.model import ContactPoint, ContactValidation, Debtor, PostalAddress
from domain.debtors.proceedings import CollectiveProceedings
from domain.debtors.validation import reachable_by


class PostalAddressBody(Input):
    recipient: ShortText
    lines: Annotated[list[Line], Meta(max_length=5)] = msgspec.field(default_factory=list)
    postal_code: Annotated[str, Meta(max_length=20)] = ""
    city: Annotated[str, Meta(max_length=200)] = ""
    country: Country = "FR"

    def to_domain(self) -> PostalAddress:
        return PostalAddress(
            self.recipient, tuple(self.lines), self.postal_code, self.city, self.country
        )


class PostalAddressOut(Output):
    recipient: str
    lines: list[str]
    postal_code: str
    city: str
    country: str


ContactKindName = Literal["email", "phone", "postal_address"]


class ContactPointBody(Input):
    kind: ContactKindName
    value: Annotated[str, Meta(max_length=10_000)] | None = None
    address: PostalAddressBody | None = None
    label: Annotated[str, Meta(max_length=100)] | None = None


class ValidationOut(Output):
    status: Literal["valid", "invalid", "risky", "unverified"]
    normalized: str | list[str] | None
    reasons: list[str]
    message: str
    line_type: str | None
    channels: list[str]
    changes: list[str]
    validated_at: datetime

    @classmethod
    def of(cls, v: ContactValidation) -> ValidationOut:
        normalized = list(v.normalized) if isinstance(v.normalized, tuple) else v.normalized
        return cls(
            status=v.status,  # type: ignore[arg-type]
            normalized=normalized,
            reasons=list(v.reasons),
            message=v.message,
            line_type=v.line_type,
            channels=list(v.channels),
            changes=list(v.changes),
            validated_at=v.validated_at,
        )


class ContactPointOut(Output):
    id: str
    kind: str
    value: str | None
    address: PostalAddressOut | None
    label: str | None
    validation: ValidationOut | None

    @classmethod
    def of(cls, p: ContactPoint) -> ContactPointOut:
        address = None
        if p.address is not None:
            a = p.address
            address = PostalAddressOut(
                recipient=a.recipient,
                lines=list(a.lines),
                postal_code=a.postal_code,
                city=a.city,
                country=a.country,
            )
        return cls(
            id=p.id,
            kind=p.kind.value,
            value=p.value,
            address=address,
            label=p.label,
            validation=ValidationOut.of(p.validation) if p.validation else None,
        )


ProceedingsKindName = Literal["sauvegarde", "redressement_judiciaire", "liquidation_judiciaire"]


class ProceedingsBody(Input):
    """The opening judgment of collective proceedings against the debtor."""

    kind: ProceedingsKindName
    opened_on: Annotated[date, Meta(description=(
        "The day of the opening judgment: no interest from that day on (C. com. L622-28)"))]
    court: Annotated[str, Meta(min_length=1, max_length=200,
                               examples=["Tribunal des activités économiques de Paris"])]
    bodacc_published_on: Annotated[date, Meta(description=(
        "The day the BODACC published it: the claim is declared within 2 months "
        "(C. com. R622-24)"))] | None = None
    reference: Reference | None = None


class ProceedingsOut(Output):
    kind: str
    opened_on: date
    court: str
    bodacc_published_on: date | None
    reference: str | None
    recorded_on: date | None

    @classmethod
    def of(cls, p: CollectiveProceedings) -> ProceedingsOut:
        return cls(kind=p.kind.value, opened_on=p.opened_on, court=p.court,
                   bodacc_published_on=p.bodacc_published_on, reference=p.reference,
                   recorded_on=p.recorded_on)


ConsentDay = Annotated[date, Meta(description=(
    "The day a consumer consented to receive electronic registered mail (CPCE R53-1): "
    "without it, `electronic_registered` dispatch is refused for a consumer"))]


class DebtorCreate(Input):
    kind: Literal["business", "consumer"]
    name: ShortText
    country: Country = "FR"
    language: Language = "fr"
    siren: Annotated[str, Meta(max_length=20)] | None = None
    vat_number: Annotated[str, Meta(max_length=20, examples=["FR40303265045"])] | None = None
    external_reference: Reference | None = None
    contact_points: Annotated[list[ContactPointBody], Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )
    electronic_registered_consent_on: ConsentDay | None = None


class DebtorPatch(Input):
    kind: Literal["business", "consumer"] | UnsetType = UNSET
    name: ShortText | UnsetType = UNSET
    country: Country | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    siren: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    vat_number: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    external_reference: Reference | UnsetType | None = UNSET
    contact_points: Annotated[list[ContactPointBody], Meta(max_length=50)] | UnsetType = UNSET
    electronic_registered_consent_on: ConsentDay | UnsetType | None = UNSET


class DebtorOut(Output):
    id: str
    kind: str
    name: str
    country: str
    language: str
    siren: str | None
    vat_number: str | None
    external_reference: str | None
    contact_points: list[ContactPointOut]
    reachable_by: list[str]
    in_collective_proceedings: bool
    collective_proceedings: ProceedingsOut | None
    electronic_registered_consent_on: date | None
    version: int
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, d: Debtor) -> DebtorOut:
        return cls(
            id=d.id,
            kind=d.kind.value,
            name=d.name,
            country=d.country,
            language=d.language.value,
            siren=d.siren,
            vat_number=d.vat_number,
            external_reference=d.external_reference,
            contact_points=[ContactPointOut.of(p) for p in d.contact_points],
            reachable_by=reachable_by(d),
            in_collective_proceedings=d.in_collective_proceedings,
            collective_proceedings=(ProceedingsOut.of(d.collective_proceedings)
                                    if d.collective_proceedings else None),
            electronic_registered_consent_on=d.electronic_registered_consent_on,
            version=d.version,
            created_at=d.created_at,
            updated_at=d.updated_at,
        )


class DebtorPage(Output):
    items: list[DebtorOut]
    next_cursor: str | None
