"""The document-signing PKI: an offline Country Signing CA, the desks' Document Signers, and the
key store a desk signs chips with.

A Country Signing CA (CSCA) is kept offline: its private key never sits on a desk. ``issuance
keys init`` makes it in a folder meant to be moved to offline storage (by default
``<keys_dir>/../csca-offline``) and issues the desk's Document Signer (DS) certificate into the
desk's keys folder, which then holds exactly ``ds.key.pem``, ``ds.cert.pem`` and
``csca.cert.pem``. ``issuance keys issue-ds`` issues a DS for another desk (or a renewal) from
an existing offline CSCA folder.

The demo PKI uses ECDSA on P-256 with SHA-256 for both the CSCA and the DS. Every folder written
here is 0700 and every file 0600, whatever the umask (``issuance.config``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from issuance.chip.errors import KeysAlreadyExist, SigningKeyUnavailable
from issuance.chip.signing import DocumentSigner, FileDocumentSigner
from issuance.errors import IssuanceError
from issuance.ports.private_files import private_folder, write_private

COUNTRY = "AL"
CSCA_YEARS = 15
DS_YEARS = 10

CSCA_KEY = "csca.key.pem"
CSCA_CERTIFICATE = "csca.cert.pem"
DS_KEY = "ds.key.pem"
DS_CERTIFICATE = "ds.cert.pem"
# ``issuance keys init`` puts the CSCA next to the desk's keys folder unless told otherwise.
OFFLINE_CSCA_FOLDER = "csca-offline"

DS_COMMON_NAME = "Document Signer Albania (demo)"
CSCA_COMMON_NAME = "CSCA Albania (demo)"


# --- refusals ------------------------------------------------------------------------------


class SigningKeysMissing(IssuanceError):
    """The desk's keys folder lacks the DS key or one of the two certificates."""

    def __init__(self, folder: str, missing: tuple[str, ...] = ()) -> None:
        names = ", ".join(missing)
        which_sq = f" (mungojnë: {names})" if names else ""
        which_en = f" (missing: {names})" if names else ""
        super().__init__(
            f"Mungojnë çelësat e nënshkrimit të dokumenteve në {folder}{which_sq}. "
            "Administratori duhet të ekzekutojë «issuance keys init» (çelësa demo) ose "
            "«issuance keys issue-ds» nga CSCA jashtë linje, ose të vendosë çelësat e "
            "prodhimit; pa ta nuk mund të prodhohet asnjë kartë.",
            f"The document signing keys are missing in {folder}{which_en}. An administrator "
            "must run 'issuance keys init' (demo keys) or 'issuance keys issue-ds' from the "
            "offline CSCA, or install the production keys; no card can be produced without "
            "them.",
        )
        self.folder = folder
        self.missing = missing


class DocumentSignerNotIssuedByCsca(IssuanceError):
    """The DS certificate on the desk was not signed by the CSCA certificate next to it."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"Certifikata e nënshkruesit të dokumenteve në {folder} nuk është lëshuar nga "
            "certifikata CSCA pranë saj. Lëshoni një certifikatë të re me «issuance keys "
            "issue-ds» nga CSCA e duhur; asnjë kartë nuk prodhohet deri atëherë.",
            f"The document signer certificate in {folder} was not issued by the CSCA "
            "certificate next to it. Issue a new one with 'issuance keys issue-ds' from the "
            "right CSCA; no card is produced until then.",
        )
        self.folder = folder


class SigningCertificateNotValid(IssuanceError):
    """The DS or CSCA certificate is expired (or not valid yet)."""

    def __init__(self, which: str, not_before: dt.datetime, not_after: dt.datetime) -> None:
        who_sq = {"DS": "e nënshkruesit të dokumenteve", "CSCA": "CSCA"}.get(which, which)
        who_en = {"DS": "document signer", "CSCA": "CSCA"}.get(which, which)
        span_sq = f"{not_before:%d.%m.%Y} – {not_after:%d.%m.%Y}"
        span_en = f"{not_before:%Y-%m-%d} to {not_after:%Y-%m-%d}"
        super().__init__(
            f"Certifikata {who_sq} nuk është e vlefshme sot (e vlefshme {span_sq}). Lëshoni "
            "një certifikatë të re me «issuance keys issue-ds»; asnjë kartë nuk prodhohet "
            "deri atëherë.",
            f"The {who_en} certificate is not valid today (valid {span_en}). Issue a new one "
            "with 'issuance keys issue-ds'; no card is produced until then.",
        )
        self.which = which
        self.not_before = not_before
        self.not_after = not_after


class CscaNotFound(IssuanceError):
    """``issue-ds`` was pointed at a folder without the offline CSCA's key and certificate."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"Në {folder} nuk gjendet CSCA jashtë linje ({CSCA_KEY} dhe {CSCA_CERTIFICATE}). "
            "Jepni --csca-folder me dosjen ku «issuance keys init» e krijoi.",
            f"No offline CSCA ({CSCA_KEY} and {CSCA_CERTIFICATE}) is in {folder}. Give "
            "--csca-folder with the folder 'issuance keys init' made it in.",
        )
        self.folder = folder


class CscaFolderIsDeskFolder(IssuanceError):
    def __init__(self, folder: str) -> None:
        super().__init__(
            f"CSCA jashtë linje nuk ruhet në dosjen e çelësave të sportelit ({folder}); "
            "jepni një dosje tjetër me --csca-folder.",
            f"The offline CSCA is not kept in the desk's keys folder ({folder}); give another "
            "folder with --csca-folder.",
        )
        self.folder = folder


# --- where the files are -------------------------------------------------------------------


def default_csca_folder(keys_dir: Path) -> Path:
    """Where ``issuance keys init`` makes the offline CSCA unless told: next to the desk's keys
    folder, never inside it, so that folder can be moved away whole."""
    return keys_dir.parent / OFFLINE_CSCA_FOLDER


@dataclass(frozen=True)
class OfflineCsca:
    """The Country Signing CA's folder (PEM files); meant to stay off every desk."""

    folder: Path
    key: Path
    certificate: Path

    @classmethod
    def in_folder(cls, folder: Path) -> OfflineCsca:
        return cls(folder, folder / CSCA_KEY, folder / CSCA_CERTIFICATE)

    def paths(self) -> tuple[Path, ...]:
        return (self.key, self.certificate)


@dataclass(frozen=True)
class DeskKeys:
    """A desk's keys folder: the DS key and certificate and the CSCA certificate, no CSCA key."""

    folder: Path
    ds_key: Path
    ds_certificate: Path
    csca_certificate: Path

    @classmethod
    def in_folder(cls, folder: Path) -> DeskKeys:
        return cls(folder, folder / DS_KEY, folder / DS_CERTIFICATE, folder / CSCA_CERTIFICATE)

    def paths(self) -> tuple[Path, ...]:
        return (self.ds_key, self.ds_certificate, self.csca_certificate)

    def signer(self) -> DocumentSigner:
        """The DS of this folder, checked against its CSCA (``FileKeyStore``)."""
        return FileKeyStore.load(self.folder).signer


@dataclass(frozen=True)
class KeysMade:
    """What ``issuance keys init`` wrote: the offline CSCA and the desk's keys."""

    csca: OfflineCsca
    desk: DeskKeys


# --- the desk's key store ------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _read_certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyUnavailable(f"{path.name}: {type(exc).__name__}") from exc


def _require_valid(which: str, certificate: x509.Certificate, at: dt.datetime) -> None:
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if not start <= at <= end:
        raise SigningCertificateNotValid(which, start, end)


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    try:
        constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


class FileKeyStore:
    """The desk's Document Signer, loaded from its keys folder (``settings.keys_dir``).

    The folder holds ``ds.key.pem``, ``ds.cert.pem`` and ``csca.cert.pem``; the CSCA's private
    key is never needed (it stays offline). Loading refuses, before any blank is touched, when a
    file is missing, when the DS certificate was not issued by that CSCA (its signature is
    verified) or when either certificate is not valid at ``at`` (now, by default).

    Next step for production: a PKCS#11 signer (the DS key inside an HSM or smart card) behind
    the same ``DocumentSigner`` port (``certificate`` + ``sign``), loaded here in place of
    ``FileDocumentSigner``; the checks against the CSCA certificate stay as they are.
    """

    def __init__(
        self, folder: Path, signer: DocumentSigner, csca_certificate: asn1_x509.Certificate
    ) -> None:
        self.folder = folder
        self.signer = signer
        self.csca_certificate = csca_certificate

    @classmethod
    def load(
        cls, folder: Path, *, at: dt.datetime | None = None, password: bytes | None = None
    ) -> FileKeyStore:
        paths = DeskKeys.in_folder(folder)
        missing = tuple(p.name for p in paths.paths() if not p.is_file())
        if missing:
            raise SigningKeysMissing(str(folder), missing)
        csca = _read_certificate(paths.csca_certificate)
        ds = _read_certificate(paths.ds_certificate)
        if not _issued_by(ds, csca):
            raise DocumentSignerNotIssuedByCsca(str(folder))
        when = at or _now()
        _require_valid("DS", ds, when)
        _require_valid("CSCA", csca, when)
        signer = FileDocumentSigner(paths.ds_key, paths.ds_certificate, password)
        anchor = asn1_x509.Certificate.load(csca.public_bytes(serialization.Encoding.DER))
        return cls(folder, signer, anchor)


# --- making keys (``issuance keys init`` / ``issuance keys issue-ds``) -----------------------


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
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_key_usage(signature=not ca, ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _validity(years: int, now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    start = (now or _now()).replace(microsecond=0)
    return start - dt.timedelta(days=1), start + dt.timedelta(days=365 * years)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(path, pem)


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    write_private(path, certificate.public_bytes(serialization.Encoding.PEM))


def _refuse_existing(paths: tuple[Path, ...], folder: Path, overwrite: bool) -> None:
    # One file is enough to refuse: a half-written PKI is not silently completed.
    if not overwrite and any(p.exists() for p in paths):
        raise KeysAlreadyExist(str(folder))


def create_csca(
    folder: Path, *, overwrite: bool = False, now: dt.datetime | None = None
) -> OfflineCsca:
    """A new self-signed Country Signing CA in ``folder`` (its key and certificate)."""
    csca = OfflineCsca.in_folder(folder)
    _refuse_existing(csca.paths(), folder, overwrite)
    private_folder(folder)  # 0700, and every file in it 0600, whatever the umask
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(CSCA_COMMON_NAME)
    certificate = _certificate(name, key, name, key, *_validity(CSCA_YEARS, now), ca=True)
    _write_key(csca.key, key)
    _write_certificate(csca.certificate, certificate)
    return csca


def _load_csca(folder: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    csca = OfflineCsca.in_folder(folder)
    if not all(p.is_file() for p in csca.paths()):
        raise CscaNotFound(str(folder))
    try:
        key = serialization.load_pem_private_key(csca.key.read_bytes(), None)
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyUnavailable(f"{CSCA_KEY}: {type(exc).__name__}") from exc
    certificate = _read_certificate(csca.certificate)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != (
        certificate.public_key()
    ):
        raise SigningKeyUnavailable(f"{CSCA_KEY} does not match {CSCA_CERTIFICATE}")
    return key, certificate


def issue_document_signer(
    csca_folder: Path,
    desk_folder: Path,
    *,
    overwrite: bool = False,
    common_name: str = DS_COMMON_NAME,
    years: int = DS_YEARS,
    now: dt.datetime | None = None,
) -> DeskKeys:
    """A new DS key for a desk, its certificate signed by the offline CSCA in ``csca_folder``,
    and a copy of the CSCA certificate: the three files of ``desk_folder``. The CSCA's private
    key is read, never copied."""
    desk = DeskKeys.in_folder(desk_folder)
    _refuse_existing(desk.paths(), desk_folder, overwrite)
    csca_key, csca_certificate = _load_csca(csca_folder)
    private_folder(desk_folder)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _certificate(
        _name(common_name), key, csca_certificate.subject, csca_key, *_validity(years, now),
        ca=False,
    )  # fmt: skip
    _write_key(desk.ds_key, key)
    _write_certificate(desk.ds_certificate, certificate)
    _write_certificate(desk.csca_certificate, csca_certificate)
    return desk


def init_keys(
    keys_dir: Path, csca_folder: Path | None = None, *, overwrite: bool = False
) -> KeysMade:
    """``issuance keys init``: a new offline CSCA (in ``csca_folder``, by default
    ``default_csca_folder(keys_dir)``) and the desk's DS issued by it into ``keys_dir``.
    Refuses, before writing anything, when either folder already holds any of its files."""
    offline = csca_folder or default_csca_folder(keys_dir)
    if offline.resolve() == keys_dir.resolve():
        raise CscaFolderIsDeskFolder(str(keys_dir))
    _refuse_existing(OfflineCsca.in_folder(offline).paths(), offline, overwrite)
    _refuse_existing(DeskKeys.in_folder(keys_dir).paths(), keys_dir, overwrite)
    csca = create_csca(offline, overwrite=overwrite)
    desk = issue_document_signer(offline, keys_dir, overwrite=overwrite)
    return KeysMade(csca, desk)
