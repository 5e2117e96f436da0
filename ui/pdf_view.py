"""Receipts and manifests open in the system's PDF viewer, or in the desk's own (QtPdf) where
the system has none: "open" never silently does nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from ui.widgets import named


class PdfWindow(QDialog):
    """One PDF, all its pages, fitted to the window's width."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf-window")
        self.setWindowTitle(path.name)
        self.document = QPdfDocument(self)
        self.view = named(QPdfView(self), "pdf-view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.problem = named(QLabel(wordWrap=True), "pdf-problem", visible=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)
        self.resize(900, 1000)
        if self.document.load(str(path)) != QPdfDocument.Error.None_:
            self.problem.setText(self.tr("The document {name} cannot be shown: it is missing or "
                                         "damaged. Make it again.").format(name=path.name))
            self.problem.setVisible(True)  # fmt: skip


def open_pdf(path: Path, parent: QWidget) -> PdfWindow | None:
    """The system's viewer if it has one; else the desk's own window (returned)."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return None
    window = PdfWindow(path, parent)
    window.show()
    return window
