"""The words every letter shares (labels, headings, the names of kinds, modes and
statuses), per language. What a kind says to the debtor is in its own template, in both
languages. Fixed text only: nothing here comes from a creditor or a debtor, and the
template lint (tests/letters/test_wording_lint.py) reads this file as it reads templates.
"""

from __future__ import annotations

from types import MappingProxyType

from domain.letters.model import DispatchMode, LetterKind
from domain.shared.language import Language

_FR = {
    # French typography: a no-break space before the colon, which never starts a line.
    "sep": "\u00a0: ",
    "siren": "SIREN",
    "our_reference": "Notre référence",
    "payment_reference": "Référence de paiement",
    "letter_number": "Courrier n°",
    "subject": "Objet",
    "invoices": "Factures concernées",
    "invoice": "Facture",
    "issue_date": "Date",
    "due_date": "Échéance",
    "amount": "Montant",
    "paid": "Réglé",
    "outstanding": "Reste dû",
    "prescribed_mark": "prescrite*",
    "prescribed_note": ("* Facture dont le délai de prescription est écoulé, réclamée après "
                        "vérification qu'elle reste due."),
    "amounts": "Sommes dues à ce jour",
    "principal": "Principal restant dû",
    "interest": "Intérêts de retard",
    "interest_period": ("facture {invoice} : du {start} au {end}, {days} jours au taux "
                        "annuel de {rate} sur {base}"),
    "indemnity": "Indemnité forfaitaire de recouvrement (art. L441-10 du Code de commerce)",
    "indemnity_detail": "{per_invoice} par facture, {count} facture(s)",
    "total": "Total dû",
    "pay": "Règlement",
    "pay_intro": ("Merci de régler par virement en indiquant impérativement la référence de "
                  "paiement ci-dessous, qui permet d'affecter votre règlement à ce dossier."),
    "beneficiary": "Bénéficiaire",
    "iban": "IBAN",
    "bic": "BIC",
    "reference": "Référence",
    "qr_caption": "Code QR de virement SEPA (EPC)",
    "page": "Page",
    "recalls": "Rappel des échanges",
    "promise": ("le {made_on}, engagement de régler {amount} au plus tard le {promised_on} "
                "({status})"),
    "plan": "le {agreed_on}, échéancier de {count} échéance(s) pour {total} ({status})",
    "plan_defaulted": "le {agreed_on}, échéancier de {count} échéance(s) pour {total} "
                      "({status} le {defaulted_on})",
    "earlier_letter": "le {issued_on}, {kind} envoyée par {mode}",
    "signature": "Pour {name}",
    # A letter a mandate's recipient sends: it signs, for the creditor (CPCE R124-4).
    "signature_mandate": "{collector}, pour le compte de {name}",
    "on_behalf": "pour le compte de {name}",
    "schedule": "Échéancier",
    "instalment": "Échéance",
    "instalment_due": "Date",
    "instalment_amount": "Montant",
    "place_date": "{place}, le {date}",
}

_EN = {
    "sep": ": ",
    "siren": "SIREN",
    "our_reference": "Our reference",
    "payment_reference": "Payment reference",
    "letter_number": "Letter no.",
    "subject": "Subject",
    "invoices": "Invoices concerned",
    "invoice": "Invoice",
    "issue_date": "Date",
    "due_date": "Due",
    "amount": "Amount",
    "paid": "Paid",
    "outstanding": "Outstanding",
    "prescribed_mark": "time-barred*",
    "prescribed_note": ("* Invoice past its limitation period, claimed after checking that "
                        "it is still owed."),
    "amounts": "Amounts due to date",
    "principal": "Principal outstanding",
    "interest": "Late payment interest",
    "interest_period": ("invoice {invoice}: from {start} to {end}, {days} days at the "
                        "annual rate of {rate} on {base}"),
    "indemnity": "Fixed recovery compensation (French Commercial Code art. L441-10)",
    "indemnity_detail": "{per_invoice} per invoice, {count} invoice(s)",
    "total": "Total due",
    "pay": "Payment",
    "pay_intro": ("Please pay by bank transfer quoting the payment reference below, which "
                  "matches your payment to this file."),
    "beneficiary": "Beneficiary",
    "iban": "IBAN",
    "bic": "BIC",
    "reference": "Reference",
    "qr_caption": "SEPA credit transfer QR code (EPC)",
    "page": "Page",
    "recalls": "Our previous exchanges",
    "promise": ("on {made_on}, a commitment to pay {amount} by {promised_on} ({status})"),
    "plan": "on {agreed_on}, a payment plan of {count} instalment(s) for {total} ({status})",
    "plan_defaulted": "on {agreed_on}, a payment plan of {count} instalment(s) for {total} "
                      "({status} on {defaulted_on})",
    "earlier_letter": "on {issued_on}, a {kind} sent by {mode}",
    "signature": "For {name}",
    "signature_mandate": "{collector}, on behalf of {name}",
    "on_behalf": "on behalf of {name}",
    "schedule": "Payment schedule",
    "instalment": "Instalment",
    "instalment_due": "Date",
    "instalment_amount": "Amount",
    "place_date": "{place}, {date}",
}

_KINDS = {
    Language.FR: {LetterKind.REMINDER_1: "première relance",
                  LetterKind.REMINDER_2: "deuxième relance",
                  LetterKind.FORMAL_NOTICE: "mise en demeure",
                  LetterKind.PAYMENT_PLAN_AGREEMENT: "proposition d'échéancier",
                  LetterKind.DECLARATION_OF_CLAIM: "déclaration de créance"},
    Language.EN: {LetterKind.REMINDER_1: "first reminder",
                  LetterKind.REMINDER_2: "second reminder",
                  LetterKind.FORMAL_NOTICE: "formal notice",
                  LetterKind.PAYMENT_PLAN_AGREEMENT: "payment plan agreement",
                  LetterKind.DECLARATION_OF_CLAIM: "declaration of claim"},
}

_MODES = {
    Language.FR: {DispatchMode.SIMPLE: "lettre simple",
                  DispatchMode.REGISTERED: "lettre recommandée",
                  DispatchMode.REGISTERED_AR: "lettre recommandée avec accusé de réception",
                  DispatchMode.ELECTRONIC_REGISTERED: "lettre recommandée électronique"},
    Language.EN: {DispatchMode.SIMPLE: "ordinary mail",
                  DispatchMode.REGISTERED: "registered mail",
                  DispatchMode.REGISTERED_AR: "registered mail with acknowledgement of receipt",
                  DispatchMode.ELECTRONIC_REGISTERED: "electronic registered mail"},
}

# Promise statuses (pending, kept, broken) and plan statuses (active, completed, defaulted).
_STATUSES = {
    Language.FR: {"pending": "en cours", "kept": "tenu", "broken": "non tenu",
                  "active": "en cours", "completed": "respecté", "defaulted": "non respecté"},
    Language.EN: {"pending": "pending", "kept": "kept", "broken": "broken",
                  "active": "in progress", "completed": "completed", "defaulted": "defaulted"},
}

LABELS = MappingProxyType({Language.FR: MappingProxyType(_FR),
                           Language.EN: MappingProxyType(_EN)})


def kind_name(kind: LetterKind, language: Language) -> str:
    return _KINDS[language][kind]


def mode_name(mode: DispatchMode, language: Language) -> str:
    return _MODES[language][mode]


def status_name(status: str, language: Language) -> str:
    """An unknown status is printed as stored rather than failing the letter."""
    return _STATUSES[language].get(status, status)
