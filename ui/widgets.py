"""Small helpers for building the desk's widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Named = TypeVar("Named", bound=QObject)


def named(widget: Named, name: str, *, visible: bool | None = None) -> Named:
    """``widget`` with its Qt object name set (tests and style sheets find it by that name).

    The same as the ``objectName=`` keyword of the constructor, which PySide6's type stubs
    leave out of every class but QObject."""
    widget.setObjectName(name)
    if visible is not None:
        widget.setVisible(visible)  # type: ignore[attr-defined]
    return widget
