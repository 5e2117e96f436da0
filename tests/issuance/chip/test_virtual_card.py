"""The virtual card's applet driven directly, and the encoder over it without PC/SC."""

from __future__ import annotations

import pytest

from devtools.virtual_card import PassportApplet
from devtools.virtual_card.simulated import AppletTransport, applet_station
from issuance.chip import BacKey, LdsFiles, load_certificate
from issuance.chip.bac import TerminalAuthentication
from issuance.chip.errors import BacAuthenticationFailed
from issuance.chip.reading import read_chip
from issuance.chip.status_words import CardNotBlank, ChipReadBackFailed

SELECT_APPLET = bytes.fromhex("00A4040007A0000002471001")


def personalised(lds_files, chip_data, pki, **options) -> tuple[PassportApplet, object]:
    applet = PassportApplet(**options)
    station = applet_station(applet)
    report = station.personalise(
        lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
    )
    return applet, report


def test_personalised_card_holds_exactly_the_files_and_is_locked(lds_files, chip_data, pki):
    applet, report = personalised(lds_files, chip_data, pki)
    assert report.passed
    assert applet.locked
    for file_id, content in lds_files.by_file_id():
        assert applet.file_content(file_id) == content
    assert report.extended_length and report.write_apdus == len(lds_files.by_file_id())


@pytest.mark.parametrize(
    ("options", "largest"),
    [({"extended_length": False}, 255), ({"extended_length": False, "max_command_data": 100}, 64)],
)
def test_encoder_steps_down_to_the_chunks_the_card_accepts(
    lds_files, chip_data, pki, options, largest
):
    applet, report = personalised(lds_files, chip_data, pki, **options)
    assert report.passed and not report.extended_length
    assert report.write_chunk == largest
    total = sum(len(c) for _, c in lds_files.by_file_id())
    assert report.bytes_written == total
    assert report.write_apdus >= total // largest
    assert report.read_chunk == 0xDF  # short secure-messaging reads after the refusal


def test_wrong_bac_key_is_refused_by_the_card(lds_files, chip_data, pki):
    applet, _ = personalised(lds_files, chip_data, pki)
    wrong = BacKey.of(chip_data.document_number, "980323", chip_data.expiry_date)
    with pytest.raises(BacAuthenticationFailed):
        read_chip(AppletTransport(applet), wrong)


def test_locked_card_refuses_plain_reads_and_writes(lds_files, chip_data, pki):
    applet, _ = personalised(lds_files, chip_data, pki)
    assert applet.process(SELECT_APPLET) == b"\x90\x00"
    assert applet.process(bytes.fromhex("00A4020C020101"))[-2:] == b"\x69\x82"
    assert applet.process(bytes.fromhex("00B0000004"))[-2:] == b"\x69\x82"
    assert applet.process(bytes.fromhex("00D6000001FF"))[-2:] == b"\x69\x82"
    assert applet.process(bytes.fromhex("00E0000006630400100105"))[-2:] == b"\x69\x82"
    with pytest.raises(CardNotBlank):
        applet_station(applet).personalise(
            lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
        )


def test_locked_card_refuses_writes_even_under_secure_messaging(lds_files, chip_data, pki):
    from issuance.chip.apdu import CommandApdu
    from issuance.chip.secure_messaging import TerminalChannel

    applet, _ = personalised(lds_files, chip_data, pki)
    applet.process(SELECT_APPLET)
    terminal = TerminalAuthentication(chip_data.bac_key())
    challenge = applet.process(bytes.fromhex("0084000008"))[:-2]
    data = terminal.external_authenticate_data(challenge)
    answer = applet.process(CommandApdu(0, 0x82, 0, 0, data, 40).encode())
    channel = TerminalChannel(terminal.complete(answer[:-2]))
    select = applet.process(channel.protect(CommandApdu(0, 0xA4, 2, 0x0C, b"\x01\x01")).encode())
    assert channel.unprotect(select[:-2], 0x9000)[1] == 0x9000
    write = applet.process(channel.protect(CommandApdu(0, 0xD6, 0, 0, b"X")).encode())
    assert channel.unprotect(write[:-2], 0x6986)[1] == 0x6986
    assert applet.file_content(0x0101) == lds_files.data_groups[1]


def test_a_forged_mac_ends_the_secure_session(lds_files, chip_data, pki):
    applet, _ = personalised(lds_files, chip_data, pki)
    applet.process(SELECT_APPLET)
    terminal = TerminalAuthentication(chip_data.bac_key())
    challenge = applet.process(bytes.fromhex("0084000008"))[:-2]
    from issuance.chip.apdu import CommandApdu
    from issuance.chip.secure_messaging import TerminalChannel

    answer = applet.process(
        CommandApdu(0, 0x82, 0, 0, terminal.external_authenticate_data(challenge), 40).encode()
    )
    channel = TerminalChannel(terminal.complete(answer[:-2]))
    forged = bytearray(channel.protect(CommandApdu(0, 0xB0, 0, 0, le=4)).encode())
    forged[-2] ^= 0x01  # last byte of the MAC
    assert applet.process(bytes(forged)) == b"\x69\x88"
    # The session is gone: even a correct next command is refused.
    retry = channel.protect(CommandApdu(0, 0xB0, 0, 0, le=4)).encode()
    assert applet.process(retry) == b"\x69\x82"


def test_a_card_whose_content_does_not_match_its_sod_is_caught(lds_files, chip_data, pki):
    groups = dict(lds_files.data_groups)
    groups[11] = groups[11].replace("Çela".encode(), b"Cela".ljust(5, b" "))
    tampered = LdsFiles(lds_files.com, groups, lds_files.sod)
    station = applet_station(PassportApplet())
    with pytest.raises(ChipReadBackFailed) as caught:
        station.personalise(tampered, chip_data.bac_key(), load_certificate(pki.csca_certificate))
    report = caught.value.report
    assert [c.name for c in report.checks if not c.passed] == ["DG11 hash"]
