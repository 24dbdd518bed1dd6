"""Which court a judicial route goes to: its type and the rule that makes it competent.

Relance has no map of the courts' territorial areas (ressorts), so it names the court as
"<type> of <the debtor's city>" and says the exact court is unconfirmed, except where the
debtor's city is itself the seat of a tribunal des activités économiques. Sources:
SOURCES.md §1 (Court, TAE), §4 (Court), §5 (cross-border).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CourtType(StrEnum):
    TJ = "TJ"  # tribunal judiciaire
    JCP = "JCP"  # juge des contentieux de la protection (a judge of the TJ)
    TC = "TC"  # tribunal de commerce
    TAE = "TAE"  # tribunal des activités économiques (a TC on trial since 2025)
    TJ_CH_COM = "TJ_CH_COM"  # chambre commerciale of the TJ (Alsace-Moselle)
    FOREIGN = "FOREIGN"  # a court of the debtor's state


class CourtBasis(StrEnum):
    # CPC 1406: the injonction de payer goes to the debtor's domicile; the rule is
    # d'ordre public, so a jurisdiction clause is void.
    DEBTOR_DOMICILE = "debtor_domicile"
    # CPC 42-43: the defendant's domicile, a legal person where it is established.
    DEFENDANT_DOMICILE = "defendant_domicile"
    # C. com. L721-3: claims between commerçants or sociétés commerciales.
    BETWEEN_COMMERCANTS = "between_commercants"
    # Civil claims (a consumer, or a business that is not a commerçant).
    CIVIL = "civil"
    # Local law: the TJ's commercial chamber sits in the place of a TC.
    ALSACE_MOSELLE = "alsace_moselle"
    # Loi 2023-1059 art. 27, décret 2024-1225: 12 TCs are TAEs, 2025-2028.
    TAE_EXPERIMENT = "tae_experiment"
    # Reg. (EU) 1215/2012 decides which state's courts hear a cross-border claim; a
    # consumer is sued in his own state.
    BRUSSELS_I_BIS = "brussels_i_bis"
    CONSUMER_DOMICILE_STATE = "consumer_domicile_state"
    # A defendant outside the EU: no EU instrument; a French court's jurisdiction follows
    # the French rules (and any convention with that state) [UNVERIFIED].
    NATIONAL_RULES_OUTSIDE_EU = "national_rules_outside_eu"
    # The court that opened the collective proceedings (its mandataire takes declarations).
    PROCEEDINGS_COURT = "proceedings_court"


class ClauseEffect(StrEnum):
    VOID = "void"  # the rule of competence is d'ordre public (IP), or a party is no commerçant
    MAY_DESIGNATE_ANOTHER_COURT = "may_designate_another_court"  # CPC 48, between commerçants
    NOT_RELEVANT = "not_relevant"


@dataclass(frozen=True, slots=True)
class DatedList:
    """A list of names in force between two days, with its source (data, not a rule)."""

    values: frozenset[str]
    effective_from: date
    effective_to: date | None
    source: str
    confirmed: bool = True

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None
                                              or on <= self.effective_to)


def normalise_city(city: str) -> str:
    """Upper case without accents, hyphens or a CEDEX / arrondissement tail, so that
    "Saint-Brieuc", "ST BRIEUC CEDEX" and "Lyon 3e" compare with the list."""
    text = unicodedata.normalize("NFKD", city)
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    text = text.replace("-", " ").replace("'", " ")
    words = text.split()
    if "CEDEX" in words:
        words = words[:words.index("CEDEX")]
    while words and (words[-1].rstrip("ER").isdigit() or words[-1] in {"ARRONDISSEMENT"}):
        words.pop()
    words = ["SAINT" if w == "ST" else "SAINTE" if w == "STE" else w for w in words]
    return " ".join(words)


# SOURCES.md §1 TAE: since 01/01/2025, on a 4-year trial (to the end of 2028).
TAE_TOWNS = DatedList(
    values=frozenset(normalise_city(town) for town in (
        "Avignon", "Auxerre", "Le Havre", "Le Mans", "Limoges", "Lyon", "Marseille", "Nancy",
        "Nanterre", "Paris", "Saint-Brieuc", "Versailles")),
    effective_from=date(2025, 1, 1),
    effective_to=date(2028, 12, 31),
    source="loi 2023-1059 art. 27, décret 2024-1225: 12 tribunaux de commerce are tribunaux "
    "des activités économiques for 4 years from 01/01/2025; SOURCES.md §1 TAE",
)

# Départements of Moselle, Bas-Rhin and Haut-Rhin: local law, no tribunal de commerce.
ALSACE_MOSELLE_DEPARTMENTS = ("57", "67", "68")

# The member states on 1 February 2020 (TEU art. 52, after the United Kingdom left).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})

# Reg. 1896/2006 art. 2(3): Denmark does not take part (SOURCES.md §5). It does not take
# part in Reg. 861/2007 either (art. 2(3)), which the sources do not state.
EOP_EXCLUDED = frozenset({"DK"})
SMALL_CLAIMS_EXCLUDED = frozenset({"DK"})


@dataclass(frozen=True, slots=True)
class DebtorPlace:
    """Where the debtor lives, from its postal address (None when none is on file)."""

    country: str
    postal_code: str | None = None
    city: str | None = None

    @property
    def in_france(self) -> bool:
        return self.country == "FR"

    @property
    def in_alsace_moselle(self) -> bool:
        return self.in_france and self.postal_code is not None \
            and self.postal_code[:2] in ALSACE_MOSELLE_DEPARTMENTS


@dataclass(frozen=True, slots=True)
class Court:
    type: CourtType | None  # None: the court that opened the proceedings, as recorded
    name: str
    basis: tuple[CourtBasis, ...]
    exact_court_confirmed: bool
    jurisdiction_clause: ClauseEffect
    note: str | None = None


def _name(kind: CourtType, place: DebtorPlace) -> str:
    if place.city is None:
        return f"{kind.value} of the debtor's domicile (no postal address on file)"
    if kind is CourtType.FOREIGN:
        return f"court of {place.city}, {place.country}"
    return f"{kind.value} of {place.city}"


def commercial_court_type(place: DebtorPlace, on: date) -> tuple[CourtType, CourtBasis | None]:
    """The commercial court of the debtor's place: the TJ's commercial chamber in
    Alsace-Moselle, a TAE where the debtor's city is one's seat during the trial, a TC
    otherwise."""
    if place.in_alsace_moselle:
        return CourtType.TJ_CH_COM, CourtBasis.ALSACE_MOSELLE
    if place.city is not None and TAE_TOWNS.in_force(on) \
            and normalise_city(place.city) in TAE_TOWNS.values:
        return CourtType.TAE, CourtBasis.TAE_EXPERIMENT
    return CourtType.TC, None


def domestic_court(*, commercial: bool, place: DebtorPlace, on: date,
                   order_for_payment: bool) -> Court:
    """The French court of first instance for a debtor in France.

    `order_for_payment`: an injonction de payer (CPC 1406: the debtor's domicile, d'ordre
    public, a clause void); otherwise a summons (CPC 42-43: the defendant's domicile; a
    clause between commerçants may designate another court, CPC 48)."""
    basis: list[CourtBasis] = [CourtBasis.DEBTOR_DOMICILE if order_for_payment
                               else CourtBasis.DEFENDANT_DOMICILE]
    note: str | None = None
    if commercial:
        kind, extra = commercial_court_type(place, on)
        basis.append(CourtBasis.BETWEEN_COMMERCANTS)
        if extra is not None:
            basis.append(extra)
        # The seat city of a TAE is inside its area; any other city may belong to a court
        # seated elsewhere (a TAE among them), which only the ressort map would tell.
        confirmed = kind is CourtType.TAE
        if kind is CourtType.TC:
            note = ("the TC whose area covers the debtor's domicile; it is a TAE if that "
                    "area is one of the 12 on trial")
    else:
        kind = CourtType.TJ
        basis.append(CourtBasis.CIVIL)
        confirmed = False
        note = ("the juge des contentieux de la protection (JCP) of the TJ instead for "
                "consumer credit or a residential lease (CPC 1406)")
    clause = ClauseEffect.VOID if order_for_payment or not commercial \
        else ClauseEffect.MAY_DESIGNATE_ANOTHER_COURT
    if not order_for_payment:
        extra_note = "an option for the place of delivery or performance (CPC 46) [UNVERIFIED]"
        note = f"{note}; {extra_note}" if note else extra_note
    return Court(type=kind, name=_name(kind, place), basis=tuple(basis),
                 exact_court_confirmed=confirmed and place.city is not None,
                 jurisdiction_clause=clause, note=note)


def foreign_court(*, consumer: bool, commercial: bool, place: DebtorPlace, on: date) -> Court:
    """The court of a cross-border claim: Brussels I bis; a consumer in his own state.
    Which French court hears the others is [UNVERIFIED] (SOURCES.md §5). Outside the EU
    Brussels I bis does not decide it: the French rules do, or the debtor's state's."""
    if place.country not in EU_MEMBER_STATES:
        kind = CourtType.TC if commercial and not consumer else CourtType.TJ
        return Court(type=kind, name=f"{kind.value} (French court designation unconfirmed)",
                     basis=(CourtBasis.NATIONAL_RULES_OUTSIDE_EU,),
                     exact_court_confirmed=False,
                     jurisdiction_clause=ClauseEffect.MAY_DESIGNATE_ANOTHER_COURT,
                     note="the debtor is outside the EU: no EU instrument decides the "
                     "court; whether a French court may hear it follows the French rules "
                     "(a clause, the place of delivery) or the courts of the debtor's state "
                     "do [UNVERIFIED]")
    if consumer:
        return Court(type=CourtType.FOREIGN, name=_name(CourtType.FOREIGN, place),
                     basis=(CourtBasis.BRUSSELS_I_BIS, CourtBasis.CONSUMER_DOMICILE_STATE),
                     exact_court_confirmed=False, jurisdiction_clause=ClauseEffect.VOID,
                     note="a consumer is sued in the courts of his own state")
    kind = CourtType.TC if commercial else CourtType.TJ
    return Court(type=kind, name=f"{kind.value} (French court designation unconfirmed)",
                 basis=(CourtBasis.BRUSSELS_I_BIS,), exact_court_confirmed=False,
                 jurisdiction_clause=ClauseEffect.MAY_DESIGNATE_ANOTHER_COURT,
                 note="Brussels I bis decides whether a French court may hear it (a clause, "
                 "the place of delivery), else the courts of the debtor's state; exact "
                 "French court [UNVERIFIED]")


def proceedings_court(court: str) -> Court:
    return Court(type=None, name=court, basis=(CourtBasis.PROCEEDINGS_COURT,),
                 exact_court_confirmed=True, jurisdiction_clause=ClauseEffect.NOT_RELEVANT,
                 note="the declaration goes to the mandataire (liquidateur) the court named")
