"""Fitting text into a box: shrink to a minimum size first, then wrap by rule.

The wrap rule, in order of preference: break at spaces, then after a hyphen, then (for a
single word longer than the line) between any two characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from issuance.documents.errors import FieldTooLong


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    size: float
    leading: float


def _sizes(size: float, min_size: float, step: float) -> list[float]:
    sizes = []
    current = size
    while current > min_size + 1e-9:
        sizes.append(round(current, 4))
        current -= step
    sizes.append(min_size)
    return sizes


def _pieces(text: str) -> list[str]:
    # Tokens keep their trailing separator so a line can be re-joined exactly.
    return [p for p in re.findall(r"[^\s-]*-|[^\s-]+\s*|\s+", text) if p]


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    parts: list[str] = []
    current = ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            parts.append(current)
            current = char
        else:
            current += char
    if current:
        parts.append(current)
    return parts


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap of ``text`` into lines no wider than ``width`` points."""
    lines: list[str] = []
    current = ""
    for piece in _pieces(" ".join(text.split())):
        candidate = current + piece
        if stringWidth(candidate.rstrip(), font, size) <= width:
            current = candidate
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        if stringWidth(piece.rstrip(), font, size) <= width:
            current = piece.lstrip()
            continue
        chunks = _split_word(piece.strip(), font, size, width)
        lines.extend(chunks[:-1])
        current = chunks[-1] + (" " if piece.endswith(" ") else "")
    if current.strip():
        lines.append(current.rstrip())
    return lines


def fit_text(
    text: str,
    font: str,
    *,
    size: float,
    min_size: float,
    width: float,
    height: float,
    max_lines: int = 1,
    leading: float = 1.17,
    step: float = 0.25,
    field: str = "",
) -> FittedText:
    """Lay ``text`` out in a ``width`` x ``height`` box (points) or refuse with FieldTooLong.

    One line at the largest size from ``size`` down to ``min_size`` wins; otherwise the text is
    wrapped onto up to ``max_lines`` lines at the largest size where they fit.
    """
    text = " ".join(text.split())
    sizes = _sizes(size, min_size, step)
    for candidate in sizes:
        if stringWidth(text, font, candidate) <= width and candidate * leading <= height + 1e-6:
            return FittedText((text,), candidate, candidate * leading)
    for candidate in sizes:
        lines = wrap(text, font, candidate, width)
        if len(lines) <= max_lines and len(lines) * candidate * leading <= height + 1e-6:
            return FittedText(tuple(lines), candidate, candidate * leading)
    raise FieldTooLong(field or text[:20], max_lines)
