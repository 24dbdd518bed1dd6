"""The evidence dossier: one archive a lawyer, a commissaire de justice or an agency can
work from, and, for an injonction de payer, the request as the Cerfa form asks it.

Pure: given the claim's state and the bytes of its stored pieces, it decides what goes in,
in which order, how the exhibits are numbered and what the manifest says. The same state
gives the same files, byte for byte (no instant, only the day the dossier is made for; keys
sorted), so an unchanged dossier is one stored archive however often it is asked for.

The text a court reads is French (the bordereau, the request, the cover note); the data
files are JSON with the API's own field names. It states facts, never a verdict: what is
missing is listed, whether to go to court is the creditor's decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.amounts.account import ClaimAccount
from domain.amounts.ledger import Statement
from domain.claims.judicial import JudicialRoute
from domain.claims.lifecycle import effective_phase
from domain.claims.model import Claim, ClaimEvent
from domain.creditors.model import Creditor
from domain.debtors.model import ContactKind, ContactPoint, Debtor, DebtorKind
from domain.judicial.documents import ALLOWED_CONTENT_TYPES, DocumentKind, UploadedDocument
from domain.judicial.statement import JudicialStatement
from domain.letters.formatting import money
from domain.letters.model import Letter, LetterKind, Proof, ProofKind
from domain.shared.language import Language

# The optional Cerfa forms of the request (reference: judicial.md §1, [2ary]): the form a
# greffe offers, whose fields the request data follows. TC for commerçants and sociétés
# commerciales (C. com. L721-3), otherwise the president of the tribunal judiciaire.
CERFA = {"TC": "12946*02", "TJ": "12948*06"}
COURT_NAMES = {"TC": "tribunal de commerce", "TJ": "tribunal judiciaire"}

# The pieces a request lists in its bordereau (CPC 1407), in the order the greffes ask for
# them: the contract and its terms, the order, the delivery, the invoices, then the rest.
EXHIBIT_ORDER = (DocumentKind.CONTRACT, DocumentKind.TERMS_OF_SALE, DocumentKind.ORDER,
                 DocumentKind.DELIVERY_PROOF, DocumentKind.INVOICE, DocumentKind.OTHER)
KIND_TITLES = {
    DocumentKind.CONTRACT: "Contrat",
    DocumentKind.TERMS_OF_SALE: "Conditions générales de vente",
    DocumentKind.ORDER: "Bon de commande",
    DocumentKind.DELIVERY_PROOF: "Preuve de livraison ou d'exécution",
    DocumentKind.INVOICE: "Facture",
    DocumentKind.OTHER: "Autre pièce",
}
LETTER_TITLES = {
    LetterKind.REMINDER_1: "Lettre de relance",
    LetterKind.REMINDER_2: "Seconde lettre de relance",
    LetterKind.FORMAL_NOTICE: "Mise en demeure",
    LetterKind.PAYMENT_PLAN_AGREEMENT: "Échéancier proposé",
}
PROOF_TITLES = {
    ProofKind.DEPOSIT: "preuve de dépôt",
    ProofKind.ACKNOWLEDGEMENT: "avis de réception",
    ProofKind.RETURN: "avis de pli non distribué",
}
PROOF_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

MANIFEST = "manifest.json"
DISPUTE_ACTIONS = ("open_dispute", "resolve_dispute")


@dataclass(frozen=True, slots=True)
class StoredBytes:
    """A stored piece as it was read, without its bytes: their size and SHA-256, taken as
    they streamed by, and `ref`, where the archive writer kept them (its own handle). A
    dossier of many 25 MiB pieces is never held whole in memory."""

    size: int
    sha256: str
    ref: object = None


@dataclass(frozen=True, slots=True)
class DossierFile:
    path: str
    content_type: str
    body: bytes = b""
    # A stored piece read as a stream: its bytes are where they were kept, not in `body`.
    stored: StoredBytes | None = None

    @property
    def sha256(self) -> str:
        if self.stored is not None:
            return self.stored.sha256
        return hashlib.sha256(self.body).hexdigest()

    @property
    def size(self) -> int:
        return self.stored.size if self.stored is not None else len(self.body)


@dataclass(frozen=True, slots=True)
class Exhibit:
    """One numbered piece of the bordereau: what it is and the file that holds it."""

    number: int
    title: str
    path: str
    object_key: str
    content_type: str
    sha256: str | None  # as recorded when it was stored; the manifest has the file's own


@dataclass(frozen=True, slots=True)
class DossierInput:
    creditor: Creditor
    debtor: Debtor
    claim: Claim
    account: ClaimAccount
    statement: Statement
    letters: Sequence[Letter]
    documents: Sequence[UploadedDocument]
    events: Sequence[ClaimEvent]
    made_on: date
    # The statement's judicial section: interest since a judgment, the proceeding's costs
    # by who bears them (domain.judicial.statement).
    judicial: JudicialStatement | None = None
    route: JudicialRoute | None = JudicialRoute.INJONCTION_DE_PAYER
    court_type: str | None = None  # TC or TJ; None: from the debtor (see `court_type`)


def sent_letters(letters: Sequence[Letter]) -> list[Letter]:
    """The letters that went out (a dispatch recorded), the earliest requested first: a
    letter never posted proves nothing to a court."""
    return sorted((x for x in letters if x.dispatch is not None and x.object_key),
                  key=lambda x: (x.requested_at, x.id))


def _proofs(letter: Letter) -> list[Proof]:
    return sorted(letter.proofs, key=lambda p: (p.received_at, p.object_key))


def exhibits(data: DossierInput) -> list[Exhibit]:
    """The bordereau: uploaded pieces in EXHIBIT_ORDER (invoices in the claim's order),
    then every letter sent, each followed by its proofs, numbered from 1."""
    invoice_rank = {inv.number: i for i, inv in enumerate(data.claim.invoices)}

    def rank(doc: UploadedDocument) -> tuple[int, int, datetime, str]:
        return (EXHIBIT_ORDER.index(doc.kind),
                invoice_rank.get(doc.invoice_number or "", len(invoice_rank)),
                doc.uploaded_at, doc.id)

    found: list[Exhibit] = []

    def add(title: str, slug: str, key: str, content_type: str, sha: str | None) -> None:
        number = len(found) + 1
        extension = PROOF_EXTENSIONS.get(content_type, "bin")
        found.append(Exhibit(number, title, f"pieces/{number:02d}-{slug}.{extension}", key,
                             content_type, sha))

    for doc in sorted(data.documents, key=rank):
        title = KIND_TITLES[doc.kind]
        slug = doc.kind.value
        if doc.invoice_number:
            title += f" n° {doc.invoice_number}" if doc.kind is DocumentKind.INVOICE \
                else f" (facture n° {doc.invoice_number})"
            slug += "-" + _safe(doc.invoice_number)
        add(title, slug, doc.object_key, doc.content_type, doc.sha256)
    for letter in sent_letters(data.letters):
        assert letter.object_key is not None  # sent_letters keeps only stored letters
        when = letter.issued_on.strftime("%d/%m/%Y")
        add(f"{LETTER_TITLES[letter.kind]} du {when}", f"letter-{letter.kind.value}",
            letter.object_key, "application/pdf", letter.sha256)
        for proof in _proofs(letter):
            add(f"{LETTER_TITLES[letter.kind]} du {when} : {PROOF_TITLES[proof.kind]}",
                f"proof-{proof.kind.value}", proof.object_key, proof.content_type,
                proof.sha256)
    return found


def court_type(data: DossierInput) -> str:
    """TC when the debtor is a business with a SIREN, else TJ: a presumption the creditor
    checks (a liberal profession or an association goes to the TJ, C. com. L721-3)."""
    if data.court_type in CERFA:
        return data.court_type
    return "TC" if data.debtor.kind is DebtorKind.BUSINESS and data.debtor.siren else "TJ"


# ------------------------------------------------------------------------ request data

def _postal(debtor: Debtor) -> ContactPoint | None:
    """The debtor's postal address, a valid one first: the court is the debtor's domicile's
    (CPC 1406) and the order is served there."""
    postal = [c for c in debtor.contact_points
              if c.kind is ContactKind.POSTAL_ADDRESS and c.address]
    valid = [c for c in postal if c.validation and c.validation.status == "valid"]
    return (valid or postal)[0] if postal else None


def _address(point: ContactPoint | None) -> dict[str, Any] | None:
    if point is None or point.address is None:
        return None
    a = point.address
    return {"recipient": a.recipient, "lines": list(a.lines), "postal_code": a.postal_code,
            "city": a.city, "country": a.country,
            "validation": point.validation.status if point.validation else "unverified"}


def amounts(data: DossierInput) -> dict[str, Any]:
    """What the request claims, broken down as the form asks: principal, interest (basis,
    rate and period of each line), the fixed indemnity, costs. Only what is due on the
    day: a principal not yet due is not "exigible" and is left out (CPC 1405)."""
    st, cur = data.statement, data.claim.currency
    due = [inv for inv in st.invoices if inv.due_date < st.at]
    principal = sum((i.principal_outstanding for i in due), Decimal(0))
    interest = sum((i.interest_outstanding for i in due), Decimal(0))
    indemnity = sum((i.indemnity.outstanding for i in due), Decimal(0))
    lines = [{"invoice": inv.number, "start": ln.start, "end": ln.end, "days": ln.days,
              "rate": ln.rate, "base": ln.base, "amount": ln.amount, "basis": ln.basis}
             for inv in due for ln in inv.interest_lines]
    regime = ("C. com. L441-10 II (taux BCE + 10 points, plancher 3 fois le taux légal)"
              if data.claim.debtor_kind is DebtorKind.BUSINESS
              else "C. civ. 1231-6 et C. mon. fin. L313-2 (taux légal)")
    return {
        "currency": cur, "as_of": st.at,
        "principal": principal,
        "interest": {"amount": interest, "regime": regime,
                     "accrued": sum((i.interest_accrued for i in due), Decimal(0)),
                     "paid": sum((i.interest_paid for i in due), Decimal(0)), "lines": lines},
        "indemnity": {"amount": indemnity,
                      "basis": "C. com. L441-10 II et D441-5 (40 € par facture)"
                      if indemnity else None},
        # Relance knows no cost the debtor was ordered to bear before a title: the greffe
        # fee and the service costs are added by whoever files.
        "costs": {"amount": Decimal(0), "items": []},
        "total": principal + interest + indemnity,
        "not_yet_due": sum((i.principal_outstanding for i in st.invoices
                            if i.due_date >= st.at), Decimal(0)),
    }


def legal_basis(data: DossierInput) -> list[str]:
    basis = ["C. civ. 1103 (force obligatoire du contrat)",
             "C. civ. 1353 (preuve de l'obligation)",
             "CPC 1405 à 1425 (injonction de payer)"]
    if data.claim.debtor_kind is DebtorKind.BUSINESS:
        basis.append("C. com. L441-10 (pénalités de retard et indemnité forfaitaire)")
    else:
        basis.append("C. civ. 1231-6 (intérêts moratoires au taux légal)")
    if data.account.formal_notice_on is not None:
        basis.append("C. civ. 1344 (mise en demeure du "
                     f"{data.account.formal_notice_on.strftime('%d/%m/%Y')})")
    return basis


def request_data(data: DossierInput, pieces: Sequence[Exhibit],
                 hashes: Mapping[str, str]) -> dict[str, Any]:
    """The request for an injonction de payer, field by field as the Cerfa asks it: the
    court, the parties (CPC 54 and 57: name, SIREN, seat), the amount with its breakdown,
    the legal basis and the bordereau of exhibits (CPC 1407)."""
    kind = court_type(data)
    creditor, debtor = data.creditor, data.debtor
    return {
        "form": {"cerfa": CERFA[kind], "court_type": kind},
        "court": {"type": kind, "name": COURT_NAMES[kind],
                  "territorial_rule": "domicile du débiteur (CPC 1406), d'ordre public",
                  "debtor_postal_code": (_address(_postal(debtor)) or {}).get("postal_code"),
                  "debtor_city": (_address(_postal(debtor)) or {}).get("city")},
        "creditor": {"legal_name": creditor.legal_name, "siren": creditor.siren,
                     "address": {"lines": list(creditor.address.lines),
                                 "postal_code": creditor.address.postal_code,
                                 "city": creditor.address.city,
                                 "country": creditor.address.country},
                     "signatory": creditor.signatory},
        "debtor": {"name": debtor.name, "kind": debtor.kind.value, "siren": debtor.siren,
                   "vat_number": debtor.vat_number, "address": _address(_postal(debtor))},
        "claim": {"id": data.claim.id, "reference": data.claim.external_reference,
                  "invoices": [{"number": i.number, "issue_date": i.issue_date,
                                "due_date": i.due_date, "amount": i.amount}
                               for i in data.claim.invoices]},
        "amount": amounts(data),
        "legal_basis": legal_basis(data),
        "exhibits": [{"number": p.number, "title": p.title, "file": p.path,
                      "sha256": hashes[p.path]} for p in pieces],
        "made_on": data.made_on,
    }


def request_text(request: Mapping[str, Any], language: Language = Language.FR) -> str:
    """The request data as a person reads it, to copy into the form."""
    amount, cur = request["amount"], request["amount"]["currency"]
    creditor, debtor, court = request["creditor"], request["debtor"], request["court"]

    def eur(value: Decimal) -> str:
        return money(value, cur, language)

    out = [f"REQUÊTE EN INJONCTION DE PAYER — Cerfa n° {request['form']['cerfa']}",
           f"Juridiction : président du {court['name']} du lieu du domicile du débiteur"
           f" ({court['debtor_postal_code'] or '?'} {court['debtor_city'] or '?'})", "",
           "CRÉANCIER (demandeur)",
           f"  {creditor['legal_name']}, SIREN {creditor['siren']}",
           "  " + ", ".join([*creditor['address']['lines'],
                             f"{creditor['address']['postal_code']} "
                             f"{creditor['address']['city']}"]), "",
           "DÉBITEUR (défendeur)",
           f"  {debtor['name']}" + (f", SIREN {debtor['siren']}" if debtor["siren"] else "")]
    address = debtor["address"]
    out.append("  " + (", ".join([*address["lines"], f"{address['postal_code']} "
                                  f"{address['city']}"]) + f" (adresse : {address['validation']})"
                       if address else "adresse postale inconnue : à compléter"))
    out += ["", f"SOMMES RÉCLAMÉES au {amount['as_of'].strftime('%d/%m/%Y')}",
            f"  Principal : {eur(amount['principal'])}",
            f"  Intérêts de retard : {eur(amount['interest']['amount'])}"
            f" ({amount['interest']['regime']})"]
    for line in amount["interest"]["lines"]:
        out.append(f"    facture {line['invoice']} : {eur(line['base'])} à "
                   f"{line['rate']} % du {line['start'].strftime('%d/%m/%Y')} au "
                   f"{line['end'].strftime('%d/%m/%Y')} ({line['days']} jours) = "
                   f"{eur(line['amount'])}")
    if amount["indemnity"]["amount"]:
        out.append(f"  Indemnité forfaitaire pour frais de recouvrement : "
                   f"{eur(amount['indemnity']['amount'])} ({amount['indemnity']['basis']})")
    out += [f"  Frais : {eur(amount['costs']['amount'])}",
            f"  TOTAL : {eur(amount['total'])}", "", "FONDEMENT"]
    out += [f"  {basis}" for basis in request["legal_basis"]]
    out += ["", "BORDEREAU DES PIÈCES (CPC 1407)"]
    out += [f"  Pièce n° {p['number']} : {p['title']}" for p in request["exhibits"]]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------ the dossier

def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:40]


def plain(value: Any) -> Any:
    """Dataclasses, enums, dates and Decimals as JSON values (Decimals as strings: money
    is never a float)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _judicial(section: JudicialStatement | None) -> dict[str, Any] | None:
    """The statement's judicial section as the court reads it: the judgment's interest and
    each cost with who bears it (the proceeding itself is in the timeline)."""
    if section is None:
        return None
    return {"judgment": section.judgment,
            "costs": [{"cost": line.cost, "bearer": line.bearer, "basis": line.basis}
                      for line in section.costs],
            "costs_debtor_may_bear": section.costs_debtor_may_bear,
            "costs_left_to_creditor": section.costs_left_to_creditor}


def _json(value: Any) -> bytes:
    return (json.dumps(plain(value), ensure_ascii=False, indent=2, sort_keys=True)
            + "\n").encode()


def parties(data: DossierInput) -> dict[str, Any]:
    return {"creditor": plain(data.creditor) | {"iban": None, "bic": None,
                                               "contact_windows": None},
            "debtor": {"id": data.debtor.id, "kind": data.debtor.kind.value,
                       "name": data.debtor.name, "siren": data.debtor.siren,
                       "vat_number": data.debtor.vat_number, "country": data.debtor.country,
                       "contacts": [plain(c) for c in data.debtor.contact_points],
                       "collective_proceedings": plain(data.debtor.collective_proceedings)}}


def commitments(account: ClaimAccount) -> dict[str, Any]:
    """Promises and plans and how they ended (kept, broken, completed, defaulted)."""
    plans = [*account.earlier_plans, *([account.plan] if account.plan else [])]
    return {"promises": [plain(p) for p in account.promises],
            "plans": [plain(p) for p in plans],
            "current_plan_status": plain(account.plan_status)}


def disputes(claim: Claim, events: Sequence[ClaimEvent]) -> dict[str, Any]:
    return {"disputed_invoices": list(claim.disputed_invoices),
            "events": [plain(e) for e in events if e.action in DISPUTE_ACTIONS]}


def letters_summary(letters: Sequence[Letter], pieces: Sequence[Exhibit]) -> list[Any]:
    number_of = {p.object_key: p.number for p in pieces}
    return [plain(x) | {"exhibit": number_of.get(x.object_key or ""),
                        "proof_exhibits": [number_of.get(p.object_key) for p in _proofs(x)]}
            for x in sorted(letters, key=lambda x: (x.requested_at, x.id))]


def cover_note(data: DossierInput, pieces: Sequence[Exhibit], paths: Sequence[str],
               request: Mapping[str, Any] | None,
               differing: Mapping[str, str] | None = None) -> str:
    """The first page a lawyer reads: who, how much, what is inside, what is missing."""
    claim, st = data.claim, data.statement
    cur = claim.currency
    total = amounts(data)
    uploaded = {(d.kind, d.invoice_number) for d in data.documents}
    missing = [f"copie de la facture n° {i.number}" for i in claim.invoices
               if (DocumentKind.INVOICE, i.number) not in uploaded]
    kinds = {d.kind for d in data.documents}
    if DocumentKind.CONTRACT not in kinds and DocumentKind.TERMS_OF_SALE not in kinds:
        missing.append("contrat ou conditions générales de vente")
    if DocumentKind.DELIVERY_PROOF not in kinds:
        missing.append("preuve de livraison ou d'exécution")
    if not any(x.kind is LetterKind.FORMAL_NOTICE for x in sent_letters(data.letters)):
        missing.append("mise en demeure envoyée")
    out = [f"# Dossier de la créance {claim.id}", "",
           f"Établi le {data.made_on.strftime('%d/%m/%Y')} par Relance, pour un avocat, un "
           "commissaire de justice ou une agence de recouvrement. Il expose des faits et des "
           "montants ; il ne dit pas s'il faut agir en justice.", "",
           "## Parties", "",
           f"- Créancier : {data.creditor.legal_name}, SIREN {data.creditor.siren}",
           f"- Débiteur : {data.debtor.name}"
           + (f", SIREN {data.debtor.siren}" if data.debtor.siren else "")
           + f" ({data.debtor.kind.value})", "",
           f"## Montants au {st.at.strftime('%d/%m/%Y')}", "",
           f"- Principal exigible : {money(total['principal'], cur, Language.FR)}",
           f"- Intérêts de retard : {money(total['interest']['amount'], cur, Language.FR)}",
           f"- Indemnité forfaitaire : {money(total['indemnity']['amount'], cur, Language.FR)}",
           f"- Total exigible : {money(total['total'], cur, Language.FR)}",
           f"- Principal non encore échu : {money(total['not_yet_due'], cur, Language.FR)}",
           f"- Paiements reçus : {len(st.payments)} (imputation : 04-statement.json)", "",
           f"Phase : {effective_phase(claim, data.made_on).value}. "
           f"Factures : {len(claim.invoices)}. "
           f"Lettres envoyées : {len(sent_letters(data.letters))}.", ""]
    if request is not None:
        out += ["## Injonction de payer", "",
                f"Requête pré-remplie (Cerfa n° {request['form']['cerfa']}, "
                f"{request['court']['name']}) : injonction-de-payer/request.json et "
                "request.txt. La juridiction est présumée d'après le débiteur : à vérifier.",
                ""]
    out += ["## Pièces (bordereau)", ""]
    out += [f"{p.number}. {p.title} — {p.path}" for p in pieces] or ["Aucune pièce."]
    out += ["", "## Pièces absentes", ""]
    out += [f"- {m}" for m in missing] or ["Aucune."]
    if differing:
        # Only when it happens: an intact dossier's note (and so its archive) is unchanged.
        out += ["", "## Empreintes discordantes", "",
                "Les octets lus de ces pièces ne sont pas ceux dont l'empreinte SHA-256 a été "
                "enregistrée à leur dépôt (les deux sont dans manifest.json) :", ""]
        out += [f"- {path} : enregistrée {recorded}" for path, recorded
                in sorted(differing.items())]
    out += ["", "## Contenu", ""]
    out += [f"- {path}" for path in paths]
    out += ["", "Chaque fichier est listé dans manifest.json avec son empreinte SHA-256."]
    return "\n".join(out) + "\n"


def _piece(piece: Exhibit, content: bytes | StoredBytes) -> DossierFile:
    if isinstance(content, StoredBytes):
        return DossierFile(piece.path, piece.content_type, stored=content)
    return DossierFile(piece.path, piece.content_type, content)


def altered(pieces: Sequence[Exhibit], read: Mapping[str, str]) -> dict[str, str]:
    """The pieces whose bytes, as read for the dossier (`read`: path to SHA-256), are not
    those whose SHA-256 was recorded when they were stored (path: the recorded hash). A
    fact the dossier states (manifest, cover note), never hides: the manifest hashes what
    the archive holds."""
    return {p.path: p.sha256 for p in pieces
            if p.sha256 is not None and p.path in read and read[p.path] != p.sha256}


# The cover note printed (adapters.cover_pdf.render): its Markdown and a page footer.
CoverPrinter = Callable[[str, str], bytes]


def build(data: DossierInput, bodies: Mapping[str, bytes | StoredBytes],
          printer: CoverPrinter | None = None) -> list[DossierFile]:
    """Every file of the dossier, the manifest last. `bodies` holds each stored piece by
    its object key (letters, proofs, uploaded documents): its bytes, or, read as a stream,
    their size and SHA-256 and where they were kept (StoredBytes). With a `printer`, the
    cover note comes as a PDF too, the same text.

    Raises KeyError when a piece's bytes are missing: a dossier without a piece it lists
    would be worse than none."""
    pieces = exhibits(data)
    files: list[DossierFile] = [_piece(p, bodies[p.object_key]) for p in pieces]
    hashes = {f.path: f.sha256 for f in files}
    differing = altered(pieces, hashes)
    files += [
        DossierFile("01-parties.json", "application/json", _json(parties(data))),
        DossierFile("02-invoices.json", "application/json", _json(
            {"currency": data.claim.currency, "invoices": data.claim.invoices,
             "documents": [plain(d) | {"exhibit": next(
                 (p.number for p in pieces if p.object_key == d.object_key), None)}
                 for d in data.documents]})),
        DossierFile("03-letters.json", "application/json",
                    _json(letters_summary(data.letters, pieces))),
        DossierFile("04-statement.json", "application/json", _json(
            {"statement": data.statement, "formal_notice_on": data.account.formal_notice_on,
             "judgment": data.account.judgment, "payments": data.account.payments,
             "judicial": _judicial(data.judicial)})),
        DossierFile("05-promises-and-plans.json", "application/json",
                    _json(commitments(data.account))),
        DossierFile("06-disputes.json", "application/json",
                    _json(disputes(data.claim, data.events))),
        DossierFile("07-timeline.json", "application/json",
                    _json(sorted(data.events, key=lambda e: e.seq))),
    ]
    request = None
    if data.route is JudicialRoute.INJONCTION_DE_PAYER:
        request = request_data(data, pieces, hashes)
        files += [
            DossierFile("injonction-de-payer/request.json", "application/json",
                        _json(request)),
            DossierFile("injonction-de-payer/request.txt", "text/plain; charset=utf-8",
                        request_text(request).encode()),
        ]
    covers = ["00-cover-note.md", *(["00-cover-note.pdf"] if printer else [])]
    paths = [*covers, *sorted(f.path for f in files), MANIFEST]
    note = cover_note(data, pieces, paths, request, differing)
    files.append(DossierFile("00-cover-note.md", "text/markdown; charset=utf-8",
                             note.encode()))
    if printer is not None:
        files.append(DossierFile("00-cover-note.pdf", "application/pdf", printer(
            note, f"Dossier {data.claim.id}, établi le {data.made_on.strftime('%d/%m/%Y')}")))
    files.sort(key=lambda f: f.path)
    files.append(DossierFile(MANIFEST, "application/json",
                             _json(manifest(data, files, differing))))
    return files


def manifest(data: DossierInput, files: Sequence[DossierFile],
             differing: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every other file with its SHA-256 and size (the manifest cannot hash itself); a
    piece whose bytes are not those recorded also with the recorded hash."""
    differing = differing or {}
    return {"claim_id": data.claim.id, "creditor_id": data.claim.creditor_id,
            "made_on": data.made_on, "format": "relance-dossier/1",
            "files": [{"path": f.path, "content_type": f.content_type, "size": f.size,
                       "sha256": f.sha256}
                      | ({"recorded_sha256": differing[f.path]} if f.path in differing
                         else {})
                      for f in sorted(files, key=lambda f: f.path)]}


__all__ = ["ALLOWED_CONTENT_TYPES", "DossierFile", "DossierInput", "Exhibit", "StoredBytes",
           "altered", "build", "court_type", "exhibits", "request_data", "request_text"]
