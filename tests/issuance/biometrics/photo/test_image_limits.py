"""Images from outside (a photo file, an SBI fingerprint value) are held to issuance.ports.limits
before they are decoded, and no bytes at all end in a traceback, a hang or gigabytes.

Property-based (Hypothesis): random bytes, truncated or corrupted PNG and JPEG files, and
headers declaring huge sizes go through `issuance photo check` (in this process),
``capture.photo_from_file`` and the SBI decoder (``issuance.ports.fingerprint_images``).
"""

from __future__ import annotations

import struct
import subprocess
import sys
import time
import tracemalloc
import zlib

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.fingerprint.jws import b64url_encode
from devices.fingerprint.sbi_client import _parse_biometric
from issuance.errors import IssuanceError
from issuance.ports import limits
from issuance.ports.fingerprint_errors import ScannerProtocolError
from issuance.ports.fingerprint_images import png_bytes, read_record
from issuance.ports.fingerprint_model import Finger
from issuance.ports.iso19794_4 import Compression, finger_record
from issuance.services import capture
from tests.issuance.biometrics.photo import portraits
from tests.support.cli_in_process import run_in_process

# Per example: generous for a loaded 2-core machine, far below the seconds a bomb took.
PROPERTY = settings(
    max_examples=60,
    deadline=3000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def declared_png(
    width: int, height: int, idat: bytes = b"", depth: int = 8, colour: int = 2
) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` (its pixels need not follow)."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )  # fmt: skip


def black_bilevel_png(side: int) -> bytes:
    """A complete, valid 1-bit PNG of side x side black pixels (a real decompression bomb:
    30000 x 30000 is ~110 kB on disk and 2.7 GB decoded as BGR)."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    compressed = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return declared_png(side, side, compressed, depth=1, colour=0)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A valid small JPEG whose SOF0 marker is patched to declare ``width`` x ``height``."""
    ok, encoded = cv2.imencode(".jpg", np.full((16, 16, 3), 128, np.uint8))
    assert ok
    data = bytearray(encoded.tobytes())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


@pytest.fixture(scope="module")
def small_images() -> dict[str, bytes]:
    portrait = cv2.resize(portraits.good_portrait(), (84, 108))
    return {ext: cv2.imencode(ext, portrait)[1].tobytes() for ext in (".png", ".jpg")}


def _damaged(data: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    damaged = bytearray(data[: max(0, min(cut, len(data)))])
    for position, value in flips:
        if damaged:
            damaged[position % len(damaged)] = value
    return bytes(damaged)


def images(small: dict[str, bytes]) -> st.SearchStrategy[bytes]:
    side = st.integers(min_value=0, max_value=2**31 - 1)
    jpeg_side = st.one_of(st.integers(1, 300), st.integers(5001, 65535))
    return st.one_of(
        st.binary(max_size=4096),
        st.builds(
            _damaged,
            st.sampled_from(sorted(small.values())),
            st.integers(min_value=0, max_value=20_000),
            st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 255)), max_size=4),
        ),
        st.builds(declared_png, side, side, st.binary(max_size=64)),
        # Small (decoded: cheap) or huge (refused): a 5000 x 5000 grey square decoded and
        # judged in every example would only make the test slow.
        st.builds(jpeg_declaring, jpeg_side, jpeg_side),
    )


def _declared_pixels(data: bytes) -> int | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big") * int.from_bytes(data[20:24], "big")
    return None


# -- issuance photo check, in this process -----------------------------------------------


def test_photo_check_never_fails_with_a_traceback(tmp_path, monkeypatch, capsys, small_images):
    path = tmp_path / "photo.img"

    @PROPERTY
    @given(data=images(small_images))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        result = run_in_process(monkeypatch, capsys, {}, "photo", "check", str(path))
        assert result.returncode in (0, 1, 2), result
        assert "Traceback" not in result.stderr
        if result.returncode == 2:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert "photo.img" in result.stderr
        declared = _declared_pixels(data)
        if declared is not None and declared > limits.PHOTO_MAX_PIXELS:
            # Refused before decoding: by its size when the header reads, else as unreadable
            # (a random IHDR need not be a valid one).
            assert result.returncode == 2, result
            assert "pixels" in result.stderr or "not a readable image" in result.stderr, result

    check()


def test_the_74_byte_bomb_is_refused_in_words(tmp_path, monkeypatch, capsys):
    """Defect: a 74-byte PNG declaring 65535 x 65535 ended in a cv2.error traceback (exit 1,
    the "not acceptable" code)."""
    path = tmp_path / "bomb.png"
    path.write_bytes(declared_png(65535, 65535, zlib.compress(b"\x00" * 100)))
    assert len(path.read_bytes()) < 100
    result = run_in_process(monkeypatch, capsys, {}, "photo", "check", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "The image 'bomb.png' is 65535 × 65535 pixels; at most 25 000 000 pixels and "
        "20 000 per side are accepted."
    )
    sq = run_in_process(monkeypatch, capsys, {}, "photo", "check", str(path), "--language", "sq")
    assert sq.returncode == 2 and "piksela" in sq.stderr


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    path = tmp_path / "huge.jpg"
    with open(path, "wb") as sparse:
        sparse.truncate(limits.PHOTO_MAX_BYTES + 1)  # sparse: nothing is written
    result = run_in_process(monkeypatch, capsys, {}, "photo", "check", str(path))
    assert result.returncode == 2 and "at most 20.0 MB" in result.stderr, result


# Runs `issuance photo check` and, at exit, writes the process's peak resident memory (VmHWM:
# this program's own, not the forking test process's as ru_maxrss would say) to argv[1].
_MEASURED_CLI = """
import atexit, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(sys.argv[1], "w").write(line.split()[1])
atexit.register(peak)
from issuance.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_real_bomb_takes_neither_seconds_nor_gigabytes(tmp_path):
    """Defect: an 875 kB PNG of 30000 x 30000 took 14.7 s and 5.3 GB. A real process, so its
    peak memory is its own."""
    path = tmp_path / "bomb.png"
    path.write_bytes(black_bilevel_png(30_000))
    peak_file = tmp_path / "peak-kb"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED_CLI, str(peak_file), "photo", "check", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert "30000 × 30000 pixels" in result.stderr and "Traceback" not in result.stderr
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb < 250, f"{peak_mb:.0f} MB"  # the interpreter with OpenCV: ~100 MB
    assert elapsed < 10, elapsed  # start-up with OpenCV included; the refusal itself is ms


def _truncated(ext: str) -> bytes:
    encoded = cv2.imencode(ext, np.full((300, 300, 3), 100, np.uint8))[1].tobytes()
    return encoded[: len(encoded) * 2 // 3]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cut.jpg", _truncated(".jpg")),
        ("cut.png", _truncated(".png")),
        ("noise.jpg", b"\xff\xd8\xff" + bytes(range(256)) * 4),
        ("bomb.png", declared_png(65535, 65535)),
    ],
)
def test_a_real_process_prints_one_line_and_no_decoder_noise(tmp_path, name, data):
    # The decoders' C code writes warnings ("Corrupt JPEG data: ...") to descriptor 2.
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "issuance.cli.main", "photo", "check", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and name in result.stderr, result.stderr


# -- photo_from_file -----------------------------------------------------------------------


def test_photo_from_file_raises_only_refusals(tmp_path, small_images):
    path = tmp_path / "photo.img"

    @PROPERTY
    @given(data=images(small_images))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            capture.photo_from_file(path)
        except IssuanceError as refused:
            assert refused.message("sq") and refused.message("en")

    check()


def test_photo_from_file_refuses_a_bomb_without_allocating(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(black_bilevel_png(30_000))
    tracemalloc.start()
    try:
        with pytest.raises(limits.ImageTooLarge) as refused:
            capture.photo_from_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak  # the file's bytes and a header, nothing decoded
    assert refused.value.size == (30_000, 30_000)


@pytest.mark.parametrize(
    "data",
    [jpeg_declaring(65535, 65535), jpeg_declaring(20_001, 10)],
    ids=["jpeg-65535-square", "jpeg-long-side"],
)
def test_huge_jpeg_headers_are_refused(tmp_path, data):
    path = tmp_path / "big.jpg"
    path.write_bytes(data)
    with pytest.raises(limits.ImageTooLarge):
        capture.photo_from_file(path)


def test_a_good_photo_file_still_passes(tmp_path, good_portrait):
    path = tmp_path / "good.jpg"
    cv2.imwrite(str(path), good_portrait)
    assert capture.photo_from_file(path).portrait_jpeg


# -- the SBI image decoder -------------------------------------------------------------------


def _iso_record(image: bytes, width: int = 30, height: int = 40) -> bytes:
    # The ISO/IEC 19794-4:2011 record a certified device sends, the image as its PNG data.
    return finger_record(Finger.LEFT_INDEX, image, Compression.PNG, width, height, 80)


def decode_greyscale(data: bytes) -> np.ndarray:
    return read_record(data, Finger.LEFT_INDEX)[1]


def test_sbi_decoder_raises_only_value_error_refusals(small_images):
    grey = {"fp": png_bytes(np.full((40, 30), 200, np.uint8))}

    @PROPERTY
    @given(data=images(small_images | grey), wrapped=st.booleans())
    def check(data: bytes, wrapped: bool) -> None:
        try:
            pixels = decode_greyscale(_iso_record(data) if wrapped else data)
        except ValueError as refused:
            assert isinstance(refused, IssuanceError), repr(refused)
        else:
            assert pixels.ndim == 2 and pixels.size <= limits.FINGERPRINT_MAX_PIXELS

    check()


def test_sbi_decoder_refuses_a_bomb_before_decoding():
    tracemalloc.start()
    try:
        with pytest.raises(limits.ImageTooLarge):
            decode_greyscale(_iso_record(black_bilevel_png(30_000), 40, 40))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak
    with pytest.raises(limits.ImageTooLarge):
        decode_greyscale(_iso_record(declared_png(65535, 65535), 65535, 65535))
    with pytest.raises(limits.ImageTooLarge):  # the image's own header, past the record's
        decode_greyscale(_iso_record(declared_png(65535, 65535), 40, 40))
    with pytest.raises(limits.BodyTooLarge):
        decode_greyscale(b"\x89PNG\r\n\x1a\n" + bytes(limits.FINGERPRINT_MAX_BYTES))


def test_the_sbi_client_reports_a_bomb_as_a_protocol_error():
    entry = {
        "data": {
            "bioType": "Finger",
            "bioSubType": "Left IndexFinger",
            "bioValue": b64url_encode(_iso_record(declared_png(65535, 65535), 65535, 65535)),
            "qualityScore": 80,
        }
    }
    with pytest.raises(ScannerProtocolError) as refused:
        _parse_biometric(entry)
    assert "65535 × 65535" in refused.value.detail  # for the log; the clerk reads words


def test_a_real_fingerprint_image_still_decodes():
    image = np.tile(np.arange(0, 250, 10, dtype=np.uint8), (60, 4))
    assert np.array_equal(decode_greyscale(_iso_record(png_bytes(image), 100, 60)), image)
