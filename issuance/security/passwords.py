"""Operator passwords: the policy, argon2id hashing, and TOTP second factors (each code
accepted once: ``totp_step`` names the step a code belongs to, the operator keeps the last).

argon2id costs what the library recommends (RFC 9106, low-memory: 3 passes over 64 MiB on 4
lanes, about 0.1 s a hash). ``ISSUANCE_ARGON2_PROFILE=test`` makes hashing nearly free for test
suites that create and log in hundreds of operators; it is read each time a hasher is made, so
a test can switch it, and must never be set on a desk: every hash made under it is weak.
Verifying always uses the parameters stored in the hash itself.
"""

from __future__ import annotations

import hmac
import os
import threading
from typing import TypedDict

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from issuance.errors import IssuanceError

MIN_LENGTH = 8
TOTP_ISSUER = "Issuance desk"
PROFILE_VARIABLE = "ISSUANCE_ARGON2_PROFILE"


class Argon2Cost(TypedDict, total=False):
    """The cost arguments of PasswordHasher that a profile sets (the rest keep their default)."""

    time_cost: int
    memory_cost: int
    parallelism: int


# Profile -> PasswordHasher arguments. "production" is the library's default (RFC 9106 low
# memory); "test" keeps argon2id, the hash and salt lengths, and drops the cost to nothing.
PROFILES: dict[str, Argon2Cost] = {
    "production": {},
    "test": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}

_dummy_lock = threading.Lock()
_dummy_hashes: dict[tuple, str] = {}


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


class UnknownArgon2Profile(IssuanceError):
    def __init__(self, value: str) -> None:
        names = ", ".join(PROFILES)
        super().__init__(
            f"Vlera «{value}» e {PROFILE_VARIABLE} nuk është e vlefshme: pritet {names}.",
            f"The value '{value}' of {PROFILE_VARIABLE} is not valid: expected {names}.",
        )


def hasher() -> PasswordHasher:
    """argon2id at the cost of the profile the environment names (production by default)."""
    profile = os.environ.get(PROFILE_VARIABLE, "").strip() or "production"
    if profile not in PROFILES:
        raise UnknownArgon2Profile(profile)
    return PasswordHasher(**PROFILES[profile])


def dummy_hash() -> str:
    """A hash of a password nobody has, at the current cost, made once per cost (the first
    unknown username pays for it, not every program start).

    Verifying an unknown user's password against it makes "unknown user" as slow as "wrong
    password", so the time of a refusal does not tell which usernames exist.
    """
    current = hasher()
    key = (current.time_cost, current.memory_cost, current.parallelism, current.hash_len,
           current.salt_len, current.type)  # fmt: skip
    with _dummy_lock:  # two first logins at once hash once
        if key not in _dummy_hashes:
            _dummy_hashes[key] = current.hash("Dummy-password-1")
        return _dummy_hashes[key]


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


def totp_step(secret: str, code: str, at_timestamp: float) -> int | None:
    """The time step (30-second window number) whose code ``code`` is, or None.

    One step of drift either way: a code typed as the window turns still counts. The caller
    stores the step it accepted and refuses any code of that step or an earlier one, so a
    code is accepted once (RFC 6238, section 5.2).
    """
    code = code.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(at_timestamp) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):
            return step
    return None


def verify_totp(secret: str, code: str, at_timestamp: float) -> bool:
    return totp_step(secret, code, at_timestamp) is not None
