"""Small canvas helpers shared by the documents: fitted text in boxes, Code 128 bars."""

from __future__ import annotations

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from issuance.documents.fitting import FittedText, fit_text
from issuance.documents.layout import Box, TextSpec


def font_extent(font: str) -> tuple[float, float]:
    """Ascent and descent (both positive) of a registered font, in ems."""
    # Every font (Type 1 or TrueType) has its face; the stubs leave it out of Font.
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return face.ascent / 1000, -face.descent / 1000


def to_pdf(box: Box, page_height_mm: float) -> tuple[float, float, float, float]:
    """A top-left millimetre box as PDF points (x, bottom y, width, height)."""
    return (
        box.x * mm,
        (page_height_mm - box.y - box.height) * mm,
        box.width * mm,
        box.height * mm,
    )


def draw_fitted(
    canvas: Canvas,
    fitted: FittedText,
    font: str,
    rect: tuple[float, float, float, float],
    *,
    align: str = "left",
    color: str = "#101010",
) -> None:
    """Draw lines top-down inside rect, each centred in its slot of one leading."""
    x, y, width, height = rect
    ascent, descent = font_extent(font)
    canvas.setFillColor(HexColor(color))
    canvas.setFont(font, fitted.size)
    top = y + height
    # Centre the block of lines vertically in the box: a short value sits mid-box.
    block = len(fitted.lines) * fitted.leading
    top -= (height - block) / 2
    for index, line in enumerate(fitted.lines):
        slack = fitted.leading - (ascent + descent) * fitted.size
        baseline = top - index * fitted.leading - slack / 2 - ascent * fitted.size
        if align == "center":
            canvas.drawCentredString(x + width / 2, baseline, line)
        elif align == "right":
            canvas.drawRightString(x + width, baseline, line)
        else:
            canvas.drawString(x, baseline, line)


def draw_text_spec(
    canvas: Canvas,
    spec: TextSpec,
    text: str,
    page_height_mm: float,
    *,
    leading: float = 1.17,
    step: float = 0.25,
) -> FittedText:
    rect = to_pdf(spec.box, page_height_mm)
    fitted = fit_text(
        text,
        spec.font,
        size=spec.size,
        min_size=spec.min_size,
        width=rect[2],
        height=rect[3],
        max_lines=spec.max_lines,
        leading=leading,
        step=step,
        field=spec.name,
    )
    draw_fitted(canvas, fitted, spec.font, rect, align=spec.align, color=spec.color)
    return fitted


def draw_code128(
    canvas: Canvas,
    value: str,
    rect: tuple[float, float, float, float],
    *,
    quiet_modules: int = 10,
) -> None:
    """Code 128 bars filling rect's width, quiet zones included, centred horizontally."""
    x, y, width, height = rect
    probe = Code128(value, barWidth=1, quiet=0, humanReadable=False)
    modules = probe.width + 2 * quiet_modules
    bar_width = width / modules
    barcode = Code128(value, barWidth=bar_width, barHeight=height, quiet=0, humanReadable=False)
    canvas.setFillColor(HexColor("#000000"))
    barcode.drawOn(canvas, x + quiet_modules * bar_width, y)



class Code128Flowable(Flowable):
    """Code 128 bars as a platypus flowable, drawn straight on the canvas.

    A graphics Drawing would set ReportLab's default (unembedded) fonts on the page.
    """

    def __init__(self, value: str, max_width: float, height: float, quiet_modules: int = 10):
        super().__init__()
        modules = Code128(value, barWidth=1, quiet=0, humanReadable=False).width
        bar_width = min(0.5 * mm, max_width / (modules + 2 * quiet_modules))
        self.value = value
        self.quiet_modules = quiet_modules
        self.width = bar_width * (modules + 2 * quiet_modules)
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_code128(self.canv, self.value, (0, 0, self.width, self.height),
                     quiet_modules=self.quiet_modules)
