"""The Document Security Object's signature chain, and the demo keys (tests/chip/test_key_store.py:
the offline CSCA and the desk's key store)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from cryptography import x509

from issuance.chip import build_lds, load_certificate
from issuance.chip.errors import KeysAlreadyExist, SigningKeyUnavailable
from issuance.chip.signing import FileDocumentSigner
from issuance.chip.tlv import single
from issuance.chip.verification import passive_authentication
from issuance.security.keys import init_keys
from tests.support.keys import desk_keys


def failed(checks):
    return [c.name for c in checks if not c.passed]


def test_untouched_chip_passes_every_check(lds_files, pki):
    checks = passive_authentication(
        lds_files.data_groups, lds_files.sod, load_certificate(pki.csca_certificate)
    )
    assert failed(checks) == []
    names = {c.name for c in checks}
    assert {"DG1 hash", "DG2 hash", "DG11 hash", "SOD signature", "DS certificate"} <= names


@pytest.mark.parametrize("group", [1, 2, 11])
def test_one_changed_byte_in_a_data_group_fails_its_hash(lds_files, pki, group):
    groups = dict(lds_files.data_groups)
    changed = bytearray(groups[group])
    changed[-1] ^= 0x01
    groups[group] = bytes(changed)
    checks = passive_authentication(groups, lds_files.sod, load_certificate(pki.csca_certificate))
    assert failed(checks) == [f"DG{group} hash"]


def test_a_changed_signature_fails_the_sod_signature(lds_files, pki):
    sod = bytearray(lds_files.sod)
    sod[-5] ^= 0x01  # inside the ECDSA signature, the last field of the SignerInfo
    checks = passive_authentication(
        lds_files.data_groups, bytes(sod), load_certificate(pki.csca_certificate)
    )
    assert "SOD signature" in failed(checks)


def test_a_foreign_csca_does_not_vouch_for_our_document_signer(lds_files, tmp_path):
    other = desk_keys(tmp_path / "other")
    checks = passive_authentication(
        lds_files.data_groups, lds_files.sod, load_certificate(other.csca_certificate)
    )
    assert failed(checks) == ["DS certificate"]


def test_an_expired_document_signer_is_reported(lds_files, pki):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 11)
    checks = passive_authentication(
        lds_files.data_groups, lds_files.sod, load_certificate(pki.csca_certificate), later
    )
    assert "DS certificate validity" in failed(checks)


def test_openssl_verifies_the_sod_as_cms(lds_files, pki, tmp_path):
    (tmp_path / "sod.der").write_bytes(single(lds_files.sod, 0x77))
    result = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            str(tmp_path / "sod.der"),
            "-CAfile",
            str(pki.csca_certificate),
            "-purpose",
            "any",
            "-binary",
            "-out",
            str(tmp_path / "content.der"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "content.der").read_bytes()[:1] == b"\x30"


def test_demo_pki_certificates_have_the_right_roles(pki):
    csca = x509.load_pem_x509_certificate(pki.csca_certificate.read_bytes())
    ds = x509.load_pem_x509_certificate(pki.ds_certificate.read_bytes())
    assert csca.issuer == csca.subject
    csca.verify_directly_issued_by(csca)
    ds.verify_directly_issued_by(csca)
    country = x509.oid.NameOID.COUNTRY_NAME
    assert csca.subject.get_attributes_for_oid(country)[0].value == "AL"
    assert ds.subject.get_attributes_for_oid(country)[0].value == "AL"
    assert csca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not ds.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    csca_usage = csca.extensions.get_extension_for_class(x509.KeyUsage).value
    ds_usage = ds.extensions.get_extension_for_class(x509.KeyUsage).value
    assert csca_usage.key_cert_sign and csca_usage.crl_sign and not csca_usage.digital_signature
    assert ds_usage.digital_signature and not ds_usage.key_cert_sign
    assert oct(pki.ds_key.stat().st_mode & 0o777) == "0o600"


def test_init_keys_refuses_to_overwrite_unless_asked(tmp_path):
    first = init_keys(tmp_path / "k").desk
    before = first.ds_certificate.read_bytes()
    with pytest.raises(KeysAlreadyExist):
        init_keys(tmp_path / "k")
    assert first.ds_certificate.read_bytes() == before
    init_keys(tmp_path / "k", overwrite=True)
    assert first.ds_certificate.read_bytes() != before


def test_signer_refuses_a_key_that_does_not_match_its_certificate(tmp_path, pki):
    other = desk_keys(tmp_path / "other")
    with pytest.raises(SigningKeyUnavailable):
        FileDocumentSigner(other.ds_key, pki.ds_certificate)


def test_sod_signed_by_another_signer_verifies_only_under_its_own_csca(chip_data, tmp_path, pki):
    other = desk_keys(tmp_path / "other")
    files = build_lds(chip_data, other.signer())
    own = passive_authentication(
        files.data_groups, files.sod, load_certificate(other.csca_certificate)
    )
    assert failed(own) == []
    ours = passive_authentication(
        files.data_groups, files.sod, load_certificate(pki.csca_certificate)
    )
    assert failed(ours) == ["DS certificate"]
