"""Printed papers name every code: the permit type, the nationality (Kosovo as RKS or XKX), the
card type, in words on the receipt, the card face, the manifest and the notices; the receipt
gives the applicant's whole address. Real applications through the services, real PDFs read
back with pdfplumber."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pdfplumber
import pytest

from issuance.db.models import Application
from issuance.delivery import notifications
from issuance.delivery.clients.fer import PERMIT_STATUS_NAMES, PERMIT_TYPE_NAMES
from issuance.documents import render_card_face
from issuance.documents.data import CardFaceData
from issuance.domain.workflow import STATE_NAMES
from issuance.services import batches, cards, receipts
from issuance.services.enrolment import CARD_TYPE_NAMES
from tests.issuance.documents.samples import photo_jpeg
from tests.issuance.services.cards.conftest import ADDRESS, approved, submitted
from tests.support.keys import make_keys

# Every code a paper could print raw: the tables' keys (as words, whatever the case).
CODES = sorted(
    {*PERMIT_TYPE_NAMES, *PERMIT_STATUS_NAMES, *CARD_TYPE_NAMES, *(s.value for s in STATE_NAMES)},
    key=len,
    reverse=True,
)
RAW = re.compile(r"\b(" + "|".join(re.escape(c) for c in CODES) + r")\b")


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = " ".join(page.extract_text() or "" for page in document.pages)
    return unicodedata.normalize("NFC", " ".join(words.split()))


def _raw(text: str) -> list[str]:
    """The codes in ``text``: upper-case ones anywhere, lower-case ones only where no English
    word of the same spelling could stand (an English "draft" is a word, not a code)."""
    found = RAW.findall(text)
    return [c for c in found if c.isupper() or "_" in c]


@pytest.mark.parametrize("permit_type", sorted(PERMIT_TYPE_NAMES))
def test_the_receipt_names_the_permit_type_and_gives_the_whole_address(ctx, world, permit_type):
    application_id = submitted(ctx, world, permit_type=permit_type, nationality="RKS")
    text = _text(receipts.application_receipt_pdf(ctx, world.clerk, application_id))
    sq, en = PERMIT_TYPE_NAMES[permit_type]
    assert f"{sq[0].upper()}{sq[1:]} / {en[0].upper()}{en[1:]}" in text
    assert "RKS / Kosovare" in text and "RKS / RKS" not in text
    assert f"Adresa / Address {ADDRESS}" in text
    assert "DRKM Tiranë, Tiranë" in text
    assert _raw(text) == [], _raw(text)


def test_kosovo_is_named_whichever_code_the_register_sends():
    for code in ("RKS", "XKX", "rks"):
        assert receipts.nationality_name(code) == "Kosovare"
        assert receipts.nationality_in(code, "en") == "Kosovar"
    assert receipts.nationality_in("ITA", "en") == "Italian"
    assert receipts.nationality_in("ZZZ", "sq") == "ZZZ"  # outside the tables: the code itself
    assert set(receipts.NATIONALITY_NAMES) == set(receipts.NATIONALITY_NAMES_EN)


def test_a_permit_type_of_words_is_printed_as_kept():
    assert receipts.permit_type_printed("Leje qëndrimi për punë") == "Leje qëndrimi për punë"
    assert receipts.permit_type_printed(" permanent ") == "E përhershme / Permanent"


@pytest.mark.parametrize("permit_type", sorted(PERMIT_TYPE_NAMES))
@pytest.mark.parametrize("nationality", ["RKS", "XKX"])
def test_every_permit_type_fits_the_card_face_in_words(permit_type, nationality):
    face = CardFaceData(
        surname="ÇELA", given_names="ËNDRIT BESNIK", sex="M", birth_date=date(1990, 1, 1),
        place_of_birth="Prishtinë", nationality_name=receipts.nationality_name(nationality),
        nationality_code=nationality, nid="I90101001A", document_number="RP1234567",
        issue_date=date(2026, 11, 23), expiry_date=date(2028, 1, 1),
        permit_type=receipts.permit_type_printed(permit_type), photo_jpeg=photo_jpeg(),
        signature_png=None,
        mrz_lines=("IDALBRP12345670I90101001A<<<<<", "9001015M2801017XKX<<<<<<<<<<<0",
                   "CELA<<ENDRIT<BESNIK<<<<<<<<<<<"),
    )  # fmt: skip
    text = _text(render_card_face(face))  # a text that does not fit refuses to render
    sq, en = PERMIT_TYPE_NAMES[permit_type]
    assert f"{sq[0].upper()}{sq[1:]} /" in text and "Kosovare" in text
    front = text.split("IDALB")[0]  # the MRZ is codes by its nature
    assert _raw(front) == [], _raw(front)


def test_the_produced_card_face_names_the_permit_type(ctx, world):
    made = make_keys(ctx.settings.keys_dir)
    shutil.rmtree(made.csca.folder)
    ctx.settings = replace(ctx.settings, card_reader="sim")
    application_id, _ = approved(ctx, world, permit_type="TEMPORARY_FAMILY", nationality="RKS")
    produced = cards.produce_at_station(ctx, world.card_operator, application_id)
    text = _text(produced.print_outcome.output.read_bytes())
    assert "E përkohshme për bashkim familjar / Temporary, for family reunion" in text
    assert "RKS / Kosovare" in text
    assert "TEMPORARY_FAMILY" not in text


def test_the_manifest_and_the_notices_print_no_code(ctx, world):
    application_id = submitted(ctx, world, permit_type="PERMANENT", nationality="RKS")
    batches.approve(ctx, world.supervisor, application_id)
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, application_id).batch_id
    text = _text(receipts.batch_manifest_pdf(ctx, world.supervisor, batch_id))
    assert "Miratuar / Approved" in text and _raw(text) == []
    on = datetime(2026, 11, 23, 9, tzinfo=UTC)
    notices = [
        notifications.card_ready_text("DRKM Tiranë", "TR-2026-000001"),
        notifications.submitted_text("DRKM Tiranë", "TR-2026-000001", on),
        notifications.approved_text("DRKM Tiranë", "TR-2026-000001"),
    ]
    for notice in notices:
        assert _raw(notice) == [], notice
