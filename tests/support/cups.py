"""A CUPS scheduler of this test process's own, with a cups-pdf queue, for every test that
prints.

The scheduler has its own configuration, spool, state and log folders and its own socket
under a private temporary folder; the queue's cups-pdf instance writes its PDFs there too
(cups-pdf reads a per-instance configuration named by the device URI, ``cups-pdf:/NAME`` ->
``/etc/cups/cups-pdf-NAME.conf``; that file is the only thing written outside the folder, under
a name of this run's own, and removed afterwards). So nothing depends on HOME, on the
machine's cupsd or on another test run. ``claim_server`` (called by the root conftest before
any test) points this process's CUPS clients, and the commands it starts, at the private
socket; the ``cups_server`` fixture starts the scheduler on first use.
Needs: apt-get install -y cups cups-bsd printer-driver-cups-pdf libcups2-dev poppler-utils
and pip install pycups.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.pcsc import Shared

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONFIG_DIR = Path("/etc/cups")  # compiled into the cups-pdf backend
QUEUE = "IssuanceCardTest"
APT_HINT = "apt-get install -y cups cups-bsd printer-driver-cups-pdf libcups2-dev"
SERVER_VARIABLE = "CUPS_SERVER"
_PREFIX = "issuance-cups-"


@dataclass(frozen=True)
class CupsServer:
    queue: str
    output_dir: Path
    socket: Path

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


def claim_server() -> Path:
    """Point this process's CUPS clients at a private folder (before any CUPS call)."""
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
    folder.chmod(0o711)  # the filters run as 'lp' and read the spooled file under it
    os.environ[SERVER_VARIABLE] = str(folder / "cups.sock")
    return folder


def release_server() -> None:
    claimed = os.environ.get(SERVER_VARIABLE)
    if claimed and Path(claimed).parent.name.startswith(_PREFIX):
        shutil.rmtree(Path(claimed).parent, ignore_errors=True)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def _scheduler_running() -> bool:
    result = _run("lpstat", "-r")
    return result.returncode == 0 and "is running" in result.stdout and "not" not in result.stdout


def _write_configuration(folder: Path) -> tuple[Path, Path]:
    for sub in ("conf/ppd", "spool/tmp", "cache", "state", "log", "pdf", "cups-pdf-spool"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    cupsd_conf = folder / "conf" / "cupsd.conf"
    cupsd_conf.write_text(
        f"Listen {folder / 'cups.sock'}\n"
        "LogLevel warn\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    files_conf = folder / "conf" / "cups-files.conf"
    files_conf.write_text(
        f"ServerRoot {folder / 'conf'}\nRequestRoot {folder / 'spool'}\n"
        f"TempDir {folder / 'spool' / 'tmp'}\nCacheDir {folder / 'cache'}\n"
        f"StateDir {folder / 'state'}\nErrorLog {folder / 'log' / 'error_log'}\n"
        f"AccessLog {folder / 'log' / 'access_log'}\nPageLog {folder / 'log' / 'page_log'}\n"
    )
    return cupsd_conf, files_conf


@contextmanager
def _pdf_instance(folder: Path) -> Iterator[str]:
    """A cups-pdf instance writing into ``folder/pdf``; its name goes into the device URI."""
    name = f"issuance-test-{folder.name.removeprefix(_PREFIX)}"
    config = CUPS_PDF_CONFIG_DIR / f"cups-pdf-{name}.conf"
    config.write_text(
        f"Out {folder / 'pdf'}\nAnonDirName {folder / 'pdf'}\n"
        f"Spool {folder / 'cups-pdf-spool'}\nLog {folder / 'log'}\n"
        "LogType 1\n"
    )
    try:
        yield name
    finally:
        config.unlink(missing_ok=True)


@contextmanager
def _cups() -> Iterator[CupsServer]:
    for tool in ("lpstat", "lpadmin", "cupsenable", "cupsdisable", "cupsaccept", "cupsreject"):
        assert shutil.which(tool), f"'{tool}' is missing: {APT_HINT}"
    assert CUPSD.exists(), f"cupsd is missing: {APT_HINT}"
    assert CUPS_PDF_PPD.exists(), f"cups-pdf is missing: {APT_HINT}"
    claimed = os.environ.get(SERVER_VARIABLE)
    folder = Path(claimed).parent if claimed else claim_server()
    cupsd_conf, files_conf = _write_configuration(folder)
    process = subprocess.Popen(
        [str(CUPSD), "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while not _scheduler_running():
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "log" / "error_log"
                detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                raise AssertionError(f"cupsd did not start: {detail}")
            time.sleep(0.05)
        with _pdf_instance(folder) as instance:
            added = _run("lpadmin", "-p", QUEUE, "-v", f"cups-pdf:/{instance}", "-E",
                         "-P", str(CUPS_PDF_PPD))
            assert added.returncode == 0, added.stderr
            yield CupsServer(QUEUE, folder / "pdf", folder / "cups.sock")
    finally:
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
