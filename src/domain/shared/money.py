"""Exact money: decimal amounts with an ISO 4217 currency, never floats.

Amounts travel as decimal strings ("1200.00"). A currency's minor unit decides how many
decimals an amount may carry (EUR 2, JPY 0, KWD 3); more is refused rather than rounded,
because rounding a creditor's invoice silently changes what the debtor is asked to pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.shared.errors import DomainValidationError

# ISO 4217 active codes with their minor units (exponent). Source: ISO 4217 list one,
# as published by SIX Financial Information. Funds codes and precious metals left out.
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
        "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
        "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
        "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
        "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
        "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES "
        "WST XCD YER ZAR ZMW ZWG".split(),
        2,
    ),
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    "CLF": 4,
    "UYW": 4,
}

_DECIMAL_STRING = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d+)?$")


def is_currency(code: str) -> bool:
    return code in _MINOR_UNITS


def minor_units(currency: str) -> int:
    try:
        return _MINOR_UNITS[currency]
    except KeyError:
        raise DomainValidationError(
            "currency", f"'{currency}' is not an ISO 4217 currency code", code="invalid_currency"
        ) from None


def quantum(currency: str) -> Decimal:
    """The smallest amount of a currency: Decimal('0.01') for EUR."""
    return Decimal(1).scaleb(-minor_units(currency))


def parse_amount(
    value: str, currency: str, field: str = "amount", *, positive: bool = True
) -> Decimal:
    """Parse a decimal string into an exact amount of `currency`.

    Refuses exponents, signs where not allowed, and more decimals than the currency has.
    """
    if not isinstance(value, str) or not _DECIMAL_STRING.match(value):
        raise DomainValidationError(
            field,
            f"'{value}' is not a decimal amount: send a string such as \"1200.00\"",
            code="invalid_amount",
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise DomainValidationError(field, "not a decimal amount", code="invalid_amount") from None
    exponent = minor_units(currency)
    exponent_of_value = amount.as_tuple().exponent
    places = -exponent_of_value if isinstance(exponent_of_value, int) else 0
    if places > exponent:
        raise DomainValidationError(
            field,
            f"{currency} amounts have at most {exponent} decimals; got '{value}'",
            code="too_many_decimals",
        )
    if positive and amount <= 0:
        raise DomainValidationError(field, "must be greater than zero", code="not_positive")
    return amount.quantize(quantum(currency))


def round_to_currency(amount: Decimal, currency: str) -> Decimal:
    """Half-up rounding to the currency's minor unit (the French official examples round
    each component to the cent half-up)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal, currency: str) -> str:
    """The JSON form: a plain decimal string with exactly the currency's decimals."""
    return f"{amount.quantize(quantum(currency)):f}"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{format_amount(self.amount, self.currency)} {self.currency}"
