"""How figures and dates are written in a letter, per language: French letters write
"1 234,56 €" and "3 décembre 2026", English ones "EUR 1,234.56" and "3 December 2026".
Pure functions, which the templates use as filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.shared.language import Language
from domain.shared.money import quantum

# French typography: a narrow no-break space groups thousands and precedes "%" and "€".
NNBSP = "\u202f"

_MONTHS = {
    Language.FR: ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre"),
    Language.EN: ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"),
}
_SYMBOLS = {"EUR": "€"}


def _grouped(amount: Decimal, currency: str, thousands: str, point: str) -> str:
    text = f"{abs(amount.quantize(quantum(currency))):f}"
    whole, _, cents = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    body = thousands.join([whole, *groups]) + (point + cents if cents else "")
    return ("-" if amount < 0 else "") + body


def money(amount: Decimal, currency: str, language: Language) -> str:
    if language is Language.FR:
        return f"{_grouped(amount, currency, NNBSP, ',')}{NNBSP}{_SYMBOLS.get(currency, currency)}"
    return f"{currency} {_grouped(amount, currency, ',', '.')}"


def long_date(day: date, language: Language) -> str:
    month = _MONTHS[language][day.month - 1]
    if language is Language.FR:
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def short_date(day: date, language: Language) -> str:
    return day.strftime("%d/%m/%Y")


def percent(rate: Decimal, language: Language) -> str:
    text = f"{rate.normalize():f}" if rate == rate.to_integral() else f"{rate:f}".rstrip("0")
    if language is Language.FR:
        return text.replace(".", ",") + f"{NNBSP}%"
    return f"{text}%"
