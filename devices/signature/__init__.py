"""Signature pads behind the ``SignaturePad`` protocol (a replaying backend for now)."""

from __future__ import annotations

from devices.signature.pad import (
    PenEvent,
    PenListener,
    ReplayPad,
    SignaturePad,
    open_signature_pad,
)

__all__ = ["PenEvent", "PenListener", "ReplayPad", "SignaturePad", "open_signature_pad"]
