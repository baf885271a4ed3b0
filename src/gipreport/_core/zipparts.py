"""The parts of a zip package (a docx, a docx template), read with every size capped.

Shared by the docx reader and the docx template reader, so both hold to the
same limits (:mod:`gipreport._core.limits`): at most :data:`MAX_MEMBERS`
members, parts compressed with :data:`ZIP_METHODS` only, at most
:data:`MAX_PART_BYTES` unpacked per part and :data:`MAX_UNPACKED_BYTES` in all.
The sizes in the zip headers are not believed: a part is unpacked a chunk at a
time until it ends or passes its limit.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from typing import Final

from gipreport._core.limits import (
    MAX_INPUT_BYTES,
    MAX_MEMBERS,
    MAX_PART_BYTES,
    MAX_UNPACKED_BYTES,
    ZIP_METHODS,
)

__all__ = ["PackageError", "ZipParts"]

_CHUNK: Final = 2**20
_METHOD_NAMES: Final = {
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    9: "deflate64",
}

ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    KeyError,
    UnicodeDecodeError,
    struct.error,
)
"""What :mod:`zipfile` raises on a damaged, truncated, encrypted or exotic package."""


class PackageError(Exception):
    """A package that cannot be read within the limits; ``member`` names the part, if one.

    Internal: each caller turns it into its own gipreport error (a reader's
    :class:`~gipreport.ParseError`, a template's :class:`~gipreport.RenderError`).
    """

    def __init__(self, reason: str, member: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.member = member


class ZipParts(Mapping[str, bytes]):
    """The members of a zip package by name; a member is unpacked (capped) when first asked for.

    Raises :class:`PackageError` for a package that is no zip, has too many members,
    or a part that is too large, encrypted, damaged or compressed other than by
    :data:`ZIP_METHODS`.
    """

    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_INPUT_BYTES:
            msg = f"the file is larger than {MAX_INPUT_BYTES // 2**20} MiB"
            raise PackageError(msg)
        # zipfile builds an object per member before anyone can count them. Each
        # member's central directory entry must start with this signature (zipfile
        # refuses the package otherwise), so counting it bounds the number of members.
        if data.count(b"PK\x01\x02") > MAX_MEMBERS:
            msg = f"the zip file has more than {MAX_MEMBERS} members"
            raise PackageError(msg)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except ZIP_ERRORS as error:
            msg = f"a damaged or truncated zip file: {error}"
            raise PackageError(msg) from None
        self.infos: Final = {info.filename: info for info in infos}
        self._read: dict[str, bytes] = {}
        self._left = MAX_UNPACKED_BYTES

    def __getitem__(self, name: str) -> bytes:
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = bytes(self.unpack(self.infos[name]))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)

    def unpack(self, info: zipfile.ZipInfo) -> bytearray:
        """Return the unpacked bytes of one member, counting them as they come."""
        name = info.filename
        if info.compress_type not in ZIP_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, "unknown")
            msg = (
                f"{name} uses compression method {info.compress_type} ({method}), which is "
                "not read: a docx part is stored or deflated, as Word, WPS and LibreOffice write it"
            )
            raise PackageError(msg, name)
        limit = min(MAX_PART_BYTES, self._left)
        chunks = bytearray()
        try:
            with self._zip.open(info) as member:
                while len(chunks) <= limit and (chunk := member.read(_CHUNK)):
                    chunks += chunk
        except RuntimeError as error:  # what zipfile raises for a member that needs a password
            if isinstance(error, NotImplementedError):  # pragma: no cover - methods checked
                raise PackageError(f"{name} cannot be unpacked: {error}", name) from None
            msg = f"{name} is encrypted (the file has a password)"
            raise PackageError(msg, name) from None
        except ZIP_ERRORS as error:
            msg = f"{name} cannot be read (a damaged zip file: {error})"
            raise PackageError(msg, name) from None
        if len(chunks) > MAX_PART_BYTES:
            msg = f"{name} is larger than {MAX_PART_BYTES // 2**20} MiB when uncompressed"
            raise PackageError(msg, name)
        if len(chunks) > limit:
            msg = (
                f"the parts read are larger than {MAX_UNPACKED_BYTES // 2**20} MiB in all "
                "when uncompressed"
            )
            raise PackageError(msg, name)
        self._left -= len(chunks)
        return chunks
