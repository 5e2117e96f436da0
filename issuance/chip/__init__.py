"""The card's chip: ICAO 9303 LDS files, the SOD and its keys, BAC and secure messaging.

The names below load their module (and the cryptography libraries with it) on first use, so
importing a light submodule such as ``issuance.chip.command`` does not pay for them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Name -> the module that defines it.
_EXPORTS = {
    "BacKey": "bac",
    "Check": "verification",
    "ChipData": "lds",
    "DemoPki": "signing",
    "DocumentSigner": "signing",
    "FileDocumentSigner": "signing",
    "LdsFiles": "lds",
    "build_lds": "production",
    "check_digit": "bac",
    "create_demo_pki": "signing",
    "icao_full_name": "lds",
    "init_keys": "signing",
    "load_certificate": "signing",
    "mrz_date": "bac",
    "passive_authentication": "verification",
}

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


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
