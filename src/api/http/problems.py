"""RFC 9457 problem details: every error leaves as `application/problem+json` with `type`,
`title`, `status`, `detail` and, for invalid input, an `errors` list naming each field."""

from __future__ import annotations

import os
import re
import traceback
from typing import Annotated, Any, Literal

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from msgspec import UNSET, Meta, Struct, UnsetType

from domain.shared.errors import (
    ActionNotAllowed,
    Conflict,
    DomainValidationError,
    NotFound,
    NotReady,
    RateUnknown,
    StaleVersion,
    Unavailable,
)

PROBLEM = "application/problem+json"
TYPE_BASE = "https://relance.dev/problems/"

_TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class ProblemFieldError(Struct, kw_only=True):
    """One invalid part of the request."""

    field: Annotated[str, Meta(description="Path of the field, e.g. `invoices[0].amount`; "
                                           "`body` for a missing body")]
    message: str
    code: Annotated[str | UnsetType, Meta(description="Business rule refused (422, 409)")] = UNSET
    source: Annotated[
        Literal["body", "query", "header", "path", "cookie"] | UnsetType,
        Meta(description="Where the schema violation is (400)"),
    ] = UNSET


class Problem(Struct, kw_only=True):
    """An RFC 9457 problem: every error is served as `application/problem+json`."""

    type: Annotated[str, Meta(description="URI naming the problem", examples=[
        TYPE_BASE + "invalid-input"])]
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] | UnsetType = UNSET
    period: Annotated[
        str | UnsetType, Meta(description="The rate period missing (`rate-unknown`)")
    ] = UNSET
    current_status: Annotated[
        str | UnsetType, Meta(description="The object's status that does not allow this yet "
                                          "(`not-ready`), e.g. a letter still `rendering`")
    ] = UNSET


class ActionProblem(Problem, kw_only=True):
    """A refused lifecycle action (`action-not-allowed`) says why and what is allowed."""

    action: str | UnsetType = UNSET
    state: Annotated[str | UnsetType, Meta(description="The claim's phase and hold")] = UNSET
    allowed_actions: list[str] | UnsetType = UNSET


# What each status means, for the document; the handlers below produce them.
_DESCRIPTIONS = {
    400: "The request does not match the schema (each field named in `errors`), or its JSON "
         "or Idempotency-Key is malformed",
    401: "Missing, unknown or revoked API key",
    403: "The API key lacks the scope this route needs, or is not the kind of key it takes "
         "(operator or creditor)",
    404: "No such object in your tenant",
    409: "A unique value is already used (named in `errors`), or a request with this "
         "Idempotency-Key is still running",
    412: "If-Match does not match the current ETag (or the object changed meanwhile): read it "
         "again and retry",
    413: "Request body over 1 MiB (an uploaded document: over 4 MiB)",
    415: "The body's Content-Type is not one this route takes (a document: PDF, PNG, JPEG)",
    422: "A business rule refuses the input (each field named in `errors`: a cursor this "
         "list did not return, a rate not yet published…), or the Idempotency-Key was used "
         "with another request",
    428: "If-Match is required",
    503: "A service this request needs (the document store, the postal provider) could not "
         "be reached; nothing was done: retry shortly",
}
_ACTION_409 = (
    "The claim's lifecycle does not allow this now: `action`, `state` and `allowed_actions` "
    "say why; or a unique value is already used, or a request with this Idempotency-Key is "
    "still running"
)


def problem_responses(*statuses: int, action: bool = False) -> dict[int, ResponseSpec]:
    """The `responses=` of a route: each error status it can answer, as a problem. `action`
    marks a claim lifecycle change, whose 409 carries `allowed_actions`."""
    specs = {}
    for status in sorted(set(statuses)):
        container: type[Problem] = ActionProblem if action and status == 409 else Problem
        description = _ACTION_409 if container is ActionProblem else _DESCRIPTIONS[status]
        specs[status] = ResponseSpec(data_container=container, media_type=PROBLEM,
                                     description=description, generate_examples=False)
    return specs


class ProblemException(HTTPException):
    """An HTTP error with a problem type and extra members."""

    def __init__(self, status_code: int, problem_type: str, detail: str, **extra: Any) -> None:
        super().__init__(detail=detail, status_code=status_code)
        self.problem_type = problem_type
        self.members = extra


def problem(status: int, problem_type: str, detail: str, **extra: Any) -> Response[Any]:
    body = {
        "type": TYPE_BASE + problem_type,
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM)


_FIELD_IN_MESSAGE = re.compile(r"(?:unknown|missing required|text) field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$(.*)`$")


def _field_path(key: str | None, message: str) -> str:
    """Litestar gives 'invoices[0].amount' or 'data' (the whole body); msgspec names the
    offending field inside the message for unknown/missing ones."""
    path = "" if key in (None, "data", "") else str(key)
    at = _AT_PATH.search(message)
    if at:
        path = at.group(1).lstrip(".")
    found = _FIELD_IN_MESSAGE.search(message)
    if found:
        path = f"{path}.{found.group(1)}" if path else found.group(1)
    return path


def _friendly(path: str, message: str) -> str:
    message = _AT_PATH.sub("", message)
    leaf = path.rsplit(".", 1)[-1]
    if message.startswith("Expected `str`, got `") and (
        leaf in {"amount", "total"} or leaf.endswith("_amount")
    ):
        return 'amounts are decimal strings: send "1200.00", not a JSON number'
    return message


def _body_required(request: Request[Any, Any, Any]) -> bool:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    return data is not None and not data.is_optional and not data.has_default


def on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    if isinstance(exc.extra, list) and exc.extra:
        errors = []
        for entry in exc.extra:
            if not isinstance(entry, dict):
                continue
            message = str(entry.get("message", "invalid"))
            if message == repr(str(entry.get("key"))):
                # Litestar's KeyError for an absent body ("'data'"): an error only when the
                # route needs a body (an optional one is absent while other parameters fail).
                if _body_required(request):
                    errors.append({"field": "body", "message": "a JSON body is required",
                                   "source": "body"})
                continue
            path = _field_path(entry.get("key"), message)
            if entry.get("source") in ("query", "header", "path") and not path:
                path = str(entry.get("key", ""))
            errors.append(
                {
                    "field": path,
                    "message": _friendly(path, message),
                    "source": entry.get("source", "body"),
                }
            )
        return problem(
            400, "invalid-request", "the request does not match the schema", errors=errors
        )
    return problem(400, "malformed-request", str(exc.detail))


def on_domain_validation(
    request: Request[Any, Any, Any], exc: DomainValidationError
) -> Response[Any]:
    errors = [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]
    detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} invalid fields"
    return problem(422, "invalid-input", detail, errors=errors)


def on_not_found(request: Request[Any, Any, Any], exc: NotFound) -> Response[Any]:
    return problem(404, "not-found", str(exc))


def on_action_not_allowed(request: Request[Any, Any, Any], exc: ActionNotAllowed) -> Response[Any]:
    return problem(
        409,
        "action-not-allowed",
        str(exc),
        action=exc.action,
        state=exc.state,
        allowed_actions=exc.allowed,
    )


def on_conflict(request: Request[Any, Any, Any], exc: Conflict) -> Response[Any]:
    extra = (
        {"errors": [{"field": exc.field_path, "message": str(exc), "code": "conflict"}]}
        if exc.field_path
        else {}
    )
    return problem(409, "conflict", str(exc), **extra)


def on_stale(request: Request[Any, Any, Any], exc: StaleVersion) -> Response[Any]:
    return problem(412, "stale-version", f"{exc}: read it again and retry with its ETag")


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ProblemException):
        return problem(exc.status_code, exc.problem_type, str(exc.detail), **exc.members)
    if isinstance(exc, NotFoundException):
        return problem(404, "not-found", "no such resource or route")
    status = exc.status_code
    headers = getattr(exc, "headers", None) or {}
    response = problem(
        status, _TITLES.get(status, "error").lower().replace(" ", "-"), str(exc.detail)
    )
    response.headers.update(headers)
    return response


def _from_body_decoding(exc: Exception) -> bool:
    """Litestar's JSON body decoding lets a few errors of the input through unwrapped:
    invalid UTF-8 (UnicodeDecodeError) and nesting too deep (RecursionError)."""
    if not isinstance(exc, UnicodeDecodeError | RecursionError):
        return False
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "decode_json" and code.co_filename.endswith("msgspec_hooks.py"):
            return True
        tb = tb.tb_next
    return False


def on_not_ready(request: Request[Any, Any, Any], exc: NotReady) -> Response[Any]:
    return problem(409, "not-ready", str(exc), current_status=exc.status)


def on_unavailable(request: Request[Any, Any, Any], exc: Unavailable) -> Response[Any]:
    return problem(503, "unavailable", str(exc))


def on_rate_unknown(request: Request[Any, Any, Any], exc: RateUnknown) -> Response[Any]:
    return problem(422, "rate-unknown", f"{exc}: the operator publishes it with "
                   "POST /v1/admin/rates", period=exc.period)


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from api.observability import logger

    if _from_body_decoding(exc):
        reason = (
            "is not valid UTF-8" if isinstance(exc, UnicodeDecodeError) else "nests too deeply"
        )
        return problem(400, "malformed-request", f"the JSON body {reason}")
    # Only the exception type: its message may quote personal data from the request.
    logger.error("unhandled error", extra={"error_type": type(exc).__name__})
    if os.environ.get("RELANCE_DEBUG_TRACEBACKS") == "1":  # tests only: may show data
        traceback.print_exception(exc)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR, "internal-error", "unexpected error; it has been logged"
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ValidationException: on_validation,
    DomainValidationError: on_domain_validation,
    NotFound: on_not_found,
    ActionNotAllowed: on_action_not_allowed,
    Conflict: on_conflict,
    StaleVersion: on_stale,
    RateUnknown: on_rate_unknown,
    NotReady: on_not_ready,
    Unavailable: on_unavailable,
    HTTPException: on_http,
    Exception: on_unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM", "MediaType", "Problem", "ProblemException",
           "problem", "problem_responses"]
