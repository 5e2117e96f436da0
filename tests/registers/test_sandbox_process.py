from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx

from issuance.sandbox import SERVICE_NAMES


def test_module_prints_urls_serves_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "issuance.sandbox", "--api-key", "k",
         "--civil-registry-store", str(tmp_path / "cr.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lines = [proc.stdout.readline().split() for _ in SERVICE_NAMES]
        urls = dict(lines)
        assert list(urls) == list(SERVICE_NAMES)
        fees = httpx.get(urls["voucher"] + "/fees", headers={"X-API-Key": "k"}, timeout=5)
        assert fees.status_code == 200 and len(fees.json()) == 3
        state = httpx.get(urls["fer"] + "/_sandbox/state", timeout=5).json()
        assert state["permits"] >= 30 and state["expired"] >= 1 and state["revoked"] >= 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
