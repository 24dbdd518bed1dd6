"""The dossier as a zip (stdlib zipfile), deterministic: the same files give the same
bytes. Entries are sorted, every timestamp is the zip epoch (1980-01-01), permissions and
compression level are fixed, so an unchanged dossier hashes the same and is stored once."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from domain.judicial.dossier import DossierFile

_EPOCH = (1980, 1, 1, 0, 0, 0)
# Already compressed pieces (PDF streams, PNG, JPEG) gain nothing from deflate: stored.
_STORED = ("application/pdf", "image/png", "image/jpeg")


def write_zip(files: Sequence[DossierFile]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for f in sorted(files, key=lambda f: f.path):
            info = zipfile.ZipInfo(f.path, date_time=_EPOCH)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # Unix, whatever machine builds it
            if f.content_type in _STORED:
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, f.body)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, f.body, compresslevel=6)
    return buffer.getvalue()
