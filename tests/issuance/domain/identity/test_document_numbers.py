"""The card's document number: office code and a 7-digit per-office sequence."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuance.domain.identity import document_numbers
from issuance.domain.identity.document_numbers import DocumentNumberExhausted, InvalidDocumentNumber
from issuance.errors import IssuanceError

FAST = settings(max_examples=200, deadline=None, database=None)
office_codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2, max_size=2)
sequences = st.integers(min_value=1, max_value=9_999_999)


def test_examples() -> None:
    assert document_numbers.compose("TR", 1) == "TR0000001"
    assert document_numbers.compose("D7", 1234567) == "D71234567"
    assert document_numbers.compose("A1", 9_999_999) == "A19999999"


@FAST
@given(office_codes, sequences)
def test_composed_numbers_are_valid_and_carry_office_and_sequence(office: str, seq: int) -> None:
    text = document_numbers.compose(office, seq)
    assert re.fullmatch(r"[A-Z0-9]{9}", text)
    assert document_numbers.is_valid(text)
    assert (text[:2], int(text[2:])) == (office, seq)


@FAST
@given(office_codes, sequences, office_codes, sequences)
def test_different_offices_or_sequences_never_share_a_number(
    office_a: str, seq_a: int, office_b: str, seq_b: int
) -> None:
    same = document_numbers.compose(office_a, seq_a) == document_numbers.compose(office_b, seq_b)
    assert same == ((office_a, seq_a) == (office_b, seq_b))


def test_sequence_beyond_the_last_number_is_exhausted() -> None:
    with pytest.raises(DocumentNumberExhausted) as caught:
        document_numbers.compose("TR", 10_000_000)
    error = caught.value
    assert isinstance(error, IssuanceError)
    assert "TR" in error.message("en") and "TR" in error.message("sq")
    assert error.message("en") != error.message("sq")


@pytest.mark.parametrize("office", ["tr", "T", "TRX", "", "T-", "Ë1", "٣1", "T ", None])
def test_bad_office_codes_are_refused(office: object) -> None:
    with pytest.raises(InvalidDocumentNumber) as caught:
        document_numbers.compose(office, 1)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.message("sq") and caught.value.message("en")


@pytest.mark.parametrize("sequence", [0, -1, True, 1.0, "1"])
def test_bad_sequences_are_refused(sequence: object) -> None:
    with pytest.raises(InvalidDocumentNumber):
        document_numbers.compose("TR", sequence)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "TR000001",
        "TR00000001",
        "tr0000001",
        "TRA000001",
        "TR000000A",
        "TR0000000",
        "TR٣000001",
        "TR0000001\n",
        " TR0000001",
        None,
        1234567,
    ],
)
def test_is_valid_refuses(text: object) -> None:
    assert document_numbers.is_valid(text) is False  # type: ignore[arg-type]
