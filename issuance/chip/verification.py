"""Passive authentication: data groups against the SOD, the SOD against its Document Signer,
the Document Signer against the Country Signing CA (ICAO 9303 part 11, 5.1)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from issuance.chip.errors import ChipContentMalformed
from issuance.chip.security_object import SecurityObject, parse_sod

_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


@dataclass(frozen=True)
class Check:
    """One verification step and its outcome, worded for an operator."""

    name: str
    passed: bool
    detail: str = ""


def _to_cryptography(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return _load_der(certificate.dump())


@functools.lru_cache(maxsize=16)
def _load_der(der: bytes) -> x509.Certificate:
    # Certificates are immutable: the CSCA and a desk's DS certificate load once per process.
    return x509.load_der_x509_certificate(der)


def check_data_groups(data_groups: dict[int, bytes], sod: SecurityObject) -> list[Check]:
    hasher = _HASHES.get(sod.hash_algorithm)
    if hasher is None:
        return [Check("data group hashes", False, f"unsupported hash {sod.hash_algorithm}")]
    checks = []
    for number in sorted(set(data_groups) | set(sod.hashes)):
        name = f"DG{number} hash"
        if number not in sod.hashes:
            checks.append(Check(name, False, "present on the chip but not in the SOD"))
        elif number not in data_groups:
            checks.append(Check(name, False, "listed in the SOD but not read from the chip"))
        else:
            same = hmac.compare_digest(hasher(data_groups[number]).digest(), sod.hashes[number])
            checks.append(Check(name, same, "matches the SOD" if same else "differs from the SOD"))
    return checks


def _verify(public_key: object, signature: bytes, data: bytes, algorithm: str) -> None:
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public_key, rsa.RSAPublicKey):
        scheme = padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.AUTO)
        pad = scheme if algorithm == "rsassa_pss" else padding.PKCS1v15()
        public_key.verify(signature, data, pad, hashes.SHA256())
    else:
        raise InvalidSignature("unsupported key type")


def check_sod_signature(sod: SecurityObject, ds: x509.Certificate | None = None) -> Check:
    name = "SOD signature"
    if not hmac.compare_digest(
        hashlib.sha256(sod.encapsulated_content).digest(), sod.message_digest
    ):
        return Check(name, False, "the signed digest does not match the security object")
    ds = ds or _to_cryptography(sod.ds_certificate)
    try:
        _verify(ds.public_key(), sod.signature, sod.signed_attributes, sod.signature_algorithm)
    except InvalidSignature:
        return Check(name, False, "the signature does not verify with the DS certificate")
    return Check(name, True, "verifies with the Document Signer certificate")


@functools.lru_cache(maxsize=16)
def _issued_by(ds_der: bytes, csca_der: bytes) -> bool:
    # A pure function of the two certificates: a desk's DS and CSCA are checked once.
    try:
        _load_der(ds_der).verify_directly_issued_by(_load_der(csca_der))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _valid_at(certificate: x509.Certificate, at: dt.datetime) -> bool:
    return certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc


def check_document_signer(
    sod: SecurityObject,
    csca: asn1_x509.Certificate,
    at: dt.datetime | None = None,
    ds: x509.Certificate | None = None,
) -> list[Check]:
    at = at or dt.datetime.now(dt.UTC)
    ds = ds or _to_cryptography(sod.ds_certificate)
    anchor = _to_cryptography(csca)
    if _issued_by(sod.ds_certificate.dump(), csca.dump()):
        issued = Check("DS certificate", True, "issued by the Country Signing CA")
    else:
        issued = Check("DS certificate", False, "not issued by the trusted Country Signing CA")
    usage = ds.extensions.get_extension_for_class(x509.KeyUsage).value
    return [
        issued,
        Check(
            "DS certificate validity",
            _valid_at(ds, at),
            "within its validity period" if _valid_at(ds, at) else "outside its validity period",
        ),
        Check("DS key usage", usage.digital_signature, "digital signature"),
        Check(
            "CSCA certificate validity",
            _valid_at(anchor, at),
            "within its validity period"
            if _valid_at(anchor, at)
            else "outside its validity period",
        ),
    ]


def passive_authentication(
    data_groups: dict[int, bytes],
    sod_file: bytes | SecurityObject,
    csca: asn1_x509.Certificate,
    at: dt.datetime | None = None,
) -> list[Check]:
    """Every check of the chip's content; all must pass for a good card.

    ``sod_file`` is EF.SOD as read, or a ``SecurityObject`` the caller already parsed: either
    way it is parsed once per verification, and its DS certificate loaded once.
    """
    if isinstance(sod_file, SecurityObject):
        sod = sod_file
    else:
        try:
            sod = parse_sod(sod_file)
        except ChipContentMalformed as exc:
            return [Check("SOD structure", False, exc.detail)]
    checks = [Check("SOD structure", True, f"{len(sod.hashes)} data group hashes")]
    checks += check_data_groups(data_groups, sod)
    try:
        ds = _to_cryptography(sod.ds_certificate)
    except ValueError:
        return [*checks, Check("SOD signature", False, "the DS certificate cannot be read")]
    checks.append(check_sod_signature(sod, ds))
    try:
        checks += check_document_signer(sod, csca, at, ds)
    except x509.ExtensionNotFound:
        checks.append(Check("DS key usage", False, "the DS certificate has no key usage"))
    return checks
