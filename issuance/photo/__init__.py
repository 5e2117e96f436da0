"""Portrait photo quality (ICAO 9303 / ISO/IEC 19794-5 / 29794-5), auto-capture and crop."""

from __future__ import annotations

from issuance.photo.autocapture import AutoCapture, CapturedPhoto
from issuance.photo.evaluator import CheckResult, Evaluation, PhotoEvaluator, Verdict
from issuance.photo.messages import Check
from issuance.photo.portrait import chip_jpeg, encode_jpeg, portrait_crop
from issuance.photo.thresholds import Limit, PhotoThresholds, PortraitLayout

__all__ = [
    "AutoCapture",
    "CapturedPhoto",
    "Check",
    "CheckResult",
    "Evaluation",
    "Limit",
    "PhotoEvaluator",
    "PhotoThresholds",
    "PortraitLayout",
    "Verdict",
    "chip_jpeg",
    "encode_jpeg",
    "portrait_crop",
]
