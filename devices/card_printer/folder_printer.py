"""The demo "printer": each card PDF is written into a folder instead of onto a card."""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from issuance.ports.card_printer import DoneCallback, PrintOutcome, submit_job
from issuance.ports.card_printer_errors import PrinterOffline
from issuance.ports.private_files import private_folder, write_private

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FolderCardPrinter:
    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.name = f"folder:{self.folder}"
        self._counter = itertools.count(1)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def print_card(
        self, pdf: bytes, title: str = "residence-card", on_done: DoneCallback | None = None
    ) -> Future[PrintOutcome]:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="folder-printer")
            executor, number = self._executor, next(self._counter)
        data = bytes(pdf)
        return submit_job(executor, lambda: self._write(data, title, number), on_done)

    def check_ready(self) -> None:
        try:
            # Cards and receipts carry names and NIDs: 0700 folder, 0600 files (any umask).
            private_folder(self.folder)
        except OSError as exc:
            raise PrinterOffline(self.name, str(exc)) from exc
        if not os.access(self.folder, os.W_OK):
            raise PrinterOffline(self.name, "folder is not writable")

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def _write(self, pdf: bytes, title: str, number: int) -> PrintOutcome:
        self.check_ready()
        stem = _UNSAFE.sub("_", title).strip("_") or "card"
        target = self.folder / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{number:04d}.pdf"
        partial = target.with_suffix(".part")
        write_private(partial, pdf)
        # Appear complete or not at all: whoever watches the folder never sees half a card.
        os.replace(partial, target)
        return PrintOutcome(printer=self.name, output=target)
