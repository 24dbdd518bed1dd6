"""API-key authentication and scope guards.

Callers send `X-API-Key`. A creditor's keys carry scopes (`read`, `write`, `admin`); the
platform operator's key (configuration, SSM in AWS) may only create creditors and their
first keys. Missing or unknown key → 401; a key without the scope → 403; another
creditor's object → 404, because the repository only ever looks inside the caller's tenant.

Keys are looked up by SHA-256 and the answer cached in memory for
`RELANCE_API_KEY_CACHE_SECONDS` (60 s by default): a revoked key stops working within that
time on every warm function, which is the documented price of not reading DynamoDB on
every request.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from domain.creditors.keys import hash_secret
from domain.creditors.model import ApiKey

HEADER = "x-api-key"
NEGATIVE_CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a creditor's API key, or the platform operator."""

    key_id: str
    creditor_id: str | None
    scopes: frozenset[str]
    is_operator: bool = False
    # A mandate's recipient: the mandate and the claims its key reaches (None: the whole
    # tenant). api.http.mandate_access decides what such a key may call.
    mandate_id: str | None = None
    claim_ids: frozenset[str] | None = None

    @property
    def actor(self) -> str:
        if self.is_operator:
            return "operator"
        if self.mandate_id is not None:
            return f"recipient:{self.mandate_id}:api_key:{self.key_id}"
        return f"api_key:{self.key_id}"


class ApiKeyCache:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._entries: dict[str, tuple[Principal | None, float]] = {}

    def get(self, secret_hash: str) -> tuple[bool, Principal | None]:
        entry = self._entries.get(secret_hash)
        if entry is None or entry[1] < self.clock():
            return False, None
        return True, entry[0]

    def put(self, secret_hash: str, principal: Principal | None) -> None:
        if len(self._entries) > 10_000:  # bound memory under a flood of random keys
            self._entries.clear()
        ttl = self.ttl if principal is not None else min(self.ttl, NEGATIVE_CACHE_SECONDS)
        self._entries[secret_hash] = (principal, self.clock() + ttl)

    def forget(self, secret_hash: str) -> None:
        """Read the key again at its next use (its scope changed)."""
        self._entries.pop(secret_hash, None)

    def clear(self) -> None:
        self._entries.clear()


class Authenticator:
    def __init__(
        self, find_key: Callable[[str], ApiKey | None], cache: ApiKeyCache,
        operator_key: Callable[[], str | None]
    ) -> None:
        self.find_key = find_key
        self.cache = cache
        self.operator_key = operator_key

    def authenticate(self, secret: str | None) -> Principal:
        if not secret:
            raise NotAuthorizedException("send your API key in the X-API-Key header")
        operator = self.operator_key()
        if operator and hmac.compare_digest(secret.encode(), operator.encode()):
            return Principal("operator", None, frozenset(), is_operator=True)
        secret_hash = hash_secret(secret)
        hit, principal = self.cache.get(secret_hash)
        if not hit:
            key = self.find_key(secret_hash)
            principal = None
            if key is not None and key.revoked_at is None:
                principal = Principal(
                    key.id, key.creditor_id, frozenset(key.scopes), mandate_id=key.mandate_id,
                    claim_ids=None if key.claim_ids is None else frozenset(key.claim_ids))
            self.cache.put(secret_hash, principal)
        if principal is None:
            raise NotAuthorizedException("unknown or revoked API key")
        return principal


class ApiKeyMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        authenticator: Authenticator = connection.app.state.authenticator
        principal = authenticator.authenticate(connection.headers.get(HEADER))
        return AuthenticationResult(user=principal, auth=principal)


def requires(scope: str) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    """Guard: the caller is a creditor key with `scope` (admin implies write and read)."""
    implied = {"read": {"read", "write", "admin"}, "write": {"write", "admin"}, "admin": {"admin"}}[
        scope
    ]

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if _unauthenticated_options(connection):
            return
        principal: Principal = connection.auth
        if principal.is_operator:
            raise PermissionDeniedException(
                "the operator key only manages creditors; use a creditor's API key"
            )
        if principal.claim_ids is not None:
            return  # a recipient's key: api.http.mandate_access decided, for every route
        if not principal.scopes & implied:
            raise PermissionDeniedException(f"this API key lacks the '{scope}' scope")

    return guard


def _unauthenticated_options(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Litestar answers OPTIONS itself (204 and `Allow`, no data) and its authentication
    middleware lets OPTIONS through unauthenticated, while a controller's guards still run on
    it: there is no principal to check then, and nothing to protect."""
    return connection.scope.get("method") == "OPTIONS" and "auth" not in connection.scope


def operator_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if _unauthenticated_options(connection):
        return
    if not connection.auth.is_operator:
        raise PermissionDeniedException("only the platform operator key may do this")
