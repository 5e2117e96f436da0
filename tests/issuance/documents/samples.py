"""Sample inputs for the document tests: images drawn with Pillow, a plausible holder."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

from issuance.documents import CardFaceData, ReceiptData

MRZ = (
    "IRALBAB1234567<J85512345W<<<<<",
    "8505123F3106302ITA<<<<<<<<<<<6",
    "CELA<<ENDRIT<<<<<<<<<<<<<<<<<<",
)


def photo_jpeg(width: int = 350, height: int = 450) -> bytes:
    image = Image.new("RGB", (width, height), (232, 236, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 80, 255, 290), fill=(224, 186, 160))
    draw.ellipse((140, 160, 160, 175), fill=(40, 40, 40))
    draw.ellipse((190, 160, 210, 175), fill=(40, 40, 40))
    draw.rectangle((60, 330, 290, 450), fill=(30, 50, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def signature_png() -> bytes:
    image = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 90), (80, 30), (120, 95), (170, 25), (230, 90), (300, 40), (380, 70)],
              fill=(10, 20, 120, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def card_data(**changes: object) -> CardFaceData:
    values: dict[str, object] = dict(
        surname="Çela",
        given_names="Ëndrit",
        sex="F",
        birth_date=dt.date(1985, 5, 12),
        place_of_birth="Milano",
        nationality_name="Italiane",
        nationality_code="ITA",
        nid="J85512345W",
        document_number="AB1234567",
        issue_date=dt.date(2024, 3, 1),
        expiry_date=dt.date(2031, 6, 30),
        permit_type="Leje qëndrimi për punë / Work permit",
        photo_jpeg=photo_jpeg(),
        signature_png=signature_png(),
        mrz_lines=MRZ,
    )
    values.update(changes)
    return CardFaceData(**values)  # type: ignore[arg-type]


def receipt_data(**changes: object) -> ReceiptData:
    values: dict[str, object] = dict(
        application_number="TIR-2024-000123",
        office_name="Tiranë — Drejtoria Vendore e Kufirit dhe Migracionit",
        office_address="Rruga e Durrësit, Tiranë",
        submitted_at=dt.datetime(2024, 3, 1, 10, 30),
        surname="Çela",
        given_names="Ëndrit",
        sex="F",
        birth_date=dt.date(1985, 5, 12),
        place_of_birth="Milano",
        nationality_name="Italiane",
        nationality_code="ITA",
        passport_number="YA1234567",
        permit_number="RP-2023-998877",
        permit_type="Leje qëndrimi për punë",
        photo_jpeg=photo_jpeg(),
        decision_expected_by=dt.date(2024, 3, 8),
        card_expected_by=dt.date(2024, 3, 22),
        father_name="Gëzim",
        contact="+355 69 123 4567",
    )
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]
