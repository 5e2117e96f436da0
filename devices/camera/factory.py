"""Choosing a camera backend from its configuration string."""

from __future__ import annotations

from urllib.parse import parse_qsl

from devices.camera.file_camera import DEFAULT_FPS, FileCamera
from devices.camera.opencv_camera import OpenCVCamera
from devices.camera.streaming import StreamingCamera
from issuance.ports.camera_errors import CameraSpecInvalid


def open_camera(spec: str, *, fps: float | None = None) -> StreamingCamera:
    """Builds and opens the camera named by ``spec``:

    - ``opencv:0`` — device 0 at native resolution (``opencv:0?width=1280&height=720``);
    - ``file:frames/frame_%03d.png`` or ``file:clip.avi`` — a looping file source paced at
      ``fps`` (keyword, or ``?fps=10`` at the end of the spec; default 15).

    Device trouble does not raise: check ``camera.status``. A malformed spec raises
    ``CameraSpecInvalid``.
    """
    kind, _, rest = spec.partition(":")
    target, options = _split_options(rest)
    if not target:
        raise CameraSpecInvalid(spec)
    try:
        if kind == "opencv":
            camera: StreamingCamera = OpenCVCamera(
                int(target), _int(options.get("width")), _int(options.get("height"))
            )
        elif kind == "file":
            rate = fps if fps is not None else float(options.get("fps", DEFAULT_FPS))
            camera = FileCamera(target, rate)
        else:
            raise CameraSpecInvalid(spec)
    except ValueError as error:
        raise CameraSpecInvalid(spec) from error
    camera.open()
    return camera


def check_spec(spec: str) -> None:
    """Raise ``CameraSpecInvalid`` unless ``spec`` names a camera backend (opens nothing)."""
    kind, _, rest = spec.partition(":")
    target, options = _split_options(rest)
    try:
        if kind == "opencv" and target:
            int(target)
            _int(options.get("width")), _int(options.get("height"))
            return
        if kind == "file" and target:
            float(options.get("fps", DEFAULT_FPS))
            return
    except ValueError as error:
        raise CameraSpecInvalid(spec) from error
    raise CameraSpecInvalid(spec)


def _split_options(rest: str) -> tuple[str, dict[str, str]]:
    target, mark, query = rest.rpartition("?")
    if not mark:
        return rest, {}
    options = dict(parse_qsl(query, strict_parsing=False))
    if not options:
        return rest, {}
    return target, options


def _int(value: str | None) -> int | None:
    return int(value) if value else None
