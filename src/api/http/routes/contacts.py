"""Contact validation ("normalisation des adresses"): a stateless batch check for partners
cleaning their data before an import, and re-validation of a debtor's stored contacts."""


from datetime import datetime
from typing import Annotated, ClassVar, Literal

import msgspec
from litestar import Controller, Response, post
from litestar.params import FromPath, JSONBody
from msgspec import Meta

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, etag, operation
from api.http.schemas._base import Country, Input, Output
from api.http.schemas.debtors import DebtorOut, PostalAddressBody, PostalAddressOut, ValidationOut
from domain import services
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind
from domain.debtors.validation import validate_point
from domain.shared.errors import DomainValidationError

MAX_BATCH = 1000
# Lambda answers at most 6 MB through API Gateway; a 1 MiB batch of long, abbreviation-heavy
# addresses once produced 7.2 MB of results (each change is explained). The results are
# counted as they are built and a batch that would pass this budget is refused, naming how
# many of its items fit, rather than failing at the platform with no answer at all.
RESPONSE_BUDGET_BYTES = 5_000_000


IdentifierKind = Literal["siren", "siret", "vat_number", "iban", "bic"]
IDENTIFIER_KINDS = frozenset(("siren", "siret", "vat_number", "iban", "bic"))


class UntrustedPostalAddressBody(PostalAddressBody):
    """An address to check only: control characters are reported, not refused."""

    __refuses_control__: ClassVar[bool] = False


class ValidationItemBody(Input):
    """A contact point, or a company or bank identifier to check (`value`)."""

    # The check stores nothing and exists to classify untrusted values: a control
    # character is answered as an invalid point, not refused (stored debtors refuse it).
    __refuses_control__: ClassVar[bool] = False

    kind: Literal["email", "phone", "postal_address"] | IdentifierKind
    value: Annotated[str, Meta(max_length=10_000)] | None = None
    address: UntrustedPostalAddressBody | None = None


class ContactValidationRequest(Input):
    items: Annotated[list[ValidationItemBody], Meta(min_length=1, max_length=MAX_BATCH)]
    default_country: Country = "FR"
    debtor_kind: Literal["business", "consumer"] = "business"


class ContactInputOut(Output):
    value: str | None
    address: PostalAddressOut | None


class ContactResultOut(Output):
    index: int
    kind: str
    input: ContactInputOut
    status: str
    normalized: str | list[str] | None
    line_type: str | None
    channels: list[str]
    reasons: list[str]
    message: str
    changes: list[str]


class ContactValidationResponse(Output):
    items: list[ContactResultOut]
    summary: dict[str, int]


class ContactValidationController(Controller):
    tags = ["contact validation"]

    @post(
        "/v1/contact-validation",
        **operation("ValidateContacts", 400, 401, 403, 413, 422),
        guards=[requires("read")], status_code=200,
        opt={"idempotency": False},
        summary="Check up to 1,000 contact points (phones, e-mails, postal addresses); "
        "nothing is stored",
        description="A batch whose results would pass 5 MB (the platform answers at most "
        "6 MB) is refused with 422 `response_too_large` on `items`, saying how many such "
        "items fit in one request.",
    )
    def check(self, data: JSONBody[ContactValidationRequest],
              ports: PortsDep) -> ContactValidationResponse:
        now = ports.clock.now()
        kind = DebtorKind(data.debtor_kind)
        results: list[ContactResultOut] = []
        summary = {"valid": 0, "risky": 0, "invalid": 0, "unverified": 0}
        size = 0
        for i, item in enumerate(data.items):
            result = _check_item(i, item, data, kind, now, ports.check_email_deliverability)
            summary[result.status] = summary.get(result.status, 0) + 1
            results.append(result)
            size += len(_encoder.encode(result)) + 1
            if size > RESPONSE_BUDGET_BYTES:
                raise DomainValidationError(
                    "items", f"the results of this batch would pass "
                    f"{RESPONSE_BUDGET_BYTES // 1_000_000} MB (the most one response can "
                    f"carry): send at most {i} items like these per request",
                    code="response_too_large")
        return ContactValidationResponse(items=results, summary=summary)

    @post(
        "/v1/debtors/{debtor_id:str}/contact-validation",
        **operation("RevalidateDebtorContacts", 400, 401, 403, 404, 409, 413, 422),
        guards=[requires("write")],
        status_code=200,
        summary="Validate the debtor's stored contact points again and record the outcome "
        "in the timelines of its open claims",
    )
    def revalidate(self, debtor_id: FromPath[str], caller: CallerDep,
                   ports: PortsDep) -> Response[DebtorOut]:
        debtor = services.revalidate_debtor(debtor_id, caller, ports)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})


_encoder = msgspec.json.Encoder()


def _check_item(i: int, item: ValidationItemBody, data: ContactValidationRequest,
                kind: DebtorKind, now: datetime, check_deliverability: bool) -> ContactResultOut:
    if item.kind in IDENTIFIER_KINDS:
        return _identifier_result(i, item)
    point = ContactPoint(id=str(i), kind=ContactKind(item.kind), value=item.value,
                         address=item.address.to_domain() if item.address else None)
    v = validate_point(point, data.default_country, kind, now,
                                        check_deliverability=check_deliverability)
    out = ValidationOut.of(v)
    address = None
    if item.address is not None:
        a = item.address
        address = PostalAddressOut(recipient=a.recipient, lines=a.lines,
                                   postal_code=a.postal_code, city=a.city, country=a.country)
    return ContactResultOut(
        index=i, kind=item.kind, input=ContactInputOut(value=item.value, address=address),
        status=out.status, normalized=out.normalized, line_type=out.line_type,
        channels=out.channels, reasons=out.reasons, message=out.message, changes=out.changes)


def _identifier_result(index: int, item: ValidationItemBody) -> ContactResultOut:
    from domain.debtors.contacts.identifiers import check_identifier  # lazy: heavy to import

    check = check_identifier(item.kind, item.value or "")
    return ContactResultOut(
        index=index, kind=item.kind, input=ContactInputOut(value=item.value, address=None),
        status="valid" if check.valid else "invalid", normalized=check.normalized,
        line_type=None, channels=[], reasons=list(check.reasons), message=check.message,
        changes=[])
