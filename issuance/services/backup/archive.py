"""The backup file's encryption: one passphrase, argon2id, AES-256-GCM in chunks.

Layout: a fixed header (magic, format, the argon2id cost and salt, a nonce prefix, the chunk
size), a *check block* (a known text sealed under the key: a wrong passphrase is told apart
from a damaged file), then the body in chunks of ``chunk`` bytes, each sealed with AES-GCM
under a nonce made of the prefix, the chunk's number and a last-chunk flag, with the header
as associated data. A file cut short (at a chunk boundary or not), a chunk moved, replaced or
edited, a header changed: each fails to decrypt. Nothing is returned before it has been
authenticated.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import IO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from issuance.security.passwords import PROFILE_VARIABLE
from issuance.services.backup.errors import (
    BackupDamaged,
    BackupFromNewerProgram,
    NotABackup,
    WrongPassphrase,
)

MAGIC = b"ISSUANCE-BACKUP\x00"
FORMAT = 1
CHUNK = 1 << 20
_TAG = 16
_HEADER = struct.Struct(">16sBIIB16s7sI")  # magic, format, t, m (KiB), p, salt, prefix, chunk
_CHECK_TEXT = b"issuance-backup/passphrase-check/v1"
# What a reader accepts from a header (a hostile file must not make it allocate 64 GiB).
_MAX_TIME, _MAX_MEMORY_KIB, _MAX_LANES, _MAX_CHUNK = 16, 1 << 20, 16, 1 << 24
# argon2id per profile (the same switch as operators' passwords: the test profile is cheap).
_COSTS = {"production": (3, 65536, 4), "test": (1, 8, 1)}


@dataclass(frozen=True)
class _Header:
    time_cost: int
    memory_kib: int
    lanes: int
    salt: bytes
    prefix: bytes
    chunk: int

    def pack(self) -> bytes:
        return _HEADER.pack(MAGIC, FORMAT, self.time_cost, self.memory_kib, self.lanes,
                            self.salt, self.prefix, self.chunk)  # fmt: skip

    def key(self, passphrase: str) -> bytes:
        return hash_secret_raw(
            passphrase.encode(), self.salt, time_cost=self.time_cost,
            memory_cost=self.memory_kib, parallelism=self.lanes, hash_len=32, type=Type.ID,
        )  # fmt: skip


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", number, last)


class SealedWriter:
    """A write-only stream that encrypts what it is given into ``out``; ``close`` seals the
    last chunk (without it the file reads as cut short)."""

    def __init__(self, out: IO[bytes], passphrase: str, chunk: int = CHUNK) -> None:
        profile = os.environ.get(PROFILE_VARIABLE, "").strip() or "production"
        time_cost, memory, lanes = _COSTS.get(profile, _COSTS["production"])
        self._header = _Header(time_cost, memory, lanes, os.urandom(16), os.urandom(7), chunk)
        self._aad = self._header.pack()
        self._aead = AESGCM(self._header.key(passphrase))
        self._out, self._buffer, self._number, self._closed = out, bytearray(), 0, False
        out.write(self._aad)
        out.write(self._aead.encrypt(_nonce(self._header.prefix, 0, False), _CHECK_TEXT,
                                     self._aad))  # fmt: skip

    def write(self, data: bytes) -> int:
        self._buffer += data
        size, start = self._header.chunk, 0
        with memoryview(self._buffer) as view:
            while len(view) - start >= size:
                self._emit(bytes(view[start : start + size]), last=False)
                start += size
        del self._buffer[:start]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        self._number += 1
        nonce = _nonce(self._header.prefix, self._number, last)
        self._out.write(self._aead.encrypt(nonce, plain, self._aad))

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class SealedReader:
    """A read-only stream of what a ``SealedWriter`` wrote; raises ``NotABackup``,
    ``BackupFromNewerProgram``, ``WrongPassphrase`` or ``BackupDamaged``."""

    def __init__(self, source: IO[bytes], passphrase: str) -> None:
        self._header, self._aad = _read_header(source)
        self._aead = AESGCM(self._header.key(passphrase))
        check = source.read(len(_CHECK_TEXT) + _TAG)
        try:
            self._aead.decrypt(_nonce(self._header.prefix, 0, False), check, self._aad)
        except InvalidTag:
            raise WrongPassphrase() from None
        self._source, self._buffer, self._offset = source, b"", 0
        self._number, self._ended = 0, False

    def read(self, size: int = -1) -> bytes:
        # The decrypted chunk is kept whole and read from an offset: tar reads 10 KiB at a
        # time, and cutting the front off a 1 MiB buffer at each read would copy it each time.
        pieces: list[bytes] = []
        wanted = size
        while wanted != 0:
            if self._offset >= len(self._buffer):
                if self._ended:
                    break
                self._buffer, self._offset = b"", 0
                self._next_chunk()
                continue
            end = len(self._buffer) if wanted < 0 else min(len(self._buffer), self._offset + wanted)
            pieces.append(self._buffer[self._offset : end])
            if wanted > 0:
                wanted -= end - self._offset
            self._offset = end
        return b"".join(pieces)

    def _next_chunk(self) -> None:
        block = self._source.read(self._header.chunk + _TAG)
        last = len(block) < self._header.chunk + _TAG
        if last and len(block) < _TAG:
            raise BackupDamaged()  # cut short: the sealed last chunk is missing
        self._number += 1
        try:
            nonce = _nonce(self._header.prefix, self._number, last)
            self._buffer = self._aead.decrypt(nonce, block, self._aad)
        except InvalidTag:
            raise BackupDamaged() from None
        if last:
            if self._source.read(1):
                raise BackupDamaged()
            self._ended = True


def _read_header(source: IO[bytes]) -> tuple[_Header, bytes]:
    raw = source.read(_HEADER.size)
    if len(raw) < len(MAGIC) or raw[: len(MAGIC)] != MAGIC:
        raise NotABackup()
    if raw[len(MAGIC)] > FORMAT:
        raise BackupFromNewerProgram()
    if len(raw) < _HEADER.size:
        raise BackupDamaged()
    _, version, time_cost, memory, lanes, salt, prefix, chunk = _HEADER.unpack(raw)
    sane = (
        version == FORMAT
        and 1 <= time_cost <= _MAX_TIME
        and 1 <= lanes <= _MAX_LANES
        and 8 * lanes <= memory <= _MAX_MEMORY_KIB
        and 1 <= chunk <= _MAX_CHUNK
    )
    if not sane:
        raise BackupDamaged()
    return _Header(time_cost, memory, lanes, salt, prefix, chunk), raw
