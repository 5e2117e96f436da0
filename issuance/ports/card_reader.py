"""What the core sees of a card reader/encoder: a connection to the card in it that carries
APDUs. Everything ICAO 9303 says about what to send lives in ``issuance.chip``."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class ApduTransport(Protocol):
    """Sends one encoded command APDU; returns (response data, status word).

    A transport may carry the card's ``atr`` (bytes): extended-length APDUs are sent only when
    its historical bytes declare them; a transport without one gets short APDUs.
    """

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...



class CardConnector(Protocol):
    """One reader: each session waits for a card, powers it up and yields its transport."""

    name: str

    def session(self) -> AbstractContextManager[ApduTransport]: ...

    def close(self) -> None:
        """Release what the reader holds (a PC/SC context); the next session re-opens it."""
        ...
