"""A card station without PC/SC: the virtual card's applet called in-process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from devices.virtual_card.applet import PassportApplet


class AppletTransport:
    def __init__(self, applet: PassportApplet) -> None:
        self.applet = applet
        self.apdu_count = 0

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_count += 1
        response = self.applet.process(apdu)
        return response[:-2], int.from_bytes(response[-2:], "big")


@contextmanager
def applet_session(applet: PassportApplet) -> Iterator[AppletTransport]:
    applet.reset()  # a fresh connection powers the card up again
    yield AppletTransport(applet)
