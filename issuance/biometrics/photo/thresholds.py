"""The one table of photo quality thresholds, each naming the standard it comes from.

ICAO 9303 part 3 and ISO/IEC 19794-5 state geometry (head size, eye line, pose) in words and
percentages; ISO/IEC 29794-5 defines *measures* (sharpness, exposure, illumination symmetry,
background uniformity) but leaves the acceptance values to the issuer. Where a value is our own
calibration of such a measure, the source says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ICAO_9303_3 = "ICAO 9303 part 3"
ISO_19794_5 = "ISO/IEC 19794-5"
ISO_29794_5 = "ISO/IEC 29794-5"


@dataclass(frozen=True)
class Limit:
    """An accepted range for one measured value (either bound may be open)."""

    low: float | None
    high: float | None
    unit: str
    source: str

    def accepts(self, value: float) -> bool:
        if self.low is not None and value < self.low:
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.low is not None and self.high is not None:
            return f"{self.low:g}–{self.high:g}{unit}"
        if self.low is not None:
            return f"≥ {self.low:g}{unit}"
        return f"≤ {self.high:g}{unit}"


@dataclass(frozen=True)
class PortraitLayout:
    """Where the face goes in the archived portrait (the crop cut from a camera frame)."""

    # 35 mm × 45 mm photo: ICAO 9303 part 3.
    aspect_width: int = 35
    aspect_height: int = 45
    # Chin to crown 70–80 % of the image height (ICAO 9303 part 3); we aim at the middle.
    head_height_ratio: float = 0.75
    # Eye line 50–70 % of the height from the bottom (ISO/IEC 19794-5 full frontal), i.e.
    # 30–50 % from the top; 45 % from the top leaves room for the crown above the head.
    eye_line_from_top: float = 0.45
    # Archive portrait height in pixels; the crop is scaled to it.
    archive_height: int = 720
    # Chip (EF.DG2) image: ISO/IEC 19794-5 token-like size and the issuer's 20 KB budget.
    chip_height: int = 320
    chip_max_bytes: int = 20_000


@dataclass(frozen=True)
class PhotoThresholds:
    """Every acceptance limit of the photo checks, in one place."""

    face_count: Limit = Limit(1, 1, "", f"{ICAO_9303_3}: one person only in the portrait")
    # Horizontal mid-point of the face 45–55 % of the image width.
    face_centre_offset: Limit = Limit(
        None, 0.05, "of width", f"{ISO_19794_5} full frontal (45–55 %)"
    )
    # Head (chin to crown) height over frame height. ICAO wants 70–80 % of the final portrait;
    # the portrait is cut from the frame, so up to 80 % fits and below 50 % the crop would be
    # too small to keep the resolution (our calibration).
    head_height_ratio: Limit = Limit(0.50, 0.80, "of height", f"{ICAO_9303_3} (70–80 % after crop)")
    # Eye line position measured from the top of the frame: 30–50 %.
    eye_line_from_top: Limit = Limit(
        0.30, 0.50, "of height", f"{ISO_19794_5} full frontal (50–70 % from bottom)"
    )
    eyes_found: Limit = Limit(2, 2, "eyes", f"{ICAO_9303_3}: both eyes open and visible")
    # Head pose from dlib's 68 landmarks fitted to a generic head (cv2.solvePnP), degrees
    # either way. Roll: ISO/IEC 19794-5 allows ±8°. Yaw and pitch: the standard asks ±5°;
    # a generic head fitted to one person's landmarks is off by up to about 3° (frontal test
    # portraits read 1–3° of yaw and −6…+5° of pitch), so we refuse what is surely past ±5°:
    # beyond ±8° yaw and ±10° pitch (our calibration).
    roll_degrees: Limit = Limit(None, 8.0, "°", f"{ISO_19794_5} (roll ±8°)")
    yaw_degrees: Limit = Limit(None, 8.0, "°", f"{ISO_19794_5} (yaw ±5°, measured ±3°)")
    pitch_degrees: Limit = Limit(None, 10.0, "°", f"{ISO_19794_5} (pitch ±5°, measured ±5°)")
    # Smile: mouth width plus the lift of its corners, in inter-ocular distances. Neutral
    # faces read 0.85–1.0, a broad smile 1.1 and more (our calibration on real portraits).
    smile: Limit = Limit(None, 1.05, "eye dist.", f"{ICAO_9303_3}: neutral expression")
    # Gap between the inner lips over the face's height (nose bridge to chin): closed lips
    # read under 0.035, the test portrait's open-mouth smile 0.085 (our calibration).
    mouth_opening: Limit = Limit(None, 0.05, "face height", f"{ICAO_9303_3}: mouth closed")
    # Eye aspect ratio (lid gap over eye width), the smaller eye: about 0.3 open, under 0.15
    # closed (Soukupová & Čech 2016); 0.2 refuses eyes shut or nearly so.
    eye_openness: Limit = Limit(0.20, None, "", f"{ICAO_9303_3}: eyes open")
    # Iris centre's offset from the middle of the eye opening, in eye widths (both eyes'
    # mean): looking at the lens reads under 0.05 (our calibration).
    gaze_offset: Limit = Limit(None, 0.12, "eye width", f"{ICAO_9303_3}: looking at the camera")
    # Share of a spectacle lens's area (around each eye) that is a near-white, colourless
    # highlight; a bare eye's catch-light is under 0.5 % (our calibration).
    glare: Limit = Limit(None, 0.02, "of lens", f"{ICAO_9303_3}: no reflection on glasses")
    # Variance of the Laplacian on the face scaled to 160 px wide (our calibration on neutral
    # faces: a closed mouth has less edge than a smile's teeth; the test portraits read 18–39
    # sharp, 13 under a 1-pixel blur, 5 under a 3-pixel blur).
    sharpness: Limit = Limit(15.0, None, "", f"{ISO_29794_5} sharpness (Laplacian variance)")
    # Mean grey level of the face.
    exposure_mean: Limit = Limit(70.0, 200.0, "grey", f"{ISO_29794_5} exposure")
    # Fraction of face pixels crushed to black / burnt to white.
    clipped_shadows: Limit = Limit(None, 0.05, "of face", f"{ISO_29794_5} under-exposure")
    clipped_highlights: Limit = Limit(None, 0.05, "of face", f"{ISO_29794_5} over-exposure")
    # |left − right| / mean over the two halves of the face.
    lighting_asymmetry: Limit = Limit(None, 0.25, "", f"{ISO_29794_5} illumination symmetry")
    # Standard deviation of the grey level in the background region around the head.
    background_spread: Limit = Limit(None, 15.0, "grey", f"{ICAO_9303_3}: plain background")
    background_brightness: Limit = Limit(140.0, None, "grey", f"{ICAO_9303_3}: light background")
    # Mean chroma (max − min channel) of the face; a grey image has 0.
    colour: Limit = Limit(8.0, None, "", f"{ICAO_9303_3}: colour photograph")
    # Frames in a row that must pass before the auto-capture takes one.
    consecutive_frames: int = 5
    layout: PortraitLayout = field(default_factory=PortraitLayout)
