"""The application receipt (A4): proof of submission and what happens next, sq and en."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from issuance.documents.data import (
    ReceiptData,
    check_barcode_text,
    format_date,
    nfc,
    require_text,
)
from issuance.documents.drawing import Code128Flowable
from issuance.documents.fonts import SANS, SANS_BOLD, register_fonts
from issuance.documents.images import contain, photo_reader

BARCODE_WIDTH = 90 * mm
PHOTO_BOX = (30 * mm, 38.6 * mm)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=SANS, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "state": ParagraphStyle("state", parent=base, fontName=SANS_BOLD, fontSize=11,
                                leading=14, alignment=1),
        "authority": ParagraphStyle("authority", parent=base, alignment=1),
        "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=15,
                                leading=19, alignment=1, spaceBefore=6, spaceAfter=6,
                                textColor=colors.HexColor("#1f3f7a")),
        "heading": ParagraphStyle("heading", parent=base, fontName=SANS_BOLD, fontSize=11,
                                  leading=14, spaceBefore=8, spaceAfter=4),
        "label": ParagraphStyle("label", parent=base, fontSize=8, leading=10,
                                textColor=colors.HexColor("#4a5a70")),
        "value": ParagraphStyle("value", parent=base, fontName=SANS_BOLD),
        "number": ParagraphStyle("number", parent=base, fontName=SANS_BOLD, fontSize=12,
                                 leading=15, alignment=1),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text)), style)


def _applicant_table(data: ReceiptData, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [
        ("Mbiemri / Surname", require_text(data.surname, "surname")),
        ("Emri / Given names", require_text(data.given_names, "given_names")),
        ("Atësia / Father's name", data.father_name or "—"),
        ("Gjinia / Sex", (data.sex or "X").upper()),
        ("Datëlindja / Date of birth", format_date(data.birth_date)),
        ("Vendlindja / Place of birth", require_text(data.place_of_birth, "place_of_birth")),
        ("Shtetësia / Nationality",
         f"{data.nationality_code.upper()} / {require_text(data.nationality_name, 'nationality')}"),
        ("Nr. i pasaportës / Passport No.", require_text(data.passport_number, "passport")),
        ("Nr. i lejes / Permit No.", require_text(data.permit_number, "permit_number")),
        ("Lloji i lejes / Permit type", require_text(data.permit_type, "permit_type")),
    ]
    if data.address:
        rows.append(("Adresa / Address", data.address))
    if data.contact:
        rows.append(("Kontakti / Contact", data.contact))
    table = Table(
        [[_p(label, styles["label"]), _p(value, styles["value"])] for label, value in rows],
        colWidths=[45 * mm, 90 * mm],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.HexColor("#c0c8d0")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _next_steps(data: ReceiptData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    decision = format_date(data.decision_expected_by)
    ready = format_date(data.card_expected_by)
    office = nfc(data.office_name)
    sq = [
        f"Aplikimi juaj shqyrtohet nga Drejtoria e Kufirit dhe Migracionit deri më {decision}.",
        f"Pas miratimit, karta prodhohet dhe pritet të jetë gati deri më {ready}.",
        "Do të njoftoheni me SMS ose e-mail kur karta të jetë gati për t'u tërhequr.",
        f"Tërhiqeni kartën në zyrën {office}, me këtë dëftesë dhe pasaportën tuaj.",
        "Me NID-in e kartës mund të regjistroheni në portalin e-Albania.",
    ]
    en = [
        f"Your application is reviewed by the Border and Migration Directorate by {decision}.",
        f"Once approved, the card is produced and is expected to be ready by {ready}.",
        "You will be notified by SMS or e-mail when the card is ready for collection.",
        f"Collect the card at the office {office}, with this receipt and your passport.",
        "With the card's NID you can register on the e-Albania portal.",
    ]
    items: list[Flowable] = [_p("Çfarë ndodh më pas", styles["heading"])]
    items += [_p(f"{n}. {line}", styles["base"]) for n, line in enumerate(sq, start=1)]
    items.append(_p("What happens next", styles["heading"]))
    items += [_p(f"{n}. {line}", styles["base"]) for n, line in enumerate(en, start=1)]
    return items


def render_receipt(data: ReceiptData) -> bytes:
    """The A4 receipt as PDF bytes; a DocumentError when the data cannot make a whole one."""
    register_fonts()
    number = check_barcode_text(data.application_number, "application_number")
    photo = photo_reader(data.photo_jpeg)
    styles = _styles()
    photo_w, photo_h = contain(*PHOTO_BOX, *photo.getSize())
    photo_flowable = Image(io.BytesIO(data.photo_jpeg or b""), photo_w, photo_h)
    barcode = Code128Flowable(number, BARCODE_WIDTH, 14 * mm)
    story = [
        _p("REPUBLIKA E SHQIPËRISË · REPUBLIC OF ALBANIA", styles["state"]),
        _p("Ministria e Brendshme · Drejtoria e Kufirit dhe Migracionit", styles["authority"]),
        _p("DËFTESË APLIKIMI / APPLICATION RECEIPT", styles["title"]),
        _p("Kartë biometrike për shtetasit e huaj · Biometric card for foreign citizens",
           styles["authority"]),
        Spacer(1, 4 * mm),
        _p(f"Zyra / Office: {require_text(data.office_name, 'office_name')}"
           + (f", {data.office_address}" if data.office_address else ""), styles["base"]),
        _p("Data e aplikimit / Date of application: "
           f"{data.submitted_at.strftime('%d.%m.%Y %H:%M')}", styles["base"]),
        Spacer(1, 4 * mm),
        _p("Numri i aplikimit / Application number", styles["label"]),
        Table([[barcode], [_p(number, styles["number"])]], colWidths=[180 * mm],
              style=[("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTNAME", (0, 0), (-1, -1), SANS)]),
        Spacer(1, 2 * mm),
        _p("Të dhënat e aplikantit / Applicant's data", styles["heading"]),
        Table([[_applicant_table(data, styles), photo_flowable]],
              colWidths=[140 * mm, 40 * mm],
              style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS)]),
        KeepTogether(_next_steps(data, styles)),
        Spacer(1, 6 * mm),
        _p("Kjo dëftesë nuk është dokument identifikimi. "
           "This receipt is not an identity document.", styles["small"]),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=f"Application receipt {number}",
        author="Drejtoria e Kufirit dhe Migracionit", initialFontName=SANS,
    )
    doc.build(story)
    return buffer.getvalue()
