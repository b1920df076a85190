"""A deterministic zip writer whose members may be compressed ahead of time.

The parts a deck shares with its template (masters, layouts, theme) are the
same in every deck made from that template, so they are deflated once per
process (:func:`deflate`) and copied into each package as bytes; only the
parts written for the deck cost compression time. Every member gets the
timestamp 1980-01-01 00:00 and no extra fields, in the order given, so equal
members give equal bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_LOCAL = struct.Struct("<I5H3I2H")
_CENTRAL = struct.Struct("<I6H3I5H2I")
_END = struct.Struct("<I4H2IH")
_DOS_DATE = (0 << 9) | (1 << 5) | 1
"""1980-01-01, the earliest date a zip member can carry."""
_DOS_TIME = 0
_STORED = 0
_VERSION = 20
_UTF8_NAME = 0x800


@dataclass(frozen=True, slots=True)
class ZipMember:
    """One member: its name, the CRC-32 and size of its content, and its bytes as written."""

    name: str
    crc: int
    size: int
    data: bytes
    """The deflate stream, or the content itself when ``method`` is 0 (stored)."""
    method: int = 8


def deflate(name: str, content: bytes, level: int = 6) -> ZipMember:
    """``content`` compressed as the zip member ``name``."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return ZipMember(name, zlib.crc32(content), len(content), data)


def store(name: str, content: bytes) -> ZipMember:
    """``content`` as the zip member ``name``, uncompressed (for content that is compressed already)."""
    return ZipMember(name, zlib.crc32(content), len(content), content, _STORED)


def zip_bytes(members: Iterable[ZipMember]) -> bytes:
    """A zip archive of ``members``, in order, with fixed timestamps."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        fields = (flags, member.method, _DOS_TIME, _DOS_DATE, member.crc, len(member.data), member.size)
        header = _LOCAL.pack(0x04034B50, _VERSION, *fields, len(name), 0)
        chunks += (header, name, member.data)
        central.append(
            _CENTRAL.pack(0x02014B50, _VERSION, _VERSION, *fields, len(name), 0, 0, 0, 0, 0, offset) + name
        )
        offset += len(header) + len(name) + len(member.data)
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
