"""Refusals raised by the photo part."""

from __future__ import annotations

from issuance.errors import IssuanceError


class UnreadablePhoto(IssuanceError):
    """The file is missing or is not an image OpenCV can decode."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Skedari «{name}» nuk është imazh i lexueshëm.",
            f"The file '{name}' is not a readable image.",
        )


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
