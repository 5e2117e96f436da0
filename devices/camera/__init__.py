"""Cameras behind one small protocol: OpenCV devices and file sources, chosen by a string."""

from __future__ import annotations

from devices.camera.factory import open_camera
from devices.camera.file_camera import FileCamera
from devices.camera.opencv_camera import OpenCVCamera
from issuance.ports.camera import Camera, CameraState, CameraStatus, Frame, FrameSink
from issuance.ports.camera_errors import CameraError, CameraNotReady, CameraSpecInvalid

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
