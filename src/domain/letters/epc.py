"""The SEPA credit transfer a letter asks for, checked before it is printed or put in an
EPC QR code (EPC069-12 "Quick Response Code: guidelines to enable data capture for the
initiation of a SEPA credit transfer"; reference/letters-escalation.md A2).

segno's `make_epc_qr`, which draws the code, checks lengths only: a wrong IBAN or a
mistyped reference would print a code that pays nobody, or the wrong claim. So every field
is validated here first, and a letter whose transfer does not validate is refused when it
is requested (422 naming the creditor's field), not rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stdnum import bic as bic_number
from stdnum import iban as iban_number
from stdnum import iso11649
from stdnum.exceptions import ValidationError

from domain.shared.errors import DomainValidationError, FieldError

# EPC069-12 §3.3: the beneficiary name takes at most 70 characters, the amount is EUR
# 0.01 to 999 999 999.99; only euros can be asked for.
MAX_NAME = 70
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
EPC_CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """What the debtor's bank needs: to whom, which account, how much, which reference."""

    beneficiary: str
    iban: str  # compact, upper case
    bic: str | None
    amount: Decimal
    currency: str
    reference: str  # ISO 11649, compact

    @property
    def qr_possible(self) -> bool:
        """An EPC QR code carries euros only, and a positive amount."""
        return self.currency == EPC_CURRENCY and MIN_AMOUNT <= self.amount <= MAX_AMOUNT


def credit_transfer(beneficiary: str, iban: str | None, bic: str | None, amount: Decimal,
                    currency: str, reference: str) -> CreditTransfer:
    """The transfer, every field checked. Fields are named as the creditor sends them.

    Raises
    ------
    DomainValidationError
        `iban` missing or not a valid IBAN, `bic` not a valid BIC, the reference not a valid
        ISO 11649 reference, or the beneficiary name over 70 characters.
    """
    errors: list[FieldError] = []
    compact_iban = ""
    if not iban:
        errors.append(FieldError("creditor.iban", "a letter asks for a transfer: the "
                                 "creditor has no IBAN", "missing_iban"))
    else:
        try:
            compact_iban = str(iban_number.validate(iban))
        except ValidationError:
            errors.append(FieldError("creditor.iban", "not a valid IBAN", "invalid_iban"))
    compact_bic = None
    if bic:
        try:
            compact_bic = str(bic_number.validate(bic))
        except ValidationError:
            errors.append(FieldError("creditor.bic", "not a valid BIC", "invalid_bic"))
    if len(beneficiary) > MAX_NAME:
        errors.append(FieldError("creditor.legal_name", f"a transfer names the beneficiary in "
                                 f"at most {MAX_NAME} characters", "too_long"))
    try:
        compact_reference = str(iso11649.validate(reference))
    except ValidationError:
        errors.append(FieldError("payment_reference", "not a valid ISO 11649 reference",
                                 "invalid_reference"))
        compact_reference = reference
    if errors:
        raise DomainValidationError.many(errors)
    return CreditTransfer(beneficiary, compact_iban, compact_bic, amount, currency,
                          compact_reference)
