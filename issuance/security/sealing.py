"""Encryption at rest for biometrics, signatures, scans and second-factor secrets (AES-256-GCM).

Each sealed value carries a version byte and its own random nonce; the associated data binds a
ciphertext to the row and purpose it was written for, so a blob copied to another applicant's row
does not open.
"""

from __future__ import annotations

import base64
import binascii
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from issuance.config import Settings
from issuance.errors import IssuanceError
from issuance.ports.private_files import private_folder

_VERSION = b"\x01"
_NONCE_BYTES = 12
# HKDF salt for keys derived from the installation key (fixed: the key itself is random).
_DERIVATION_SALT = b"issuance-desk/derived-keys"


class SealingKeyError(IssuanceError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Çelësi i enkriptimit nuk është i vlefshëm: {detail}",
            f"The encryption key is not valid: {detail}",
        )


class UnsealError(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Të dhënat e enkriptuara nuk mund të hapen "
            "(çelës i gabuar ose të dhëna të ndryshuara).",
            "Encrypted data cannot be opened (wrong key or tampered data).",
        )


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise SealingKeyError("32 bytes expected")
        self._aead = AESGCM(key)
        self._key = key

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key of its own for ``purpose`` (HKDF-SHA256 from the installation key).

        Other uses (the audit trail's MACs) never see the sealing key itself, and a derived key
        that leaks opens no biometric: HKDF is one-way and each purpose gets another key.
        """
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=_DERIVATION_SALT, info=purpose.encode()
        )
        return hkdf.derive(self._key)

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def open(self, sealed: bytes, context: str) -> bytes:
        if sealed[:1] != _VERSION:
            raise UnsealError()
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, context.encode())
        except InvalidTag as exc:
            raise UnsealError() from exc


def load_key(settings: Settings) -> bytes:
    """The configured key, or the installation's demo key file (created at first start)."""
    if settings.biometric_key:
        return _decode(settings.biometric_key)
    path = settings.key_file
    if not path.exists():
        _create_key_file(path)
    return _decode(path.read_text().strip())


def _decode(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealingKeyError("not base64") from exc
    if len(key) != 32:
        raise SealingKeyError("32 bytes expected")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new key beside ``path`` and hard-link it into place.

    Two desks starting at once: the name appears only once a file is complete and on disk, so
    no desk reads a half-written key, and ``link`` refuses an existing name like O_EXCL, so the
    first desk's key wins and the others read it.
    """
    private_folder(path.parent)  # the data folder: 0700
    key = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return
        # Losing the key loses every sealed biometric: the new name must survive a power cut.
        _fsync_directory(path.parent)
    finally:
        os.unlink(temporary)


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
