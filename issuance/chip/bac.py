"""Basic Access Control (ICAO 9303 part 11, section 4.3 and appendix D).

Both sides of the protocol live here — the terminal (the card station) and the chip (the
project's virtual card) — so the card cannot drift from what the reader expects.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, modes

from issuance.chip.errors import BacAuthenticationFailed

_CHECK_VALUES = {str(d): d for d in range(10)} | {"<": 0}
_CHECK_VALUES |= {chr(ord("A") + i): 10 + i for i in range(26)}
ZERO_IV = bytes(8)
ENC_COUNTER = 1
MAC_COUNTER = 2


def check_digit(field: str) -> str:
    """ICAO 9303 part 3 check digit: weights 7-3-1, '<' = 0, A = 10 ... Z = 35."""
    weights = (7, 3, 1)
    total = sum(_CHECK_VALUES[c] * weights[i % 3] for i, c in enumerate(field))
    return str(total % 10)


def mrz_date(value: date | str) -> str:
    """A date in MRZ form (YYMMDD); MRZ strings pass through so unknown days stay '<<'."""
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    if len(value) != 6:
        raise ValueError("an MRZ date has six characters YYMMDD")
    return value


@dataclass(frozen=True)
class BacKey:
    """The MRZ information the BAC keys come from (document number without check digit)."""

    document_number: str
    birth_date: str
    expiry_date: str

    @classmethod
    def of(cls, document_number: str, birth_date: date | str, expiry_date: date | str) -> BacKey:
        number = document_number.upper()
        # The MRZ pads document numbers shorter than nine characters with fillers.
        number = number.ljust(9, "<")
        return cls(number, mrz_date(birth_date), mrz_date(expiry_date))

    def mrz_information(self) -> str:
        n, b, e = self.document_number, self.birth_date, self.expiry_date
        return n + check_digit(n) + b + check_digit(b) + e + check_digit(e)

    def key_seed(self) -> bytes:
        return hashlib.sha1(self.mrz_information().encode("ascii")).digest()[:16]


def adjust_parity(key: bytes) -> bytes:
    """DES keys carry odd parity in the low bit of each byte."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | (bin(high).count("1") + 1) % 2)
    return bytes(out)


def derive_key(seed: bytes, counter: int) -> bytes:
    """Two-key 3DES key (16 bytes) from a seed and counter (1 = encryption, 2 = MAC)."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return adjust_parity(digest[:16])


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to a multiple of 8."""
    data = data + b"\x80"
    return data + bytes(-len(data) % 8)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise ValueError("padding method 2 expected")
    return end[:-1]


def _des(key: bytes) -> TripleDES:
    # Spell out the three DES keys: short key forms are deprecated in `cryptography`.
    if len(key) == 8:
        return TripleDES(key * 3)
    return TripleDES(key + key[:8])


def tdes_encrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    encryptor = Cipher(_des(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tdes_decrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    decryptor = Cipher(_des(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES, padding method 2 (8-byte MAC)."""
    return RetailMac(key).mac(data)


class RetailMac:
    """Retail MAC under one key: its DES key schedules and cipher contexts built once.

    The final two DES steps run on long-lived ECB contexts (ECB carries no state between
    calls); the CBC chain over the data runs on a ``ZeroIvCbc``.
    """

    def __init__(self, key: bytes) -> None:
        ka, kb = key[:8], key[8:16]
        self._chain = ZeroIvCbc(_des(ka))
        self._kb = Cipher(_des(kb), modes.ECB()).decryptor()
        self._ka = Cipher(_des(ka), modes.ECB()).encryptor()

    def mac(self, data: bytes) -> bytes:
        chained = self._chain.encrypt(pad(data))[-8:]
        return self._ka.update(self._kb.update(chained))


def _xor8(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(8, "big")


class ZeroIvCbc:
    """CBC with a zero IV for message after message, on one encryptor and one decryptor
    context for the whole session (built once, on first use) instead of one per message.

    Between messages each context's chaining value is brought back to zero: the decryptor by
    one all-zero ciphertext block (its output is dropped); the encryptor, whose chaining value
    is the last ciphertext block C, by the block C xor D(0), which encrypts to zero.
    """

    def __init__(self, algorithm: TripleDES) -> None:
        self._cipher = Cipher(algorithm, modes.CBC(ZERO_IV))
        self._algorithm = algorithm
        self._encryptor: CipherContext | None = None
        self._decryptor: CipherContext | None = None
        self._rewind = ZERO_IV
        self._last = ZERO_IV

    def encrypt(self, data: bytes) -> bytes:
        if len(data) % 8:
            raise ValueError("CBC data must be whole 8-byte blocks")
        if self._encryptor is None:
            self._encryptor = self._cipher.encryptor()
            self._rewind = Cipher(self._algorithm, modes.ECB()).decryptor().update(ZERO_IV)
        elif self._last != ZERO_IV:
            self._encryptor.update(_xor8(self._last, self._rewind))  # chaining value: zero
            self._last = ZERO_IV
        out = self._encryptor.update(data)
        if out:
            self._last = out[-8:]
        return out

    def decrypt(self, data: bytes) -> bytes:
        if len(data) % 8:
            raise ValueError("CBC data must be whole 8-byte blocks")
        if self._decryptor is None:
            self._decryptor = self._cipher.decryptor()
        out = self._decryptor.update(data)
        if data:
            self._decryptor.update(ZERO_IV)  # chaining value: zero again
        return out


class TripleDesCbc(ZeroIvCbc):
    """3DES-CBC with a zero IV under one session key (the encryption key of secure messaging)."""

    def __init__(self, key: bytes) -> None:
        super().__init__(_des(key))


@dataclass(frozen=True)
class SessionKeys:
    enc: bytes
    mac: bytes
    ssc: int


def session_keys(k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> SessionKeys:
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
    return SessionKeys(derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER), ssc)


@dataclass
class TerminalAuthentication:
    """The terminal's half of BAC mutual authentication."""

    key: BacKey
    rnd_ifd: bytes = b""
    k_ifd: bytes = b""

    def __post_init__(self) -> None:
        seed = self.key.key_seed()
        self.k_enc = derive_key(seed, ENC_COUNTER)
        self.k_mac = derive_key(seed, MAC_COUNTER)
        self.rnd_ifd = self.rnd_ifd or os.urandom(8)
        self.k_ifd = self.k_ifd or os.urandom(16)

    def external_authenticate_data(self, rnd_ic: bytes) -> bytes:
        self.rnd_ic = rnd_ic
        cryptogram = tdes_encrypt(self.k_enc, self.rnd_ifd + rnd_ic + self.k_ifd)
        return cryptogram + retail_mac(self.k_mac, cryptogram)

    def complete(self, response: bytes) -> SessionKeys:
        """Check the chip's answer and derive the session keys."""
        if len(response) != 40:
            raise BacAuthenticationFailed("the chip's answer has the wrong length")
        cryptogram, mac = response[:32], response[32:]
        if not hmac.compare_digest(retail_mac(self.k_mac, cryptogram), mac):
            raise BacAuthenticationFailed("the chip's answer carries a wrong MAC")
        plain = tdes_decrypt(self.k_enc, cryptogram)
        if plain[:8] != self.rnd_ic or plain[8:16] != self.rnd_ifd:
            raise BacAuthenticationFailed("the chip did not return our challenge")
        return session_keys(self.k_ifd, plain[16:], self.rnd_ic, self.rnd_ifd)


@dataclass
class ChipAuthentication:
    """The chip's half of BAC: checks the terminal's cryptogram and answers it."""

    key_seed: bytes
    rnd_ic: bytes = b""
    k_ic: bytes = b""

    def __post_init__(self) -> None:
        self.k_enc = derive_key(self.key_seed, ENC_COUNTER)
        self.k_mac = derive_key(self.key_seed, MAC_COUNTER)

    def challenge(self) -> bytes:
        self.rnd_ic = os.urandom(8)
        return self.rnd_ic

    def answer(self, data: bytes) -> tuple[bytes, SessionKeys]:
        """Answer EXTERNAL AUTHENTICATE; raises BacAuthenticationFailed for a wrong key."""
        if not self.rnd_ic or len(data) != 40:
            raise BacAuthenticationFailed("no challenge outstanding or wrong length")
        cryptogram, mac = data[:32], data[32:]
        if not hmac.compare_digest(retail_mac(self.k_mac, cryptogram), mac):
            raise BacAuthenticationFailed("the terminal's MAC is wrong")
        plain = tdes_decrypt(self.k_enc, cryptogram)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
        if rnd_ic != self.rnd_ic:
            raise BacAuthenticationFailed("the terminal did not return the challenge")
        self.rnd_ic = b""  # a challenge is good for one attempt only
        k_ic = self.k_ic or os.urandom(16)
        answer = tdes_encrypt(self.k_enc, rnd_ic + rnd_ifd + k_ic)
        keys = session_keys(k_ifd, k_ic, rnd_ic, rnd_ifd)
        return answer + retail_mac(self.k_mac, answer), keys
