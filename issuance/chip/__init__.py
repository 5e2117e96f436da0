"""The card's chip: ICAO 9303 LDS files, the SOD and its keys, BAC and secure messaging.

The names below load their module (and the cryptography libraries with it) on first use, so
importing a light submodule such as ``issuance.cli.chip`` does not pay for them all. The
desk's keys (the offline CSCA, the Document Signer and the key store) are
``issuance.security.keys``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from issuance.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from issuance.chip.bac import BacKey, check_digit, mrz_date
    from issuance.chip.lds import ChipData, LdsFiles, icao_full_name
    from issuance.chip.production import build_lds
    from issuance.chip.signing import DocumentSigner, FileDocumentSigner, load_certificate
    from issuance.chip.verification import Check, passive_authentication

# Name -> the module that defines it.
_EXPORTS = {
    "BacKey": "bac",
    "Check": "verification",
    "ChipData": "lds",
    "DocumentSigner": "signing",
    "FileDocumentSigner": "signing",
    "LdsFiles": "lds",
    "build_lds": "production",
    "check_digit": "bac",
    "icao_full_name": "lds",
    "load_certificate": "signing",
    "mrz_date": "bac",
    "passive_authentication": "verification",
}

__all__ = [
    "BacKey",
    "Check",
    "ChipData",
    "DocumentSigner",
    "FileDocumentSigner",
    "LdsFiles",
    "build_lds",
    "check_digit",
    "icao_full_name",
    "load_certificate",
    "mrz_date",
    "passive_authentication",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals(), __all__)
