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
