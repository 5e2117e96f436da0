from __future__ import annotations

import threading

import pytest

from devices.card_printer import FolderCardPrinter, open_card_printer
from issuance.documents import render_card_face
from issuance.ports.card_printer_errors import PrinterOffline, UnknownPrinterConfig
from tests.issuance.documents.samples import card_data


def test_folder_printer_writes_the_card_pdf_in_a_worker_thread(tmp_path):
    pdf = render_card_face(card_data())
    printer = open_card_printer(f"folder:{tmp_path / 'cards'}")
    assert isinstance(printer, FolderCardPrinter)
    threads: list[threading.Thread] = []
    called = threading.Event()

    def on_done(future):
        threads.append(threading.current_thread())
        called.set()

    try:
        outcome = printer.print_card(pdf, "card AB1234567", on_done=on_done).result(timeout=10)
        assert called.wait(10)
    finally:
        printer.close()
    assert outcome.output.read_bytes() == pdf
    assert outcome.output.parent == tmp_path / "cards"
    assert outcome.output.name.startswith("card_AB1234567-")
    assert threads and threads[0] is not threading.main_thread()
    assert not list((tmp_path / "cards").glob("*.part"))


def test_a_folder_that_cannot_be_created_is_reported_offline(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    printer = open_card_printer(f"folder:{blocker / 'cards'}")
    try:
        with pytest.raises(PrinterOffline):
            printer.print_card(b"%PDF-1.4").result(timeout=10)
    finally:
        printer.close()


@pytest.mark.parametrize("config", ["", "cups:", "lpr:card", "folder"])
def test_an_unknown_configuration_is_refused(config):
    with pytest.raises(UnknownPrinterConfig) as refusal:
        open_card_printer(config)
    assert "cups:" in refusal.value.message("en")
