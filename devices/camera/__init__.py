"""Cameras behind one small protocol: OpenCV devices and file sources, chosen by a string."""

from __future__ import annotations

from devices.camera.errors import CameraError, CameraNotReady, CameraSpecInvalid
from devices.camera.factory import open_camera
from devices.camera.file_camera import FileCamera
from devices.camera.opencv_camera import OpenCVCamera
from devices.camera.protocol import Camera, CameraState, CameraStatus, Frame, FrameSink

__all__ = [
    "Camera",
    "CameraError",
    "CameraNotReady",
    "CameraSpecInvalid",
    "CameraState",
    "CameraStatus",
    "FileCamera",
    "Frame",
    "FrameSink",
    "OpenCVCamera",
    "open_camera",
]
