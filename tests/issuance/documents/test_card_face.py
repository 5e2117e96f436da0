from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from issuance.documents import (
    FieldTooLong,
    InvalidDocumentNumber,
    InvalidImage,
    InvalidMrz,
    LayoutError,
    MissingField,
    MissingPhoto,
    load_layout,
    render_card_face,
)
from issuance.documents.layout import DEFAULT_TEMPLATE
from tests.issuance.documents.pdfcheck import BASE14, code128_texts, fonts_of, render_page
from tests.issuance.documents.samples import MRZ, card_data, photo_jpeg

# 80 characters, several parts, hyphens and diacritics.
LONG_SURNAME = "Çela-Hoxhaj Ëndrit Kastrati Dervishi-Brahimaj Xhaferri Ëlezi Çollaku Shehu Ymeri"
LONG_GIVEN = "Ëndrit Çlirim Gëzim Ardian-Kristjan Përparim Mëhill Xhevdet Luljeta Shkëlqim Çë."


@pytest.fixture(scope="module")
def layout():
    return load_layout()


@pytest.fixture(scope="module")
def card_pdf() -> bytes:
    return render_card_face(card_data())


def _box_bbox(page, box) -> tuple[float, float, float, float]:
    """A template box (mm from top-left) as a pdfplumber bbox (points from top-left).

    Grown by 0.05 pt: the PDF stores coordinates rounded to a few decimals.
    """
    eps = 0.05
    return (box.x * mm - eps, box.y * mm - eps, (box.x + box.width) * mm + eps,
            (box.y + box.height) * mm + eps)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_front_and_back_are_exactly_id1_pages(card_pdf):
    pages = PdfReader(io.BytesIO(card_pdf)).pages
    assert len(pages) == 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(85.60 * 72 / 25.4, abs=0.01)
        assert height == pytest.approx(53.98 * 72 / 25.4, abs=0.01)


def test_every_font_is_embedded_and_none_is_base14(card_pdf):
    fonts = fonts_of(card_pdf)
    assert fonts, "the card must use fonts"
    assert all(font["embedded"] for font in fonts), fonts
    names = {font["name"].split("+")[-1].lstrip("/") for font in fonts}
    assert not names & BASE14
    assert any("OCRB" in name for name in names), names
    assert b"/Helvetica" not in card_pdf


def test_front_shows_holder_data_with_diacritics(card_pdf):
    with pdfplumber.open(io.BytesIO(card_pdf)) as pdf:
        front = unicodedata.normalize("NFC", pdf.pages[0].extract_text())
        back = pdf.pages[1].extract_text()
    for expected in ("Çela", "Ëndrit", "REPUBLIKA E SHQIPËRISË", "LEJE QËNDRIMI / RESIDENCE PERMIT",
                     "J85512345W", "AB1234567", "12.05.1985", "01.03.2024", "30.06.2031",
                     "ITA / Italiane", "Milano", "Leje qëndrimi për punë"):
        assert expected in front
    assert "Nuk mund të nënshkruajë" not in front
    assert "AB1234567" in back


def test_back_carries_a_code128_of_the_document_number(card_pdf):
    image = render_page(card_pdf, 2, dpi=600)
    assert code128_texts(image) == ["AB1234567"]


def test_mrz_is_three_ocrb_lines_at_2_54_mm_pitch_in_the_template_position(card_pdf, layout):
    with pdfplumber.open(io.BytesIO(card_pdf)) as pdf:
        page = pdf.pages[1]
        chars = [c for c in page.chars if "OCRB" in c["fontname"] and c["size"] > 8]
        height = float(page.height)
    lines: dict[float, list[dict]] = {}
    for char in chars:
        lines.setdefault(round(char["y0"], 1), []).append(char)
    assert len(lines) == 3
    ordered = [sorted(line, key=lambda c: c["x0"]) for _, line in sorted(lines.items(),
                                                                        reverse=True)]
    assert tuple("".join(c["text"] for c in line) for line in ordered) == MRZ
    pitch = 2.54 * mm
    for line, centre in zip(ordered, layout.mrz.line_centres_from_bottom_mm, strict=True):
        assert line[0]["x0"] == pytest.approx(layout.mrz.first_char_left_mm * mm, abs=0.05)
        steps = [b["x0"] - a["x0"] for a, b in zip(line, line[1:], strict=False)]
        assert all(step == pytest.approx(pitch, abs=0.02) for step in steps)
        # Whole line inside the MRZ zone at the bottom of the card, around its centre line.
        bottom_of_zone = height - layout.mrz.zone_height_mm * mm
        assert all(c["top"] >= bottom_of_zone for c in line)
        assert abs((height - line[0]["bottom"]) / mm - centre) < 2.0
    assert 8.5 < ordered[0][0]["size"] < 11


def test_signature_image_is_placed_inside_its_box(card_pdf, layout):
    with pdfplumber.open(io.BytesIO(card_pdf)) as pdf:
        images = pdf.pages[0].images
    x0, top, x1, bottom = _box_bbox(None, layout.signature.box)
    inside = [i for i in images if i["x0"] >= x0 - 0.01 and i["x1"] <= x1 + 0.01
              and i["top"] >= top - 0.01 and i["bottom"] <= bottom + 0.01]
    assert len(images) == 2 and len(inside) == 1


def test_missing_signature_prints_cannot_sign_in_the_signature_box(layout):
    pdf_bytes = render_card_face(card_data(signature_png=None))
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        in_box = page.within_bbox(_box_bbox(page, layout.signature.box)).extract_text()
        assert len(page.images) == 1  # only the photo
    assert "Nuk mund të nënshkruajë" in unicodedata.normalize("NFC", " ".join(in_box.split()))


@pytest.mark.parametrize("field_name", ["surname", "given_names"])
def test_80_character_names_shrink_then_wrap_and_stay_inside_their_box(layout, field_name):
    assert len(LONG_SURNAME) == 80 and len(LONG_GIVEN) == 80
    pdf_bytes = render_card_face(card_data(surname=LONG_SURNAME, given_names=LONG_GIVEN))
    value = LONG_SURNAME if field_name == "surname" else LONG_GIVEN
    spec = layout.field(field_name)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        inside = page.within_bbox(_box_bbox(page, spec.box))
        text = unicodedata.normalize("NFC", inside.extract_text())
        chars = inside.chars
    # Every character of the name is found strictly inside the box ...
    assert _squash(text) == _squash(value)
    # ... wrapped onto two lines, at a size between the minimum and the nominal size.
    assert len({round(c["top"], 1) for c in chars}) == 2
    assert all(spec.min_size - 0.01 <= c["size"] <= spec.size + 0.01 for c in chars)


def test_a_short_name_keeps_the_nominal_size_on_one_line(card_pdf, layout):
    spec = layout.field("surname")
    with pdfplumber.open(io.BytesIO(card_pdf)) as pdf:
        page = pdf.pages[0]
        chars = page.within_bbox(_box_bbox(page, spec.box)).chars
    assert "".join(c["text"] for c in chars) == "Çela"
    assert all(c["size"] == pytest.approx(spec.size) for c in chars)


def test_decomposed_input_is_printed_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Çela")
    assert decomposed != "Çela"
    pdf_bytes = render_card_face(card_data(surname=decomposed))
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Çela" in text


def test_a_name_that_cannot_fit_even_wrapped_is_refused():
    with pytest.raises(FieldTooLong) as refusal:
        render_card_face(card_data(surname="Çela " * 80))
    assert "surname" in refusal.value.message("en")
    assert "nuk nxë" in refusal.value.message("sq")


@pytest.mark.parametrize("photo", [None, b""])
def test_missing_photo_is_refused_in_words(photo):
    with pytest.raises(MissingPhoto) as refusal:
        render_card_face(card_data(photo_jpeg=photo))
    assert "photo is missing" in refusal.value.message("en")
    assert "Mungon fotografia" in refusal.value.message("sq")


def test_a_photo_that_is_not_a_jpeg_is_refused():
    with pytest.raises(InvalidImage):
        render_card_face(card_data(photo_jpeg=b"\x89PNG not really an image"))


def test_a_signature_that_is_not_a_png_is_refused():
    with pytest.raises(InvalidImage) as refusal:
        render_card_face(card_data(signature_png=photo_jpeg()))
    assert "signature" in refusal.value.message("en")


@pytest.mark.parametrize(
    "lines",
    [MRZ[:2], (MRZ[0], MRZ[1], MRZ[2][:-1]), (MRZ[0], MRZ[1], MRZ[2].replace("E", "Ë", 1))],
)
def test_malformed_mrz_is_refused(lines):
    with pytest.raises(InvalidMrz):
        render_card_face(card_data(mrz_lines=lines))


def test_bad_document_number_and_empty_fields_are_refused():
    with pytest.raises(InvalidDocumentNumber):
        render_card_face(card_data(document_number="ab-12"))
    with pytest.raises(MissingField) as refusal:
        render_card_face(card_data(place_of_birth="  "))
    assert "place_of_birth" in refusal.value.message("en")


def test_a_template_with_a_box_outside_the_card_is_refused(tmp_path: Path):
    text = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    broken = tmp_path / "card.toml"
    photo_box = "box = [3.0, 13.5, 22.0, 28.0]"
    broken.write_text(text.replace(photo_box, "box = [70.0, 13.5, 22.0, 28.0]"), encoding="utf-8")
    with pytest.raises(LayoutError) as refusal:
        load_layout(broken)
    assert "photo" in refusal.value.message("en")


def test_the_layout_comes_from_the_template(tmp_path: Path):
    text = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    moved = tmp_path / "card.toml"
    moved.write_text(text.replace("box = [3.0, 13.5, 22.0, 28.0]", "box = [60.0, 13.5, 22.0, 28.0]")
                     .replace('box = [27.0, 14.9, 56.0, 4.6]', 'box = [3.0, 14.9, 56.0, 4.6]'),
                     encoding="utf-8")
    layout = load_layout(moved)
    pdf_bytes = render_card_face(card_data(), layout)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        photo = page.images[0]
        surname = page.within_bbox(_box_bbox(page, layout.field("surname").box)).extract_text()
    assert photo["x0"] >= 60 * mm - 0.01
    assert surname == "Çela"
