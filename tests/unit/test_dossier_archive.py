"""The dossier's zip is deterministic: the same files give the same bytes whatever order
they come in and whenever it is written, and every entry reads back as given."""

from __future__ import annotations

import io
import time
import zipfile

from adapters.dossier_archive import write_zip
from domain.judicial.dossier import DossierFile

FILES = [DossierFile("b.json", "application/json", b'{"a": 1}\n'),
         DossierFile("a/piece.pdf", "application/pdf", b"%PDF-1.7\n" + bytes(range(256))),
         DossierFile("00-cover-note.md", "text/markdown; charset=utf-8", "é".encode())]


def test_the_same_files_in_any_order_give_the_same_bytes() -> None:
    first = write_zip(FILES)
    time.sleep(0.01)  # a later write: a timestamp taken from the clock would differ
    assert write_zip(list(reversed(FILES))) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.namelist() == ["00-cover-note.md", "a/piece.pdf", "b.json"]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.getinfo("a/piece.pdf").compress_type == zipfile.ZIP_STORED
        assert z.getinfo("b.json").compress_type == zipfile.ZIP_DEFLATED
        assert {f.path: f.body for f in FILES} == {n: z.read(n) for n in z.namelist()}


def test_another_byte_gives_another_archive() -> None:
    changed = [*FILES[:2], DossierFile("00-cover-note.md", "text/markdown", "è".encode())]
    assert write_zip(changed) != write_zip(FILES)
