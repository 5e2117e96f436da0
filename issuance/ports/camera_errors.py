"""Refusals of the camera, each with its message in Albanian and English."""

from __future__ import annotations

from issuance.errors import IssuanceError


class CameraError(IssuanceError):
    """Base of every camera refusal."""


class CameraSpecInvalid(CameraError):
    def __init__(self, spec: str) -> None:
        super().__init__(
            f"Konfigurimi i kamerës «{spec}» nuk kuptohet "
            "(p.sh. «opencv:0» ose «file:dosja/frame_%03d.png»).",
            f"The camera setting '{spec}' is not understood "
            "(e.g. 'opencv:0' or 'file:folder/frame_%03d.png').",
        )


class CameraNotReady(CameraError):
    def __init__(self, reason_sq: str, reason_en: str) -> None:
        super().__init__(
            f"Kamera nuk është gati: {reason_sq}",
            f"The camera is not ready: {reason_en}",
        )
