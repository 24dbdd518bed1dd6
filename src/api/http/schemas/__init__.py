"""The JSON contract: request and response bodies as msgspec Structs, one module per
context (creditors, debtors, claims, amounts) on one base (`_base`).

Requests forbid unknown fields (a typo must not be silently ignored); amounts are decimal
strings; dates are ISO 8601. Mapping to and from the domain lives beside each Struct so a
reader finds the whole shape of a resource in one place.
"""
