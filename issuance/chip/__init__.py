"""The card's chip: ICAO 9303 LDS files, the SOD and its keys, BAC and secure messaging."""

from __future__ import annotations

from issuance.chip.bac import BacKey, check_digit, mrz_date
from issuance.chip.lds import ChipData, LdsFiles, icao_full_name
from issuance.chip.production import build_lds
from issuance.chip.signing import (
    DemoPki,
    DocumentSigner,
    FileDocumentSigner,
    create_demo_pki,
    init_keys,
    load_certificate,
)
from issuance.chip.verification import Check, passive_authentication

__all__ = [
    "BacKey",
    "Check",
    "ChipData",
    "DemoPki",
    "DocumentSigner",
    "FileDocumentSigner",
    "LdsFiles",
    "build_lds",
    "check_digit",
    "create_demo_pki",
    "icao_full_name",
    "init_keys",
    "load_certificate",
    "mrz_date",
    "passive_authentication",
]
