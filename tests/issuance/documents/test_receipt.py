from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from issuance.documents import InvalidBarcodeValue, MissingPhoto, render_receipt
from tests.issuance.documents.pdfcheck import BASE14, code128_texts, fonts_of, render_page
from tests.issuance.documents.samples import receipt_data


@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_receipt(receipt_data())


def test_receipt_is_one_a4_page_with_embedded_fonts_only(receipt_pdf):
    pages = PdfReader(io.BytesIO(receipt_pdf)).pages
    assert len(pages) == 1
    assert float(pages[0].mediabox.width) == pytest.approx(A4[0], abs=0.01)
    assert float(pages[0].mediabox.height) == pytest.approx(A4[1], abs=0.01)
    fonts = fonts_of(receipt_pdf)
    assert fonts and all(f["embedded"] for f in fonts)
    assert not {f["name"].lstrip("/").split("+")[-1] for f in fonts} & BASE14


def test_receipt_states_office_date_applicant_and_next_steps_in_both_languages(receipt_pdf):
    with pdfplumber.open(io.BytesIO(receipt_pdf)) as pdf:
        text = unicodedata.normalize("NFC", " ".join(pdf.pages[0].extract_text().split()))
        images = pdf.pages[0].images
    for expected in (
        "TIR-2024-000123", "Tiranë — Drejtoria Vendore e Kufirit dhe Migracionit",
        "01.03.2024 10:30",
        "Çela", "Ëndrit", "Gëzim", "YA1234567", "RP-2023-998877", "ITA / Italiane",
        "Çfarë ndodh më pas", "What happens next", "deri më 08.03.2024", "by 08.03.2024",
        "deri më 22.03.2024", "by 22.03.2024", "e-Albania",
    ):
        assert expected in text, expected
    assert len(images) == 1  # the photo thumbnail


def test_receipt_barcode_decodes_to_the_application_number(receipt_pdf):
    page = render_page(receipt_pdf, 1, dpi=200)
    image = page.crop((0, 0, page.width, page.height // 3))  # the barcode sits near the top
    assert code128_texts(image) == ["TIR-2024-000123"]


def test_receipt_without_photo_is_refused():
    with pytest.raises(MissingPhoto):
        render_receipt(receipt_data(photo_jpeg=None))


@pytest.mark.parametrize("number", ["", "TIR-Ç-1", "X" * 41])
def test_an_application_number_that_cannot_be_a_code128_is_refused(number):
    with pytest.raises(InvalidBarcodeValue):
        render_receipt(receipt_data(application_number=number))


def test_very_long_values_wrap_on_the_receipt_instead_of_overflowing():
    long_name = "Çela-Hoxhaj Ëndrit Kastrati Dervishi-Brahimaj Xhaferri Ëlezi Çollaku Shehu Ymeri"
    pdf_bytes = render_receipt(receipt_data(surname=long_name))
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        text = unicodedata.normalize("NFC", " ".join(page.extract_text().split()))
    assert all(0 <= w["x0"] and w["x1"] <= float(page.width) for w in words)
    assert "Çela-Hoxhaj" in text and "Ymeri" in text
