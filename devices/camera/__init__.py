"""Cameras behind one small protocol: OpenCV devices and file sources, chosen by a string."""

from __future__ import annotations

from devices.camera.factory import open_camera
from devices.camera.file_camera import FileCamera
from devices.camera.opencv_camera import OpenCVCamera

__all__ = [
    "FileCamera",
    "OpenCVCamera",
    "open_camera",
]
