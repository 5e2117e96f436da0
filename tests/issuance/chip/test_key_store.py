"""The desk's key store (``FileKeyStore``): the Document Signer and the CSCA certificate from the
desk's keys folder, checked before use; the offline CSCA that issues each desk's signer."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from issuance.chip import build_lds, load_certificate
from issuance.chip.errors import KeysAlreadyExist, SigningKeyUnavailable
from issuance.chip.verification import passive_authentication
from issuance.security.keys import (
    CscaFolderIsDeskFolder,
    CscaNotFound,
    DeskKeys,
    DocumentSignerNotIssuedByCsca,
    FileKeyStore,
    SigningCertificateNotValid,
    SigningKeysMissing,
    init_keys,
    issue_document_signer,
)
from tests.support.keys import make_keys, offline_csca_of


def _modes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}


def _refused_in_both_languages(error: Exception) -> None:
    sq, en = error.message("sq"), error.message("en")  # type: ignore[attr-defined]
    assert sq and en and sq != en


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_init_keys_leaves_no_csca_private_key_in_the_desk_folder(tmp_path, umask):
    previous = os.umask(umask)
    try:
        made = init_keys(tmp_path / "data" / "keys")
    finally:
        os.umask(previous)
    assert made.desk.folder == tmp_path / "data" / "keys"
    assert made.csca.folder == tmp_path / "data" / "csca-offline"
    assert _modes(made.desk.folder) == {
        "ds.key.pem": 0o600, "ds.cert.pem": 0o600, "csca.cert.pem": 0o600,
    }  # fmt: skip
    assert _modes(made.csca.folder) == {"csca.key.pem": 0o600, "csca.cert.pem": 0o600}
    for folder in (made.desk.folder, made.csca.folder):
        assert folder.stat().st_mode & 0o777 == 0o700


def test_the_key_store_loads_and_signs_without_the_csca_key(tmp_path, chip_data):
    made = make_keys(tmp_path / "desk")
    # The CSCA goes offline: the desk works without it.
    shutil.move(made.csca.folder, tmp_path / "safe")
    store = FileKeyStore.load(made.desk.folder)
    assert store.folder == made.desk.folder
    assert store.csca_certificate.dump() == load_certificate(made.desk.csca_certificate).dump()
    data = b"a document security object"
    signature = store.signer.sign(data)
    ds = x509.load_der_x509_certificate(store.signer.certificate.dump())
    public = ds.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    # And the chip's SOD signed by it passes passive authentication under the CSCA certificate.
    files = build_lds(chip_data, store.signer)
    checks = passive_authentication(files.data_groups, files.sod, store.csca_certificate)
    assert [c.name for c in checks if not c.passed] == []
    assert "DS certificate" in {c.name for c in checks}


@pytest.mark.parametrize("missing", ["ds.key.pem", "ds.cert.pem", "csca.cert.pem"])
def test_a_missing_file_is_named(tmp_path, missing):
    desk = make_keys(tmp_path / "desk").desk
    (desk.folder / missing).unlink()
    with pytest.raises(SigningKeysMissing) as caught:
        FileKeyStore.load(desk.folder)
    assert caught.value.missing == (missing,)
    assert missing in caught.value.message("en") and missing in caught.value.message("sq")
    assert "issuance keys init" in caught.value.message("en")
    _refused_in_both_languages(caught.value)


def test_an_empty_or_absent_folder_is_missing_keys(tmp_path):
    with pytest.raises(SigningKeysMissing) as caught:
        FileKeyStore.load(tmp_path / "nowhere")
    assert set(caught.value.missing) == {"ds.key.pem", "ds.cert.pem", "csca.cert.pem"}
    assert "signing keys are missing" in caught.value.message("en")


def test_a_document_signer_of_another_csca_is_refused(tmp_path):
    ours = make_keys(tmp_path / "ours").desk
    theirs = make_keys(tmp_path / "theirs").desk
    # Their DS (key and certificate) next to our CSCA certificate.
    shutil.copy(theirs.ds_key, ours.ds_key)
    shutil.copy(theirs.ds_certificate, ours.ds_certificate)
    with pytest.raises(DocumentSignerNotIssuedByCsca) as caught:
        FileKeyStore.load(ours.folder)
    assert "was not issued by the CSCA" in caught.value.message("en")
    _refused_in_both_languages(caught.value)


def test_a_forged_certificate_with_our_csca_name_is_refused(tmp_path):
    """Same issuer name, wrong signature: the signature is verified, not just the names."""
    ours = make_keys(tmp_path / "ours").desk
    forger = make_keys(tmp_path / "forger")
    # The forger's CSCA has the same subject as ours (both demo CSCAs): its DS looks ours by name.
    shutil.copy(forger.desk.ds_key, ours.ds_key)
    shutil.copy(forger.desk.ds_certificate, ours.ds_certificate)
    ds = x509.load_pem_x509_certificate(ours.ds_certificate.read_bytes())
    csca = x509.load_pem_x509_certificate(ours.csca_certificate.read_bytes())
    assert ds.issuer == csca.subject
    with pytest.raises(DocumentSignerNotIssuedByCsca):
        FileKeyStore.load(ours.folder)


def test_an_expired_document_signer_is_refused(tmp_path):
    made = make_keys(tmp_path / "desk")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=3 * 365)
    issue_document_signer(made.csca.folder, made.desk.folder, overwrite=True, years=1,
                          now=long_ago)  # fmt: skip
    with pytest.raises(SigningCertificateNotValid) as caught:
        FileKeyStore.load(made.desk.folder)
    assert caught.value.which == "DS"
    assert caught.value.not_after < dt.datetime.now(dt.UTC)
    assert "document signer certificate is not valid today" in caught.value.message("en")
    _refused_in_both_languages(caught.value)
    # A new DS from the same offline CSCA puts the desk back to work.
    issue_document_signer(made.csca.folder, made.desk.folder, overwrite=True)
    FileKeyStore.load(made.desk.folder)


def test_validity_is_checked_at_the_time_asked(tmp_path):
    desk = make_keys(tmp_path / "desk").desk
    FileKeyStore.load(desk.folder)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=11 * 365)
    with pytest.raises(SigningCertificateNotValid) as caught:
        FileKeyStore.load(desk.folder, at=later)
    assert caught.value.which == "DS"
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    with pytest.raises(SigningCertificateNotValid):
        FileKeyStore.load(desk.folder, at=before)


def test_a_ds_key_that_does_not_match_its_certificate_is_refused(tmp_path):
    made = make_keys(tmp_path / "desk")
    other = tmp_path / "other"
    issue_document_signer(made.csca.folder, other)  # same CSCA, another key
    shutil.copy(other / "ds.key.pem", made.desk.ds_key)
    with pytest.raises(SigningKeyUnavailable):
        FileKeyStore.load(made.desk.folder)


def test_a_damaged_certificate_is_refused_in_words(tmp_path):
    desk = make_keys(tmp_path / "desk").desk
    desk.csca_certificate.write_bytes(
        b"-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"
    )
    with pytest.raises(SigningKeyUnavailable) as caught:
        FileKeyStore.load(desk.folder)
    assert "csca.cert.pem" in caught.value.message("en")


def test_issue_ds_for_another_desk_from_the_offline_csca(tmp_path):
    made = make_keys(tmp_path / "desk-1")
    second = issue_document_signer(made.csca.folder, tmp_path / "desk-2",
                                   common_name="Document Signer Durrës (demo)")  # fmt: skip
    assert isinstance(second, DeskKeys)
    assert sorted(p.name for p in second.folder.iterdir()) == [
        "csca.cert.pem", "ds.cert.pem", "ds.key.pem",
    ]  # fmt: skip
    one, two = FileKeyStore.load(made.desk.folder), FileKeyStore.load(second.folder)
    assert one.csca_certificate.dump() == two.csca_certificate.dump()
    assert one.signer.certificate.dump() != two.signer.certificate.dump()
    with pytest.raises(KeysAlreadyExist):
        issue_document_signer(made.csca.folder, second.folder)
    with pytest.raises(CscaNotFound) as caught:
        issue_document_signer(made.desk.folder, tmp_path / "desk-3")  # a desk holds no CSCA key
    _refused_in_both_languages(caught.value)
    assert not (tmp_path / "desk-3").exists()


def test_init_keys_refuses_either_folder_already_used(tmp_path):
    folder = tmp_path / "desk"
    make_keys(folder)
    with pytest.raises(KeysAlreadyExist):
        init_keys(tmp_path / "fresh-desk", offline_csca_of(folder))  # that CSCA exists
    assert not (tmp_path / "fresh-desk").exists()
    with pytest.raises(KeysAlreadyExist):
        init_keys(folder, tmp_path / "fresh-csca")  # that desk has keys
    assert not (tmp_path / "fresh-csca").exists()
    with pytest.raises(CscaFolderIsDeskFolder) as caught:
        init_keys(tmp_path / "same", tmp_path / "same")
    _refused_in_both_languages(caught.value)


def test_issue_ds_refuses_a_csca_key_that_does_not_match_its_certificate(tmp_path):
    ours, theirs = make_keys(tmp_path / "ours"), make_keys(tmp_path / "theirs")
    shutil.copy(theirs.csca.key, ours.csca.key)
    with pytest.raises(SigningKeyUnavailable) as caught:
        issue_document_signer(ours.csca.folder, tmp_path / "desk-2")
    assert "does not match" in caught.value.message("en")
    assert not (tmp_path / "desk-2").exists()
