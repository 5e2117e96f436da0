"""Document Signer keys: the signing interface, a file-backed signer and the demo PKI.

Production keys live in an HSM; anything that offers ``certificate`` and ``sign`` (for example
a PKCS#11 signer) can replace ``FileDocumentSigner``. The demo PKI uses ECDSA on P-256 with
SHA-256 for both the Country Signing CA and the Document Signer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from issuance.chip.errors import KeysAlreadyExist, SigningKeyUnavailable
from issuance.config import private_folder, write_private

COUNTRY = "AL"
CSCA_YEARS = 15
DS_YEARS = 10


class DocumentSigner(Protocol):
    """Signs Document Security Objects; ``sign`` returns a DER signature over SHA-256."""

    @property
    def certificate(self) -> asn1_x509.Certificate: ...

    def sign(self, data: bytes) -> bytes: ...


class FileDocumentSigner:
    """A Document Signer whose private key is a PEM file (ECDSA or RSA PKCS#1 v1.5)."""

    def __init__(self, key_path: Path, certificate_path: Path, password: bytes | None = None):
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), password)
            cert = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise SigningKeyUnavailable(type(exc).__name__) from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise SigningKeyUnavailable("only ECDSA and RSA keys are supported")
        if key.public_key().public_numbers() != cert.public_key().public_numbers():
            raise SigningKeyUnavailable("the key does not match the certificate")
        self._key = key
        self._certificate = asn1_x509.Certificate.load(
            cert.public_bytes(serialization.Encoding.DER)
        )

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self._certificate

    def sign(self, data: bytes) -> bytes:
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hashes.SHA256()))
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())


@dataclass(frozen=True)
class DemoPki:
    """Where the demo keys and certificates are (PEM files)."""

    folder: Path
    csca_key: Path
    csca_certificate: Path
    ds_key: Path
    ds_certificate: Path

    @classmethod
    def in_folder(cls, folder: Path) -> DemoPki:
        return cls(
            folder,
            folder / "csca.key.pem",
            folder / "csca.cert.pem",
            folder / "ds.key.pem",
            folder / "ds.cert.pem",
        )

    def paths(self) -> tuple[Path, ...]:
        return (self.csca_key, self.csca_certificate, self.ds_key, self.ds_certificate)

    def signer(self) -> FileDocumentSigner:
        return FileDocumentSigner(self.ds_key, self.ds_certificate)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Republic of Albania (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signature: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    years: int,
    ca: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_key_usage(signature=not ca, ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(path, pem)


def create_demo_pki(folder: Path) -> DemoPki:
    """Create a demo Country Signing CA (self-signed) and a Document Signer it issued."""
    pki = DemoPki.in_folder(folder)
    private_folder(folder)  # 0700, and every file in it 0600, whatever the umask
    csca_key = ec.generate_private_key(ec.SECP256R1())
    ds_key = ec.generate_private_key(ec.SECP256R1())
    csca_name = _name("CSCA Albania (demo)")
    csca = _certificate(csca_name, csca_key, csca_name, csca_key, CSCA_YEARS, ca=True)
    ds = _certificate(
        _name("Document Signer Albania (demo)"), ds_key, csca_name, csca_key, DS_YEARS, ca=False
    )
    _write_key(pki.csca_key, csca_key)
    _write_key(pki.ds_key, ds_key)
    write_private(pki.csca_certificate, csca.public_bytes(serialization.Encoding.PEM))
    write_private(pki.ds_certificate, ds.public_bytes(serialization.Encoding.PEM))
    return pki


def init_keys(folder: Path, overwrite: bool = False) -> DemoPki:
    """``issuance keys init``: create the demo PKI, refusing to replace existing keys."""
    pki = DemoPki.in_folder(folder)
    if not overwrite and any(p.exists() for p in pki.paths()):
        raise KeysAlreadyExist(str(folder))
    return create_demo_pki(folder)


def load_certificate(
    source: Path | str | bytes | asn1_x509.Certificate,
) -> asn1_x509.Certificate:
    """A certificate from a PEM/DER file (a path or its name), PEM/DER bytes, or an asn1crypto
    object."""
    if isinstance(source, asn1_x509.Certificate):
        return source
    raw = Path(source).read_bytes() if isinstance(source, Path | str) else source
    if raw.lstrip().startswith(b"-----BEGIN"):
        raw = x509.load_pem_x509_certificate(raw).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(raw)
