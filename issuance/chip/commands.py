"""Sending commands over a transport, counting them, and turning status words into errors."""

from __future__ import annotations

from dataclasses import dataclass

from issuance.chip.apdu import SW_OK, CommandApdu, declares_extended_length
from issuance.chip.status_words import status_error
from issuance.ports.card_reader import ApduTransport


@dataclass
class CommandLink:
    """A transport plus an APDU counter; ``send`` raises the typed error for a bad status."""

    transport: ApduTransport
    apdu_count: int = 0

    @property
    def extended_length(self) -> bool:
        """Whether the card declares extended-length APDUs (in its ATR); else short only."""
        return declares_extended_length(getattr(self.transport, "atr", b""))

    def exchange(self, apdu: CommandApdu, extended: bool | None = None) -> tuple[bytes, int]:
        self.apdu_count += 1
        return self.transport.transmit(apdu.encode(extended))

    def send(self, apdu: CommandApdu, what: str, extended: bool | None = None) -> bytes:
        data, sw = self.exchange(apdu, extended)
        if sw != SW_OK:
            raise status_error(sw, what)
        return data
