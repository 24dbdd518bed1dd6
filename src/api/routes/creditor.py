"""The calling creditor's own profile and API keys."""


from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from api.auth import requires
from api.http import (
    ClockDep,
    IfMatch,
    RepoDep,
    TenantDep,
    etag,
    expected_version,
    operation,
)
from api.routes.admin import _issued
from api.schemas import (
    ApiKeyCreate,
    ApiKeyIssuedOut,
    ApiKeyList,
    ApiKeyOut,
    CreditorOut,
    CreditorPatch,
    set_fields,
)
from domain import services


class CreditorController(Controller):
    path = "/v1/creditor"
    tags = ["creditor"]

    @get(
        "/",
        **operation("ReadCreditor", 401, 403),
        guards=[requires("read")], summary="Your creditor profile",
    )
    async def read(self, tenant: TenantDep, repo: RepoDep) -> Response[CreditorOut]:
        creditor = services.get_creditor(repo, tenant)
        return Response(CreditorOut.of(creditor), headers={"ETag": etag(creditor.version)})

    @patch(
        "/",
        **operation("UpdateCreditor", 400, 401, 403, 412, 413, 422, 428),
        guards=[requires("admin")], summary="Change your creditor profile",
    )
    async def update(
        self,
        tenant: TenantDep,
        data: JSONBody[CreditorPatch],
        repo: RepoDep,
        clock: ClockDep,
        if_match: IfMatch = None,
    ) -> Response[CreditorOut]:
        changes = set_fields(data)
        if "address" in changes:
            changes["address"] = data.address.to_domain()  # type: ignore[union-attr]
        creditor = services.update_creditor(
            repo, clock, tenant, expected_version(if_match), changes
        )
        return Response(CreditorOut.of(creditor), headers={"ETag": etag(creditor.version)})


class ApiKeyController(Controller):
    path = "/v1/api-keys"
    tags = ["creditor"]
    guards = [requires("admin")]

    @get(
        "/",
        **operation("ListApiKeys", 401, 403),
        summary="List your API keys (secrets are never shown again)",
    )
    async def list_keys(self, tenant: TenantDep, repo: RepoDep) -> ApiKeyList:
        return ApiKeyList(items=[ApiKeyOut.of(k) for k in repo.list_api_keys(tenant)])

    @post(
        "/",
        **operation("IssueApiKey", 400, 401, 403, 409, 413, 422),
        summary="Issue an API key; its secret is in this response only",
        opt={"idempotency": "without_secret"},
    )
    async def issue(
        self, tenant: TenantDep, data: JSONBody[ApiKeyCreate], repo: RepoDep, clock: ClockDep
    ) -> Response[ApiKeyIssuedOut]:
        return _issued(services.issue_api_key(repo, clock, tenant, data.name, list(data.scopes)))

    @delete(
        "/{key_id:str}",
        **operation("RevokeApiKey", 401, 403, 404),
        status_code=200, summary="Revoke an API key",
    )
    async def revoke(
        self, tenant: TenantDep, key_id: FromPath[str], repo: RepoDep, clock: ClockDep, state: State
    ) -> ApiKeyOut:
        key = services.revoke_api_key(repo, clock, tenant, key_id)
        # This function stops accepting the key at once; others within the cache lifetime.
        state.authenticator.cache.put(key.secret_hash, None)
        return ApiKeyOut.of(key)
