"""Why a card could not be printed, in words for the operator (Albanian and English)."""

from __future__ import annotations

from issuance.errors import IssuanceError


class PrinterError(IssuanceError):
    """Base of every refusal or failure of the card printer."""


class UnknownPrinterConfig(PrinterError):
    def __init__(self, config: str) -> None:
        super().__init__(
            f"Konfigurimi i printerit të kartave '{config}' nuk njihet "
            "(përdorni 'cups:EMRI_I_RADHËS' ose 'folder:/rruga/e/dosjes').",
            f"Unknown card printer configuration '{config}' "
            "(use 'cups:QUEUE_NAME' or 'folder:/path/to/folder').",
        )


class PrintServiceUnavailable(PrinterError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Shërbimi i printimit (CUPS) nuk përgjigjet. Kontrolloni që cupsd të jetë në punë.",
            "The print service (CUPS) does not answer. Check that cupsd is running."
            + (f" ({detail})" if detail else ""),
        )


class PrinterNotFound(PrinterError):
    def __init__(self, printer: str) -> None:
        super().__init__(
            f"Printeri i kartave '{printer}' nuk ekziston në këtë kompjuter.",
            f"The card printer '{printer}' does not exist on this computer.",
        )


class PrinterPaused(PrinterError):
    def __init__(self, printer: str) -> None:
        super().__init__(
            f"Printeri i kartave '{printer}' është në pauzë (i ndalur, jashtë linje). "
            "Riaktivizojeni dhe provoni përsëri.",
            f"The card printer '{printer}' is paused (stopped, offline). "
            "Resume it and try again.",
        )


class PrinterOffline(PrinterError):
    def __init__(self, printer: str, detail: str = "") -> None:
        super().__init__(
            f"Printeri i kartave '{printer}' është jashtë linje ose i fikur. "
            "Kontrolloni kabllon dhe energjinë.",
            f"The card printer '{printer}' is offline or switched off. "
            "Check its cable and power." + (f" ({detail})" if detail else ""),
        )


class PrinterNotAccepting(PrinterError):
    def __init__(self, printer: str) -> None:
        super().__init__(
            f"Printeri i kartave '{printer}' nuk pranon punë të reja printimi.",
            f"The card printer '{printer}' is not accepting new print jobs.",
        )


class PrinterOutOfCards(PrinterError):
    def __init__(self, printer: str) -> None:
        super().__init__(
            f"Printeri i kartave '{printer}' ka mbaruar kartat bosh. Shtoni karta në kaset.",
            f"The card printer '{printer}' is out of blank cards. Load cards into the hopper.",
        )


class PrinterJammed(PrinterError):
    def __init__(self, printer: str) -> None:
        super().__init__(
            f"Një kartë ka ngecur në printerin '{printer}'. Hiqeni dhe regjistrojeni si të "
            "dëmtuar.",
            f"A card is jammed in printer '{printer}'. Remove it and record it as spoiled.",
        )


class PrintJobFailed(PrinterError):
    def __init__(self, printer: str, job: int, state_sq: str, state_en: str) -> None:
        super().__init__(
            f"Puna e printimit {job} në '{printer}' dështoi: {state_sq}.",
            f"Print job {job} on '{printer}' failed: {state_en}.",
        )


class PrintTimeout(PrinterError):
    def __init__(self, printer: str, job: int, seconds: float) -> None:
        super().__init__(
            f"Printeri '{printer}' nuk e mbaroi punën {job} brenda {seconds:.0f} sekondave; "
            "puna u anulua.",
            f"Printer '{printer}' did not finish job {job} within {seconds:.0f} seconds; "
            "the job was cancelled.",
        )
