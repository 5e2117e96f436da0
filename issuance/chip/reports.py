"""What a chip session produces: the files read back and the report of a personalisation, and
the two things a card station does with them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from asn1crypto import x509

from issuance.chip.bac import BacKey
from issuance.chip.lds import LdsFiles
from issuance.chip.verification import Check
from issuance.ports.card_reader import ApduTransport

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ChipContents:
    """The files read from a chip through BAC and secure messaging."""

    com: bytes
    data_groups: dict[int, bytes]
    sod: bytes
    apdu_count: int
    read_chunk: int


@dataclass(frozen=True)
class EncodingReport:
    """How a card was personalised and what the read-back verification found."""

    apdu_count: int
    write_apdus: int
    bytes_written: int
    write_chunk: int
    extended_length: bool
    read_apdus: int
    read_chunk: int
    seconds: float
    file_sizes: dict[int, int]
    checks: tuple[Check, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def bytes_per_write(self) -> float:
        return self.bytes_written / self.write_apdus if self.write_apdus else 0.0


class CardEncoder(Protocol):
    def personalise(
        self,
        files: LdsFiles,
        key: BacKey,
        csca: x509.Certificate,
        progress: Progress | None = None,
    ) -> EncodingReport:
        """Write, lock, read back and verify one blank card (blocks; run it in a worker)."""
        ...


class CardReader(Protocol):
    def read_chip(self, key: BacKey) -> ChipContents:
        """Read every file of a locked chip through BAC (blocks; run it in a worker)."""
        ...

    def session(self) -> AbstractContextManager[ApduTransport]:
        """Wait for a card and hold a connection to it."""
        ...
