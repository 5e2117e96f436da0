"""Portrait photo quality (ICAO 9303 / ISO/IEC 19794-5 / 29794-5), auto-capture and crop.

The names below load their module (and OpenCV with it) on first use, so importing a light
submodule such as ``issuance.cli.photo`` does not pay for the whole package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from issuance.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from issuance.biometrics.photo.autocapture import AutoCapture, CapturedPhoto
    from issuance.biometrics.photo.evaluator import CheckResult, Evaluation, PhotoEvaluator, Verdict
    from issuance.biometrics.photo.messages import Check
    from issuance.biometrics.photo.portrait import chip_jpeg, encode_jpeg, portrait_crop
    from issuance.biometrics.photo.thresholds import Limit, PhotoThresholds, PortraitLayout

# Name -> the module that defines it.
_EXPORTS = {
    "AutoCapture": "autocapture",
    "CapturedPhoto": "autocapture",
    "Check": "messages",
    "CheckResult": "evaluator",
    "Evaluation": "evaluator",
    "Limit": "thresholds",
    "PhotoEvaluator": "evaluator",
    "PhotoThresholds": "thresholds",
    "PortraitLayout": "thresholds",
    "Verdict": "evaluator",
    "chip_jpeg": "portrait",
    "encode_jpeg": "portrait",
    "portrait_crop": "portrait",
}

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


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals(), __all__)
