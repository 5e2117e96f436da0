"""Through the real PC/SC stack: pyscard -> pcscd -> vpcd -> the project's virtual card."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from devices.card_reader.pcsc import list_readers, pcsc_session
from devtools.backends import development_devices
from devtools.virtual_card import PassportApplet, VpcdCard
from devtools.virtual_card.pcscd import inserted_card
from devtools.virtual_card.simulated import EXTENDED_LENGTH_ATR
from issuance.chip import load_certificate
from issuance.chip.errors import BacAuthenticationFailed
from issuance.chip.read_back import verify_card
from issuance.chip.station import open_card_station
from issuance.chip.status_words import CardNotBlank
from issuance.ports.card_reader_errors import CardRemoved, NoCardPresent, ReaderNotFound
from tests.issuance.chip.conftest import READER, SPARE_READER
from tests.support.pcsc import card_in_reader, port_of

DEVICES = development_devices()

SPEC = f"pcsc:{READER}"


def test_vpcd_readers_are_listed(pcscd):
    assert {READER, SPARE_READER} <= set(list_readers())


@contextmanager
def card_declaring(extended: bool, blank_card: VpcdCard) -> Iterator[tuple[VpcdCard, str]]:
    """The session card (its ATR declares nothing: short APDUs only), or a card in the spare
    reader whose ATR declares extended length fields."""
    if not extended:
        yield blank_card, READER
        return
    card = VpcdCard(PassportApplet(), port=port_of(SPARE_READER), atr=EXTENDED_LENGTH_ATR)
    with card_in_reader(card, SPARE_READER):
        yield card, SPARE_READER


@pytest.mark.parametrize("extended", [True, False])
def test_personalise_read_back_and_verify_a_card(
    blank_card, lds_files, chip_data, pki, csca_certificate, extended
):
    with card_declaring(extended, blank_card) as (card, reader):
        _personalise_and_verify(card, reader, lds_files, chip_data, csca_certificate, extended)


def test_a_card_that_takes_extended_apdus_without_declaring_them_gets_short_ones(
    blank_card, lds_files, chip_data, pki
):
    assert blank_card.applet.extended_length  # it would take them, but its ATR does not say so
    report = open_card_station(DEVICES, SPEC).personalise(
        lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
    )
    assert report.passed and not report.extended_length
    assert (report.write_chunk, report.read_chunk) == (0xFF, 0xDF)


def _personalise_and_verify(card, reader, lds_files, chip_data, csca_certificate, extended):
    spec = f"pcsc:{reader}"
    steps: list[str] = []
    report = open_card_station(DEVICES, spec).personalise(
        lds_files, chip_data.bac_key(), load_certificate(csca_certificate), steps.append
    )
    assert report.passed
    assert card.applet.locked
    assert report.extended_length is extended
    assert report.write_chunk == (0x7FFF if extended else 0xFF)
    assert report.read_chunk == (0x7FFF if extended else 0xDF)
    assert steps[-1] == "reading the chip back through BAC"

    checked = verify_card(DEVICES,
        spec,
        chip_data.document_number,
        chip_data.birth_date,
        chip_data.expiry_date,
        csca_certificate,
    )
    assert checked.passed
    assert checked.mrz == chip_data.mrz()
    assert checked.holder.full_name == "Çela<<Ëndrit"
    assert checked.holder.personal_number == chip_data.nid
    assert (checked.face_width, checked.face_height) == (240, 320)
    assert checked.face_bytes == len(chip_data.face_jpeg)
    text = str(checked)
    assert "Çela<<Ëndrit" in text and "[FAIL]" not in text and "Result: VALID" in text


def test_wrong_mrz_data_is_refused_through_pcsc(blank_card, lds_files, chip_data, pki):
    open_card_station(DEVICES, SPEC).personalise(
        lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
    )
    with pytest.raises(BacAuthenticationFailed) as caught:
        verify_card(DEVICES,
            SPEC, chip_data.document_number, "980323", chip_data.expiry_date, pki.csca_certificate
        )
    assert "birth date" in caught.value.message("en")


def test_locked_card_refuses_writes_through_pcsc(blank_card, lds_files, chip_data, pki):
    csca = load_certificate(pki.csca_certificate)
    open_card_station(DEVICES, SPEC).personalise(lds_files, chip_data.bac_key(), csca)
    with pcsc_session(READER, timeout=5) as transport:
        assert transport.transmit(bytes.fromhex("00A4040007A0000002471001"))[1] == 0x9000
        assert transport.transmit(bytes.fromhex("00D6000001FF"))[1] == 0x6982
    with pytest.raises(CardNotBlank):
        open_card_station(DEVICES, SPEC).personalise(lds_files, chip_data.bac_key(), csca)
    assert blank_card.applet.file_content(0x0101) == lds_files.data_groups[1]


def test_unknown_reader_is_named(pcscd):
    with pytest.raises(ReaderNotFound) as caught:
        open_card_station(DEVICES, "pcsc:No Such Reader").read_chip(None)
    assert READER in caught.value.message("en")


def test_empty_reader_times_out(pcscd):
    with pytest.raises(NoCardPresent):
        open_card_station(DEVICES, f"pcsc:{SPARE_READER}", card_timeout=0.3).read_chip(None)


def test_card_removed_mid_way(pcscd, lds_files, chip_data, pki):
    # Pulled out after 6 APDUs: applet selected, EF.COM written, DG1 created.
    card = VpcdCard(PassportApplet(), port=port_of(SPARE_READER), disconnect_after_apdus=6)
    with inserted_card(card, pcscd, SPARE_READER):
        with pytest.raises(CardRemoved) as caught:
            open_card_station(DEVICES, f"pcsc:{SPARE_READER}").personalise(
                lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
            )
        assert card.removed.is_set()
    assert "APDU 6" in caught.value.reason
    assert "spoiled" in caught.value.message("en")
    assert not card.applet.locked


def test_a_station_establishes_one_pcsc_context_for_all_its_cards(
    monkeypatch, blank_card, lds_files, chip_data, pki
):
    from smartcard import scard

    # Contexts of earlier tests that nobody closed are released by their finalizers when the
    # garbage collector runs: let it run now, and count only this station's contexts below.
    gc.collect()
    established, released = [], []
    establish, release = scard.SCardEstablishContext, scard.SCardReleaseContext

    def counting_establish(scope):
        result = establish(scope)
        established.append(result[1])
        return result

    def counting_release(context):
        if context in established:
            released.append(context)
        return release(context)

    monkeypatch.setattr(scard, "SCardEstablishContext", counting_establish)
    monkeypatch.setattr(scard, "SCardReleaseContext", counting_release)
    csca = load_certificate(pki.csca_certificate)
    with open_card_station(DEVICES, SPEC) as station:
        for _ in range(3):
            blank_card.applet.wipe()
            assert station.personalise(lds_files, chip_data.bac_key(), csca).passed
        assert station.read_chip(chip_data.bac_key()).data_groups[1] == lds_files.data_groups[1]
        assert len(established) == 1 and not released
    assert released == established
