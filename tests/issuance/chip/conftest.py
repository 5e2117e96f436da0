"""Chip fixtures: a real JPEG face, demo keys, one holder's chip files, and the real PC/SC stack
(pcscd + vpcd) with the project's virtual card."""

from __future__ import annotations

from pathlib import Path

import pytest

from issuance.chip import ChipData, LdsFiles, build_lds, icao_full_name
from issuance.security.keys import DeskKeys

# The PC/SC fixtures are shared with other test folders (one pcscd and one card per machine).
from tests.support.faces import FACE_SIZE, make_face_jpeg
from tests.support.keys import desk_keys
from tests.support.pcsc import READER, SPARE_READER, blank_card, pcscd, session_card

__all__ = ["READER", "SPARE_READER", "blank_card", "pcscd", "session_card"]

@pytest.fixture(scope="session")
def face_jpeg() -> bytes:
    return make_face_jpeg()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DeskKeys:
    """A desk's keys folder (no CSCA private key in it), issued by a CSCA kept next to it."""
    return desk_keys(tmp_path_factory.mktemp("keys") / "pki")


def holder_chip_data(face_jpeg: bytes) -> ChipData:
    return ChipData(
        mrz_lines=(
            "IRALBAB12345674J80322001X<<<<<",
            "9803221M2812315ALB<<<<<<<<<<<6",
            "CELA<<ENDRIT<<<<<<<<<<<<<<<<<<",
        ),
        face_jpeg=face_jpeg,
        face_width=FACE_SIZE[0],
        face_height=FACE_SIZE[1],
        full_name=icao_full_name("Çela", "Ëndrit"),
        nid="J80322001X",
        place_of_birth="Prishtinë",
        address="Rruga e Dibrës 12, Tiranë",
        document_number="AB1234567",
        birth_date="980322",
        expiry_date="281231",
    )


@pytest.fixture(scope="session")
def chip_data(face_jpeg: bytes) -> ChipData:
    return holder_chip_data(face_jpeg)


@pytest.fixture(scope="session")
def lds_files(chip_data: ChipData, pki: DeskKeys) -> LdsFiles:
    return build_lds(chip_data, pki.signer())


@pytest.fixture
def csca_certificate(pki: DeskKeys) -> Path:
    return pki.csca_certificate
