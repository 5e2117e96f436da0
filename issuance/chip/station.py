"""A card station: personalise blank cards and read chips, over PC/SC or the simulator.

Chosen by a configuration string: ``pcsc:<reader name>`` (for example
``pcsc:Virtual PCD 00 00``) or ``sim`` (an in-process virtual card, for demos without pcscd).
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager

from asn1crypto import x509

from issuance.chip.bac import BacKey
from issuance.chip.commands import CommandLink
from issuance.chip.lds import DATA_GROUPS, EF_COM, EF_SOD, LdsFiles
from issuance.chip.personalisation import write_files
from issuance.chip.reading import read_chip
from issuance.chip.reports import ChipContents, EncodingReport, Progress
from issuance.chip.status_words import ChipReadBackFailed
from issuance.chip.verification import Check, passive_authentication
from issuance.ports.card_reader import ApduTransport, CardConnector
from issuance.ports.devices import DEFAULT_CARD_TIMEOUT, DeviceFactory


class CardStation:
    """Both a ``CardEncoder`` and a ``CardReader``; blocking — call it from a worker thread."""

    def __init__(self, reader: CardConnector) -> None:
        self.reader = reader
        self.name = reader.name

    def close(self) -> None:
        """Release what the station holds (its PC/SC context); it re-opens on next use."""
        self.reader.close()

    def __enter__(self) -> CardStation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> AbstractContextManager[ApduTransport]:
        return self.reader.session()

    def read_chip(self, key: BacKey) -> ChipContents:
        with self.session() as transport:
            return read_chip(transport, key)

    def personalise(
        self,
        files: LdsFiles,
        key: BacKey,
        csca: x509.Certificate,
        progress: Progress | None = None,
    ) -> EncodingReport:
        """Write, lock, read back through BAC and verify; ChipReadBackFailed if a check fails."""
        started = time.perf_counter()
        with self.session() as transport:
            link = CommandLink(transport)
            written = write_files(link, files, key, progress)
            if progress:
                progress("reading the chip back through BAC")
            contents = read_chip(transport, key)
        checks = _read_back_checks(files, contents)
        checks += passive_authentication(contents.data_groups, contents.sod, csca)
        report = EncodingReport(
            apdu_count=link.apdu_count + contents.apdu_count,
            write_apdus=written.write_apdus,
            bytes_written=written.bytes_written,
            write_chunk=written.write_chunk,
            extended_length=written.write_chunk > 0xFF,
            read_apdus=contents.apdu_count,
            read_chunk=contents.read_chunk,
            seconds=time.perf_counter() - started,
            file_sizes=dict((fid, len(content)) for fid, content in files.by_file_id()),
            checks=tuple(checks),
        )
        failed = [c.name for c in checks if not c.passed]
        if failed:
            raise ChipReadBackFailed(", ".join(failed), report)
        return report


def _read_back_checks(files: LdsFiles, contents: ChipContents) -> list[Check]:
    read = {EF_COM: contents.com, EF_SOD: contents.sod}
    read |= {DATA_GROUPS[n][1]: content for n, content in contents.data_groups.items()}
    same = all(read.get(fid) == content for fid, content in files.by_file_id())
    return [
        Check(
            "read back",
            same,
            "every file reads back as written"
            if same
            else "a file reads back differently from what was written",
        )
    ]


def open_card_station(
    devices: DeviceFactory, spec: str, card_timeout: float = DEFAULT_CARD_TIMEOUT
) -> CardStation:
    """The station on the reader named by configuration (``pcsc:<reader name>``, or what a
    development tool registered)."""
    return CardStation(devices.card_reader(spec, card_timeout=card_timeout))
