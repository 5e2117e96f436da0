"""A card station without PC/SC: the virtual card's applet called in-process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from devtools.virtual_card.applet import PassportApplet
from issuance.chip.station import CardStation

# ISO 14443-4 ATRs (PC/SC part 3): without historical bytes, and with "card capabilities"
# (COMPACT-TLV 73) declaring extended Lc and Le fields.
SHORT_APDU_ATR = bytes.fromhex("3B80800101")
EXTENDED_LENGTH_ATR = bytes.fromhex("3B8580018073000040B7")


class AppletTransport:
    def __init__(self, applet: PassportApplet) -> None:
        self.applet = applet
        self.apdu_count = 0

    @property
    def atr(self) -> bytes:
        """What a real card's ATR would say: extended length when the applet takes it."""
        return EXTENDED_LENGTH_ATR if self.applet.extended_length else SHORT_APDU_ATR

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_count += 1
        response = self.applet.process(apdu)
        return response[:-2], int.from_bytes(response[-2:], "big")


@contextmanager
def applet_session(applet: PassportApplet) -> Iterator[AppletTransport]:
    applet.reset()  # a fresh connection powers the card up again
    yield AppletTransport(applet)


class AppletReader:
    """A ``CardConnector`` whose card is the applet itself, always present."""

    def __init__(self, applet: PassportApplet | None = None) -> None:
        self.name = "sim"
        self.applet = applet or PassportApplet()

    def session(self) -> AbstractContextManager[AppletTransport]:
        return applet_session(self.applet)

    def close(self) -> None:
        pass


def applet_station(applet: PassportApplet | None = None) -> CardStation:
    """A card station on an in-process applet (a fresh blank one unless given)."""
    return CardStation(AppletReader(applet))
