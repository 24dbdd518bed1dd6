"""API keys: their scopes and how a secret is kept (only its hash)."""

from __future__ import annotations

import hashlib

SCOPES = ("read", "write", "admin")
# The one scope of a mandate's recipient's key: never issued through issue_api_key.
MANDATE_SCOPE = "mandate"


def hash_secret(secret: str) -> str:
    # API keys are 256-bit random secrets, so a fast hash is enough (no dictionary to
    # guess from); a slow KDF would only cost latency on every request.
    return hashlib.sha256(secret.encode()).hexdigest()
