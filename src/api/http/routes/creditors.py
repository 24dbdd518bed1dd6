"""The calling creditor's own profile and API keys."""


from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from api.http.auth import requires
from api.http.deps import CallerDep, IfMatch, PortsDep, etag, expected_version, operation
from api.http.routes.admin import _issued
from api.http.schemas._base import set_fields
from api.http.schemas.creditors import (
    ApiKeyCreate,
    ApiKeyIssuedOut,
    ApiKeyList,
    ApiKeyOut,
    ContactWindowsBody,
    CreditorOut,
    CreditorPatch,
)
from domain import services
from domain.services import queries


class CreditorController(Controller):
    path = "/v1/creditor"
    tags = ["creditor"]

    @get(
        "/",
        **operation("ReadCreditor", 401, 403),
        guards=[requires("read")], summary="Your creditor profile",
    )
    def read(self, caller: CallerDep, ports: PortsDep) -> Response[CreditorOut]:
        creditor = services.get_creditor(caller.creditor_id, ports)
        return Response(CreditorOut.of(creditor), headers={"ETag": etag(creditor.version)})

    @patch(
        "/",
        **operation("UpdateCreditor", 400, 401, 403, 412, 413, 422, 428),
        guards=[requires("admin")], summary="Change your creditor profile",
    )
    def update(
        self,
        data: JSONBody[CreditorPatch],
        caller: CallerDep,
        ports: PortsDep,
        if_match: IfMatch = None,
    ) -> Response[CreditorOut]:
        changes = set_fields(data)
        if "address" in changes:
            changes["address"] = data.address.to_domain()  # type: ignore[union-attr]
        if isinstance(data.contact_windows, ContactWindowsBody):
            changes["contact_windows"] = data.contact_windows.to_setting()
        creditor = services.update_creditor(caller.creditor_id, expected_version(if_match),
                                            changes, ports)
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
    def list_keys(self, caller: CallerDep, ports: PortsDep) -> ApiKeyList:
        return ApiKeyList(items=[ApiKeyOut.of(k) for k in queries.list_api_keys(caller, ports)])

    @post(
        "/",
        **operation("IssueApiKey", 400, 401, 403, 409, 413, 422),
        summary="Issue an API key; its secret is in this response only",
        opt={"idempotency": "without_secret"},
    )
    def issue(
        self, data: JSONBody[ApiKeyCreate], caller: CallerDep, ports: PortsDep
    ) -> Response[ApiKeyIssuedOut]:
        return _issued(services.issue_api_key(caller.creditor_id, data.name, list(data.scopes),
                                              ports))

    @delete(
        "/{key_id:str}",
        **operation("RevokeApiKey", 401, 403, 404),
        status_code=200, summary="Revoke an API key",
    )
    def revoke(
        self, key_id: FromPath[str], caller: CallerDep, ports: PortsDep, state: State
    ) -> ApiKeyOut:
        key = services.revoke_api_key(key_id, caller, ports)
        # This function stops accepting the key at once; others within the cache lifetime.
        state.authenticator.cache.put(key.secret_hash, None)
        return ApiKeyOut.of(key)
