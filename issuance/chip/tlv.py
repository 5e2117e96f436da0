"""Minimal BER-TLV as used by the LDS and secure messaging (tags up to three bytes)."""

from __future__ import annotations

from collections.abc import Iterator

from issuance.chip.errors import ChipContentMalformed


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    return tag_bytes + encode_length(len(value)) + value


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    tag, pos = first, pos + 1
    if first & 0x1F == 0x1F:  # multi-byte tag: continue while the high bit is set
        while True:
            byte = data[pos]
            tag, pos = (tag << 8) | byte, pos + 1
            if not byte & 0x80:
                break
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count == 0 or count > 3:
        raise ChipContentMalformed("unsupported TLV length form")
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def iter_tlv(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (tag, value) for each TLV object at this level of ``data``."""
    pos = 0
    try:
        while pos < len(data):
            if data[pos] in (0x00, 0xFF):  # padding between objects is allowed
                pos += 1
                continue
            tag, pos = _read_tag(data, pos)
            length, pos = _read_length(data, pos)
            if pos + length > len(data):
                raise ChipContentMalformed(f"TLV {tag:X} runs past the end of the data")
            yield tag, data[pos : pos + length]
            pos += length
    except IndexError as exc:
        raise ChipContentMalformed("truncated TLV") from exc


def parse_tlv(data: bytes) -> dict[int, bytes]:
    """The TLV objects at one level as a dict (the last one wins for repeated tags)."""
    return dict(iter_tlv(data))


def single(data: bytes, tag: int) -> bytes:
    """The value of ``data`` which must be exactly one TLV object with ``tag``."""
    objects = list(iter_tlv(data))
    if len(objects) != 1 or objects[0][0] != tag:
        raise ChipContentMalformed(f"expected a single object with tag {tag:X}")
    return objects[0][1]


def tlv_total_length(header: bytes) -> int | None:
    """Total size of a TLV object from its first bytes, or None if more bytes are needed."""
    try:
        _, pos = _read_tag(header, 0)
        length, pos = _read_length(header, pos)
    except IndexError:
        return None
    return pos + length
