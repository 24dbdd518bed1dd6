"""The Litestar application: routes, auth, problem+json errors, OpenAPI.

`create_app` takes its collaborators (repository, clock, idempotency and rate stores) so tests, the
local runner and the Lambda entry point each wire their own; nothing here creates an AWS
client.
"""


from collections.abc import Callable

from litestar import Litestar, get
from litestar.datastructures import CacheControlHeader, State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from api.http.auth import ApiKeyCache, ApiKeyMiddleware, Authenticator
from api.http.deps import dependencies, operation, strict_body
from api.http.idempotency import MAX_BODY_BYTES, IdempotencyMiddleware
from api.http.mandate_access import mandate_scope
from api.http.problems import EXCEPTION_HANDLERS
from api.http.routes.admin import AdminController
from api.http.routes.amounts import AccountController, record_payment_by_reference
from api.http.routes.claims import ClaimController
from api.http.routes.clock import ClockController
from api.http.routes.contacts import ContactValidationController
from api.http.routes.creditors import ApiKeyController, CreditorController
from api.http.routes.debtors import DebtorController
from api.http.routes.documents import DocumentController, DossierController
from api.http.routes.escalation import EscalationController
from api.http.routes.handoff import HandoffController
from api.http.routes.judicial import JudicialController
from api.http.routes.judicial_assessment import JudicialAssessmentController
from api.http.routes.letters import LetterController, postal_webhook
from api.http.routes.policies import PolicyController
from api.http.routes.rates import AdminRatesController, RatesController
from api.http.routes.tasks import TaskController
from domain.ports.stores import IdempotencyStore
from domain.services.caller import Ports
from domain.services.queries import find_api_key

VERSION = "0.1.0"
PUBLIC_PATHS = ["^/schema", "^/health$", "^/v1/postal/webhooks/"]


@get(
    "/health",
    **operation("CheckHealth", public=True),
    tags=["operations"], summary="Liveness", include_in_schema=True,
)
async def health() -> dict[str, str]:
    return {"status": "ok"}


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Relance API",
        version=VERSION,
        description=(
            "Debt collection (recouvrement de créances) for French SMEs: debtors, claims and "
            "their invoices, the claim lifecycle and its timeline. Amounts are decimal "
            "strings; errors are application/problem+json (RFC 9457); POST accepts an "
            "Idempotency-Key; PATCH needs If-Match."
        ),
        path="/schema",
        render_plugins=[SwaggerRenderPlugin(path="/")],
        components=Components(
            security_schemes={
                "ApiKey": SecurityScheme(
                    type="apiKey",
                    name="X-API-Key",
                    security_scheme_in="header",
                    description="A creditor's API key, or the operator key for /v1/admin",
                )
            }
        ),
        security=[{"ApiKey": []}],
        use_handler_docstrings=True,
    )


def create_app(
    *,
    ports: Ports,
    idempotency: IdempotencyStore,
    operator_key: Callable[[], str | None],
    api_key_cache_seconds: float = 60.0,
    extra_state: dict[str, object] | None = None,
) -> Litestar:
    """The app over its collaborators: the ports bundle the use cases take, the store of
    Idempotency-Key records, and where the operator's key comes from."""
    authenticator = Authenticator(lambda secret_hash: find_api_key(secret_hash, ports),
                                  ApiKeyCache(api_key_cache_seconds), operator_key)
    return Litestar(
        route_handlers=[
            health,
            AdminController,
            ClockController,
            CreditorController,
            ApiKeyController,
            DebtorController,
            ClaimController,
            AccountController,
            ContactValidationController,
            RatesController,
            AdminRatesController,
            LetterController,
            EscalationController,
            PolicyController,
            TaskController,
            JudicialAssessmentController,
            DocumentController,
            DossierController,
            HandoffController,
            JudicialController,
            postal_webhook,
            record_payment_by_reference,
        ],
        middleware=[
            DefineMiddleware(ApiKeyMiddleware, exclude=PUBLIC_PATHS),
            IdempotencyMiddleware,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        # A recipient's key reaches its mandate's claims only, on every route (default-deny).
        guards=[mandate_scope],
        dependencies=dependencies(),
        before_request=strict_body,
        openapi_config=openapi_config(),
        state=State(
            {
                "ports": ports,
                "idempotency": idempotency,
                "authenticator": authenticator,
                **(extra_state or {}),
            }
        ),
        request_max_body_size=MAX_BODY_BYTES,
        # Responses carry names, addresses, phones and IBANs: no shared or browser cache
        # may keep them.
        cache_control=CacheControlHeader(no_store=True),
        # Powertools Logger owns logging (JSON, no personal data); Litestar's default would
        # add a second root handler and print every line twice.
        logging_config=None,
        debug=False,
    )
