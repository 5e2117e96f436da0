"""Test portraits: see ``devtools.portraits`` (shared with the demo camera)."""

from devtools.portraits import *  # noqa: F403
from devtools.portraits import (  # noqa: F401 - the names tests use directly
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
