"""Test portraits: see ``devices.camera.sample_portraits`` (shared with the demo camera)."""

from devices.camera.sample_portraits import *  # noqa: F403
from devices.camera.sample_portraits import (  # noqa: F401 - the names tests use directly
    BACKDROP,
    CHIN_Y,
    CROWN_Y,
    EYES_Y,
    FACE_X,
    HEAD_HEIGHT,
    astronaut,
    camera_frame,
    good_portrait,
    on_backdrop,
    person_mask,
    place,
)
