from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx

from devices.fingerprint.sbi_client import SbiScanner
from devtools.standins import SERVICE_NAMES


def test_module_prints_urls_serves_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "devtools.standins", "--api-key", "k",
         "--civil-registry-store", str(tmp_path / "cr.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lines = [proc.stdout.readline().split() for _ in SERVICE_NAMES]
        urls = dict(lines)
        assert list(urls) == list(SERVICE_NAMES)
        fees = httpx.get(urls["voucher"] + "/fees", headers={"X-API-Key": "k"}, timeout=5)
        assert fees.status_code == 200 and len(fees.json()) == 4  # four card types
        state = httpx.get(urls["fer"] + "/_sandbox/state", timeout=5).json()
        assert state["permits"] >= 30 and state["expired"] >= 1 and state["revoked"] >= 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_sandbox_also_runs_the_sbi_fingerprint_simulator(tmp_path):
    """`issuance-dev sandbox` (what `make demo` users run by hand) takes the registers' ports from
    the desk's settings and starts the SBI simulator next to them."""
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "ISSUANCE_DATA_DIR": str(tmp_path),
        **{f"ISSUANCE_{name}_URL": "http://127.0.0.1:0" for name in
           ("VOUCHER", "FER", "CIVIL_REGISTRY", "NOTIFICATION")},
    }  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "devtools", "sandbox", "--sbi-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        urls = dict(proc.stdout.readline().split() for _ in range(len(SERVICE_NAMES) + 1))
        assert list(urls) == [*SERVICE_NAMES, "fingerprint-sbi"]
        scanner = SbiScanner(urls["fingerprint-sbi"])
        try:
            info = scanner.device_info()
        finally:
            scanner.close()
        assert info.status == "Ready"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
