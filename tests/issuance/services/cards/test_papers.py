"""The applicant's receipt and the supervisor's batch manifest, built from the database."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pdfplumber
import pytest

from issuance.db.models import Application
from issuance.security.permissions import NotPermitted
from issuance.services import batches, cards, enrolment, receipts
from tests.issuance.documents.pdfcheck import code128_texts, render_page
from tests.issuance.services.cards.conftest import submitted


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = " ".join(page.extract_text() for page in document.pages)
    return unicodedata.normalize("NFC", " ".join(words.split()))


def _number(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).number


def test_the_receipt_shows_the_application_and_its_barcode_decodes(ctx, world):
    application_id = submitted(ctx, world)
    number = _number(ctx, application_id)
    pdf = receipts.application_receipt_pdf(ctx, world.clerk, application_id)

    text = _text(pdf)
    for expected in (
        number, "DRKM Tiranë", "Çela", "Ëndrit Besnik", "Gëzim", "Prishtinë", "XKX / Kosovare",
        "P0123456", "LQ1234567", "Leje qëndrimi për punë",
        "23.11.2026 10:00",  # 09:00 UTC is 10:00 in Tirana in November
        "deri më 30.11.2026", "deri më 14.12.2026",
    ):
        assert expected in text, expected
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1 and len(document.pages[0].images) == 1  # the photo
    page = render_page(pdf, 1, dpi=200)
    assert code128_texts(page.crop((0, 0, page.width, page.height // 3))) == [number]


def test_no_receipt_before_submission_and_not_for_the_administrator(ctx, world):
    draft = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(receipts.ApplicationNotSubmitted):
        receipts.application_receipt_pdf(ctx, world.clerk, draft.id)
    application_id = submitted(ctx, world, coupon="PS-0002")
    with pytest.raises(NotPermitted):
        receipts.application_receipt_pdf(ctx, world.administrator, application_id)
    # The card operator and the supervisor may reprint it.
    assert receipts.application_receipt_pdf(ctx, world.supervisor, application_id)[:5] == b"%PDF-"


def test_the_manifest_lists_every_application_of_the_batch_with_its_decision(
    ctx, world, folder_printer, station, pki
):
    first = submitted(ctx, world)
    second = submitted(
        ctx, world, coupon="PS-0002", permit_number="LQ2222222", passport_number="P0222222",
        surname="Hoxha", given_names="Arta", sex="F", birth_date=date(1985, 5, 12),
    )  # fmt: skip
    third = submitted(
        ctx, world, coupon="PS-0003", permit_number="LQ3333333", passport_number="P0333333",
        surname="Dervishi", given_names="Blerim",
    )  # fmt: skip
    batches.approve(ctx, world.supervisor, first)
    batches.reject(ctx, world.supervisor, second, "Foto e paqartë / Blurred photo")
    produced = cards.produce_card(
        ctx, world.card_operator, first, printer=folder_printer, station=station,
        signer=pki.signer(), csca=pki.csca_certificate,
    )  # fmt: skip
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, first).batch_id
        assert uow.session.get(Application, third).batch_id == batch_id

    pdf = receipts.batch_manifest_pdf(ctx, world.supervisor, batch_id)
    text = _text(pdf)
    for expected in (
        f"TR-20261123-{batch_id}", "DRKM Tiranë", "Supervisor", "23.11.2026 10:00",
        _number(ctx, first), "Çela", "Ëndrit Besnik", produced.document_number,
        _number(ctx, second), "Hoxha", "Foto e paqartë / Blurred photo",
        _number(ctx, third), "Dervishi",
        "Gjithsej / Total: 3", "Miratuar / Approved: 1", "Refuzuar / Rejected: 1",
        "Në pritje / Pending: 1",
    ):
        assert expected in text, expected


def test_only_a_supervisor_prints_the_manifest(ctx, world):
    application_id = submitted(ctx, world)
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, application_id).batch_id
    for actor in (world.clerk, world.card_operator, world.administrator):
        with pytest.raises(NotPermitted):
            receipts.batch_manifest_pdf(ctx, actor, batch_id)
    with pytest.raises(receipts.BatchNotFound):
        receipts.batch_manifest_pdf(ctx, world.supervisor, batch_id + 1000)
