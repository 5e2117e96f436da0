"""Identity rules: the personal number (NID), document numbers, MRZ and name transliteration."""

from __future__ import annotations

# compose/decode/is_valid exist for both NIDs and document numbers, so they are reached
# through their modules: ``nid.compose``, ``document_numbers.compose``.
from issuance.domain.identity import document_numbers, nid
from issuance.domain.identity.document_numbers import DocumentNumberExhausted, InvalidDocumentNumber
from issuance.domain.identity.mrz import (
    InvalidMrz,
    Td1,
    check_digit,
    mrz_name,
    parse_residence_card,
    parse_td1,
    td1,
)
from issuance.domain.identity.nid import InvalidNid, Nid, check_letter, month_code
from issuance.domain.identity.transliteration import UntransliterableName, to_mrz

__all__ = [
    "DocumentNumberExhausted",
    "InvalidDocumentNumber",
    "InvalidMrz",
    "InvalidNid",
    "Nid",
    "Td1",
    "UntransliterableName",
    "check_digit",
    "check_letter",
    "document_numbers",
    "mrz_name",
    "month_code",
    "nid",
    "parse_residence_card",
    "parse_td1",
    "td1",
    "to_mrz",
]
