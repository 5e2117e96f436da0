"""The residence card face: front and back, each one ID-1 page, laid out by the template."""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from issuance.documents.data import (
    CardFaceData,
    check_document_number,
    check_mrz,
    format_date,
    nfc,
    require_text,
)
from issuance.documents.drawing import draw_code128, draw_text_spec, to_pdf
from issuance.documents.fonts import SANS, register_fonts
from issuance.documents.images import contain, photo_reader, signature_reader
from issuance.documents.layout import Box, CardLayout, TextSpec, load_layout

SEX_WORDS = {"M": "M", "F": "F", "X": "X"}


def field_values(data: CardFaceData) -> dict[str, str]:
    """The printed (visual zone) text of every front field, checked and in NFC."""
    sex = (data.sex or "").strip().upper()
    if sex not in SEX_WORDS:
        sex = "X"
    return {
        "surname": require_text(data.surname, "surname"),
        "given_names": require_text(data.given_names, "given_names"),
        "sex": SEX_WORDS[sex],
        "nationality": (
            f"{require_text(data.nationality_code, 'nationality_code').upper()} / "
            f"{require_text(data.nationality_name, 'nationality_name')}"
        ),
        "birth_date": format_date(data.birth_date),
        "place_of_birth": require_text(data.place_of_birth, "place_of_birth"),
        "nid": require_text(data.nid, "nid"),
        "document_number": check_document_number(data.document_number),
        "issue_date": format_date(data.issue_date),
        "expiry_date": format_date(data.expiry_date),
        "permit_type": require_text(data.permit_type, "permit_type"),
    }


def render_card_face(data: CardFaceData, layout: CardLayout | None = None) -> bytes:
    """Two ID-1 pages (front, back) as PDF bytes, or a DocumentError saying what is wrong.

    Everything is checked before the first mark is made, so bad input never gives a
    half-drawn card.
    """
    layout = layout or load_layout()
    register_fonts()
    values = field_values(data)
    photo = photo_reader(data.photo_jpeg)
    signature = signature_reader(data.signature_png) if data.signature_png else None
    mrz = check_mrz(tuple(data.mrz_lines), layout.mrz.line_length, layout.mrz.line_count)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(layout.width_mm * mm, layout.height_mm * mm),
        initialFontName=SANS,  # type: ignore[arg-type]  # a font name: the stubs say float
        initialFontSize=6,
        pageCompression=1,
    )
    canvas.setTitle(f"Residence card {values['document_number']}")
    canvas.setAuthor("Drejtoria e Kufirit dhe Migracionit")
    _front(canvas, layout, values, photo, signature)
    canvas.showPage()
    _back(canvas, layout, values["document_number"], mrz)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _text(canvas: Canvas, layout: CardLayout, spec: TextSpec, text: str) -> None:
    draw_text_spec(
        canvas, spec, nfc(text), layout.height_mm, leading=layout.leading, step=layout.size_step
    )


def _label(layout: CardLayout, field: TextSpec) -> TextSpec:
    return TextSpec(
        name=f"{field.name}_label", box=layout.label_box(field), font=layout.label_font,
        size=layout.label_size, min_size=layout.label_min_size, color=layout.label_color,
    )


def _front(
    canvas: Canvas,
    layout: CardLayout,
    values: dict[str, str],
    photo: ImageReader,
    signature: ImageReader | None,
) -> None:
    for spec in layout.front_texts:
        _text(canvas, layout, spec, spec.text)
    for field in layout.front_fields:
        _text(canvas, layout, _label(layout, field), field.label)
        _text(canvas, layout, field, values[field.name])
    _image(canvas, layout, photo, layout.photo, border=True)
    _text(canvas, layout, layout.signature.label, layout.signature.label.text)
    if signature is None:
        cannot = layout.signature.cannot_sign
        _text(canvas, layout, cannot, cannot.text)
    else:
        _image(canvas, layout, signature, layout.signature.box, border=False)


def _image(
    canvas: Canvas, layout: CardLayout, image: ImageReader, box: Box, *, border: bool
) -> None:
    x, y, width, height = to_pdf(box, layout.height_mm)
    img_w, img_h = image.getSize()
    draw_w, draw_h = contain(width, height, img_w, img_h)
    left, bottom = x + (width - draw_w) / 2, y + (height - draw_h) / 2
    canvas.drawImage(image, left, bottom, draw_w, draw_h, mask="auto")
    if border:
        canvas.setStrokeColor(HexColor("#8090a0"))
        canvas.setLineWidth(0.3)
        canvas.rect(left, bottom, draw_w, draw_h, stroke=1, fill=0)


def _back(canvas: Canvas, layout: CardLayout, document_number: str, mrz: tuple[str, ...]) -> None:
    for spec in layout.back_texts:
        _text(canvas, layout, spec, spec.text)
    barcode = layout.barcode
    draw_code128(
        canvas, document_number, to_pdf(barcode.box, layout.height_mm),
        quiet_modules=barcode.quiet_modules,
    )
    _text(canvas, layout, barcode.text, document_number)
    _mrz(canvas, layout, mrz)


def _mrz(canvas: Canvas, layout: CardLayout, lines: tuple[str, ...]) -> None:
    """OCR-B at a fixed pitch: each character cell is exactly char_pitch_mm wide."""
    spec = layout.mrz
    canvas.setFillColor(HexColor("#000000"))
    canvas.setFont(spec.font, spec.size)
    advance = canvas.stringWidth("<", spec.font, spec.size)
    char_space = spec.char_pitch_mm * mm - advance
    # The centre line of a line of capitals lies half a cap height above the baseline.
    cap_height = 0.701 * spec.size
    for line, centre in zip(lines, spec.line_centres_from_bottom_mm, strict=True):
        baseline = centre * mm - cap_height / 2
        canvas.drawString(spec.first_char_left_mm * mm, baseline, line, charSpace=char_space)
