"""The languages Relance writes in: a creditor's and a debtor's."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    EN = "en"
