"""E-mail addresses: syntax and normalisation by `email-validator`, plus the judgements a
collector needs (shared mailboxes, no-reply, disposable and placeholder domains, typos).

Decisions:
- Normalised form: the local part as written (it is case-sensitive, RFC 5321 §2.4; only
  the RFC 2142 mailbox names such as "Info" or "Postmaster", case-insensitive by definition,
  are lower-cased by the library), the domain lower-cased and in its Unicode form for
  display. When the domain is internationalised, the message gives the ASCII (punycode)
  form that mail servers see and the reason "internationalized_domain" is added.
- A non-ASCII local part needs SMTPUTF8, which many sending services do not offer: risky.
- Shared mailboxes (ROLE_ACCOUNTS) are "risky" for a consumer debtor (a reminder about a
  private debt must not land in a shared inbox) and "valid" for a business debtor (the
  accounts department is exactly who should get it); the reason "role_account" is given
  in both cases. No-reply mailboxes (NO_REPLY_ACCOUNTS) are risky for everyone: nobody
  reads them.
- Domains reserved for documentation (RFC 2606: example.com/.net/.org and their
  subdomains) are invalid; placeholder domains people type to get past a form (test.com,
  domain.com...) and disposable-mailbox services are risky.
- No network unless check_deliverability=True: then the domain's MX (or A/AAAA fallback)
  is looked up through email-validator; a domain that does not exist or accepts no mail is
  invalid ("undeliverable"); a DNS failure or timeout leaves the address "unverified".
- "Jean Dupont <jean@exemple.fr>" is accepted: the display name is dropped and reported.
"""

from __future__ import annotations

import re

import email_validator
from email_validator import EmailNotValidError, EmailUndeliverableError

from domain.debtors.contacts._common import (
    INVALID,
    MAX_VALUE_LENGTH,
    RISKY,
    UNVERIFIED,
    VALID,
    ContactCheck,
    dedupe,
    scan_text,
    strip_accents,
    total_contact_check,
)
from domain.debtors.model import ContactKind, DebtorKind

_KIND = ContactKind.EMAIL

# Seconds allowed for the DNS look-up when deliverability is checked.
DNS_TIMEOUT_SECONDS = 5

# Shared mailboxes, matched on the whole local part (lower-cased, accents removed, any
# "+tag" dropped). French and English names seen on invoices and company websites.
ROLE_ACCOUNTS: frozenset[str] = frozenset("""
    accounting accounts accountspayable achat achats accueil admin administrateur
    administratif administration assistance billing bonjour bureau client clients commande
    commandes commercial commerciale communication compta comptabilite comptable
    comptabilite.fournisseurs contact contacts courrier customerservice devis direction
    equipe facturation facture factures finance finances fournisseurs gestion hello help
    helpdesk hostmaster hr info infos information informations invoice invoices it juridique
    legal mail marketing office paiement paiements payment payments postmaster presse press
    purchasing reception recouvrement recrutement reglement reglements rh sales sav
    secretariat service.client service-client service_client serviceclient services
    standard support team vente ventes webmaster abuse root jobs newsletter
""".split())

NO_REPLY_ACCOUNTS: frozenset[str] = frozenset("""
    noreply no-reply no_reply no.reply donotreply do-not-reply do_not_reply do.not.reply
    nepasrepondre ne-pas-repondre ne_pas_repondre ne.pas.repondre mailer-daemon bounce bounces
""".split())

# RFC 2606 §3: reserved for documentation, never delivered.
RESERVED_DOMAINS: frozenset[str] = frozenset({"example.com", "example.net", "example.org"})

# Placeholders typed to get past a form.
PLACEHOLDER_DOMAINS: frozenset[str] = frozenset({
    "test.com", "test.fr", "test.org", "test.net", "domain.com", "domaine.fr", "domaine.com",
    "exemple.fr", "exemple.com", "email.test", "yourdomain.com", "votredomaine.fr",
    "nomail.com", "noemail.com", "pasdemail.fr", "aucun.fr", "none.com", "invalid.com",
    "fake.com", "xxx.fr",
})

# Disposable-mailbox services (addresses that live minutes or hours).
DISPOSABLE_DOMAINS: frozenset[str] = frozenset({
    "yopmail.com", "yopmail.fr", "yopmail.net", "cool.fr.nf", "jetable.fr.nf", "courriel.fr.nf",
    "moncourrier.fr.nf", "monemail.fr.nf", "monmail.fr.nf", "nospam.ze.tc", "nomail.xl.cx",
    "mega.zik.dj", "speed.1s.fr", "jetable.org", "jetable.com", "mailinator.com",
    "guerrillamail.com", "guerrillamail.info", "guerrillamail.net", "sharklasers.com",
    "10minutemail.com", "temp-mail.org", "tempmail.com", "trashmail.com", "trashmail.fr",
    "throwawaymail.com", "maildrop.cc", "getnada.com", "dispostable.com", "mailnesia.com",
    "mytrashmail.com", "fakeinbox.com", "discard.email", "tempr.email", "mohmal.com",
    "emailondeck.com", "mintemail.com", "spamgourmet.com", "mailcatch.com",
})

# Frequent typos of consumer mail domains, with the intended domain.
DOMAIN_TYPOS: dict[str, str] = {
    "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gamil.com": "gmail.com",
    "gmail.co": "gmail.com", "gmail.fr": "gmail.com", "gmaill.com": "gmail.com",
    "gmail.con": "gmail.com", "gnail.com": "gmail.com",
    "hotmial.com": "hotmail.com", "hotmai.com": "hotmail.com", "hotmail.co": "hotmail.com",
    "hotmial.fr": "hotmail.fr", "hotmai.fr": "hotmail.fr", "hotmail.frr": "hotmail.fr",
    "yahoo.fe": "yahoo.fr", "yahou.fr": "yahoo.fr", "yaho.fr": "yahoo.fr",
    "wanadoo.com": "wanadoo.fr", "wanado.fr": "wanadoo.fr", "orange.fe": "orange.fr",
    "orage.fr": "orange.fr", "free.com": "free.fr", "sfr.com": "sfr.fr",
    "laposte.fr": "laposte.net", "outlok.fr": "outlook.fr", "outlok.com": "outlook.com",
    "icloud.fr": "icloud.com",
}

_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def _result(status: str, normalized: str | None, reasons: list[str], message: str,
            changes: list[str]) -> ContactCheck:
    return ContactCheck(kind=_KIND, status=status, normalized=normalized,
                        reasons=dedupe(reasons), message=message,
                        channels=("email",) if status in (VALID, RISKY) else (),
                        changes=tuple(changes))


def _invalid(reasons: list[str], message: str, changes: list[str],
             normalized: str | None = None) -> ContactCheck:
    return _result(INVALID, normalized, reasons, message, changes)


def _syntax_reason(message: str) -> str:
    if "special-use or reserved name" in message:
        return "reserved_domain"
    if "before the @-sign" in message and "There must be something" in message:
        return "empty_local_part"
    if "after the @-sign" in message and "There must be something" in message:
        return "empty_domain"
    return "invalid_syntax"


def _mailbox_key(local_part: str) -> str:
    base = local_part.split("+", 1)[0]
    return strip_accents(base).lower()


def _is_under(domain: str, parents: frozenset[str]) -> str | None:
    """The member of `parents` that is `domain` or one of its parent domains."""
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in parents:
            return candidate
    return None


@total_contact_check(_KIND)
def check_email(value: str, debtor_kind: DebtorKind, *,
                check_deliverability: bool = False) -> ContactCheck:
    """Validate and normalise an e-mail address for a debtor of `debtor_kind`. No network
    access unless `check_deliverability` is true."""
    if not isinstance(value, str):
        return _invalid(["invalid_type"], "The e-mail address must be a string.", [])
    if len(value) > MAX_VALUE_LENGTH:
        return _invalid(["too_long"], f"The e-mail address is {len(value)} characters long, more "
                                      f"than the {MAX_VALUE_LENGTH} accepted.", [])
    scan = scan_text(value)
    changes = list(scan.notes)
    if scan.problems:
        return _invalid(list(scan.problems), f"The e-mail address is refused: {scan.detail}.",
                        changes)
    text = scan.text.strip()
    if text != scan.text:
        changes.append("surrounding spaces removed")
    if _MAILTO.match(text):
        text = text[7:].strip()
        changes.append("'mailto:' prefix removed")
    if not text:
        return _invalid(["empty"], "The e-mail address is empty.", changes)
    if "@" not in text:
        return _invalid(["missing_at"], f"{text[:60]!r} is not an e-mail address: it has no "
                                        "'@'.", changes)
    try:
        validated = email_validator.validate_email(
            text, check_deliverability=False, allow_display_name=True, allow_smtputf8=True,
            allow_quoted_local=False, allow_domain_literal=False, globally_deliverable=True,
            strict=True,  # RFC 5321 §4.5.3.1.1: local part of 64 octets at most
        )
    except EmailNotValidError as exc:
        detail = str(exc)
        return _invalid([_syntax_reason(detail)],
                        f"{text[:60]!r} is not a valid e-mail address: {detail}", changes)

    normalized = validated.normalized
    domain = validated.domain
    if validated.display_name:
        changes.append(f"display name {validated.display_name!r} removed, address kept")
    if not validated.display_name:
        given_local, _, given_domain = text.rpartition("@")
        if given_local != validated.local_part:
            changes.append(f"mailbox {given_local!r} written {validated.local_part!r} (RFC 2142 "
                           "names are case-insensitive)")
        if given_domain != domain:
            changes.append(f"domain {given_domain!r} written {domain!r} (domains are "
                           "case-insensitive; lower case, Unicode form)")

    invalid: list[str] = []
    risky: list[str] = []
    info: list[str] = []
    notes: list[str] = []

    reserved = _is_under(domain, RESERVED_DOMAINS)
    if reserved:
        invalid.append("reserved_domain")
        notes.append(f"{reserved} is reserved for documentation (RFC 2606) and receives no mail")
    elif domain in PLACEHOLDER_DOMAINS:
        risky.append("placeholder_domain")
        notes.append(f"{domain} looks like a placeholder typed to fill a form")
    elif _is_under(domain, DISPOSABLE_DOMAINS):
        risky.append("disposable_domain")
        notes.append(f"{domain} is a disposable-mailbox service")
    elif domain in DOMAIN_TYPOS:
        risky.append("domain_typo")
        notes.append(f"{domain} is probably a typo for {DOMAIN_TYPOS[domain]}")

    key = _mailbox_key(validated.local_part)
    if key in NO_REPLY_ACCOUNTS:
        risky.append("no_reply")
        notes.append(f"'{validated.local_part}' is a no-reply mailbox that nobody reads")
    elif key in ROLE_ACCOUNTS:
        if debtor_kind == DebtorKind.CONSUMER:
            risky.append("role_account")
            notes.append(f"'{validated.local_part}' is a shared mailbox, not the consumer's own")
        else:
            info.append("role_account")
            notes.append(f"'{validated.local_part}' is a shared mailbox, fine for a business")

    if validated.smtputf8:
        risky.append("smtputf8_required")
        notes.append("its non-ASCII local part needs SMTPUTF8, which many mail services refuse")
    if validated.ascii_domain and validated.ascii_domain != domain:
        info.append("internationalized_domain")
        notes.append(f"the domain is sent as {validated.ascii_domain}")
        if _mixes_scripts(domain):
            risky.append("confusable_domain")
            notes.append("its domain mixes alphabets (e.g. Cyrillic letters that look Latin), "
                         "a classic way to imitate a known domain (Unicode TS #39)")

    status = INVALID if invalid else RISKY if risky else VALID

    if check_deliverability and status != INVALID:
        status, notes_dns, reasons_dns = _deliverability(validated.ascii_domain or domain,
                                                         domain, status)
        notes.extend(notes_dns)
        if status == INVALID:
            invalid.extend(reasons_dns)
        else:
            info.extend(reasons_dns)

    reasons = invalid + risky + info
    what = {VALID: "Valid", RISKY: "Risky", INVALID: "Invalid", UNVERIFIED: "Unverified"}[status]
    message = f"{what} e-mail address {normalized}" + (": " + "; ".join(notes) if notes else "")
    if not notes and status == VALID and not check_deliverability:
        message += " (syntax checked, deliverability not checked)"
    return _result(status, normalized, reasons, message + ".", changes)


def _deliverability(ascii_domain: str, domain: str, status: str) -> tuple[str, list[str],
                                                                           list[str]]:
    """Look the domain up in DNS through email-validator. Returns the new status, notes and
    reasons."""
    from email_validator.deliverability import validate_email_deliverability

    try:
        info = validate_email_deliverability(ascii_domain, domain, timeout=DNS_TIMEOUT_SECONDS)
    except EmailUndeliverableError as exc:
        return INVALID, [str(exc).rstrip(".")], ["undeliverable"]
    except Exception as exc:  # a resolver failure must not fail the check
        return (UNVERIFIED if status == VALID else status,
                [f"the DNS look-up failed ({type(exc).__name__})"], ["dns_unavailable"])
    unknown = info.get("unknown-deliverability")
    if unknown:
        return (UNVERIFIED if status == VALID else status,
                [f"the DNS look-up did not conclude ({unknown})"], ["dns_unavailable"])
    mx = info.get("mx") or []
    first = mx[0][1] if mx else domain
    return status, [f"the domain accepts mail (MX {first})"], []


def _scripts(label: str) -> set[str]:
    """The alphabets of a label's letters, by the first word of their Unicode names."""
    import unicodedata

    return {unicodedata.name(ch, "UNKNOWN").split(" ")[0] for ch in label if ch.isalpha()}


def _mixes_scripts(domain: str) -> bool:
    """True when the domain's letters are not all of one alphabet (its TLD included): a
    Cyrillic 'аррӏе' under '.com' imitates 'apple.com'. Single-script IDNs such as
    'élysée.fr' (Latin with accents) or 'пример.рф' (all Cyrillic) pass."""
    scripts = _scripts(domain.replace(".", ""))
    return len(scripts) > 1
