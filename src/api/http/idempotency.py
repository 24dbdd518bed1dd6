"""`Idempotency-Key` on POST: the same key and body replays the first response; the same
key with another body answers 422; a duplicate arriving while the first is still running
answers 409. Keys are kept 24 hours, in the caller's namespace: a creditor's keys share
one (a retry may come on another of its keys), a mandate's recipient's key has its own (it
is another party, which must never be answered what the creditor was), the operator one.

A replay is an answer to this caller, so it is given only to a caller the route lets
through now: the route's guards (scopes, a recipient's mandate) run first, and a caller they
refuse is answered by the app as it would be without the header; the store is not touched.

An ASGI middleware rather than a decorator so every POST route gets it without repeating
itself, and so the stored response is byte-for-byte what the client first received.
Successful (2xx) responses are stored. After a refusal (4xx: nothing was written) the key
is released and the client may retry with it. After a server error (5xx) the outcome is
unknown: a write may have committed before a timeout. The key is then kept as `unknown`
and a retry with it answers 409 `idempotency-outcome-unknown`, never runs the request a
second time (a payment recorded twice is worse than a retry refused): read the resource,
then retry with a new key if the change is not there.

A route marked `opt={"idempotency": "without_secret"}` (an API key's one-time secret) is
stored without its `secret` member: a replay tells the client the key exists and its id,
but the secret itself never reaches the table.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException

from api.http.auth import Principal
from api.http.problems import PROBLEM, TYPE_BASE
from domain.shared.errors import DomainError

# ASGI messages are built and inspected by hand here; Litestar's TypedDict unions make that
# unreadable for no safety gain.
Message = dict[str, Any]
Scope = Any
Receive = Any
Send = Any


HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
MAX_BODY_BYTES = 1024 * 1024


async def _send_problem(send: Send, status: int, title: str, kind: str, detail: str) -> None:
    body = json.dumps(
        {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _without_secret(body: bytes) -> bytes:
    """The response to keep for replays of a `no-store` response: no `secret` member."""
    try:
        document = json.loads(body)
    except ValueError:
        return b""
    if not isinstance(document, dict):
        return b""
    document.pop("secret", None)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def namespace(principal: Principal) -> str:
    """Whose Idempotency-Keys these are (see the module's docstring)."""
    if principal.creditor_id is None:
        return "operator"
    if principal.claim_ids is not None:
        return f"{principal.creditor_id}#key#{principal.key_id}"
    return principal.creditor_id


async def _refused(scope: Scope, handler: Any) -> bool:
    """Whether the route's guards refuse this caller (they read the principal, the path
    and the route, never the body)."""
    try:
        await handler.authorize_connection(ASGIConnection(scope))
    except (HTTPException, DomainError):
        return True
    return False


class IdempotencyMiddleware:
    def __init__(self, app: Any) -> None:  # an ASGIApp, called with plain dicts here
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        handler = scope.get("route_handler")
        mode = handler.opt.get("idempotency") if handler is not None else None
        if mode is False:
            # A route that changes nothing opts out (`opt={"idempotency": False}`): repeating
            # it is harmless, and storing its answer would keep data it was only shown.
            await self.app(scope, receive, send)
            return
        raw_key = dict(scope["headers"]).get(HEADER)
        principal = scope.get("auth")
        if raw_key is None or principal is None:
            await self.app(scope, receive, send)
            return
        if handler is not None and await _refused(scope, handler):
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            await _send_problem(
                send,
                400,
                "Bad request",
                "invalid-idempotency-key",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
            )
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _send_problem(
                    send,
                    413,
                    "Request body too large",
                    "body-too-large",
                    "request bodies are limited to 1 MiB",
                )
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        digest = hashlib.sha256()
        for part in (scope["path"].encode(), b"?", scope.get("query_string", b""), b"\n", body):
            digest.update(part)
        request_hash = digest.hexdigest()
        tenant = namespace(principal)
        store = scope["app"].state.idempotency
        existing = store.claim(tenant, key, request_hash)
        if existing is not None:
            if existing.request_hash != request_hash:
                await _send_problem(
                    send,
                    422,
                    "Invalid input",
                    "idempotency-key-reused",
                    "this Idempotency-Key was used with another request body",
                )
            elif existing.status == "unknown":
                await _send_problem(
                    send,
                    409,
                    "Conflict",
                    "idempotency-outcome-unknown",
                    "the first request with this Idempotency-Key failed with a server error "
                    "after it may have been stored: read the resource to check, then retry "
                    "with a new key if the change is not there",
                )
            elif existing.status != "completed":
                await _send_problem(
                    send,
                    409,
                    "Conflict",
                    "idempotency-in-progress",
                    "a request with this Idempotency-Key is still running; retry shortly",
                )
            else:
                headers = [(k.encode(), v.encode()) for k, v in (existing.headers or {}).items()]
                headers += [
                    (b"content-type", existing.content_type.encode()),
                    (b"content-length", str(len(existing.body)).encode()),
                    (b"idempotent-replayed", b"true"),
                ]
                await send(
                    {
                        "type": "http.response.start",
                        "status": existing.status_code,
                        "headers": headers,
                    }
                )
                await send({"type": "http.response.body", "body": existing.body})
            return

        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        no_store = mode == "without_secret"
        response_headers: dict[str, str] = {}
        content_type = "application/json"
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    lowered = name.decode("latin-1").lower()
                    if lowered == "content-type":
                        content_type = value.decode("latin-1")
                    elif lowered in ("etag", "location"):
                        response_headers[lowered] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            if 200 <= status < 300:
                stored = b"".join(parts)
                if no_store:
                    stored = _without_secret(stored)
                store.complete(tenant, key, status, stored, content_type, response_headers)
            elif status >= 500:
                store.mark_unknown(tenant, key)
            else:
                store.release(tenant, key)
