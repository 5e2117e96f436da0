"""Work done once per session or per verification, not once per APDU or per check."""

from __future__ import annotations

import os

import pytest

import issuance.chip.bac as bac
import issuance.chip.verification as verification
from devtools.virtual_card import PassportApplet
from devtools.virtual_card.simulated import EXTENDED_LENGTH_ATR, SHORT_APDU_ATR, applet_station
from issuance.chip import load_certificate
from issuance.chip.apdu import CommandApdu, declares_extended_length
from issuance.chip.bac import RetailMac, TripleDesCbc, retail_mac, session_keys, tdes_encrypt
from issuance.chip.secure_messaging import ChipChannel, TerminalChannel


@pytest.fixture
def cipher_count(monkeypatch) -> list[int]:
    built = [0]
    original = bac.Cipher

    def counting(*args, **kwargs):
        built[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(bac, "Cipher", counting)
    return built


def _exchange(terminal: TerminalChannel, chip: ChipChannel, apdu: CommandApdu) -> bytes:
    command = chip.unprotect(terminal.protect(apdu))
    answer = bytes(range(command.le or 0)) if command.ins == 0xB0 else b""
    data, sw = terminal.unprotect(chip.protect(answer, 0x9000), 0x9000)
    assert sw == 0x9000
    return data


def test_a_secure_messaging_session_builds_its_cipher_objects_once(cipher_count):
    keys = session_keys(os.urandom(16), os.urandom(16), os.urandom(8), os.urandom(8))
    terminal, chip = TerminalChannel(keys), ChipChannel(keys)
    _exchange(terminal, chip, CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x1e"))
    _exchange(terminal, chip, CommandApdu(0x00, 0xB0, 0x00, 0x00, le=0xDF))
    per_session = cipher_count[0]
    assert per_session <= 2 * 6  # each end: 3DES-CBC (+ ECB to rewind), MAC chain (+ ECB), kb, ka
    for offset in range(0, 40 * 0xDF, 0xDF):
        apdu = CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=0xDF)
        assert _exchange(terminal, chip, apdu) == bytes(range(0xDF))
    assert cipher_count[0] == per_session  # 80 more protected APDUs, no new cipher object


def test_reused_contexts_give_the_same_bytes_as_fresh_ones():
    key = os.urandom(16)
    cbc, mac = TripleDesCbc(key), RetailMac(key)
    for size in (8, 0, 16, 0, 0, 8, 2000, 0, 24, 8):
        data = os.urandom(size)
        encrypted = cbc.encrypt(data)
        assert encrypted == (tdes_encrypt(key, data) if data else b"")
        assert cbc.decrypt(encrypted) == data
        assert mac.mac(data) == retail_mac(key, data)


def test_the_sod_is_parsed_once_per_verification(monkeypatch, lds_files, chip_data, pki):
    parsed, loaded = [0], [0]
    parse, to_cryptography = verification.parse_sod, verification._to_cryptography

    def counting_parse(sod):
        parsed[0] += 1
        return parse(sod)

    def counting_load(certificate):
        loaded[0] += 1
        return to_cryptography(certificate)

    monkeypatch.setattr(verification, "parse_sod", counting_parse)
    monkeypatch.setattr(verification, "_to_cryptography", counting_load)
    station = applet_station(PassportApplet())
    report = station.personalise(
        lds_files, chip_data.bac_key(), load_certificate(pki.csca_certificate)
    )
    assert report.passed
    assert parsed[0] == 1
    assert loaded[0] == 2  # the DS certificate once, the CSCA once

    parsed[0] = loaded[0] = 0
    sod = parse(lds_files.sod)
    checks = verification.passive_authentication(
        lds_files.data_groups, sod, load_certificate(pki.csca_certificate)
    )
    assert all(c.passed for c in checks)
    assert parsed[0] == 0  # handed over parsed: not parsed again


def test_extended_length_only_when_the_atr_declares_it():
    assert declares_extended_length(EXTENDED_LENGTH_ATR)
    assert not declares_extended_length(SHORT_APDU_ATR)
    assert not declares_extended_length(b"")
    # Card capabilities without the extended Lc/Le bit; and a category 00 ATR with it.
    assert not declares_extended_length(bytes.fromhex("3B858001807300000037"))
    assert declares_extended_length(bytes.fromhex("3B888001007300C0409000" + "00" + "00"))
