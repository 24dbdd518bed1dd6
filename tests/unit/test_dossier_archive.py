"""The dossier's zip is deterministic: the same files give the same bytes whatever order
they come in and whenever it is written, and every entry reads back as given; written on
scratch files from pieces kept as they streamed, however cut, the bytes it has in memory."""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile

import pytest

from adapters.dossier_archive import ZipArchive, write_zip
from domain.judicial.dossier import DossierFile, StoredBytes

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


def _streamed(files: list[DossierFile], space: ZipArchive, cut: int) -> list[DossierFile]:
    """The files, each piece (under pieces/) kept by `space` in chunks of `cut` bytes."""
    out = []
    for f in files:
        if not f.path.startswith("pieces/"):
            out.append(f)
            continue
        chunks = [f.body[i:i + cut] for i in range(0, len(f.body), cut)]
        ref = space.keep(iter(chunks))
        out.append(DossierFile(f.path, f.content_type, stored=StoredBytes(
            len(f.body), hashlib.sha256(f.body).hexdigest(), ref)))
    return out


PIECES = [*FILES,
          DossierFile("pieces/01-contract.pdf", "application/pdf",
                      b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024 + 7)),
          # A type deflated: the stream compressed as it comes, cut anywhere.
          DossierFile("pieces/02-other.bin", "application/octet-stream",
                      b"%PDF-1.7\n" + b"abc" * 700_000 + os.urandom(1000)),
          DossierFile("pieces/03-empty.png", "image/png", b"")]


@pytest.mark.parametrize("cut", [1024 * 1024, 65_537, 10])
def test_written_on_scratch_files_it_is_the_same_bytes_as_in_memory(cut: int) -> None:
    expected = write_zip(PIECES)
    with ZipArchive() as space:
        written = space.write(list(reversed(_streamed(PIECES, space, cut))))
        archive = written.file.read()
    assert archive == expected
    assert written.size == len(expected)
    assert written.sha256 == hashlib.sha256(expected).hexdigest()


def test_a_piece_kept_elsewhere_or_read_as_a_stream_in_memory_is_refused() -> None:
    with ZipArchive() as one, ZipArchive() as other:
        streamed = _streamed(PIECES, one, 4096)
        with pytest.raises(ValueError, match=r"pieces/01-contract\.pdf"):
            other.write(streamed)
        with pytest.raises(ValueError, match="scratch file"):
            write_zip(streamed)
