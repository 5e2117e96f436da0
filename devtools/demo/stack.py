"""``issuance demo run``: the desk with everything it talks to, on one machine.

Starts the register stand-ins, the SBI fingerprint simulator, a demo camera clip, pcscd with a
blank virtual card, demo document-signing keys and a folder card printer, then runs the desk
pointed at them, and stops them all when the desk closes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from devtools.backends import development_devices
from devtools.demo import seeding as demo
from devtools.demo import tryout
from devtools.demo.seeding import DEMO_CLERK, DEMO_SUPERVISOR
from issuance.config import Settings, load_settings
from issuance.security.permissions import Actor

if TYPE_CHECKING:
    from devtools.standins import Sandbox

log = logging.getLogger(__name__)
DEMO_READER_NAME = "Demo PCD"


@contextlib.contextmanager
def _virtual_card(out: list[str]) -> Iterator[str | None]:
    """A pcscd of the demo's own (never the machine's: another desk or a test run may hold
    its readers) with one blank virtual card in its first reader."""
    from devtools.virtual_card import PassportApplet, VpcdCard
    from devtools.virtual_card.pcscd import PcscdNotReady, inserted_card, private_pcscd

    folder = Path(tempfile.mkdtemp(prefix="issuance-demo-pcsc-"))
    try:
        with contextlib.ExitStack() as stack:
            try:
                pcsc = stack.enter_context(private_pcscd(folder, DEMO_READER_NAME))
            except PcscdNotReady as exc:
                out.append(f"card reader: unavailable, the in-process card is used ({exc})")
                yield None
                return
            card = VpcdCard(PassportApplet(), port=pcsc.port(pcsc.reader))
            stack.enter_context(inserted_card(card, pcsc, pcsc.reader))
            out.append(
                f"card reader: pcsc:{pcsc.reader} (a blank virtual card in the demo's own "
                f"pcscd; other PC/SC tools reach it with PCSCLITE_CSOCK_NAME={pcsc.socket})"
            )
            yield f"pcsc:{pcsc.reader}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _keys(settings: Settings, out: list[str]) -> None:
    """The demo desk's keys: its Document Signer and the CSCA certificate in the keys folder,
    issued by a demo CSCA kept in the offline folder next to it (made once, then reused)."""
    from issuance.ports.private_files import private_folder, write_private
    from issuance.security.keys import (
        DeskKeys,
        OfflineCsca,
        default_csca_folder,
        init_keys,
        issue_document_signer,
    )

    desk = DeskKeys.in_folder(settings.keys_dir)
    offline = OfflineCsca.in_folder(default_csca_folder(settings.keys_dir))
    legacy = desk.folder / offline.key.name  # a demo made before the CSCA went offline
    if legacy.is_file() and desk.csca_certificate.is_file() and not offline.key.exists():
        private_folder(offline.folder)
        os.replace(legacy, offline.key)
        write_private(offline.certificate, desk.csca_certificate.read_bytes())
    if not all(p.is_file() for p in desk.paths()):
        if all(p.is_file() for p in offline.paths()):
            issue_document_signer(offline.folder, desk.folder, overwrite=True)
        else:
            init_keys(desk.folder, offline.folder, overwrite=True)
    out.append(f"document signer keys: {desk.folder} (offline CSCA: {offline.folder})")


@dataclass
class DemoStack:
    """The desk's settings pointed at the running stand-ins and simulated devices."""

    settings: Settings
    lines: list[str]
    sandbox: Sandbox | None = None  # the stand-ins, for development tools that stage a case

    def environment(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        env.update(
            ISSUANCE_VOUCHER_URL=s.voucher_url,
            ISSUANCE_FER_URL=s.fer_url,
            ISSUANCE_CIVIL_REGISTRY_URL=s.civil_registry_url,
            ISSUANCE_NOTIFICATION_URL=s.notification_url,
            ISSUANCE_CAMERA=s.camera,
            ISSUANCE_FINGERPRINT_SCANNER=s.fingerprint_scanner,
            ISSUANCE_CARD_PRINTER=s.card_printer,
            ISSUANCE_CARD_READER=s.card_reader,
        )
        return env


@contextlib.contextmanager
def running(settings: Settings) -> Iterator[DemoStack]:
    """Everything the desk talks to, started; stopped again when the block ends."""
    from devtools.portraits import write_demo_frames
    from devtools.sbi_simulator.server import SbiSimulator
    from devtools.standins import Sandbox, SandboxConfig

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
        lines.append(f"fingerprint scanner: SBI simulator at {scanner.url}")
        reader = stack.enter_context(_virtual_card(lines))
        urls = sandbox.urls()
        lines += [f"{name}: {url}" for name, url in urls.items()]
        yield DemoStack(
            dataclasses.replace(
                settings,
                voucher_url=urls["voucher"],
                fer_url=urls["fer"],
                civil_registry_url=urls["civil-registry"],
                notification_url=urls["notification"],
                camera=camera,
                fingerprint_scanner=f"sbi:{scanner.url.split('//')[1]}",
                card_printer=printer,
                card_reader=reader or "sim",
            ),
            lines,
            sandbox,
        )


def seed_queues_once(stack: DemoStack) -> None:
    """Fill the queues with demo applications, the first time only (the database persists
    between demo runs; the stand-ins start afresh)."""
    from devtools.demo import applications as demo_applications
    from issuance.bootstrap import bootstrap
    from issuance.db.models import Application
    from issuance.delivery.registers import open_registers

    ctx = bootstrap(stack.settings)
    registers = open_registers(stack.settings)
    try:
        with ctx.uow() as uow:
            if uow.session.execute(select(Application.id).limit(1)).first() is not None:
                return
        scanner = development_devices().fingerprint_scanner(stack.settings.fingerprint_scanner)
        try:
            queues = demo_applications.seed_queues(
                ctx, registers, scanner,
                demo.acting_as(ctx, DEMO_CLERK), demo.acting_as(ctx, DEMO_SUPERVISOR),
            )
        finally:
            scanner.close()
        stack.lines.append(
            f"demo applications: {len(queues.submitted)} submitted "
            f"({len(queues.approved)} approved), {len(queues.drafts)} draft(s)"
        )
    finally:
        registers.close()
        ctx.close()


def run(desk_args: list[str]) -> int:
    from issuance.bootstrap import bootstrap

    settings = load_settings()
    ctx = bootstrap(settings)
    try:
        demo.seed(ctx, Actor.console("demo"))
    finally:
        ctx.close()
    with running(settings) as stack:
        seed_queues_once(stack)
        stack.lines += tryout.lines()
        for line in stack.lines:
            print(line)
        sys.stdout.flush()
        command = [sys.executable, "-m", "devtools.desk", *desk_args]
        desk = subprocess.run(command, env=stack.environment())
        return desk.returncode


def cmd_demo_run(args: argparse.Namespace) -> int:
    return run(["--screenshot", str(args.screenshot)] if args.screenshot else [])
