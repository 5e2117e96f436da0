"""Fingers, slaps and the data a fingerprint scanner hands back."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # the image's type; numpy loads with a scanner


class Finger(enum.Enum):
    """The ten fingers, valued by their SBI ``bioSubType`` names."""

    LEFT_THUMB = "Left Thumb"
    LEFT_INDEX = "Left IndexFinger"
    LEFT_MIDDLE = "Left MiddleFinger"
    LEFT_RING = "Left RingFinger"
    LEFT_LITTLE = "Left LittleFinger"
    RIGHT_THUMB = "Right Thumb"
    RIGHT_INDEX = "Right IndexFinger"
    RIGHT_MIDDLE = "Right MiddleFinger"
    RIGHT_RING = "Right RingFinger"
    RIGHT_LITTLE = "Right LittleFinger"

    @property
    def is_left(self) -> bool:
        return self.value.startswith("Left")

    @property
    def slap(self) -> Slap:
        if self in (Finger.LEFT_THUMB, Finger.RIGHT_THUMB):
            return Slap.THUMBS
        return Slap.LEFT if self.is_left else Slap.RIGHT

    @classmethod
    def from_sbi(cls, name: str) -> Finger:
        return cls(name)


class Slap(enum.Enum):
    """The three placements of a 4-4-2 capture, valued by their SBI ``deviceSubId``."""

    LEFT = 1
    RIGHT = 2
    THUMBS = 3

    @property
    def fingers(self) -> tuple[Finger, ...]:
        # Index to little: the order the SBI spec asks multi-finger scanners to return.
        return _SLAP_FINGERS[self]


_SLAP_FINGERS = {
    Slap.LEFT: (Finger.LEFT_INDEX, Finger.LEFT_MIDDLE, Finger.LEFT_RING, Finger.LEFT_LITTLE),
    Slap.RIGHT: (Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING, Finger.RIGHT_LITTLE),
    Slap.THUMBS: (Finger.LEFT_THUMB, Finger.RIGHT_THUMB),
}

ALL_FINGERS: tuple[Finger, ...] = Slap.LEFT.fingers + Slap.RIGHT.fingers + Slap.THUMBS.fingers


@dataclass(frozen=True)
class CaptureRequest:
    """What to capture in one placement: fingers of one slap, minus those excepted."""

    slap: Slap
    fingers: tuple[Finger, ...]
    exceptions: tuple[Finger, ...] = ()
    requested_score: int = 40
    timeout_s: float = 10.0
    options: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        stray = [f for f in self.fingers + self.exceptions if f.slap is not self.slap]
        if stray:
            raise ValueError(f"fingers {[f.value for f in stray]} are not on {self.slap.name}")
        if not self.fingers:
            raise ValueError("a capture needs at least one finger")

    @classmethod
    def for_slap(
        cls,
        slap: Slap,
        exceptions: tuple[Finger, ...] = (),
        requested_score: int = 40,
        timeout_s: float = 10.0,
        options: dict[str, object] | None = None,
    ) -> CaptureRequest:
        fingers = tuple(f for f in slap.fingers if f not in exceptions)
        return cls(slap, fingers, tuple(exceptions), requested_score, timeout_s, options or {})

    @classmethod
    def single(
        cls,
        finger: Finger,
        requested_score: int = 40,
        timeout_s: float = 10.0,
        options: dict[str, object] | None = None,
    ) -> CaptureRequest:
        return cls(finger.slap, (finger,), (), requested_score, timeout_s, options or {})


@dataclass(frozen=True)
class FingerImage:
    """One captured finger. ``image`` is None when the device saw no finger there.

    ``record`` is the ISO/IEC 19794-4:2011 finger image record the device sent (the image
    is its decoded pixels); ``quality`` is the device's own score (0-100), whatever
    algorithm the device uses.
    """

    finger: Finger
    image: np.ndarray | None
    quality: float
    error_code: int = 0
    ppi: int = 500
    record: bytes | None = None

    @property
    def detected(self) -> bool:
        return self.image is not None and self.error_code == 0


@dataclass(frozen=True)
class CaptureResult:
    """Everything one placement returned, in the order the device sent it."""

    fingers: tuple[FingerImage, ...]
    transaction_id: str
    last_hash: str = ""

    def by_finger(self) -> dict[Finger, FingerImage]:
        return {f.finger: f for f in self.fingers}


@dataclass(frozen=True)
class DeviceInfo:
    """Device info of an SBI service, as the device reports it."""

    status: str
    serial_no: str
    make: str
    model: str
    device_sub_type: str
    device_provider: str
    certification: str
    service_version: str
    firmware: str
    purpose: str
    env: str
    spec_versions: tuple[str, ...]
    device_sub_ids: tuple[int, ...]
    callback_url: str
    device_id: str = ""

    @property
    def ready(self) -> bool:
        return self.status == "Ready"
