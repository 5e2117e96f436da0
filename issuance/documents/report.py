"""The office's report (a day or a period) as PDF and as CSV.

The PDF (portrait A4, DejaVu fonts embedded) labels every row in Albanian and English, as the
other documents do. The CSV is for spreadsheets: one row per measure with a stable key, the
section and the measure in the chosen language, and the value; UTF-8 with a byte-order mark,
so that Excel opens "ë" and "ç" right (LibreOffice and Python's ``utf-8-sig`` read it too).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from issuance.documents.data import nfc
from issuance.documents.drawing import draw_fitted
from issuance.documents.fitting import fit_text
from issuance.documents.fonts import SANS, SANS_BOLD, register_fonts

PAGE = A4
MARGIN = 15 * mm
ROW = 5.2 * mm
SECTION_GAP = 3 * mm
SIZE = 8.5
# Column x positions: Albanian label, English label, value (right-aligned at the margin).
LABEL_SQ, LABEL_EN = MARGIN, MARGIN + 78 * mm
LABEL_WIDTH = 74 * mm


@dataclass(frozen=True)
class ReportRow:
    key: str
    sq: str
    en: str
    value: str


@dataclass(frozen=True)
class ReportSection:
    sq: str
    en: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class ReportDocument:
    office_code: str
    office_name: str
    period: str  # "04.12.2026" or "01.12.2026 – 04.12.2026"
    generated: str  # when it was made, in the office's time
    sections: tuple[ReportSection, ...]


def render_report_pdf(report: ReportDocument) -> bytes:
    """The report as PDF bytes (as many A4 pages as it needs)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=PAGE,
        initialFontName=SANS,  # type: ignore[arg-type]
        pageCompression=1,
    )
    canvas.setTitle(f"Raporti / Report {report.office_code} {report.period}")
    page = 1
    y = _header(canvas, report)
    for section in report.sections:
        needed = ROW * (len(section.rows) + 1) + SECTION_GAP
        if y - needed < MARGIN + ROW and y < _first_row_y():
            _footer(canvas, report, page)
            canvas.showPage()
            page += 1
            y = _header(canvas, report)
        y = _section(canvas, section, y)
    _footer(canvas, report, page)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _first_row_y() -> float:
    return PAGE[1] - MARGIN - 30 * mm


def _header(canvas: Canvas, report: ReportDocument) -> float:
    top = PAGE[1] - MARGIN
    canvas.setFillColor(HexColor("#1f3f7a"))
    canvas.setFont(SANS_BOLD, 13)
    canvas.drawString(MARGIN, top - 13, "RAPORTI I ZYRËS / OFFICE REPORT")
    canvas.setFillColor(HexColor("#101010"))
    for line, text in enumerate((
        f"Zyra / Office: {report.office_code} · {nfc(report.office_name)}",
        f"Periudha / Period: {report.period}",
        f"Përgatitur / Generated: {report.generated}",
    )):  # fmt: skip
        fitted = fit_text(text, SANS, size=9, min_size=6, width=PAGE[0] - 2 * MARGIN,
                          height=11, field="report header")  # fmt: skip
        draw_fitted(canvas, fitted, SANS, (MARGIN, top - 31 - line * 12, PAGE[0] - 2 * MARGIN, 11))
    return _first_row_y()


def _section(canvas: Canvas, section: ReportSection, y: float) -> float:
    canvas.setFillColor(HexColor("#dde4ee"))
    canvas.rect(MARGIN, y - ROW, PAGE[0] - 2 * MARGIN, ROW, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#101010"))
    canvas.setFont(SANS_BOLD, SIZE + 0.5)
    canvas.drawString(MARGIN + 1 * mm, y - ROW + 1.5 * mm, f"{section.sq} / {section.en}")
    y -= ROW
    for row in section.rows:
        baseline = y - ROW + 1.5 * mm  # one baseline: the row reads as one line
        for x, text in ((LABEL_SQ, row.sq), (LABEL_EN, row.en)):
            canvas.setFont(SANS, _label_size(nfc(text)))
            canvas.drawString(x + 1 * mm, baseline, nfc(text))
        canvas.setFont(SANS_BOLD, SIZE)
        canvas.drawRightString(PAGE[0] - MARGIN - 1 * mm, baseline, row.value)
        canvas.setStrokeColor(HexColor("#c0c8d0"))
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, y - ROW, PAGE[0] - MARGIN, y - ROW)
        y -= ROW
    return y - SECTION_GAP


def _label_size(text: str) -> float:
    """The label's font size: SIZE, shrunk until it fits its column on one line."""
    size = SIZE
    while size > 5.0 and stringWidth(text, SANS, size) > LABEL_WIDTH - 2 * mm:
        size -= 0.25
    return size


def _footer(canvas: Canvas, report: ReportDocument, page: int) -> None:
    canvas.setFont(SANS, 8)
    canvas.drawRightString(
        PAGE[0] - MARGIN, MARGIN / 2, f"Faqja / Page {page} · {report.office_code} {report.period}"
    )


CSV_HEADERS = {
    "sq": ("kodi", "seksioni", "masa", "vlera"),
    "en": ("key", "section", "measure", "value"),
}


def render_report_csv(report: ReportDocument, language: str) -> bytes:
    """One row per measure (key, section, measure, value) in ``language`` ("sq" or "en"),
    UTF-8 with a byte-order mark, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS[language])
    for section in report.sections:
        title = section.sq if language == "sq" else section.en
        for row in section.rows:
            writer.writerow((row.key, title, row.sq if language == "sq" else row.en, row.value))
    return out.getvalue().encode("utf-8-sig")
