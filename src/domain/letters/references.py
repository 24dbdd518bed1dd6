"""The structured creditor reference (ISO 11649 `RF…`) printed on every letter of a claim.

A debtor's bank carries it through a SEPA transfer, so a payment quoting it is matched to
its claim without reading the free text. It is derived from the claim's id alone: the same
on every letter of the claim, known without storage, and unique in practice (21 of the id's
26 random base-32 characters, 105 bits); the store keeps a uniqueness item per creditor so
that a payment quoting it finds the claim (domain.services.letters).
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

from domain.shared.errors import DomainValidationError

# ISO 11649: "RF", two check digits, then up to 21 alphanumerics.
MAX_BODY = 21


def payment_reference(claim_id: str) -> str:
    """`RF` + mod 97-10 check digits + the claim's id body, upper case. The check digits are
    worked out over body + "RF00" moved to the front, which python-stdnum's
    `calc_check_digits(body + "RF")` does."""
    body = re.sub(r"[^0-9A-Za-z]", "", claim_id.partition("_")[2] or claim_id).upper()[:MAX_BODY]
    if not body:
        raise ValueError(f"no reference can be made from {claim_id!r}")
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def parse_payment_reference(value: str, field: str = "reference") -> str:
    """A reference as a payer's bank sends it (spaces, lower case) in its compact form.

    Raises DomainValidationError naming `field` when it is not a valid ISO 11649 reference."""
    try:
        return str(iso11649.validate(value))
    except ValidationError:
        raise DomainValidationError(
            field, "not a structured creditor reference (ISO 11649: RF, two check digits, "
            "up to 21 letters or digits)", code="invalid_reference") from None


def formatted(reference: str) -> str:
    """In groups of four, as printed: `RF18 5390 0754 7034`."""
    return str(iso11649.format(reference))
