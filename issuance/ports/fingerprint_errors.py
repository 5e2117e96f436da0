"""Refusals of the fingerprint scanner, each with its message in Albanian and English.

SBI error codes (section "Error Codes" of the SBI 1.0 spec) are mapped by ``error_for_code``.
The spec leaves 5xx to device providers; our simulator uses 501 busy, 502 timed out and
503 not ready, and any other 5xx from a real device becomes ``CaptureFailed`` carrying its
code so support staff can look it up in the vendor's documentation.
"""

from __future__ import annotations

from issuance.errors import IssuanceError


class ScannerError(IssuanceError):
    """Base of every fingerprint-scanner refusal; ``code`` is the SBI code when there is one."""

    code: int | None = None


class ScannerNotFound(ScannerError):
    def __init__(self, where: str = "") -> None:
        place = f" ({where})" if where else ""
        super().__init__(
            "Skaneri i gjurmëve të gishtave nuk u gjet"
            f"{place}. Kontrolloni që është i lidhur dhe që shërbimi i tij po punon.",
            f"The fingerprint scanner was not found{place}. "
            "Check that it is plugged in and that its service is running.",
        )


class ScannerDisconnected(ScannerError):
    def __init__(self) -> None:
        super().__init__(
            "Lidhja me skanerin e gjurmëve u ndërpre. Kontrolloni kabllon dhe shërbimin "
            "e pajisjes, pastaj provoni përsëri.",
            "The connection to the fingerprint scanner was lost. Check the cable and the "
            "device service, then try again.",
        )


class ScannerBusy(ScannerError):
    def __init__(self) -> None:
        super().__init__(
            "Skaneri i gjurmëve është i zënë me një kapje tjetër. Prisni pak dhe provoni përsëri.",
            "The fingerprint scanner is busy with another capture. Wait a moment and try again.",
        )


class ScannerNotReady(ScannerError):
    def __init__(self, status_sq: str, status_en: str) -> None:
        super().__init__(
            f"Skaneri i gjurmëve nuk është gati: {status_sq}.",
            f"The fingerprint scanner is not ready: {status_en}.",
        )


class CaptureTimedOut(ScannerError):
    def __init__(self) -> None:
        super().__init__(
            "Koha për kapjen e gjurmëve mbaroi. Vendosni gishtat në skaner dhe provoni përsëri.",
            "The fingerprint capture timed out. Place the fingers on the scanner and try again.",
        )


class CaptureFailed(ScannerError):
    def __init__(self, detail_sq: str, detail_en: str) -> None:
        super().__init__(
            f"Kapja e gjurmëve dështoi: {detail_sq}.",
            f"The fingerprint capture failed: {detail_en}.",
        )


class ScannerProtocolError(ScannerError):
    def __init__(self, detail: str) -> None:
        # The detail is technical and in English only; it goes to the log, not the clerk.
        super().__init__(
            "Skaneri i gjurmëve dha një përgjigje që nuk kuptohet.",
            "The fingerprint scanner gave a response that could not be understood.",
        )
        self.detail = detail


class FingerRecordRefused(ScannerProtocolError):
    """The device's finger image record is malformed or not what was asked for; the clerk
    reads why (the record's refusal), the log gets the same in English."""

    def __init__(self, reason: IssuanceError) -> None:
        IssuanceError.__init__(
            self,
            f"Skaneri i gjurmëve dërgoi të dhëna që nuk pranohen. {reason.sq}",
            f"The fingerprint scanner sent data that cannot be accepted. {reason.en}",
        )
        self.detail = reason.en
        self.reason = reason


class InvalidScannerSpec(ScannerError):
    def __init__(self, spec: str) -> None:
        super().__init__(
            f"Konfigurimi i skanerit të gjurmëve është i pavlefshëm: {spec!r}.",
            f"The fingerprint scanner setting is invalid: {spec!r}.",
        )


BUSY = 501
TIMED_OUT = 502
NOT_READY = 503

_NOT_READY = {
    100: ("pajisja nuk është e regjistruar", "the device is not registered"),
    104: (
        "nuk lidhet dot me serverin e menaxhimit të pajisjes",
        "it cannot reach its management server",
    ),
    107: ("çelësi publik i pajisjes ka skaduar", "the device's public key has expired"),
    108: ("mungon çelësi publik i domenit", "the domain public key is missing"),
    NOT_READY: ("pajisja po niset ose ka një defekt", "the device is starting up or faulty"),
}

_FAILED = {
    101: ("nuk u dallua asnjë gisht në skaner", "no finger was detected on the scanner"),
    102: (
        "gabim teknik gjatë përpunimit të imazhit",
        "a technical error occurred while extracting the image",
    ),
    103: ("pajisja raporton ndërhyrje fizike", "the device reports tampering"),
    105: (
        "orientim i gabuar i imazhit; kontrolloni që është vendosur dora e duhur",
        "image orientation error; check that the right hand is on the scanner",
    ),
    109: (
        "pajisja nuk e mbështet numrin e kërkuar të gishtave",
        "the device does not support the requested number of fingers",
    ),
}


def error_for_code(code: int) -> ScannerError:
    """The refusal for a non-zero SBI error code."""
    error: ScannerError
    if code in (106, 202):
        error = ScannerNotFound()
    elif code == BUSY:
        error = ScannerBusy()
    elif code == TIMED_OUT:
        error = CaptureTimedOut()
    elif code in _NOT_READY:
        error = ScannerNotReady(*_NOT_READY[code])
    elif code in _FAILED:
        error = CaptureFailed(*_FAILED[code])
    else:
        error = CaptureFailed(f"gabim i pajisjes me kod {code}", f"device error code {code}")
    error.code = code
    return error


def error_for_status(status: str) -> ScannerError | None:
    """The refusal for a ``deviceStatus`` other than Ready, or None when it is Ready."""
    if status == "Ready":
        return None
    if status == "Busy":
        return ScannerBusy()
    if status == "Not Registered":
        return ScannerNotReady(*_NOT_READY[100])
    return ScannerNotReady(f"gjendja «{status}»", f"status {status!r}")
