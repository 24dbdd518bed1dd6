"""The JSON contract: request and response bodies as msgspec Structs.

Requests forbid unknown fields (a typo must not be silently ignored); amounts are decimal
strings; dates are ISO 8601. Mapping to and from the domain lives beside each Struct so a
reader finds the whole shape of a resource in one place.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from domain.amounts import law
from domain.claims import lifecycle
from domain.claims.model import MAX_INVOICES_PER_CLAIM, Claim, ClaimEvent, Hold, Invoice, Phase
from domain.creditors.model import Address, ApiKey, Creditor
from domain.debtors.model import ContactPoint, ContactValidation, Debtor, DebtorKind, PostalAddress
from domain.debtors.validation import reachable_by
from domain.shared.money import format_amount

DecimalString = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,15}(\.[0-9]{1,4})?$",
        description="An exact amount as a decimal string, never a JSON number; at most as many "
        "decimals as the currency has (EUR: 2).",
        examples=["1200.00"],
    ),
]
Currency = Annotated[
    str, Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code", examples=["EUR"])
]
Country = Annotated[
    str, Meta(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code", examples=["FR"])
]
ShortText = Annotated[str, Meta(min_length=1, max_length=200)]
Line = Annotated[str, Meta(max_length=200)]
Reference = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f#]+$")]
Scope = Literal["read", "write", "admin"]
Language = Literal["fr", "en"]


# C0 controls, DEL and C1 controls: a NUL in a name or a trailing newline in an invoice
# number passes a `^…$` pattern (Python's `$` matches before a final newline) and then
# breaks letters, exports and uniqueness. Free notes may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Input(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request body: no text field carries a control character."""

    # Fields where a person may type line breaks.
    __multiline__: ClassVar[frozenset[str]] = frozenset({"reason", "note"})
    # False only where nothing is stored and classifying hostile text is the point.
    __refuses_control__: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not self.__refuses_control__:
            return
        for name in self.__struct_fields__:
            value = getattr(self, name)
            pattern = _CONTROL_IN_NOTE if name in self.__multiline__ else _CONTROL
            texts = ([(name, value)] if isinstance(value, str) else
                     [(f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str)]
                     if isinstance(value, list) else [])
            for path, text in texts:
                if (found := pattern.search(text)) is not None:
                    # msgspec turns this into a ValidationError at the struct's path;
                    # api.problems reads the field name back out of the message.
                    raise ValueError(f"text field `{path}` must not contain control "
                                     f"characters (found U+{ord(found.group()):04X})")


class Output(Struct, kw_only=True):
    """Base of every response body."""


# ------------------------------------------------------------------------ creditors


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


class CreditorCreate(Input):
    legal_name: ShortText
    siren: Annotated[str, Meta(max_length=20, examples=["732829320"])]
    address: AddressBody
    iban: Annotated[str, Meta(max_length=50)] | None = None
    bic: Annotated[str, Meta(max_length=20)] | None = None
    time_zone: Annotated[str, Meta(max_length=64)] = "Europe/Paris"
    language: Language = "fr"


class CreditorPatch(Input):
    legal_name: ShortText | UnsetType = UNSET
    siren: Annotated[str, Meta(max_length=20)] | UnsetType = UNSET
    address: AddressBody | UnsetType = UNSET
    iban: Annotated[str, Meta(max_length=50)] | UnsetType | None = UNSET
    bic: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    time_zone: Annotated[str, Meta(max_length=64)] | UnsetType = UNSET
    language: Language | UnsetType = UNSET


class CreditorOut(Output):
    id: str
    legal_name: str
    siren: str
    address: AddressOut
    iban: str | None
    bic: str | None
    time_zone: str
    language: str
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
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


# ------------------------------------------------------------------------ API keys


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


# ------------------------------------------------------------------------ debtors


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
    in_collective_proceedings: bool = False


class DebtorPatch(Input):
    kind: Literal["business", "consumer"] | UnsetType = UNSET
    name: ShortText | UnsetType = UNSET
    country: Country | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    siren: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    vat_number: Annotated[str, Meta(max_length=20)] | UnsetType | None = UNSET
    external_reference: Reference | UnsetType | None = UNSET
    contact_points: Annotated[list[ContactPointBody], Meta(max_length=50)] | UnsetType = UNSET
    in_collective_proceedings: bool | UnsetType = UNSET


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
            version=d.version,
            created_at=d.created_at,
            updated_at=d.updated_at,
        )


class DebtorPage(Output):
    items: list[DebtorOut]
    next_cursor: str | None


# ------------------------------------------------------------------------ claims


class InvoiceBody(Input):
    number: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f#]+$")]
    issue_date: date
    due_date: date
    amount: DecimalString


class ClaimCreate(Input):
    debtor_id: Annotated[str, Meta(min_length=1, max_length=64)]
    currency: Currency
    invoices: Annotated[list[InvoiceBody], Meta(min_length=1, max_length=MAX_INVOICES_PER_CLAIM)]
    external_reference: Reference | None = None
    contractual_rate: (
        Annotated[
            str,
            Meta(
                pattern=r"^[0-9]{1,2}(\.[0-9]{1,4})?$",
                examples=["15.00"],
                description="Late-payment rate agreed in writing, percent per year. Between "
                "professionals it may not be below 3 × the legal rate (C. com. "
                "L441-10 II); without it the statutory rate applies.",
            ),
        ]
        | None
    ) = None
    formal_notice_on: (
        Annotated[
            date,
            Meta(
                description="Date a formal notice (mise en demeure) was already sent before the "
                "claim reached Relance: consumer interest runs from it (C. civ. 1231-6)."
            ),
        ]
        | None
    ) = None


class InvoiceOut(Output):
    number: str
    issue_date: date
    due_date: date
    amount: str
    limitation_date: date

    @classmethod
    def of(cls, invoice: Invoice, currency: str, kind: DebtorKind) -> InvoiceOut:
        return cls(
            number=invoice.number,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            amount=format_amount(invoice.amount, currency),
            limitation_date=law.limitation_date(invoice.due_date, kind),
        )


class WarningOut(Output):
    code: str
    message: str
    subject: str | None


def claim_warnings(claim: Claim, today: date | None) -> list[WarningOut]:
    """Payment terms beyond the legal caps, and prescription approaching (90 days)."""
    warnings = [
        WarningOut(code=f.code, message=f.message, subject=f.subject)
        for inv in claim.invoices
        for f in law.payment_term_flags(inv, claim.debtor_kind)
    ]
    if today is not None and claim.phase is not Phase.CLOSED:
        for inv in claim.invoices:
            limit = law.limitation_date(inv.due_date, claim.debtor_kind)
            if law.is_prescribed(limit, today):
                warnings.append(
                    WarningOut(
                        code="prescribed",
                        subject=inv.number,
                        message=(f"the action for invoice {inv.number} was time-barred on {limit}"),
                    )
                )
            elif law.prescription_warning(limit, today):
                warnings.append(
                    WarningOut(
                        code="prescription_soon",
                        subject=inv.number,
                        message=f"invoice {inv.number} is time-barred on {limit}: act before then",
                    )
                )
    return warnings


class HoldOut(Output):
    reason: str
    since: datetime
    until: date | None
    note: str | None

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        return cls(reason=hold.reason.value, since=hold.since, until=hold.until, note=hold.note)


class ClaimOut(Output):
    id: str
    debtor_id: str
    currency: str
    phase: str
    outcome: str | None
    step_index: int
    hold: HoldOut | None
    invoices: list[InvoiceOut]
    warnings: list[WarningOut]
    total: str
    outstanding: Annotated[str, Meta(description=(
        "What the debtor owed at the claim's last change (invoices, then interest and "
        "indemnity once a payment, promise, plan or review updated it). For any date, "
        "exactly and with its breakdown: GET /v1/claims/{id}/statement."))]
    external_reference: str | None
    allowed_actions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Claim, today: date | None = None) -> ClaimOut:
        return cls(
            id=c.id,
            debtor_id=c.debtor_id,
            currency=c.currency,
            phase=c.phase.value,
            outcome=c.outcome.value if c.outcome else None,
            step_index=c.step_index,
            hold=HoldOut.of(c.hold) if c.hold else None,
            invoices=[InvoiceOut.of(i, c.currency, c.debtor_kind) for i in c.invoices],
            warnings=claim_warnings(c, today),
            total=format_amount(c.total_invoiced, c.currency),
            outstanding=format_amount(c.outstanding, c.currency),
            external_reference=c.external_reference,
            allowed_actions=lifecycle.allowed_actions(c),
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ClaimPage(Output):
    items: list[ClaimOut]
    next_cursor: str | None


class EventOut(Output):
    seq: int
    at: datetime
    action: str
    actor: str
    reason: str | None
    data: dict[str, str]

    @classmethod
    def of(cls, e: ClaimEvent) -> EventOut:
        return cls(seq=e.seq, at=e.at, action=e.action, actor=e.actor, reason=e.reason, data=e.data)


class EventPage(Output):
    items: list[EventOut]
    next_cursor: str | None


class ActionBody(Input):
    reason: Annotated[str, Meta(max_length=2000)] | None = None
    until: date | None = None


def set_fields(patch: Struct) -> dict[str, object]:
    """The members a PATCH body actually carries (JSON merge-patch: absent = unchanged)."""
    return {
        name: getattr(patch, name)
        for name in patch.__struct_fields__
        if getattr(patch, name) is not UNSET
    }


__all__ = ["Decimal"]
