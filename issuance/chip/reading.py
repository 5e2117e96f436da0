"""Reading a locked chip: BAC, then SELECT and READ BINARY under secure messaging.

Reads go in the largest chunks the card answers: an extended-length READ BINARY first, and
short reads of 223 bytes (what fits a short secure-messaging response) if the card refuses.
"""

from __future__ import annotations

from issuance.chip.apdu import SW_OK, CommandApdu
from issuance.chip.bac import BacKey, TerminalAuthentication
from issuance.chip.commands import CommandLink
from issuance.chip.errors import BacAuthenticationFailed, ChipContentMalformed
from issuance.chip.lds import DATA_GROUPS, EF_COM, EF_SOD, read_com_data_groups
from issuance.chip.personalisation import MAX_FILE_SIZE, select_applet
from issuance.chip.reports import ChipContents
from issuance.chip.secure_messaging import MAX_SHORT_SM_READ, TerminalChannel
from issuance.chip.status_words import (
    AuthenticationFailed,
    CardStatusError,
    SecurityStatusNotSatisfied,
    is_length_refusal,
    status_error,
)
from issuance.chip.tlv import tlv_total_length
from issuance.ports.card_reader import ApduTransport

READ_CHUNKS = (MAX_FILE_SIZE, MAX_SHORT_SM_READ)
_HEADER_READ = 4  # enough for a tag and a length of up to three bytes


class _PlainRefusal(Exception):
    """The card answered a protected command in plain, which ends the session."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


class SecureReader:
    """One BAC session on a chip, re-established after the card drops it for a long read."""

    def __init__(self, link: CommandLink, key: BacKey) -> None:
        self.link = link
        self.key = key
        # Extended reads only from a card that declares them; short SM reads otherwise.
        self.level = 0 if link.extended_length else READ_CHUNKS.index(MAX_SHORT_SM_READ)
        self.channel: TerminalChannel | None = None

    def authenticate(self) -> None:
        select_applet(self.link)
        terminal = TerminalAuthentication(self.key)
        challenge = self.link.send(CommandApdu(0x00, 0x84, 0x00, 0x00, le=8), "GET CHALLENGE")
        data = terminal.external_authenticate_data(challenge)
        try:
            answer = self.link.send(
                CommandApdu(0x00, 0x82, 0x00, 0x00, data, 40), "EXTERNAL AUTHENTICATE"
            )
        except (AuthenticationFailed, SecurityStatusNotSatisfied) as exc:
            raise BacAuthenticationFailed(f"EXTERNAL AUTHENTICATE answered {exc.sw:04X}") from exc
        self.channel = TerminalChannel(terminal.complete(answer))

    def _protected(self, apdu: CommandApdu, what: str) -> bytes:
        if self.channel is None:
            self.authenticate()
        assert self.channel is not None
        data, sw = self.link.exchange(self.channel.protect(apdu))
        if not data and sw != SW_OK:
            self.channel = None
            raise _PlainRefusal(sw)
        plain, inner_sw = self.channel.unprotect(data, sw)
        if inner_sw != SW_OK:
            raise status_error(inner_sw, what)
        return plain

    def select(self, file_id: int) -> None:
        apdu = CommandApdu(0x00, 0xA4, 0x02, 0x0C, file_id.to_bytes(2, "big"))
        try:
            self._protected(apdu, f"SELECT {file_id:04X}")
        except _PlainRefusal as refusal:
            raise status_error(refusal.sw, f"SELECT {file_id:04X}") from None

    def _read(self, file_id: int, offset: int, length: int) -> bytes:
        what = f"READ BINARY {file_id:04X} at {offset}"
        while True:
            size = min(length, READ_CHUNKS[self.level])
            apdu = CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=size)
            try:
                return self._protected(apdu, what)
            except _PlainRefusal as refusal:
                if not is_length_refusal(refusal.sw) or self.level + 1 >= len(READ_CHUNKS):
                    raise status_error(refusal.sw, what) from None
            except CardStatusError as error:
                if not is_length_refusal(error.sw) or self.level + 1 >= len(READ_CHUNKS):
                    raise
            # The card refused the length: smaller reads from now on, in a fresh session.
            self.level += 1
            self.channel = None
            self.select(file_id)

    def read_file(self, file_id: int) -> bytes:
        self.select(file_id)
        content = self._read(file_id, 0, _HEADER_READ)
        total = tlv_total_length(content)
        if total is None or total > MAX_FILE_SIZE:
            raise ChipContentMalformed(f"file {file_id:04X} does not start with a TLV header")
        while len(content) < total:
            piece = self._read(file_id, len(content), total - len(content))
            if not piece:
                raise ChipContentMalformed(f"file {file_id:04X} is shorter than its header says")
            content += piece
        return content[:total]


def read_chip(transport: ApduTransport, key: BacKey) -> ChipContents:
    """Every LDS file the chip lists in EF.COM, and EF.SOD, read under BAC."""
    link = CommandLink(transport)
    reader = SecureReader(link, key)
    reader.authenticate()
    com = reader.read_file(EF_COM)
    groups = {n: reader.read_file(DATA_GROUPS[n][1]) for n in read_com_data_groups(com)}
    sod = reader.read_file(EF_SOD)
    return ChipContents(com, groups, sod, link.apdu_count, READ_CHUNKS[reader.level])
