"""The TD1 machine-readable zone (ICAO Doc 9303 part 5): three lines of 30 characters.

Line 1: document code (1–2), issuing state (3–5), document number (6–14), its check digit
(15), optional data 1 (16–30; our cards hold the NID there). Line 2: birth date YYMMDD (1–6)
and check digit (7), sex (8), expiry date (9–14) and check digit (15), nationality (16–18),
optional data 2 (19–29), composite check digit (30) over line 1 positions 6–30 and line 2
positions 1–7, 9–15 and 19–29. Line 3: the name.

Document numbers longer than 9 characters follow Doc 9303: the first 9 fill positions 6–14,
position 15 holds a filler, and optional data 1 starts with the remaining characters, the
check digit of the whole number and a filler.

What the check digits can and cannot see (weights 7-3-1, modulo 10): a substitution changes
a check sum by ``weight × (new value − old value)``; with weights coprime to 10 it goes
unnoticed exactly when the two values are equal modulo 10 (``<`` and ``0``, ``A``, ``K``,
``U``; ``1``, ``B``, ``L``, ``V``; …). Dates and the check digits of line 2 accept digits
only, so every change there is caught; in the document number, its check digit (a ``0`` may
become the overflow filler ``<``) and both optional data fields the congruent swaps can slip
through — the composite check digit adds nothing against them, as it weighs the same values.
Line 1 positions 1–5, line 2 positions 8 and 16–18 and all of line 3 carry no check digit at
all: there ``parse_td1`` can only refuse what is syntactically impossible.
``parse_residence_card`` closes most of those gaps for our own cards by cross-checking the
fields against each other (see its docstring).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from issuance.domain.identity import document_numbers, nid
from issuance.domain.identity.transliteration import FILLER, to_mrz
from issuance.errors import IssuanceError

LINE_LENGTH = 30
NAME_WIDTH = LINE_LENGTH
DOCUMENT_NUMBER_WIDTH = 9
OPTIONAL1_WIDTH = 15
OPTIONAL2_WIDTH = 11
_WEIGHTS = (7, 3, 1)
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_LINE = re.compile(r"[A-Z0-9<]{30}")
# Doc 9303 part 5: the first character of a TD1 document code is A, C or I.
_DOCUMENT_CODE = re.compile(r"[ACI][A-Z<]")
_STATE = re.compile(r"[A-Z]{1,3}<*")
_DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]+<*")
_OPTIONAL = re.compile(r"[A-Z0-9<]*")
_NAME = re.compile(r"[A-Z]+(?:<[A-Z]+)*(?:<<[A-Z]+(?:<[A-Z]+)*)?<*")


class InvalidMrz(IssuanceError, ValueError):
    """An MRZ that is malformed or fails a check; ``field`` names what failed."""

    def __init__(self, sq: str, en: str, *, field: str) -> None:
        super().__init__(sq, en)
        self.field = field


@dataclass(frozen=True)
class Td1:
    document_code: str
    issuing_state: str
    document_number: str
    birth_date: date
    sex: str
    expiry_date: date
    nationality: str
    optional1: str
    optional2: str
    surname: str
    given_names: str


def check_digit(s: str) -> str:
    """Doc 9303 check digit: weights 7-3-1, ``<`` = 0, digits as themselves, ``A``–``Z`` 10–35."""
    total = 0
    for position, char in enumerate(s):
        if char == FILLER:
            value = 0
        elif char in _DIGITS:
            value = _DIGITS.index(char)
        elif char in _LETTERS:
            value = 10 + _LETTERS.index(char)
        else:
            raise InvalidMrz(
                f"Karakteri {char!r} nuk lejohet në MRZ.",
                f"Character {char!r} is not allowed in an MRZ.",
                field="charset",
            )
        total += value * _WEIGHTS[position % 3]
    return str(total % 10)


def mrz_name(surname: str, given_names: str, width: int = NAME_WIDTH) -> str:
    """The name field: ``SURNAME<<GIVEN<NAMES`` transliterated, truncated and padded.

    When the name is too long, characters are taken off the end of the given names, last
    name first, down to one letter each; only then off the surname's components the same way.
    The field is then exactly full and ends with a letter, which is how Doc 9303 shows that a
    name may be truncated. Should even the initials not fit (some fifteen name components),
    the surname stays whole and the field is simply cut at ``width``.
    """
    primary = [part for part in to_mrz(surname).split(FILLER) if part]
    if not primary:
        raise InvalidMrz(
            "Mbiemri nuk ka asnjë shkronjë që mund të shkruhet në MRZ.",
            "The surname has no letter that can be written in the MRZ.",
            field="surname",
        )
    secondary = [part for part in to_mrz(given_names).split(FILLER) if part]

    def render() -> str:
        text = FILLER.join(primary)
        return text + FILLER * 2 + FILLER.join(secondary) if secondary else text

    initials = 2 * len(primary) - 1 + (2 + 2 * len(secondary) - 1 if secondary else 0)
    # Shortening the surname only pays when all the initials then fit.
    shortened = (secondary, primary) if initials <= width else (secondary,)
    excess = len(render()) - width
    for parts in shortened:
        for index in reversed(range(len(parts))):
            cut = min(excess, len(parts[index]) - 1)
            if cut > 0:
                parts[index] = parts[index][: len(parts[index]) - cut]
                excess -= cut
    text = render()
    if len(text) > width:
        # Fifteen or more name components: cut, and drop a filler that would end the field.
        text = text[:width].rstrip(FILLER)
    return text.ljust(width, FILLER)


def td1(
    *,
    document_code: str = "IR",
    issuing_state: str = "ALB",
    document_number: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    nationality: str,
    surname: str,
    given_names: str,
    optional1: str = "",
    optional2: str = "",
) -> tuple[str, str, str]:
    """The three TD1 lines for the given fields."""
    code = document_code.ljust(2, FILLER)
    if not _DOCUMENT_CODE.fullmatch(code):
        raise _bad_input("kodi i dokumentit", "document code", document_code, "document_code")
    state = _state(issuing_state, "shteti lëshues", "issuing state", "issuing_state")
    country = _state(nationality, "shtetësia", "nationality", "nationality")
    if sex not in ("M", "F", FILLER):
        raise _bad_input("gjinia", "sex", sex, "sex")
    for value, width, sq, en, field in (
        (optional1, OPTIONAL1_WIDTH, "të dhënat opsionale 1", "optional data 1", "optional1"),
        (optional2, OPTIONAL2_WIDTH, "të dhënat opsionale 2", "optional data 2", "optional2"),
    ):
        if not _OPTIONAL.fullmatch(value) or len(value) > width:
            raise _bad_input(sq, en, value, field)
    if not re.fullmatch(r"[A-Z0-9]+", document_number):
        raise _bad_input(
            "numri i dokumentit", "document number", document_number, "document_number"
        )

    if len(document_number) <= DOCUMENT_NUMBER_WIDTH:
        number_field = document_number.ljust(DOCUMENT_NUMBER_WIDTH, FILLER)
        number_check = check_digit(number_field)
        optional_field = optional1
    else:
        number_field = document_number[:DOCUMENT_NUMBER_WIDTH]
        number_check = FILLER
        optional_field = (
            document_number[DOCUMENT_NUMBER_WIDTH:]
            + check_digit(document_number)
            + FILLER
            + optional1
        )
        if len(optional_field) > OPTIONAL1_WIDTH:
            raise InvalidMrz(
                f"Numri i dokumentit {document_number} bashkë me të dhënat opsionale 1 "
                "nuk zë vend në rreshtin e parë të MRZ.",
                f"Document number {document_number} together with optional data 1 does not "
                "fit in the first MRZ line.",
                field="document_number",
            )

    line1 = (
        code + state + number_field + number_check + optional_field.ljust(OPTIONAL1_WIDTH, FILLER)
    )
    birth = _yymmdd(birth_date)
    expiry = _yymmdd(expiry_date)
    line2 = (
        birth
        + check_digit(birth)
        + sex
        + expiry
        + check_digit(expiry)
        + country
        + optional2.ljust(OPTIONAL2_WIDTH, FILLER)
    )
    line2 += _composite(line1, line2)
    return line1, line2, mrz_name(surname, given_names)


def parse_td1(lines: Sequence[str], *, today: date | None = None) -> Td1:
    """Read and verify a TD1 MRZ (a string with three lines is accepted too).

    Surrounding whitespace of each line is ignored. A two-digit birth year is put in the
    century that keeps the date from lying after ``today``; expiry years are 20YY. Dates with
    unknown parts (``<<``) are refused: every field of ``Td1`` is a full date.
    """
    today = today or date.today()
    if isinstance(lines, str):
        lines = lines.splitlines()
    lines = [line.strip() for line in lines]
    if len(lines) != 3:
        raise InvalidMrz(
            f"MRZ-ja TD1 ka 3 rreshta, jo {len(lines)}.",
            f"A TD1 MRZ has 3 lines, not {len(lines)}.",
            field="line_count",
        )
    for number, line in enumerate(lines, start=1):
        if len(line) != LINE_LENGTH:
            raise InvalidMrz(
                f"Rreshti {number} i MRZ-së ka {len(line)} karaktere, jo {LINE_LENGTH}.",
                f"MRZ line {number} has {len(line)} characters, not {LINE_LENGTH}.",
                field="line_length",
            )
        if not _LINE.fullmatch(line):
            position, char = next((i, c) for i, c in enumerate(line) if c not in _LINE_CHARS)
            raise InvalidMrz(
                f"Karakteri {char!r} në rreshtin {number}, pozicioni {position + 1}, "
                "nuk lejohet në MRZ.",
                f"Character {char!r} on line {number}, position {position + 1}, is not "
                "allowed in an MRZ.",
                field="charset",
            )
    line1, line2, line3 = lines

    if not _DOCUMENT_CODE.fullmatch(line1[0:2]):
        raise _bad_field("kodi i dokumentit", "document code", line1[0:2], "document_code")
    if not _STATE.fullmatch(line1[2:5]):
        raise _bad_field("shteti lëshues", "issuing state", line1[2:5], "issuing_state")
    document_number, optional1 = _document_number(line1)

    birth_date = _birth_century(_date(line2[0:6], line2[6], _BIRTH), today)
    sex = line2[7]
    if sex not in ("M", "F", FILLER):
        raise _bad_field("gjinia", "sex", sex, "sex")
    expiry_date = _date(line2[8:14], line2[14], _EXPIRY)
    if not _STATE.fullmatch(line2[15:18]):
        raise _bad_field("shtetësia", "nationality", line2[15:18], "nationality")
    composite = _composite(line1, line2)
    if line2[29] != composite:
        raise InvalidMrz(
            f"Shifra e përbërë e kontrollit është {line2[29]}, por duhet të jetë {composite}.",
            f"The composite check digit is {line2[29]} but should be {composite}.",
            field="composite_check",
        )
    if not _NAME.fullmatch(line3):
        raise InvalidMrz(
            "Emri në rreshtin e tretë të MRZ-së nuk ka formën MBIEMRI<<EMRAT.",
            "The name on the third MRZ line is not of the form SURNAME<<GIVEN<NAMES.",
            field="name",
        )
    surname, _, given_names = line3.rstrip(FILLER).partition(FILLER * 2)
    return Td1(
        document_code=line1[0:2].rstrip(FILLER),
        issuing_state=line1[2:5].rstrip(FILLER),
        document_number=document_number,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        nationality=line2[15:18].rstrip(FILLER),
        optional1=optional1.rstrip(FILLER),
        optional2=line2[18:29].rstrip(FILLER),
        surname=surname.replace(FILLER, " "),
        given_names=given_names.replace(FILLER, " "),
    )


def parse_residence_card(
    lines: Sequence[str],
    *,
    document_code: str = "IR",
    issuing_state: str = "ALB",
    today: date | None = None,
) -> Td1:
    """Read the MRZ of one of our residence cards: ``parse_td1`` plus the card's own rules.

    Beyond the check digits it requires the configured document code and issuing state, a
    document number of ``document_numbers``' form, a valid NID (and nothing else) in optional
    data 1, empty optional data 2, and the NID's birth date and sex equal to the MRZ's. The
    birth date returned is the NID's, which also knows the century.

    Single-character changes of lines 1–2 that still go unnoticed: a swap of an office-code
    character (line 1 positions 6–7) for another with the same value modulo 10 (``A``/``K``/
    ``U``/``0``, …), and any change of the nationality (line 2 positions 16–18) that leaves
    a well-formed code. Line 3 (the name) has no check digit at all.
    """
    td = parse_td1(lines, today=today)
    if td.document_code != document_code.rstrip(FILLER):
        raise _not_ours(
            "kodi i dokumentit", "document code", td.document_code, document_code, "document_code"
        )
    if td.issuing_state != issuing_state.rstrip(FILLER):
        raise _not_ours(
            "shteti lëshues", "issuing state", td.issuing_state, issuing_state, "issuing_state"
        )
    if not document_numbers.is_valid(td.document_number):
        raise InvalidMrz(
            f"Numri i dokumentit {td.document_number} nuk ka formën e kartave tona "
            "(kodi i zyrës dhe 7 shifra).",
            f"Document number {td.document_number} is not of our cards' form "
            "(office code and 7 digits).",
            field="document_number",
        )
    try:
        person = nid.decode(td.optional1)
    except nid.InvalidNid as error:
        raise InvalidMrz(
            f"Të dhënat opsionale 1 nuk mbajnë një numër personal të vlefshëm: {error.sq}",
            f"Optional data 1 does not hold a valid personal number: {error.en}",
            field="optional1",
        ) from error
    if td.optional2:
        raise InvalidMrz(
            "Të dhënat opsionale 2 duhet të jenë bosh në kartat tona.",
            "Optional data 2 must be empty on our cards.",
            field="optional2",
        )
    if td.sex != person.sex:
        raise InvalidMrz(
            f"Gjinia në MRZ ({td.sex}) nuk përputhet me numrin personal ({person.sex}).",
            f"The sex in the MRZ ({td.sex}) does not match the personal number ({person.sex}).",
            field="sex",
        )
    if _yymmdd(td.birth_date) != _yymmdd(person.birth_date):
        raise InvalidMrz(
            f"Data e lindjes në MRZ ({td.birth_date}) nuk përputhet me numrin personal "
            f"({person.birth_date}).",
            f"The birth date in the MRZ ({td.birth_date}) does not match the personal number "
            f"({person.birth_date}).",
            field="birth_date",
        )
    return dataclasses.replace(td, birth_date=person.birth_date)


_LINE_CHARS = frozenset(_DIGITS + _LETTERS + FILLER)


def _composite(line1: str, line2: str) -> str:
    return check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])


def _yymmdd(value: date) -> str:
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _state(value: str, sq: str, en: str, field: str) -> str:
    padded = value.ljust(3, FILLER)
    if len(padded) != 3 or not _STATE.fullmatch(padded):
        raise _bad_input(sq, en, value, field)
    return padded


def _document_number(line1: str) -> tuple[str, str]:
    field, check, optional = line1[5:14], line1[14], line1[15:30]
    if check != FILLER:
        if not _DOCUMENT_NUMBER.fullmatch(field):
            raise _bad_field("numri i dokumentit", "document number", field, "document_number")
        number = field.rstrip(FILLER)
        _verify(field, check, "numrit të dokumentit", "document number", "document_number_check")
        return number, optional
    # A filler instead of the check digit: the number continues in the optional data.
    rest, separator, optional = optional.partition(FILLER)
    if (
        not re.fullmatch(r"[A-Z0-9]{9}", field)
        or not separator
        or not re.fullmatch(r"[A-Z0-9]+[0-9]", rest)
    ):
        raise InvalidMrz(
            "Numri i dokumentit nuk ka shifër kontrolli dhe vazhdimi i tij në të dhënat "
            "opsionale 1 mungon ose është i gabuar.",
            "The document number has no check digit and its continuation in optional data 1 "
            "is missing or malformed.",
            field="document_number",
        )
    number = field + rest[:-1]
    _verify(number, rest[-1], "numrit të dokumentit", "document number", "document_number_check")
    return number, optional


# (Albanian name, its genitive, English name, field) of the two dates.
_BIRTH = ("data e lindjes", "datës së lindjes", "birth date", "birth_date")
_EXPIRY = ("data e skadimit", "datës së skadimit", "expiry date", "expiry_date")


def _date(digits: str, check: str, names: tuple[str, str, str, str]) -> date:
    sq, sq_of, en, field = names
    if not re.fullmatch(r"[0-9]{6}", digits):
        raise InvalidMrz(
            f"Fusha '{sq}' ({digits}) duhet të ketë 6 shifra (VVMMDD).",
            f"The {en} ({digits}) must be 6 digits (YYMMDD).",
            field=field,
        )
    try:
        value = date(2000 + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise InvalidMrz(
            f"Fusha '{sq}' ({digits}) nuk është datë që ekziston.",
            f"The {en} ({digits}) is not a date that exists.",
            field=field,
        ) from None
    _verify(digits, check, sq_of, en, f"{field}_check")
    return value


def _birth_century(value: date, today: date) -> date:
    if value <= today:
        return value
    try:
        return value.replace(year=value.year - 100)
    except ValueError:
        # 29 February of a year 00 that is in the future: 1900 was not a leap year.
        raise InvalidMrz(
            "Data e lindjes nuk ekziston.",
            "The birth date does not exist.",
            field="birth_date",
        ) from None


def _verify(data: str, found: str, sq: str, en: str, field: str) -> None:
    expected = check_digit(data)
    if found != expected:
        raise InvalidMrz(
            f"Shifra e kontrollit e {sq} është {found}, por duhet të jetë {expected}.",
            f"The check digit of the {en} is {found} but should be {expected}.",
            field=field,
        )


def _bad_input(sq: str, en: str, value: str, field: str) -> InvalidMrz:
    return InvalidMrz(
        f"Vlera {value!r} nuk mund të shkruhet si {sq} në MRZ.",
        f"Value {value!r} cannot be written as the {en} in an MRZ.",
        field=field,
    )


def _bad_field(sq: str, en: str, value: str, field: str) -> InvalidMrz:
    return InvalidMrz(
        f"Fusha '{sq}' në MRZ ({value}) nuk ka formë të vlefshme.",
        f"The {en} in the MRZ ({value}) is malformed.",
        field=field,
    )


def _not_ours(sq: str, en: str, found: str, expected: str, field: str) -> InvalidMrz:
    return InvalidMrz(
        f"Fusha '{sq}' në MRZ është {found!r}, por në kartat tona është {expected!r}.",
        f"The {en} in the MRZ is {found!r} but on our cards it is {expected!r}.",
        field=field,
    )
