"""The escalation's e-mails and SMS: each template in both languages carries the figures
(expectations written by hand), every SMS fits two GSM-7 segments and names its sender, and
the DGCCRF lint of the letters passes over every composed message."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from domain.escalation.messages import (
    SMS_MAX_SEPTETS,
    MessageFacts,
    compose,
    gsm7_septets,
    sms_text,
    to_gsm7,
)
from domain.escalation.policy import MESSAGE_TEMPLATES
from domain.shared.language import Language
from tests.letters.test_wording_lint import findings

NNBSP = "\u202f"
FR, EN = Language.FR, Language.EN
TEMPLATES = sorted(MESSAGE_TEMPLATES)
AFTER_DUE = [t for t in TEMPLATES if t != "pre_due"]
WITH_DEADLINE = ["due_today", "overdue_1", "overdue_2", "letter_sent", "formal_notice_sent"]

FACTS = MessageFacts(
    creditor_name="Garage Martin SARL",
    debtor_name="Claire Dubois",
    invoice_numbers=("F-2026-001",),
    total_due=Decimal("1234.56"),
    currency="EUR",
    earliest_due_date=date(2026, 12, 3),
    payment_reference="RF18539007547034",  # ISO 11649's own example
    iban="FR7630006000011234567890189",
    deadline=date(2026, 12, 18),
    consumer=False,
    contact_line="02 99 00 00 00",
)
TWO = dataclasses.replace(FACTS, invoice_numbers=("F-2026-001", "F-2026-014"))
CONSUMER = dataclasses.replace(FACTS, consumer=True)

MONEY = {FR: f"1{NNBSP}234,56{NNBSP}€", EN: "EUR 1,234.56"}
SMS_MONEY = {FR: "1 234,56 €", EN: "EUR 1,234.56"}
DUE = {FR: "3 décembre 2026", EN: "3 December 2026"}
DEADLINE = {FR: "18 décembre 2026", EN: "18 December 2026"}
SOE = {FR: "Sauf erreur ou omission", EN: "Unless we are mistaken"}
CROSSING = {FR: "Si votre règlement s'est croisé avec ce message",
            EN: "If your payment has crossed with this message"}


@pytest.mark.parametrize("language", [FR, EN])
@pytest.mark.parametrize("template", TEMPLATES)
def test_each_email_carries_the_figures(template: str, language: Language) -> None:
    mail = compose(template, language, FACTS)
    assert "Garage Martin SARL" in mail.subject
    assert "F-2026-001" in mail.subject
    assert "Claire Dubois" in mail.text
    assert "Garage Martin SARL" in mail.text
    assert "F-2026-001" in mail.text
    assert MONEY[language] in mail.text
    assert DUE[language] in mail.text
    assert "RF18 5390 0754 7034" in mail.text
    assert "FR76 3000 6000 0112 3456 7890 189" in mail.text
    assert "02 99 00 00 00" in mail.text
    assert (DEADLINE[language] in mail.text) == (template in WITH_DEADLINE)


@pytest.mark.parametrize("language", [FR, EN])
@pytest.mark.parametrize("template", AFTER_DUE)
def test_after_the_due_date_an_email_hedges_and_lets_a_crossed_payment_go(
        template: str, language: Language) -> None:
    text = compose(template, language, FACTS).text
    assert SOE[language] in text
    assert CROSSING[language] in text


@pytest.mark.parametrize("language", [FR, EN])
def test_the_pre_due_email_has_no_crossing_sentence_nor_doubt(language: Language) -> None:
    text = compose("pre_due", language, FACTS).text
    assert CROSSING[language] not in text
    assert SOE[language] not in text


def test_the_french_email_reads_whole() -> None:
    mail = compose("overdue_1", FR, FACTS)
    assert mail.subject == ("Relance\u00a0: facture F-2026-001 échue le 3 décembre 2026 – "
                            "Garage Martin SARL")
    assert mail.text.startswith("Bonjour Claire Dubois,\n\nSauf erreur ou omission de notre "
                                "part, la facture ci-dessous, échue depuis le 3 décembre 2026, "
                                "reste impayée à ce jour.")
    assert (f"Nous vous remercions de bien vouloir régler la somme de {MONEY[FR]} au plus "
            "tard le 18 décembre 2026.") in mail.text
    assert f"Montant dû\u00a0: {MONEY[FR]}\n" in mail.text
    assert "Référence de paiement\u00a0: RF18 5390 0754 7034\n" in mail.text
    assert mail.text.endswith("Cordialement,\nGarage Martin SARL\n02 99 00 00 00\n")


def test_several_invoices_are_listed_and_agreed_in_number() -> None:
    fr = compose("overdue_1", FR, TWO)
    assert "factures F-2026-001, F-2026-014 échues le 3 décembre 2026" in fr.subject
    assert "les factures ci-dessous, échues depuis le 3 décembre 2026, restent impayées" \
        in fr.text
    assert "Factures\u00a0: F-2026-001, F-2026-014\n" in fr.text
    assert "au sujet des factures F-2026-001, F-2026-014" in compose("letter_sent", FR, TWO).text
    en = compose("overdue_1", EN, TWO)
    assert "invoices F-2026-001, F-2026-014" in en.subject
    assert "Invoices: F-2026-001, F-2026-014\n" in en.text


def test_without_an_iban_nor_a_contact_line_neither_is_written() -> None:
    bare = dataclasses.replace(FACTS, iban=None, contact_line=None)
    text = compose("overdue_1", FR, bare).text
    assert "IBAN" not in text
    assert "ci-dessous en indiquant" not in text
    assert text.endswith("Cordialement,\nGarage Martin SARL\n")


def test_a_formal_notice_without_a_deadline_points_to_the_letter() -> None:
    open_ended = dataclasses.replace(FACTS, deadline=None)
    assert "dans le délai indiqué par ce courrier" in compose(
        "formal_notice_sent", FR, open_ended).text
    assert "within the time that letter gives" in compose(
        "formal_notice_sent", EN, open_ended).text


@pytest.mark.parametrize("language", [FR, EN])
def test_a_consumer_is_offered_a_payment_plan_and_told_of_no_business_penalty(
        language: Language) -> None:
    consumer = compose("overdue_2", language, CONSUMER).text
    business = compose("overdue_2", language, FACTS).text
    plan = {FR: "un échéancier", EN: "a payment plan"}[language]
    assert plan in consumer and plan not in business
    assert "L441-10" in business and "L441-10" not in consumer


ATTACHED = {FR: "Vous trouverez notre courrier en pièce jointe à ce message, au format PDF.",
            EN: "You will find our letter attached to this message, as a PDF."}


@pytest.mark.parametrize("language", [FR, EN])
@pytest.mark.parametrize("template", TEMPLATES)
def test_an_email_carrying_the_letter_says_so_after_its_body(template: str,
                                                             language: Language) -> None:
    bare, carrying = (compose(template, language, FACTS, attached=a) for a in (False, True))
    assert ATTACHED[language] not in bare.text
    assert carrying.subject == bare.subject
    # the same message, with the one line before the way to pay
    lines = carrying.text.splitlines()
    at = lines.index(ATTACHED[language])
    assert lines[:at] + lines[at + 1:] == bare.text.splitlines()
    assert lines[at + 1] == "" and "IBAN" not in "".join(lines[:at])
    assert findings(carrying.text) == []


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match="no message template"):
        compose("overdue_9", FR, FACTS)
    with pytest.raises(ValueError, match="no message template"):
        sms_text("overdue_9", FR, FACTS)


# --- SMS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("facts", [FACTS, TWO, CONSUMER], ids=["one", "two", "consumer"])
@pytest.mark.parametrize("language", [FR, EN])
@pytest.mark.parametrize("template", TEMPLATES)
def test_each_sms_fits_two_gsm7_segments_and_names_its_sender(
        template: str, language: Language, facts: MessageFacts) -> None:
    text = sms_text(template, language, facts)
    assert gsm7_septets(text) <= SMS_MAX_SEPTETS  # raises on a character outside GSM-7
    assert text.startswith("Garage Martin SARL: ")
    assert SMS_MONEY[language] in text
    assert "RF18539007547034" in text
    assert "F-2026-001" in text
    # a phone's lock screen shows the text: no debtor name, no bank details
    assert "Dubois" not in text
    assert "FR76" not in text
    assert not any(word in text.lower() for word in ("indemnit", "pénalit", "penalt", "fee",
                                                     "frais"))


def test_the_sms_limit_is_two_concatenated_segments() -> None:
    # 160 septets a segment, 7 of which go to the concatenation header once split
    assert SMS_MAX_SEPTETS == 306


def test_the_french_sms_reads_whole() -> None:
    assert sms_text("overdue_1", FR, FACTS) == (
        "Garage Martin SARL: sauf erreur, 1 234,56 € restent dus (facture F-2026-001, "
        "échéance 03/12/2026). Merci de régler avant le 18/12/2026 avec la référence "
        "RF18539007547034. Si vous avez déjà réglé, merci de ne pas tenir compte de ce "
        "message. Contact: 02 99 00 00 00")


def test_septets_are_counted_with_the_extension_table_at_two() -> None:
    assert gsm7_septets("Prix: 10 €") == 11  # 9 basic characters, € escaped
    assert gsm7_septets("déjà réglé") == 10
    with pytest.raises(ValueError, match="U\\+00EA"):
        gsm7_septets("crêpe")
    with pytest.raises(ValueError, match="U\\+202F"):
        gsm7_septets(f"1{NNBSP}234")


def test_names_are_folded_onto_gsm7() -> None:
    assert to_gsm7(f"François « Crêperie Noël »{NNBSP}– Œuvre") == (
        'Francois " Creperie Noel " - OEuvre')
    assert to_gsm7("Lefèvre & Fils") == "Lefèvre & Fils"  # è is GSM-7
    assert to_gsm7("東京 [Paris]") == "?? -Paris-"


def test_a_long_sms_gives_up_the_contact_then_the_invoice_list_then_the_name_end() -> None:
    many = dataclasses.replace(
        FACTS, creditor_name="Établissements Crêperie de la Côte d'Émeraude et Associés",
        invoice_numbers=tuple(f"FACT-2026-{n:05d}" for n in range(1, 13)),
        contact_line="Service clients, 02 99 00 00 00, du lundi au vendredi de 9 h à 18 h")
    for template in TEMPLATES:
        for language in (FR, EN):
            text = sms_text(template, language, many)
            assert gsm7_septets(text) <= SMS_MAX_SEPTETS
            assert text.startswith("Établissements Creperie de la Cote d'...: ")  # É is GSM-7
            assert "FACT-2026-00001" not in text
            assert {FR: "12 factures", EN: "12 invoices"}[language] in text
            assert "lundi" not in text


def test_a_shorter_sms_keeps_the_contact_line_when_the_list_drops() -> None:
    # two invoices with long numbers: the contact goes first, the list stays
    two_long = dataclasses.replace(FACTS, invoice_numbers=("A" * 20, "B" * 20),
                                   contact_line="C" * 60)
    text = sms_text("overdue_2", FR, two_long)
    assert "A" * 20 in text
    assert "C" * 60 not in text


# --- the DGCCRF lint over every composed message ---------------------------------------------


@pytest.mark.parametrize("facts", [FACTS, TWO, CONSUMER,
                                   dataclasses.replace(FACTS, deadline=None, iban=None)],
                         ids=["one", "two", "consumer", "bare"])
@pytest.mark.parametrize("language", [FR, EN])
@pytest.mark.parametrize("template", TEMPLATES)
def test_no_message_uses_sanctioned_wording(template: str, language: Language,
                                            facts: MessageFacts) -> None:
    mail = compose(template, language, facts)
    for text in (mail.subject, mail.text, sms_text(template, language, facts)):
        assert findings(text) == [], text


def test_the_lint_run_here_would_catch_a_bad_message() -> None:
    # the lint is the letters' own: a creditor name carrying banned words is found
    bad = dataclasses.replace(FACTS, creditor_name="Service contentieux Martin")
    assert findings(compose("overdue_1", FR, bad).text)
