"""Secure messaging with 3DES session keys (ICAO 9303 part 11, section 9.8).

``TerminalChannel`` protects commands and checks responses; ``ChipChannel`` is the mirror
image used by the virtual card.
"""

from __future__ import annotations

import hmac

from issuance.chip.apdu import CommandApdu
from issuance.chip.bac import RetailMac, SessionKeys, TripleDesCbc, pad, unpad
from issuance.chip.errors import SecureMessagingFailed
from issuance.chip.tlv import iter_tlv, tlv

SM_CLA = 0x0C
# The largest READ BINARY that still fits a short secure-messaging response (256 bytes).
MAX_SHORT_SM_READ = 0xDF


class _Channel:
    """One secure-messaging session: its keys' cipher objects are built here, once.

    Every protected APDU then only opens fresh encryptor/decryptor contexts on them.
    """

    def __init__(self, keys: SessionKeys) -> None:
        self.k_enc = keys.enc
        self.k_mac = keys.mac
        self.ssc = keys.ssc
        self._enc = TripleDesCbc(keys.enc)
        self._mac_key = RetailMac(keys.mac)

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    def _mac(self, data: bytes) -> bytes:
        return self._mac_key.mac(self._next_ssc() + data)

    def _encrypted_do(self, plain: bytes) -> bytes:
        return tlv(0x87, b"\x01" + self._enc.encrypt(pad(plain)))

    def _decrypt_do(self, value: bytes) -> bytes:
        if not value or value[0] != 0x01 or (len(value) - 1) % 8:
            raise SecureMessagingFailed("malformed encrypted data object")
        try:
            return unpad(self._enc.decrypt(value[1:]))
        except ValueError as exc:
            raise SecureMessagingFailed("wrong padding in encrypted data") from exc


def _header(apdu: CommandApdu) -> bytes:
    return pad(bytes([apdu.cla | SM_CLA, apdu.ins, apdu.p1, apdu.p2]))


def _le_do(le: int) -> bytes:
    value = bytes([le % 256]) if le <= 256 else (le % 65536).to_bytes(2, "big")
    return tlv(0x97, value)


class TerminalChannel(_Channel):
    """The terminal's end of a secure-messaging session."""

    def protect(self, apdu: CommandApdu) -> CommandApdu:
        body = self._encrypted_do(apdu.data) if apdu.data else b""
        if apdu.le is not None:
            body += _le_do(apdu.le)
        body += tlv(0x8E, self._mac(_header(apdu) + body))
        le = 65536 if apdu.le is not None and apdu.le > MAX_SHORT_SM_READ else 256
        return CommandApdu(apdu.cla | SM_CLA, apdu.ins, apdu.p1, apdu.p2, body, le)

    def unprotect(self, data: bytes, sw: int) -> tuple[bytes, int]:
        """Check the response's MAC and return the plain (data, status word)."""
        objects = list(iter_tlv(data))
        tags = [tag for tag, _ in objects]
        if 0x8E not in tags:
            # The chip answered in plain: it has ended the session (ICAO 9303-11 9.8.4).
            raise SecureMessagingFailed(f"the chip answered {sw:04X} without secure messaging")
        macced = b"".join(tlv(tag, value) for tag, value in objects if tag in (0x87, 0x99))
        found = dict(objects)
        if not hmac.compare_digest(self._mac(macced), found[0x8E]):
            raise SecureMessagingFailed("the response MAC does not verify")
        if 0x99 not in found or len(found[0x99]) != 2:
            raise SecureMessagingFailed("the response has no protected status word")
        plain = self._decrypt_do(found[0x87]) if 0x87 in found else b""
        return plain, int.from_bytes(found[0x99], "big")


class ChipChannel(_Channel):
    """The chip's end of a secure-messaging session (used by the virtual card)."""

    def unprotect(self, apdu: CommandApdu) -> CommandApdu:
        if apdu.cla & SM_CLA != SM_CLA:
            raise SecureMessagingFailed("command without secure messaging")
        objects = list(iter_tlv(apdu.data))
        found = dict(objects)
        macced = b"".join(tlv(tag, value) for tag, value in objects if tag in (0x87, 0x97))
        plain_cla = apdu.cla & ~SM_CLA
        header = _header(CommandApdu(plain_cla, apdu.ins, apdu.p1, apdu.p2))
        if 0x8E not in found or not hmac.compare_digest(self._mac(header + macced), found[0x8E]):
            raise SecureMessagingFailed("the command MAC does not verify")
        data = self._decrypt_do(found[0x87]) if 0x87 in found else b""
        le = None
        if 0x97 in found:
            le = int.from_bytes(found[0x97], "big") or (256 if len(found[0x97]) == 1 else 65536)
        return CommandApdu(plain_cla, apdu.ins, apdu.p1, apdu.p2, data, le)

    def protect(self, data: bytes, sw: int) -> bytes:
        """The response data field (without the outer status word)."""
        body = self._encrypted_do(data) if data else b""
        body += tlv(0x99, sw.to_bytes(2, "big"))
        return body + tlv(0x8E, self._mac(body))
