"""A real CUPS scheduler with a cups-pdf queue, for every test folder that prints.

Reuses a cupsd that is already running; otherwise starts one as a child process and stops it
(by its PID) at the end. The test queue is created here and removed afterwards. Each test
folder imports the fixtures into its own conftest (one fixture instance per folder), so the
scheduler and queue behind them are shared and counted: the last user cleans up.
Needs: apt-get install -y cups cups-bsd printer-driver-cups-pdf libcups2-dev poppler-utils
and pip install pycups.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.pcsc import Shared

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
QUEUE = "IssuanceCardTest"
APT_HINT = "apt-get install -y cups cups-bsd printer-driver-cups-pdf libcups2-dev"


@dataclass(frozen=True)
class CupsServer:
    queue: str
    output_dir: Path

    def output_of(self, job_id: int, timeout: float = 10.0) -> Path:
        """The PDF that cups-pdf wrote for a job (named '<title>-job_<id>.pdf')."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.output_dir.glob(f"*job_{job_id}.pdf"),
                           key=lambda p: p.stat().st_mtime)
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"cups-pdf wrote no file for job {job_id} in {self.output_dir}")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def _scheduler_running() -> bool:
    result = _run("lpstat", "-r")
    return result.returncode == 0 and "is running" in result.stdout and "not" not in result.stdout


@contextmanager
def _cups() -> Iterator[CupsServer]:
    for tool in ("lpstat", "lpadmin", "cupsenable", "cupsdisable", "cupsaccept", "cupsreject"):
        assert shutil.which(tool), f"'{tool}' is missing: {APT_HINT}"
    assert CUPSD.exists(), f"cupsd is missing: {APT_HINT}"
    assert CUPS_PDF_PPD.exists(), f"cups-pdf is missing: {APT_HINT}"
    process = None
    if not _scheduler_running():
        process = subprocess.Popen(
            [str(CUPSD), "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while not _scheduler_running():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise AssertionError("cupsd did not start")
            time.sleep(0.1)
    try:
        added = _run("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E",
                     "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd")
        assert added.returncode == 0, added.stderr
        yield CupsServer(QUEUE, Path.home() / "PDF")
    finally:
        _run("lpadmin", "-x", QUEUE)
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_SHARED_CUPS = Shared(_cups)


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    with _SHARED_CUPS.hold() as server:
        yield server


@pytest.fixture()
def queue_state(cups_server: CupsServer) -> Iterator[CupsServer]:
    """Hands the queue over and puts it back enabled and accepting whatever the test did."""
    yield cups_server
    _run("cupsenable", cups_server.queue)
    _run("cupsaccept", cups_server.queue)
