"""The judicial assessment on facts built by hand: costs from the dated tariffs, the court,
the lawyer and CPC 750-1 thresholds, the time to a title, the probability's factors. Every
expected figure is worked out in the comments from the parameters' sources (SOURCES.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.claims.judicial import JudicialRoute
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import CollectiveProceedings, ProceedingsKind
from domain.judicial.assessment import (
    Assessment,
    ClaimFacts,
    CommercialSource,
    RouteAssessment,
    assess,
)
from domain.judicial.courts import ClauseEffect, CourtType, DebtorPlace, normalise_city
from domain.judicial.parameters import ParameterTable, judicial_parameters

D = Decimal
ON = date(2026, 3, 10)
LYON = DebtorPlace("FR", "69003", "Lyon")


def facts(amount: str = "4000.00", *, interest: str = "50.00", indemnity: str = "40.00",
          kind: DebtorKind = DebtorKind.BUSINESS, place: DebtorPlace = LYON,
          on: date = ON, **more: object) -> ClaimFacts:
    business = kind is DebtorKind.BUSINESS
    return ClaimFacts(
        on=on, currency="EUR", debtor_kind=kind, between_commercants=business,
        between_commercants_source=CommercialSource.STATED, debtor_place=place,
        principal_outstanding=D(amount), interest_outstanding=D(interest),
        indemnity_outstanding=D(indemnity if business else "0"), **more)  # type: ignore[arg-type]


def run(f: ClaimFacts, probability: str | None = None) -> Assessment:
    return assess(f, judicial_parameters(), None if probability is None else D(probability))


def route(a: Assessment, r: JudicialRoute) -> RouteAssessment:
    return next(x for x in a.routes if x.route is r)


IP, SMALL, L126 = (JudicialRoute.INJONCTION_DE_PAYER, JudicialRoute.SIMPLIFIED_SMALL_CLAIMS,
                   JudicialRoute.COMMERCIAL_UNCONTESTED)
REFERE, FOND = JudicialRoute.REFERE_PROVISION, JudicialRoute.ASSIGNATION_AU_FOND
EOP, ESC = JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT, JudicialRoute.EUROPEAN_SMALL_CLAIMS
DECL = JudicialRoute.DECLARATION_OF_CLAIM


def test_an_injonction_de_payer_between_commercants_in_lyon_costs_its_tariff_lines() -> None:
    ip = route(run(facts(), "0.6"), IP)
    assert ip.conditions_met is True
    assert ip.court is not None and ip.court.type is CourtType.TAE  # Lyon is a TAE seat
    assert ip.court.name == "TAE of Lyon" and ip.court.exact_court_confirmed
    assert ip.court.jurisdiction_clause is ClauseEffect.VOID  # CPC 1406, d'ordre public
    assert ip.costs is not None
    amounts = {line.item: line.amount for line in ip.costs.lines}
    # Greffe 25.19 (arrêté 25/02/2026); 4,090 > 1,280: coefficient 2, 25.79 x 2 = 51.58;
    # travel 8.80; VAT 20 % of 60.38 = 12.076 -> 12.08; taxe forfaitaire 14.89.
    assert amounts == {
        "greffe fee": D("25.19"),
        "commissaire emolument: signification of the request and order": D("51.58"),
        "commissaire travel": D("8.80"),
        "VAT on the commissaire's emolument and travel": D("12.08"),
        "taxe forfaitaire on the act": D("14.89")}
    assert ip.costs.upfront_known == D("112.54") and ip.costs.complete
    assert ip.costs.recoverable == D("112.54") and ip.costs.irrecoverable == D("0.00")
    greffe = ip.costs.lines[0]
    assert greffe.parameter == "injonction_de_payer.greffe_fee_tc" and not greffe.confirmed
    assert "33.47" in (greffe.note or "")  # the other sources' figures are noted
    # 0.6 x (4,090.00 + 112.54) - 0 = 2,521.524
    assert ip.expected_recovery is not None
    assert ip.expected_recovery.value == D("2521.52")
    assert "injonction_de_payer.greffe_fee_tc" in ip.unconfirmed_parameters
    assert ip.amicable_attempt is not None and ip.amicable_attempt.required is False
    assert ip.representation is not None and ip.representation.lawyer_required is False


def emolument(a: Assessment) -> Decimal | None:
    ip = route(a, IP)
    assert ip.costs is not None
    return ip.costs.lines[1].amount


def test_the_signification_coefficient_follows_the_claim_bands() -> None:
    # 25.79 x 0.5 = 12.895 -> 12.90 up to 128; x 1 up to 1,280; x 2 above.
    assert emolument(run(facts("128.00", interest="0", indemnity="0"))) == D("12.90")
    assert emolument(run(facts("128.01", interest="0", indemnity="0"))) == D("25.79")
    assert emolument(run(facts("1280.00", interest="0", indemnity="0"))) == D("25.79")
    assert emolument(run(facts("1240.00", interest="0.01", indemnity="40"))) == D("51.58")


def test_a_lawyer_is_required_above_10000_for_a_summons_and_after_an_opposition() -> None:
    at = run(facts("9960.00", interest="0", indemnity="40.00"))  # exactly 10,000
    assert route(at, FOND).representation.lawyer_required is False  # type: ignore[union-attr]
    above = run(facts("9960.01", interest="0", indemnity="40.00"))
    for r in (FOND, REFERE):
        assert route(above, r).representation.lawyer_required is True  # type: ignore[union-attr]
        costs = route(above, r).costs
        assert costs is not None and not costs.complete  # the lawyer's fees have no tariff
        assert costs.lines[-1].item == "lawyer's fees"
        assert costs.lines[-1].recoverable_from_debtor is False
    ip = route(above, IP).representation
    assert ip is not None and ip.lawyer_required is False
    assert ip.lawyer_required_after_opposition is True


def test_cpc_750_1_binds_a_tj_summons_up_to_5000_never_the_injonction() -> None:
    consumer = DebtorKind.CONSUMER
    at = run(facts("4990.00", interest="10.00", kind=consumer))  # 5,000 exactly
    assert route(at, FOND).court.type is CourtType.TJ  # type: ignore[union-attr]
    assert route(at, FOND).amicable_attempt.required is True  # type: ignore[union-attr]
    assert route(at, IP).amicable_attempt.required is False  # type: ignore[union-attr]
    over = run(facts("4990.01", interest="10.00", kind=consumer))
    assert route(over, FOND).amicable_attempt.required is False  # type: ignore[union-attr]
    # Between commerçants the summons goes to the commercial court: not 750-1.
    b2b = run(facts("1000.00"))
    assert route(b2b, FOND).amicable_attempt.required is False  # type: ignore[union-attr]
    # The formal notice is reported, whatever the rule.
    sent = run(facts("1000.00", kind=consumer, formal_notice_on=date(2026, 2, 20)))
    attempt = route(sent, REFERE).amicable_attempt
    assert attempt is not None and attempt.required is True
    assert attempt.formal_notice_sent_on == date(2026, 2, 20)


def test_the_court_type_follows_the_parties_and_the_place() -> None:
    alsace = run(facts(place=DebtorPlace("FR", "67000", "Strasbourg")))
    ip = route(alsace, IP)
    assert ip.court is not None and ip.court.type is CourtType.TJ_CH_COM
    assert ip.court.name == "TJ_CH_COM of Strasbourg" and not ip.court.exact_court_confirmed
    assert route(alsace, FOND).amicable_attempt.required is None  # type: ignore[union-attr]
    brieuc = route(run(facts(place=DebtorPlace("FR", "22000", "ST BRIEUC CEDEX 1"))), IP).court
    assert brieuc is not None and brieuc.type is CourtType.TAE
    rennes = route(run(facts(place=DebtorPlace("FR", "35000", "Rennes"))), IP).court
    assert rennes is not None and rennes.type is CourtType.TC
    assert not rennes.exact_court_confirmed and rennes.name == "TC of Rennes"
    consumer = route(run(facts(kind=DebtorKind.CONSUMER)), IP).court
    assert consumer is not None and consumer.type is CourtType.TJ
    assert "JCP" in (consumer.note or "")
    summons = route(run(facts()), FOND).court
    assert summons is not None
    assert summons.jurisdiction_clause is ClauseEffect.MAY_DESIGNATE_ANOTHER_COURT  # CPC 48
    no_address = route(run(facts(place=DebtorPlace("FR"))), IP).court
    assert no_address is not None and not no_address.exact_court_confirmed
    assert normalise_city("Lyon 3e Arrondissement") == "LYON"


def test_after_the_tae_trial_lyon_has_a_tc_and_an_expired_tariff_is_not_guessed() -> None:
    later = run(facts(on=date(2029, 1, 5)))
    ip = route(later, IP)
    assert ip.court is not None and ip.court.type is CourtType.TC
    assert ip.costs is not None and not ip.costs.complete  # the 2026-28 tariff ended
    assert ip.costs.lines[1].amount is None


def test_a_debtor_in_belgium_has_the_european_routes_not_the_french_ones() -> None:
    brussels = DebtorPlace("BE", "1000", "Bruxelles")
    a = run(facts(place=brussels))
    ip = route(a, IP)
    assert ip.conditions_met is False and ip.costs is None
    assert [c.code for c in ip.conditions if not c.met] == ["debtor_in_france"]
    eop = route(a, EOP)
    assert eop.conditions_met is True and eop.representation.lawyer_required is False  # type: ignore[union-attr]
    assert eop.court is not None and not eop.court.exact_court_confirmed
    # 30 days to issue, 30 to oppose (Reg. 1896/2006) to a Saturday moved to the Monday,
    # enforceable the day after: 63 days.
    assert eop.time_to_title is not None and eop.time_to_title.typical_days == 63
    esc = route(a, ESC)
    # 4,000 principal <= 5,000, interest excluded; 14 + 30 + 30 days.
    assert esc.conditions_met is True and esc.time_to_title.typical_days == 74  # type: ignore[union-attr]
    over = route(run(facts("5000.01", place=brussels)), ESC)
    assert over.conditions_met is False
    consumer = route(run(facts(place=brussels, kind=DebtorKind.CONSUMER)), EOP).court
    assert consumer is not None and consumer.type is CourtType.FOREIGN
    denmark = run(facts(place=DebtorPlace("DK", "1050", "København")))
    for r in (EOP, ESC):
        unmet = [c.code for c in route(denmark, r).conditions if c.met is False]
        assert unmet == ["member_state_takes_part"]
    swiss = route(run(facts(place=DebtorPlace("CH", "1201", "Genève"))), EOP)
    assert [c.code for c in swiss.conditions if c.met is False] == [
        "debtor_in_another_member_state"]
    fond = route(a, FOND)
    assert fond.costs is not None and fond.costs.lines[0].amount is None  # served abroad
    # The abroad factor: 0.80 x 0.80 = 0.64.
    assert a.probability.value == D("0.6400")


def test_open_proceedings_leave_only_the_declaration_with_its_deadline() -> None:
    opened = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2026, 2, 1),
                                   "TC de Lyon", bodacc_published_on=date(2026, 2, 12))
    a = run(facts(proceedings=opened))
    for r in a.routes:
        assert r.conditions_met is (r.route is DECL), r.route
    decl = route(a, DECL)
    assert decl.deadline == date(2026, 4, 12)  # BODACC + 2 months (R622-24)
    assert decl.court is not None and decl.court.name == "TC de Lyon"
    # 0.80 x 0.30 (redressement) = 0.24; 0.24 x 4,090.00 = 981.60, no known cost.
    assert a.probability.value == D("0.2400")
    assert decl.expected_recovery is not None and decl.expected_recovery.value == D("981.60")
    assert not decl.expected_recovery.complete  # the postage has no figure
    assert decl.time_to_title is not None and decl.time_to_title.typical_days is None


def test_the_probability_shows_each_factor_and_yields_to_the_creditors() -> None:
    a = run(facts(disputed_invoices=("F-2",), broken_promises=2, partial_payments=1))
    # 0.80 x 0.70 (disputed) x 0.85^2 (two broken promises) x 1.10 (a payment) = 0.445060
    assert a.probability.value == D("0.4451") and a.probability.origin == "derived"
    applied = {f.code for f in a.probability.factors if f.applied}
    assert applied == {"disputed", "broken_promises", "partial_payments"}
    broken = next(f for f in a.probability.factors if f.code == "broken_promises")
    assert broken.value == D("0.7225")
    assert route(a, REFERE).conditions_met is False  # a dispute: no référé
    assert route(a, FOND).conditions_met is True
    mine = run(facts(disputed_invoices=("F-2",)), "0.25")
    assert mine.probability.value == D("0.2500") and mine.probability.origin == "creditor"
    assert mine.probability.derived_value == D("0.5600")


def test_the_b2b_procedure_is_not_in_force_before_the_law_and_unconfirmed_after() -> None:
    before = route(run(facts()), L126)
    assert before.conditions_met is False
    assert [c.code for c in before.conditions if c.met is False] == ["in_force"]
    after = route(run(facts(on=date(2026, 6, 1))), L126)
    assert after.conditions_met is None  # the decree is not published
    # Served 15 June (14 days), one month to 15 July, PV 8 days after: 23 July, 52 days.
    assert after.time_to_title is not None and after.time_to_title.typical_days == 52
    assert after.time_to_title.typical_title_on == date(2026, 7, 23)
    assert not after.time_to_title.confirmed
    assert after.costs is not None and not after.costs.complete
    assert "commercial_uncontested.pay_or_contest_months" in after.unconfirmed_parameters
    disputed = route(run(facts(on=date(2026, 6, 1), disputed_claim=True)), L126)
    assert disputed.conditions_met is False
    consumer = route(run(facts(on=date(2026, 6, 1), kind=DebtorKind.CONSUMER)), L126)
    assert [c.code for c in consumer.conditions if c.met is False] == ["between_commercants"]


def test_an_order_issued_from_september_2026_is_enforceable_two_months_after_service() -> None:
    # 10 Aug: order 24 Aug (14 days, TC), served 7 Sep, opposition month's last day 7 Oct:
    # enforceable the day after (CPC 642, as the proceeding counts it), 8 Oct, 59 days.
    old = route(run(facts(on=date(2026, 8, 10))), IP).time_to_title
    assert old is not None and old.typical_title_on == date(2026, 10, 8)
    assert old.typical_days == 59
    # Serve within 6 months of the order (CPC 1411): a last day, not words.
    assert [(d.on, d.parameter) for d in old.deadlines] == [
        (date(2027, 2, 24), "injonction_de_payer.service_months")]
    # 20 Aug: order 3 Sep, under décret 2026-96: served 17 Sep, +2 months: 17 Nov, so
    # enforceable 18 Nov (the opposition month, 17 Oct a Saturday moved to 19 Oct, is over).
    new = route(run(facts(on=date(2026, 8, 20))), IP).time_to_title
    assert new is not None and new.typical_title_on == date(2026, 11, 18)
    assert new.typical_days == 90
    assert [d.on for d in new.deadlines] == [date(2026, 12, 3)]  # 3 months from 3 Sep


def test_the_title_day_is_the_one_the_proceeding_counts() -> None:
    from domain.judicial.proceedings import Projection, enforceable_from

    title = route(run(facts(on=date(2026, 8, 10))), IP).time_to_title
    assert title is not None
    found = enforceable_from(Projection(IP, date(2026, 9, 7), date(2026, 8, 24)),
                             judicial_parameters())
    assert found is not None and title.typical_title_on == found[0]
    # The European order: issued 9 Apr (30 days), 30 days to oppose to 9 May, a Saturday,
    # moved to Monday 11 May (CPC 642): enforceable 12 May, 63 days.
    eop = route(run(facts(place=DebtorPlace("BE", "1000", "Bruxelles"))), EOP).time_to_title
    assert eop is not None and eop.typical_title_on == date(2026, 5, 12)


def test_a_tae_charges_its_contribution_only_to_a_large_claimant_above_50000() -> None:
    paris = DebtorPlace("FR", "75008", "Paris")
    big = route(run(facts("60000.00", interest="0", indemnity="0", place=paris,
                          creditor_headcount=300)), IP)
    assert big.costs is not None
    line = big.costs.lines[-1]
    # 3 % of 60,000 = 1,800 (cap 50,000), 5 % = 3,000 (cap 100,000).
    assert line.item.startswith("contribution pour la justice économique")
    assert (line.amount, line.amount_up_to) == (D("1800.00"), D("3000.00"))
    assert line.recoverable_from_debtor is None  # counted as irrecoverable
    assert big.costs.irrecoverable == D("1800.00")
    small = route(run(facts("60000.00", place=paris, creditor_headcount=100)), IP).costs
    assert small is not None and not any("contribution" in x.item for x in small.lines)
    unknown = route(run(facts("60000.00", place=paris)), IP).costs
    assert unknown is not None and "headcount not given" in (unknown.lines[-1].note or "")


def test_small_claims_count_principal_and_interest_and_cost_the_creditor() -> None:
    at = route(run(facts("4950.00", interest="50.00", indemnity="40.00")), SMALL)
    assert at.conditions_met is True  # 5,000 with interest, the indemnity apart
    assert at.costs is not None and at.costs.lines[0].recoverable_from_debtor is False
    assert at.time_to_title is not None and at.time_to_title.typical_days == 31  # 10 Mar-10 Apr
    over = route(run(facts("4950.01", interest="50.00")), SMALL)
    assert over.conditions_met is False


def test_a_time_barred_invoice_lowers_only_its_share_of_the_expected_recovery() -> None:
    from domain.judicial.assessment import OldestUnpaid

    old = OldestUnpaid("F-1", date(2021, 1, 10), date(2026, 1, 10), True)
    a = run(replace(facts(), oldest_unpaid=old, prescribed_outstanding=D("1000.00")), "0.6")
    # The whole claim's probability is not touched by one prescribed invoice.
    assert a.probability.derived_value == D("0.8000")
    assert "prescribed" not in {f.code for f in a.probability.factors}
    recovery = route(a, IP).expected_recovery
    assert recovery is not None
    assert (recovery.prescribed_amount, recovery.prescribed_factor) == (D("1000.00"), D("0.10"))
    # 0.6 x (4,090 - 1,000 + 112.54) + 0.6 x 0.10 x 1,000 - 0 = 1,921.524 + 60 = 1,981.52
    assert recovery.value == D("1981.52")
    clean = route(run(facts(), "0.6"), IP).expected_recovery
    assert clean is not None and clean.prescribed_factor is None
    assert clean.value == D("2521.52")


def test_each_step_reads_its_period_in_force_on_the_day_it_starts() -> None:
    from dataclasses import replace as changed

    from domain.judicial.parameters import ParameterTable

    base = judicial_parameters()
    answer = base.at("european_small_claims.answer_days", ON)
    # A hypothetical change from 20 March: the claim is served 24 March (14 days), so the
    # answer period that counts is the new one, which is unconfirmed.
    table = ParameterTable({**base.by_name, answer.name: (
        changed(answer, effective_to=date(2026, 3, 19)),
        changed(answer, value=D(45), effective_from=date(2026, 3, 20), confirmed=False))})
    esc = route(assess(facts(place=DebtorPlace("BE", "1000", "Bruxelles")), table), ESC)
    title = esc.time_to_title
    assert title is not None
    assert (title.steps[1].step, title.steps[1].on) == ("answer due", date(2026, 5, 8))
    assert title.typical_days == 14 + 45 + 30 and title.confirmed is False
    assert answer.name in esc.unconfirmed_parameters


def test_the_commissaire_tariff_of_2026_2028_is_dated_and_unconfirmed() -> None:
    table = judicial_parameters()
    # The regulated tariff is revised every 2 years: each of its rows in force on the
    # assessment's day belongs to the 2026-2028 arrêté, whose figures no source confirms.
    for name in ("commissaire.signification_ht", "commissaire.coefficient_band_low_max",
                 "commissaire.coefficient_band_mid_max", "commissaire.coefficient_low",
                 "commissaire.coefficient_mid", "commissaire.coefficient_high",
                 "commissaire.travel_ht", "commissaire.assignation_ht"):
        row = table.at(name, ON)
        assert (row.effective_from, row.effective_to) == (date(2026, 3, 1), date(2028, 2, 29))
        assert row.confirmed is False, name
        assert table.at(name, date(2026, 2, 28)).confirmed is True, name
    fond = route(run(facts()), FOND)
    assert fond.costs is not None
    travel = next(x for x in fond.costs.lines if x.item == "commissaire travel")
    assert travel.amount == D("8.80") and travel.confirmed is False
    assert {"commissaire.travel_ht", "commissaire.assignation_ht"} <= set(
        fond.unconfirmed_parameters)


def test_the_commercial_chamber_of_a_tj_charges_the_tj_greffe_fee_not_the_tc_one() -> None:
    ip = route(run(facts(place=DebtorPlace("FR", "67000", "Strasbourg"))), IP)
    assert ip.court is not None and ip.court.type is CourtType.TJ_CH_COM
    assert ip.costs is not None
    greffe = ip.costs.lines[0]
    assert greffe.item == "greffe fee"
    assert (greffe.parameter, greffe.amount) == ("injonction_de_payer.greffe_fee_tj", D("0.00"))
    assert greffe.confirmed is False and "TJ" in (greffe.note or "")
    tc = route(run(facts(place=DebtorPlace("FR", "35000", "Rennes"))), IP).costs
    assert tc is not None and tc.lines[0].parameter == "injonction_de_payer.greffe_fee_tc"


def test_the_injonctions_representation_rule_says_no_lawyer_to_file_one_after_opposition() -> None:
    ip = route(run(facts("12000.00")), IP).representation
    assert ip is not None
    assert (ip.lawyer_required, ip.lawyer_required_after_opposition) == (False, True)
    assert "CPC 1407" in ip.rule and "no lawyer at any amount" in ip.rule
    assert "CPC 761" in ip.rule and "CPC 853" in ip.rule
    fond = route(run(facts("12000.00")), FOND).representation
    assert fond is not None and "1407" not in fond.rule


def _without(*names: str) -> ParameterTable:
    base = judicial_parameters()
    return ParameterTable({k: v for k, v in base.by_name.items() if k not in names})


def test_a_condition_that_cannot_be_told_is_unknown_not_unmet() -> None:
    # Without a ceiling in force the small-claims condition cannot be told: the route is
    # not ruled out, its figures are given.
    a = assess(facts(), _without("simplified_small_claims.ceiling",
                                 "cpc_750_1.amount_ceiling"))
    small = route(a, SMALL)
    ceiling = next(c for c in small.conditions if c.code.endswith("ceiling"))
    assert ceiling.met is None and small.conditions_met is None
    assert small.costs is not None and small.time_to_title is not None
    consumer = route(assess(facts(kind=DebtorKind.CONSUMER), _without(
        "cpc_750_1.amount_ceiling")), FOND)
    assert consumer.amicable_attempt is not None
    assert consumer.amicable_attempt.required is None  # not told, not "not required"


def test_an_assumed_commercant_leaves_the_l126_condition_unknown() -> None:
    assumed = replace(facts(on=date(2026, 6, 1)),
                      between_commercants_source=CommercialSource.ASSUMED_FROM_DEBTOR_KIND)
    condition = next(c for c in route(run(assumed), L126).conditions
                     if c.code == "between_commercants")
    assert condition.met is None and "not stated" in condition.fact
    stated = next(c for c in route(run(facts(on=date(2026, 6, 1))), L126).conditions
                  if c.code == "between_commercants")
    assert stated.met is True


def test_a_debtor_outside_the_eu_is_told_why_the_european_routes_do_not_apply() -> None:
    from domain.judicial.courts import CourtBasis

    a = run(facts(place=DebtorPlace("CH", "1201", "Genève")))
    for r in (EOP, ESC):
        unmet = [c for c in route(a, r).conditions if c.met is False]
        assert [c.code for c in unmet] == ["debtor_in_another_member_state"]
        assert "not an EU member state" in unmet[0].fact
    fond = route(a, FOND)
    assert fond.court is not None
    assert fond.court.basis == (CourtBasis.NATIONAL_RULES_OUTSIDE_EU,)
    assert any("Hague convention" in f for f in fond.facts)
    assert any("exequatur" in f for f in fond.facts)
    belgium = route(run(facts(place=DebtorPlace("BE", "1000", "Bruxelles"))), FOND)
    assert belgium.court is not None and belgium.court.basis == (CourtBasis.BRUSSELS_I_BIS,)
    assert not any("Hague" in f for f in belgium.facts)


def test_a_passed_declaration_deadline_is_a_fact_with_the_relief_as_next_step() -> None:
    late = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2025, 12, 20),
                                 "TC de Lyon", bodacc_published_on=date(2026, 1, 5))
    decl = route(run(facts(proceedings=late)), DECL)
    # Published 5 Jan: declare by 5 Mar (R622-24), passed on 10 Mar; relief from
    # foreclusion until 5 Jul (L622-26, 6 months from the publication).
    assert decl.deadline == date(2026, 3, 5) and decl.deadline_passed is True
    assert decl.relief_deadline == date(2026, 7, 5)
    assert "relevé de forclusion" in decl.facts[0] and "L622-26" in decl.facts[0]
    assert "insolvency.relief_months" in decl.unconfirmed_parameters
    in_time = replace(late, bodacc_published_on=date(2026, 2, 12))
    ok = route(run(facts(proceedings=in_time)), DECL)
    assert ok.deadline_passed is False and "forclusion" not in ok.facts[0]
    unknown = route(run(facts(proceedings=replace(late, bodacc_published_on=None))), DECL)
    assert (unknown.deadline, unknown.deadline_passed, unknown.relief_deadline) == (
        None, None, None)


def test_a_claim_in_dollars_is_never_compared_with_the_euro_thresholds() -> None:
    usd = replace(facts("4000.00", kind=DebtorKind.CONSUMER), currency="USD")
    a = run(usd)
    small = route(a, SMALL)
    ceiling = next(c for c in small.conditions if c.code.endswith("ceiling"))
    assert ceiling.met is None and "cannot be compared" in ceiling.fact
    fond = route(a, FOND)
    assert fond.representation is not None and fond.representation.lawyer_required is None
    assert fond.amicable_attempt is not None and fond.amicable_attempt.required is None
    ip = route(a, IP)
    assert ip.costs is not None
    emolument_line = ip.costs.lines[1]
    assert emolument_line.amount is None and "EUR" in (emolument_line.note or "")
    assert not ip.costs.complete
    assert ip.representation is not None
    assert ip.representation.lawyer_required_after_opposition is None
    assert all(r.expected_recovery is None for r in a.routes)
    assert any("USD" in n and "not compared" in n for n in a.notes)
    eur = run(facts("4000.00", kind=DebtorKind.CONSUMER))
    assert route(eur, SMALL).conditions_met is True
    assert route(eur, FOND).amicable_attempt.required is True  # type: ignore[union-attr]


def test_each_route_shows_its_interrupting_act_against_the_next_limitation_date() -> None:
    from domain.judicial.assessment import OldestUnpaid

    # The next invoice to lapse does so on 1 April 2026.
    soon = OldestUnpaid("F-7", date(2021, 4, 1), date(2026, 4, 1), False)
    a = run(replace(facts(), next_limitation=soon))
    ip = route(a, IP).prescription
    # The order is served 7 April (14 + 14 days): after the 1 April limitation date.
    assert ip is not None and (ip.limitation_date, ip.invoice_number) == (
        date(2026, 4, 1), "F-7")
    assert (ip.act_typical_on, ip.act_before_limitation) == (date(2026, 4, 7), False)
    fond = route(a, FOND).prescription
    # The summons is served on 24 March (14 days): before it.
    assert fond is not None
    assert (fond.act_typical_on, fond.act_before_limitation) == (date(2026, 3, 24), True)
    small = route(a, SMALL).prescription
    assert small is not None and small.act_typical_on is None
    assert small.act_before_limitation is None and small.limitation_date == date(2026, 4, 1)
    none_left = route(run(facts()), IP).prescription
    assert none_left is not None and none_left.limitation_date is None
    assert none_left.act_before_limitation is None


def test_totals_with_an_unknown_part_are_flagged_as_bounds() -> None:
    ip = route(run(facts()), IP)
    assert ip.costs is not None and ip.costs.bound == "exact"
    assert ip.expected_recovery is not None and ip.expected_recovery.bound == "exact"
    # A summons to the TC: the greffe fee (the debtor may bear it) has no figure.
    below = route(run(facts()), FOND)
    assert below.costs is not None and below.costs.bound == "lower_bound"
    assert below.expected_recovery is not None
    assert below.expected_recovery.bound == "lower_bound"
    # Above 10,000 EUR the lawyer's fees, left to the creditor, have none either: the
    # expected recovery could move both ways, so it has no value.
    above = route(run(facts("12000.00")), FOND).expected_recovery
    assert above is not None and (above.bound, above.value) == ("unknown", None)
    small = route(run(facts()), SMALL).expected_recovery
    assert small is not None and small.bound == "upper_bound" and small.value is not None
    # The European order's time leaves the service out: a lower bound.
    eop = route(run(facts(place=DebtorPlace("BE", "1000", "Bruxelles"))), EOP).time_to_title
    assert eop is not None and eop.bound == "lower_bound"
    assert route(run(facts()), IP).time_to_title.bound == "exact"  # type: ignore[union-attr]
    # A TAE contribution range counts its low end: the costs are a lower bound.
    paris = route(run(facts("60000.00", place=DebtorPlace("FR", "75008", "Paris"),
                            creditor_headcount=300)), IP)
    assert paris.costs is not None and paris.costs.bound == "lower_bound"
    # Its thresholds missing on the day: a line without a figure, not nothing.
    gap = assess(facts("60000.00", place=DebtorPlace("FR", "75008", "Paris")),
                 _without("tae.contribution_claim_above"))
    costs = route(gap, IP).costs
    assert costs is not None and costs.lines[-1].amount is None and not costs.complete


def test_the_words_do_not_repeat_the_figures_given_as_numbers() -> None:
    import re

    a = run(facts("4000.00", place=DebtorPlace("BE", "1000", "Bruxelles")))
    small = route(run(facts()), SMALL)
    ceiling = small.conditions[-1]
    assert (ceiling.amount, ceiling.limit) == (D("4050.00"), D("5000"))
    assert ceiling.parameter == "simplified_small_claims.ceiling"
    esc = route(a, ESC).conditions[-1]
    assert (esc.amount, esc.limit) == (D("4000.00"), D("5000"))
    ip = route(run(facts()), IP).time_to_title
    assert ip is not None and ip.steps[-1].on == ip.typical_title_on
    assert ip.steps[0].parameter == "injonction_de_payer.typical_order_days_tc"
    # Dates and amounts: each is a field of its own (facts, steps, amount/limit).
    figure = re.compile(r"\d{4}-\d{2}-\d{2}|\d+[.,]\d{2}\b")
    everything = [run(facts()), a, run(facts(disputed_invoices=("F-2",), broken_promises=2,
                                             partial_payments=1))]
    for assessment in everything:
        for r in assessment.routes:
            for c in r.conditions:
                assert not figure.search(c.fact), c.fact
            for text in (*r.facts, r.time_to_title.note if r.time_to_title else None):
                assert text is None or not figure.search(text), text
        for f in assessment.probability.factors:
            assert not figure.search(f.fact), f.fact
