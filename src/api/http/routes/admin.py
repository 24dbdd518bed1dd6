"""Operator routes: onboarding creditors and their first API keys."""


from litestar import Controller, Response, post
from litestar.params import FromPath, JSONBody

from api.http.auth import operator_only
from api.http.deps import PortsDep, operation
from api.http.schemas.creditors import ApiKeyCreate, ApiKeyIssuedOut, CreditorCreate, CreditorOut
from domain import services
from domain.shared.language import Language


class AdminController(Controller):
    path = "/v1/admin/creditors"
    tags = ["operator"]
    guards = [operator_only]

    @post(
        "/",
        **operation("CreateCreditor", 400, 401, 403, 409, 413, 422),
        summary="Create a creditor (tenant)",
    )
    def create_creditor(self, data: JSONBody[CreditorCreate], ports: PortsDep) -> CreditorOut:
        creditor = services.create_creditor(
            services.CreditorDraft(
                legal_name=data.legal_name,
                siren=data.siren,
                address=data.address.to_domain(),
                iban=data.iban,
                bic=data.bic,
                time_zone=data.time_zone,
                language=Language(data.language),
                contractual_rate=data.contractual_rate,
                interest_day_count=data.interest_day_count,
                below_floor_policy=data.below_floor_policy,
                formal_notice_days=data.formal_notice_days,
                signatory=data.signatory,
                contact_windows=(data.contact_windows.to_setting()
                                 if data.contact_windows else None),
            ),
            ports,
        )
        return CreditorOut.of(creditor)

    @post(
        "/{creditor_id:str}/api-keys",
        **operation("IssueCreditorApiKey", 400, 401, 403, 404, 409, 413, 422),
        summary="Issue an API key for a creditor",
        opt={"idempotency": "without_secret"},
    )
    def issue_key(
        self, creditor_id: FromPath[str], data: JSONBody[ApiKeyCreate], ports: PortsDep
    ) -> Response[ApiKeyIssuedOut]:
        issued = services.issue_api_key(creditor_id, data.name, list(data.scopes), ports)
        return _issued(issued)


def _issued(issued: services.IssuedApiKey) -> Response[ApiKeyIssuedOut]:
    """The one response that carries a secret: its route's `opt` keeps the secret out of the
    idempotency record (a replay shows the key without it); every response is `no-store`."""
    k = issued.key
    body = ApiKeyIssuedOut(
        id=k.id,
        name=k.name,
        scopes=list(k.scopes),
        prefix=k.prefix,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
        secret=issued.secret,
    )
    return Response(body, status_code=201)
