"""Small HTTP helpers shared by the routes: dependencies, ETags, If-Match, paging."""


from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.openapi.spec import Operation
from litestar.params import HeaderParameter, QueryParameter, SkipValidation

from api.http.auth import Principal
from api.http.problems import PROBLEM, ProblemException, problem_responses
from domain.ports import PageRequest
from domain.ports.stores import RateStore
from domain.services.caller import Caller, Ports

MAX_PAGE = 100

# Injected collaborators: named dependencies, not validated (they are objects, not input).
PortsDep = NamedDependency[SkipValidation[Ports]]
CallerDep = NamedDependency[SkipValidation[Caller]]
PrincipalDep = NamedDependency[SkipValidation[Principal]]
PageDep = NamedDependency[SkipValidation[PageRequest]]
RatesDep = NamedDependency[SkipValidation[RateStore]]


def provide_ports(state: State) -> Ports:
    ports: Ports = state.ports
    return ports


def provide_rates(state: State) -> RateStore:
    rates: RateStore = state.ports.rates
    return rates


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.auth
    return principal


def provide_caller(request: Request[Any, Any, Any]) -> Caller:
    """The creditor the key belongs to, and the key's id as the actor of every change."""
    principal: Principal = request.auth
    if principal.creditor_id is None:  # guards keep the operator out of tenant routes
        raise ProblemException(403, "forbidden", "this route needs a creditor's API key")
    return Caller(principal.creditor_id, principal.actor, principal.mandate_id)


def provide_page(
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page size (≤ 100)")] = 50,
    cursor: Annotated[
        str | None, QueryParameter(max_length=2048, description="Opaque cursor from `next_cursor`")
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, cursor=cursor)


def etag(version: int) -> str:
    return f'"{version}"'


IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="The ETag you read; required on PATCH (428 without it, 412 when stale)",
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """Parse If-Match into the version the caller read; None for `*` (any version: the
    service then uses the version it reads)."""
    if not if_match:
        raise ProblemException(
            428,
            "if-match-required",
            "send If-Match with the ETag you read, to not overwrite a change you have not seen",
        )
    tag = if_match.strip()
    if tag == "*":
        return None
    tag = tag.removeprefix("W/").strip('"')
    # ASCII digits only ("٣".isdigit() is true), and no more than a version can have
    # (int() refuses over 4,300 digits; DynamoDB numbers carry 38).
    if not (tag.isascii() and tag.isdigit()) or len(tag) > 18:
        raise ProblemException(412, "stale-version", "If-Match does not match the current ETag")
    return int(tag)


class ProblemOperation(Operation):
    """An operation that documents only the errors its route declares: Litestar adds its own
    400 (`application/json`, not our problem) to every route with parameters, true or not."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        responses = schema.get("responses", {})
        if PROBLEM not in responses.get("400", {}).get("content", {PROBLEM: None}):
            del responses["400"]
        return schema


class PublicOperation(ProblemOperation):
    """An operation that takes no API key: `security: []` overrides the global ApiKey."""

    def to_schema(self) -> dict[str, Any]:
        return {**super().to_schema(), "security": []}


def operation(
    operation_id: str, *statuses: int, action: bool = False, public: bool = False
) -> dict[str, Any]:
    """A route's contract, spread into its decorator: its explicit `operation_id` (the SDK
    method name, PascalCase verb + noun) and every error status it can answer, each as an
    RFC 9457 problem (`action`: a lifecycle change, whose 409 says which actions are allowed).
    """
    contract: dict[str, Any] = {
        "operation_id": operation_id,
        "responses": problem_responses(*statuses, action=action),
        "operation_class": PublicOperation if public else ProblemOperation,
    }
    if not public:
        # Every keyed route calls DynamoDB through boto3, which blocks: its handler is a
        # plain function run on a worker thread, so the event loop keeps serving others.
        contract["sync_to_thread"] = True
    return contract


async def strict_body(request: Request[Any, Any, Any]) -> None:
    """Decode a JSON body against its type strictly before Litestar converts it, as a
    `before_request` hook. Litestar converts request data leniently (made for query strings):
    `0` would pass as `false` and `"3"` as `3`. A body that is not JSON, is empty or nests
    too deeply is left to Litestar, which refuses it."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return
    body = await request.body()
    if not body.strip():
        return
    try:
        msgspec.json.decode(body, type=data.annotation, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(
            "the request does not match the schema",
            extra=[{"key": "data", "message": str(exc), "source": "body"}],
        ) from None
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        return


def dependencies() -> dict[str, Provide]:
    """Every route's collaborators, registered once on the app: a handler names what it
    needs (`ports`, `caller`, `principal`, `page`, `rates`) and gets only that."""
    providers: dict[str, Callable[..., Any]] = {
        "ports": provide_ports, "caller": provide_caller, "principal": provide_principal,
        "page": provide_page, "rates": provide_rates}
    return {name: Provide(fn, sync_to_thread=False) for name, fn in providers.items()}
