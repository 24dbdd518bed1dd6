"""The template lint: no letter may use the wording the DGCCRF sanctions in amicable
collection (2022: 41 % of 161 collectors in breach; reference/letters-escalation.md A1):
wording that makes an amicable letter look like a court's or an enforcement officer's,
fees the debtor does not owe (C. proc. exéc. L111-8), or an enforcement already under way.

A formal notice may say what WILL follow (the creditor will refer the matter to the court);
it may not say that proceedings or an enforcement are engaged. So the proceedings rules
match the present and the past, not the future or the conditional.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.letters.renderer import TEMPLATES

WORDING = TEMPLATES.parent / "wording.py"

# (rule, pattern): matched case-insensitively on the text with its whitespace collapsed.
RULES: tuple[tuple[str, str], ...] = (
    # a court or a court-like service behind an amicable letter
    ("court service", r"service\s+(du\s+)?judiciaire|service\s+(du\s+)?contentieux"
                      r"|d[ée]partement\s+(juridique|contentieux)"),
    ("court service (en)", r"court\s+service|legal\s+department|litigation\s+department"),
    # an enforcement officer acting
    ("enforcement officer", r"huissier|commissaire\s+de\s+justice"),
    ("enforcement officer (en)", r"bailiff|enforcement\s+(officer|agent)|sheriff"),
    # fees the debtor does not owe
    ("fees", r"frais\s+de\s+dossier|frais\s+de\s+l['’]\s*acte|frais\s+de\s+recouvrement"
             r"|frais\s+de\s+relance|frais\s+de\s+gestion"),
    ("fees (en)", r"collection\s+(fee|charge|cost)s?|(handling|file|administrative|admin)"
                  r"\s+(fee|charge)s?|recovery\s+(fee|charge)s?"),
    # enforcement: never in a letter, whatever the tense
    ("enforcement", r"\bsaisies?\b|proc[ée]dures?\s+d['’]\s*ex[ée]cution"
                    r"|ex[ée]cution\s+forc[ée]e|commandement\s+de\s+payer|injonction"),
    ("enforcement (en)", r"\bseizures?\b|\bseize\b|garnish|enforcement\s+(proceedings|"
                         r"measures?|action)|writ\b|payment\s+order|order\s+for\s+payment"),
    # the last warning before an action presented as already decided
    ("final warning", r"dernier\s+avis|ultime\s+avis|avant\s+poursuites"),
    ("final warning (en)", r"final\s+(notice|warning)\s+before|last\s+warning"),
    # proceedings in the present or the past: under way, engaged, handed over
    ("proceedings under way",
     r"(proc[ée]dure|poursuites?|action)\s+(judiciaires?\s+)?(est\s+|sont\s+|a\s+été\s+"
     r"|ont\s+été\s+)?(en\s+cours|engag[ée]e?s?|lanc[ée]e?s?|introduite?s?)\b"
     r"|\bnous\s+(avons\s+)?(engag(eons|é)|saisissons|saisi|lan[cç](ons|é))\b"
     r"|dossier\s+(a\s+été\s+|est\s+)transmis"),
    ("proceedings under way (en)",
     r"(proceedings|action|claim)\s+(is\s+|are\s+|has\s+been\s+|have\s+been\s+)"
     r"(under\s*way|initiated|commenced|started|issued|engaged|brought|filed|pending)"
     r"|\bwe\s+(are\s+|have\s+)(taking|taken|starting|started|initiating|initiated|"
     r"commencing|commenced|issuing|issued|referring|referred|filing|filed)\b"
     r"|file\s+(has\s+been|is\s+being)\s+(passed|handed|transferred)"),
)


def findings(text: str) -> list[tuple[str, str]]:
    """Every (rule, matched words) in `text`."""
    flat = re.sub(r"\s+", " ", text)
    return [(rule, match.group(0)) for rule, pattern in RULES
            for match in re.finditer(pattern, flat, flags=re.IGNORECASE)]


def lint(paths: list[Path]) -> list[str]:
    return [f"{path.name}: {rule}: {words!r}"
            for path in paths for rule, words in findings(path.read_text())]


def sources() -> list[Path]:
    return [*sorted(TEMPLATES.glob("*.html")), WORDING]


def test_the_sources_linted_are_every_template_and_the_shared_wording() -> None:
    names = {p.name for p in sources()}
    assert {"base.html", "_parts.html", "reminder_1.html", "reminder_2.html",
            "formal_notice.html", "payment_plan_agreement.html", "wording.py"} <= names


def test_no_letter_uses_sanctioned_wording() -> None:
    assert lint(sources()) == []


@pytest.mark.parametrize("sentence", [
    "Votre dossier a été transmis à notre service judiciaire.",
    "Notre service contentieux reprend le dossier.",
    "Un huissier de justice passera à votre domicile.",
    "Un commissaire de justice est mandaté.",
    "Des frais de dossier de 35 € vous seront facturés.",
    "Les frais de l'acte restent à votre charge.",
    "Frais de recouvrement : 60,00 €",
    "Une saisie sur salaire est envisagée.",
    "La procédure d'exécution est engagée.",
    "Nous procéderons à l'exécution forcée.",
    "Ceci vaut commandement de payer.",
    "Nous déposons une requête en injonction de payer.",
    "DERNIER AVIS AVANT POURSUITES",
    "Une procédure judiciaire est en cours.",
    "Des poursuites judiciaires ont été engagées contre vous.",
    "Nous avons engagé une action contre vous.",
    "Nous saisissons le tribunal ce jour.",
    "A bailiff will call at your address.",
    "Our enforcement officer has your file.",
    "A collection fee of EUR 35 has been added.",
    "Your file was passed to our court service.",
    "An administrative fee applies.",
    "Legal proceedings have been initiated.",
    "We have started proceedings against you.",
    "We are referring the matter to court.",
    "Final notice before legal action.",
    "Seizure of your assets may follow.",
])
def test_the_lint_refuses_a_bad_sentence(sentence: str) -> None:
    assert findings(sentence), sentence


@pytest.mark.parametrize("sentence", [
    "À défaut de règlement dans ce délai, nous saisirons la juridiction compétente.",
    "Nous pourrons saisir la juridiction compétente afin d'obtenir le paiement.",
    "Nous vous adresserons une mise en demeure, puis nous pourrons engager une procédure "
    "judiciaire.",
    "Indemnité forfaitaire de recouvrement (art. L441-10 du Code de commerce)",
    "Failing payment, we will refer the matter to the competent court.",
    "We may then bring proceedings before the competent court.",
    "Sauf erreur ou omission de notre part.",
])
def test_the_lint_lets_the_future_and_the_statutory_wording_pass(sentence: str) -> None:
    assert findings(sentence) == []


def test_the_lint_reads_files_and_names_the_offence(tmp_path: Path) -> None:
    bad = tmp_path / "bad_reminder.html"
    bad.write_text("{% if fr %}<p>Notre service\n  contentieux vous facturera des frais de\n"
                   "dossier.</p>{% endif %}")
    found = lint([bad])
    assert any("court service" in f for f in found)
    assert any("fees" in f for f in found)
