"""The application receipt goes to the clerk's A4 printer: through the real cupsd and cups-pdf
(the page arrives as A4 with its barcode readable), or into the demo's folder."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from devtools.backends import development_devices
from issuance.ports.card_printer_errors import PrinterNotFound
from issuance.services import receipts
from tests.devices.card_printer.conftest import CupsServer
from tests.issuance.documents.pdfcheck import code128_texts, render_page, require_tool
from tests.support.world import build_world, enrol_complete

DEVICES = development_devices()


def _receipt(ctx, console) -> tuple[str, bytes]:
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    summary_number = f"TR-{ctx.clock().year}-000001"
    return summary_number, receipts.application_receipt_pdf(ctx, world.clerk, application_id)


def test_receipt_prints_on_a4_through_cups(ctx, console, queue_state: CupsServer):
    number, pdf = _receipt(ctx, console)
    settings = dataclasses.replace(ctx.settings, receipt_printer=f"cups:{queue_state.queue}")
    outcome = receipts.print_receipt(DEVICES, settings, number, pdf)
    printed = queue_state.output_of(outcome.job_id)
    info = subprocess.run(
        [require_tool("pdfinfo", "poppler-utils"), str(printed)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "595" in info and "842" in info  # A4 in points, not the card's ID-1 page
    assert number in code128_texts(render_page(printed, 1, dpi=300))
    printed.unlink()


def test_receipt_goes_to_the_demo_folder_by_default(ctx, console):
    number, pdf = _receipt(ctx, console)
    outcome = receipts.print_receipt(DEVICES, ctx.settings, number, pdf)
    assert outcome.output.parent == ctx.settings.data_dir / "printed-receipts"
    assert outcome.output.read_bytes() == pdf


def test_missing_queue_is_explained(ctx, console, cups_server: CupsServer):
    number, pdf = _receipt(ctx, console)
    settings = dataclasses.replace(ctx.settings, receipt_printer="cups:NoSuchReceiptQueue")
    with pytest.raises(PrinterNotFound) as refused:
        receipts.print_receipt(DEVICES, settings, number, pdf)
    assert "NoSuchReceiptQueue" in refused.value.en and refused.value.sq
