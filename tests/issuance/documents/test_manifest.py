from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from issuance.documents import BatchManifest, Decision, ManifestRow, render_batch_manifest
from tests.issuance.documents.pdfcheck import BASE14, fonts_of

DECISIONS = [Decision.APPROVED, Decision.REJECTED, Decision.PENDING]


def manifest(rows: int) -> BatchManifest:
    return BatchManifest(
        batch_number="B-2024-0042",
        office_name="Tiranë",
        supervisor="Arbër Çani",
        decided_at=dt.datetime(2024, 3, 4, 16, 0),
        rows=tuple(
            ManifestRow(
                application_number=f"TIR-2024-{n:06d}",
                surname="Çela" if n % 2 else "Dervishi-Brahimaj",
                given_names="Ëndrit",
                nationality_code="ITA",
                permit_number=f"RP-{n:06d}",
                decision=DECISIONS[n % 3],
                reason="Foto e paqartë / Blurred photo" if n % 3 == 1 else "",
                document_number=f"AB{n:07d}" if n % 3 == 0 else "",
            )
            for n in range(rows)
        ),
    )


@pytest.fixture(scope="module")
def big_manifest_pdf() -> bytes:
    return render_batch_manifest(manifest(150))


def test_manifest_pages_are_a4_with_embedded_fonts(big_manifest_pdf):
    pages = PdfReader(io.BytesIO(big_manifest_pdf)).pages
    assert len(pages) > 5
    for page in pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx([595.2756, 841.8898], abs=0.01)
    fonts = fonts_of(big_manifest_pdf)
    assert all(f["embedded"] for f in fonts)
    assert not {f["name"].lstrip("/").split("+")[-1] for f in fonts} & BASE14


def test_every_application_appears_once_and_the_header_repeats_on_every_page(big_manifest_pdf):
    seen: list[str] = []
    with pdfplumber.open(io.BytesIO(big_manifest_pdf)) as pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text()
            assert "Application No." in text and "Decision" in text
            assert f"Page {number} / {pages}" in text
            seen += re.findall(r"TIR-2024-\d{6}", text)
        last = pdf.pages[-1].extract_text()
    assert seen == [f"TIR-2024-{n:06d}" for n in range(150)]
    assert "Total: 150" in last and "Miratuar / Approved: 50" in last


def test_decisions_and_reasons_are_printed_in_words():
    with pdfplumber.open(io.BytesIO(render_batch_manifest(manifest(3)))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Miratuar / Approved" in text and "AB0000000" in text
    assert "Refuzuar / Rejected" in text and "Blurred photo" in text
    assert "Në pritje / Pending" in text


def test_a_long_reason_wraps_inside_its_row():
    reason = "Fotografia nuk plotëson kërkesat: sfond i errët, fytyra e pjerrët. " * 4
    row = ManifestRow("TIR-1", "Çela", "Ëndrit", "ITA", "RP-1", Decision.REJECTED, reason)
    batch = BatchManifest("B-1", "Tiranë", "Arbër", dt.datetime(2024, 1, 1), (row,))
    pdf_bytes = render_batch_manifest(batch)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
    assert all(w["x1"] <= float(page.width) - 12 * 72 / 25.4 + 0.1 for w in words)
    assert sum("sfond" in w["text"] for w in words) == 4


def test_an_endless_reason_is_cut_with_an_ellipsis_instead_of_refusing_the_manifest():
    reason = "Arsye shumë e gjatë. " * 200
    row = ManifestRow("TIR-9", "Çela", "Ëndrit", "ITA", "RP-9", Decision.REJECTED, reason)
    batch = BatchManifest("B-9", "Tiranë", "Arbër", dt.datetime(2024, 1, 1), (row,))
    with pdfplumber.open(io.BytesIO(render_batch_manifest(batch))) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        text = page.extract_text()
        words = page.extract_words()
    assert "…" in text and "TIR-9" in text
    assert all(w["x1"] <= float(page.width) - 12 * 72 / 25.4 + 0.1 for w in words)
