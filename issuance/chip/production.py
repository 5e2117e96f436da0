"""Putting one chip's files together: the LDS files and their signed security object."""

from __future__ import annotations

from issuance.chip.lds import ChipData, LdsFiles, build_com, build_dg1, build_dg2, build_dg11
from issuance.chip.security_object import build_sod
from issuance.chip.signing import DocumentSigner


def build_lds(data: ChipData, signer: DocumentSigner) -> LdsFiles:
    """Every file of the chip for ``data``, the SOD signed by ``signer``."""
    data_groups = {1: build_dg1(data), 2: build_dg2(data), 11: build_dg11(data)}
    return LdsFiles(build_com(tuple(data_groups)), data_groups, build_sod(data_groups, signer))
