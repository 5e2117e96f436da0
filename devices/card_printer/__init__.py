"""Card printers behind one protocol, chosen by a configuration string.

``"cups:QUEUE"`` prints on a CUPS queue (ID-1 page size) and follows the job to its end;
``"folder:/some/path"`` writes each card PDF into a folder (the demo). The clerk's receipt
printer is the same kind of device with an A4 page.
"""

from __future__ import annotations

from devices.card_printer.cups_printer import CupsCardPrinter
from devices.card_printer.folder_printer import FolderCardPrinter
from devices.card_printer.status import printer_problem
from issuance.ports.card_printer import ID1_PAGE_SIZE, CardPrinter
from issuance.ports.card_printer_errors import UnknownPrinterConfig


def check_spec(config: str) -> None:
    """Raise ``UnknownPrinterConfig`` unless ``config`` is ``cups:QUEUE`` or ``folder:PATH``."""
    kind, _, target = (config or "").partition(":")
    if kind not in ("cups", "folder") or not target.strip():
        raise UnknownPrinterConfig(config)


def open_card_printer(config: str, *, page_size: str = ID1_PAGE_SIZE) -> CardPrinter:
    """The printer a configuration string names: ``cups:QUEUE`` or ``folder:PATH``."""
    kind, _, target = (config or "").partition(":")
    target = target.strip()
    if kind == "cups" and target:
        return CupsCardPrinter(target, page_size=page_size)
    if kind == "folder" and target:
        return FolderCardPrinter(target)
    raise UnknownPrinterConfig(config)


__all__ = [
    "CupsCardPrinter",
    "FolderCardPrinter",
    "open_card_printer",
    "printer_problem",
]
