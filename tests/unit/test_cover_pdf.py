"""The cover note's PDF (adapters.cover_pdf), read back with pypdf: its text, its pages,
the same bytes for the same text."""

from __future__ import annotations

import io

import pypdf

from adapters import cover_pdf

NOTE = """# Dossier de la créance clm_42

Établi le 04/12/2026 par Relance, pour un avocat — il expose des faits et des montants.

## Montants au 04/12/2026

- Principal exigible : 1\u202f200,00\u00a0€
- Intérêts de retard : 12,34\u00a0€ (taux BCE + 10 points, « pénalités »)

## Pièces (bordereau)

1. Facture n° F-001 — pieces/01-invoice-F-001.pdf
"""


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf), strict=True)


def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def test_the_note_reads_back_with_its_french_text_and_a_footer() -> None:
    pdf = cover_pdf.render(NOTE, "Dossier clm_42")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    reader = read(pdf)
    assert len(reader.pages) == 1
    got = text(pdf)
    for words in ("Dossier de la créance clm_42", "Établi le 04/12/2026", "pour un avocat —",
                  "« pénalités »", "Facture n° F-001", "Dossier clm_42 — page 1/1"):
        assert words in got, words
    assert "1\u00a0200,00\u00a0€" in got or "1 200,00 €" in got.replace("\u00a0", " ")
    assert "##" not in got and "- Principal" not in got  # the Markdown is laid out
    assert "•" in got


def test_the_same_text_gives_the_same_bytes() -> None:
    assert cover_pdf.render(NOTE, "x") == cover_pdf.render(NOTE, "x")
    assert cover_pdf.render(NOTE, "x") != cover_pdf.render(NOTE + "\nfin\n", "x")


def test_a_long_note_runs_onto_numbered_pages_and_keeps_every_line() -> None:
    items = "\n".join(f"- pièce {n} : une ligne assez longue pour passer à la ligne quand "
                      f"elle dépasse la largeur du texte, numéro {n}" for n in range(1, 151))
    pdf = cover_pdf.render("# Long\n\n" + items + "\n", "Dossier clm_9")
    pages = read(pdf).pages
    assert len(pages) > 3
    last = pages[-1].extract_text()
    assert f"page {len(pages)}/{len(pages)}" in last
    flat = " ".join(text(pdf).split())
    assert all(f"numéro {n}" in flat for n in range(1, 151))


def test_a_word_longer_than_a_line_is_cut_not_lost() -> None:
    path = "pieces/" + "x" * 300 + ".pdf"
    got = "".join(text(cover_pdf.render(path, "f")).split())
    assert path in got


def test_a_character_the_standard_fonts_lack_prints_as_a_question_mark() -> None:
    assert "≤ 5 000" not in text(cover_pdf.render("montant ≤ 5 000", "f"))
    assert "? 5 000" in text(cover_pdf.render("montant ≤ 5 000", "f"))


def test_decomposed_accents_and_wide_letters_print_and_fit() -> None:
    decomposed = "cre\u0301ance"  # e + combining acute
    assert "créance" in text(cover_pdf.render(decomposed, "f"))
    # A line of œ is measured as wide as it is: it wraps instead of running off the page.
    lines = cover_pdf._wrap("œ" * 200, cover_pdf._BODY)
    assert len(lines) > 1 and all(cover_pdf._width(line, 10, False) <= cover_pdf._WIDTH
                                  for line in lines)


def test_a_very_long_word_is_cut_into_full_lines() -> None:
    word = "x" * 20_000
    lines = cover_pdf._wrap(word, cover_pdf._BODY)
    assert "".join(lines) == word
    assert len({len(line) for line in lines[:-1]}) == 1  # every line but the last is full
    assert len(lines) == -(-20_000 // len(lines[0]))
