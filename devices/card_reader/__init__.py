"""Smart-card readers/encoders: personalise chips and read them back, over PC/SC or simulated."""

from __future__ import annotations

from issuance.chip.read_back import VerificationReport, verify_card
from issuance.chip.reports import CardEncoder, CardReader, ChipContents, EncodingReport
from issuance.chip.station import CardStation, open_card_station
from issuance.chip.status_words import (
    CardNotBlank,
    CardStatusError,
    ChipReadBackFailed,
    status_error,
)
from issuance.ports.card_reader import ApduTransport
from issuance.ports.card_reader_errors import (
    CardReaderConfigInvalid,
    CardReaderError,
    CardRemoved,
    NoCardPresent,
    PcscUnavailable,
    ReaderNotFound,
)

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
