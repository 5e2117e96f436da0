"""Where the system has no PDF viewer (as offscreen here), the desk shows the PDF itself."""

from __future__ import annotations

from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget
from reportlab.pdfgen.canvas import Canvas

from tests.support.operator_text import assert_operator_text
from ui.pdf_view import PdfWindow, open_pdf


def _pdf(path, pages: int) -> None:
    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.drawString(72, 720, f"Faqja {n + 1}: Çela Ëndrit")
        canvas.showPage()
    canvas.save()


def test_without_a_system_viewer_the_desk_shows_every_page(qtbot, tmp_path):
    path = tmp_path / "manifest.pdf"
    _pdf(path, 3)
    owner = QWidget()
    qtbot.addWidget(owner)
    window = open_pdf(path, owner)
    assert window is not None and window.isVisible()
    assert window.document.status() == QPdfDocument.Status.Ready
    assert window.document.pageCount() == 3
    assert not window.problem.isVisible()
    window.close()


def test_a_damaged_file_is_said_in_words(qtbot, tmp_path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(b"%PDF-1.4 truncated")
    window = PdfWindow(path)
    qtbot.addWidget(window)
    window.show()
    assert window.problem.isVisible()
    assert "receipt.pdf" in window.problem.text()
    assert_operator_text(window.problem.text(), "en")
