"""The embedded fonts every document uses (never a base-14 font, which is not embedded)."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
FONT_DIR = RESOURCES / "fonts"

# PDF font name -> file under resources/fonts/.
FONT_FILES: dict[str, str] = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "OCRB": "OCRB.ttf",
}
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
OCRB = "OCRB"

_lock = threading.Lock()


def font_for_file(file_name: str) -> str:
    """The registered PDF font name of a font file named in a template."""
    for name, file in FONT_FILES.items():
        if file == file_name:
            return name
    raise KeyError(file_name)


def register_fonts() -> None:
    """Register the project's TrueType fonts with ReportLab once per process."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, file in FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
