"""A blank passport chip that behaves like the JMRTD applet.

Before the lock it takes the personalisation commands in plain; after ``PUT DATA DE AD`` it
only answers BAC and secure-messaging SELECT / READ BINARY, and refuses every write.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from issuance.chip.apdu import CommandApdu, is_extended
from issuance.chip.bac import BacKey, ChipAuthentication
from issuance.chip.errors import (
    BacAuthenticationFailed,
    ChipContentMalformed,
    SecureMessagingFailed,
)
from issuance.chip.secure_messaging import SM_CLA, ChipChannel
from issuance.chip.tlv import iter_tlv, single

MRTD_AID = bytes.fromhex("A0000002471001")
SW_OK = 0x9000
SW_AUTH_FAILED = 0x6300
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_COMMAND_NOT_ALLOWED = 0x6986
SW_SM_DATA_WRONG = 0x6988
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_FILE_FULL = 0x6A84
SW_FILE_EXISTS = 0x6A89
SW_WRONG_OFFSET = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00

INS_SELECT = 0xA4
INS_CREATE_FILE = 0xE0
INS_UPDATE_BINARY = 0xD6
INS_READ_BINARY = 0xB0
INS_PUT_DATA = 0xDA
INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82


class _Refused(Exception):
    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


@dataclass
class _State:
    files: dict[int, bytearray] = field(default_factory=dict)
    key_seed: bytes | None = None
    locked: bool = False


class PassportApplet:
    """The card's logic; transport-free so tests can drive it directly.

    ``extended_length`` False makes the card answer 6700 to extended APDUs, and
    ``max_command_data`` caps the data of one command, like small real cards.
    """

    def __init__(self, extended_length: bool = True, max_command_data: int = 65535) -> None:
        self.extended_length = extended_length
        self.max_command_data = max_command_data
        self._lock = threading.Lock()
        self._state = _State()
        self.reset()

    # --- card life cycle ------------------------------------------------------------------

    def reset(self) -> None:
        """Power cycle: the applet is deselected and any BAC session is lost; files stay."""
        self._selected = False
        self._file: int | None = None
        self._bac: ChipAuthentication | None = None
        self._channel: ChipChannel | None = None

    def wipe(self) -> None:
        """Back to a blank, unlocked card."""
        with self._lock:
            self._state = _State()
            self.reset()

    @property
    def locked(self) -> bool:
        return self._state.locked

    def file_content(self, file_id: int) -> bytes:
        return bytes(self._state.files[file_id])

    # --- APDU processing -----------------------------------------------------------------

    def process(self, raw: bytes) -> bytes:
        """Answer one command APDU with response data and status word."""
        with self._lock:
            try:
                if is_extended(raw) and not self.extended_length:
                    raise _Refused(SW_WRONG_LENGTH)
                apdu = CommandApdu.parse(raw)
                if len(apdu.data) > self.max_command_data:
                    raise _Refused(SW_WRONG_LENGTH)
                if apdu.cla & SM_CLA == SM_CLA:
                    return self._secure(apdu)
                data, sw = self._plain(apdu)
            except _Refused as refusal:
                data, sw = b"", refusal.sw
            except ValueError:
                data, sw = b"", SW_WRONG_LENGTH
            return data + sw.to_bytes(2, "big")

    def _plain(self, apdu: CommandApdu) -> tuple[bytes, int]:
        if apdu.cla != 0x00:
            raise _Refused(SW_CLA_NOT_SUPPORTED)
        if apdu.ins == INS_SELECT and apdu.p1 == 0x04:
            return self._select_applet(apdu)
        if not self._selected:
            raise _Refused(SW_CONDITIONS_NOT_SATISFIED)
        if self._state.locked:
            return self._plain_locked(apdu)
        handlers = {
            INS_SELECT: self._select_file,
            INS_CREATE_FILE: self._create_file,
            INS_UPDATE_BINARY: self._update_binary,
            INS_READ_BINARY: self._read_binary,
            INS_PUT_DATA: self._put_data,
        }
        if apdu.ins not in handlers:
            raise _Refused(
                SW_INS_NOT_SUPPORTED
                if apdu.ins not in (0x84, 0x82)
                else SW_CONDITIONS_NOT_SATISFIED
            )
        return handlers[apdu.ins](apdu)

    def _plain_locked(self, apdu: CommandApdu) -> tuple[bytes, int]:
        self._channel = None  # a plain command ends any secure-messaging session
        if apdu.ins == INS_GET_CHALLENGE:
            if apdu.le != 8:
                raise _Refused(SW_WRONG_LENGTH)
            self._bac = ChipAuthentication(self._state.key_seed or b"")
            return self._bac.challenge(), SW_OK
        if apdu.ins == INS_EXTERNAL_AUTHENTICATE:
            bac, self._bac = self._bac, None
            if bac is None:
                raise _Refused(SW_CONDITIONS_NOT_SATISFIED)
            try:
                answer, keys = bac.answer(apdu.data)
            except BacAuthenticationFailed:
                raise _Refused(SW_AUTH_FAILED) from None
            self._channel = ChipChannel(keys)
            return answer, SW_OK
        # Reads need BAC and writes are over once the card is locked.
        raise _Refused(SW_SECURITY_NOT_SATISFIED)

    def _secure(self, apdu: CommandApdu) -> bytes:
        channel = self._channel
        if channel is None or not self._state.locked:
            return SW_SECURITY_NOT_SATISFIED.to_bytes(2, "big")
        try:
            plain = channel.unprotect(apdu)
        except (SecureMessagingFailed, ChipContentMalformed):
            self._channel = None  # ICAO 9303-11: a broken command aborts the session
            return SW_SM_DATA_WRONG.to_bytes(2, "big")
        try:
            if plain.ins == INS_SELECT and plain.p1 == 0x02:
                data, sw = self._select_file(plain)
            elif plain.ins == INS_READ_BINARY:
                data, sw = self._read_binary(plain)
            elif plain.ins in (INS_UPDATE_BINARY, INS_CREATE_FILE, INS_PUT_DATA):
                raise _Refused(SW_COMMAND_NOT_ALLOWED)
            else:
                raise _Refused(SW_INS_NOT_SUPPORTED)
        except _Refused as refusal:
            data, sw = b"", refusal.sw
        return channel.protect(data, sw) + sw.to_bytes(2, "big")

    # --- commands ------------------------------------------------------------------------

    def _select_applet(self, apdu: CommandApdu) -> tuple[bytes, int]:
        if apdu.data != MRTD_AID:
            raise _Refused(SW_FILE_NOT_FOUND)
        self.reset()
        self._selected = True
        return b"", SW_OK

    def _select_file(self, apdu: CommandApdu) -> tuple[bytes, int]:
        if apdu.p1 != 0x02 or len(apdu.data) != 2:
            raise _Refused(SW_WRONG_DATA)
        file_id = int.from_bytes(apdu.data, "big")
        if file_id not in self._state.files:
            raise _Refused(SW_FILE_NOT_FOUND)
        self._file = file_id
        return b"", SW_OK

    def _create_file(self, apdu: CommandApdu) -> tuple[bytes, int]:
        try:
            body = single(apdu.data, 0x63)
        except ChipContentMalformed:
            raise _Refused(SW_WRONG_DATA) from None
        if len(body) != 4:
            raise _Refused(SW_WRONG_DATA)
        size, file_id = int.from_bytes(body[:2], "big"), int.from_bytes(body[2:], "big")
        if file_id in self._state.files:
            raise _Refused(SW_FILE_EXISTS)
        self._state.files[file_id] = bytearray(size)
        return b"", SW_OK

    def _current_file(self) -> bytearray:
        if self._file is None:
            raise _Refused(SW_CONDITIONS_NOT_SATISFIED)
        return self._state.files[self._file]

    def _update_binary(self, apdu: CommandApdu) -> tuple[bytes, int]:
        content = self._current_file()
        offset = (apdu.p1 << 8) | apdu.p2
        if apdu.p1 & 0x80 or offset > len(content):
            raise _Refused(SW_WRONG_OFFSET)
        if offset + len(apdu.data) > len(content):
            raise _Refused(SW_FILE_FULL)
        content[offset : offset + len(apdu.data)] = apdu.data
        return b"", SW_OK

    def _read_binary(self, apdu: CommandApdu) -> tuple[bytes, int]:
        content = self._current_file()
        offset = (apdu.p1 << 8) | apdu.p2
        if apdu.p1 & 0x80 or offset > len(content):
            raise _Refused(SW_WRONG_OFFSET)
        return bytes(content[offset : offset + (apdu.le or 256)]), SW_OK

    def _put_data(self, apdu: CommandApdu) -> tuple[bytes, int]:
        if (apdu.p1, apdu.p2) == (0xDE, 0xAD):
            if self._state.key_seed is None:
                raise _Refused(SW_CONDITIONS_NOT_SATISFIED)
            self._state.locked = True
            self._file = None
            return b"", SW_OK
        if (apdu.p1, apdu.p2) != (0x00, 0x62):
            raise _Refused(SW_WRONG_DATA)
        try:
            values = [v for tag, v in iter_tlv(single(apdu.data, 0x62)) if tag == 0x04]
            number, birth, expiry = (v.decode("ascii") for v in values)
            self._state.key_seed = BacKey.of(number, birth, expiry).key_seed()
        except (ChipContentMalformed, ValueError, KeyError):
            raise _Refused(SW_WRONG_DATA) from None
        return b"", SW_OK
