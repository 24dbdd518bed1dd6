"""The rules of French law the collection follows, in one place, each beside its article.

Sources are listed in domain/amounts/SOURCES.md (section numbers in brackets).
Where the law is unsettled the choice is a named, configurable rule and the statement
carries a flag, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.amounts.deadlines import Flag
from domain.amounts.interest import DayCount, RatePiece
from domain.amounts.rates import DEFAULT_RATES, HalfYear, RateCategory, RateTables
from domain.claims.model import Phase
from domain.debtors.model import DebtorKind
from domain.shared.dates import add_days, add_months
from domain.shared.errors import DomainValidationError, RateUnknown

# --- constants, with their articles ---------------------------------------------------

# C. com. L441-10 II [1.2]: default rate = ECB MRO rate + 10 points, fixed per half-year
# (rate in force on 1 Jan for S1, on 1 Jul for S2): see domain.rates.b2b_default_rate.
# C. com. L441-10 II [1.2]: a contractual rate may not be below 3 × the legal rate.
B2B_FLOOR_MULTIPLIER = Decimal("3")
# C. com. D441-5 [1.3]: fixed recovery indemnity per late invoice, in euros, not subject
# to VAT (so never grossed up), B2B only.
RECOVERY_INDEMNITY = Decimal("40.00")
RECOVERY_INDEMNITY_CURRENCY = "EUR"
# C. monét. fin. L313-3 [2.2]: +5 points once 2 months have passed since the decision
# became enforceable.
JUDGMENT_MAJORATION_POINTS = Decimal("5")
JUDGMENT_MAJORATION_DELAY_MONTHS = 2

ONE_DAY = timedelta(days=1)


class FloorPolicy(StrEnum):
    """What to do when the DEFAULT B2B rate (ECB + 10) is below 3 × the legal rate, as in
    2024 S1 (14.50 % < 15.21 %). L441-10 II sets the 3× floor for a *contractual* rate;
    whether the default must be raised to it is unverified [2.3 caveat].

    Default: APPLY_DEFAULT (the text's default rate as written), with a
    `floor_exceeds_default` flag on the statement so a human can decide.
    """

    APPLY_DEFAULT = "apply_default"
    RAISE_TO_FLOOR = "raise_to_floor"


DEFAULT_FLOOR_POLICY = FloorPolicy.APPLY_DEFAULT


class BelowFloorPolicy(StrEnum):
    """What runs in a half-year where an agreed B2B rate is below 3 × the legal rate of
    that half-year (the legal rate moves each half-year; a 12 % clause agreed in 2023-S1,
    floor 6.18 %, is below the 12.66 % floor of 2023-S2). L441-10 II limits what a clause
    may set; a clause below the floor is sanctioned on the creditor (L441-16), it does not
    stop the penalties the debtor owes. So the statement never refuses: it applies
    - FLOOR (the default): 3 × the legal rate, the least the law lets a clause set;
    - STATUTORY_DEFAULT: the rate with no clause at all, ECB + 10 points;
    and flags the half-year `contractual_below_floor` for a person."""

    FLOOR = "floor"
    STATUTORY_DEFAULT = "statutory_default"


DEFAULT_BELOW_FLOOR_POLICY = BelowFloorPolicy.FLOOR


@dataclass(frozen=True, slots=True)
class InterestTerms:
    """Everything that decides which interest regime applies to a claim.

    - `creditor_category`: the legal rate follows the creditor (C. monét. fin. L313-2);
      a creditor acting professionally (every Relance tenant) is "autres cas".
    - `contractual_rate`: percent per year agreed in writing (C. civ. 1343-1), or None.
    - `formal_notice_on`: date of the mise en demeure; starts B2C interest (C. civ. 1231-6).
    - `judgment_on`: the day a judgment ordering payment was pronounced; it starts B2C
      interest at the latest (C. civ. 1231-7), when no earlier notice did.
    - `judgment_enforceable_on`: date the money judgment became enforceable (for the +5
      points of C. monét. fin. L313-3), or None.
    - `proceedings_opened_on`: the opening judgment of collective proceedings against the
      debtor; no interest from that day on, for good (C. com. L622-28).
      `proceedings_recorded_on`: the day Relance was told of it (what was paid before
      then towards a withheld indemnity stays paid, `indemnity_withheld`).
    - `plans_kept`: the days each payment plan agreed with the debtor covered while it was
      kept (first, last; last None while it runs): no late interest on them
      (`PLAN_KEEPS_INTEREST`).
    - `day_count`, `below_floor_policy`: the creditor's settings the claim was opened with
      (`interest_day_count`, which B2B penalties ignore; BelowFloorPolicy).
    """

    debtor_kind: DebtorKind
    contractual_rate: Decimal | None = None
    formal_notice_on: date | None = None
    proceedings_opened_on: date | None = None
    proceedings_recorded_on: date | None = None
    judgment_on: date | None = None
    judgment_enforceable_on: date | None = None
    floor_policy: FloorPolicy = DEFAULT_FLOOR_POLICY
    below_floor_policy: BelowFloorPolicy = DEFAULT_BELOW_FLOOR_POLICY
    day_count: DayCount = DayCount.DATE_DIFFERENCE
    creditor_category: RateCategory = RateCategory.AUTRES_CAS
    plans_kept: tuple[tuple[date, date | None], ...] = ()

    def __post_init__(self) -> None:
        rate = self.contractual_rate
        if rate is not None:
            if not isinstance(rate, Decimal) or not rate.is_finite():
                raise DomainValidationError(
                    "contractual_rate", "must be a decimal percentage", code="invalid_rate"
                )
            if rate <= 0:
                raise DomainValidationError(
                    "contractual_rate", "must be greater than zero", code="not_positive"
                )

    @property
    def in_collective_proceedings(self) -> bool:
        return self.proceedings_opened_on is not None


# --- date arithmetic for legal time limits --------------------------------------------
# add_months lives in domain.dates (it saturates at the ends of the calendar).


# --- late-payment interest -----------------------------------------------------------


def b2b_floor(half_year: HalfYear, tables: RateTables = DEFAULT_RATES) -> Decimal:
    """C. com. L441-10 II: the lowest contractual rate allowed, 3 × the legal rate. The
    legal rate is the "autres cas" one: both parties are professionals."""
    return B2B_FLOOR_MULTIPLIER * tables.legal_rate(half_year, RateCategory.AUTRES_CAS)


def validate_contractual_rate(
    rate: Decimal,
    half_year: HalfYear,
    *,
    debtor_kind: DebtorKind = DebtorKind.BUSINESS,
    tables: RateTables = DEFAULT_RATES,
    field_path: str = "contractual_rate",
) -> None:
    """Refuse a contractual rate the law does not allow for `half_year`.

    B2B (C. com. L441-10 II): not below 3 × the legal rate ("autres cas"); answered as a
    DomainValidationError on the rate field, code `below_legal_floor`. B2C: L441-10 does
    not apply; the rate need only be positive (usury caps are not checked here).
    """
    if rate <= 0:
        raise DomainValidationError(field_path, "must be greater than zero", code="not_positive")
    if debtor_kind is DebtorKind.BUSINESS:
        floor = b2b_floor(half_year, tables)
        if rate < floor:
            raise DomainValidationError(
                field_path,
                f"a contractual late-payment rate of {rate} % is below the legal floor of "
                f"{floor} % (3 × the legal rate) for {half_year} (C. com. L441-10 II)",
                code="below_legal_floor",
            )


def half_years_below_floor(rate: Decimal, since: HalfYear, through: date,
                           tables: RateTables = DEFAULT_RATES) -> list[HalfYear]:
    """The half-years from `since` to the one holding `through` in which an agreed B2B
    rate is below 3 × that half-year's legal rate (the floor then runs, BelowFloorPolicy);
    half-years the tables do not have yet are not guessed."""
    found: list[HalfYear] = []
    half = since
    while half.start <= through:
        try:
            floor = b2b_floor(half, tables)
        except RateUnknown:
            break
        if rate < floor:
            found.append(half)
        half = half.next()
    return found


def interest_origin(due_date: date, terms: InterestTerms) -> date | None:
    """The date interest is said to run from (the first day bearing interest is decided
    by the day count), or None when no interest runs yet.

    - B2B (C. com. L441-10 II): from the day after the due date, with no reminder: the
      origin is the due date itself.
    - B2C (C. civ. 1231-6): from the formal notice (mise en demeure), not the due date;
      a notice sent before an invoice fell due counts from the due date. A judgment
      ordering payment makes interest run from its pronouncement at the latest (C. civ.
      1231-7), so the earlier of the notice and the judgment starts it. Without either no
      interest runs. A contractual rate also starts at the formal notice: a penalty is only
      incurred once the debtor is put on notice (C. civ. 1231-5; my reading).
    """
    if terms.debtor_kind is DebtorKind.BUSINESS:
        return due_date
    starts = [d for d in (terms.formal_notice_on, terms.judgment_on) if d is not None]
    if not starts:
        return None
    return max(min(starts), due_date)


# What the creditor chooses where the law does not say whether the origin day bears
# interest (interest_day_count below); its `interest_day_count` setting, this by default.
DEFAULT_DAY_COUNT = DayCount.DATE_DIFFERENCE


def interest_day_count(debtor_kind: DebtorKind, chosen: DayCount) -> DayCount:
    """Whether the day interest runs from (interest_origin) bears interest itself.

    - B2B (C. com. L441-10 II [1.2]): penalties are due from "le jour suivant la date de
      paiement" on the invoice: DATE_DIFFERENCE, whatever the creditor chose.
    - Interest from the mise en demeure (C. civ. 1231-6) or a judgment (C. civ. 1231-7):
      the texts say "à compter de" without saying whether that day counts, and the
      official guidance does not settle it (service-public F783: judgment interest runs
      "à compter du jour de la décision"; F20688 example A counts the judgment day).
      So it is the creditor's `interest_day_count` setting, `chosen` here. Its default,
      DATE_DIFFERENCE, is the conservative reading: one day less, which no debtor can
      contest; INCLUSIVE follows F20688 example A.
    Keyed on the debtor kind as interest_origin is: a business debtor's interest runs
    from the due date, every other origin is a notice or a judgment."""
    return DayCount.DATE_DIFFERENCE if debtor_kind is DebtorKind.BUSINESS else chosen


def majoration_start(judgment_enforceable_on: date) -> date:
    """C. monét. fin. L313-3: the +5 points apply from the day after the 2 months that
    follow the day the decision became enforceable."""
    return add_days(add_months(judgment_enforceable_on, JUDGMENT_MAJORATION_DELAY_MONTHS), 1)


def majoration_from(terms: InterestTerms) -> date | None:
    """The first day of the +5 points, or None when the terms have none: only a consumer's
    claim at the legal rate is raised (a B2B or contractual rate is kept after a judgment,
    see `regime_flags`), and only once the judgment is enforceable."""
    if (terms.judgment_enforceable_on is None or terms.debtor_kind is not DebtorKind.CONSUMER
            or terms.contractual_rate is not None):
        return None
    return majoration_start(terms.judgment_enforceable_on)


# --- days bearing no interest: collective proceedings, a kept payment plan ----------

# Whether a kept payment plan carries interest depends on its terms (french-law.md §10,
# doubtful). Relance's plans do not: the instalments add up exactly to what was due on the
# day it was agreed, interest to that day included, and what they schedule is not late
# while the plan is kept. Including projected interest instead would need the rates of
# half-years not yet published (a plan of a year crosses one) and would change with every
# payment made ahead of schedule. On default, interest resumes from the default day on
# what is still owed: the delay was agreed, so it is not charged back (the statement says
# so with `plan_defaulted`, for a person to claim otherwise under the plan's terms).
PLAN_KEEPS_INTEREST = False

STOP_COLLECTIVE_PROCEEDINGS = "stopped_collective_proceedings"
STOP_PAYMENT_PLAN = "payment_plan_kept"


def no_interest_periods(terms: InterestTerms) -> list[tuple[date, date | None, str]]:
    """The days on which no interest runs (first, last or None for good, and why), most
    binding first.

    - From the opening judgment of collective proceedings, for good: it stops legal,
      contractual and late interest (C. com. L622-28, applied to redressement by L631-14
      and to liquidation by L641-3; Cass. com. 5 Feb 2020 n° 18-19.044). The judgment has
      effect from the first hour of its day, so interest runs to the day before it.
    - The days a payment plan covers while it is kept (PLAN_KEEPS_INTEREST): from the day
      after it was agreed (what was due that day, interest included, is what it schedules)
      to the day before it defaulted."""
    stops: list[tuple[date, date | None, str]] = []
    if terms.proceedings_opened_on is not None:
        stops.append((terms.proceedings_opened_on, None, STOP_COLLECTIVE_PROCEEDINGS))
    if not PLAN_KEEPS_INTEREST:
        stops += [(first, last, STOP_PAYMENT_PLAN) for first, last in terms.plans_kept
                  if last is None or last >= first]
    return stops


def plan_kept_period(agreed_on: date, defaulted_on: date | None) -> tuple[date, date | None]:
    """The days a payment plan agreed on `agreed_on` keeps free of late interest: from the
    next day (the plan schedules what was due on its day) to the day before its default."""
    return (agreed_on + ONE_DAY, None if defaulted_on is None else defaulted_on - ONE_DAY)


def indemnity_withheld(due_date: date, proceedings_opened_on: date | None) -> bool:
    """C. com. L441-10 II: no 40 EUR where collective proceedings forbid paying the debt at
    its due date, i.e. for an invoice falling due on or after the opening day (the judgment
    has effect from the first hour of its day, and L622-7 bars paying a pre-opening debt).
    An invoice already late before the opening keeps its indemnity, declared with the
    claim (french-law.md §10)."""
    return proceedings_opened_on is not None and due_date >= proceedings_opened_on


class StatutoryRateSchedule:
    """The rate of each day for a claim's terms (a `domain.interest.RateSchedule`).

    - B2B, no contractual rate: ECB + 10 points fixed per half-year (L441-10 II), with
      `floor_policy` deciding what happens when it is below 3 × the legal rate.
    - B2B, contractual rate: that rate; in a half-year where it is below the 3× floor,
      what `below_floor_policy` says, flagged (never refused: money must stay recordable).
    - B2C: the legal rate of the creditor's category (L313-2), or the contractual rate.
    - The L313-3 majoration (+5 points from `majoration_start`) applies to interest at the
      LEGAL rate, i.e. B2C without a contractual rate. A B2B claim keeps its L441-10 rate
      after a judgment (penalties due by operation of law, CEPC avis 23-8), which is
      higher than legal + 5 in every half-year of the tables.

    Rates are looked up lazily, per half-year actually used; an unknown half-year raises
    `RateUnknown`. Flags raised on the way are collected in `flags`.
    """

    def __init__(self, terms: InterestTerms, tables: RateTables = DEFAULT_RATES) -> None:
        self.terms = terms
        self.tables = tables
        self._cache: dict[tuple[HalfYear, date], RatePiece] = {}
        self._fast: dict[tuple[int, bool], RatePiece] = {}
        self._flags: dict[tuple[str, str | None], Flag] = {}
        self._majoration_from = majoration_from(terms)
        self._stops = no_interest_periods(terms)
        # The days on which the rate changes inside a half-year: a piece never spans one.
        changes = {self._majoration_from} if self._majoration_from else set()
        for first, last, _ in self._stops:
            changes.add(first)
            if last is not None:
                changes.add(last + ONE_DAY)
        self._changes = sorted(changes)

    @property
    def flags(self) -> list[Flag]:
        return list(self._flags.values())

    def _flag(self, flag: Flag) -> None:
        self._flags.setdefault((flag.code, flag.subject), flag)

    def piece_at(self, day: date) -> RatePiece:
        fast = self._fast.get((day.year, day.month > 6))
        if fast is not None:
            return fast
        half = HalfYear.containing(day)
        start, end = half.start, half.end
        for change in self._changes:
            if start < change <= day:
                start = change
            elif day < change <= end:
                end = change - ONE_DAY
                break
        key = (half, start)
        piece = self._cache.get(key)
        if piece is None:
            stop = next((why for first, last, why in self._stops
                         if first <= day and (last is None or day <= last)), None)
            if stop is not None:
                rate, basis = Decimal(0), stop
            else:
                m = self._majoration_from
                rate, basis = self._rate(half, m is not None and day >= m)
            piece = RatePiece(start, end, rate, basis)
            self._cache[key] = piece
            if start == half.start and end == half.end:  # one piece covers the half-year
                self._fast[(half.year, half.half == 2)] = piece
        return piece

    def _rate(self, half: HalfYear, majorated: bool) -> tuple[Decimal, str]:
        terms = self.terms
        if terms.debtor_kind is DebtorKind.BUSINESS:
            floor = b2b_floor(half, self.tables)
            agreed = terms.contractual_rate
            if agreed is not None:
                if agreed >= floor:
                    return agreed, "contractual"  # needs no ECB rate
                if terms.below_floor_policy is BelowFloorPolicy.STATUTORY_DEFAULT:
                    applied, basis, how = (self.tables.b2b_default_rate(half), "ecb_plus_10",
                                           "the statutory rate ECB + 10")
                else:
                    applied, basis, how = floor, "floor_3x_legal", "the floor"
                self._flag(Flag(
                    "contractual_below_floor",
                    f"{half}: the agreed rate of {agreed} % is below 3 × the legal rate = "
                    f"{floor} %; {how}, {applied} %, runs instead (C. com. L441-10 II; the "
                    "clause exposes the creditor to L441-16)", str(half)))
                return applied, basis
            default = self.tables.b2b_default_rate(half)
            if default >= floor:
                return default, "ecb_plus_10"
            if terms.floor_policy is FloorPolicy.RAISE_TO_FLOOR:
                self._flag(Flag(
                    "default_raised_to_floor",
                    f"{half}: the default rate ECB + 10 = {default} % is below 3 × the legal "
                    f"rate = {floor} %; raised to {floor} % by the creditor's floor policy "
                    "(C. com. L441-10 II; whether the floor binds the default is unverified)",
                    str(half),
                ))
                return floor, "floor_3x_legal"
            self._flag(Flag(
                "floor_exceeds_default",
                f"{half}: 3 × the legal rate = {floor} % exceeds the default rate ECB + 10 = "
                f"{default} %; the default rate is applied (C. com. L441-10 II sets the floor "
                "for contractual rates; whether it binds the default is unverified)",
                str(half),
            ))
            return default, "ecb_plus_10"
        if terms.contractual_rate is not None:
            return terms.contractual_rate, "contractual"
        category = terms.creditor_category
        rate = self.tables.legal_rate(half, category)
        if majorated:
            return rate + JUDGMENT_MAJORATION_POINTS, f"legal_{category.value}_plus_5"
        return rate, f"legal_{category.value}"


def regime_flags(terms: InterestTerms) -> list[Flag]:
    """Flags about the regime itself (independent of dates)."""
    flags: list[Flag] = []
    if terms.debtor_kind is DebtorKind.CONSUMER and terms.formal_notice_on is None:
        flags.append(Flag(
            "no_formal_notice",
            "consumer claim: late interest runs only from the formal notice (C. civ. "
            "1231-6); none is recorded, so no interest is computed",
        ))
    if (
        terms.judgment_enforceable_on is not None
        and (terms.debtor_kind is DebtorKind.BUSINESS or terms.contractual_rate is not None)
    ):
        flags.append(Flag(
            "judgment_majoration_not_applied",
            "the +5 points of C. monét. fin. L313-3 raise the legal rate only; this claim "
            "bears a commercial or contractual rate, which is kept after the judgment",
        ))
    return flags


# --- recovery indemnity and fees -----------------------------------------------------


def indemnity_applies(debtor_kind: DebtorKind, *, currency: str = "EUR") -> bool:
    """C. com. L441-10 II and D441-5: 40 EUR per invoice paid late, owed by a professional
    debtor by operation of law. Not for a consumer (the L441-10 regime is between
    professionals). The amount is fixed in euros: a claim in another currency gets no
    automatic indemnity (no conversion is guessed). Collective proceedings withhold it
    invoice by invoice (`indemnity_withheld`)."""
    return debtor_kind is DebtorKind.BUSINESS and currency == RECOVERY_INDEMNITY_CURRENCY


def recovery_fees_allowed(
    debtor_kind: DebtorKind, phase: Phase, *, enforceable_title: bool = False
) -> bool:
    """May recovery fees (frais de recouvrement, de dossier...) be charged to the debtor?

    CPCE L111-8 al. 2: fees of a recovery undertaken WITHOUT an enforceable title stay
    with the creditor; any contrary stipulation is void. So never in the pre-due,
    amicable or formal-notice phases, whatever the debtor (consumer or business). Only
    enforcement costs under an enforceable title fall on the debtor (L111-8 al. 1); fees
    the JEX leaves to a debtor in bad faith (al. 3) are the judge's decision, not ours.
    The B2B 40 EUR indemnity is a statutory indemnity (D441-5), handled by
    `indemnity_applies`, not a fee. `debtor_kind` is kept for callers: the rule is the
    same for both kinds.
    """
    del debtor_kind  # same rule for both kinds (L111-8 is not limited to consumers)
    return phase is Phase.JUDICIAL and enforceable_title


# --- prescription --------------------------------------------------------------------


# --- payment terms -------------------------------------------------------------------


