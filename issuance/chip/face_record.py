"""ISO/IEC 19794-5:2005 facial record holding one JPEG image (the payload of DG2)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from issuance.chip.errors import ChipContentMalformed

FORMAT_ID = b"FAC\x00"
VERSION = b"010\x00"
_HEADER = struct.Struct(">4s4sIH")
# length, feature points, gender, eye, hair, feature mask (3), expression, pose (3), uncertainty (3)
_FACIAL_INFO = struct.Struct(">IHBBB3sH3s3s")
# face image type, image data type, width, height, colour space, source type, device, quality
_IMAGE_INFO = struct.Struct(">BBHHBBHH")
FULL_FRONTAL = 1
JPEG = 0
RGB_24 = 1
DIGITAL_STILL_CAMERA = 2


@dataclass(frozen=True)
class FaceImage:
    jpeg: bytes
    width: int
    height: int


def encode_facial_record(face: FaceImage) -> bytes:
    image_info = _IMAGE_INFO.pack(
        FULL_FRONTAL, JPEG, face.width, face.height, RGB_24, DIGITAL_STILL_CAMERA, 0, 0
    )
    block_length = _FACIAL_INFO.size + len(image_info) + len(face.jpeg)
    # Gender, eyes, hair, expression and pose are "unspecified" (0): the desk does not record them.
    facial_info = _FACIAL_INFO.pack(block_length, 0, 0, 0, 0, bytes(3), 0, bytes(3), bytes(3))
    header = _HEADER.pack(FORMAT_ID, VERSION, _HEADER.size + block_length, 1)
    return header + facial_info + image_info + face.jpeg


def decode_facial_record(record: bytes) -> FaceImage:
    """The first face image of a facial record."""
    try:
        format_id, version, total, count = _HEADER.unpack_from(record, 0)
        if format_id != FORMAT_ID or total != len(record) or count < 1:
            raise ChipContentMalformed("not an ISO/IEC 19794-5 facial record")
        offset = _HEADER.size
        block_length, points, *_ = _FACIAL_INFO.unpack_from(record, offset)
        info_at = offset + _FACIAL_INFO.size + 8 * points
        _, data_type, width, height, *_ = _IMAGE_INFO.unpack_from(record, info_at)
        image = record[info_at + _IMAGE_INFO.size : offset + block_length]
    except struct.error as exc:
        raise ChipContentMalformed("truncated facial record") from exc
    if data_type != JPEG or not image.startswith(b"\xff\xd8"):
        raise ChipContentMalformed("the facial record does not hold a JPEG image")
    return FaceImage(image, width, height)
