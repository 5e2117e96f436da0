"""TD1 machine-readable zone: composition, parsing, truncation, and what the checks catch."""

from __future__ import annotations

import re
import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuance.domain.identity import document_numbers, nid
from issuance.domain.identity.mrz import (
    InvalidMrz,
    Td1,
    check_digit,
    mrz_name,
    parse_residence_card,
    parse_td1,
    td1,
)
from issuance.domain.identity.transliteration import to_mrz
from issuance.errors import IssuanceError

FAST = settings(max_examples=200, deadline=None, database=None)
TODAY = date(2025, 6, 1)

# ICAO Doc 9303 part 5, TD1 specimen.
SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
SPECIMEN_FIELDS = {
    "document_code": "I",
    "issuing_state": "UTO",
    "document_number": "D23145890",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
    "nationality": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna Maria",
}

MRZ_CHARS = string.ascii_uppercase + string.digits + "<"
OUTSIDE = "a ë-Ç٣"  # never allowed in an MRZ
REPLACEMENTS = MRZ_CHARS + OUTSIDE
NAME_SYNTAX = re.compile(r"[A-Z]+(?:<[A-Z]+)*(?:<<[A-Z]+(?:<[A-Z]+)*)?<*")


def value(char: str) -> int:
    """Doc 9303 character value, written independently of the module under test."""
    if char == "<":
        return 0
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def substitute(lines: tuple[str, str, str], line: int, position: int, char: str) -> list[str]:
    """``lines`` with the character at 1-based ``line``/``position`` replaced."""
    changed = list(lines)
    text = changed[line - 1]
    changed[line - 1] = text[: position - 1] + char + text[position:]
    return changed


def reseal(line1: str, line2: str) -> tuple[str, str]:
    """Recompute every check digit, to build MRZs that are wrong in other ways."""
    line1 = line1[:14] + check_digit(line1[5:14]) + line1[15:]
    line2 = (
        line2[:6] + check_digit(line2[:6]) + line2[7:14] + check_digit(line2[8:14]) + line2[15:29]
    )
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return line1, line2 + composite


def card(
    birth_date: date = date(1988, 3, 14),
    sex: str = "F",
    serial: int = 17,
    office: str = "TR",
    sequence: int = 1234,
    nationality: str = "DEU",
    surname: str = "Müller-Çela",
    given_names: str = "Anna Ëndrita",
    expiry_date: date = date(2030, 3, 31),
) -> tuple[str, str, str]:
    """The MRZ of one of our residence cards."""
    return td1(
        document_number=document_numbers.compose(office, sequence),
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        nationality=nationality,
        surname=surname,
        given_names=given_names,
        optional1=nid.compose(birth_date, sex, serial),
    )


# --- check digits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("D23145890", "7"),
        ("740812", "2"),
        ("120415", "9"),
        ("D231458907" + "<" * 15 + "7408122" + "1204159" + "<" * 11, "6"),
        ("<<<<<<", "0"),
        ("", "0"),
        ("AB2134<<<", "5"),  # 10*7 + 11*3 + 2 + 1*7 + 3*3 + 4 = 125
    ],
)
def test_check_digit(data: str, digit: str) -> None:
    assert check_digit(data) == digit


@pytest.mark.parametrize("data", ["abc", "A B", "Ë", "٣"])
def test_check_digit_refuses_characters_outside_the_mrz(data: str) -> None:
    with pytest.raises(InvalidMrz):
        check_digit(data)


@FAST
@given(
    st.text(alphabet=MRZ_CHARS, min_size=1, max_size=40),
    st.integers(min_value=0),
    st.sampled_from(MRZ_CHARS),
)
def test_a_check_digit_sees_exactly_the_changes_that_move_the_value_mod_10(
    data: str, index: int, char: str
) -> None:
    index %= len(data)
    changed = data[:index] + char + data[index + 1 :]
    noticed = check_digit(changed) != check_digit(data)
    assert noticed == (value(char) % 10 != value(data[index]) % 10)


# --- the specimen -------------------------------------------------------------------------


def test_specimen_is_composed_byte_for_byte() -> None:
    lines = td1(**SPECIMEN_FIELDS)
    assert lines == SPECIMEN
    assert all(len(line.encode("ascii")) == 30 for line in lines)


def test_specimen_is_parsed() -> None:
    assert parse_td1(SPECIMEN, today=TODAY) == Td1(
        document_code="I",
        issuing_state="UTO",
        document_number="D23145890",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        nationality="UTO",
        optional1="",
        optional2="",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
    )


def test_parse_accepts_one_string_and_surrounding_whitespace() -> None:
    text = "\n".join(f"  {line}\r" for line in SPECIMEN) + "\n"
    assert parse_td1(text, today=TODAY) == parse_td1(SPECIMEN, today=TODAY)


def test_birth_century_keeps_the_date_out_of_the_future() -> None:
    line1, line2 = reseal(SPECIMEN[0], "250531" + SPECIMEN[1][6:])
    assert parse_td1((line1, line2, SPECIMEN[2]), today=TODAY).birth_date == date(2025, 5, 31)
    line1, line2 = reseal(SPECIMEN[0], "250602" + SPECIMEN[1][6:])
    assert parse_td1((line1, line2, SPECIMEN[2]), today=TODAY).birth_date == date(1925, 6, 2)
    line1, line2 = reseal(SPECIMEN[0], SPECIMEN[1][:8] + "990101" + SPECIMEN[1][14:])
    assert parse_td1((line1, line2, SPECIMEN[2]), today=TODAY).expiry_date == date(2099, 1, 1)


# --- our cards ----------------------------------------------------------------------------


def test_albanian_names_are_transliterated() -> None:
    lines = card(surname="Çela", given_names="Ëndrit Besnik", sex="M")
    assert lines[2] == "CELA<<ENDRIT<BESNIK<<<<<<<<<<<"
    assert card(surname="çela", given_names="ëndrit besnik", sex="M")[2] == lines[2]


def test_nid_and_document_number_are_where_the_design_says() -> None:
    lines = card()
    assert lines[0][:5] == "IRALB"
    assert lines[0][5:14] == "TR0001234"
    assert lines[0][15:25] == nid.compose(date(1988, 3, 14), "F", 17)
    assert lines[0][25:] == "<<<<<"
    assert lines[1][15:18] == "DEU"
    assert lines[1][18:29] == "<" * 11


def test_residence_card_is_parsed_with_the_nids_birth_date() -> None:
    old = date(1920, 5, 5)
    lines = card(birth_date=old, sex="M")
    assert parse_td1(lines, today=TODAY).birth_date == date(2020, 5, 5)  # two digits only
    parsed = parse_residence_card(lines, today=TODAY)
    assert parsed.birth_date == old
    assert parsed.optional1 == nid.compose(old, "M", 17)
    assert parsed.document_number == "TR0001234"


# --- round trip ---------------------------------------------------------------------------

name_parts = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZëçËÇäöüßñłđ", min_size=1, max_size=9)
names = st.lists(name_parts, min_size=1, max_size=3).map(" ".join)
states = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=3)
alnum = string.ascii_uppercase + string.digits


@st.composite
def td1_fields(draw: st.DrawFn) -> dict[str, object]:
    number = draw(st.text(alphabet=alnum, min_size=1, max_size=12))
    room = 15 if len(number) <= 9 else 15 - (len(number) - 9) - 2
    optional1 = draw(st.text(alphabet=MRZ_CHARS, max_size=room)).rstrip("<")
    return {
        "document_code": draw(st.sampled_from(["I", "IR", "ID", "A", "AC", "C", "CR"])),
        "issuing_state": draw(states),
        "document_number": number,
        "birth_date": draw(
            st.dates(min_value=TODAY.replace(year=TODAY.year - 100) + timedelta(1), max_value=TODAY)
        ),
        "sex": draw(st.sampled_from("MF<")),
        "expiry_date": draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))),
        "nationality": draw(states),
        "surname": draw(names),
        "given_names": draw(st.one_of(st.just(""), names)),
        "optional1": optional1,
        "optional2": draw(st.text(alphabet=MRZ_CHARS, max_size=11)).rstrip("<"),
    }


@FAST
@given(td1_fields())
def test_td1_then_parse_gives_back_the_fields(fields: dict[str, object]) -> None:
    lines = td1(**fields)  # type: ignore[arg-type]
    assert [len(line) for line in lines] == [30, 30, 30]
    parsed = parse_td1(lines, today=TODAY)
    for key in (
        "document_code", "issuing_state", "document_number", "birth_date", "sex",
        "expiry_date", "nationality", "optional1", "optional2",
    ):  # fmt: skip
        assert getattr(parsed, key) == fields[key], key
    surname, _, given_names = lines[2].rstrip("<").partition("<<")
    assert parsed.surname == surname.replace("<", " ")
    assert parsed.given_names == given_names.replace("<", " ")
    if len(to_mrz(str(fields["surname"]))) + 2 + len(to_mrz(str(fields["given_names"]))) <= 30:
        assert parsed.surname == to_mrz(str(fields["surname"])).replace("<", " ")
        assert parsed.given_names == to_mrz(str(fields["given_names"])).replace("<", " ")


def test_long_document_numbers_overflow_into_optional_data() -> None:
    nid_text = nid.compose(date(1990, 1, 1), "M", 1)
    lines = td1(**{**SPECIMEN_FIELDS, "document_number": "D23145890ABC", "optional1": nid_text})
    assert lines[0][5:15] == "D23145890<"
    assert lines[0][15:30] == "ABC" + check_digit("D23145890ABC") + "<" + nid_text
    parsed = parse_td1(lines, today=TODAY)
    assert (parsed.document_number, parsed.optional1) == ("D23145890ABC", nid_text)
    with pytest.raises(InvalidMrz) as caught:
        td1(**{**SPECIMEN_FIELDS, "document_number": "D23145890ABCD", "optional1": nid_text})
    assert caught.value.field == "document_number"


# --- names too long for the field ---------------------------------------------------------


def test_truncation_example_nilavadhanananda() -> None:
    assert (
        mrz_name("Nilavadhanananda", "Chayapa Dejthamrong Krasuang")
        == "NILAVADHANANANDA<<CHAYAPA<DE<K"
    )


def test_an_80_character_albanian_name() -> None:
    given_names = "Ëndrit Besnik Aleksandër Skënderbeu Gjergj Kastrioti Muhamet Lekë Dukagjini"
    assert len("CELA<<" + to_mrz(given_names)) == 81
    field = card(surname="Çela", given_names=given_names, sex="M")[2]
    assert field == "CELA<<ENDRIT<BES<A<S<G<K<M<L<D"


def test_surname_is_cut_only_when_the_given_names_are_initials() -> None:
    field = mrz_name("Hohenzollern-Sigmaringen", "Karl Anton Joachim Zephyrin Friedrich Meinrad")
    assert field == "HOHENZOLLERN<SIGM<<K<A<J<Z<F<M"
    assert mrz_name("A" * 40, "") == "A" * 30
    assert mrz_name("B" * 29, "Cid") == "B" * 27 + "<<C"


def test_more_names_than_even_initials_fit() -> None:
    field = mrz_name("Ko", " ".join("ABCDEFGHIJKLMNOP"))
    assert field == "KO<<A<B<C<D<E<F<G<H<I<J<K<L<M<"
    field = mrz_name("Kolar Novak", " ".join("ABCDEFGHIJKLMNOP"))
    assert field == "KOLAR<NOVAK<<A<B<C<D<E<F<G<H<I"


parts = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=20)


def shape_ok(result: list[str], original: list[str]) -> bool:
    """Whole parts, then at most one shortened part, then initials — nothing dropped."""
    if len(result) != len(original):
        return False
    for index, (short, full) in enumerate(zip(result, original, strict=True)):
        if not full.startswith(short) or not short:
            return False
        if short != full and any(len(rest) != 1 for rest in result[index + 1 :]):
            return False
    return True


@FAST
@given(st.lists(parts, min_size=1, max_size=4), st.lists(parts, max_size=6))
def test_truncation_rules(surname: list[str], given_names: list[str]) -> None:
    field = mrz_name(" ".join(surname), " ".join(given_names))
    assert len(field) == 30 and NAME_SYNTAX.fullmatch(field)
    full = "<".join(surname) + ("<<" + "<".join(given_names) if given_names else "")
    if len(full) <= 30:
        assert field == full.ljust(30, "<")
        return
    assert field[-1] != "<"  # a letter in the last position shows the truncation
    got_surname, _, got_given = field.partition("<<")
    got_surname_parts = got_surname.split("<")
    got_given_parts = got_given.split("<") if got_given else []
    given_initials = 2 + 2 * len(given_names) - 1 if given_names else 0
    if len("<".join(surname)) + given_initials <= 30:
        # The given names absorb the whole cut.
        assert got_surname_parts == surname
        assert shape_ok(got_given_parts, given_names)
    else:
        # Given names down to initials, then the surname is cut the same way.
        assert got_given_parts == [part[0] for part in given_names]
        assert shape_ok(got_surname_parts, surname)


# --- refusals -----------------------------------------------------------------------------


def refused(lines: object, field: str) -> InvalidMrz:
    with pytest.raises(InvalidMrz) as caught:
        parse_td1(lines, today=TODAY)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, IssuanceError) and isinstance(error, ValueError)
    assert error.field == field, error.en
    assert error.message("sq") and error.message("en") and error.sq != error.en
    return error


def test_refusals_name_the_failed_check() -> None:
    refused(SPECIMEN[:2], "line_count")
    refused([*SPECIMEN, SPECIMEN[2]], "line_count")
    refused([SPECIMEN[0][:29], *SPECIMEN[1:]], "line_length")
    assert "position 2" in refused(substitute(SPECIMEN, 3, 2, "r"), "charset").en
    refused(substitute(SPECIMEN, 1, 15, "8"), "document_number_check")
    refused(substitute(SPECIMEN, 2, 7, "3"), "birth_date_check")
    refused(substitute(SPECIMEN, 2, 15, "3"), "expiry_date_check")
    error = refused(substitute(SPECIMEN, 2, 30, "5"), "composite_check")
    assert "5" in error.en and "6" in error.en
    refused(substitute(SPECIMEN, 1, 16, "1"), "composite_check")
    refused(substitute(SPECIMEN, 2, 8, "X"), "sex")
    refused(substitute(SPECIMEN, 1, 1, "P"), "document_code")
    refused(substitute(SPECIMEN, 1, 3, "<"), "issuing_state")
    refused(substitute(SPECIMEN, 2, 16, "1"), "nationality")
    refused(substitute(SPECIMEN, 1, 6, "<"), "document_number")
    refused(substitute(SPECIMEN, 2, 3, "A"), "birth_date")
    refused(substitute(SPECIMEN, 3, 1, "<"), "name")
    line1, line2 = reseal(SPECIMEN[0], "740230" + SPECIMEN[1][6:])
    assert "740230" in refused((line1, line2, SPECIMEN[2]), "birth_date").en
    line1, line2 = reseal(SPECIMEN[0], SPECIMEN[1][:8] + "121315" + SPECIMEN[1][14:])
    refused((line1, line2, SPECIMEN[2]), "expiry_date")
    line1, line2 = reseal(SPECIMEN[0], "7408<<" + SPECIMEN[1][6:])  # unknown day
    refused((line1, line2, SPECIMEN[2]), "birth_date")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"document_code": "X"}, "document_code"),
        ({"document_code": "IRX"}, "document_code"),
        ({"issuing_state": "ALBA"}, "issuing_state"),
        ({"issuing_state": "al"}, "issuing_state"),
        ({"nationality": "1AB"}, "nationality"),
        ({"sex": "X"}, "sex"),
        ({"document_number": "d2314"}, "document_number"),
        ({"document_number": ""}, "document_number"),
        ({"optional1": "A" * 16}, "optional1"),
        ({"optional2": "a"}, "optional2"),
        ({"surname": "'"}, "surname"),
    ],
)
def test_td1_refuses_bad_fields(change: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidMrz) as caught:
        td1(**{**SPECIMEN_FIELDS, **change})  # type: ignore[arg-type]
    assert caught.value.field == field


def residence_refusal(lines: object, field: str) -> None:
    with pytest.raises(InvalidMrz) as caught:
        parse_residence_card(lines, today=TODAY)  # type: ignore[arg-type]
    assert caught.value.field == field, caught.value.en


def test_residence_card_cross_checks() -> None:
    line1, line2, line3 = card(sex="F")
    residence_refusal(reseal(line1, line2[:7] + "M" + line2[8:]) + (line3,), "sex")
    residence_refusal(reseal(line1, "880315" + line2[6:]) + (line3,), "birth_date")
    residence_refusal(reseal("ID" + line1[2:], line2) + (line3,), "document_code")
    residence_refusal(reseal(line1[:2] + "UTO" + line1[5:], line2) + (line3,), "issuing_state")
    residence_refusal(reseal(line1[:7] + "A" + line1[8:], line2) + (line3,), "document_number")
    residence_refusal(reseal(line1[:25] + "X" + line1[26:], line2) + (line3,), "optional1")
    residence_refusal(reseal(line1, line2[:20] + "X" + line2[21:]) + (line3,), "optional2")
    residence_refusal(SPECIMEN, "document_code")
    with pytest.raises(InvalidMrz) as caught:
        parse_residence_card(SPECIMEN, document_code="I", issuing_state="UTO", today=TODAY)
    assert caught.value.field == "optional1"  # D23145890 happens to have our form; no NID


# --- single-character changes: what is caught, and what cannot be -------------------------

# 1-based (line, position) of characters under the composite check digit.
COMPOSITE = {(1, p) for p in range(6, 31)} | {
    (2, p) for p in [*range(1, 8), *range(9, 16), *range(19, 30)]
}
# Digits only: the two dates, their check digits and the composite check digit.
DIGITS_ONLY = {(2, p) for p in [*range(1, 8), *range(9, 16), 30]}


def guaranteed(line: int, position: int, old: str, new: str) -> bool:
    """The changes that every valid TD1 parser must notice (see mrz.py's docstring)."""
    if new not in MRZ_CHARS or (line, position) in DIGITS_ONLY:
        return True
    if (line, position) in COMPOSITE:
        return value(old) % 10 != value(new) % 10
    return False


def is_refused(parse: object, lines: list[str]) -> bool:
    try:
        parse(lines, today=TODAY)  # type: ignore[operator]
    except InvalidMrz:
        return True
    return False


SAMPLES = [
    SPECIMEN,
    card(),
    card(birth_date=date(2001, 12, 31), sex="M", office="9Z", sequence=9_999_999),
    td1(**{**SPECIMEN_FIELDS, "document_number": "D23145890ABC", "optional1": "X1<Y"}),
    td1(**{**SPECIMEN_FIELDS, "document_number": "AB12", "optional2": "Q0<7"}),
]


@pytest.mark.parametrize("lines", SAMPLES, ids=range(len(SAMPLES)))
def test_every_guaranteed_change_is_refused_exhaustively(lines: tuple[str, str, str]) -> None:
    for line in (1, 2, 3):
        for position in range(1, 31):
            old = lines[line - 1][position - 1]
            for new in REPLACEMENTS:
                if new != old and guaranteed(line, position, old, new):
                    changed = substitute(lines, line, position, new)
                    assert is_refused(parse_td1, changed), (line, position, old, new)


def test_blind_spots_of_the_standard_are_real() -> None:
    """Changes no TD1 reader can notice; pinned so nobody believes otherwise."""

    def accepted(line: int, position: int, new: str) -> Td1:
        return parse_td1(substitute(SPECIMEN, line, position, new), today=TODAY)

    # Same value mod 10 under a check digit: D (13) and N (23); < (0) and A (10), K (20).
    assert accepted(1, 6, "N").document_number == "N23145890"
    assert accepted(1, 16, "A").optional1 == "A"
    assert accepted(2, 19, "K").optional2 == "K"
    # No check digit at all.
    assert accepted(1, 1, "A").document_code == "A"
    assert accepted(1, 5, "A").issuing_state == "UTA"
    assert accepted(2, 8, "M").sex == "M"
    assert accepted(2, 16, "X").nationality == "XTO"
    assert accepted(3, 8, "M").surname == "ERIKSSOM"
    assert accepted(3, 21, "X").given_names == "ANNA MARIAX"
    assert accepted(3, 22, "X").given_names == "ANNA MARIA X"


@pytest.mark.parametrize("lines", SAMPLES[:3], ids=range(3))
def test_names_are_protected_by_syntax_only(lines: tuple[str, str, str]) -> None:
    original = parse_td1(lines, today=TODAY)
    for position in range(1, 31):
        old = lines[2][position - 1]
        for new in REPLACEMENTS:
            if new == old:
                continue
            changed = substitute(lines, 3, position, new)
            if new not in string.ascii_uppercase + "<":
                assert is_refused(parse_td1, changed)
            elif old != "<" and new != "<":
                parsed = parse_td1(changed, today=TODAY)  # undetectable by design
                assert (parsed.surname, parsed.given_names) != (
                    original.surname,
                    original.given_names,
                )
            else:
                assert is_refused(parse_td1, changed) != bool(NAME_SYNTAX.fullmatch(changed[2]))


def undetectable_on_our_cards(line: int, position: int, old: str, new: str, text: str) -> bool:
    """The only changes of lines 1–2 that ``parse_residence_card`` lets through."""
    if line == 1 and position in (6, 7):
        return new in alnum and value(new) % 10 == value(old) % 10
    if line == 2 and position in (16, 17, 18):
        return bool(re.fullmatch(r"[A-Z]{1,3}<*", text[15:18]))
    return False


def assert_card_substitution(
    lines: tuple[str, str, str], line: int, position: int, new: str
) -> None:
    old = lines[line - 1][position - 1]
    if new == old:
        return
    changed = substitute(lines, line, position, new)
    expected = undetectable_on_our_cards(line, position, old, new, changed[line - 1])
    assert is_refused(parse_residence_card, changed) is not expected, (line, position, old, new)


@pytest.mark.parametrize("lines", SAMPLES[1:3], ids=range(2))
def test_our_cards_refuse_every_change_of_lines_1_and_2_but_office_code_and_nationality(
    lines: tuple[str, str, str],
) -> None:
    for line in (1, 2):
        for position in range(1, 31):
            for new in REPLACEMENTS:
                assert_card_substitution(lines, line, position, new)


@FAST
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.sampled_from("MF"),
    st.integers(min_value=1, max_value=999),
    st.text(alphabet=alnum, min_size=2, max_size=2),
    st.integers(min_value=1, max_value=9_999_999),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["DEU", "ITA", "UKR", "D", "GBR", "USA", "XXA"]),
    st.integers(min_value=1, max_value=2),
    st.integers(min_value=1, max_value=30),
    st.sampled_from(REPLACEMENTS),
)
def test_our_cards_random_substitutions(
    birth_date: date,
    sex: str,
    serial: int,
    office: str,
    sequence: int,
    expiry_date: date,
    nationality: str,
    line: int,
    position: int,
    new: str,
) -> None:
    lines = card(
        birth_date=birth_date,
        sex=sex,
        serial=serial,
        office=office,
        sequence=sequence,
        nationality=nationality,
        expiry_date=expiry_date,
    )
    assert parse_residence_card(lines, today=TODAY).birth_date == birth_date
    assert_card_substitution(lines, line, position, new)
