from __future__ import annotations

import io
import socket
import subprocess
import threading
from concurrent.futures import Future

import cups
import pytest
from pypdf import PdfReader

from devices.card_printer import CupsCardPrinter, open_card_printer
from issuance.documents import render_card_face
from issuance.ports.card_printer import PrintOutcome
from issuance.ports.card_printer_errors import (
    PrinterNotAccepting,
    PrinterNotFound,
    PrinterPaused,
    PrintServiceUnavailable,
)
from tests.issuance.documents.pdfcheck import code128_texts, render_page
from tests.issuance.documents.samples import card_data

ID1_POINTS = (85.60 * 72 / 25.4, 53.98 * 72 / 25.4)


@pytest.fixture(scope="module")
def card_pdf() -> bytes:
    return render_card_face(card_data(document_number="ZX9876543"))


@pytest.fixture()
def printer(queue_state):
    printer = open_card_printer(f"cups:{queue_state.queue}")
    yield printer
    printer.close()


def _jobs_on(queue: str) -> list[int]:
    jobs = cups.Connection().getJobs(which_jobs="not-completed")
    return [job for job, attrs in jobs.items() if attrs.get("job-printer-uri", "").endswith(queue)]


def test_card_is_printed_on_the_id1_page_and_the_printed_barcode_reads_back(
    printer, queue_state, card_pdf
):
    called_from: list[threading.Thread] = []
    called = threading.Event()

    def on_done(future):
        called_from.append(threading.current_thread())
        called.set()

    future = printer.print_card(card_pdf, "card-ZX9876543", on_done=on_done)
    # The caller gets a Future straight away; the job is followed in a worker thread.
    assert isinstance(future, Future) and not future.done()
    outcome = future.result(timeout=60)
    assert isinstance(outcome, PrintOutcome) and outcome.job_id
    assert outcome.printer == queue_state.queue
    assert called.wait(10)
    assert called_from[0] is not threading.main_thread()

    printed = queue_state.output_of(outcome.job_id)
    try:
        pages = PdfReader(io.BytesIO(printed.read_bytes())).pages
        assert len(pages) == 2
        for page in pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(ID1_POINTS, abs=0.5)
        # cups-pdf re-distills the file (no text layer): check what was printed by looking.
        assert code128_texts(render_page(printed, 2, dpi=600)) == ["ZX9876543"]
    finally:
        printed.unlink()


def test_a_paused_queue_is_refused_in_words_and_nothing_is_queued(printer, queue_state, card_pdf):
    subprocess.run(["cupsdisable", queue_state.queue], check=True)
    with pytest.raises(PrinterPaused) as refusal:
        printer.print_card(card_pdf, "card-paused").result(timeout=30)
    assert "paused" in refusal.value.message("en") and "offline" in refusal.value.message("en")
    assert "pauzë" in refusal.value.message("sq")
    with pytest.raises(PrinterPaused):
        printer.check_ready()
    assert _jobs_on(queue_state.queue) == []


def test_a_queue_that_rejects_jobs_is_reported_as_not_accepting(printer, queue_state, card_pdf):
    subprocess.run(["cupsreject", queue_state.queue], check=True)
    with pytest.raises(PrinterNotAccepting) as refusal:
        printer.print_card(card_pdf, "card-rejected").result(timeout=30)
    assert "not accepting" in refusal.value.message("en")


def test_the_queue_works_again_once_resumed(printer, queue_state, card_pdf):
    subprocess.run(["cupsdisable", queue_state.queue], check=True)
    with pytest.raises(PrinterPaused):
        printer.check_ready()
    subprocess.run(["cupsenable", queue_state.queue], check=True)
    printer.check_ready()
    outcome = printer.print_card(card_pdf, "card-resumed").result(timeout=60)
    queue_state.output_of(outcome.job_id).unlink()


def test_an_unknown_queue_is_reported(cups_server, card_pdf):
    printer = open_card_printer("cups:NoSuchCardPrinter")
    try:
        with pytest.raises(PrinterNotFound) as refusal:
            printer.print_card(card_pdf).result(timeout=30)
        assert "NoSuchCardPrinter" in refusal.value.message("en")
    finally:
        printer.close()


def test_a_scheduler_that_does_not_answer_is_reported(card_pdf):
    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = CupsCardPrinter("Any", host="127.0.0.1", port=port)
    try:
        with pytest.raises(PrintServiceUnavailable) as refusal:
            printer.print_card(card_pdf).result(timeout=30)
        assert "cupsd" in refusal.value.message("en")
    finally:
        printer.close()
