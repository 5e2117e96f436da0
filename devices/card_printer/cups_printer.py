"""Card printing through CUPS (pycups): submit, then follow the job in a worker thread."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from devices.card_printer.status import JOB_STATES, printer_problem
from issuance.ports.card_printer import ID1_PAGE_SIZE, DoneCallback, PrintOutcome, submit_job
from issuance.ports.card_printer_errors import (
    PrinterError,
    PrinterNotFound,
    PrintJobFailed,
    PrintServiceUnavailable,
    PrintTimeout,
)

JOB_COMPLETED = 9
JOB_FAILED = (7, 8)  # cancelled, aborted
JOB_WAITING = (3, 4, 6)  # pending, held, stopped: the printer may be the cause
IPP_NOT_FOUND = 0x0406
PRINTER_ATTRIBUTES = [
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
]


class CupsCardPrinter:
    """A named CUPS queue. One worker thread per printer: cards are printed one at a time."""

    def __init__(
        self,
        queue: str,
        *,
        page_size: str = ID1_PAGE_SIZE,
        poll_interval: float = 0.1,
        timeout: float = 120.0,
        host: str | None = None,
        port: int | None = None,
    ) -> None:
        self.name = queue
        self.page_size = page_size
        self.poll_interval = poll_interval
        self.timeout = timeout
        self._host = host
        self._port = port
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    # -- public API -------------------------------------------------------------------------
    def print_card(
        self, pdf: bytes, title: str = "residence-card", on_done: DoneCallback | None = None
    ) -> Future[PrintOutcome]:
        data = bytes(pdf)
        return submit_job(self._worker(), lambda: self._print(data, title), on_done)

    def check_ready(self) -> None:
        connection = self._connect()
        problem = printer_problem(self.name, self._printer_attributes(connection))
        if problem is not None:
            raise problem

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # -- worker side ------------------------------------------------------------------------
    def _worker(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"cups-{self.name}")
            return self._executor

    def _connect(self) -> Any:
        import cups  # pycups: imported here so the folder backend works without it

        kwargs: dict[str, Any] = {}
        if self._host:
            kwargs["host"] = self._host
        if self._port:
            kwargs["port"] = self._port
        try:
            return cups.Connection(**kwargs)
        except RuntimeError as exc:
            raise PrintServiceUnavailable(str(exc)) from exc

    def _printer_attributes(self, connection: Any) -> dict[str, Any]:
        import cups

        try:
            return connection.getPrinterAttributes(
                self.name, requested_attributes=PRINTER_ATTRIBUTES
            )
        except cups.IPPError as exc:
            if exc.args and exc.args[0] == IPP_NOT_FOUND:
                raise PrinterNotFound(self.name) from exc
            raise PrintServiceUnavailable(str(exc)) from exc

    def _print(self, pdf: bytes, title: str) -> PrintOutcome:
        connection = self._connect()
        problem = printer_problem(self.name, self._printer_attributes(connection))
        if problem is not None:
            raise problem
        job = self._submit(connection, pdf, title)
        try:
            self._follow(connection, job)
        except PrinterError:
            # A card left in the queue would come out by surprise once the printer is back,
            # after the operator has already printed a replacement: take it out.
            self._cancel(connection, job)
            raise
        return PrintOutcome(printer=self.name, job_id=job)

    def _submit(self, connection: Any, pdf: bytes, title: str) -> int:
        import cups

        handle, path = tempfile.mkstemp(prefix="card-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            return connection.printFile(self.name, path, title, {"PageSize": self.page_size})
        except cups.IPPError as exc:
            problem = printer_problem(self.name, self._printer_attributes(connection))
            raise (problem or PrintServiceUnavailable(str(exc))) from exc
        finally:
            os.unlink(path)

    def _follow(self, connection: Any, job: int) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            attributes = connection.getJobAttributes(
                job, requested_attributes=["job-state", "job-state-reasons"]
            )
            state = attributes.get("job-state")
            if state == JOB_COMPLETED:
                return
            if state in JOB_FAILED:
                problem = printer_problem(self.name, self._printer_attributes(connection))
                if problem is not None:
                    raise problem
                sq, en = JOB_STATES[state]
                reasons = attributes.get("job-state-reasons") or []
                raise PrintJobFailed(self.name, job, sq, f"{en} ({', '.join(reasons)})")
            if state in JOB_WAITING:
                problem = printer_problem(self.name, self._printer_attributes(connection))
                if problem is not None:
                    raise problem
            if time.monotonic() > deadline:
                raise PrintTimeout(self.name, job, self.timeout)
            time.sleep(self.poll_interval)

    def _cancel(self, connection: Any, job: int) -> None:
        import cups

        try:
            connection.cancelJob(job, purge_job=False)
        except cups.IPPError:
            pass  # already finished or gone: nothing left to take out
