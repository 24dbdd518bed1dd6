"""Debtor- and creditor-supplied text is text: markup and URLs in a name, an address or an
invoice number print as written and fetch nothing; the renderer's fetcher serves the
package's assets and refuses the rest."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest

from adapters.letters.fetcher import ASSETS, AssetFetcher, AssetRefused, asset_url
from adapters.letters.renderer import WeasyPrintRenderer
from domain.letters.content import Party
from domain.letters.model import LetterKind
from tests.letters import builders as b
from tests.letters.conftest import pdf_text


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_the_listener_does_record_a_connection(listener: Listener) -> None:
    with socket.create_connection(("127.0.0.1", listener.port)):
        pass
    for _ in range(50):
        if listener.connections:
            break
        threading.Event().wait(0.02)
    assert listener.connections == 1


def test_markup_and_urls_in_names_are_printed_and_never_fetched(
        renderer: WeasyPrintRenderer, listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/x.png"
    img = f'<img src="{url}">'
    css = f"url({url})"
    style = f'<style>@import "{url}";</style>'
    link = f'<link rel="stylesheet" href="{url}">'
    # A plan agreement prints the debtor's name too, besides the address block.
    letter = b.content(
        LetterKind.PAYMENT_PLAN_AGREEMENT, instalments=b.INSTALMENTS,
        debtor=Party(f"Débiteur {img}", (f"NOM {css}", f"RUE {link}", f"{style} 75001 PARIS")),
        creditor=replace(b.CREDITOR, name=f"Créancier {img}",
                         address_lines=(f"file:///etc/passwd {css}", "75002 Paris")),
        invoices=(replace(b.INVOICE_1, number=f"F-{img}"), b.INVOICE_2),
        our_reference=f'<object data="{url}"></object>',
        place=f"<svg><image href='{url}'/></svg>",
    )
    html = renderer.html(letter)
    assert "<img src=" not in html and "<style>@import" not in html
    text = pdf_text(renderer.render(letter).pdf)
    assert listener.connections == 0
    for expected in (f"Débiteur {img}", f"NOM {css}", f"RUE {link}", f"Créancier {img}",
                     "file:///etc/passwd", f"F-{img}", '<object data="'):
        assert expected in text, expected
    assert "root:x:0:0" not in text


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "https://example.com/font.ttf",
    "ftp://example.com/x",
    "data:text/css,body{}",
    "file:///etc/passwd",
    f"file://{ASSETS}/../renderer.py",
    "relance-asset:../renderer.py",
    "relance-asset:/../../../../etc/passwd",
    "relance-asset:fonts/missing.ttf",
    "file://remote-host/share/x.ttf",
    "no-scheme-at-all",
    "relance-generated:qr.png",  # an image no render made
])
def test_the_fetcher_refuses_anything_but_an_asset(url: str) -> None:
    with pytest.raises(AssetRefused):
        AssetFetcher().fetch(url)


def test_the_fetcher_refuses_a_link_out_of_the_assets(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = ASSETS / "fonts" / "test-link.ttf"
    link.symlink_to(outside)
    try:
        with pytest.raises(AssetRefused):
            AssetFetcher().fetch(asset_url("fonts/test-link.ttf"))
    finally:
        link.unlink()


def test_a_renders_own_image_is_served_to_that_render_only() -> None:
    base = AssetFetcher()
    one = base.with_generated({"relance-generated:qr.png": b"\x89PNG one"})
    assert one.fetch("relance-generated:qr.png").read() == b"\x89PNG one"
    with pytest.raises(AssetRefused):
        one.fetch("relance-generated:other.png")
    with pytest.raises(AssetRefused):  # the shared fetcher never learnt it
        base.fetch("relance-generated:qr.png")


def test_the_fetcher_serves_the_fonts_by_scheme_or_path() -> None:
    fetcher = AssetFetcher()
    regular = (ASSETS / "fonts" / "LiberationSans-Regular.ttf").read_bytes()
    assert fetcher.fetch(asset_url("fonts/LiberationSans-Regular.ttf")).read() == regular
    by_path = (ASSETS / "fonts" / "LiberationSans-Regular.ttf").as_uri()
    assert fetcher.fetch(by_path).read() == regular


def test_no_template_lets_text_through_unescaped() -> None:
    """Escaping is the defence: no template marks a value safe or turns autoescape off
    (the QR code's SVG is the one Markup, built from segno's paths in renderer.py)."""
    from adapters.letters.renderer import TEMPLATES
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        for forbidden in ("|safe", "| safe", "autoescape false", "autoescape False",
                          "|e(", "Markup"):
            assert forbidden not in source, (template.name, forbidden)


def test_a_missing_value_fails_the_render_instead_of_printing_nothing(
        renderer: WeasyPrintRenderer) -> None:
    template = renderer._env.from_string("{{ c.no_such_field }}")
    with pytest.raises(jinja2.UndefinedError, match="no_such_field"):
        template.render(c=b.content())
