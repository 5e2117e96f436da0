"""The Albanian personal number (NID): ``D Y MM DD SSS C``, 10 characters.

``D`` decade of birth (index in ``DECADES`` × 10 + 1800), ``Y`` last digit of the year,
``MM`` month plus an offset for sex and citizenship, ``DD`` day, ``SSS`` serial 001–999 and
``C`` a check letter. See DESIGN.md, "Domain facts".

What the check letter guarantees (weights 1, 1, 2, …, 8 modulo the prime 23):

* a change of one digit in positions 2–9 moves the sum by ``weight × delta`` with
  ``1 ≤ weight ≤ 8`` and ``1 ≤ |delta| ≤ 9``; neither factor is a multiple of 23, so it is
  always detected;
* any change of the check letter itself is detected;
* the decade character has weight 1 and values 0–20, so two decade characters with different
  values never collide — but the value table gives the digit ``d`` and the letter at
  ``DECADES`` index ``9 + d`` the *same* value: ``1``/``A``, ``2``/``B``, …, ``9``/``I``.
  Swapping one of these nine pairs (a birth decade 90 years earlier or later, e.g. 1810s vs
  1900s) yields another valid NID. The scheme is fixed by the civil registry, so ``decode``
  cannot catch it; callers that know the birth date (FER, the MRZ) must compare it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from issuance.errors import IssuanceError

DECADES = "0123456789ABCDEFGHIJKLMNOPQRST"
CHECK_LETTERS = "WABCDEFGHIJKLMNOPQRSTUV"
DIGITS = "0123456789"
LENGTH = 10
FIRST_YEAR = 1800
LAST_YEAR = FIRST_YEAR + 10 * len(DECADES) - 1  # 2099

# (sex, foreigner) -> offset added to the month; foreign residents always get the +30/+80 codes.
_MONTH_OFFSETS: dict[tuple[str, bool], int] = {
    ("M", False): 0,
    ("F", False): 50,
    ("M", True): 30,
    ("F", True): 80,
}


class InvalidNid(IssuanceError, ValueError):
    """A personal number that cannot exist, or values from which none can be made."""


@dataclass(frozen=True)
class Nid:
    text: str
    birth_date: date
    sex: Literal["M", "F"]
    foreigner: bool
    serial: int


def month_code(month: int, sex: str, foreigner: bool) -> int:
    """The two-digit month code: the month plus the offset for sex and citizenship."""
    _require_sex(sex)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidNid(
            f"Muaji {month!r} nuk ekziston (duhet 1–12).",
            f"Month {month!r} does not exist (must be 1–12).",
        )
    return month + _MONTH_OFFSETS[(sex, bool(foreigner))]


def check_letter(first9: str) -> str:
    """The check letter for the first nine characters of an NID."""
    if len(first9) != LENGTH - 1:
        raise InvalidNid(
            f"Shkronja e kontrollit llogaritet mbi 9 karaktere, jo mbi {len(first9)}.",
            f"The check letter is computed over 9 characters, not {len(first9)}.",
        )
    total = 0
    for position, char in enumerate(first9):
        total += max(position, 1) * _value(char, position)
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def compose(birth_date: date, sex: str, serial: int, *, foreigner: bool = True) -> str:
    """The NID of a person born on ``birth_date`` with the given sex and serial."""
    _require_sex(sex)
    if not FIRST_YEAR <= birth_date.year <= LAST_YEAR:
        raise InvalidNid(
            f"Viti i lindjes {birth_date.year} nuk mund të shkruhet në numrin personal "
            f"({FIRST_YEAR}–{LAST_YEAR}).",
            f"Birth year {birth_date.year} cannot be written in a personal number "
            f"({FIRST_YEAR}–{LAST_YEAR}).",
        )
    if isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= 999:
        raise InvalidNid(
            f"Numri rendor {serial!r} nuk lejohet (duhet 1–999).",
            f"Serial {serial!r} is not allowed (must be 1–999).",
        )
    decade = DECADES[(birth_date.year - FIRST_YEAR) // 10]
    first9 = (
        f"{decade}{birth_date.year % 10}"
        f"{month_code(birth_date.month, sex, foreigner):02d}{birth_date.day:02d}{serial:03d}"
    )
    return first9 + check_letter(first9)


def decode(text: str) -> Nid:
    """Parse and verify an NID; surrounding whitespace is ignored, case is not."""
    text = text.strip()
    if len(text) != LENGTH:
        raise InvalidNid(
            f"Numri personal duhet të ketë {LENGTH} karaktere, jo {len(text)}.",
            f"A personal number has {LENGTH} characters, not {len(text)}.",
        )
    for position, char in enumerate(text):
        _require_char(char, position)

    code = int(text[2:4])
    kind = next((k for k, offset in _MONTH_OFFSETS.items() if 1 <= code - offset <= 12), None)
    if kind is None:
        raise InvalidNid(
            f"Kodi i muajit {text[2:4]} në numrin personal nuk ekziston "
            "(01–12, 31–42, 51–62 ose 81–92).",
            f"Month code {text[2:4]} in the personal number does not exist "
            "(01–12, 31–42, 51–62 or 81–92).",
        )
    foreigner = kind[1]
    sex: Literal["M", "F"] = "M" if kind[0] == "M" else "F"
    year = FIRST_YEAR + 10 * DECADES.index(text[0]) + int(text[1])
    month = code - _MONTH_OFFSETS[kind]
    day = int(text[4:6])
    try:
        birth_date = date(year, month, day)
    except ValueError:
        raise InvalidNid(
            f"Data e lindjes {year:04d}-{month:02d}-{day:02d} në numrin personal nuk ekziston.",
            f"Birth date {year:04d}-{month:02d}-{day:02d} in the personal number does not exist.",
        ) from None

    serial = int(text[6:9])
    if serial == 0:
        raise InvalidNid(
            "Numri rendor 000 në numrin personal nuk lejohet (001–999).",
            "Serial 000 in the personal number is not allowed (001–999).",
        )
    expected = check_letter(text[:9])
    if text[9] != expected:
        raise InvalidNid(
            f"Shkronja e kontrollit e numrit personal është '{text[9]}', "
            f"por duhet të jetë '{expected}'.",
            f"The check letter of the personal number is '{text[9]}' but should be '{expected}'.",
        )
    return Nid(text=text, birth_date=birth_date, sex=sex, foreigner=foreigner, serial=serial)


def is_valid(text: str) -> bool:
    """True when ``text`` decodes as an NID."""
    if not isinstance(text, str):
        return False
    try:
        decode(text)
    except InvalidNid:
        return False
    return True


def _require_sex(sex: str) -> None:
    if sex not in ("M", "F"):
        raise InvalidNid(
            f"Gjinia {sex!r} nuk njihet (M ose F).",
            f"Sex {sex!r} is not recognised (M or F).",
        )


def _require_char(char: str, position: int) -> None:
    if position == 0:
        allowed, sq, en = DECADES, "0–9 ose A–T", "0–9 or A–T"
    elif position == LENGTH - 1:
        allowed, sq, en = CHECK_LETTERS, "një shkronjë W ose A–V", "a letter W or A–V"
    else:
        allowed, sq, en = DIGITS, "një shifër 0–9", "a digit 0–9"
    if char not in allowed:
        raise InvalidNid(
            f"Karakteri {char!r} në pozicionin {position + 1} të numrit personal nuk lejohet "
            f"(pritet {sq}).",
            f"Character {char!r} at position {position + 1} of the personal number is not "
            f"allowed (expected {en}).",
        )


def _value(char: str, position: int) -> int:
    # Digits count as themselves (also in the decade position); letters by CHECK_LETTERS.
    if char in DIGITS:
        return DIGITS.index(char)
    if char in CHECK_LETTERS:
        return CHECK_LETTERS.index(char)
    raise InvalidNid(
        f"Karakteri {char!r} në pozicionin {position + 1} nuk ka vlerë për shkronjën e kontrollit.",
        f"Character {char!r} at position {position + 1} has no value for the check letter.",
    )
