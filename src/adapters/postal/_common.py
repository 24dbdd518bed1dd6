"""What both postal adapters need: header lookup that ignores case (a plain dict in tests,
Litestar's headers in the API), the secret check, and the small proof PDFs of the fake."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from domain.ports.letters import WebhookRejected


def header(headers: Mapping[str, str], name: str) -> str | None:
    """HTTP header names are case-insensitive, whatever mapping carries them."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def check_secret(headers: Mapping[str, str], name: str, expected: str) -> None:
    """Constant-time comparison, so the secret cannot be guessed one byte at a time from
    response times. Raises WebhookRejected."""
    given = header(headers, name)
    if not expected or given is None or not hmac.compare_digest(
            given.encode("utf-8"), expected.encode("utf-8")):
        raise WebhookRejected(f"the {name} header is missing or wrong")


def sniff_content_type(body: bytes) -> str:
    """Providers mislabel proofs (Merci Facteur's own sample of an `are_base64_jpeg` is a
    PDF), so the stored content type follows the bytes, not the field name."""
    if body.startswith(b"%PDF-"):
        return "application/pdf"
    if body.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return "application/octet-stream"


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF 1.4 showing `text` (ASCII), with a correct cross-reference table: a
    real reader opens it, and the same text always gives the same bytes."""
    safe = text.encode("ascii", "replace").decode("ascii")
    safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 10 Tf 40 800 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode("ascii") + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return bytes(out)
