"""``cards.produce_at_station``: the desk's keys (``FileKeyStore``), its card printer and its card
station around ``produce_card``, as the card station's worker calls it."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from devtools.backends import development_devices
from issuance.chip.read_back import verify_card
from issuance.db.models import Card
from issuance.ports.devices import NoDevices
from issuance.security.keys import (
    DocumentSignerNotIssuedByCsca,
    FileKeyStore,
    SigningKeysMissing,
    default_csca_folder,
)
from issuance.security.permissions import NotPermitted
from issuance.services import cards
from tests.issuance.services.cards.conftest import BIRTH_DATE, PERMIT_END, READER, approved
from tests.support.keys import make_keys

DEVICES = development_devices()


def _card_count(ctx) -> int:
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(Card)).scalar_one()


@pytest.fixture
def desk_keys(ctx):
    """``issuance keys init`` for the desk, then the CSCA taken offline (out of the data dir)."""
    made = make_keys(ctx.settings.keys_dir)
    shutil.rmtree(made.csca.folder)
    assert not (ctx.settings.keys_dir / "csca.key.pem").exists()
    return made.desk


def test_a_card_is_produced_on_the_simulated_station_with_the_desk_key_store(
    ctx, world, desk_keys
):
    ctx.settings = replace(ctx.settings, card_reader="sim")
    application_id, nid = approved(ctx, world)
    steps: list[str] = []
    produced = cards.produce_at_station(ctx, world.card_operator, application_id, steps.append)
    assert steps[:2] == ["checking the card in the reader", "printing the card face"]
    assert steps[-1] == "card produced"
    assert produced.nid == nid and produced.print_outcome.output.read_bytes().startswith(b"%PDF")
    # Read back through BAC and verified against the CSCA certificate of the desk's folder.
    checks = {c.name: c.passed for c in produced.encoding.checks}
    assert produced.encoding.passed and checks["DS certificate"] and checks["SOD signature"]
    used = cards.cards_of(ctx, world.card_operator, application_id)
    assert [(c.document_number, c.status) for c in used] == [
        (produced.document_number, "produced")
    ]
    assert used[0].application_id == application_id and used[0].spoiled_reason is None


def test_a_card_produced_on_pcscd_passes_passive_authentication_against_the_csca(
    ctx, world, desk_keys, blank_card
):
    ctx.settings = replace(ctx.settings, card_reader=f"pcsc:{READER}")
    application_id, _ = approved(ctx, world)
    produced = cards.produce_at_station(ctx, world.card_operator, application_id)
    assert blank_card.applet.locked
    # An independent reading, as `issuance card verify` does it, with the desk's CSCA copy.
    report = verify_card(
        DEVICES, f"pcsc:{READER}", produced.document_number, BIRTH_DATE, PERMIT_END,
        desk_keys.csca_certificate,
    )  # fmt: skip
    assert report.passed, str(report)
    assert "[PASS] DS certificate" in str(report)
    signer = FileKeyStore.load(desk_keys.folder).signer.certificate
    assert signer.subject.native["common_name"] == "Document Signer Albania (demo)"


def test_missing_keys_are_refused_before_a_number_is_drawn(ctx, world):
    ctx.settings = replace(ctx.settings, card_reader="sim")
    application_id, _ = approved(ctx, world)
    with pytest.raises(SigningKeysMissing) as caught:
        cards.produce_at_station(ctx, world.card_operator, application_id)
    assert "signing keys are missing" in caught.value.message("en")
    assert _card_count(ctx) == 0


def test_a_signer_of_another_csca_is_refused_before_a_number_is_drawn(
    ctx, world, desk_keys, tmp_path
):
    ctx.settings = replace(ctx.settings, card_reader="sim")
    stranger = make_keys(tmp_path / "stranger").desk
    shutil.copy(stranger.ds_key, desk_keys.ds_key)
    shutil.copy(stranger.ds_certificate, desk_keys.ds_certificate)
    application_id, _ = approved(ctx, world)
    with pytest.raises(DocumentSignerNotIssuedByCsca):
        cards.produce_at_station(ctx, world.card_operator, application_id)
    assert _card_count(ctx) == 0


def test_only_the_card_operator_and_only_with_devices(ctx, world, desk_keys):
    ctx.settings = replace(ctx.settings, card_reader="sim")
    application_id, _ = approved(ctx, world)
    with pytest.raises(NotPermitted):
        cards.produce_at_station(ctx, world.clerk, application_id)
    ctx.devices = None
    with pytest.raises(NoDevices):
        cards.produce_at_station(ctx, world.card_operator, application_id)
    assert _card_count(ctx) == 0
    assert default_csca_folder(ctx.settings.keys_dir).exists() is False
