"""The backup file's encryption (issue 17, item 3): what a wrong passphrase, a file cut short
anywhere, an edited byte, another file or a newer format give. No database needed."""

from __future__ import annotations

import io
import os

import pytest

from issuance.services.backup.archive import MAGIC, SealedReader, SealedWriter
from issuance.services.backup.errors import (
    BackupDamaged,
    BackupFromNewerProgram,
    NotABackup,
    WrongPassphrase,
)

PASSPHRASE = "correct horse battery"
CHUNK = 64


def _sealed(data: bytes, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, PASSPHRASE, chunk=chunk)
    for start in range(0, len(data), 50):  # written in pieces that do not match the chunks
        writer.write(data[start : start + 50])
    writer.close()
    return out.getvalue()


def _opened(raw: bytes, passphrase: str = PASSPHRASE) -> bytes:
    return SealedReader(io.BytesIO(raw), passphrase).read()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 7])
def test_round_trip_of_any_length(size: int) -> None:
    data = os.urandom(size)
    raw = _sealed(data)
    assert _opened(raw) == data
    reader = SealedReader(io.BytesIO(raw), PASSPHRASE)
    assert b"".join(iter(lambda: reader.read(13), b"")) == data


def test_the_passphrase_is_needed_and_the_text_is_not_in_the_file() -> None:
    data = "Ëndrit Çela LQ0000001 ".encode() * 20
    raw = _sealed(data)
    assert b"LQ0000001" not in raw
    with pytest.raises(WrongPassphrase):
        _opened(raw, "another passphrase")


@pytest.mark.parametrize("size", [5 * CHUNK, 5 * CHUNK + 7])
def test_a_file_cut_short_anywhere_is_damaged(size: int) -> None:
    raw = _sealed(os.urandom(size))
    header_and_check = len(raw) - (size // CHUNK) * (CHUNK + 16) - (size % CHUNK + 16)
    for length in range(header_and_check, len(raw)):
        with pytest.raises(BackupDamaged):
            _opened(raw[:length])


def test_a_cut_inside_the_header_or_check_block() -> None:
    raw = _sealed(b"x" * 10)
    for length in (len(MAGIC) + 1, len(MAGIC) + 20, len(MAGIC) + 50):
        with pytest.raises((BackupDamaged, WrongPassphrase)):
            _opened(raw[:length])


def test_every_edited_byte_is_found() -> None:
    raw = _sealed(os.urandom(3 * CHUNK + 5))
    for position in range(len(MAGIC) + 1, len(raw)):
        edited = bytearray(raw)
        edited[position] ^= 0x01
        with pytest.raises((BackupDamaged, WrongPassphrase)):
            _opened(bytes(edited))


def test_chunks_swapped_or_appended_are_found() -> None:
    raw = _sealed(os.urandom(4 * CHUNK + 3))
    body_start = len(raw) - 4 * (CHUNK + 16) - (3 + 16)
    first = raw[body_start : body_start + CHUNK + 16]
    second = raw[body_start + CHUNK + 16 : body_start + 2 * (CHUNK + 16)]
    swapped = raw[:body_start] + second + first + raw[body_start + 2 * (CHUNK + 16) :]
    with pytest.raises(BackupDamaged):
        _opened(swapped)
    with pytest.raises(BackupDamaged):
        _opened(raw + b"more")


@pytest.mark.parametrize("raw", [b"", b"%PDF-1.7\n", b"SQLite format 3\x00" + bytes(100)])
def test_other_files_are_not_backups(raw: bytes) -> None:
    with pytest.raises(NotABackup):
        _opened(raw)


def test_a_newer_format_asks_for_a_newer_program() -> None:
    raw = bytearray(_sealed(b"data"))
    raw[len(MAGIC)] = 2
    with pytest.raises(BackupFromNewerProgram):
        _opened(bytes(raw))


def test_a_header_asking_for_absurd_costs_is_damaged() -> None:
    raw = bytearray(_sealed(b"data"))
    raw[len(MAGIC) + 5 : len(MAGIC) + 9] = (1 << 30).to_bytes(4, "big")  # memory: 1 TiB
    with pytest.raises(BackupDamaged):
        _opened(bytes(raw))
