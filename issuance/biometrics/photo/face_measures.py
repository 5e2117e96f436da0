"""What the 68 landmarks say about a portrait: expression, mouth, eyes, gaze, glare, head pose.

Every measure is a ratio of distances on the face (so it does not depend on the camera's
resolution or the distance to it) or an angle in degrees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from issuance.biometrics.photo.landmarks import (
    LOWER_INNER_LIP,
    MOUTH_CORNERS,
    UPPER_INNER_LIP,
    Landmarks,
)

# Near-white, nearly colourless pixels: a specular reflection, not skin or the white of the eye.
_GLARE_LEVEL = 250
_GLARE_MAX_CHROMA = 30
# The region searched for glare around each eye, in eye widths: a spectacle lens.
_LENS_HALF_WIDTH = 0.95
_LENS_HALF_HEIGHT = 0.75
# The iris is the darkest part of the eye opening: this fraction of its pixels.
_IRIS_FRACTION = 0.25

# A generic adult head (anthropometric mean, mm-like units; Martins & Batista's model as used
# with the iBUG mark-up) in camera axes: x to the image right, y down, z away from the camera.
# Only points that do not move with the expression: brows' ends, eye corners, nostrils.
_RIGID_INDICES = (17, 21, 22, 26, 36, 39, 42, 45, 31, 35)
_RIGID_MODEL = np.array(
    [
        (-6.825897, -6.760612, -4.402142),
        (-1.330353, -7.122144, -6.903745),
        (1.330353, -7.122144, -6.903745),
        (6.825897, -6.760612, -4.402142),
        (-5.311432, -5.485328, -3.987654),
        (-1.789930, -5.393625, -4.413414),
        (1.789930, -5.393625, -4.413414),
        (5.311432, -5.485328, -3.987654),
        (-2.005628, -1.409845, -6.165652),
        (2.005628, -1.409845, -6.165652),
    ],
    dtype=np.float64,
)


@dataclass(frozen=True)
class HeadPose:
    """Rotation of the head from facing the camera, in degrees (0, 0, 0 = frontal)."""

    roll: float
    yaw: float
    pitch: float


def smile(marks: Landmarks) -> float:
    """How much the mouth smiles: its corner-to-corner width plus the lift of its corners,
    both in inter-ocular distances (a smile widens the mouth and raises its corners; each
    alone varies from face to face more than their sum does)."""
    return mouth_width(marks) + corner_lift(marks)


def mouth_width(marks: Landmarks) -> float:
    """Corner-to-corner mouth width in inter-ocular distances: a smile widens the mouth."""
    left, right = (marks.points[i] for i in MOUTH_CORNERS)
    return float(np.linalg.norm(right - left)) / marks.inter_ocular


def corner_lift(marks: Landmarks) -> float:
    """How far the mouth's corners sit above the upper lip's inner edge (its middle), in
    inter-ocular distances, measured square to the eye line (so a tilted head does not count):
    a smile lifts the corners above it, a neutral mouth keeps them level with it or below (an
    open mouth lowers the corners, so opening alone does not read as a smile)."""
    right_eye, left_eye = marks.eye_centre(0), marks.eye_centre(1)
    across = (left_eye - right_eye) / marks.inter_ocular
    down = np.array([-across[1], across[0]])
    upper = marks.points[UPPER_INNER_LIP[1]]
    corners = marks.points[list(MOUTH_CORNERS)]
    lift = float(upper @ down - corners.mean(axis=0) @ down)
    return lift / marks.inter_ocular


def mouth_opening(marks: Landmarks) -> float:
    """Gap between the inner lips in face heights (nose bridge to chin): 0 when closed."""
    upper = marks.points[list(UPPER_INNER_LIP)]
    lower = marks.points[list(LOWER_INNER_LIP)]
    return float(np.mean(np.linalg.norm(lower - upper, axis=1))) / marks.face_height


def eye_openness(marks: Landmarks) -> float:
    """The smaller of the two eyes' aspect ratios (lid-to-lid height over corner-to-corner
    width, Soukupová & Čech 2016): about 0.3 open, under 0.15 closed."""
    return min(_eye_aspect_ratio(marks.eye(0)), _eye_aspect_ratio(marks.eye(1)))


def _eye_aspect_ratio(eye: np.ndarray) -> float:
    width = float(np.linalg.norm(eye[3] - eye[0]))
    height = float(np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])) / 2
    return height / width if width > 0 else 0.0


def gaze_offset(grey: np.ndarray, marks: Landmarks) -> float | None:
    """How far the irises sit from the middle of the eye openings, in eye widths (the larger
    of the two; signed the same way for both eyes when the gaze turns, so the mean is used).

    None when an eye opening is too small to hold an iris (closed or far too small)."""
    offsets = []
    for index in (0, 1):
        offset = _iris_offset(grey, marks.eye(index))
        if offset is None:
            return None
        offsets.append(offset)
    return abs(sum(offsets) / len(offsets))


def _iris_offset(grey: np.ndarray, eye: np.ndarray) -> float | None:
    x0, y0 = np.floor(eye.min(axis=0)).astype(int)
    x1, y1 = np.ceil(eye.max(axis=0)).astype(int) + 1
    x0, y0 = max(0, x0), max(0, y0)
    patch = grey[y0:y1, x0:x1]
    if patch.shape[0] < 3 or patch.shape[1] < 6:
        return None
    mask = np.zeros(patch.shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(eye - (x0, y0)).astype(np.int32), 1)
    inside = patch[mask > 0]
    if inside.size < 12:
        return None
    dark = (patch <= np.quantile(inside, _IRIS_FRACTION)) & (mask > 0)
    columns = np.nonzero(dark)[1]
    if columns.size == 0:
        return None
    iris_x = x0 + float(columns.mean())
    width = float(eye[3, 0] - eye[0, 0])
    middle = float(eye[0, 0] + eye[3, 0]) / 2
    return (iris_x - middle) / width if width > 0 else None


def glare(bgr: np.ndarray, marks: Landmarks) -> float:
    """Fraction of a spectacle lens's area around each eye (the larger of the two) that is a
    specular highlight: near-white and colourless. Bare eyes show only a catch-light of a
    few pixels in the pupil."""
    worst = 0.0
    for index in (0, 1):
        eye = marks.eye(index)
        centre = eye.mean(axis=0)
        width = float(np.linalg.norm(eye[3] - eye[0]))
        half_w, half_h = _LENS_HALF_WIDTH * width, _LENS_HALF_HEIGHT * width
        x0, x1 = max(0, int(centre[0] - half_w)), int(centre[0] + half_w) + 1
        y0, y1 = max(0, int(centre[1] - half_h)), int(centre[1] + half_h) + 1
        lens = bgr[y0:y1, x0:x1]
        if lens.size == 0:
            continue
        brightest = lens.min(axis=2)
        chroma = lens.max(axis=2).astype(np.int16) - brightest
        shiny = (brightest >= _GLARE_LEVEL) & (chroma <= _GLARE_MAX_CHROMA)
        worst = max(worst, float(shiny.mean()))
    return worst


def head_pose(marks: Landmarks, frame_width: int) -> HeadPose | None:
    """Roll, yaw and pitch fitted by ``cv2.solvePnP`` to the generic head above, with a camera
    of a typical desk webcam's field of view (focal length about the frame's width).

    The angles are taken from the line of sight to the face, not from the camera's axis: a
    head off to one side of the frame that faces the camera is frontal (the optical centre is
    put on the face)."""
    image = marks.points[list(_RIGID_INDICES)].astype(np.float64)
    focal = float(frame_width)
    centre_x, centre_y = image.mean(axis=0)
    camera = np.array([[focal, 0, centre_x], [0, focal, centre_y], [0, 0, 1]], dtype=np.float64)
    ok, rotation, _ = cv2.solvePnP(_RIGID_MODEL, image, camera, None, flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok:
        return None
    matrix, _ = cv2.Rodrigues(rotation)
    roll = math.degrees(math.atan2(matrix[1, 0], matrix[0, 0]))
    yaw = math.degrees(math.atan2(-matrix[2, 0], math.hypot(matrix[2, 1], matrix[2, 2])))
    pitch = math.degrees(math.atan2(matrix[2, 1], matrix[2, 2]))
    return HeadPose(roll, yaw, pitch)
