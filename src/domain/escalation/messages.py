"""The e-mails and SMS of the escalation ladder, per template and language: what each step
says to the debtor. Pure text, no I/O; the adapters send what this writes.

Tone (reference/letters-escalation.md A1, B8): courteous, "sauf erreur ou omission" once the
invoice has fallen due, and a payment crossing the message may be disregarded. Never a
threat, a fee, an enforcement or a court-like service: the DGCCRF lint of the letters reads
every composed message too (tests/escalation/test_messages.py). Every message names the
creditor who sends it (CNIL: the sender's identity).

An SMS is written apart (`sms_text`): at most two concatenated GSM-7 segments, so every
character is one of GSM 03.38 (anything else would switch the whole message to UCS-2, 70
characters a segment, and double its price), the names and invoice numbers the creditor
typed are folded onto that alphabet, and neither the debtor's name nor an IBAN is written
(a phone's lock screen shows the text to whoever holds it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.escalation.policy import MESSAGE_TEMPLATES
from domain.letters import formatting, references
from domain.shared.language import Language


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What a message may say of the claim: the caller reads it from the ledger right
    before the send, so the figures are today's."""

    creditor_name: str
    debtor_name: str
    invoice_numbers: tuple[str, ...]
    total_due: Decimal
    currency: str
    earliest_due_date: date
    payment_reference: str  # ISO 11649, compact (RF…)
    iban: str | None = None
    deadline: date | None = None  # the date the debtor is asked to pay by
    consumer: bool = False
    contact_line: str | None = None  # "02 99 00 00 00, compta@example.fr": the creditor's


@dataclass(frozen=True, slots=True)
class Composed:
    subject: str
    text: str


# --- GSM 03.38 -----------------------------------------------------------------------------

# The default alphabet (one septet each) and its extension table (an escape + one septet).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
# Two concatenated segments: 160 septets each, less the 7 that the concatenation header
# (UDH, 6 octets) takes from each. 306 is below the brief's 320 characters in any case.
SMS_MAX_SEPTETS = 2 * 153

# What French text and typed names carry that GSM-7 lacks, folded to the nearest character.
_FOLD = {
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "ʼ": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "...", "œ": "oe", "Œ": "OE",
    "ç": "c", "°": "o", "`": "'", "\t": " ", "\n": " ", "\r": " ",
}


def gsm7_septets(text: str) -> int:
    """The septets `text` takes in GSM-7 (an extension character takes two). Raises
    ValueError on a character outside GSM 03.38."""
    count = 0
    for char in text:
        if char in GSM7_BASIC:
            count += 1
        elif char in GSM7_EXTENSION:
            count += 2
        else:
            raise ValueError(f"U+{ord(char):04X} is not a GSM-7 character")
    return count


def to_gsm7(text: str) -> str:
    """`text` on the GSM-7 alphabet: typographic characters folded, other accents dropped
    (ê → e, ï → i), anything left replaced by "?"; extension characters other than € (which
    a name has no use for and which cost two septets) become "-" or "?"."""
    out: list[str] = []
    for char in text:
        char = _FOLD.get(char, char)
        if len(char) == 1 and char not in GSM7_BASIC and char != "€":
            bare = unicodedata.normalize("NFKD", char)
            bare = "".join(c for c in bare if not unicodedata.combining(c))
            char = bare if bare and all(c in GSM7_BASIC for c in bare) else (
                "-" if char in "[]{}|" else "?")
        out.append(char)
    return "".join(out)


# --- shared pieces --------------------------------------------------------------------------


def _money(facts: MessageFacts, language: Language) -> str:
    return formatting.money(facts.total_due, facts.currency, language)


def _iban(iban: str) -> str:
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _invoices(numbers: tuple[str, ...], language: Language) -> str:
    listed = ", ".join(numbers)
    if language is Language.FR:
        return f"facture {listed}" if len(numbers) == 1 else f"factures {listed}"
    return f"invoice {listed}" if len(numbers) == 1 else f"invoices {listed}"


def _plural(facts: MessageFacts) -> bool:
    return len(facts.invoice_numbers) > 1


def _of_invoices(facts: MessageFacts) -> str:
    """"des factures F-1, F-2" or "de la facture F-1": French wants the article."""
    listed = ", ".join(facts.invoice_numbers)
    return f"des factures {listed}" if _plural(facts) else f"de la facture {listed}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_FR_SEP = "\u00a0: "  # French typography: a no-break space before the colon


def _details(facts: MessageFacts, language: Language, *, due_label: bool = True) -> list[str]:
    long = formatting.long_date
    if language is Language.FR:
        rows = [f"{'Factures' if _plural(facts) else 'Facture'}{_FR_SEP}"
                f"{', '.join(facts.invoice_numbers)}",
                f"Montant dû{_FR_SEP}{_money(facts, language)}"]
        if due_label:
            rows.append(f"Échéance{_FR_SEP}{long(facts.earliest_due_date, language)}")
        rows.append(f"Référence de paiement{_FR_SEP}"
                    f"{references.formatted(facts.payment_reference)}")
        if facts.iban:
            rows.append(f"IBAN{_FR_SEP}{_iban(facts.iban)}")
        return rows
    rows = [f"{'Invoices' if _plural(facts) else 'Invoice'}: {', '.join(facts.invoice_numbers)}",
            f"Amount due: {_money(facts, language)}"]
    if due_label:
        rows.append(f"Due date: {long(facts.earliest_due_date, language)}")
    rows.append(f"Payment reference: {references.formatted(facts.payment_reference)}")
    if facts.iban:
        rows.append(f"IBAN: {_iban(facts.iban)}")
    return rows


def _pay_line(facts: MessageFacts, language: Language) -> str:
    if language is Language.FR:
        account = " sur le compte ci-dessous" if facts.iban else ""
        return (f"Vous pouvez régler par virement{account} en indiquant la référence de "
                "paiement, qui permet d'affecter votre règlement à ce dossier.")
    account = " to the account below" if facts.iban else ""
    return (f"You can pay by bank transfer{account}, quoting the payment reference so that "
            "your payment is matched to this file.")


def _by_deadline(facts: MessageFacts, language: Language) -> str:
    if facts.deadline is None:
        return ""
    day = formatting.long_date(facts.deadline, language)
    return f" au plus tard le {day}" if language is Language.FR else f" by {day}"


def _closing(facts: MessageFacts, language: Language, *, crossing: bool) -> list[str]:
    lines: list[str] = []
    if language is Language.FR:
        if crossing:
            lines.append("Si votre règlement s'est croisé avec ce message, nous vous prions "
                         "de ne pas en tenir compte.")
        if facts.consumer:
            lines.append("Si vous rencontrez une difficulté pour régler cette somme, "
                         "contactez-nous\u00a0: nous chercherons ensemble une solution, "
                         "par exemple un échéancier.")
        else:
            lines.append("Pour toute question, n'hésitez pas à nous contacter en rappelant "
                         "la référence de paiement.")
        lines += ["", "Cordialement,", facts.creditor_name]
    else:
        if crossing:
            lines.append("If your payment has crossed with this message, please disregard "
                         "it.")
        if facts.consumer:
            lines.append("If you have any difficulty paying this sum, please contact us: we "
                         "will look for a solution together, such as a payment plan.")
        else:
            lines.append("Should you have any question, please contact us quoting the "
                         "payment reference.")
        lines += ["", "Kind regards,", facts.creditor_name]
    if facts.contact_line:
        lines.append(facts.contact_line)
    return lines


# --- the e-mails ----------------------------------------------------------------------------

# Said after the body when the e-mail carries the step's letter as a PDF, whatever the
# template: the letter is the debtor's to read, the e-mail only points to it.
_ATTACHED = {Language.FR: "Vous trouverez notre courrier en pièce jointe à ce message, au "
                          "format PDF.",
             Language.EN: "You will find our letter attached to this message, as a PDF."}


def _email_fr(template: str, f: MessageFacts, attached: bool) -> Composed:
    fr = Language.FR
    due = formatting.long_date(f.earliest_due_date, fr)
    inv = _invoices(f.invoice_numbers, fr)
    total = _money(f, fr)
    by = _by_deadline(f, fr)
    them = "les factures" if _plural(f) else "la facture"
    soe = "Sauf erreur ou omission de notre part, "
    if template == "pre_due":
        subject = f"Rappel amical : {inv} à échéance le {due} – {f.creditor_name}"
        body = [f"Nous vous rappelons que {them} ci-dessous, d'un montant de {total}, "
                f"{'arrivent' if _plural(f) else 'arrive'} à échéance le {due}.",
                "Si vous avez déjà effectué ce règlement, nous vous en remercions."]
        crossing, due_label = False, True
    elif template == "due_today":
        subject = f"{_upper_first(inv)} à échéance aujourd'hui – {f.creditor_name}"
        body = [f"{soe}{them} ci-dessous, d'un montant de {total}, "
                f"{'arrivent' if _plural(f) else 'arrive'} à échéance aujourd'hui, le {due}.",
                "Nous vous remercions de bien vouloir procéder à "
                f"{'leur' if _plural(f) else 'son'} règlement{by}."]
        crossing, due_label = True, False
    elif template == "overdue_1":
        fallen = "échues" if _plural(f) else "échue"
        subject = f"Relance : {inv} {fallen} le {due} – {f.creditor_name}"
        body = [f"{soe}{them} ci-dessous, {'échues' if _plural(f) else 'échue'} depuis le "
                f"{due}, {'restent impayées' if _plural(f) else 'reste impayée'} à ce jour. "
                "Il s'agit peut-être d'un simple oubli.",
                f"Nous vous remercions de bien vouloir régler la somme de {total}{by}."]
        crossing, due_label = True, True
    elif template == "overdue_2":
        subject = f"Deuxième relance : {inv} – {f.creditor_name}"
        body = [f"{soe}{them} ci-dessous, {'échues' if _plural(f) else 'échue'} depuis le "
                f"{due}, {'restent impayées' if _plural(f) else 'reste impayée'} malgré notre "
                "précédent rappel.",
                f"Nous vous demandons de bien vouloir régler la somme de {total}{by}."]
        if not f.consumer:
            body.append("Nous vous rappelons qu'entre professionnels, tout retard de paiement "
                        "fait courir de plein droit les pénalités de retard et l'indemnité "
                        "forfaitaire prévues à l'article L441-10 du Code de commerce.")
        crossing, due_label = True, True
    elif template == "letter_sent":
        subject = f"Courrier de relance : {inv} – {f.creditor_name}"
        body = [f"Nous vous avons adressé ce jour un courrier postal au sujet {_of_invoices(f)}, "
                f"{'échues' if _plural(f) else 'échue'} depuis le {due}.",
                f"{soe}la somme de {total} reste due à ce jour. Nous vous remercions de "
                f"bien vouloir la régler{by}."]
        crossing, due_label = True, True
    elif template == "formal_notice_sent":
        subject = f"Mise en demeure envoyée : {inv} – {f.creditor_name}"
        body = [f"Nous vous avons adressé ce jour, par lettre recommandée avec accusé de "
                f"réception, une mise en demeure de régler la somme de {total} au titre "
                f"{_of_invoices(f)}, {'échues' if _plural(f) else 'échue'} depuis le {due}.",
                f"{soe}cette somme reste due à ce jour. Nous vous remercions de bien vouloir "
                f"la régler{by if by else ' dans le délai indiqué par ce courrier'}.",
                "Nous restons disposés à examiner toute proposition de règlement."]
        crossing, due_label = True, True
    else:  # pragma: no cover - compose checks the name first
        raise AssertionError(template)
    body += [_ATTACHED[fr]] if attached else []
    text = [f"Bonjour {f.debtor_name},", "", *body, "", _pay_line(f, fr), "",
            *_details(f, fr, due_label=due_label), "", *_closing(f, fr, crossing=crossing)]
    return Composed(subject.replace(" : ", _FR_SEP), "\n".join(text) + "\n")


def _email_en(template: str, f: MessageFacts, attached: bool) -> Composed:
    en = Language.EN
    due = formatting.long_date(f.earliest_due_date, en)
    inv = _invoices(f.invoice_numbers, en)
    total = _money(f, en)
    by = _by_deadline(f, en)
    them = "the invoices below" if _plural(f) else "the invoice below"
    soe = "Unless we are mistaken, "
    if template == "pre_due":
        subject = f"Friendly reminder: {inv} due on {due} – {f.creditor_name}"
        body = [f"This is a reminder that {them}, amounting to {total}, "
                f"{'fall' if _plural(f) else 'falls'} due on {due}.",
                "If you have already paid, thank you."]
        crossing, due_label = False, True
    elif template == "due_today":
        subject = f"{_upper_first(inv)} due today – {f.creditor_name}"
        body = [f"{soe}{them}, amounting to {total}, {'fall' if _plural(f) else 'falls'} "
                f"due today, {due}.",
                f"We would be grateful if you would pay {'them' if _plural(f) else 'it'}{by}."]
        crossing, due_label = True, False
    elif template == "overdue_1":
        subject = f"Reminder: {inv} due on {due} – {f.creditor_name}"
        body = [f"{soe}{them}, due on {due}, {'remain' if _plural(f) else 'remains'} unpaid "
                "to date. This may simply be an oversight.",
                f"We would be grateful if you would pay the sum of {total}{by}."]
        crossing, due_label = True, True
    elif template == "overdue_2":
        subject = f"Second reminder: {inv} – {f.creditor_name}"
        body = [f"{soe}{them}, due on {due}, {'remain' if _plural(f) else 'remains'} unpaid "
                "despite our previous reminder.",
                f"We ask you to pay the sum of {total}{by}."]
        if not f.consumer:
            body.append("Between businesses, any late payment entitles us by law to late-"
                        "payment penalties and to the fixed indemnity of article L441-10 of "
                        "the French Commercial Code.")
        crossing, due_label = True, True
    elif template == "letter_sent":
        subject = f"Reminder letter: {inv} – {f.creditor_name}"
        body = [f"We have today sent you a letter by post about {inv}, due on {due}.",
                f"{soe}the sum of {total} remains due to date. We would be grateful if you "
                f"would pay it{by}."]
        crossing, due_label = True, True
    elif template == "formal_notice_sent":
        subject = f"Formal notice sent: {inv} – {f.creditor_name}"
        body = [f"We have today sent you, by registered letter with acknowledgement of "
                f"receipt, a formal notice to pay the sum of {total} for {inv}, due on {due}.",
                f"{soe}this sum remains due to date. We would be grateful if you would pay "
                f"it{by if by else ' within the time that letter gives'}.",
                "We remain open to any proposal for payment."]
        crossing, due_label = True, True
    else:  # pragma: no cover - compose checks the name first
        raise AssertionError(template)
    body += [_ATTACHED[en]] if attached else []
    text = [f"Dear {f.debtor_name},", "", *body, "", _pay_line(f, en), "",
            *_details(f, en, due_label=due_label), "", *_closing(f, en, crossing=crossing)]
    return Composed(subject, "\n".join(text) + "\n")


def _known(template: str) -> None:
    if template not in MESSAGE_TEMPLATES:
        raise ValueError(f"no message template {template!r}")


def compose(template: str, language: Language, facts: MessageFacts, *,
            attached: bool = False) -> Composed:
    """The e-mail of `template` in `language` (plain text); `attached`: it carries the
    step's letter, which it says. Raises ValueError for a name that is not in
    MESSAGE_TEMPLATES."""
    _known(template)
    if language is Language.FR:
        return _email_fr(template, facts, attached)
    return _email_en(template, facts, attached)


# --- the SMS --------------------------------------------------------------------------------


def _sms_money(facts: MessageFacts, language: Language) -> str:
    return to_gsm7(formatting.money(facts.total_due, facts.currency, language))


def _sms_invoices(facts: MessageFacts, language: Language, *, listed: bool) -> str:
    if listed:
        return to_gsm7(_invoices(facts.invoice_numbers, language))
    count = len(facts.invoice_numbers)
    if language is Language.FR:
        return "1 facture" if count == 1 else f"{count} factures"
    return "1 invoice" if count == 1 else f"{count} invoices"


# Each SMS, per language: the words around the facts ({creditor}, {total}, {inv}, {due},
# {by}, {ref}, {crossing}); one rendering below for every language.
_SMS_WORDS: dict[Language, dict[str, str]] = {
    Language.FR: {
        "crossing": " Si vous avez déjà réglé, merci de ne pas tenir compte de ce message.",
        "by": " avant le {deadline}",
        "pre_due": "{creditor}: rappel, {total} à régler le {due} ({inv}). Référence de "
                   "virement: {ref}. Si c'est déjà fait, merci.",
        "due_today": "{creditor}: sauf erreur, {total} à régler ce jour ({inv}). "
                     "Référence de virement: {ref}.{crossing}",
        "overdue_1": "{creditor}: sauf erreur, {total} restent dus ({inv}, échéance {due}). "
                     "Merci de régler{by} avec la référence {ref}.{crossing}",
        "overdue_2": "{creditor}: sauf erreur, {total} restent dus ({inv}, échéance {due}) "
                     "malgré notre rappel. Merci de régler{by} avec la référence "
                     "{ref}.{crossing}",
        "letter_sent": "{creditor}: nous vous avons écrit par courrier au sujet de {total} "
                       "restant dus ({inv}). Référence de virement: {ref}.{crossing}",
        "formal_notice_sent": "{creditor}: une mise en demeure vous a été envoyée par lettre "
                              "recommandée pour {total} ({inv}). Référence de virement: "
                              "{ref}.{crossing}",
    },
    Language.EN: {
        "crossing": " If you have already paid, please disregard this message.",
        "by": " by {deadline}",
        "pre_due": "{creditor}: reminder, {total} is due on {due} ({inv}). Transfer "
                   "reference: {ref}. If already paid, thank you.",
        "due_today": "{creditor}: unless we are mistaken, {total} is due today ({inv}). "
                     "Transfer reference: {ref}.{crossing}",
        "overdue_1": "{creditor}: unless we are mistaken, {total} is unpaid ({inv}, due on "
                     "{due}). Please pay{by} quoting {ref}.{crossing}",
        "overdue_2": "{creditor}: unless we are mistaken, {total} is still unpaid ({inv}, due "
                     "on {due}) despite our reminder. Please pay{by} quoting {ref}.{crossing}",
        "letter_sent": "{creditor}: we have written to you by post about {total} still due "
                       "({inv}). Transfer reference: {ref}.{crossing}",
        "formal_notice_sent": "{creditor}: a formal notice for {total} ({inv}) was sent to "
                              "you by registered letter. Transfer reference: {ref}.{crossing}",
    },
}


def _sms_date(day: date, language: Language) -> str:
    # French SMS keep dates short (10/12/2026); English ones spell the month out.
    if language is Language.FR:
        return formatting.short_date(day, language)
    return formatting.long_date(day, language)


def _sms_words(template: str, f: MessageFacts, language: Language, *, listed: bool,
               contact: bool, creditor: str) -> str:
    words = _SMS_WORDS[language]
    by = words["by"].format(deadline=_sms_date(f.deadline, language)) if f.deadline else ""
    text = words[template].format(
        creditor=creditor, total=_sms_money(f, language),
        inv=_sms_invoices(f, language, listed=listed),
        due=_sms_date(f.earliest_due_date, language), by=by, ref=f.payment_reference,
        crossing=words["crossing"])
    if contact and f.contact_line:
        text += f" Contact: {to_gsm7(f.contact_line)}"
    return text


CREDITOR_NAME_SMS = 40  # a longer trade name is cut: the SMS must still name its sender


def sms_text(template: str, language: Language, facts: MessageFacts) -> str:
    """The SMS of `template` in `language`, GSM-7 only, within SMS_MAX_SEPTETS.

    When the full text is too long it gives up, in this order: the contact line, the list
    of invoice numbers (their count stays), then the end of the creditor's name."""
    _known(template)
    full_name = to_gsm7(facts.creditor_name).strip()
    creditor = full_name if len(full_name) <= CREDITOR_NAME_SMS else (
        full_name[:CREDITOR_NAME_SMS - 3].rstrip() + "...")
    text = ""
    for listed, contact in ((True, True), (True, False), (False, False)):
        text = _sms_words(template, facts, language, listed=listed, contact=contact,
                          creditor=creditor)
        if gsm7_septets(text) <= SMS_MAX_SEPTETS:
            return text
    raise ValueError(f"the {template} SMS does not fit {SMS_MAX_SEPTETS} septets "
                     f"({gsm7_septets(text)})")
