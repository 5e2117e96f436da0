"""Personalising a blank card with the JMRTD applet's commands (plain, before the lock).

Files are written in the largest chunks the card accepts: first extended-length APDUs, then
short ones of 255 bytes, then smaller, stepping down whenever the card refuses the length.
"""

from __future__ import annotations

from dataclasses import dataclass

from issuance.chip.apdu import SW_OK, CommandApdu
from issuance.chip.bac import BacKey
from issuance.chip.commands import CommandLink
from issuance.chip.errors import ChipDataInvalid
from issuance.chip.lds import LdsFiles
from issuance.chip.reports import Progress
from issuance.chip.status_words import (
    CardNotBlank,
    FileAlreadyExists,
    SecurityStatusNotSatisfied,
    is_length_refusal,
    status_error,
)
from issuance.chip.tlv import tlv

MRTD_AID = bytes.fromhex("A0000002471001")
# UPDATE BINARY offsets are 15 bits, so no file and no chunk can be larger.
MAX_FILE_SIZE = 0x7FFF
WRITE_CHUNKS = (MAX_FILE_SIZE, 0xFF, 0xDF, 0x80, 0x40)


@dataclass(frozen=True)
class WriteResult:
    write_apdus: int
    bytes_written: int
    write_chunk: int
    refused_lengths: int


def select_applet(link: CommandLink) -> None:
    link.send(CommandApdu(0x00, 0xA4, 0x04, 0x00, MRTD_AID), "SELECT passport applet")


def bac_key_data(key: BacKey) -> bytes:
    # The applet adds the check digits itself; the number goes without its own.
    fields = (key.document_number, key.birth_date, key.expiry_date)
    return tlv(0x62, b"".join(tlv(0x04, f.encode("ascii")) for f in fields))


class _ChunkedWriter:
    def __init__(self, link: CommandLink) -> None:
        self.link = link
        self.level = 0
        self.apdus = 0
        self.written = 0
        self.refused = 0

    @property
    def chunk(self) -> int:
        return WRITE_CHUNKS[self.level]

    def write(self, file_id: int, content: bytes) -> None:
        offset = 0
        while offset < len(content):
            piece = content[offset : offset + self.chunk]
            apdu = CommandApdu(0x00, 0xD6, offset >> 8, offset & 0xFF, piece)
            _, sw = self.link.exchange(apdu)
            self.apdus += 1
            if sw == SW_OK:
                offset += len(piece)
                self.written += len(piece)
            elif is_length_refusal(sw) and self.level + 1 < len(WRITE_CHUNKS):
                self.level += 1  # the card wants smaller commands: stay smaller from now on
                self.refused += 1
            else:
                raise status_error(sw, f"UPDATE BINARY {file_id:04X} at {offset}")


def _create_and_select(link: CommandLink, file_id: int, size: int) -> None:
    fid = file_id.to_bytes(2, "big")
    try:
        link.send(
            CommandApdu(0x00, 0xE0, 0x00, 0x00, tlv(0x63, size.to_bytes(2, "big") + fid)),
            f"CREATE FILE {file_id:04X}",
        )
    except (FileAlreadyExists, SecurityStatusNotSatisfied) as exc:
        raise CardNotBlank(f"CREATE FILE answered {exc.sw:04X}") from exc
    link.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid), f"SELECT {file_id:04X}")


def write_files(
    link: CommandLink, files: LdsFiles, key: BacKey, progress: Progress | None = None
) -> WriteResult:
    """Select the applet, create and write every file, set the BAC key, lock the card."""
    contents = files.by_file_id()
    for file_id, content in contents:
        if len(content) > MAX_FILE_SIZE:
            raise ChipDataInvalid(f"file {file_id:04X} is {len(content)} bytes, over 32767")
    select_applet(link)
    writer = _ChunkedWriter(link)
    if not link.extended_length:
        writer.level = WRITE_CHUNKS.index(0xFF)  # full short APDUs; smaller only if refused
    for file_id, content in contents:
        if progress:
            progress(f"writing file {file_id:04X} ({len(content)} bytes)")
        _create_and_select(link, file_id, len(content))
        writer.write(file_id, content)
    link.send(CommandApdu(0x00, 0xDA, 0x00, 0x62, bac_key_data(key)), "PUT DATA BAC key")
    if progress:
        progress("locking the card")
    link.send(CommandApdu(0x00, 0xDA, 0xDE, 0xAD), "PUT DATA lock")
    return WriteResult(writer.apdus, writer.written, writer.chunk, writer.refused)
