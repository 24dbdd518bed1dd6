"""Letter rendering (WeasyPrint): a one-page formal notice with HarfBuzz subsetting, and
with the fontTools fallback measured in the same run (target: median under 60 ms with
HarfBuzz, reference/letters-escalation.md A5); a batch of 200 letters in a worker process
of its own, with its import, first render, throughput and peak RSS; the PDF's size.

Run alone: `PYTHONPATH=src:. python -m bench letters`.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.letters import builders as b

from bench.common import Row, timings_ms
from domain.letters.content import LetterContent
from domain.letters.model import LetterKind

ROOT = Path(__file__).resolve().parents[1]
BATCH = 200


class _Subsetters(logging.Handler):
    """Counts WeasyPrint's fontTools fallback warnings: which subsetter ran."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.fonttools = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "fontTools" in record.getMessage():
            self.fonttools += 1


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _letter(i: int = 0) -> LetterContent:
    return b.content(LetterKind.FORMAL_NOTICE, letter_id=f"ltr_bench{i:05d}",
                     our_reference=f"DOSSIER-{i:05d}")


def _measure(renderer, repeat: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    """Timings, and how many fallback warnings WeasyPrint logged meanwhile."""
    counter = _Subsetters()
    log = logging.getLogger("weasyprint")
    log.addHandler(counter)
    previous = logging.root.manager.disable
    logging.disable(logging.NOTSET)  # bench/__main__ silences INFO; the warning is WARNING
    try:
        letter = _letter()
        samples = timings_ms(lambda: renderer.render(letter), repeat=repeat)
    finally:
        logging.disable(previous)
        log.removeHandler(counter)
    return samples, counter.fonttools


# The letter the reference measured at 48 ms (reference/letters-escalation.md A5): one A4
# page, a table, an SVG QR code, the system's DejaVu fonts, no PDF/A. Rendered in the same
# run as ours, so the ratio between them says what this machine's noise cannot.
_REFERENCE_HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Relance</title><style>@page {{ size: A4; margin: 20mm }} body {{ font-family: DejaVu Sans;
font-size: 10pt }} table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 0.5pt
solid #888; padding: 1mm }}</style></head><body><p>Société Exemple SARL<br>12 rue de la Paix
<br>75002 PARIS</p><h1>Relance n° 1 – facture n° F-2026-0017</h1><p>Madame, Monsieur, sauf
erreur ou omission de notre part, les factures suivantes restent impayées.</p><table>
<tr><th>Facture</th><th>Date</th><th>Échéance</th><th>Montant</th></tr>{rows}</table>
<p>Si votre règlement s'est croisé avec ce courrier, n'en tenez pas compte.</p>{qr}
</body></html>"""


def _reference_ms(repeat: int) -> list[float]:
    import segno.helpers
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    rows = "".join(f"<tr><td>F-2026-{n:04d}</td><td>04/05/2026</td><td>03/06/2026</td>"
                   f"<td>1 200,00 €</td></tr>" for n in range(3))
    qr = segno.helpers.make_epc_qr(name="Atelier Dupré", iban="FR1420041010050500013M02606",
                                   amount=1261.57, reference="RF18539007547034",
                                   bic="PSSTFRPPPAR").svg_inline(scale=2)
    html = _REFERENCE_HTML.format(rows=rows, qr=qr)
    fonts = FontConfiguration()
    return timings_ms(lambda: weasyprint.HTML(string=html).write_pdf(font_config=fonts),
                      repeat=repeat)


def _worker() -> None:
    """The letter worker's life: import, one renderer, `BATCH` distinct letters."""
    start = time.perf_counter()
    from adapters.letters.renderer import WeasyPrintRenderer
    imported = time.perf_counter()
    renderer = WeasyPrintRenderer()
    first = renderer.render(_letter(0))
    rendered_first = time.perf_counter()
    letters = [_letter(i) for i in range(1, BATCH + 1)]
    batch_start = time.perf_counter()
    size = 0
    for letter in letters:
        size = max(size, len(renderer.render(letter).pdf))
    batch = time.perf_counter() - batch_start
    json.dump({"import_ms": (imported - start) * 1000,
               "first_ms": (rendered_first - imported) * 1000,
               "pages": first.pages,
               "per_s": BATCH / batch,
               "max_size": size,
               "rss_kib": _peak_rss_kib()}, sys.stdout)


def _peak_rss_kib() -> int:
    """The worker's own peak: VmHWM starts afresh at exec, where ru_maxrss carries the
    parent's peak over (the bench's parent may have grown large on other benchmarks)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run() -> list[Row]:
    import weasyprint.pdf.fonts as pdf_fonts
    from weasyprint.text import ffi

    from adapters.letters.renderer import WeasyPrintRenderer

    renderer = WeasyPrintRenderer()
    one = renderer.render(_letter())
    rows: list[Row] = []
    if ffi.harfbuzz_subset is None:
        rows.append(("letters: HarfBuzz subsetting", "missing",
                     "install libharfbuzz-subset0 (make .tools/.harfbuzz-subset)"))
    else:
        fast, fallbacks = _measure(renderer, repeat=60)
        reference = statistics.median(_reference_ms(repeat=30))
        ours = statistics.median(fast)
        rows += [
            ("letters: formal notice, 1 page, HarfBuzz, median",
             f"{ours:.1f} ms", "target <= 60 ms"),
            ("letters: the reference's letter, same run, median", f"{reference:.1f} ms",
             f"48 ms there; ours is {ours / reference:.2f}x it"),
            ("letters: formal notice, 1 page, HarfBuzz, p95", f"{_p95(fast):.1f} ms",
             f"subsetter: {'fontTools' if fallbacks else 'HarfBuzz'} ({fallbacks} fallback "
             "warnings)"),
        ]
    saved = pdf_fonts.harfbuzz_subset
    pdf_fonts.harfbuzz_subset = None  # what WeasyPrint checks before each font's subset
    try:
        slow, fallbacks = _measure(WeasyPrintRenderer(), repeat=15)
    finally:
        pdf_fonts.harfbuzz_subset = saved
    rows += [
        ("letters: formal notice, fontTools fallback, median",
         f"{statistics.median(slow):.1f} ms", "same run, harfbuzz_subset hidden"),
        ("letters: formal notice, fontTools fallback, p95", f"{_p95(slow):.1f} ms",
         f"subsetter: {'fontTools' if fallbacks else 'HarfBuzz'} ({fallbacks} fallback "
         "warnings)"),
    ]
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    out = subprocess.run([sys.executable, "-m", "bench.bench_letters", "--worker"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    worker = json.loads(out.stdout)
    rows += [
        (f"letters: worker batch of {BATCH} formal notices", f"{worker['per_s']:.1f} letters/s",
         "one process, one renderer"),
        ("letters: worker peak RSS", f"{worker['rss_kib'] / 1024:.0f} MiB",
         f"after {BATCH + 1} letters (VmHWM)"),
        ("letters: worker import + first letter",
         f"{worker['import_ms']:.0f} + {worker['first_ms']:.0f} ms", "the cold start's share"),
        ("letters: PDF size, formal notice", f"{len(one.pdf) / 1024:.1f} KiB",
         f"{one.pages} page(s), PDF/A-3b, tagged, fonts subset"),
    ]
    return rows


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker()
