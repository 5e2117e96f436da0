"""Document Signer keys: the signing interface and a file-backed signer.

Production keys live in an HSM; anything that offers ``certificate`` and ``sign`` (for example
a PKCS#11 signer) can replace ``FileDocumentSigner``. Where the desk's keys are, how they are
made (an offline Country Signing CA issuing each desk's Document Signer) and how they are
checked before use is ``issuance.security.keys``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from issuance.chip.errors import SigningKeyUnavailable


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
        public = cert.public_key()
        if not isinstance(public, ec.EllipticCurvePublicKey | rsa.RSAPublicKey) or (
            key.public_key().public_numbers() != public.public_numbers()
        ):
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
