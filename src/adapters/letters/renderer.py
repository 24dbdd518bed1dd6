"""The letter renderer: LetterContent → Jinja2 HTML → WeasyPrint → PDF/A-3b.

Built once per warm container (the letter worker): one FontConfiguration, the stylesheet
parsed once with its @font-face rules, the templates compiled once. Each render is then
the layout and the PDF writing only (reference/letters-escalation.md A5).

The same content gives the same bytes: the dates in the PDF are the letter's issue date,
its file identifier comes from the letter's id, and nothing else in WeasyPrint's output
depends on the clock or on chance. A stored letter can so be rendered again and checked
against its SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import segno.helpers
import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from weasyprint.text.fonts import FontConfiguration

from adapters.letters.fetcher import ASSETS, GENERATED_SCHEME, AssetFetcher
from adapters.letters.wording import LABELS, kind_name, mode_name, status_name
from domain.letters import formatting, references
from domain.letters.content import LetterContent
from domain.letters.model import AddressFrame, LetterKind
from domain.ports.letters import RenderedLetter
from domain.shared.language import Language

# The letter's own QR code, made per render (see AssetFetcher.with_generated).
QR_URL = f"{GENERATED_SCHEME}:qr.png"

TEMPLATES = Path(__file__).parent / "templates"
RENDERER_VERSION = "relance-letters/1"

# The page area's corner, which the address frame is measured from: these must match the
# `@page { margin }` of assets/letter.css.
PAGE_MARGIN_TOP = Decimal(15)
PAGE_MARGIN_LEFT = Decimal(20)
PAGE_CONTENT_WIDTH = Decimal(210) - PAGE_MARGIN_LEFT - Decimal(18)
# Room kept between the letterhead and a frame to its right, and below the frame.
GAP = Decimal(5)
# A frame this far from the left edge leaves the letterhead a column of its own.
LETTERHEAD_MIN_WIDTH = Decimal(60)

# Invoices named in the subject line; more are counted instead.
SUBJECT_INVOICES = 3

PDF_VARIANT = "pdf/a-3b"

_TEMPLATE_OF = {kind: f"{kind.value}.html" for kind in LetterKind}


class WeasyPrintRenderer:
    """The LetterRenderer port on WeasyPrint. One instance per process: it is not meant to
    be shared between threads (WeasyPrint's font configuration is not)."""

    def __init__(self, pdf_variant: str | None = PDF_VARIANT, pdf_tags: bool = True) -> None:
        self._options: dict[str, Any] = {"pdf_variant": pdf_variant, "pdf_tags": pdf_tags}
        self._fetcher = AssetFetcher()
        self._fonts = FontConfiguration()
        self._css = weasyprint.CSS(filename=str(ASSETS / "letter.css"),
                                   url_fetcher=self._fetcher, font_config=self._fonts)
        self._env = _environment()
        self._version = f"{RENDERER_VERSION} weasyprint/{weasyprint.__version__}"

    @property
    def version(self) -> str:
        return self._version

    def html(self, content: LetterContent) -> str:
        """The letter as HTML, before layout (what the tests and a preview read)."""
        template = self._env.get_template(_TEMPLATE_OF[content.kind])
        return template.render(**_context(content, self._version))

    def render(self, content: LetterContent) -> RenderedLetter:
        # No base URL: a relative URL resolves to nothing, so it fetches nothing. The QR
        # code is the one image made for this letter: served from memory under its own
        # name, to this render only.
        qr = _qr_png(content)
        fetcher = self._fetcher if qr is None else self._fetcher.with_generated({QR_URL: qr})
        document = weasyprint.HTML(string=self.html(content), url_fetcher=fetcher)
        options = {**self._options, "stylesheets": [self._css],
                   "pdf_identifier": pdf_identifier(content.letter_id)}
        laid_out = document.render(font_config=self._fonts, **options)
        pdf = laid_out.write_pdf(**options)
        return RenderedLetter(pdf=pdf, pages=len(laid_out.pages))


def pdf_identifier(letter_id: str) -> bytes:
    """The PDF's permanent file identifier (ISO 32000 §14.4): the letter's, not random."""
    return hashlib.md5(letter_id.encode(), usedforsecurity=False).hexdigest().encode()


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True,
                                     default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        auto_reload=False,
    )
    env.filters.update({
        "money": _with_language(lambda ctx, amount: formatting.money(
            amount, ctx["currency"], ctx["language"])),
        "long_date": _with_language(lambda ctx, day: formatting.long_date(day, ctx["language"])),
        "short_date": _with_language(lambda ctx, day: formatting.short_date(
            day, ctx["language"])),
        "percent": _with_language(lambda ctx, rate: formatting.percent(rate, ctx["language"])),
        "kind_name": _with_language(lambda ctx, kind: kind_name(kind, ctx["language"])),
        "mode_name": _with_language(lambda ctx, mode: mode_name(mode, ctx["language"])),
        "status_name": _with_language(lambda ctx, status: status_name(status,
                                                                      ctx["language"])),
        "rf": references.formatted,
        "grouped": grouped,
    })
    return env


def _with_language(fn: Callable[[Context, Any], str]) -> Callable[..., str]:
    """A filter written in the letter's language and currency, taken from the context."""
    @pass_context
    def filter_(ctx: Context, value: Any) -> str:
        return fn(ctx, value)
    return filter_


def grouped(value: str) -> str:
    """An IBAN as printed, in groups of four."""
    compact = "".join(value.split())
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _context(content: LetterContent, version: str) -> dict[str, Any]:
    language = content.language
    labels = LABELS[language]
    return {
        "c": content,
        "L": labels,
        "lang": language.value,
        "fr": language is Language.FR,
        "language": language,
        "currency": content.amounts.currency,
        "generator": version,
        "frame": _geometry(content.frame),
        "invoice_list": _invoice_list(content, language),
        "instalments_total": sum((i.amount for i in content.instalments), Decimal(0)),
        "qr_image": QR_URL if _qr_payable(content) else None,
    }


def _geometry(frame: AddressFrame) -> dict[str, object]:
    """The frame in the page area's coordinates (the band the letterhead starts), in mm."""
    top = frame.top - PAGE_MARGIN_TOP
    left = frame.left - PAGE_MARGIN_LEFT
    beside = left - GAP
    column = beside >= LETTERHEAD_MIN_WIDTH
    return {
        "top": _mm(top), "left": _mm(left), "width": _mm(frame.width),
        "height": _mm(frame.height),
        "band_height": _mm(top + frame.height + GAP),
        "letterhead_width": _mm(beside if column else PAGE_CONTENT_WIDTH),
        # The references go in the column beside the window when there is one.
        "column": column,
    }


def _mm(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _invoice_list(content: LetterContent, language: Language) -> str:
    numbers = [inv.number for inv in content.invoices]
    fr = language is Language.FR
    if len(numbers) > SUBJECT_INVOICES:
        return f"{len(numbers)} factures" if fr else f"{len(numbers)} invoices"
    word = ("facture" if fr else "invoice") + ("s" if len(numbers) > 1 else "")
    return f"{word} n° {', '.join(numbers)}" if fr else f"{word} no. {', '.join(numbers)}"


def _qr_payable(content: LetterContent) -> bool:
    """A plan agreement has no QR code: its debtor pays instalments, and a code for the
    whole sum would ask for the wrong amount."""
    return content.qr_amount is not None and content.kind is not LetterKind.PAYMENT_PLAN_AGREEMENT


def _qr_png(content: LetterContent) -> bytes | None:
    """The EPC QR code as a PNG of one pixel per module, scaled by the stylesheet with
    crisp edges. A PNG, not inline SVG: WeasyPrint parses segno's SVG path command by
    command, about 13 ms a letter, while a raster image is drawn as it is."""
    amount = content.qr_amount
    if amount is None or not _qr_payable(content):
        return None
    t = content.transfer
    qr = segno.helpers.make_epc_qr(name=t.beneficiary, iban=t.iban, amount=amount,
                                   reference=t.reference, bic=t.bic)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=1, border=4)
    return out.getvalue()
