"""``issuance demo run``: the desk with everything it talks to, on one machine.

Starts the register stand-ins, the SBI fingerprint simulator, a demo camera clip, pcscd with a
blank virtual card, demo document-signing keys and a folder card printer, then runs the desk
pointed at them, and stops them all when the desk closes.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from issuance.config import Settings, load_settings

log = logging.getLogger(__name__)
CARD_READER = "Virtual PCD 00 00"


@contextlib.contextmanager
def _virtual_card(out: list[str]) -> Iterator[str | None]:
    """pcscd (reused if one serves vpcd already) and one blank card in the first vpcd reader."""
    if shutil.which("pcscd") is None and not Path("/usr/sbin/pcscd").exists():
        out.append("card reader: pcscd is not installed; card encoding is unavailable")
        yield None
        return
    from devices.virtual_card import PassportApplet, VpcdCard
    from devices.virtual_card.pcscd import inserted_card, running_pcscd

    with running_pcscd(), inserted_card(VpcdCard(PassportApplet()), CARD_READER):
        out.append(f"card reader: pcsc:{CARD_READER} (a blank virtual card)")
        yield f"pcsc:{CARD_READER}"


def _keys(settings: Settings, out: list[str]) -> None:
    from issuance.chip import init_keys

    if not (settings.keys_dir / "ds.cert.pem").exists():
        init_keys(settings.keys_dir)
    out.append(f"document signer keys: {settings.keys_dir}")


def run(desk_args: list[str]) -> int:
    from devices.camera.sample_portraits import write_demo_frames
    from devices.fingerprint.sbi_simulator import SbiSimulator
    from issuance.sandbox import Sandbox, SandboxConfig

    settings = load_settings()
    lines: list[str] = []
    camera = write_demo_frames(str(settings.data_dir / "demo-camera"))
    lines.append(f"camera: {camera}")
    _keys(settings, lines)
    printer = f"folder:{settings.data_dir / 'printed-cards'}"
    lines.append(f"card printer: {printer}")
    with contextlib.ExitStack() as stack:
        sandbox = stack.enter_context(Sandbox(SandboxConfig()))
        scanner = SbiSimulator("127.0.0.1", port=0)
        scanner.start()
        stack.callback(scanner.stop)
        reader = stack.enter_context(_virtual_card(lines))
        env = dict(os.environ)
        urls = sandbox.urls()
        env.update(
            ISSUANCE_VOUCHER_URL=urls["voucher"],
            ISSUANCE_FER_URL=urls["fer"],
            ISSUANCE_CIVIL_REGISTRY_URL=urls["civil-registry"],
            ISSUANCE_NOTIFICATION_URL=urls["notification"],
            ISSUANCE_CAMERA=camera,
            ISSUANCE_FINGERPRINT_SCANNER=f"sbi:{scanner.url.split('//')[1]}",
            ISSUANCE_CARD_PRINTER=printer,
        )
        if reader:
            env["ISSUANCE_CARD_READER"] = reader
        for name, url in urls.items():
            print(f"{name} {url}")
        print(f"fingerprint-sbi {scanner.url}")
        for line in lines:
            print(line)
        sys.stdout.flush()
        desk = subprocess.run([sys.executable, "-m", "ui.app", *desk_args], env=env)
        return desk.returncode


def cmd_demo_run(args: argparse.Namespace) -> int:
    return run(["--screenshot", str(args.screenshot)] if args.screenshot else [])
