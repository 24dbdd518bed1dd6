"""What every request and response body shares: the base Structs (unknown fields
refused, no control characters), decimal strings, codes and text types."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from msgspec import UNSET, Meta, Struct

DecimalString = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,15}(\.[0-9]{1,4})?$",
        description="An exact amount as a decimal string, never a JSON number; at most as many "
        "decimals as the currency has (EUR: 2).",
        examples=["1200.00"],
    ),
]


Currency = Annotated[
    str, Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code", examples=["EUR"])
]


Country = Annotated[
    str, Meta(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code", examples=["FR"])
]


ShortText = Annotated[str, Meta(min_length=1, max_length=200)]


Line = Annotated[str, Meta(max_length=200)]


Reference = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f#]+$")]


# A late-payment rate agreed in writing, percent per year (C. civ. 1343-1).
ContractualRate = Annotated[str, Meta(
    pattern=r"^[0-9]{1,2}(\.[0-9]{1,4})?$", examples=["15.00"],
    description="Late-payment rate agreed in writing, percent per year. Between professionals "
    "it may not be below 3 × the legal rate (C. com. L441-10 II); in a later half-year where "
    "the legal rate has risen past it, the floor runs. Without it the statutory rate applies.")]

Scope = Literal["read", "write", "admin"]


# A creditor's interest settings (domain.amounts.law.interest_day_count, BelowFloorPolicy).
InterestDayCount = Annotated[Literal["date_difference", "inclusive"], Meta(
    description="Whether the day interest runs from bears interest when that day is a formal "
    "notice or a judgment (C. civ. 1231-6, 1231-7 do not say): `date_difference`, from the "
    "day after (one day less, the default), or `inclusive`, from that day "
    "(service-public F20688 example A). B2B penalties always run from the day after the due "
    "date (C. com. L441-10 II). A claim keeps the setting in force when it was opened.")]

BelowFloorPolicy = Annotated[Literal["floor", "statutory_default"], Meta(
    description="What runs in a half-year where an agreed B2B rate is below 3 × the legal "
    "rate (C. com. L441-10 II): `floor`, 3 × the legal rate (the default), or "
    "`statutory_default`, ECB + 10 points; flagged either way. A claim keeps the setting in "
    "force when it was opened.")]


Language = Literal["fr", "en"]


# C0 controls, DEL and C1 controls: a NUL in a name or a trailing newline in an invoice
# number passes a `^…$` pattern (Python's `$` matches before a final newline) and then
# breaks letters, exports and uniqueness. Free notes may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


_CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Input(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request body: no text field carries a control character."""

    # Fields where a person may type line breaks.
    __multiline__: ClassVar[frozenset[str]] = frozenset({"reason", "note"})
    # False only where nothing is stored and classifying hostile text is the point.
    __refuses_control__: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not self.__refuses_control__:
            return
        for name in self.__struct_fields__:
            value = getattr(self, name)
            pattern = _CONTROL_IN_NOTE if name in self.__multiline__ else _CONTROL
            texts = ([(name, value)] if isinstance(value, str) else
                     [(f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str)]
                     if isinstance(value, list) else [])
            for path, text in texts:
                if (found := pattern.search(text)) is not None:
                    # msgspec turns this into a ValidationError at the struct's path;
                    # api.problems reads the field name back out of the message.
                    raise ValueError(f"text field `{path}` must not contain control "
                                     f"characters (found U+{ord(found.group()):04X})")


class Output(Struct, kw_only=True):
    """Base of every response body."""


def set_fields(patch: Struct) -> dict[str, object]:
    """The members a PATCH body actually carries (JSON merge-patch: absent = unchanged)."""
    return {
        name: getattr(patch, name)
        for name in patch.__struct_fields__
        if getattr(patch, name) is not UNSET
    }
