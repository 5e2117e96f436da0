"""Smart-card readers/encoders: personalise chips and read them back, over PC/SC or simulated."""

from __future__ import annotations

from devices.card_reader.errors import (
    CardNotBlank,
    CardReaderConfigInvalid,
    CardReaderError,
    CardRemoved,
    CardStatusError,
    ChipReadBackFailed,
    NoCardPresent,
    PcscUnavailable,
    ReaderNotFound,
    status_error,
)
from devices.card_reader.protocol import (
    ApduTransport,
    CardEncoder,
    CardReader,
    ChipContents,
    EncodingReport,
)
from devices.card_reader.station import CardStation, open_card_station
from devices.card_reader.verify import VerificationReport, verify_card

__all__ = [
    "ApduTransport",
    "CardEncoder",
    "CardNotBlank",
    "CardReader",
    "CardReaderConfigInvalid",
    "CardReaderError",
    "CardRemoved",
    "CardStation",
    "CardStatusError",
    "ChipContents",
    "ChipReadBackFailed",
    "EncodingReport",
    "NoCardPresent",
    "PcscUnavailable",
    "ReaderNotFound",
    "VerificationReport",
    "open_card_station",
    "status_error",
    "verify_card",
]
