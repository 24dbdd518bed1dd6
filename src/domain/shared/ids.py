"""Identifiers: a short type prefix (so a misplaced id is obvious in a log or a URL) and 16
random bytes in Crockford base32 (unguessable: an id is never an authorisation, but
enumerable ids would leak how many claims a creditor has)."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id(prefix: str) -> str:
    n = secrets.randbits(128)
    chars = []
    for _ in range(26):
        n, r = divmod(n, 32)
        chars.append(_ALPHABET[r])
    return f"{prefix}_{''.join(chars)}"
