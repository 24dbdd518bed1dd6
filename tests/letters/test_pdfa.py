"""The PDF/A-3b metadata, the tags, and the same bytes for the same content."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf

from adapters.letters.renderer import WeasyPrintRenderer
from domain.letters.content import LetterContent
from domain.letters.model import LetterKind
from domain.ports.letters import RenderedLetter
from domain.shared.language import Language
from tests.letters import builders as b

Render = Callable[[LetterContent], RenderedLetter]
ROOT = Path(__file__).resolve().parents[2]


def test_xmp_says_pdfa_3b_with_title_creator_and_dates(render: Render) -> None:
    with pikepdf.open(io.BytesIO(render(b.content()).pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Mise en demeure – DOSSIER-2026-118"
        assert meta["dc:creator"] == [b.CREDITOR_NAME]
        assert meta["xmp:CreateDate"].startswith("2026-12-03")
        assert meta["xmp:ModifyDate"].startswith("2026-12-03")
        assert str(pdf.Root.Lang) == "fr"
        assert str(pdf.docinfo["/Author"]) == b.CREDITOR_NAME
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20261203")
        # PDF/A: an output intent, and the fonts embedded
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


def test_the_renderer_names_itself_and_its_engine(renderer: WeasyPrintRenderer,
                                                   render: Render) -> None:
    import weasyprint
    assert renderer.version == f"relance-letters/1 weasyprint/{weasyprint.__version__}"
    assert weasyprint.__version__.startswith("70.")
    with pikepdf.open(io.BytesIO(render(b.content()).pdf)) as pdf:
        assert str(pdf.docinfo["/Creator"]) == renderer.version


def test_the_pdf_is_tagged(render: Render) -> None:
    with pikepdf.open(io.BytesIO(render(b.content()).pdf)) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root


def test_an_english_letter_says_so(render: Render) -> None:
    with pikepdf.open(io.BytesIO(render(b.content(language=Language.EN)).pdf)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert pdf.open_metadata()["dc:title"] == "Formal notice – DOSSIER-2026-118"


def test_the_file_identifier_is_the_letters(render: Render) -> None:
    with pikepdf.open(io.BytesIO(render(b.content()).pdf)) as pdf:
        expected = hashlib.md5(b"ltr_01JB0000000000000000000000").hexdigest().encode()
        assert bytes(pdf.trailer.ID[0]) == expected


def test_the_same_content_gives_the_same_bytes(renderer: WeasyPrintRenderer) -> None:
    letter = b.content(promises=b.PROMISES, earlier_letters=b.EARLIER)
    first = renderer.render(letter).pdf
    assert renderer.render(letter).pdf == first
    assert WeasyPrintRenderer().render(letter).pdf == first


def test_another_process_gives_the_same_bytes(renderer: WeasyPrintRenderer) -> None:
    """As a worker rendering the letter again next month would: a fresh interpreter, with
    another hash seed."""
    code = ("import sys; from adapters.letters.renderer import WeasyPrintRenderer; "
            "from domain.letters.model import LetterKind; "
            "from tests.letters import builders as b; "
            "sys.stdout.buffer.write(WeasyPrintRenderer().render(b.content("
            "LetterKind.REMINDER_2)).pdf)")
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           check=True, cwd=ROOT).stdout
    assert other == renderer.render(b.content(LetterKind.REMINDER_2)).pdf


def test_another_letter_id_gives_another_identifier(renderer: WeasyPrintRenderer) -> None:
    one = renderer.render(b.content(letter_id="ltr_A")).pdf
    two = renderer.render(b.content(letter_id="ltr_B")).pdf
    assert one != two
    with pikepdf.open(io.BytesIO(one)) as a, pikepdf.open(io.BytesIO(two)) as c:
        assert bytes(a.trailer.ID[0]) != bytes(c.trailer.ID[0])
