"""The LDS files parsed back with asn1crypto's generic BER parser (not our own TLV code)."""

from __future__ import annotations

import hashlib
import io
import struct

import pytest
from asn1crypto import parser
from PIL import Image

from issuance.chip import ChipData
from issuance.chip.errors import ChipDataInvalid
from issuance.chip.lds import read_dg2_face, read_dg11
from issuance.chip.security_object import parse_sod

APPLICATION, CONTEXT = 1, 2


def _minimal_tag(data: bytes) -> bytes:
    # ICAO 9303 uses two-byte tags for numbers below 31 (5F01, 5F0E, 5F10, 5F11), which X.690
    # calls non-minimal and asn1crypto refuses: rewrite such a tag in its one-byte form.
    if data[0] & 0x1F == 0x1F and data[1] < 0x1F:
        return bytes([(data[0] & 0xE0) | data[1]]) + data[2:]
    return data


def objects(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """(class, method, tag number, contents) of every object at this level, via asn1crypto."""
    out = []
    data = _minimal_tag(data) if data else data
    while data:
        size = parser.peek(data)
        class_, method, tag, _, contents, _ = parser.parse(data[:size], strict=True)
        out.append((class_, method, tag, contents))
        data = _minimal_tag(data[size:]) if data[size:] else b""
    return out


def only(data: bytes) -> tuple[int, int, int, bytes]:
    found = objects(data)
    assert len(found) == 1, "one object, nothing after it"
    return found[0]


def by_tag(data: bytes) -> dict[int, bytes]:
    return {tag: contents for _, _, tag, contents in objects(data)}


def test_ef_com_lists_lds_and_unicode_versions_and_the_data_groups(lds_files):
    class_, method, tag, contents = only(lds_files.com)
    assert (class_, method, tag) == (APPLICATION, 1, 0)  # 0x60
    fields = by_tag(contents)
    assert fields[1] == b"0107"  # 5F01
    assert fields[54] == b"040000"  # 5F36
    assert fields[28] == bytes([0x61, 0x75, 0x6B])  # 5C: DG1, DG2, DG11


def test_dg1_holds_the_90_character_mrz(lds_files, chip_data):
    class_, _, tag, contents = only(lds_files.data_groups[1])
    assert (class_, tag) == (APPLICATION, 1)  # 0x61
    mrz = by_tag(contents)[31]  # 5F1F
    assert len(mrz) == 90
    assert mrz.decode("ascii") == "".join(chip_data.mrz_lines)


def test_dg2_biometric_template_holds_an_iso_19794_5_record_with_the_jpeg(lds_files, face_jpeg):
    class_, _, tag, group = only(lds_files.data_groups[2])
    assert (class_, tag) == (APPLICATION, 21)  # 0x75
    _, _, tag, info_group = only(group)
    assert tag == 97  # 7F61
    instances = objects(info_group)
    assert instances[0][2:] == (2, b"\x01")  # one instance
    assert instances[1][2] == 96  # 7F60
    template = by_tag(instances[1][3])
    header = by_tag(template[1])  # A1, context class
    assert header[1] == b"\x02"  # facial features
    assert header[7] == b"\x01\x01" and header[8] == b"\x00\x08"  # SC37 face image
    record = template[46]  # 5F2E
    assert record[:8] == b"FAC\x00010\x00"
    assert struct.unpack(">I", record[8:12])[0] == len(record)
    assert record.endswith(face_jpeg)
    # 14-byte record header, 20-byte facial information, then image type and data type
    width, height = struct.unpack(">HH", record[34 + 2 : 34 + 6])
    assert (width, height) == Image.open(io.BytesIO(face_jpeg)).size
    assert read_dg2_face(lds_files.data_groups[2]).jpeg == face_jpeg


def test_dg11_keeps_diacritics_in_utf8(lds_files):
    class_, _, tag, contents = only(lds_files.data_groups[11])
    assert (class_, tag) == (APPLICATION, 11)  # 0x6B
    fields = by_tag(contents)
    assert fields[28] == bytes.fromhex("5F0E5F105F115F42")
    assert fields[14].decode("utf-8") == "Çela<<Ëndrit"
    assert fields[16] == b"J80322001X"
    assert fields[17].decode("utf-8") == "Prishtinë"
    assert fields[66].decode("utf-8") == "Rruga e Dibrës 12, Tiranë"
    details = read_dg11(lds_files.data_groups[11])
    assert details.full_name == "Çela<<Ëndrit" and details.address.endswith("Tiranë")


def test_sod_hashes_every_data_group_with_sha256(lds_files):
    class_, _, tag, _ = only(lds_files.sod)
    assert (class_, tag) == (APPLICATION, 23)  # 0x77
    sod = parse_sod(lds_files.sod)
    assert sod.hash_algorithm == "sha256"
    assert sod.hashes == {n: hashlib.sha256(dg).digest() for n, dg in lds_files.data_groups.items()}


@pytest.mark.parametrize(
    "change",
    [
        {"mrz_lines": ("SHORT", "", "")},
        {"face_jpeg": b"\x89PNG not a jpeg"},
        {"document_number": "AB12345678"},
        {"full_name": " "},
    ],
)
def test_invalid_chip_data_is_refused(chip_data, change):
    fields = {**chip_data.__dict__, **change}
    with pytest.raises(ChipDataInvalid):
        ChipData(**fields)
