"""What every card printer backend offers: print a card PDF without blocking the caller."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# ID-1 card, as CUPS custom page size; the clerk's receipt printer takes A4.
ID1_PAGE_SIZE = "Custom.85.6x53.98mm"
A4_PAGE_SIZE = "A4"


@dataclass(frozen=True)
class PrintOutcome:
    """A finished print: the printer's job id (CUPS) or the file written (folder)."""

    printer: str
    job_id: int | None = None
    output: Path | None = None


DoneCallback = Callable[["Future[PrintOutcome]"], None]


class CardPrinter(Protocol):
    """A card printer. Job titles end up in printer logs: never put names in them."""

    name: str

    def print_card(
        self, pdf: bytes, title: str = "residence-card", on_done: DoneCallback | None = None
    ) -> Future[PrintOutcome]:
        """Start printing; the Future (and ``on_done``) report completion or a PrinterError."""
        ...

    def check_ready(self) -> None:
        """Raise the PrinterError that would stop a print now. Blocks: call off the UI thread."""
        ...

    def close(self) -> None:
        """Wait for running jobs to be followed to their end and release the worker thread."""
        ...


def submit_job(
    executor: Executor, work: Callable[[], PrintOutcome], on_done: DoneCallback | None
) -> Future[PrintOutcome]:
    """Run ``work`` on the executor; ``on_done`` is always called on the worker thread.

    The callback is attached before the work starts, so even a job that ends at once never
    runs the caller's callback on the caller's (UI) thread.
    """
    future: Future[PrintOutcome] = Future()
    if on_done is not None:
        future.add_done_callback(on_done)

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to the caller through the Future
            future.set_exception(exc)

    executor.submit(run)
    return future
