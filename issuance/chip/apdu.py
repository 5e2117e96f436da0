"""Command APDUs (ISO/IEC 7816-4), short and extended length."""

from __future__ import annotations

from dataclasses import dataclass

SW_OK = 0x9000


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # number of bytes expected; 256 / 65536 mean "as many as possible"

    def needs_extended(self) -> bool:
        return len(self.data) > 255 or (self.le is not None and self.le > 256)

    def encode(self, extended: bool | None = None) -> bytes:
        ext = self.needs_extended() if extended is None else extended
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += (b"\x00" + len(self.data).to_bytes(2, "big")) if ext else bytes([len(self.data)])
            out += self.data
        if self.le is not None:
            if ext:
                prefix = b"" if self.data else b"\x00"
                out += prefix + (self.le % 65536).to_bytes(2, "big")
            else:
                out += bytes([self.le % 256])
        return out

    @classmethod
    def parse(cls, raw: bytes) -> CommandApdu:
        if len(raw) < 4:
            raise ValueError("an APDU has at least four bytes")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        if body[0] != 0:
            lc = body[0]
            data, rest = body[1 : 1 + lc], body[1 + lc :]
            if len(data) != lc or len(rest) > 1:
                raise ValueError("short APDU length mismatch")
            return cls(cla, ins, p1, p2, data, (rest[0] or 256) if rest else None)
        if len(body) == 3:
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or 65536)
        lc = int.from_bytes(body[1:3], "big")
        data, rest = body[3 : 3 + lc], body[3 + lc :]
        if lc == 0 or len(data) != lc or len(rest) not in (0, 2):
            raise ValueError("extended APDU length mismatch")
        le = (int.from_bytes(rest, "big") or 65536) if rest else None
        return cls(cla, ins, p1, p2, data, le)


def is_extended(raw: bytes) -> bool:
    """Whether an encoded command APDU uses extended length fields."""
    return len(raw) > 5 and raw[4] == 0


def atr_historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (ISO/IEC 7816-3 8.2), or b"" if it has none or is cut."""
    if len(atr) < 2:
        return b""
    count = atr[1] & 0x0F
    index, indicator = 2, atr[1]
    while True:
        # TA, TB, TC, TD of this round are present as bits 5..8 of the indicator say.
        index += bin(indicator & 0xF0).count("1")
        if not indicator & 0x80:
            break
        if index - 1 >= len(atr):
            return b""
        indicator = atr[index - 1]
    historical = atr[index : index + count]
    return historical if len(historical) == count else b""


def declares_extended_length(atr: bytes) -> bool:
    """Whether the card says in its ATR that it takes extended Lc and Le fields.

    ISO/IEC 7816-4 8.1.1: historical bytes with category indicator 00 or 80 carry
    COMPACT-TLV objects; the third software function table of "card capabilities" (tag 7,
    length 3) has bit b7 (0x40) set when extended length fields are supported. A card that
    says nothing gets short APDUs only.
    """
    historical = atr_historical_bytes(atr)
    if not historical or historical[0] not in (0x00, 0x80):
        return False
    # Category 00 ends with a three-byte status indicator that is not COMPACT-TLV.
    objects = historical[1:-3] if historical[0] == 0x00 else historical[1:]
    index = 0
    while index < len(objects):
        tag, length = objects[index] >> 4, objects[index] & 0x0F
        value = objects[index + 1 : index + 1 + length]
        if len(value) != length:
            return False
        if tag == 0x7 and length >= 3:
            return bool(value[2] & 0x40)
        index += 1 + length
    return False
