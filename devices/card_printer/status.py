"""Reading a CUPS printer's state into the one refusal an operator can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from issuance.ports.card_printer_errors import (
    PrinterError,
    PrinterJammed,
    PrinterNotAccepting,
    PrinterOffline,
    PrinterOutOfCards,
    PrinterPaused,
)

IPP_PRINTER_STOPPED = 5
OUT_OF_CARDS = {"media-empty", "media-needed", "input-tray-missing"}
JAMMED = {"media-jam"}
OFFLINE = {"offline", "shutdown", "timed-out", "door-open", "cover-open"}

JOB_STATES = {
    3: ("në pritje", "pending"),
    4: ("e mbajtur", "held"),
    5: ("në printim", "processing"),
    6: ("e ndalur", "stopped"),
    7: ("e anuluar", "cancelled"),
    8: ("e ndërprerë nga printeri", "aborted by the printer"),
    9: ("e përfunduar", "completed"),
}


def _reason_words(reasons: list[str]) -> set[str]:
    """IPP reasons without their severity suffix; mere warnings do not stop printing."""
    words = set()
    for reason in reasons:
        if reason.endswith("-warning"):
            continue
        for suffix in ("-error", "-report"):
            if reason.endswith(suffix):
                reason = reason[: -len(suffix)]
        words.add(reason)
    return words


def printer_problem(printer: str, attributes: Mapping[str, Any]) -> PrinterError | None:
    """The refusal that a printer in this IPP state deserves, or None when it can print."""
    reasons = attributes.get("printer-state-reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    words = _reason_words(list(reasons))
    state = attributes.get("printer-state")
    if words & OUT_OF_CARDS:
        return PrinterOutOfCards(printer)
    if words & JAMMED:
        return PrinterJammed(printer)
    if state == IPP_PRINTER_STOPPED and "paused" in words:
        return PrinterPaused(printer)
    if words & OFFLINE or state == IPP_PRINTER_STOPPED:
        message = attributes.get("printer-state-message") or ", ".join(sorted(words))
        return PrinterOffline(printer, message)
    if attributes.get("printer-is-accepting-jobs") is False:
        return PrinterNotAccepting(printer)
    return None
