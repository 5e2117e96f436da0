"""Names in the MRZ alphabet (ICAO Doc 9303 part 3, section 6)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuance.domain.identity import UntransliterableName, to_mrz
from issuance.errors import IssuanceError

FAST = settings(max_examples=200, deadline=None, database=None)
MRZ_NAME = re.compile(r"([A-Z]+(<[A-Z]+)*)?")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Albanian
        ("Çela", "CELA"),
        ("Ëndrit Besnik", "ENDRIT<BESNIK"),
        ("çelë", "CELE"),
        ("Gjergj Kastrioti Skënderbeu", "GJERGJ<KASTRIOTI<SKENDERBEU"),
        # German, Nordic: the two-letter forms of Doc 9303
        ("Müller", "MUELLER"),
        ("Björk Guðmundsdóttir", "BJOERK<GUDMUNDSDOTTIR"),
        ("Ängström", "AENGSTROEM"),
        ("Åse Ærø", "AASE<AEROE"),
        ("Øster", "OESTER"),
        ("Straße", "STRASSE"),
        ("GROẞ", "GROSS"),
        ("Þórr", "THORR"),
        # French, Spanish, Portuguese, Italian
        ("François Noël", "FRANCOIS<NOEL"),
        ("Muñoz Peña", "MUNOZ<PENA"),
        ("João Gonçalves", "JOAO<GONCALVES"),
        ("Niccolò", "NICCOLO"),
        ("Œdipe", "OEDIPE"),
        # Central and Eastern Europe
        ("Łukasz Żółć", "LUKASZ<ZOLC"),
        ("Dvořák Šťěpán", "DVORAK<STEPAN"),
        ("Đorđević", "DORDEVIC"),
        ("Mołdawa Ąę", "MOLDAWA<AE"),
        ("Ștefan Țiriac", "STEFAN<TIRIAC"),
        ("Şerban Ţepeş", "SERBAN<TEPES"),
        ("Őrs Ű", "ORS<U"),
        ("Ķēniņš Ļoļa", "KENINS<LOLA"),
        ("Ėglė Ųla Įvairi", "EGLE<ULA<IVAIRI"),
        ("Ħaġar Żammit", "HAGAR<ZAMMIT"),
        ("Vĳver", "VIJVER"),
        # Turkish
        ("Işık Yılmaz", "ISIK<YILMAZ"),
        ("İbrahim Doğan", "IBRAHIM<DOGAN"),
        # Cyrillic (Doc 9303 table)
        ("Щукин", "SHCHUKIN"),
        ("Юрий Гагарин", "IURII<GAGARIN"),
        ("Ярослав", "IAROSLAV"),
        ("Жанна", "ZHANNA"),
        ("Цой", "TSOI"),
        ("Хрущёв", "KHRUSHCHEV"),
        ("Подъячев", "PODIEIACHEV"),
        ("Гоголь", "GOGOL"),
        ("Ђоковић", "DOKOVIC"),
        ("Љубомир Његош", "LJUBOMIR<NJEGOSH"),
        ("Џеко", "DZEKO"),
        ("Ѓорѓи Ќосе", "GORGI<KOSE"),
        ("Євгенія Їжак Ґалаґан", "IEVGENIIA<IZHAK<GALAGAN"),
        ("Ўладзімір", "ULADZIMIR"),
        # Greek, letter by letter
        ("Γεώργιος Παπαδόπουλος", "GEORGIOS<PAPADOPOYLOS"),
        ("Βασίλειος", "VASILEIOS"),
        ("Χρήστος Ψαρράς", "CHRISTOS<PSARRAS"),
        ("Θεόδωρος", "THEODOROS"),
    ],
)
def test_transliteration(name: str, expected: str) -> None:
    assert to_mrz(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("D'Artagnan", "DARTAGNAN"),
        ("O’Brien", "OBRIEN"),
        ("Anna-Maria", "ANNA<MARIA"),
        ("Anna Maria", "ANNA<MARIA"),
        ("Smith, John", "SMITH<JOHN"),
        ("St. John", "ST<JOHN"),
        ("Anna  Maria", "ANNA<MARIA"),
        ("Anna - Maria", "ANNA<MARIA"),
        ("  Anna\tMaria\n", "ANNA<MARIA"),
        ("Jean–Pierre", "JEAN<PIERRE"),
        ("ANNA<MARIA", "ANNA<MARIA"),
        ("'", ""),
        ("", ""),
    ],
)
def test_punctuation(name: str, expected: str) -> None:
    assert to_mrz(name) == expected


def test_decomposed_input_equals_composed_input() -> None:
    composed = "Çela Ëndrit Müller Łukasz Dvořák Йосиф"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert to_mrz(decomposed) == to_mrz(composed) == "CELA<ENDRIT<MUELLER<LUKASZ<DVORAK<IOSIF"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Anna2", "2"),
        ("Louis XIV 14", "1"),
        ("Ana٣", "٣"),
        ("李小龍", "李"),
        ("Ali🙂", "🙂"),
        ("Dana@", "@"),
        ("Maria (Mary)", "("),
        ("שרה", "ש"),
    ],
)
def test_untransliterable_names_are_refused_naming_the_character(name: str, shown: str) -> None:
    with pytest.raises(UntransliterableName) as caught:
        to_mrz(name)
    error = caught.value
    assert isinstance(error, IssuanceError) and isinstance(error, ValueError)
    assert shown in error.message("en") and shown in error.message("sq")
    assert error.message("en") != error.message("sq")


def test_digits_have_their_own_message() -> None:
    with pytest.raises(UntransliterableName, match="digits"):
        to_mrz("Anna2")


def test_every_latin_letter_of_european_languages_is_written() -> None:
    # Latin-1 Supplement, Latin Extended-A and the Romanian comma-below letters.
    blocks = [*range(0xC0, 0x180), *range(0x218, 0x21C)]
    letters = [chr(c) for c in blocks if unicodedata.category(chr(c)).startswith("L")]
    assert len(letters) > 180
    for letter in letters:
        assert re.fullmatch(r"[A-Z]{1,2}", to_mrz(letter)), letter


def test_every_basic_cyrillic_letter_is_written() -> None:
    for letter in map(chr, range(0x400, 0x460)):
        expected_empty = letter in "Ьь"
        assert bool(re.fullmatch(r"[A-Z]{1,4}", to_mrz(letter))) is not expected_empty, letter


SUPPORTED = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ëçËÇäöüßÄÖÜåæøÅÆØñÑłŁđĐžšćčŽŠĆČőűİıĳœþð"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЄЇЎЂЉЊЋЏ"
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ"
    "  -'’,."
)


@FAST
@given(st.text(alphabet=SUPPORTED, max_size=60))
def test_output_is_always_a_well_formed_name(name: str) -> None:
    result = to_mrz(name)
    assert MRZ_NAME.fullmatch(result)
    assert to_mrz(result) == result


@FAST
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1))
def test_plain_latin_letters_are_only_upper_cased(name: str) -> None:
    assert to_mrz(name) == name.upper()
