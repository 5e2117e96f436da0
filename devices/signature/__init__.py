"""Signature pads behind the ``SignaturePad`` protocol: the desk's own canvas (the default)
and a replaying backend, chosen by a configuration string."""

from __future__ import annotations

from devices.signature.pad import DEFAULT_SPEC, CanvasPad, ReplayPad, check_spec, open_signature_pad

__all__ = [
    "DEFAULT_SPEC",
    "CanvasPad",
    "ReplayPad",
    "check_spec",
    "open_signature_pad",
]
