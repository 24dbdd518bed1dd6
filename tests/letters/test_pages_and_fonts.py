"""A long claim paginates with page numbers; the shipped font covers every character the
letters print; and fonts are subset by HarfBuzz, not by the fontTools fallback that costs
a quarter of a second a letter (reference/letters-escalation.md A5)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable

import pypdf
import pytest
from fontTools.ttLib import TTFont

from adapters.letters.fetcher import ASSETS
from adapters.letters.renderer import TEMPLATES, WeasyPrintRenderer
from adapters.letters.wording import LABELS
from domain.letters.content import LetterContent
from domain.letters.formatting import NNBSP
from domain.ports.letters import RenderedLetter
from tests.letters import builders as b

Render = Callable[[LetterContent], RenderedLetter]
FONTS = sorted((ASSETS / "fonts").glob("*.ttf"))

# What French names, addresses and our wording need, beyond ASCII.
FRENCH = "éèêëàâäçôöûùüïîÿœŒæÆÉÈÊËÀÂÇÔÛÙÏÎŸ«»€’‘“”–—…°" + NNBSP + "\u00a0"


def test_forty_invoices_run_over_pages_numbered_each(render: Render) -> None:
    letter = render(b.many_invoices(40))
    assert letter.pages >= 2
    reader = pypdf.PdfReader(io.BytesIO(letter.pdf))
    assert len(reader.pages) == letter.pages
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} / {letter.pages}" in page.extract_text()
    text = " ".join(page.extract_text() for page in reader.pages)
    assert all(f"F-2025-{i:04d}" in text for i in range(1, 41))
    # the table's header is repeated on the pages it runs over
    assert text.count("Facture Date Échéance Montant Réglé Reste dû") >= 2


def test_the_font_family_is_regular_and_bold_with_its_licence() -> None:
    assert [f.name for f in FONTS] == ["LiberationSans-Bold.ttf",
                                       "LiberationSans-Regular.ttf"]
    assert "SIL Open Font License" in (ASSETS / "fonts" / "OFL.txt").read_text()


@pytest.mark.parametrize("font", FONTS, ids=lambda f: f.name)
def test_the_font_covers_french_and_every_template_character(font: object) -> None:
    cmap = TTFont(font).getBestCmap()
    used = set(FRENCH)
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.sub(r"{#.*?#}", "", template.read_text(), flags=re.S))
    for labels in LABELS.values():
        for label in labels.values():
            used |= set(label)
    missing = sorted(c for c in used if c not in "\n\t" and ord(c) not in cmap)
    assert not missing, [f"U+{ord(c):04X} {c}" for c in missing]


def weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        WeasyPrintRenderer().render(b.content(promises=b.PROMISES))
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]


def test_fonts_are_subset_by_harfbuzz_not_the_fonttools_fallback(
        caplog: pytest.LogCaptureFixture) -> None:
    from weasyprint.text import ffi
    assert ffi.harfbuzz_subset is not None, (
        "libharfbuzz-subset is missing: WeasyPrint falls back to fontTools (about 6 times "
        "slower a letter). Install it: `apt-get install libharfbuzz-subset0` (Debian), "
        "or `make .tools/.harfbuzz-subset`; the letter worker's image must ship it too.")
    warnings = weasyprint_warnings(caplog)
    assert not [w for w in warnings if "fontTools" in w], warnings
    assert not warnings, warnings


def test_the_fallback_is_seen_when_harfbuzz_subset_is_not_there(
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.pdf.fonts
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    assert [w for w in weasyprint_warnings(caplog) if "fontTools" in w]
