"""Refusals raised by the photo part."""

from __future__ import annotations

from issuance.errors import IssuanceError
from issuance.ports.limits import UnreadableImage


class UnreadablePhoto(UnreadableImage):
    """The file is missing, is not an image of a format we read, or its decoder failed."""

    def __init__(self, name: str) -> None:
        super().__init__(name)


class NoFaceForPortrait(IssuanceError):
    """A portrait was asked for a frame in which no single face was located."""

    def __init__(self) -> None:
        super().__init__(
            "Portreti nuk mund të pritet: nuk u gjet saktësisht një fytyrë.",
            "The portrait cannot be cut: exactly one face was not found.",
        )


class ChipImageTooLarge(IssuanceError):
    """The chip image cannot be brought under its size budget."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Fotoja për çipin nuk mund të zvogëlohet nën {limit} bajt.",
            f"The chip photo cannot be made smaller than {limit} bytes.",
        )
