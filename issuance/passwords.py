"""Operator passwords: the policy, argon2id hashing, and TOTP second factors."""

from __future__ import annotations

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from issuance.errors import IssuanceError

MIN_LENGTH = 8
TOTP_ISSUER = "Issuance desk"


class WeakPassword(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Fjalëkalimi duhet të ketë të paktën 8 shenja, me shkronjë të madhe, "
            "shkronjë të vogël dhe shifër.",
            "The password needs at least 8 characters, with an upper-case letter, "
            "a lower-case letter and a digit.",
        )


def check_policy(password: str) -> None:
    if (
        len(password) < MIN_LENGTH
        or not any(ch.isupper() for ch in password)
        or not any(ch.islower() for ch in password)
        or not any(ch.isdigit() for ch in password)
    ):
        raise WeakPassword()


def hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    check_policy(password)
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def verify_totp(secret: str, code: str, at_timestamp: float) -> bool:
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        return False
    # One step of drift either way: a code typed as the 30-second window turns still counts.
    return pyotp.TOTP(secret).verify(code, for_time=at_timestamp, valid_window=1)
