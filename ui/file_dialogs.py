"""The desk's file dialogs: Qt's own (non-native) dialog, so it speaks the desk's language.

A platform's native dialog speaks the system's language and ignores the desk's translators;
Qt's dialog reads its texts through them (resources/translations/qt_sq.ts).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def open_file_dialog(
    parent: QWidget | None, title: str, directory: str, filters: str
) -> QFileDialog:
    """A non-native dialog choosing one existing file (not yet shown)."""
    dialog = QFileDialog(parent, title, directory, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return dialog


def choose_file(parent: QWidget | None, title: str, directory: str, filters: str) -> str:
    """The file the operator chose, or "" when they cancelled."""
    dialog = open_file_dialog(parent, title, directory, filters)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return ""
        chosen = dialog.selectedFiles()
        return chosen[0] if chosen else ""
    finally:
        dialog.deleteLater()
