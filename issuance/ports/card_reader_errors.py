"""Refusals from the card reader itself: PC/SC trouble, no reader, a missing or removed card.

What the card answers (status words) is ISO 7816-4 business: ``issuance.chip.status_words``.
"""

from __future__ import annotations

from issuance.errors import IssuanceError


class CardReaderError(IssuanceError):
    """Base of every card-reader refusal."""


class CardReaderConfigInvalid(CardReaderError):
    def __init__(self, spec: str) -> None:
        super().__init__(
            f"Konfigurimi i lexuesit të kartave është i pavlefshëm: '{spec}' "
            "(prisni 'pcsc:<emri i lexuesit>' ose 'sim').",
            f"Invalid card reader configuration '{spec}' (expected 'pcsc:<reader name>' or 'sim').",
        )


class PcscUnavailable(CardReaderError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "Shërbimi i kartave inteligjente (pcscd) nuk përgjigjet. Kontrolloni që është i "
            "instaluar dhe në punë.",
            f"The smart card service (pcscd) does not answer; check it is installed and "
            f"running. ({detail})",
        )


class ReaderNotFound(CardReaderError):
    def __init__(self, reader: str, available: list[str]) -> None:
        listed = ", ".join(available) or "—"
        super().__init__(
            f"Lexuesi i kartave '{reader}' nuk u gjet. Lexuesit e lidhur: {listed}.",
            f"Card reader '{reader}' was not found. Connected readers: {listed}.",
        )
        self.reader = reader
        self.available = available


class NoCardPresent(CardReaderError):
    def __init__(self, reader: str, timeout: float) -> None:
        super().__init__(
            f"Asnjë kartë në lexuesin '{reader}' pas {timeout:g} sekondash. Futni një kartë.",
            f"No card in reader '{reader}' after {timeout:g} seconds. Insert a card.",
        )


class CardRemoved(CardReaderError):
    """The card stopped answering mid-way; the caller records it as spoiled."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Karta u hoq ose nuk përgjigjet më ({reason}). Regjistrojeni si të dëmtuar dhe "
            "përdorni një kartë të re.",
            f"The card was removed or stopped answering ({reason}). Record it as spoiled and "
            "use a new blank.",
        )
        self.reason = reason
