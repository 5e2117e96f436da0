"""The batch manifest for supervisors: every application of a batch with its decision.

Drawn straight on the canvas (no platypus table) so a thousand rows render well under a
second: cells are fitted with the same shrink-then-wrap rule as the card, rows are
paginated first, and the column header is repeated on every page.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from issuance.documents.data import BatchManifest, Decision, ManifestRow, nfc, require_text
from issuance.documents.drawing import draw_fitted
from issuance.documents.fitting import FieldTooLong, FittedText, fit_text, wrap
from issuance.documents.fonts import SANS, SANS_BOLD, register_fonts

PAGE = landscape(A4)
MARGIN = 12 * mm
HEADER_HEIGHT = 24 * mm
FOOTER_HEIGHT = 10 * mm
PADDING = 1.2 * mm
SIZE, MIN_SIZE, LEADING = 8.0, 6.0, 1.17
MAX_LINES = 6

# (title, width in mm); widths add up to the printable width of landscape A4 (273 mm).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Nr.\nNo.", 12),
    ("Nr. i aplikimit\nApplication No.", 34),
    ("Mbiemri\nSurname", 42),
    ("Emri\nGiven names", 42),
    ("Shtetësia\nNat.", 17),
    ("Nr. i lejes\nPermit No.", 30),
    ("Vendimi\nDecision", 28),
    ("Arsyeja / Nr. i kartës\nReason / Card No.", 68),
)


@dataclass(frozen=True)
class _Row:
    cells: tuple[FittedText, ...]
    height: float
    decision: Decision


def _cells(number: int, row: ManifestRow) -> tuple[str, ...]:
    note = row.reason if row.decision is not Decision.APPROVED else row.document_number
    return (
        str(number),
        row.application_number,
        nfc(row.surname),
        nfc(row.given_names),
        row.nationality_code,
        row.permit_number,
        row.decision.words,
        nfc(note or "—"),
    )


def _fit_cell(text: str, width: float) -> FittedText:
    try:
        return fit_text(
            text or "—", SANS, size=SIZE, min_size=MIN_SIZE, width=width,
            height=MAX_LINES * SIZE * LEADING, max_lines=MAX_LINES, leading=LEADING,
            step=0.5, field="manifest",
        )
    except FieldTooLong:
        # One endless reason must not cost the supervisor the whole list: the cell is cut
        # after MAX_LINES lines and marked with an ellipsis (the full text stays in the record).
        lines = wrap(text, SANS, MIN_SIZE, width)[:MAX_LINES]
        last = lines[-1] + "…"
        while stringWidth(last, SANS, MIN_SIZE) > width and len(last) > 1:
            last = last[:-2] + "…"
        return FittedText((*lines[:-1], last), MIN_SIZE, MIN_SIZE * LEADING)


def _layout_row(number: int, row: ManifestRow) -> _Row:
    fitted = [
        _fit_cell(text, width * mm - 2 * PADDING)
        for text, (_, width) in zip(_cells(number, row), COLUMNS, strict=True)
    ]
    lines = max(len(cell.lines) * cell.leading for cell in fitted)
    return _Row(tuple(fitted), lines + 2 * PADDING, row.decision)


def _paginate(rows: list[_Row]) -> list[list[_Row]]:
    usable = PAGE[1] - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT - _column_header_height()
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for row in rows:
        if pages[-1] and used + row.height > usable:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def _column_header_height() -> float:
    return 2 * SIZE * LEADING + 2 * PADDING


def render_batch_manifest(manifest: BatchManifest) -> bytes:
    """The manifest as PDF bytes (landscape A4, as many pages as the batch needs)."""
    register_fonts()
    batch = require_text(manifest.batch_number, "batch_number")
    rows = [_layout_row(n, row) for n, row in enumerate(manifest.rows, start=1)]
    pages = _paginate(rows)
    buffer = io.BytesIO()
    # initialFontName is a font name: the stubs type it as a float.
    canvas = Canvas(
        buffer, pagesize=PAGE, initialFontName=SANS, pageCompression=1  # type: ignore[arg-type]
    )
    canvas.setTitle(f"Batch manifest {batch}")
    for index, page_rows in enumerate(pages, start=1):
        _page_header(canvas, manifest, index, len(pages))
        y = PAGE[1] - MARGIN - HEADER_HEIGHT
        y = _column_header(canvas, y)
        for row in page_rows:
            _draw_row(canvas, row, y)
            y -= row.height
        if index == len(pages):
            _totals(canvas, manifest, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page_header(canvas: Canvas, manifest: BatchManifest, page: int, pages: int) -> None:
    top = PAGE[1] - MARGIN
    canvas.setFillColor(HexColor("#1f3f7a"))
    canvas.setFont(SANS_BOLD, 13)
    canvas.drawString(MARGIN, top - 13, "LISTA E PARTISË / BATCH MANIFEST")
    canvas.setFillColor(HexColor("#101010"))
    canvas.setFont(SANS, 9)
    fields = (
        f"Partia / Batch: {manifest.batch_number}",
        f"Zyra / Office: {nfc(manifest.office_name)}",
        f"Mbikëqyrësi / Supervisor: {nfc(manifest.supervisor)}",
        f"Data / Date: {manifest.decided_at.strftime('%d.%m.%Y %H:%M')}",
    )
    for n, text in enumerate(fields):
        column, line = divmod(n, 2)
        fitted = fit_text(text, SANS, size=9, min_size=6, width=130 * mm, height=11,
                          field="manifest header")
        draw_fitted(canvas, fitted, SANS,
                    (MARGIN + column * 136 * mm, top - 31 - line * 12, 130 * mm, 11))
    canvas.setFont(SANS, 8)
    canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2,
                           f"Faqja / Page {page} / {pages} · {manifest.batch_number}")


def _column_header(canvas: Canvas, top: float) -> float:
    height = _column_header_height()
    canvas.setFillColor(HexColor("#dde4ee"))
    canvas.rect(MARGIN, top - height, PAGE[0] - 2 * MARGIN, height, stroke=0, fill=1)
    x = MARGIN
    for title, width in COLUMNS:
        fitted = FittedText(tuple(title.split("\n")), SIZE, SIZE * LEADING)
        draw_fitted(canvas, fitted, SANS_BOLD,
                    (x + PADDING, top - height + PADDING, width * mm - 2 * PADDING,
                     height - 2 * PADDING))
        x += width * mm
    return top - height


DECISION_COLORS = {
    Decision.APPROVED: "#0b5d1e",
    Decision.REJECTED: "#9b1111",
    Decision.PENDING: "#6b5500",
}


def _draw_row(canvas: Canvas, row: _Row, top: float) -> None:
    x = MARGIN
    for index, (cell, (_, width)) in enumerate(zip(row.cells, COLUMNS, strict=True)):
        color = DECISION_COLORS[row.decision] if index == 6 else "#101010"
        draw_fitted(canvas, cell, SANS,
                    (x + PADDING, top - row.height + PADDING, width * mm - 2 * PADDING,
                     row.height - 2 * PADDING), color=color)
        x += width * mm
    canvas.setStrokeColor(HexColor("#c0c8d0"))
    canvas.setLineWidth(0.3)
    canvas.line(MARGIN, top - row.height, PAGE[0] - MARGIN, top - row.height)


def _totals(canvas: Canvas, manifest: BatchManifest, y: float) -> None:
    counts = Counter(row.decision for row in manifest.rows)
    text = (
        f"Gjithsej / Total: {len(manifest.rows)} · "
        + " · ".join(f"{d.words}: {counts.get(d, 0)}" for d in Decision)
    )
    canvas.setFillColor(HexColor("#101010"))
    canvas.setFont(SANS_BOLD, 9)
    # The footer band is kept free on every page, so the totals always have room.
    canvas.drawString(MARGIN, max(y - 14, MARGIN + 2), text)
