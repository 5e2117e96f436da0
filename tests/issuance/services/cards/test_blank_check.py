"""Production checks the card in the reader is blank before anything is printed: a used blank
costs neither a printed card face nor a document number."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from devices.card_printer import open_card_printer
from devtools.virtual_card import PassportApplet
from devtools.virtual_card.simulated import applet_station
from issuance.chip.status_words import CardNotBlank
from issuance.db.models import Card
from issuance.services import cards
from tests.issuance.services.cards.conftest import approved


def _card_count(ctx) -> int:
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(Card)).scalar_one()


@pytest.fixture
def printed(tmp_path):
    return tmp_path / "printed"


@pytest.fixture
def printer(printed):
    opened = open_card_printer(f"folder:{printed}")
    yield opened
    opened.close()


def _produce(ctx, world, application_id, printer, pki, applet, steps=None):
    return cards.produce_card(
        ctx, world.card_operator, application_id, printer=printer,
        station=applet_station(applet), signer=pki.signer(), csca=pki.csca_certificate,
        progress=(steps.append if steps is not None else None),
    )  # fmt: skip


def _printed_files(printed) -> list:
    return sorted(printed.glob("*")) if printed.exists() else []


def test_a_locked_card_is_refused_before_printing_and_no_number_is_drawn(
    ctx, world, printer, printed, pki
):
    first, _ = approved(ctx, world)
    used = PassportApplet()
    _produce(ctx, world, first, printer, pki, used)  # a card already personalised and locked
    assert used.locked
    faces_before, cards_before = _printed_files(printed), _card_count(ctx)

    second, _ = approved(ctx, world, coupon="PS-0002", permit_number="LQ7654321",
                         passport_number="P0000002")  # fmt: skip
    with pytest.raises(CardNotBlank) as caught:
        _produce(ctx, world, second, printer, pki, used)
    assert caught.value.message("en").startswith("The card is not blank")
    assert caught.value.message("sq") == (
        "Karta nuk është bosh: është personalizuar ose kyçur tashmë."
    )
    assert _printed_files(printed) == faces_before  # nothing printed
    assert _card_count(ctx) == cards_before  # no number drawn, nothing spoiled
    assert cards.cards_of(ctx, world.card_operator, second) == []


def test_a_half_written_unlocked_card_is_refused_before_printing(
    ctx, world, printer, printed, pki
):
    application_id, _ = approved(ctx, world)
    half = PassportApplet()
    for command in ("00A4040007A0000002471001", "00E0000006630400100101"):  # one file created
        assert half.process(bytes.fromhex(command))[-2:] == b"\x90\x00"
    assert not half.locked
    with pytest.raises(CardNotBlank) as caught:
        _produce(ctx, world, application_id, printer, pki, half)
    assert "already holds files" in caught.value.message("en")
    assert _printed_files(printed) == [] and _card_count(ctx) == 0


def test_a_blank_card_is_checked_then_printed_and_encoded(ctx, world, printer, printed, pki):
    application_id, _ = approved(ctx, world)
    blank = PassportApplet()
    steps: list[str] = []
    produced = _produce(ctx, world, application_id, printer, pki, blank, steps)
    assert steps[:2] == ["checking the card in the reader", "printing the card face"]
    assert produced.print_outcome.output.read_bytes().startswith(b"%PDF")
    assert _printed_files(printed) == [produced.print_outcome.output]
    assert produced.encoding.passed and blank.locked
    assert [c.status for c in cards.cards_of(ctx, world.card_operator, application_id)] == [
        "produced"
    ]
