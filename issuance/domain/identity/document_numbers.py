"""The card's document number: the issuing office's 2-character code and a 7-digit sequence.

Nine characters ``[A-Z0-9]``, printed on the card and written in the MRZ. The sequence is
allocated per office by the persistence layer; this module only gives the number its form.
Sequences start at 1, so ``0000000`` never appears.
"""

from __future__ import annotations

import re

from issuance.errors import IssuanceError

LENGTH = 9
MAX_SEQUENCE = 9_999_999
_OFFICE_CODE = re.compile(r"[A-Z0-9]{2}")
_DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]{2}[0-9]{7}")


class InvalidDocumentNumber(IssuanceError, ValueError):
    """An office code or sequence from which no document number can be made."""


class DocumentNumberExhausted(IssuanceError):
    """The office has used all of its 9 999 999 document numbers."""


def compose(office_code: str, sequence: int) -> str:
    """The document number for the ``sequence``-th card of the office."""
    if not isinstance(office_code, str) or not _OFFICE_CODE.fullmatch(office_code):
        raise InvalidDocumentNumber(
            f"Kodi i zyrës {office_code!r} duhet të ketë 2 karaktere A–Z ose 0–9.",
            f"Office code {office_code!r} must be 2 characters A–Z or 0–9.",
        )
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise InvalidDocumentNumber(
            f"Numri rendor i dokumentit {sequence!r} duhet të jetë një numër i plotë ≥ 1.",
            f"Document sequence {sequence!r} must be a whole number ≥ 1.",
        )
    if sequence > MAX_SEQUENCE:
        raise DocumentNumberExhausted(
            f"Numrat e dokumentit të zyrës {office_code} kanë mbaruar "
            f"(më shumë se {MAX_SEQUENCE:,}).".replace(",", " "),
            f"Document numbers of office {office_code} are exhausted (more than {MAX_SEQUENCE:,}).",
        )
    return f"{office_code}{sequence:07d}"


def is_valid(text: str) -> bool:
    """True when ``text`` has the form of one of our document numbers (sequence ≥ 1)."""
    return (
        isinstance(text, str)
        and _DOCUMENT_NUMBER.fullmatch(text) is not None
        and text[2:] != "0000000"
    )
