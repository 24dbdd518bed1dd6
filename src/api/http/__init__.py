"""The HTTP API: the Litestar app, its auth, problems, idempotency and routes."""
