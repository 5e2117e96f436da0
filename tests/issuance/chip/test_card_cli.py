"""``issuance keys init``, ``issuance keys issue-ds`` and ``issuance card verify``: the keys on
disk (the CSCA's private key never in the desk's folder), a card produced through the real
services into the virtual card in pcscd's reader, and the database on both backends. Each
command runs once as a real process; the other cases call it in this process (``here``,
tests/cli_in_process.py), the same code without a new interpreter's start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from devices.card_printer import open_card_printer
from devtools.backends import development_devices
from issuance.chip.read_back import verify_card
from issuance.chip.station import open_card_station
from issuance.domain.identity import parse_td1, td1
from issuance.security import passwords
from issuance.security.keys import DeskKeys, FileKeyStore, OfflineCsca, default_csca_folder
from issuance.services import cards
from tests.conftest import TEST_KEY
from tests.issuance.chip.conftest import READER
from tests.issuance.services.cards.conftest import BIRTH_DATE, PERMIT_END, approved
from tests.support.cli_in_process import run_in_process
from tests.support.world import build_world

DEVICES = development_devices()

SPEC = f"pcsc:{READER}"


def run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "issuance.cli.main", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip


def cli_env(data_dir: Path, database_url: str = "sqlite:///:memory:") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ISSUANCE_DATA_DIR=str(data_dir),
        ISSUANCE_DATABASE_URL=database_url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_LANGUAGE="en",
        ISSUANCE_CARD_READER=SPEC,
        PYTHONIOENCODING="utf-8",
    )
    return env


def assert_refused(result, fragment):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert fragment in result.stderr, result.stderr


@pytest.fixture
def here(monkeypatch, capsys):
    return lambda env, *args: run_in_process(monkeypatch, capsys, env, *args)


@pytest.fixture
def world(ctx, console, monkeypatch):
    # The operators' logins are not under test: cheap argon2id keeps building them fast.
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "test")
    return build_world(ctx, console)


@pytest.fixture
def desk(ctx, world, blank_card, tmp_path):
    """The CLI's environment, keys made by ``issuance keys init`` in the default folder, and a
    card produced with those keys lying in the reader."""
    env = cli_env(ctx.settings.data_dir, ctx.settings.database_url)
    made = run(env, "keys", "init")
    assert made.returncode == 0, made.stderr
    keys = DeskKeys.in_folder(ctx.settings.keys_dir)
    offline = OfflineCsca.in_folder(ctx.settings.data_dir / "csca-offline")
    assert made.stdout.splitlines() == [str(p) for p in (*offline.paths(), *keys.paths())]
    store = FileKeyStore.load(keys.folder)

    application_id, _ = approved(ctx, world)
    printer = open_card_printer(f"folder:{tmp_path / 'printed'}")
    try:
        produced = cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer,
            station=open_card_station(DEVICES, SPEC, card_timeout=5), signer=store.signer,
            csca=store.csca_certificate,
        )  # fmt: skip
    finally:
        printer.close()
    assert blank_card.applet.locked
    return env, keys, produced


def _names_and_modes(folder: Path) -> dict[str, str]:
    return {p.name: oct(p.stat().st_mode & 0o777) for p in folder.iterdir()}


def test_keys_init_keeps_the_csca_key_off_the_desk_and_never_overwrites_unasked(tmp_path, here):
    env = cli_env(tmp_path / "data")
    folder = tmp_path / "desk-keys"
    offline_folder = tmp_path / "usb" / "csca"
    made = run(env, "keys", "init", "--folder", str(folder), "--csca-folder", str(offline_folder))
    assert made.returncode == 0, made.stderr  # a real process
    desk, offline = DeskKeys.in_folder(folder), OfflineCsca.in_folder(offline_folder)
    assert made.stdout.splitlines() == [str(p) for p in (*offline.paths(), *desk.paths())]
    assert "move that folder to offline storage" in made.stderr
    # The desk holds its signer and the CSCA certificate, never the CSCA's private key.
    assert _names_and_modes(folder) == {
        "ds.key.pem": "0o600", "ds.cert.pem": "0o600", "csca.cert.pem": "0o600",
    }  # fmt: skip
    assert _names_and_modes(offline_folder) == {"csca.key.pem": "0o600", "csca.cert.pem": "0o600"}
    assert oct(folder.stat().st_mode & 0o777) == oct(offline_folder.stat().st_mode & 0o777)
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert desk.csca_certificate.read_bytes() == offline.certificate.read_bytes()
    csca = x509.load_pem_x509_certificate(desk.csca_certificate.read_bytes())
    ds = x509.load_pem_x509_certificate(desk.ds_certificate.read_bytes())
    ds.verify_directly_issued_by(csca)
    assert csca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    FileKeyStore.load(folder)  # the DS key matches its certificate, issued by that CSCA

    everything = (*offline.paths(), *desk.paths())
    before = {p: p.read_bytes() for p in everything}
    init = ("keys", "init", "--folder", str(folder), "--csca-folder", str(offline_folder))
    assert_refused(here(env, *init), "already exist")
    assert {p: p.read_bytes() for p in everything} == before

    # One file of the five is enough to refuse: a half-written PKI is not silently completed.
    desk.ds_key.unlink()
    assert_refused(here(env, *init), "already exist")
    assert not desk.ds_key.exists()

    replaced = here(env, *init, "--overwrite")
    assert replaced.returncode == 0, replaced.stderr
    assert desk.csca_certificate.read_bytes() != before[desk.csca_certificate]
    FileKeyStore.load(folder)


def test_keys_init_puts_the_csca_next_to_the_desk_keys_folder_by_default(tmp_path, here):
    env = cli_env(tmp_path / "data")
    made = here(env, "keys", "init")
    assert made.returncode == 0, made.stderr
    keys_dir = tmp_path / "data" / "keys"
    assert default_csca_folder(keys_dir) == tmp_path / "data" / "csca-offline"
    assert sorted(p.name for p in keys_dir.iterdir()) == [
        "csca.cert.pem", "ds.cert.pem", "ds.key.pem",
    ]  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "data" / "csca-offline").iterdir()) == [
        "csca.cert.pem", "csca.key.pem",
    ]  # fmt: skip
    # The offline CSCA may not be the desk's own keys folder.
    same = here(cli_env(tmp_path / "other"), "keys", "init", "--csca-folder",
                str(tmp_path / "other" / "keys"))  # fmt: skip
    assert_refused(same, "not kept in the desk's keys folder")


def test_keys_issue_ds_signs_another_desk_from_the_offline_csca(tmp_path, here):
    env = cli_env(tmp_path / "data")
    offline_folder = tmp_path / "csca"
    made = here(env, "keys", "init", "--csca-folder", str(offline_folder))
    assert made.returncode == 0, made.stderr
    second = tmp_path / "desk-2"
    issued = run(env, "keys", "issue-ds", "--csca-folder", str(offline_folder), "--out",
                 str(second), "--name", "Document Signer Durrës (demo)")  # fmt: skip
    assert issued.returncode == 0, issued.stderr  # a real process
    desk = DeskKeys.in_folder(second)
    assert issued.stdout.splitlines() == [str(p) for p in desk.paths()]
    assert _names_and_modes(second) == {
        "ds.key.pem": "0o600", "ds.cert.pem": "0o600", "csca.cert.pem": "0o600",
    }  # fmt: skip
    first, other = FileKeyStore.load(tmp_path / "data" / "keys"), FileKeyStore.load(second)
    assert other.csca_certificate.dump() == first.csca_certificate.dump()
    assert other.signer.certificate.dump() != first.signer.certificate.dump()
    ds = x509.load_pem_x509_certificate(desk.ds_certificate.read_bytes())
    assert "Durrës" in ds.subject.rfc4514_string()

    # Refusals: keys already there (unless --overwrite), and no CSCA in the folder given.
    again = ("keys", "issue-ds", "--csca-folder", str(offline_folder), "--out", str(second))
    assert_refused(here(env, *again), "already exist")
    assert here(env, *again, "--overwrite").returncode == 0
    assert FileKeyStore.load(second).signer.certificate.dump() != other.signer.certificate.dump()
    assert_refused(
        here(env, "keys", "issue-ds", "--csca-folder", str(tmp_path / "nothing"), "--out",
             str(tmp_path / "desk-3")),
        "No offline CSCA",
    )  # fmt: skip
    assert not (tmp_path / "desk-3").exists()
    # Without --out: this desk's keys folder (a renewal of its own signer).
    renewed = here(env, "keys", "issue-ds", "--csca-folder", str(offline_folder), "--overwrite")
    assert renewed.returncode == 0, renewed.stderr
    assert FileKeyStore.load(tmp_path / "data" / "keys").signer.certificate.dump() != (
        first.signer.certificate.dump()
    )


def test_keys_init_into_an_impossible_folder_is_one_line(tmp_path, here):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = here(cli_env(tmp_path / "data"), "keys", "init", "--folder", str(blocker / "keys"))
    assert_refused(result, "failed unexpectedly")


def test_card_verify_checks_a_produced_card_from_every_form_of_mrz_data(desk, pki, tmp_path, here):
    env, keys, produced = desk
    number, lines = produced.document_number, produced.mrz_lines
    expected = verify_card(DEVICES, SPEC, number, BIRTH_DATE, PERMIT_END, keys.csca_certificate)
    assert expected.passed and "[PASS] DS certificate" in str(expected)

    def assert_valid(result, source):
        assert result.returncode == 0, (result.stdout, result.stderr)
        out = result.stdout.splitlines()
        assert out[0] == (
            f"Access data ({source}): document {number}, born 1990-01-01, expires 2028-01-01"
        )
        # Everything the chip holds and every check, exactly as the station's reading has it.
        assert out[1:] == str(expected).splitlines()
        assert "[FAIL]" not in result.stdout and out[-1].startswith("Result: VALID")
        assert "Çela<<Ëndrit<Besnik" in result.stdout and lines[0] in result.stdout

    # The document number alone: the dates come from the database, the CSCA from keys init
    # (a real process: the reader, the database and the keys as an operator's command has them).
    assert_valid(run(env, "card", "verify", "--document-number", number), "database, card produced")
    assert_valid(here(env, "card", "verify", "--document-number", number.lower()),
                 "database, card produced")  # fmt: skip
    assert_valid(here(env, "card", "verify", "--mrz", *lines), "MRZ")
    assert_valid(
        here(env, "card", "verify", "--mrz", "\n".join(lines), "--csca", str(keys.csca_certificate),
             "--reader", SPEC),
        "MRZ",
    )  # fmt: skip
    assert_valid(
        here(env, "card", "verify", "--document-number", number, "--birth-date", "1990-01-01",
             "--expiry-date", "2028-01-01"),
        "given",
    )  # fmt: skip

    # Another Country Signing CA: the chip opens and reads, but the DS certificate is not its.
    foreign = here(env, "card", "verify", "--mrz", *lines, "--csca", str(pki.csca_certificate))
    assert foreign.returncode == 1, (foreign.stdout, foreign.stderr)
    assert "[FAIL] DS certificate: not issued by the trusted Country Signing CA" in foreign.stdout
    assert "[PASS] DG1 hash: matches the SOD" in foreign.stdout
    assert foreign.stdout.splitlines()[-1].startswith("Result: INVALID")
    assert foreign.stderr == ""

    # A DER copy of the right CSCA is as good as the PEM file.
    der = tmp_path / "csca.der"
    pem = x509.load_pem_x509_certificate(keys.csca_certificate.read_bytes())
    der.write_bytes(pem.public_bytes(Encoding.DER))
    assert here(env, "card", "verify", "--mrz", *lines, "--csca", str(der)).returncode == 0

    # Data that does not open the chip, and a number the database never issued.
    assert_refused(
        here(env, "card", "verify", "--document-number", number, "--birth-date", "1990-01-02",
            "--expiry-date", "2028-01-01"),
        "refused the access key (BAC)",
    )  # fmt: skip
    other = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert_refused(here(env, "card", "verify", "--document-number", other),
                   f"No card with document number {other}")  # fmt: skip


def test_card_verify_refusals_are_one_line_before_any_card_is_read(tmp_path, pki, here):
    # No pcscd, no card, no database: each of these is refused before a reader is opened.
    env = cli_env(tmp_path / "data")
    good = td1(
        document_number="AB1234567", birth_date=date(1998, 3, 22), sex="M",
        expiry_date=date(2028, 12, 31), nationality="ALB", surname="CELA", given_names="ENDRIT",
    )  # fmt: skip
    parse_td1(good)
    wrong = str((int(good[1][6]) + 1) % 10)
    bad_digit = (good[0], good[1][:6] + wrong + good[1][7:], good[2])
    verify = ("card", "verify", "--csca", str(pki.csca_certificate))
    assert_refused(run(env, *verify, "--mrz", *bad_digit), "check digit")  # a real process
    assert_refused(here(env, *verify, "--mrz", "\n".join(bad_digit)), "check digit")
    assert_refused(here(env, *verify, "--mrz", *good[:2]), "3 lines, not 2")
    assert_refused(here(env, *verify, "--mrz", *good, "--document-number", "AB1234567"),
                   "not given together")  # fmt: skip
    assert_refused(here(env, *verify), "The MRZ data is missing")
    assert_refused(here(env, *verify, "--document-number", "AB1234567", "--birth-date",
                        "1998-03-22"), "both dates or neither")  # fmt: skip
    assert_refused(here(env, *verify, "--document-number", "AB1234567", "--birth-date",
                        "1998-13-22", "--expiry-date", "2028-12-31"),
                   "--birth-date '1998-13-22' is not a valid date")  # fmt: skip

    # The CSCA: none made yet in the default folder, a missing file, a file that is no certificate.
    assert_refused(here(env, "card", "verify", "--mrz", *good),
                   f"{tmp_path / 'data' / 'keys' / 'csca.cert.pem'} cannot be read")  # fmt: skip
    assert_refused(here(env, "card", "verify", "--mrz", *good, "--csca", str(tmp_path / "none")),
                   "No such file")  # fmt: skip
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    assert_refused(here(env, "card", "verify", "--mrz", *good, "--csca", str(junk)),
                   "not a certificate")  # fmt: skip
    garbage = tmp_path / "garbage.der"
    garbage.write_bytes(b"\x30\x03\x02\x01")
    assert_refused(here(env, "card", "verify", "--mrz", *good, "--csca", str(garbage)),
                   "not a certificate")  # fmt: skip
