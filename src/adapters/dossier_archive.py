"""The dossier as a zip (stdlib zipfile), deterministic: the same files give the same
bytes. Entries are sorted, every timestamp is the zip epoch (1980-01-01), permissions and
compression level are fixed, so an unchanged dossier hashes the same and is stored once.

`ZipArchive` writes it on temporary files (a Lambda's /tmp, template.yaml's
EphemeralStorage), never whole in memory: the stored pieces as they stream in, one after
another in a scratch file, then the zip, each piece copied in by chunks. Its bytes are
those `write_zip` makes in memory from the same files (tests/unit/test_dossier_archive.py
holds them to it)."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from domain.judicial.dossier import DossierFile
from domain.ports.documents import CHUNK_BYTES, WrittenArchive

_EPOCH = (1980, 1, 1, 0, 0, 0)
# Already compressed pieces (PDF streams, PNG, JPEG) gain nothing from deflate: stored.
_STORED = ("application/pdf", "image/png", "image/jpeg")
_LEVEL = 6


def _info(f: DossierFile) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f.path, date_time=_EPOCH)
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    info.create_system = 3  # Unix, whatever machine builds it
    info.compress_type = zipfile.ZIP_STORED if f.content_type in _STORED \
        else zipfile.ZIP_DEFLATED
    return info


def _write_body(archive: zipfile.ZipFile, f: DossierFile) -> None:
    info = _info(f)
    if info.compress_type == zipfile.ZIP_STORED:
        archive.writestr(info, f.body)
    else:
        archive.writestr(info, f.body, compresslevel=_LEVEL)


def write_zip(files: Sequence[DossierFile]) -> bytes:
    """The zip in memory, of files that hold their bytes (no piece read as a stream)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for f in sorted(files, key=lambda f: f.path):
            if f.stored is not None:
                raise ValueError(f"{f.path}: its bytes are in a ZipArchive's scratch file")
            _write_body(archive, f)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class _Kept:
    """Where a piece's bytes are in which archive's scratch file."""

    space: ZipArchive
    offset: int
    size: int


class ZipArchive:
    """Implements domain.ports.documents.DossierArchive on temporary files (unnamed, so
    gone with the process whatever happens; closed on leaving)."""

    def __init__(self, directory: str | None = None) -> None:
        self._directory = directory
        self._scratch: IO[bytes] = tempfile.TemporaryFile(dir=directory)
        self._end = 0
        self._written: IO[bytes] | None = None

    def __enter__(self) -> ZipArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._scratch.close()
        if self._written is not None:
            self._written.close()

    def keep(self, chunks: Iterable[bytes]) -> object:
        self._scratch.seek(self._end)
        for chunk in chunks:
            self._scratch.write(chunk)
        start, self._end = self._end, self._scratch.tell()
        return _Kept(self, start, self._end - start)

    def _chunks(self, kept: _Kept) -> Iterator[bytes]:
        self._scratch.seek(kept.offset)
        left = kept.size
        while left:
            chunk = self._scratch.read(min(CHUNK_BYTES, left))
            if not chunk:
                raise OSError(f"the scratch file ends {left} bytes short of a piece")
            left -= len(chunk)
            yield chunk

    def write(self, files: Sequence[DossierFile]) -> WrittenArchive:
        out: IO[bytes] = tempfile.TemporaryFile(dir=self._directory)
        self._written = out
        with zipfile.ZipFile(out, "w") as archive:
            for f in sorted(files, key=lambda f: f.path):
                if f.stored is None:
                    _write_body(archive, f)
                    continue
                if not (isinstance(f.stored.ref, _Kept) and f.stored.ref.space is self):
                    raise ValueError(f"{f.path}: not kept by this archive")
                info = _info(f)
                # Known before the header is written, as writestr knows it: the same zip64
                # choice, so the same bytes. Deflate (level 6, zlib's default, which
                # writestr's `compresslevel=6` asks) gives the same stream however its
                # input is cut.
                info.file_size = f.stored.size
                with archive.open(info, "w") as entry:
                    for chunk in self._chunks(f.stored.ref):
                        entry.write(chunk)
        size = out.tell()
        out.seek(0)
        digest = hashlib.sha256()
        while chunk := out.read(CHUNK_BYTES):
            digest.update(chunk)
        out.seek(0)
        return WrittenArchive(size, digest.hexdigest(), out)
