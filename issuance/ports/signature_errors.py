"""Refusals of the signature pad, each with its message in Albanian and English."""

from __future__ import annotations

from issuance.errors import IssuanceError


class SignaturePadError(IssuanceError):
    """Base of every signature-pad refusal."""


class SignaturePadSpecInvalid(SignaturePadError):
    def __init__(self, spec: str) -> None:
        super().__init__(
            f"Konfigurimi i bllokut të nënshkrimit «{spec}» nuk kuptohet "
            "(p.sh. «canvas» ose «replay:dosja/nenshkrimi.json»).",
            f"The signature pad setting '{spec}' is not understood "
            "(e.g. 'canvas' or 'replay:folder/signature.json').",
        )
