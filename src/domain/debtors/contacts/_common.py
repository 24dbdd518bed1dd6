"""What every contact check shares: the result types, the input-size limit, the scan for
hostile characters and the guard that keeps every public check total.

A check never raises for a string input. Hostile input (control characters, bidi
overrides, markup, emoji, huge values) is answered with status "invalid" and a reason code;
harmless oddities (non-breaking spaces, zero-width characters, decomposed accents) are
normalised and the change is reported.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, ParamSpec

from domain.debtors.model import ContactKind

# Longest e-mail, phone or single address-field value accepted, in characters, before any
# normalisation. 320 is the customary ceiling for an e-mail input (64 + "@" + 255); every
# legitimate phone number or address line is far shorter. Longer input is answered
# "invalid"/"too_long" without being scanned further.
MAX_VALUE_LENGTH: int = 320

VALID = "valid"
INVALID = "invalid"
RISKY = "risky"
UNVERIFIED = "unverified"


@dataclass(frozen=True, slots=True)
class ContactCheck:
    """What one check concluded about one contact point."""

    kind: ContactKind
    status: str  # "valid" | "invalid" | "risky" | "unverified"
    normalized: str | tuple[str, ...] | None
    reasons: tuple[str, ...]
    message: str
    line_type: str | None = None
    channels: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IdentifierCheck:
    """What one check concluded about a company or bank identifier (SIREN, SIRET, VAT, IBAN,
    BIC). `kind` says which."""

    valid: bool
    normalized: str | None
    reasons: tuple[str, ...]
    message: str
    kind: str


# --- characters ---------------------------------------------------------------------------

# Zero-width characters carry no visible content: removed, and the removal reported.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Bidirectional embeddings, overrides and isolates: they can make an address or a number
# display differently from what it is, so they make the value invalid (never stripped).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
# Symbols (Unicode category So) that are ordinary in French addresses ("n°").
_ALLOWED_SYMBOLS = frozenset("°№")

# Characters that need no per-character look: printable ASCII, Latin-1 and Latin Extended
# letters (not × and ÷), "°", guillemets, typographic quotes and dashes.
_SAFE = re.compile("[\x20-\x7e\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u00b0\u00ab\u00bb"
                   "\u2018\u2019\u201c\u201d\u2013\u2014]*")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_BARE_ADDRESS_IN_ANGLES = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class Scan(NamedTuple):
    """A value after the character scan: NFC text with zero-width characters removed and
    unusual spaces turned into plain spaces; `problems` are reason codes that make the value
    invalid; `notes` say what was cleaned silently."""

    text: str
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    detail: str  # a short English phrase describing the first problem


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def scan_text(value: str) -> Scan:
    """Scan a value (already known to be at most MAX_VALUE_LENGTH long) for hostile
    characters and markup. Never raises."""
    problems: list[str] = []
    notes: list[str] = []
    detail = ""
    if value.isascii() and value.isprintable():
        # The common case: plain printable ASCII needs neither NFC nor a per-character look.
        text = value
    elif _SAFE.fullmatch(value):
        # Latin letters with diacritics and typographic quotes and dashes: no character to
        # refuse or replace, only the NFC form to ensure.
        text = value
        if not unicodedata.is_normalized("NFC", value):
            text = unicodedata.normalize("NFC", value)
            notes.append("Unicode normalised to NFC (composed accents)")
    else:
        text, problems, notes, detail = _scan_slow(value)
    if "<" in text or "&" in text:
        without_addresses = _BARE_ADDRESS_IN_ANGLES.sub("", text)
        tag = _TAG.search(without_addresses) or _ENTITY.search(without_addresses)
        if tag is not None:
            problems.append("markup")
            if not detail:
                detail = f"it contains markup ({tag.group(0)[:40]!r})"
    return Scan(text, tuple(problems), tuple(notes), detail)


def _scan_slow(value: str) -> tuple[str, list[str], list[str], str]:
    problems: list[str] = []
    notes: list[str] = []
    detail = ""
    out: list[str] = []
    removed_zero_width = 0
    replaced_spaces = 0
    for ch in value:
        if ch in ZERO_WIDTH:
            removed_zero_width += 1
            continue
        cat = unicodedata.category(ch)
        if ch in BIDI_CONTROLS:
            if "control_characters" not in problems:
                problems.append("control_characters")
            detail = detail or (f"it contains a bidirectional control character ({_char_name(ch)})"
                                " that can disguise what is displayed")
        elif cat in ("Cc", "Cf", "Zl", "Zp"):
            if "control_characters" not in problems:
                problems.append("control_characters")
            detail = detail or f"it contains a control character ({_char_name(ch)})"
        elif cat == "Zs" and ch != " ":
            replaced_spaces += 1
            out.append(" ")
            continue
        elif cat in ("Cs", "Co", "Cn") or (cat == "So" and ch not in _ALLOWED_SYMBOLS) or (
            "\U0001f3fb" <= ch <= "\U0001f3ff") or ("\ufe00" <= ch <= "\ufe0f") or (
            "\U000e0100" <= ch <= "\U000e01ef"
        ):
            if "unsupported_characters" not in problems:
                problems.append("unsupported_characters")
            detail = detail or f"it contains an unsupported character ({_char_name(ch)})"
        out.append(ch)
    if removed_zero_width:
        notes.append(f"{removed_zero_width} zero-width character(s) removed")
    if replaced_spaces:
        notes.append(f"{replaced_spaces} non-standard space(s) (e.g. non-breaking) replaced by "
                     "plain spaces")
    joined = "".join(out)
    text = unicodedata.normalize("NFC", joined)
    if text != joined:
        notes.append("Unicode normalised to NFC (composed accents)")
    return text, problems, notes, detail


def collapse_spaces(text: str) -> str:
    """Runs of white space as one space, none at either end."""
    return " ".join(text.split())


_LIGATURES = {"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o",
              "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Þ": "TH", "þ": "th", "ı": "i"}


def _latin_table() -> dict[int, str]:
    """Latin-1 Supplement and Latin Extended-A/B letters without their diacritics."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        if ch in _LIGATURES:
            table[code] = _LIGATURES[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[code] = base
    return table


_LATIN = _latin_table()


def strip_accents(text: str) -> str:
    """'Élysées' -> 'Elysees', 'Œuvre' -> 'OEuvre': Latin letters without diacritics."""
    if text.isascii():
        return text
    text = text.translate(_LATIN)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def upper_ascii(text: str) -> str:
    """Upper case without accents, as La Poste prints its sorting lines."""
    return strip_accents(text).upper()


# --- results --------------------------------------------------------------------------------

def status_from(reasons_invalid: list[str], reasons_risky: list[str]) -> str:
    if reasons_invalid:
        return INVALID
    if reasons_risky:
        return RISKY
    return VALID


def dedupe(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


P = ParamSpec("P")


def total_contact_check(kind: ContactKind) -> Callable[[Callable[P, ContactCheck]],
                                                       Callable[P, ContactCheck]]:
    """Make a check total: an unexpected exception (a bug, or a library surprise) becomes an
    "unverified" result with reason "validation_error" instead of a 500. Tests prove the
    reason never appears for any input."""

    def decorate(fn: Callable[P, ContactCheck]) -> Callable[P, ContactCheck]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> ContactCheck:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # totality: never let a check raise
                return ContactCheck(
                    kind=kind, status=UNVERIFIED, normalized=None,
                    reasons=("validation_error",),
                    message=f"The {kind.value.replace('_', ' ')} could not be checked "
                            f"({type(exc).__name__}); it is kept unverified.",
                )
        return wrapper

    return decorate


def total_identifier_check(kind: str) -> Callable[[Callable[P, IdentifierCheck]],
                                                  Callable[P, IdentifierCheck]]:
    def decorate(fn: Callable[P, IdentifierCheck]) -> Callable[P, IdentifierCheck]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> IdentifierCheck:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # totality: never let a check raise
                return IdentifierCheck(
                    valid=False, normalized=None, reasons=("validation_error",),
                    message=f"The {kind.replace('_', ' ')} could not be checked "
                            f"({type(exc).__name__}).",
                    kind=kind,
                )
        return wrapper

    return decorate
